/* test-partner.c: the partner API's callers: HTTP Basic and client certificates, the partner's scope, its services, their administration */
#define G_LOG_DOMAIN "test-partner"

#include "config.h"

#include "sp-api.h"
#include "sp-json.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-partner.h"
#include "sp-test-pg.h"

static SpTestEnv *env;
static PGconn *conn;

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

/* The database announces a change of partners and services to every server
 * process (LISTEN/NOTIFY), which drops what it kept of them: a change made
 * elsewhere takes effect a moment later. Sends @send until its answer has
 * @status, for a few seconds at most; returns the last answer. */
typedef SpTestResponse *(*SendFunc) (void);

static SpTestResponse *
eventually (SendFunc send,
            guint    status)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (5 * sp_test_time_scale () * G_USEC_PER_SEC);
  SpTestResponse *response = send ();

  while (response->status != status && g_get_monotonic_time () < deadline)
    {
      sp_test_response_free (response);
      g_usleep (G_USEC_PER_SEC / 20);
      response = send ();
    }
  return response;
}

static SpTestResponse *
other_services_old_password (void)
{
  return sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, OTHER_PARTNER, OTHER_PASSWORD, NULL, NULL, 0);
}

static SpTestResponse *
stranger_services (void)
{
  return certificate_request ("stranger", "GET", SP_API_PARTNER_SERVICES);
}

static guint
services_count (SpTestResponse *response)
{
  sp_test_assert_status (response, 200);
  return json_array_get_length (json_object_get_array_member (sp_test_response_object (response), "services"));
}

/* The other partner's services, once there are @n of them (see eventually()). */
static guint
eventually_other_services (guint n)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (5 * sp_test_time_scale () * G_USEC_PER_SEC);
  guint count;

  while (TRUE)
    {
      g_autoptr(SpTestResponse) response = other_services_old_password ();

      count = services_count (response);
      if (count == n || g_get_monotonic_time () >= deadline)
        return count;
      g_usleep (G_USEC_PER_SEC / 20);
    }
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
  g_assert_cmpuint (json_array_get_length (services), ==, 3);   /* both of SP_TEST_ENTE, and NO_PROTOCOL */
}

static void
test_basic_right (void)
{
  g_autoptr(SpTestResponse) first = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER,
                                                   SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  /* Again: from the cache, and still right. */
  g_autoptr(SpTestResponse) again = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER,
                                                   SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);

  assert_services (first);
  assert_services (again);
}

static void
test_basic_wrong (void)
{
  /* After a right one is cached: a wrong password is not let in by the cache. */
  g_autoptr(SpTestResponse) right = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER,
                                                   SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  g_autoptr(SpTestResponse) wrong = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER,
                                                   "Segreto-partner-2", NULL, NULL, 0);
  g_autoptr(SpTestResponse) unknown = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, "nessuno",
                                                     SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  g_autoptr(SpTestResponse) empty = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER, "", NULL, NULL, 0);

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
  g_autoptr(SpTestResponse) none = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, NULL, NULL, NULL, NULL, 0);
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
      g_autoptr(SpTestResponse) wrong = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, LOCKED_PARTNER, "sbagliata",
                                                       NULL, NULL, 0);

      sp_test_assert_problem (wrong, i < 4 ? 401 : 423, i < 4 ? "invalid-credentials" : "account-locked");
    }
  /* The right password does not open a locked partner. */
  right = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, LOCKED_PARTNER, LOCKED_PASSWORD, NULL, NULL, 0);
  sp_test_assert_problem (right, 423, "account-locked");
  g_assert_nonnull (json_object_get_string_member (sp_test_response_object (right), "locked_until"));

  sp_test_pg_command (conn, "UPDATE partner SET locked_until = now () - interval '1 second' WHERE slug = $1",
                      SP_TEST_PG_ARGS (LOCKED_PARTNER));
  locked = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, LOCKED_PARTNER, LOCKED_PASSWORD, NULL, NULL, 0);
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
  g_autoptr(SpTestResponse) basic = sp_test_partner_basic ("GET", SP_API_PRATICHE, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD,
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
  g_autoptr(SpTestResponse) other = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, OTHER_PARTNER, OTHER_PASSWORD,
                                                   NULL, NULL, 0);
  g_autoptr(SpTestResponse) mine = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER,
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

