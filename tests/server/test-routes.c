/* test-routes.c: every route of the server's table, called by every kind of caller, answers as its entry says */
#define G_LOG_DOMAIN "test-routes"

#include "config.h"

#include "sp-api.h"
#include "sp-router.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

#define EXPIRED_OPERATOR  "rt.scaduto"
#define REVOKED_OPERATOR  "rt.uscito"
#define LIMITED_OPERATOR  "rt.residenza"   /* enabled for SP_TEST_SERVIZIO_INTERNAL alone */

typedef enum
{
  CALLER_ANONYMOUS,
  CALLER_EXPIRED,
  CALLER_REVOKED,
  CALLER_OTHER_ENTE,
  CALLER_WITHOUT_SERVICE,
  CALLER_WITH_SERVICE,
  CALLER_AUDITOR,
  CALLER_PARTNER,
  N_CALLERS
} Caller;

/* Who each caller is: the kind of principal its credentials make, when they
 * are valid (0: no valid credentials at all), and its account. */
static const struct
{
  const char *name;
  guint       kind;
  const char *username;
} callers[N_CALLERS] = {
  [CALLER_ANONYMOUS] = { "anonymous", 0, NULL },
  [CALLER_EXPIRED] = { "expired token", 0, EXPIRED_OPERATOR },
  [CALLER_REVOKED] = { "revoked token", 0, REVOKED_OPERATOR },
  [CALLER_OTHER_ENTE] = { "operator of another ente", SP_PRINCIPAL_OPERATORE, SP_TEST_OTHER_OPERATOR },
  [CALLER_WITHOUT_SERVICE] = { "operator without the service", SP_PRINCIPAL_OPERATORE, LIMITED_OPERATOR },
  [CALLER_WITH_SERVICE] = { "operator with the service", SP_PRINCIPAL_OPERATORE, SP_TEST_OPERATOR },
  [CALLER_AUDITOR] = { "auditor", SP_PRINCIPAL_AUDITOR, SP_TEST_AUDITOR },
  [CALLER_PARTNER] = { "partner credentials", SP_PRINCIPAL_PARTNER, NULL },
};

/* What a caller the route accepts gets: @in_scope when the pratica of the
 * path is in its scope (or the route has none), @out_of_scope otherwise;
 * with @names_pratica, only an answer to a caller in scope names the
 * fixture's pratica. @query follows the path. */
typedef struct
{
  const char *method;
  const char *path;
  guint       in_scope;
  guint       out_of_scope;
  gboolean    names_pratica;
  const char *query;
} Expectation;

/* One per route of the table; a route missing here fails the test. The
 * pratica of {pratica} is SP_TEST_OPERATOR2's (so taking it is refused as
 * already taken), of SP_TEST_SERVIZIO_EXTERNAL; requests carry no body. */
static const Expectation expectations[] = {
  { "GET", SP_API_HEALTH, 200, 200, FALSE, NULL },
  { "GET", SP_API_OPENAPI, 200, 200, FALSE, NULL },
  { "GET", SP_API_PROMETHEUS, 404, 404, FALSE, NULL },   /* off without [metrics] */
  { "POST", SP_API_LOGIN, 415, 415, FALSE, NULL },
  { "POST", SP_API_LOGOUT, 204, 204, FALSE, NULL },
  { "GET", SP_API_ME, 200, 200, FALSE, NULL },
  { "GET", SP_API_PROTOCOL_CONFIG, 200, 200, FALSE, NULL },
  { "GET", SP_API_PRATICHE, 200, 200, TRUE, "?bucket=tutte" },
  { "GET", SP_API_PRATICA, 200, 404, TRUE, NULL },
  { "POST", SP_API_PRATICA_TAKE_CHARGE, 409, 404, FALSE, NULL },
  { "GET", SP_API_PRATICA_DOCUMENT, 200, 404, FALSE, NULL },
  /* No file name: refused at the headers, whoever asks. */
  { "POST", SP_API_PRATICA_DOCUMENTS, 400, 400, FALSE, NULL },
  { "PUT", SP_API_PRATICA_PROCESSING, 415, 415, FALSE, NULL },
  /* Not the operator in charge. */
  { "POST", SP_API_PRATICA_CONCLUDE, 403, 404, FALSE, NULL },
  /* A citizen's link, whoever calls: this one is signed by nobody (this
   * server has no [links] secret-file). */
  { "GET", SP_API_LINK, 403, 403, FALSE, NULL },
  /* The partner API: partners only. */
  { "GET", SP_API_PARTNER_SERVICES, 200, 200, FALSE, NULL },
  /* No body: refused once the partner is known. */
  { "POST", SP_API_PARTNER_STATUS, 415, 415, FALSE, NULL },
  { "POST", SP_API_PARTNER_CREATE, 415, 415, FALSE, NULL },
  { "POST", SP_API_PARTNER_PROTOCOLLI, 415, 415, FALSE, NULL },
  { "GET", SP_API_SCHEDA_INFORMATIVA, 200, 200, FALSE, NULL },
  { "POST", SP_API_SCHEDA_INFORMATIVA, 415, 415, FALSE, NULL },
  { "POST", SP_API_SERVIZIO_TEXTS, 415, 415, FALSE, NULL },
  /* The usage metrics: operators, their services. */
  { "GET", SP_API_METRICS_SUMMARY, 200, 200, FALSE, NULL },
  { "GET", SP_API_METRICS_PRATICHE, 200, 200, FALSE, "?window=1d" },
  { "GET", SP_API_METRICS_PROCESSING, 200, 200, FALSE, "?window=30d" },
  /* The audit: auditors only, the pratiche of their ente. */
  { "GET", SP_API_AUDIT_PRATICHE, 200, 200, FALSE, "?q=rossi" },
  { "GET", SP_API_AUDIT_VERSIONS, 200, 404, TRUE, NULL },
  { "GET", SP_API_AUDIT_COMPARE, 200, 404, FALSE, "?from=1&to=1" },
  { "GET", SP_API_AUDIT_READS, 200, 404, FALSE, NULL },
  { "GET", SP_API_AUDIT_CHAIN, 200, 404, FALSE, NULL },
};

