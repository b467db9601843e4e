#pragma once

/* A statement being built: its text and its parameters, numbered as they are
 * added, so that no code counts "$n" by hand. Private to server/db/. */

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

typedef struct _SpDbQuery SpDbQuery;

SpDbQuery          *sp_db_query_new           (const char  *sql) G_GNUC_WARN_UNUSED_RESULT;
void                sp_db_query_free          (SpDbQuery   *self);
void                sp_db_query_append        (SpDbQuery   *self,
                                               const char  *sql);
void                sp_db_query_append_printf (SpDbQuery   *self,
                                               const char  *format,
                                               ...) G_GNUC_PRINTF (2, 3);
const char         *sp_db_query_param         (SpDbQuery   *self,
                                               const char  *value,
                                               const char  *type);
void                sp_db_query_append_param  (SpDbQuery   *self,
                                               const char  *value,
                                               const char  *type);
const char         *sp_db_query_get_sql       (SpDbQuery   *self);
guint               sp_db_query_get_n_params  (SpDbQuery   *self);
const char * const *sp_db_query_get_params    (SpDbQuery   *self);
PGresult           *sp_db_query_exec          (PGconn      *conn,
                                               SpDbQuery   *self,
                                               GError     **error) G_GNUC_WARN_UNUSED_RESULT;
PGresult           *sp_db_query_begin_exec    (PGconn      *conn,
                                               const char  *begin,
                                               SpDbQuery   *self,
                                               GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDbQuery, sp_db_query_free)

G_END_DECLS
