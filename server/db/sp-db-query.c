/* sp-db-query.c: a statement built piece by piece, its parameters numbered as they are added */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <string.h>

#include "sp-db-query.h"
#include "sp-db-util.h"

struct _SpDbQuery
{
  GString   *sql;
  GPtrArray *values;        /* of char *, nullable: $1, $2… */
  GPtrArray *placeholders;  /* of char *: "$1::bigint"…, one per value */
};

/**
 * sp_db_query_new:
 * @sql: (nullable): the statement's first words
 *
 * Returns: (transfer full): a statement without parameters
 */
SpDbQuery *
sp_db_query_new (const char *sql)
{
  SpDbQuery *self = g_new0 (SpDbQuery, 1);

  self->sql = g_string_new (sql);
  self->values = g_ptr_array_new_with_free_func (g_free);
  self->placeholders = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
sp_db_query_free (SpDbQuery *self)
{
  if (self == NULL)
    return;
  g_string_free (self->sql, TRUE);
  g_ptr_array_unref (self->values);
  g_ptr_array_unref (self->placeholders);
  g_free (self);
}

void
sp_db_query_append (SpDbQuery  *self,
                    const char *sql)
{
  g_string_append (self->sql, sql);
}

void
sp_db_query_append_printf (SpDbQuery  *self,
                           const char *format,
                           ...)
{
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (self->sql, format, args);
  va_end (args);
}

/**
 * sp_db_query_param:
 * @value: (nullable): the parameter's text (copied); %NULL is SQL NULL
 * @type: its SQL type, so that PostgreSQL knows it wherever it is used
 *
 * Adds a parameter to the statement. The same value of the same type is one
 * parameter: asked again, its placeholder comes back.
 *
 * Returns: its placeholder, as "$3::bigint", owned by @self
 */
const char *
sp_db_query_param (SpDbQuery  *self,
                   const char *value,
                   const char *type)
{
  g_autofree char *placeholder = NULL;

  g_return_val_if_fail (type != NULL, NULL);

  for (guint i = 0; i < self->values->len; i++)
    if (g_strcmp0 (self->values->pdata[i], value) == 0
        && g_str_equal (strstr (self->placeholders->pdata[i], "::") + 2, type))
      return self->placeholders->pdata[i];

  g_ptr_array_add (self->values, g_strdup (value));
  placeholder = g_strdup_printf ("$%u::%s", self->values->len, type);
  g_ptr_array_add (self->placeholders, g_steal_pointer (&placeholder));
  return g_ptr_array_index (self->placeholders, self->placeholders->len - 1);
}

/* Adds a parameter (sp_db_query_param()) and appends its placeholder. */
void
sp_db_query_append_param (SpDbQuery  *self,
                          const char *value,
                          const char *type)
{
  g_string_append (self->sql, sp_db_query_param (self, value, type));
}

const char *
sp_db_query_get_sql (SpDbQuery *self)
{
  return self->sql->str;
}

guint
sp_db_query_get_n_params (SpDbQuery *self)
{
  return self->values->len;
}

/* Returns: the parameters' texts, $1 first, owned by @self */
const char * const *
sp_db_query_get_params (SpDbQuery *self)
{
  return (const char * const *) self->values->pdata;
}

/* Runs the statement with its parameters (sp_db_exec()). */
PGresult *
sp_db_query_exec (PGconn     *conn,
                  SpDbQuery  *self,
                  GError    **error)
{
  return sp_db_exec (conn, self->sql->str, (int) self->values->len, sp_db_query_get_params (self), error);
}

/* Opens a transaction with @begin and runs the statement in it, prepared,
 * in one round trip (sp_db_begin_exec_prepared()). */
PGresult *
sp_db_query_begin_exec (PGconn      *conn,
                        const char  *begin,
                        SpDbQuery   *self,
                        GError     **error)
{
  return sp_db_begin_exec_prepared (conn, begin, self->sql->str, (int) self->values->len,
                                    sp_db_query_get_params (self), error);
}
