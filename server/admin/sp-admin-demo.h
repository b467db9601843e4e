#pragma once

/* The demo data set: people, form data and pratiche generated deterministically from a seed. */

#include <json-glib/json-glib.h>

#include "sp-crypto.h"

#include "sp-db-admin.h"

G_BEGIN_DECLS

/**
 * SpDemoPlace:
 *
 * Where the people of an ente live.
 */
typedef struct
{
  const char *comune;
  const char *cap;
  const char *provincia;
} SpDemoPlace;

/**
 * SpDemoPerson:
 *
 * A made-up person with a codice fiscale computed by the official algorithm.
 */
typedef struct
{
  char      *nome;
  char      *cognome;
  gboolean   female;
  GDate      birth;
  char      *luogo_nascita;
  char      *codice_fiscale;
  char      *email;
  char      *telefono;
  char      *via;
  char      *civico;
  const SpDemoPlace *place;
} SpDemoPerson;

/* sp-admin-demo-lists.c */
gboolean      sp_demo_lists_load          (GError             **error);
const char * const *sp_demo_list          (const char          *name);
JsonArray    *sp_demo_records             (const char          *name);

/* sp-admin-demo-people.c */
const char   *sp_demo_pick                (GRand               *rand,
                                           const char * const  *list);
char         *sp_demo_codice_fiscale      (const char          *cognome,
                                           const char          *nome,
                                           gboolean             female,
                                           const GDate         *birth,
                                           const char          *belfiore) G_GNUC_WARN_UNUSED_RESULT;
SpDemoPerson *sp_demo_person_new          (GRand               *rand,
                                           GDateTime           *now,
                                           int                  min_age,
                                           int                  max_age,
                                           const char          *cognome,
                                           const SpDemoPlace   *place) G_GNUC_WARN_UNUSED_RESULT;
void          sp_demo_person_free         (SpDemoPerson        *person);
char         *sp_demo_person_full_name    (const SpDemoPerson  *person) G_GNUC_WARN_UNUSED_RESULT;
char         *sp_demo_iban                (GRand               *rand) G_GNUC_WARN_UNUSED_RESULT;
char         *sp_demo_partita_iva         (GRand               *rand) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDemoPerson, sp_demo_person_free)

/**
 * SpDemoContext:
 *
 * What the form data of one pratica is made from.
 */
typedef struct
{
  GRand             *rand;
  SpDemoPerson      *applicant;
  const SpDemoPlace *place;
  GDateTime         *now;         /* a fixed day adults' ages count from */
  GDateTime         *at;          /* when the data is written */
} SpDemoContext;

/* sp-admin-demo-data.c */
JsonNode     *sp_demo_form_data           (SpDemoContext       *context,
                                           JsonArray           *fields) G_GNUC_WARN_UNUSED_RESULT;
void          sp_demo_step_data           (SpDemoContext       *context,
                                           JsonObject          *data,
                                           JsonObject          *step,
                                           gboolean             approved);
void          sp_demo_integrate           (SpDemoContext       *context,
                                           JsonObject          *data,
                                           JsonArray           *fields);
char         *sp_demo_format_date         (GDateTime           *datetime) G_GNUC_WARN_UNUSED_RESULT;

/* sp-admin-demo-pratiche.c */
gboolean      sp_demo_pratiche_build      (SpAdminDemo         *demo,
                                           JsonObject          *manifest,
                                           const char          *time_zone,
                                           SpCryptoSigner      *signer,
                                           GError             **error);

G_END_DECLS
