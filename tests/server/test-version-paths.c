/* test-version-paths.c: every path that changes a pratica writes exactly one version, with who and the role they had */
#define G_LOG_DOMAIN "test-version-paths"

#include "config.h"

#include "sp-api.h"
#include "sp-test-elabora.h"
#include "sp-test-pg.h"

/*
 * One pratica of a service with the internal protocol register, from
 * protocollata to conclusa, through each path: the operator's take charge,
 * Elabora's saves and conclusion, and the system's registration of the
 * response. After each call: exactly one version more, with its operation,
 * the user and the role they had; after a refused call, none. The chain
 * holds at the end. (Partner paths: test-partner-pratiche.c.)
 */

static SpTestElabora *fixture;

typedef struct
{
  const char *id;
  gint64      seen;    /* versions so far */
} Tracked;

static gint64
n_versions (Tracked *pratica)
{
  return sp_test_pg_int (fixture->conn, "SELECT count (*) FROM version WHERE pratica_id = $1::uuid",
                         SP_TEST_PG_ARGS (pratica->id));
}

/* Version number @number: `operation|user|role`. */
static char *
version_at (Tracked *pratica,
            gint64   number)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, number);

  return sp_test_pg_value (fixture->conn, "SELECT operation || '|' || actor_name || '|' || actor_role FROM version"
                                          " WHERE pratica_id = $1::uuid AND number = $2::integer",
                           SP_TEST_PG_ARGS (pratica->id, text));
}

/* Exactly one version since the last check: @operation by @user as @role. */
static void
assert_one_version (Tracked    *pratica,
                    const char *operation,
                    const char *user,
                    const char *role)
{
  g_autofree char *expected = g_strdup_printf ("%s|%s|%s", operation, user, role);
  g_autofree char *found = NULL;

  g_assert_cmpint (n_versions (pratica), >=, pratica->seen + 1);
  found = version_at (pratica, pratica->seen + 1);
  g_assert_cmpstr (found, ==, expected);
  pratica->seen++;
}

static void
assert_no_version (Tracked *pratica)
{
  g_assert_cmpint (n_versions (pratica), ==, pratica->seen);
}

static char *
upload_response (const char *pratica_id)
{
  g_autoptr(GBytes) content = g_bytes_new_static ("%PDF-1.4 diniego\n", 17);
  g_autoptr(SpTestResponse) response = sp_test_elabora_upload (fixture, pratica_id, SP_TEST_OPERATOR, "diniego.pdf",
                                                               "application/pdf", content);

  sp_test_assert_status (response, 201);
  return g_strdup (json_object_get_string_member (sp_test_response_object (response), "id"));
}

static void
test_operator_and_system_paths (void)
{
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PROTOCOL, 3000, NULL);
  g_autofree char *take_charge = g_strdup_printf (SP_API_PREFIX "/operator/pratiche/%s/take-charge", id);
  g_autofree char *risposta = NULL;
  g_autofree char *draft = NULL;
  g_autofree char *motivated = NULL;
  Tracked pratica = { id, 0 };
  gint64 deadline;
  SpTestResponse *response;

  pratica.seen = n_versions (&pratica);

  /* Take charge: one version; a colleague's refused attempt: none. */
  response = sp_test_request (fixture->env, "POST", take_charge, sp_test_elabora_token (fixture, SP_TEST_OPERATOR),
                              NULL, NULL, 0);
  sp_test_assert_status (response, 204);
  sp_test_response_free (response);
  assert_one_version (&pratica, "Presa in carico", "Operatore di Prova", "operatore");
  response = sp_test_request (fixture->env, "POST", take_charge, sp_test_elabora_token (fixture, SP_TEST_OPERATOR2),
                              NULL, NULL, 0);
  sp_test_assert_problem (response, 409, "already-taken");
  sp_test_response_free (response);
  assert_no_version (&pratica);

  /* Elabora: each save one version, the first moving it to 5000; a refused save none. */
  risposta = upload_response (id);
  draft = g_strdup_printf ("{\"esito\": \"rejected\", \"risposta\": \"%s\"}", risposta);
  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, draft);
  sp_test_assert_status (response, 200);
  sp_test_response_free (response);
  assert_one_version (&pratica, "Salvataggio", "Operatore di Prova", "operatore");
  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, "{\"esito\": \"forse\"}");
  sp_test_assert_problem (response, 422, "validation");
  sp_test_response_free (response);
  assert_no_version (&pratica);
  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR2, draft);
  g_assert_cmpint (response->status, >=, 400);
  sp_test_response_free (response);
  assert_no_version (&pratica);
  motivated = g_strdup_printf ("{\"esito\": \"rejected\", \"motivazione\": \"Manca la planimetria.\","
                               " \"risposta\": \"%s\", \"steps\": {\"verifica\": {\"istruttore\": \"Ing. Paola Neri\","
                               " \"punteggio\": 7.5, \"data\": \"2026-03-02\", \"esito_verifica\": \"Conforme\","
                               " \"documenti\": true}}}", risposta);
  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, motivated);
  sp_test_assert_status (response, 200);
  sp_test_response_free (response);
  assert_one_version (&pratica, "Salvataggio", "Operatore di Prova", "operatore");

  /* Conclude: one version; then the register's job records the response: one more, as the system. */
  response = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);
  sp_test_assert_status (response, 200);
  sp_test_response_free (response);
  assert_one_version (&pratica, "Conclusione", "Operatore di Prova", "operatore");
  /* The job may have run before the conclusion's answer arrived. */
  deadline = g_get_monotonic_time () + (gint64) (30 * sp_test_time_scale () * G_USEC_PER_SEC);
  while (n_versions (&pratica) == pratica.seen && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  assert_one_version (&pratica, "Protocollazione esito", "Protocollo informatico", "sistema");
  g_assert_cmpint (n_versions (&pratica), ==, pratica.seen);

  /* Concluded: a further take charge or save is refused, and writes nothing. */
  response = sp_test_request (fixture->env, "POST", take_charge, sp_test_elabora_token (fixture, SP_TEST_OPERATOR),
                              NULL, NULL, 0);
  g_assert_cmpint (response->status, ==, 409);
  sp_test_response_free (response);
  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, motivated);
  g_assert_cmpint (response->status, >=, 400);
  sp_test_response_free (response);
  assert_no_version (&pratica);
  g_assert_cmpuint (sp_test_versions_verify (fixture->env, id), ==, (guint64) pratica.seen);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = sp_test_elabora_start (FALSE);
  if (fixture == NULL)
    return 77;

  g_test_add_func ("/sportello/version-paths/operator-and-system", test_operator_and_system_paths);
  status = g_test_run ();

  sp_test_elabora_stop (fixture);
  return status;
}
