#pragma once

/* The statements a pooled connection has prepared, by their text. Private to
 * server/db/: sp_db_exec_prepared() is how the database files use it. */

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/**
 * SpDbStatement:
 * @sql: its text
 * @n_params: how many text parameters ($1…)
 * @params: (array length=n_params) (nullable): their values
 * @prepared: whether to keep it prepared for the session (a fixed text)
 *
 * One statement of sp_db_prepared_exec_all().
 */
typedef struct
{
  const char         *sql;
  int                 n_params;
  const char * const *params;
  gboolean            prepared;
} SpDbStatement;

gboolean     sp_db_prepared_attach (PGconn              *conn);
guint        sp_db_prepared_count  (PGconn              *conn);
PGresult    *sp_db_prepared_exec   (PGconn              *conn,
                                    const char          *sql,
                                    int                  n_params,
                                    const char * const  *params) G_GNUC_WARN_UNUSED_RESULT;
PGresult    *sp_db_prepared_exec_after (PGconn          *conn,
                                    const char          *first,
                                    const char          *sql,
                                    int                  n_params,
                                    const char * const  *params) G_GNUC_WARN_UNUSED_RESULT;
PGresult    *sp_db_prepared_exec_then (PGconn           *conn,
                                    const char          *sql,
                                    int                  n_params,
                                    const char * const  *params,
                                    const char          *last) G_GNUC_WARN_UNUSED_RESULT;

PGresult    *sp_db_prepared_exec_all (PGconn            *conn,
                                      const SpDbStatement *statements,
                                      guint              n,
                                      PGresult         **results,
                                      guint             *failed_statement) G_GNUC_WARN_UNUSED_RESULT;
G_END_DECLS
