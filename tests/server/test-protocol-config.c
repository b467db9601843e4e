/* test-protocol-config.c: the read-only protocol configuration: each operator sees the services of its ente it is enabled for, nobody else */
#define G_LOG_DOMAIN "test-protocol-config"

#include "config.h"

#include <string.h>

#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

#define PROTOCOL_CONFIG  "/api/v1.0/operator/protocol-config"

static SpTestEnv *env;
static PGconn *conn;

static JsonObject *
find_servizio (JsonArray  *servizi,
               const char *slug)
{
  for (guint i = 0; i < json_array_get_length (servizi); i++)
    {
      JsonObject *object = json_array_get_object_element (servizi, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "servizio", NULL), slug) == 0)
        return object;
    }
  return NULL;
}

/* The configuration as tests/data/servizio-<slug>.json has it. */
static void
assert_protocol_like_file (JsonObject *servizio,
                           const char *slug)
{
  g_autofree char *name = g_strconcat ("servizio-", slug, ".json", NULL);
  g_autofree char *path = g_build_filename (sp_test_env_get_source_dir (), "tests", "data", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *file;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  file = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (json_object_get_string_member_with_default (servizio, "name", NULL), ==,
                   json_object_get_string_member (file, "name"));
  g_assert_cmpint (json_object_get_boolean_member_with_default (servizio, "protocol_required", FALSE), ==,
                   json_object_get_boolean_member (file, "protocol_required"));
  g_assert_cmpstr (json_object_get_string_member_with_default (servizio, "provider", NULL), ==,
                   json_object_get_string_member (file, "protocol_provider"));
  g_assert_true (json_node_equal (json_object_get_member (servizio, "protocol"),
                                  json_object_get_member (file, "protocol")));
}

static void
test_protocol_config_scope (void)
{
  g_autofree char *token = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", PROTOCOL_CONFIG, token, NULL, NULL, 0);
  JsonArray *servizi;

  sp_test_assert_status (response, 200);
  servizi = json_object_get_array_member (sp_test_response_object (response), "servizi");
  g_assert_nonnull (servizi);
  g_assert_cmpuint (json_array_get_length (servizi), ==, 2);
  g_assert_nonnull (find_servizio (servizi, SP_TEST_SERVIZIO_INTERNAL));
  g_assert_nonnull (find_servizio (servizi, SP_TEST_SERVIZIO_EXTERNAL));
  g_assert_null (find_servizio (servizi, SP_TEST_SERVIZIO_OTHER));
  assert_protocol_like_file (find_servizio (servizi, SP_TEST_SERVIZIO_INTERNAL), SP_TEST_SERVIZIO_INTERNAL);
  assert_protocol_like_file (find_servizio (servizi, SP_TEST_SERVIZIO_EXTERNAL), SP_TEST_SERVIZIO_EXTERNAL);
}

static void
test_protocol_config_wrong_ente (void)
{
  g_autofree char *token = sp_test_login (env, SP_TEST_OTHER_OPERATOR, SP_TEST_PASSWORD);
  g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", PROTOCOL_CONFIG, token, NULL, NULL, 0);
  JsonArray *servizi;

  /* The operator of Altrove sees its own service and nothing of Prova. */
  sp_test_assert_status (response, 200);
  servizi = json_object_get_array_member (sp_test_response_object (response), "servizi");
  g_assert_nonnull (servizi);
  g_assert_cmpuint (json_array_get_length (servizi), ==, 1);
  g_assert_nonnull (find_servizio (servizi, SP_TEST_SERVIZIO_OTHER));
  assert_protocol_like_file (find_servizio (servizi, SP_TEST_SERVIZIO_OTHER), SP_TEST_SERVIZIO_OTHER);
  g_assert_null (strstr (sp_test_response_text (response), "AOO_PROVA"));
  g_assert_null (strstr (sp_test_response_text (response), SP_TEST_SERVIZIO_INTERNAL));
}

static void
test_protocol_config_enabled_services_only (void)
{
  g_autofree char *token = NULL;
  g_autoptr(SpTestResponse) response = NULL;
  JsonArray *servizi;

  sp_test_operator_create (conn, SP_TEST_ENTE, "op.solo", "Solo SCIA", SP_TEST_SERVIZIO_EXTERNAL);
  token = sp_test_login (env, "op.solo", SP_TEST_PASSWORD);
  response = sp_test_request (env, "GET", PROTOCOL_CONFIG, token, NULL, NULL, 0);

  sp_test_assert_status (response, 200);
  servizi = json_object_get_array_member (sp_test_response_object (response), "servizi");
  g_assert_nonnull (servizi);
  g_assert_cmpuint (json_array_get_length (servizi), ==, 1);
  g_assert_nonnull (find_servizio (servizi, SP_TEST_SERVIZIO_EXTERNAL));
}

static void
test_protocol_config_wrong_role (void)
{
  g_autofree char *token = sp_test_login (env, SP_TEST_AUDITOR, SP_TEST_PASSWORD);
  g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", PROTOCOL_CONFIG, token, NULL, NULL, 0);
  g_autoptr(SpTestResponse) anonymous = sp_test_request (env, "GET", PROTOCOL_CONFIG, NULL, NULL, NULL, 0);

  sp_test_assert_problem (response, 403, "forbidden");
  g_assert_null (strstr (sp_test_response_text (response), "AOO_"));
  sp_test_assert_problem (anonymous, 401, "unauthenticated");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sportello/protocol-config/scope", test_protocol_config_scope);
  g_test_add_func ("/sportello/protocol-config/wrong-ente", test_protocol_config_wrong_ente);
  g_test_add_func ("/sportello/protocol-config/enabled-services-only", test_protocol_config_enabled_services_only);
  g_test_add_func ("/sportello/protocol-config/wrong-role", test_protocol_config_wrong_role);

  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  status = g_test_run ();
  PQfinish (conn);
  sp_test_env_stop (env);
  return status;
}