static SpTestEnv *env;
static PGconn *conn;
static char *pratica_id;
static char *document_id;

static const Expectation *
find_expectation (const SpRoute *route)
{
  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    if (g_str_equal (expectations[i].method, route->method) && g_str_equal (expectations[i].path, route->path))
      return &expectations[i];
  return NULL;
}

/* The route's path with the fixture's pratica and document in it, and the query. */
static char *
fill_path (const char *template,
           const char *query)
{
  g_auto(GStrv) segments = g_strsplit (template, "/", -1);

  for (guint i = 0; segments[i] != NULL; i++)
    {
      const char *value = NULL;

      if (g_str_equal (segments[i], "{pratica}"))
        value = pratica_id;
      else if (g_str_equal (segments[i], "{document}"))
        value = document_id;
      else if (g_str_equal (segments[i], "{partner}"))
        value = SP_TEST_PARTNER;
      else if (g_str_equal (segments[i], "{servizio}"))
        value = SP_TEST_SERVIZIO_EXTERNAL;
      else if (g_str_equal (segments[i], "{ente}"))
        value = SP_TEST_ENTE;
      else if (g_str_equal (segments[i], "{step}"))
        value = "dati";
      else if (g_str_equal (segments[i], "{token}"))
        value = "PyuMHpp9TiG1xA1uj5obLAAAAQAAAAAAeHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHg";
      else if (segments[i][0] == '{')
        g_error ("No value for the path parameter %s of %s", segments[i], template);
      if (value != NULL)
        {
          g_free (segments[i]);
          segments[i] = g_strdup (value);
        }
    }
  {
    g_autofree char *path = g_strjoinv ("/", segments);

    return g_strconcat (path, query, NULL);
  }
}

/* Whether @caller may see the fixture's pratica (of SP_TEST_SERVIZIO_EXTERNAL). */
static gboolean
in_scope (Caller caller)
{
  return caller == CALLER_WITH_SERVICE || caller == CALLER_AUDITOR;
}

/* A token as @caller holds it: fresh, since a route may end its session. */
static char *
credentials_token (Caller caller)
{
  g_autofree char *token = NULL;

  if (callers[caller].username == NULL)
    return NULL;
  token = sp_test_login (env, callers[caller].username, SP_TEST_PASSWORD);
  g_assert_nonnull (token);
  if (caller == CALLER_EXPIRED)
    sp_test_pg_command (conn,
                        "UPDATE session SET expires_at = now () - interval '1 minute'"
                        " WHERE account_id = (SELECT id FROM account WHERE username = $1)",
                        SP_TEST_PG_ARGS (callers[caller].username));
  else if (caller == CALLER_REVOKED)
    {
      g_autoptr(SpTestResponse) logout = sp_test_request (env, "POST", SP_API_LOGOUT, token, NULL, NULL, 0);

      sp_test_assert_status (logout, 204);
    }
  return g_steal_pointer (&token);
}