static void
test_scheda_informativa (void)
{
  const char *path = SP_API_PREFIX "/schedaInformativa/" SP_TEST_SERVIZIO_EXTERNAL "/" SP_TEST_ENTE;
  const char *scheda = "{\"data\": {\"titolo\": \"SCIA\", \"costi\": [1, 2.5], \"nota\": \"'; DROP TABLE servizio; --\"},"
                       " \"metadata\": {\"versione\": 3}}";
  g_autoptr(SpTestResponse) none = sp_test_partner_basic ("GET", path, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  g_autoptr(SpTestResponse) stored = sp_test_partner_basic ("POST", path, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD,
                                                    "application/json", scheda, -1);
  g_autoptr(SpTestResponse) read = sp_test_partner_basic ("GET", path, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  g_autoptr(SpTestResponse) bad = sp_test_partner_basic ("POST", path, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD,
                                                 "application/json", "{\"metadata\": 1, \"altro\": 2}", -1);
  g_autoptr(SpTestResponse) other = sp_test_partner_basic ("GET", path, OTHER_PARTNER, OTHER_PASSWORD, NULL, NULL, 0);
  g_autoptr(SpTestResponse) other_ente = sp_test_partner_basic ("GET", SP_API_PREFIX "/schedaInformativa/" SP_TEST_SERVIZIO_EXTERNAL
                                                        "/" SP_TEST_OTHER_ENTE, SP_TEST_PARTNER,
                                                        SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  g_autofree char *updated = NULL;
  g_autoptr(SpTestResponse) again = NULL;
  g_autofree char *after = NULL;

  sp_test_assert_problem (none, 404, "not-found");
  sp_test_assert_status (stored, 204);
  sp_test_assert_status (read, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sp_test_response_object (read), "data"),
                                                  "nota"), ==, "'; DROP TABLE servizio; --");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (sp_test_response_object (read), "metadata"),
                                               "versione"), ==, 3);
  sp_test_assert_problem (bad, 422, "validation");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sp_test_response_object (bad), "errors")), ==, 3);
  sp_test_assert_problem (other, 404, "not-found");
  sp_test_assert_problem (other_ente, 404, "not-found");

  /* A GET never writes. */
  updated = sp_test_pg_value (conn, "SELECT updated_at FROM servizio WHERE slug = $1", SP_TEST_PG_ARGS (SP_TEST_SERVIZIO_EXTERNAL));
  again = sp_test_partner_basic ("GET", path, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  sp_test_assert_status (again, 200);
  after = sp_test_pg_value (conn, "SELECT updated_at FROM servizio WHERE slug = $1", SP_TEST_PG_ARGS (SP_TEST_SERVIZIO_EXTERNAL));
  g_assert_cmpstr (updated, ==, after);
}

/* A scheda informativa keeps the numbers as the partner wrote them, in the
 * database and when read back. */
