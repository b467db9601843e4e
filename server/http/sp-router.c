/* sp-router.c: the route table and the matching of request paths against it */
#define G_LOG_DOMAIN "sp-router"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sp-api.h"
#include "sp-handlers.h"
#include "sp-router.h"

#define JSON_LIMIT SP_API_MAX_JSON_BODY
/* What a route that takes no body still tolerates (an empty object, a form). */
#define NO_BODY_LIMIT (64 * 1024)

/* Every route of the server; data/openapi.json documents each one (tests check). */
static const SpRoute routes[] = {
  { "GET", SP_API_HEALTH, SP_PRINCIPAL_ANYONE, SP_BODY_NONE, 0, sp_handle_health, .probe = TRUE },
  { "GET", SP_API_OPENAPI, SP_PRINCIPAL_ANYONE, SP_BODY_NONE, 0, sp_handle_openapi },
  { "GET", SP_API_PROMETHEUS, SP_PRINCIPAL_ANYONE, SP_BODY_NONE, 0, sp_handle_prometheus, .probe = TRUE },
  { "POST", SP_API_LOGIN, SP_PRINCIPAL_ANYONE, SP_BODY_JSON, JSON_LIMIT, sp_handle_login },
  { "POST", SP_API_LOGOUT, SP_PRINCIPAL_ACCOUNT, SP_BODY_NONE, 0, sp_handle_logout },
  { "GET", SP_API_ME, SP_PRINCIPAL_ACCOUNT, SP_BODY_NONE, 0, sp_handle_me },
  { "GET", SP_API_PROTOCOL_CONFIG, SP_PRINCIPAL_OPERATOR, SP_BODY_NONE, 0, sp_handle_protocol_config },
  { "GET", SP_API_PRATICHE, SP_PRINCIPAL_OPERATOR, SP_BODY_NONE, 0, sp_handle_dashboard },
  { "GET", SP_API_METRICS_SUMMARY, SP_PRINCIPAL_OPERATOR, SP_BODY_NONE, 0, sp_handle_metrics_summary },
  { "GET", SP_API_METRICS_PRATICHE, SP_PRINCIPAL_OPERATOR, SP_BODY_NONE, 0, sp_handle_metrics_pratiche },
  { "GET", SP_API_METRICS_PROCESSING, SP_PRINCIPAL_OPERATOR, SP_BODY_NONE, 0, sp_handle_metrics_processing },
  { "GET", SP_API_PRATICA, SP_PRINCIPAL_OPERATOR, SP_BODY_NONE, 0, sp_handle_pratica_detail },
  { "POST", SP_API_PRATICA_TAKE_CHARGE, SP_PRINCIPAL_OPERATOR, SP_BODY_NONE, 0, sp_handle_take_charge },
  { "GET", SP_API_PRATICA_DOCUMENT, SP_PRINCIPAL_OPERATOR, SP_BODY_NONE, 0, sp_handle_document },
  { "POST", SP_API_PRATICA_DOCUMENTS, SP_PRINCIPAL_OPERATOR, SP_BODY_FILE, SP_API_MAX_UPLOAD_BODY, sp_handle_upload,
    .admit = sp_handle_upload_admit },
  { "PUT", SP_API_PRATICA_PROCESSING, SP_PRINCIPAL_OPERATOR, SP_BODY_JSON, JSON_LIMIT, sp_handle_processing_save },
  { "POST", SP_API_PRATICA_CONCLUDE, SP_PRINCIPAL_OPERATOR, SP_BODY_NONE, 0, sp_handle_conclude },
  { "GET", SP_API_AUDIT_PRATICHE, SP_PRINCIPAL_AUDITOR, SP_BODY_NONE, 0, sp_handle_audit_search },
  { "GET", SP_API_AUDIT_VERSIONS, SP_PRINCIPAL_AUDITOR, SP_BODY_NONE, 0, sp_handle_audit_versions },
  { "GET", SP_API_AUDIT_COMPARE, SP_PRINCIPAL_AUDITOR, SP_BODY_NONE, 0, sp_handle_audit_compare },
  { "GET", SP_API_AUDIT_READS, SP_PRINCIPAL_AUDITOR, SP_BODY_NONE, 0, sp_handle_audit_reads },
  { "GET", SP_API_AUDIT_CHAIN, SP_PRINCIPAL_AUDITOR, SP_BODY_NONE, 0, sp_handle_audit_chain },
  { "GET", SP_API_PARTNER_SERVICES, SP_PRINCIPAL_PARTNER, SP_BODY_NONE, 0, sp_handle_partner_services },
  { "GET", SP_API_SCHEDA_INFORMATIVA, SP_PRINCIPAL_PARTNER, SP_BODY_NONE, 0, sp_handle_scheda_get },
  { "POST", SP_API_SCHEDA_INFORMATIVA, SP_PRINCIPAL_PARTNER, SP_BODY_JSON, JSON_LIMIT, sp_handle_scheda_post },
  { "POST", SP_API_SERVIZIO_TEXTS, SP_PRINCIPAL_PARTNER, SP_BODY_JSON, JSON_LIMIT, sp_handle_servizio_text },
  { "POST", SP_API_PARTNER_CREATE, SP_PRINCIPAL_PARTNER, SP_BODY_JSON, JSON_LIMIT, sp_handle_partner_create },
  { "POST", SP_API_PARTNER_PROTOCOLLI, SP_PRINCIPAL_PARTNER, SP_BODY_JSON_ARRAY, JSON_LIMIT,
    sp_handle_partner_protocolli },
  { "POST", SP_API_PARTNER_STATUS, SP_PRINCIPAL_PARTNER, SP_BODY_JSON, JSON_LIMIT, sp_handle_partner_status },
  { "GET", SP_API_LINK, SP_PRINCIPAL_ANYONE, SP_BODY_NONE, 0, sp_handle_link },
};