static SpTestResponse *
call (const SpRoute     *route,
      const Expectation *expectation,
      Caller             caller)
{
  g_autofree char *path = fill_path (route->path, expectation->query);
  g_autofree char *token = credentials_token (caller);
  g_autoptr(SoupMessage) message = sp_test_message_new (env, route->method, path, token, NULL, NULL, 0);

  if (caller == CALLER_PARTNER)
    {
      g_autofree char *pair = g_strdup_printf ("%s:%s", SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *basic = g_strdup_printf ("Basic %s", encoded);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", basic);
    }
  return sp_test_send (sp_test_env_get_session (env), message);
}

/* The status the route's entry promises @caller. */
static guint
expected_status (const SpRoute     *route,
                 const Expectation *expectation,
                 Caller             caller)
{
  /* A public route reads nobody's credentials. */
  if ((route->principals & SP_PRINCIPAL_ANONYMOUS) != 0)
    return expectation->in_scope;
  if (callers[caller].kind == 0 || caller == CALLER_PARTNER)
    {
      /* Partners authenticate only where partners are accepted. */
      if ((route->principals & callers[caller].kind) == 0)
        return 401;
    }
  else if ((route->principals & callers[caller].kind) == 0)
    return 403;
  return in_scope (caller) || expectation->out_of_scope == expectation->in_scope
         ? expectation->in_scope : expectation->out_of_scope;
}

static void
test_every_route_has_an_entry (void)
{
  gsize n_routes;
  const SpRoute *routes = sp_router_get_routes (&n_routes);

  g_assert_cmpuint (n_routes, >, 0);
  for (gsize i = 0; i < n_routes; i++)
    {
      g_test_message ("%s %s: callers %#x", routes[i].method, routes[i].path, routes[i].principals);
      if (routes[i].principals == 0)
        g_test_fail_printf ("%s %s says nobody may call it", routes[i].method, routes[i].path);
      if (find_expectation (&routes[i]) == NULL)
        g_test_fail_printf ("%s %s has no expectation in test-routes.c", routes[i].method, routes[i].path);
    }

  /* And no expectation outlives its route. */
  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    {
      gboolean found = FALSE;

      for (gsize j = 0; j < n_routes; j++)
        found = found || (g_str_equal (expectations[i].method, routes[j].method)
                          && g_str_equal (expectations[i].path, routes[j].path));
      if (!found)
        g_test_fail_printf ("The expectation for %s %s has no route", expectations[i].method, expectations[i].path);
    }
}

static void
test_every_route_by_every_caller (void)
{
  gsize n_routes;
  const SpRoute *routes = sp_router_get_routes (&n_routes);

  for (gsize i = 0; i < n_routes; i++)
    {
      const Expectation *expectation = find_expectation (&routes[i]);

      if (expectation == NULL)
        continue;   /* test_every_route_has_an_entry() fails */
      for (Caller caller = 0; caller < N_CALLERS; caller++)
        {
          g_autoptr(SpTestResponse) response = call (&routes[i], expectation, caller);
          guint expected = expected_status (&routes[i], expectation, caller);

          g_test_message ("%s %s by %s: %u (expected %u)", routes[i].method, routes[i].path,
                          callers[caller].name, response->status, expected);
          if (response->status != expected)
            g_test_fail_printf ("%s %s by %s: HTTP %u, expected %u: %s", routes[i].method, routes[i].path,
                                callers[caller].name, response->status, expected,
                                sp_test_response_text (response));
          else if (expected == 401 || expected == 403)
            /* The API answers problems; a citizen's link, a page. */
            g_assert_cmpstr (response->content_type, ==,
                             g_str_has_prefix (routes[i].path, SP_API_PREFIX "/") ? "application/problem+json"
                                                                                 : "text/html");
          else if (expectation->names_pratica
                   && (strstr (sp_test_response_text (response), pratica_id) != NULL) != in_scope (caller))
            g_test_fail_printf ("%s %s by %s: the pratica is %s the answer", routes[i].method, routes[i].path,
                                callers[caller].name, in_scope (caller) ? "missing from" : "in");
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  SpTestPratica spec = {
    .servizio = SP_TEST_SERVIZIO_EXTERNAL, .status = 4000, .assigned_to = SP_TEST_OPERATOR2,
    .protocol_number = "PG/2026/0000042",
  };
  g_autoptr(PGresult) document = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/sportello/routes/every-route-has-an-entry", test_every_route_has_an_entry);
  g_test_add_func ("/sportello/routes/every-caller", test_every_route_by_every_caller);

  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  sp_test_operator_create (conn, SP_TEST_ENTE, EXPIRED_OPERATOR, "Operatore Scaduto", SP_TEST_SERVIZIO_EXTERNAL);
  sp_test_operator_create (conn, SP_TEST_ENTE, REVOKED_OPERATOR, "Operatore Uscito", SP_TEST_SERVIZIO_EXTERNAL);
  sp_test_operator_create (conn, SP_TEST_ENTE, LIMITED_OPERATOR, "Operatore Residenza", SP_TEST_SERVIZIO_INTERNAL);
  pratica_id = sp_test_pratica_insert (conn, &spec);
  g_assert_cmpint (sp_test_version_append (conn, pratica_id, "Protocollazione", "Sistema", "sistema"), ==, 1);
  sp_test_pg_command (conn, "UPDATE servizio SET scheda_informativa = '{\"data\": {}, \"metadata\": null}'"
                      " WHERE slug = $1", SP_TEST_PG_ARGS (SP_TEST_SERVIZIO_EXTERNAL));
  document = sp_test_pg_exec (conn,
                              "INSERT INTO document (pratica_id, kind, filename, mime_type, size, sha256, content_oid)"
                              " VALUES ($1::uuid, 'allegato', 'nota.txt', 'text/plain', 5,"
                              "         encode (sha256 ('nota\n'), 'hex'), lo_from_bytea (0, 'nota\n'))"
                              " RETURNING id",
                              SP_TEST_PG_ARGS (pratica_id));
  document_id = g_strdup (PQgetvalue (document, 0, 0));

  status = g_test_run ();

  g_free (document_id);
  g_free (pratica_id);
  g_clear_pointer (&conn, PQfinish);
  sp_test_env_stop (env);
  return status;
}
