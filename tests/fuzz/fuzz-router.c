/* fuzz-router.c: fuzz target for the route table's matching of request methods and paths */
#define G_LOG_DOMAIN "fuzz"

#include "config.h"

#include "sp-fuzz-replay.h"
#include "sp-router.h"

/* The input is "METHOD path": the first line's first word, then the rest. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  const char *space = strchr (text, ' ');
  g_autofree char *method = g_strndup (text, space != NULL ? (gsize) (space - text) : strlen (text));
  const char *path = space != NULL ? space + 1 : "/";
  g_autoptr(GHashTable) params = NULL;
  const SpRoute *route = NULL;
  g_autofree char *allowed = sp_router_allowed_methods (path);
  g_auto(GStrv) methods = g_strsplit (allowed, ", ", -1);
  gboolean listed = g_strv_contains ((const char * const *) methods, method);

  /* The three answers must agree: a route found is listed in Allow with its
   * method, a path without routes has no Allow, a wrong method is not listed. */
  switch (sp_router_match (method, path, &route, &params))
    {
    case SP_ROUTE_FOUND:
      g_assert_nonnull (route);
      g_assert_nonnull (params);
      g_assert_cmpstr (route->method, ==, method);
      g_assert_true (listed);
      {
        SpBody body;

        g_assert_cmpuint (sp_router_max_body (method, path, &body), >=, route->max_body);
        g_assert_cmpint (body, ==, route->body);
      }
      /* Parameters are decoded and never empty. */
      {
        GHashTableIter iter;
        gpointer value;

        g_hash_table_iter_init (&iter, params);
        while (g_hash_table_iter_next (&iter, NULL, &value))
          g_assert_cmpuint (strlen (value), >, 0);
      }
      break;

    case SP_ROUTE_NO_PATH:
      g_assert_cmpstr (allowed, ==, "");
      break;

    case SP_ROUTE_NO_METHOD:
      g_assert_cmpstr (allowed, !=, "");
      g_assert_false (listed);
      break;

    default:
      g_assert_not_reached ();
    }
  return 0;
}
