/* sp-db-scope.c: the SQL condition for "the pratiche this principal may see", with its parameter */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-scope.h"

struct _SpDbScope
{
  gboolean  all;        /* system jobs: no condition */
  gboolean  none;       /* anonymous: nothing */
  char     *servizi;    /* the services, as a bigint[] literal */
  guint     param;      /* the number of its parameter; 0 when none */
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
 * sp_db_scope_new:
 * @params: the statement's parameters so far (borrowed strings): the scope
 *   appends the one it needs, if any, and keeps its number
 *
 * The scope of @principal for one statement: the services of its ente it is
 * enabled for (operators), all of its ente's (auditors), those granted to it
 * (partners), everything (system jobs) or nothing (anonymous). The ente is
 * in the services: a service belongs to one ente, and so do its pratiche.
 *
 * Returns: (transfer full): the scope; it owns the parameter's text, so it
 *   must outlive the statement
 */
SpDbScope *
sp_db_scope_new (const SpPrincipal *principal,
                 GPtrArray         *params)
{
  SpDbScope *scope = g_new0 (SpDbScope, 1);

  scope->all = sp_principal_sees_all (principal);
  scope->none = sp_principal_get_kind (principal) == SP_PRINCIPAL_ANONYMOUS;
  if (!scope->all && !scope->none)
    {
      scope->servizi = servizi_literal (principal);
      g_ptr_array_add (params, scope->servizi);
      scope->param = params->len;
    }
  return scope;
}

/**
 * sp_db_scope_condition:
 * @servizio_column: the column holding a pratica's service (`p.servizio_id`)
 *   or a service's id (`sv.id`)
 *
 * Returns: (transfer full): the condition on @servizio_column, for a WHERE
 */
char *
sp_db_scope_condition (const SpDbScope *scope,
                       const char      *servizio_column)
{
  if (scope->all)
    return g_strdup ("TRUE");
  if (scope->none)
    return g_strdup ("FALSE");
  return g_strdup_printf ("%s = ANY ($%u::bigint[])", servizio_column, scope->param);
}

/* Returns: the number of the scope's parameter, 0 when it has none */
guint
sp_db_scope_get_param (const SpDbScope *scope)
{
  return scope->param;
}

void
sp_db_scope_free (SpDbScope *scope)
{
  if (scope == NULL)
    return;
  g_free (scope->servizi);
  g_free (scope);
}