static const char *
segment_end (const char *segment)
{
  while (*segment != '\0' && *segment != '/')
    segment++;
  return segment;
}

/* A path parameter's value: its segment unescaped, never empty, never
 * holding a `/` (NULL otherwise). */
static char *
param_value (const char *segment,
             const char *end)
{
  char *value = g_uri_unescape_segment (segment, end, "/");

  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

/* Whether @path has the segments of @template: the same literals, and a
 * value for each `{name}`, stored in @params when it is not NULL. Walks
 * the two strings side by side: a request tries a few dozen routes. */
static gboolean
match_template (const char  *template,
                const char  *path,
                GHashTable  *params)
{
  const char *want = template;
  const char *have = path;

  for (;;)
    {
      const char *want_end = segment_end (want);
      const char *have_end = segment_end (have);
      gsize length = want_end - want;

      if (length > 2 && want[0] == '{' && want[length - 1] == '}')
        {
          char *value = param_value (have, have_end);

          if (value == NULL)
            return FALSE;
          if (params != NULL)
            g_hash_table_insert (params, g_strndup (want + 1, length - 2), value);
          else
            g_free (value);
        }
      else if ((gsize) (have_end - have) != length || memcmp (want, have, length) != 0)
        return FALSE;

      if (*want_end == '\0' || *have_end == '\0')
        return *want_end == *have_end;
      want = want_end + 1;
      have = have_end + 1;
    }
}

/**
 * sp_router_match:
 * @route: (out): the route, when found
 * @params: (out) (transfer full): the path parameters, when found
 *
 * Literal segments win over parameters: routes are tried in table order.
 */
SpRouteMatch
sp_router_match (const char      *method,
                 const char      *path,
                 const SpRoute  **route,
                 GHashTable     **params)
{
  gboolean path_known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!match_template (routes[i].path, path, NULL))
        continue;
      path_known = TRUE;
      if (!g_str_equal (routes[i].method, method))
        continue;

      *route = &routes[i];
      *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      match_template (routes[i].path, path, *params);
      return SP_ROUTE_FOUND;
    }
  return path_known ? SP_ROUTE_NO_METHOD : SP_ROUTE_NO_PATH;
}

/**
 * sp_router_max_body:
 * @body: (out): what the route's body is
 *
 * Returns: the largest body the route of @method and @path accepts
 */
gsize
sp_router_max_body (const char *method,
                    const char *path,
                    SpBody     *body)
{
  *body = SP_BODY_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (routes[i].method, method) && match_template (routes[i].path, path, NULL))
      {
        *body = routes[i].body;
        return MAX (routes[i].max_body, NO_BODY_LIMIT);
      }
  return NO_BODY_LIMIT;
}

/**
 * sp_router_allowed_methods:
 *
 * Returns: the methods the routes of @path accept, for an `Allow` header
 */
char *
sp_router_allowed_methods (const char *path)
{
  g_autoptr(GStrvBuilder) methods = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (match_template (routes[i].path, path, NULL))
      g_strv_builder_add (methods, routes[i].method);
  list = g_strv_builder_end (methods);
  return g_strjoinv (", ", list);
}

/**
 * sp_router_print:
 *
 * Prints "METHOD path" per route (`sportello-server --list-routes`).
 */
void
sp_router_print (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    printf ("%s %s\n", routes[i].method, routes[i].path);
}

/**
 * sp_router_get_routes:
 * @n_routes: (out): how many
 *
 * Returns: (array length=n_routes) (transfer none): the route table, for
 *   the tests that walk it
 */
const SpRoute *
sp_router_get_routes (gsize *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}