static void
test_scheda_numbers (void)
{
  const char *path = SP_API_PREFIX "/schedaInformativa/" SP_TEST_SERVIZIO_EXTERNAL "/" SP_TEST_ENTE;
  const char *scheda = "{\"data\": {\"costo\": 19.99, \"n\": 100000000000000000000, \"x\": 1.10,"
                       " \"tariffe\": [0.1, 1e400, -9223372036854775809]}, \"metadata\": {\"versione\": 3.0}}";
  const char *without_metadata = "{\"data\": 19.99}";
  g_autoptr(SpTestResponse) stored = sp_test_partner_basic ("POST", path, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD,
                                                            "application/json", scheda, -1);
  g_autoptr(SpTestResponse) read = sp_test_partner_basic ("GET", path, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD,
                                                          NULL, NULL, 0);
  g_autoptr(SpTestResponse) plain = NULL;
  g_autoptr(SpTestResponse) plain_read = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *zeros = NULL;

  sp_test_assert_status (stored, 204);
  text = sp_test_pg_value (conn, "SELECT scheda_informativa #>> '{data}' FROM servizio WHERE slug = $1",
                           SP_TEST_PG_ARGS (SP_TEST_SERVIZIO_EXTERNAL));
  zeros = g_strnfill (400, '0');
  expected = g_strdup_printf ("{\"n\": 100000000000000000000, \"x\": 1.10, \"costo\": 19.99, \"tariffe\": [0.1, 1%s,"
                              " -9223372036854775809]}", zeros);
  g_assert_cmpstr (text, ==, expected);
  g_free (text);
  text = sp_test_pg_value (conn, "SELECT scheda_informativa #>> '{metadata}' FROM servizio WHERE slug = $1",
                           SP_TEST_PG_ARGS (SP_TEST_SERVIZIO_EXTERNAL));
  g_assert_cmpstr (text, ==, "{\"versione\": 3.0}");

  /* Read back: what the database holds, byte for byte. */
  sp_test_assert_status (read, 200);
  g_free (text);
  text = sp_test_pg_value (conn, "SELECT scheda_informativa::text FROM servizio WHERE slug = $1",
                           SP_TEST_PG_ARGS (SP_TEST_SERVIZIO_EXTERNAL));
  g_assert_cmpstr (sp_test_response_text (read), ==, text);

  /* Any value is data; no metadata is null. */
  plain = sp_test_partner_basic ("POST", path, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD, "application/json",
                                 without_metadata, -1);
  sp_test_assert_status (plain, 204);
  plain_read = sp_test_partner_basic ("GET", path, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  sp_test_assert_status (plain_read, 200);
  g_assert_cmpstr (sp_test_response_text (plain_read), ==, "{\"data\": 19.99, \"metadata\": null}");
}

static void
test_servizio_texts (void)
{
  const char *path = SP_API_PREFIX "/servizioTexts/" SP_TEST_SERVIZIO_EXTERNAL "/" SP_TEST_ENTE "/dati";
  g_autoptr(SpTestResponse) stored = sp_test_partner_basic ("POST", path, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD,
                                                    "application/json", "{\"text\": \"Allegare la planimetria.\"}", -1);
  g_autoptr(SpTestResponse) empty = sp_test_partner_basic ("POST", path, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD,
                                                   "application/json", "{\"text\": 5}", -1);
  g_autoptr(SpTestResponse) bad_step = sp_test_partner_basic ("POST", SP_API_PREFIX "/servizioTexts/" SP_TEST_SERVIZIO_EXTERNAL "/"
                                                      SP_TEST_ENTE "/da%20ti", SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD,
                                                      "application/json", "{\"text\": \"x\"}", -1);
  g_autoptr(SpTestResponse) services = NULL;
  JsonArray *list;
  gboolean found = FALSE;

  sp_test_assert_status (stored, 204);
  sp_test_assert_problem (empty, 422, "validation");
  sp_test_assert_problem (bad_step, 404, "not-found");
  services = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD, NULL, NULL, 0);
  list = json_object_get_array_member (sp_test_response_object (services), "services");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *service = json_array_get_object_element (list, i);

      if (g_str_equal (json_object_get_string_member (service, "slug"), SP_TEST_SERVIZIO_EXTERNAL))
        found = g_strcmp0 (sp_json_get_string (json_object_get_object_member (service, "texts"), "dati", NULL),
                           "Allegare la planimetria.") == 0;
    }
  g_assert_true (found);
}

static void
admin (const char *stdin_text,
       const char *first_arg,
       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  va_list args;

  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  while (argv->len < 8)
    g_ptr_array_add (argv, NULL);
  g_assert_true (sp_test_env_admin (env, stdin_text, &out, &error, argv->pdata[0], argv->pdata[1], argv->pdata[2],
                                    argv->pdata[3], argv->pdata[4], argv->pdata[5], argv->pdata[6], argv->pdata[7],
                                    NULL));
  g_assert_no_error (error);
}

/* sportello-admin: a new password works at once and the old one (cached) no more. */
static void
test_admin_password (void)
{
  g_autoptr(SpTestResponse) before = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, OTHER_PARTNER, OTHER_PASSWORD,
                                                    NULL, NULL, 0);
  g_autoptr(SpTestResponse) old = NULL;
  g_autoptr(SpTestResponse) new = NULL;

  sp_test_assert_status (before, 200);
  admin ("Segreto-ruotato-2", "partner-password", OTHER_PARTNER, "--password-stdin", NULL);
  old = eventually (other_services_old_password, 401);
  new = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, OTHER_PARTNER, "Segreto-ruotato-2", NULL, NULL, 0);
  sp_test_assert_problem (old, 401, "invalid-credentials");
  sp_test_assert_status (new, 200);
  admin (OTHER_PASSWORD, "partner-password", OTHER_PARTNER, "--password-stdin", NULL);
}

