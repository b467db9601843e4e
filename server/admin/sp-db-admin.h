#pragma once

/* The database side of sportello-admin: every statement the admin runs lives in sp-db-admin-*.c. */

#include <glib.h>

#include "sp-admin-servizio-def.h"
#include "sp-db.h"
#include "sp-db-chain.h"

G_BEGIN_DECLS

/**
 * SpAdminTable:
 *
 * A listing for the terminal: column titles and rows of text (NULL for SQL NULL).
 */
typedef struct
{
  GStrv      columns;
  GPtrArray *rows;     /* of GStrv-like arrays of columns->len strings */
} SpAdminTable;

void         sp_admin_table_free  (SpAdminTable *table);
void         sp_admin_table_print (SpAdminTable *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAdminTable, sp_admin_table_free)

typedef struct
{
  char *code;
  char *name;
  char *place_name;
  char *locale;
} SpAdminEnte;

typedef struct
{
  char  *username;
  char  *ente_code;
  char  *role;
  char  *full_name;
  char  *email;
  char  *password_hash;
  GStrv  servizi;        /* slugs in the account's ente */
} SpAdminAccount;

typedef struct
{
  char  *slug;
  char  *name;
  char  *password_hash;      /* nullable */
  char  *cert_fingerprint;   /* nullable, 64 lower-case hex digits */
  GStrv  servizi;            /* "ENTE:slug" the partner sees */
  GStrv  create;             /* "ENTE:slug" the partner may create (offline/create) */
} SpAdminPartner;

/**
 * SpAdminDocument:
 *
 * A document row as load-demo and generate write it: a modulo rendered at
 * submission, dated with the submission time; for a concluded demo
 * pratica, the operator's response file and the response PDF too.
 */
typedef struct
{
  char      *id;           /* UUID */
  char      *pratica_id;
  char      *kind;         /* modulo | risposta | allegato */
  char      *filename;
  char      *mime_type;
  char      *sha256;       /* 64 lower-case hex digits */
  char      *signer;       /* nullable: who signed it, for a signed .p7m */
  GDateTime *created_at;
  GBytes    *content;
} SpAdminDocument;

/**
 * SpAdminDemo:
 *
 * Everything load-demo writes, in one transaction. The bulk parts are JSON
 * arrays of rows (see sp-db-admin-demo.c for their members).
 */
typedef struct
{
  GPtrArray *enti;          /* of SpAdminEnte */
  GPtrArray *servizi;       /* of SpAdminServizioDef, parallel to servizi_ente */
  GPtrArray *servizi_ente;  /* of char *, the ente code of each servizio */
  GPtrArray *accounts;      /* of SpAdminAccount */
  GPtrArray *partners;      /* of SpAdminPartner */
  char      *citizens;      /* JSON arrays */
  char      *pratiche;
  char      *iter;
  char      *versions;
  char      *protocols;
  char      *counters;
  char      *processing;    /* the saved work of the concluded pratiche, after the documents */
  GPtrArray *documents;     /* of SpAdminDocument: moduli, responses, operators' files (binary parameters) */
  guint64    n_pratiche;    /* rows in pratiche */
} SpAdminDemo;

typedef struct
{
  guint64 n_servizi;
  guint64 n_accounts;
  guint64 n_citizens;
  guint64 n_pratiche;
  guint64 n_iter;
  guint64 n_versions;
  guint64 n_protocols;
  guint64 n_documents;
} SpAdminDemoCounts;

typedef struct
{
  const char *ente_code;
  guint64     n_pratiche;
  guint       n_servizi;
  guint       n_operators;
  const char *password_hash;
  const char *field_schema;    /* JSON: the form of every generated servizio */
  const char *protocol_config; /* JSON */
  const char *first_names;     /* JSON arrays of strings */
  const char *surnames;
  guint64     n_moduli;        /* the most recently submitted pratiche that get a rendered modulo */
} SpAdminGenerateParams;

/**
 * SpAdminGenerateStats:
 *
 * What generate rendered: the moduli, their bytes, the threads that drew
 * them and the CPU time they spent drawing (summed over the threads).
 */
typedef struct
{
  guint64 n_moduli;
  guint64 moduli_bytes;
  guint   n_threads;
  double  render_seconds;
} SpAdminGenerateStats;

typedef void (*SpAdminProgressFunc) (const char *step,
                                     gint64      rows,
                                     double      seconds,
                                     gpointer    user_data);

