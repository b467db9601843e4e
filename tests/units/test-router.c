/* test-router.c: request paths matched against the route table: literals, parameters, their decoding, what is refused */
#define G_LOG_DOMAIN "test-router"

#include "config.h"

#include "sp-api.h"
#include "sp-router.h"

#define STATUS_PATH SP_API_PREFIX "/prova/pratica/%s/status"

/* Matches @method and @path; returns the parameter @name (or NULL), having
 * checked the outcome is @expected. */
static char *
match (const char   *method,
       const char   *path,
       SpRouteMatch  expected,
       const char   *name)
{
  g_autoptr(GHashTable) params = NULL;
  const SpRoute *route = NULL;
  SpRouteMatch found = sp_router_match (method, path, &route, &params);

  g_assert_cmpint (found, ==, expected);
  if (found != SP_ROUTE_FOUND)
    return NULL;
  g_assert_cmpstr (route->method, ==, method);
  return name != NULL ? g_strdup (g_hash_table_lookup (params, name)) : NULL;
}

static char *
status_param (const char   *pratica,
              SpRouteMatch  expected,
              const char   *name)
{
  g_autofree char *path = g_strdup_printf (STATUS_PATH, pratica);

  return match ("POST", path, expected, name);
}

/* Literal routes, and every parameter of a route with two. */
static void
test_found (void)
{
  g_autofree char *partner = status_param ("BENCH-1", SP_ROUTE_FOUND, "partner");
  g_autofree char *pratica = status_param ("BENCH-1", SP_ROUTE_FOUND, "pratica");

  g_assert_null (match ("GET", SP_API_PARTNER_SERVICES, SP_ROUTE_FOUND, NULL));
  g_assert_null (match ("GET", SP_API_HEALTH, SP_ROUTE_FOUND, NULL));
  g_assert_cmpstr (partner, ==, "prova");
  g_assert_cmpstr (pratica, ==, "BENCH-1");
}

/* A parameter is its segment decoded: a space, an accented letter. */
static void
test_decoded (void)
{
  g_autofree char *spaced = status_param ("PG%202026", SP_ROUTE_FOUND, "pratica");
  g_autofree char *accented = status_param ("citt%C3%A0", SP_ROUTE_FOUND, "pratica");

  g_assert_cmpstr (spaced, ==, "PG 2026");
  g_assert_cmpstr (accented, ==, "città");
}

/* An empty parameter, one that decodes to a `/` or does not decode, a
 * segment more or less, another literal: no route has that path. */
static void
test_refused (void)
{
  g_assert_null (status_param ("", SP_ROUTE_NO_PATH, NULL));
  g_assert_null (status_param ("a%2Fb", SP_ROUTE_NO_PATH, NULL));
  g_assert_null (status_param ("%zz", SP_ROUTE_NO_PATH, NULL));
  g_assert_null (status_param ("a/b", SP_ROUTE_NO_PATH, NULL));
  g_assert_null (match ("GET", SP_API_PARTNER_SERVICES "/", SP_ROUTE_NO_PATH, NULL));
  g_assert_null (match ("GET", SP_API_PREFIX "/service", SP_ROUTE_NO_PATH, NULL));
  g_assert_null (match ("GET", SP_API_PREFIX "/servicesx", SP_ROUTE_NO_PATH, NULL));
  g_assert_null (match ("GET", "/", SP_ROUTE_NO_PATH, NULL));
  g_assert_null (match ("GET", "", SP_ROUTE_NO_PATH, NULL));
}

/* A known path with another method: 405, and the methods it has. */
static void
test_no_method (void)
{
  g_autofree char *allowed = sp_router_allowed_methods (SP_API_PARTNER_SERVICES);

  g_assert_null (match ("DELETE", SP_API_PARTNER_SERVICES, SP_ROUTE_NO_METHOD, NULL));
  g_assert_null (match ("GET", SP_API_PREFIX "/prova/pratica/BENCH-1/status", SP_ROUTE_NO_METHOD, NULL));
  g_assert_cmpstr (allowed, ==, "GET");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/router/found", test_found);
  g_test_add_func ("/router/decoded", test_decoded);
  g_test_add_func ("/router/refused", test_refused);
  g_test_add_func ("/router/no-method", test_no_method);
  return g_test_run ();
}