/* Certificates: registered, then revoked; grants replaced. */
static void
test_admin_certificates_and_grants (void)
{
  g_autofree char *stranger = sp_test_env_get_tls_file (env, "stranger.pem");
  g_autoptr(SpTestResponse) added = NULL;
  g_autoptr(SpTestResponse) revoked = NULL;
  g_autoptr(SpTestResponse) granted = NULL;
  g_autoptr(SpTestResponse) restored = NULL;

  admin (NULL, "partner-cert-add", OTHER_PARTNER, "--cert", stranger, NULL);
  added = certificate_request ("stranger", "GET", SP_API_PARTNER_SERVICES);
  sp_test_assert_status (added, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sp_test_response_object (added), "services")), ==, 1);
  admin (NULL, "partner-cert-revoke", OTHER_PARTNER, "--cert", stranger, NULL);
  revoked = eventually (stranger_services, 401);
  sp_test_assert_problem (revoked, 401, "unauthenticated");

  admin (NULL, "partner-grant", OTHER_PARTNER, "--servizi", SP_TEST_ENTE ":" SP_TEST_SERVIZIO_INTERNAL ","
         SP_TEST_OTHER_ENTE ":" SP_TEST_SERVIZIO_OTHER, NULL);
  g_assert_cmpuint (eventually_other_services (2), ==, 2);
  admin (NULL, "partner-grant", OTHER_PARTNER, "--servizi", SP_TEST_OTHER_ENTE ":" SP_TEST_SERVIZIO_OTHER, NULL);
  g_assert_cmpuint (eventually_other_services (1), ==, 1);
}

/* GET /services is answered from memory between changes; a change of a
 * service or of the partner, made by another process, shows at once. */
static void
test_services_kept_until_changed (void)
{
  g_autoptr(SpTestResponse) first = other_services_old_password ();
  g_autoptr(SpTestResponse) disabled = NULL;
  g_autoptr(SpTestResponse) enabled = NULL;
  g_autofree char *name = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) (5 * sp_test_time_scale () * G_USEC_PER_SEC);

  g_assert_cmpuint (services_count (first), ==, 1);
  sp_test_pg_command (conn, "UPDATE servizio SET name = name || ' (rinominato)' WHERE slug = $1",
                      SP_TEST_PG_ARGS (SP_TEST_SERVIZIO_OTHER));
  while (name == NULL || !g_str_has_suffix (name, " (rinominato)"))
    {
      g_autoptr(SpTestResponse) again = other_services_old_password ();
      JsonArray *services = json_object_get_array_member (sp_test_response_object (again), "services");

      g_free (name);
      name = g_strdup (json_object_get_string_member (json_array_get_object_element (services, 0), "name"));
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 20);
    }
  sp_test_pg_command (conn, "UPDATE servizio SET name = left (name, -length (' (rinominato)')) WHERE slug = $1",
                      SP_TEST_PG_ARGS (SP_TEST_SERVIZIO_OTHER));

  /* A disabled partner is refused, though its password was just accepted. */
  sp_test_pg_command (conn, "UPDATE partner SET disabled = true WHERE slug = $1", SP_TEST_PG_ARGS (OTHER_PARTNER));
  disabled = eventually (other_services_old_password, 401);
  sp_test_assert_problem (disabled, 401, "invalid-credentials");
  sp_test_pg_command (conn, "UPDATE partner SET disabled = false WHERE slug = $1", SP_TEST_PG_ARGS (OTHER_PARTNER));
  enabled = eventually (other_services_old_password, 200);
  sp_test_assert_status (enabled, 200);
}

int
main (int   argc,
      char *argv[])
{
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
  g_test_add_func ("/sportello/partner/servizio/scheda-informativa", test_scheda_informativa);
  g_test_add_func ("/sportello/partner/servizio/scheda-numbers", test_scheda_numbers);
  g_test_add_func ("/sportello/partner/servizio/texts", test_servizio_texts);
  g_test_add_func ("/sportello/partner/admin/password", test_admin_password);
  g_test_add_func ("/sportello/partner/admin/certificates-and-grants", test_admin_certificates_and_grants);
  g_test_add_func ("/sportello/partner/services/kept-until-changed", test_services_kept_until_changed);

  env = sp_test_partner_start (&conn);
  status = g_test_run ();
  sp_test_partner_stop (env, conn);
  return status;
}
