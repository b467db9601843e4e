/* test-partner.c: the partner API: HTTP Basic and client certificates, the partner's scope, every endpoint */
#define G_LOG_DOMAIN "test-partner"

#include "config.h"

#include "sp-api.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

#define OTHER_PARTNER    "altro-partner"
#define OTHER_PASSWORD   "Segreto-altro-1"
#define LOCKED_PARTNER   "partner-bloccato"
#define LOCKED_PASSWORD  "Segreto-bloccato-1"

static SpTestEnv *env;
static PGconn *conn;

static void
set_basic (SoupMessage *message,
           const char  *user,
           const char  *password)
{
  g_autofree char *pair = g_strdup_printf ("%s:%s", user, password);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *basic = g_strdup_printf ("Basic %s", encoded);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", basic);
}

/* A request with HTTP Basic (@user NULL: none) on the environment's session. */
static SpTestResponse *
basic_request (const char *method,
               const char *path,
               const char *user,
               const char *password,
               const char *content_type,
               const char *body,
               gssize      body_len)
{
  g_autoptr(SoupMessage) message = sp_test_message_new (env, method, path, NULL, content_type, body, body_len);

  if (user != NULL)
    set_basic (message, user, password);
  return sp_test_send (sp_test_env_get_session (env), message);
}

/* A request on a new connection presenting the client certificate tls/@name.pem. */
static SpTestResponse *
certificate_request (const char *name,
                     const char *method,
                     const char *path)
{
  g_autofree char *cert = g_strdup_printf ("%s.pem", name);
  g_autofree char *key = g_strdup_printf ("%s.key", name);
  g_autofree char *cert_file = sp_test_env_get_tls_file (env, cert);
  g_autofree char *key_file = sp_test_env_get_tls_file (env, key);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;

  g_assert_no_error (error);
  session = sp_test_session_new (sp_test_env_get_ca_file (env), certificate);
  message = sp_test_message_new (env, method, path, NULL, NULL, NULL, 0);
  return sp_test_send (session, message);
}

static void
assert_challenge (SpTestResponse *response)
{
  const char *challenge = soup_message_headers_get_one (response->headers, "WWW-Authenticate");

  g_assert_nonnull (challenge);
  g_assert_true (g_str_has_prefix (challenge, "Basic realm="));
}

static void
assert_services (SpTestResponse *response)
{
  JsonArray *services;

  sp_test_assert_status (response, 200);
  services = json_object_get_array_member (sp_test_response_object (response), "services");
  g_assert_cmpuint (json_array_get_length (services), ==, 2);
}

static void
test_basic_right (void)
{
  g_autoptr(SpTestResponse) first = basic_request ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER,
                                                   SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  /* Again: from the cache, and still right. */
  g_autoptr(SpTestResponse) again = basic_request ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER,
                                                   SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);

  assert_services (first);
  assert_services (again);
}

static void
test_basic_wrong (void)
{
  /* After a right one is cached: a wrong password is not let in by the cache. */
  g_autoptr(SpTestResponse) right = basic_request ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER,
                                                   SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  g_autoptr(SpTestResponse) wrong = basic_request ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER,
                                                   "Segreto-partner-2", NULL, NULL, 0);
  g_autoptr(SpTestResponse) unknown = basic_request ("GET", SP_API_PARTNER_SERVICES, "nessuno",
                                                     SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  g_autoptr(SpTestResponse) empty = basic_request ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER, "", NULL, NULL, 0);

  sp_test_assert_status (right, 200);
  sp_test_assert_problem (wrong, 401, "invalid-credentials");
  assert_challenge (wrong);
  sp_test_assert_problem (unknown, 401, "invalid-credentials");
  sp_test_assert_problem (empty, 401, "invalid-credentials");
  sp_test_pg_command (conn, "UPDATE partner SET failed_logins = 0 WHERE slug = $1", SP_TEST_PG_ARGS (SP_TEST_PARTNER));
}

static void
test_basic_missing (void)
{
  g_autoptr(SpTestResponse) none = basic_request ("GET", SP_API_PARTNER_SERVICES, NULL, NULL, NULL, NULL, 0);
  const char *malformed[] = { "Basic", "Basic !!!!", "Basic bm9jb2xvbg==", "Digest x", "Basic OnNvbG9wYXNzd29yZA==" };

  sp_test_assert_problem (none, 401, "unauthenticated");
  assert_challenge (none);
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(SoupMessage) message = sp_test_message_new (env, "GET", SP_API_PARTNER_SERVICES, NULL, NULL, NULL, 0);
      g_autoptr(SpTestResponse) response = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", malformed[i]);
      response = sp_test_send (sp_test_env_get_session (env), message);
      g_test_message ("Authorization: %s", malformed[i]);
      sp_test_assert_problem (response, 401, "unauthenticated");
    }
}

