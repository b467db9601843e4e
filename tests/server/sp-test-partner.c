/* sp-test-partner.c: the partner API tests' environment, and requests with HTTP Basic */
#include "config.h"

#include <string.h>

#include "sp-test-partner.h"
#include "sp-test-pg.h"

static SpTestEnv *partner_env;

/**
 * sp_test_partner_start:
 * @conn: (out): a database connection for the test's own SQL
 *
 * Starts the environment: the server asks for a client certificate
 * (checked against CA 1); OTHER_PARTNER and LOCKED_PARTNER exist, and
 * SP_TEST_PARTNER also sees NO_PROTOCOL.
 */
SpTestEnv *
sp_test_partner_start (PGconn **conn)
{
  g_autoptr(GError) error = NULL;

  partner_env = sp_test_env_start ();
  sp_test_env_set_config (partner_env, "server", "partner-ca", sp_test_env_get_ca_file (partner_env));
  sp_test_env_restart_server (partner_env);
  *conn = sp_test_pg_connect (partner_env);
  g_assert_true (sp_test_env_admin (partner_env, OTHER_PASSWORD, NULL, &error, "partner-create", OTHER_PARTNER,
                                    "--name", "Altro partner", "--password-stdin",
                                    "--servizi", SP_TEST_OTHER_ENTE ":" SP_TEST_SERVIZIO_OTHER, NULL));
  g_assert_no_error (error);
  g_assert_true (sp_test_env_admin (partner_env, LOCKED_PASSWORD, NULL, &error, "partner-create", LOCKED_PARTNER,
                                    "--name", "Partner da bloccare", "--password-stdin",
                                    "--servizi", SP_TEST_ENTE ":" SP_TEST_SERVIZIO_INTERNAL, NULL));
  g_assert_no_error (error);
  sp_test_servizio_create (*conn, SP_TEST_ENTE, NO_PROTOCOL, "Senza protocollo", FALSE);
  sp_test_pg_command (*conn,
                      "INSERT INTO partner_servizio (partner_id, servizio_id)"
                      " SELECT p.id, s.id FROM partner p, servizio s WHERE p.slug = $1 AND s.slug = $2",
                      SP_TEST_PG_ARGS (SP_TEST_PARTNER, NO_PROTOCOL));
  return partner_env;
}

void
sp_test_partner_stop (SpTestEnv *env,
                      PGconn    *conn)
{
  PQfinish (conn);
  sp_test_env_stop (env);
  partner_env = NULL;
}

void
sp_test_partner_set_basic (SoupMessage *message,
                           const char  *user,
                           const char  *password)
{
  g_autofree char *pair = g_strdup_printf ("%s:%s", user, password);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *basic = g_strdup_printf ("Basic %s", encoded);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", basic);
}

/* A request with HTTP Basic (@user NULL: none) on the environment's session. */
SpTestResponse *
sp_test_partner_basic (const char *method,
                       const char *path,
                       const char *user,
                       const char *password,
                       const char *content_type,
                       const char *body,
                       gssize      body_len)
{
  g_autoptr(SoupMessage) message = sp_test_message_new (partner_env, method, path, NULL, content_type, body, body_len);

  if (user != NULL)
    sp_test_partner_set_basic (message, user, password);
  return sp_test_send (sp_test_env_get_session (partner_env), message);
}
