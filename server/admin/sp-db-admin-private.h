#pragma once

/* Connection-level helpers shared by the sp-db-admin-*.c files, so load-demo can reuse them in one transaction. */

#include <libpq-fe.h>

#include "sp-db-admin.h"

G_BEGIN_DECLS

typedef gboolean (*SpDbAdminTxFunc) (PGconn    *conn,
                                     gpointer   data,
                                     GError   **error);

gboolean      sp_db_admin_transaction      (PGconn                    *conn,
                                            SpDbAdminTxFunc            func,
                                            gpointer                   data,
                                            GError                   **error);
SpAdminTable *sp_db_admin_table_new        (PGresult                  *result) G_GNUC_WARN_UNUSED_RESULT;
char         *sp_db_admin_json_strv        (const char * const        *strv) G_GNUC_WARN_UNUSED_RESULT;
gboolean      sp_db_admin_lookup_id        (PGconn                    *conn,
                                            const char                *sql,
                                            const char                *key,
                                            char                     **id,
                                            GError                   **error);
gboolean      sp_db_admin_insert_ente      (PGconn                    *conn,
                                            const SpAdminEnte         *ente,
                                            GError                   **error);
gboolean      sp_db_admin_save_servizio    (PGconn                    *conn,
                                            const char                *ente_code,
                                            const SpAdminServizioDef  *def,
                                            gboolean                  *created,
                                            GError                   **error);
gboolean      sp_db_admin_insert_account   (PGconn                    *conn,
                                            const SpAdminAccount      *account,
                                            GError                   **error);
gboolean      sp_db_admin_insert_partner   (PGconn                    *conn,
                                            const SpAdminPartner      *partner,
                                            GError                   **error);
gboolean      sp_db_admin_insert_documents (PGconn                    *conn,
                                            SpAdminDocument * const   *documents,
                                            guint                      n_documents,
                                            GError                   **error);
gboolean      sp_db_admin_generate_moduli  (PGconn                    *conn,
                                            guint64                    n_moduli,
                                            SpAdminGenerateStats      *stats,
                                            GError                   **error);

G_END_DECLS