static void
test_lockout (void)
{
  g_autoptr(SpTestResponse) locked = NULL;
  g_autoptr(SpTestResponse) right = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SpTestResponse) wrong = basic_request ("GET", SP_API_PARTNER_SERVICES, LOCKED_PARTNER, "sbagliata",
                                                       NULL, NULL, 0);

      sp_test_assert_problem (wrong, i < 4 ? 401 : 423, i < 4 ? "invalid-credentials" : "account-locked");
    }
  /* The right password does not open a locked partner. */
  right = basic_request ("GET", SP_API_PARTNER_SERVICES, LOCKED_PARTNER, LOCKED_PASSWORD, NULL, NULL, 0);
  sp_test_assert_problem (right, 423, "account-locked");
  g_assert_nonnull (json_object_get_string_member (sp_test_response_object (right), "locked_until"));

  sp_test_pg_command (conn, "UPDATE partner SET locked_until = now () - interval '1 second' WHERE slug = $1",
                      SP_TEST_PG_ARGS (LOCKED_PARTNER));
  locked = basic_request ("GET", SP_API_PARTNER_SERVICES, LOCKED_PARTNER, LOCKED_PASSWORD, NULL, NULL, 0);
  sp_test_assert_status (locked, 200);
}

static void
test_certificate_good (void)
{
  g_autoptr(SpTestResponse) response = certificate_request ("partner", "GET", SP_API_PARTNER_SERVICES);

  assert_services (response);
}

static void
test_certificate_refused (void)
{
  const struct { const char *name; const char *why; } refused[] = {
    { "partner-wrong-ca", "partner CA" },
    { "partner-expired", "expired" },
    { "stranger", "no partner" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(SpTestResponse) response = certificate_request (refused[i].name, "GET", SP_API_PARTNER_SERVICES);
      const char *detail;

      g_test_message ("certificate %s", refused[i].name);
      sp_test_assert_problem (response, 401, "unauthenticated");
      detail = json_object_get_string_member (sp_test_response_object (response), "detail");
      g_assert_nonnull (strstr (detail, refused[i].why));
    }
}

/* Operators' tokens open no partner route; partners' credentials no operator route. */
static void
test_wrong_kind_of_caller (void)
{
  g_autofree char *token = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_autoptr(SpTestResponse) operator = sp_test_request (env, "GET", SP_API_PARTNER_SERVICES, token, NULL, NULL, 0);
  g_autoptr(SpTestResponse) basic = basic_request ("GET", SP_API_PRATICHE, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD,
                                                   NULL, NULL, 0);
  g_autoptr(SpTestResponse) certificate = certificate_request ("partner", "GET", SP_API_PRATICHE);

  sp_test_assert_problem (operator, 403, "forbidden");
  sp_test_assert_problem (basic, 401, "unauthenticated");
  sp_test_assert_problem (certificate, 401, "unauthenticated");
}

/* A partner sees the services granted to it, with their field schema. */
static void
test_services_scope (void)
{
  g_autoptr(SpTestResponse) other = basic_request ("GET", SP_API_PARTNER_SERVICES, OTHER_PARTNER, OTHER_PASSWORD,
                                                   NULL, NULL, 0);
  g_autoptr(SpTestResponse) mine = basic_request ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER,
                                                  SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  JsonArray *services;
  JsonObject *service;

  sp_test_assert_status (other, 200);
  services = json_object_get_array_member (sp_test_response_object (other), "services");
  g_assert_cmpuint (json_array_get_length (services), ==, 1);
  service = json_array_get_object_element (services, 0);
  g_assert_cmpstr (json_object_get_string_member (service, "slug"), ==, SP_TEST_SERVIZIO_OTHER);

  sp_test_assert_status (mine, 200);
  services = json_object_get_array_member (sp_test_response_object (mine), "services");
  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      service = json_array_get_object_element (services, i);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (service, "fields")), >, 0);
      g_assert_cmpint (json_object_get_boolean_member (service, "can_create"), ==,
                       g_str_equal (json_object_get_string_member (service, "slug"), SP_TEST_SERVIZIO_EXTERNAL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/partner/auth/basic-right", test_basic_right);
  g_test_add_func ("/sportello/partner/auth/basic-wrong", test_basic_wrong);
  g_test_add_func ("/sportello/partner/auth/basic-missing", test_basic_missing);
  g_test_add_func ("/sportello/partner/auth/lockout", test_lockout);
  g_test_add_func ("/sportello/partner/auth/certificate-good", test_certificate_good);
  g_test_add_func ("/sportello/partner/auth/certificate-refused", test_certificate_refused);
  g_test_add_func ("/sportello/partner/auth/wrong-kind-of-caller", test_wrong_kind_of_caller);
  g_test_add_func ("/sportello/partner/services/scope", test_services_scope);

  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  g_assert_true (sp_test_env_admin (env, OTHER_PASSWORD, NULL, &error, "partner-create", OTHER_PARTNER,
                                    "--name", "Altro partner", "--password-stdin",
                                    "--servizi", SP_TEST_OTHER_ENTE ":" SP_TEST_SERVIZIO_OTHER, NULL));
  g_assert_no_error (error);
  g_assert_true (sp_test_env_admin (env, LOCKED_PASSWORD, NULL, &error, "partner-create", LOCKED_PARTNER,
                                    "--name", "Partner da bloccare", "--password-stdin",
                                    "--servizi", SP_TEST_ENTE ":" SP_TEST_SERVIZIO_INTERNAL, NULL));
  g_assert_no_error (error);

  status = g_test_run ();

  g_clear_pointer (&conn, PQfinish);
  sp_test_env_stop (env);
  return status;
}
