#pragma once

/* What the demo builder (sp-admin-demo-pratiche.c) and its row writer (sp-admin-demo-rows.c) share. */

#include "sp-admin-demo.h"
#include "sp-crypto.h"
#include "sp-admin-demo-timeline.h"

G_BEGIN_DECLS

typedef struct
{
  const char  *code;
  const SpAdminEnte *def;    /* name and locale, for the moduli */
  SpDemoPlace  place;
  guint        n_pratiche;
  GPtrArray   *servizi;      /* of const SpAdminServizioDef *, the active ones */
  GPtrArray   *operators;    /* of const SpAdminAccount * */
  GPtrArray   *citizens;     /* of SpDemoPerson * */
} SpDemoEnte;

typedef struct
{
  const SpAdminPartner *account;
  GStrv                 operatori;   /* people who act through the partner's system */
} SpDemoPartner;

typedef struct
{
  SpDemoEnte               *ente;
  const SpAdminServizioDef *servizio;
  SpDemoPerson             *citizen;
  const SpAdminAccount     *operator;
  const SpDemoPartner      *partner;
  gboolean                  by_partner;     /* created through offline/create */
  char                     *external_id;
  char                      id[37];
  char                     *numero;
  gint64                    submitted;
  SpDemoTimeline           *timeline;
  JsonNode                 *data;           /* as submitted */
  const char               *integration_note;
  const char               *motivation;
} SpDemoPratica;

typedef struct
{
  SpAdminDemo  *demo;
  GRand        *rand;
  GDateTime    *now;
  GDateTime    *reference;
  gint64        now_unix;
  int           days;
  GTimeZone    *time_zone;
  JsonObject   *texts;
  GHashTable   *codici_fiscali;   /* every one generated */
  GHashTable   *applicants;       /* those who submitted something */
  GPtrArray    *enti;
  GPtrArray    *pratiche;
  GPtrArray    *partners;
  JsonBuilder  *citizens;
  JsonBuilder  *rows_pratiche;
  JsonBuilder  *iter;
  JsonBuilder  *versions;
  JsonBuilder  *protocols;
  JsonBuilder  *counters;
  JsonBuilder  *processing;
} SpDemoBuild;

/* sp-admin-demo-moduli.c */
gboolean sp_demo_moduli_render      (SpDemoBuild    *build,
                                     GError        **error);

/* sp-admin-demo-risposte.c */
gboolean sp_demo_risposte_render    (SpDemoBuild    *build,
                                     SpCryptoSigner *signer,
                                     GError        **error);

/* sp-admin-demo-rows.c */
void     sp_demo_rows_init          (SpDemoBuild    *build);
void     sp_demo_rows_add_pratica   (SpDemoBuild    *build,
                                     SpDemoPratica  *pratica);
void     sp_demo_rows_add_citizens  (SpDemoBuild    *build,
                                     SpDemoEnte     *ente);
void     sp_demo_rows_add_counter   (SpDemoBuild    *build,
                                     const char     *ente_code,
                                     int             year,
                                     int             last);
void     sp_demo_rows_finish        (SpDemoBuild    *build,
                                     SpAdminDemo    *demo);

G_END_DECLS
