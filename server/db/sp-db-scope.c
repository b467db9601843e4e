/* sp-db-scope.c: the SQL condition for "the pratiche this principal may see", with its parameter */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-scope.h"

struct _SpDbScope
{
  gboolean  all;          /* system jobs: no condition */
  gboolean  none;         /* anonymous: nothing */
  char     *placeholder;  /* the services' parameter, as "$1::bigint[]"; NULL when none */
};

static char *
servizi_literal (const SpPrincipal *principal)
{
  gsize n_servizi;
  const gint64 *servizi = sp_principal_get_servizi (principal, &n_servizi);
  GString *literal = g_string_new ("{");

  for (gsize i = 0; i < n_servizi; i++)
    g_string_append_printf (literal, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", servizi[i]);
  g_string_append_c (literal, '}');
  return g_string_free (literal, FALSE);
}

/**
 * sp_db_scope_new_in:
 * @query: the statement: the scope adds the parameter it needs, if any
 *
 * The scope of @principal for one statement: the services of its ente it is
 * enabled for (operators), all of its ente's (auditors), those granted to it
 * (partners), everything (system jobs) or nothing (anonymous). The ente is
 * in the services: a service belongs to one ente, and so do its pratiche.
 *
 * Returns: (transfer full): the scope of @principal in @query
 */
SpDbScope *
sp_db_scope_new_in (const SpPrincipal *principal,
                    SpDbQuery         *query)
{
  SpDbScope *scope = g_new0 (SpDbScope, 1);

  scope->all = sp_principal_sees_all (principal);
  scope->none = sp_principal_get_kind (principal) == SP_PRINCIPAL_ANONYMOUS;
  if (!scope->all && !scope->none)
    {
      g_autofree char *servizi = servizi_literal (principal);

      scope->placeholder = g_strdup (sp_db_query_param (query, servizi, "bigint[]"));
    }
  return scope;
}

/**
 * sp_db_scope_condition:
 * @servizio_column: the column holding a pratica's service (`p.servizio_id`)
 *   or a service's id (`sv.id`)
 *
 * Returns: (transfer full): the condition on @servizio_column, for a WHERE
 *   of the statement the scope was made in (sp_db_scope_new_in())
 */
char *
sp_db_scope_condition (const SpDbScope *scope,
                       const char      *servizio_column)
{
  if (scope->all)
    return g_strdup ("TRUE");
  if (scope->none)
    return g_strdup ("FALSE");
  return g_strdup_printf ("%s = ANY (%s)", servizio_column, scope->placeholder);
}

/* Appends sp_db_scope_condition() to @query, the statement of the scope. */
void
sp_db_scope_append (const SpDbScope *scope,
                    SpDbQuery       *query,
                    const char      *servizio_column)
{
  g_autofree char *condition = sp_db_scope_condition (scope, servizio_column);

  sp_db_query_append (query, condition);
}

void
sp_db_scope_free (SpDbScope *scope)
{
  if (scope == NULL)
    return;
  g_free (scope->placeholder);
  g_free (scope);
}
