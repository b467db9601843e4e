#pragma once

/* Helpers for the database files (sp-db-*.c): the only code that speaks libpq. */

#include <glib.h>
#include <libpq-fe.h>

#include "sp-db-prepared.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

PGresult    *sp_db_exec            (PGconn              *conn,
                                    const char          *sql,
                                    int                  n_params,
                                    const char * const  *params,
                                    GError             **error) G_GNUC_WARN_UNUSED_RESULT;
PGresult    *sp_db_exec_prepared   (PGconn              *conn,
                                    const char          *sql,
                                    int                  n_params,
                                    const char * const  *params,
                                    GError             **error) G_GNUC_WARN_UNUSED_RESULT;
PGresult    *sp_db_begin_exec_prepared (PGconn          *conn,
                                    const char          *begin,
                                    const char          *sql,
                                    int                  n_params,
                                    const char * const  *params,
                                    GError             **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_db_exec_all        (PGconn              *conn,
                                    const SpDbStatement *statements,
                                    guint                n,
                                    PGresult           **results,
                                    GError             **error);
PGresult    *sp_db_exec_prepared_commit (PGconn         *conn,
                                    const char          *sql,
                                    int                  n_params,
                                    const char * const  *params,
                                    GError             **error) G_GNUC_WARN_UNUSED_RESULT;
PGresult    *sp_db_exec_prepared_ending (PGconn         *conn,
                                    const char          *sql,
                                    int                  n_params,
                                    const char * const  *params,
                                    gboolean             commit,
                                    GError             **error) G_GNUC_WARN_UNUSED_RESULT;
PGresult    *sp_db_exec_binary     (PGconn              *conn,
                                    const char          *sql,
                                    int                  n_params,
                                    const char * const  *params,
                                    const int           *lengths,
                                    const int           *formats,
                                    GError             **error) G_GNUC_WARN_UNUSED_RESULT;
PGresult    *sp_db_exec_binary_results (PGconn          *conn,
                                    const char          *sql,
                                    int                  n_params,
                                    const char * const  *params,
                                    GError             **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_db_command         (PGconn              *conn,
                                    const char          *sql,
                                    int                  n_params,
                                    const char * const  *params,
                                    GError             **error);
gboolean     sp_db_command_prepared (PGconn             *conn,
                                    const char          *sql,
                                    int                  n_params,
                                    const char * const  *params,
                                    GError             **error);
gboolean     sp_db_begin           (PGconn              *conn,
                                    GError             **error);
gboolean     sp_db_commit          (PGconn              *conn,
                                    GError             **error);
void         sp_db_rollback        (PGconn              *conn);
gboolean     sp_db_connection_lost (PGconn              *conn);
gboolean     sp_db_sqlstate_is_retriable (const char    *sqlstate);
gboolean     sp_db_error_has_class (const GError        *error,
                                    const char          *sqlstate_class);
const char  *sp_db_get             (PGresult            *result,
                                    int                  row,
                                    int                  column);
gboolean     sp_db_get_bool        (PGresult            *result,
                                    int                  row,
                                    int                  column);
gint64       sp_db_get_int64       (PGresult            *result,
                                    int                  row,
                                    int                  column);

/* Shorthand for a parameter list: SP_DB_PARAMS (a, b, c). */
#define SP_DB_PARAMS(...) ((const char * const []) { __VA_ARGS__ })
#define SP_DB_N_PARAMS(...) ((int) (sizeof ((const char * const []) { __VA_ARGS__ }) / sizeof (const char *)))

G_END_DECLS