void         sp_admin_ente_free       (SpAdminEnte    *ente);
void         sp_admin_account_free    (SpAdminAccount *account);
void         sp_admin_partner_free    (SpAdminPartner *partner);
void         sp_admin_document_free   (SpAdminDocument *document);
SpAdminDemo *sp_admin_demo_new        (void) G_GNUC_WARN_UNUSED_RESULT;
void         sp_admin_demo_free       (SpAdminDemo    *demo);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAdminEnte, sp_admin_ente_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAdminAccount, sp_admin_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAdminPartner, sp_admin_partner_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAdminDocument, sp_admin_document_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAdminDemo, sp_admin_demo_free)

/* sp-db-admin-enti.c */
gboolean      sp_db_admin_ente_create            (SpDb                        *db,
                                                  const SpAdminEnte           *ente,
                                                  GError                     **error);
SpAdminTable *sp_db_admin_ente_list              (SpDb                        *db,
                                                  GError                     **error);
gboolean      sp_db_admin_ente_exists            (SpDb                        *db,
                                                  const char                  *code,
                                                  gboolean                    *exists,
                                                  GError                     **error);

/* sp-db-admin-servizi.c */
gboolean      sp_db_admin_servizio_save          (SpDb                        *db,
                                                  const char                  *ente_code,
                                                  const SpAdminServizioDef    *def,
                                                  gboolean                    *created,
                                                  GError                     **error);
SpAdminTable *sp_db_admin_servizio_list          (SpDb                        *db,
                                                  const char                  *ente_code,
                                                  GError                     **error);

/* sp-db-admin-accounts.c */
gboolean      sp_db_admin_account_create         (SpDb                        *db,
                                                  const SpAdminAccount        *account,
                                                  GError                     **error);
SpAdminTable *sp_db_admin_account_list           (SpDb                        *db,
                                                  const char                  *ente_code,
                                                  GError                     **error);
gboolean      sp_db_admin_account_set_servizi    (SpDb                        *db,
                                                  const char                  *username,
                                                  const char * const          *servizi,
                                                  GError                     **error);
gboolean      sp_db_admin_account_set_password   (SpDb                        *db,
                                                  const char                  *username,
                                                  const char                  *password_hash,
                                                  guint                       *n_revoked,
                                                  GError                     **error);
gboolean      sp_db_admin_account_unlock         (SpDb                        *db,
                                                  const char                  *username,
                                                  GError                     **error);

/* sp-db-admin-partners.c */
gboolean      sp_db_admin_partner_create         (SpDb                        *db,
                                                  const SpAdminPartner        *partner,
                                                  GError                     **error);

/**
 * SpAdminPartnerChange:
 * @SP_ADMIN_PARTNER_GRANT: replace the grants with `servizi` and `create`
 * @SP_ADMIN_PARTNER_PASSWORD: set `password_hash`, clear the lock
 * @SP_ADMIN_PARTNER_CERT_ADD: register `cert_fingerprint`
 * @SP_ADMIN_PARTNER_CERT_REVOKE: revoke `cert_fingerprint`
 */
typedef enum
{
  SP_ADMIN_PARTNER_GRANT,
  SP_ADMIN_PARTNER_PASSWORD,
  SP_ADMIN_PARTNER_CERT_ADD,
  SP_ADMIN_PARTNER_CERT_REVOKE,
} SpAdminPartnerChange;

gboolean      sp_db_admin_partner_change         (SpDb                        *db,
                                                  SpAdminPartnerChange         change,
                                                  const SpAdminPartner        *partner,
                                                  GError                     **error);

/* sp-db-admin-demo.c */
char         *sp_db_admin_time_zone              (SpDb                        *db,
                                                  GError                     **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean      sp_db_admin_demo_load              (SpDb                        *db,
                                                  const SpAdminDemo           *demo,
                                                  SpAdminDemoCounts           *counts,
                                                  GError                     **error);

/* sp-db-admin-generate.c */
gboolean      sp_db_admin_generate               (SpDb                        *db,
                                                  const SpAdminGenerateParams *params,
                                                  SpAdminGenerateStats        *stats,
                                                  SpAdminProgressFunc          progress,
                                                  gpointer                     user_data,
                                                  GError                     **error);

/* sp-db-admin-versions.c */
gboolean      sp_db_admin_verify_versions        (SpDb                        *db,
                                                  const char                  *pratica_id,
                                                  SpChainReport               *report,
                                                  GError                     **error);

G_END_DECLS
