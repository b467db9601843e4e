/* test-protocol.c: the internal protocol register: gapless numbers from two server processes, responses, the sweep */
#define G_LOG_DOMAIN "test-protocol"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-db-history.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"
#include "sp-test-server2.h"

/* Registrations racing between the two processes. */
#define N_CONCURRENT 240
#define WAIT_MS      (60 * 1000)

static SpTestEnv *env;
static PGconn *conn;

static const SpActor citizen = { "citizen", 0, "Mario Rossi", "cittadino" };

/* Records the change into @status as every writer does (sp_db_record_change()),
 * after setting the pratica's status, in the caller's transaction. */
static void
record_change (const char *pratica_id,
               SpStatus    status,
               SpStatus    previous)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status_text = g_strdup_printf ("%d", (int) status);

  sp_test_pg_command (conn, "UPDATE pratica SET status = $2::integer WHERE id = $1::uuid",
                      SP_TEST_PG_ARGS (pratica_id, status_text));
  if (!sp_db_record_change (conn, pratica_id, status, previous, "Operazione di prova", &citizen, NULL, &error))
    g_error ("sp_db_record_change: %s", error->message);
}

/* Polls @sql until it reads @expected; fails the test after WAIT_MS. */
static void
wait_for (const char         *sql,
          int                 n_params,
          const char * const *params,
          const char         *expected)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND * sp_test_time_scale ();
  g_autofree char *value = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      g_free (value);
      value = sp_test_pg_value (conn, sql, n_params, params);
      if (g_strcmp0 (value, expected) == 0)
        return;
      g_usleep (20 * 1000);
    }
  g_test_message ("%s: still %s, not %s", sql, value, expected);
  g_assert_cmpstr (value, ==, expected);
}

static void
assert_value (const char         *sql,
              int                 n_params,
              const char * const *params,
              const char         *expected)
{
  g_autofree char *value = sp_test_pg_value (conn, sql, n_params, params);

  g_assert_cmpstr (value, ==, expected);
}

static char *
new_pratica (const char *servizio,
             int         status)
{
  SpTestPratica pratica = { .servizio = servizio, .status = status };

  return sp_test_pratica_insert (conn, &pratica);
}

/* Many pratiche submitted at once, registered by the workers of two server
 * processes: numbers 1..N of the ente's register for the year, none twice,
 * none missing, each pratica once with its number as its protocol number. */
static void
test_gapless_two_processes (void)
{
  g_autoptr(SpTestServer) second = sp_test_server_start (env, NULL, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *array = NULL;
  g_autoptr(GString) list = g_string_new ("{");
  g_autofree char *count = g_strdup_printf ("%d", N_CONCURRENT);
  g_autoptr(PGresult) check = NULL;

  sp_test_pg_command (conn, "BEGIN", 0, NULL);
  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      char *id = new_pratica (SP_TEST_SERVIZIO_INTERNAL, 2000);

      record_change (id, SP_STATUS_SUBMITTED, SP_STATUS_INVALID);
      g_string_append_printf (list, "%s%s", i > 0 ? "," : "", id);
      g_ptr_array_add (ids, id);
    }
  g_string_append_c (list, '}');
  array = g_strdup (list->str);
  /* Queued with the changes, claimable once they commit. */
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM job WHERE kind = 'protocol-register'"
                                   " AND dedupe_key = ANY (SELECT x || '/arrivo' FROM unnest ($1::text[]) x)",
                                   SP_TEST_PG_ARGS (array)), ==, N_CONCURRENT);
  sp_test_pg_command (conn, "COMMIT", 0, NULL);

  wait_for ("SELECT count (*) FROM pratica WHERE id = ANY ($1::uuid[]) AND status = 3000",
            SP_TEST_PG_ARGS (array), count);

  /* The register of the ente for the year: exactly 1..N (the test's only
   * registrations so far), each pratica once, in arrivo. */
  check = sp_test_pg_exec (conn,
                           "SELECT count (*), count (DISTINCT number), min (number), max (number),"
                           "       count (DISTINCT pratica_id), bool_and (direction = 'arrivo'),"
                           "       bool_and (pratica_id = ANY ($1::uuid[]))"
                           " FROM protocol_register r JOIN ente e ON e.id = r.ente_id WHERE e.code = $2",
                           SP_TEST_PG_ARGS (array, SP_TEST_ENTE));
  g_assert_cmpstr (PQgetvalue (check, 0, 0), ==, count);
  g_assert_cmpstr (PQgetvalue (check, 0, 1), ==, count);
  g_assert_cmpstr (PQgetvalue (check, 0, 2), ==, "1");
  g_assert_cmpstr (PQgetvalue (check, 0, 3), ==, count);
  g_assert_cmpstr (PQgetvalue (check, 0, 4), ==, count);
  g_assert_cmpstr (PQgetvalue (check, 0, 5), ==, "t");
  g_assert_cmpstr (PQgetvalue (check, 0, 6), ==, "t");

  /* The pratica's protocol number and date are its register entry's; the
   * iter, a version and the citizen's e-mail record the change, by the system. */
  g_assert_cmpint (sp_test_pg_int (conn,
                                   "SELECT count (*) FROM pratica p JOIN protocol_register r ON r.pratica_id = p.id"
                                   " WHERE p.id = ANY ($1::uuid[])"
                                   "   AND p.protocol_number = protocol_number_text (r.year, r.number)"
                                   "   AND p.protocol_date = r.registered_at"
                                   "   AND p.protocol_number ~ '^[0-9]{4}/[0-9]{7}$'"
                                   "   AND EXISTS (SELECT 1 FROM iter i WHERE i.pratica_id = p.id AND i.status = 3000"
                                   "               AND i.previous_status = 2000 AND i.actor_kind = 'system')"
                                   "   AND EXISTS (SELECT 1 FROM version v WHERE v.pratica_id = p.id AND v.status = 3000"
                                   "               AND v.operation = 'Protocollazione' AND v.actor_role = 'sistema')"
                                   "   AND EXISTS (SELECT 1 FROM outbox o WHERE o.pratica_id = p.id AND o.status = 3000)",
                                   SP_TEST_PG_ARGS (array)), ==, N_CONCURRENT);

  /* Both processes registered some: the race was real. */
  g_assert_cmpint (sp_test_pg_int (conn,
                                   "SELECT count (DISTINCT split_part (finished_by, '/', 1)) FROM job"
                                   " WHERE kind = 'protocol-register' AND state = 'done'",
                                   0, NULL), ==, 2);
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM job WHERE kind = 'protocol-register' AND state <> 'done'",
                                   0, NULL), ==, 0);
}

/* The response: 6000 → 7000 and 8000 → 9000 with a risposta entry; the
 * pratica keeps its arrivo number; the detail lists the entries oldest first. */
static void
test_response (void)
{
  g_autofree char *accepted = new_pratica (SP_TEST_SERVIZIO_INTERNAL, 2000);
  g_autofree char *rejected = new_pratica (SP_TEST_SERVIZIO_INTERNAL, 2000);
  g_autofree char *token = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_autofree char *path = g_strconcat ("/api/v1.0/operator/pratiche/", accepted, NULL);
  g_autofree char *arrivo = NULL;
  g_autoptr(SpTestResponse) response = NULL;
  JsonArray *protocols;

  sp_test_pg_command (conn, "BEGIN", 0, NULL);
  record_change (accepted, SP_STATUS_SUBMITTED, SP_STATUS_INVALID);
  record_change (rejected, SP_STATUS_SUBMITTED, SP_STATUS_INVALID);
  sp_test_pg_command (conn, "COMMIT", 0, NULL);
  wait_for ("SELECT count (*) FROM pratica WHERE id IN ($1::uuid, $2::uuid) AND status = 3000",
            SP_TEST_PG_ARGS (accepted, rejected), "2");
  arrivo = sp_test_pg_value (conn, "SELECT protocol_number FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (accepted));

  sp_test_pg_command (conn, "BEGIN", 0, NULL);
  record_change (accepted, SP_STATUS_PENDING, SP_STATUS_REGISTERED);
  record_change (accepted, SP_STATUS_COMPLETE_WAITING, SP_STATUS_PENDING);
  record_change (rejected, SP_STATUS_CANCELLED_WAITING, SP_STATUS_REGISTERED);
  sp_test_pg_command (conn, "COMMIT", 0, NULL);

  wait_for ("SELECT status FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (accepted), "7000");
  wait_for ("SELECT status FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (rejected), "9000");
  assert_value ("SELECT string_agg (direction, ',' ORDER BY registered_at)"
                " FROM protocol_register WHERE pratica_id = $1::uuid",
                SP_TEST_PG_ARGS (rejected), "arrivo,risposta");
  assert_value ("SELECT protocol_number FROM pratica WHERE id = $1::uuid",
                SP_TEST_PG_ARGS (accepted), arrivo);
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM outbox WHERE pratica_id = $1::uuid AND status = 7000",
                                   SP_TEST_PG_ARGS (accepted)), ==, 1);

  response = sp_test_request (env, "GET", path, token, NULL, NULL, 0);
  sp_test_assert_status (response, 200);
  protocols = json_object_get_array_member (sp_test_response_object (response), "protocols");
  g_assert_cmpuint (json_array_get_length (protocols), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *entry = json_array_get_object_element (protocols, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (json_object_get_string_member (entry, "registered_at"), NULL);

      g_assert_cmpstr (json_object_get_string_member (entry, "direction"), ==, i == 0 ? "arrivo" : "risposta");
      g_assert_nonnull (at);
      if (i == 0)
        g_assert_cmpstr (json_object_get_string_member (entry, "number"), ==, arrivo);
      else
        g_assert_cmpstr (json_object_get_string_member (entry, "number"), !=, arrivo);
    }
}

/* No registration for the external provider, nor for a pratica withdrawn
 * before its job ran. */
static void
test_not_registered (void)
{
  g_autofree char *external = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, 2000);
  g_autofree char *withdrawn = new_pratica (SP_TEST_SERVIZIO_INTERNAL, 2000);
  g_autofree char *job = NULL;

  sp_test_pg_command (conn, "BEGIN", 0, NULL);
  record_change (external, SP_STATUS_SUBMITTED, SP_STATUS_INVALID);
  record_change (withdrawn, SP_STATUS_SUBMITTED, SP_STATUS_INVALID);
  record_change (withdrawn, SP_STATUS_WITHDRAWN, SP_STATUS_SUBMITTED);
  sp_test_pg_command (conn, "COMMIT", 0, NULL);

  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM job WHERE dedupe_key LIKE $1 || '/%'",
                                   SP_TEST_PG_ARGS (external)), ==, 0);
  job = sp_test_pg_value (conn, "SELECT id FROM job WHERE dedupe_key = $1 || '/arrivo'", SP_TEST_PG_ARGS (withdrawn));
  g_assert_nonnull (job);
  wait_for ("SELECT state FROM job WHERE id = $1::bigint", SP_TEST_PG_ARGS (job), "done");
  assert_value ("SELECT status FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (withdrawn), "20000");
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM protocol_register WHERE pratica_id = $1::uuid",
                                   SP_TEST_PG_ARGS (withdrawn)), ==, 0);
}

/* Runs the sweep now (the next slot of its schedule; the workers look every
 * second) and waits until it has run. */
static void
sweep_now (void)
{
  g_autofree char *runs = sp_test_pg_value (conn, "SELECT count (*) FROM job WHERE kind = 'protocol-sweep'"
                                                  " AND state = 'done'", 0, NULL);
  g_autofree char *more = g_strdup_printf ("%" G_GINT64_FORMAT, g_ascii_strtoll (runs, NULL, 10) + 1);

  sp_test_pg_command (conn, "UPDATE job_schedule SET next_run_at = now () WHERE kind = 'protocol-sweep'", 0, NULL);
  wait_for ("SELECT least (count (*), $1::bigint) FROM job WHERE kind = 'protocol-sweep' AND state = 'done'",
            SP_TEST_PG_ARGS (more), more);
}

/* A pratica that entered 2000 with its history but no job (as the demo loads
 * them) is found by the sweep, unless a thousand registrations are queued
 * already (the sweep tops the queue up, it does not add to a backlog); a
 * bare row without history is left alone. */
static void
test_sweep (void)
{
  g_autofree char *loaded = new_pratica (SP_TEST_SERVIZIO_INTERNAL, 2000);
  g_autofree char *bare = new_pratica (SP_TEST_SERVIZIO_INTERNAL, 2000);

  sp_test_pg_command (conn, "INSERT INTO iter (pratica_id, status, actor_kind, actor_name)"
                      " VALUES ($1::uuid, 2000, 'citizen', 'Mario Rossi')", SP_TEST_PG_ARGS (loaded));
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM job WHERE dedupe_key = $1 || '/arrivo'",
                                   SP_TEST_PG_ARGS (loaded)), ==, 0);

  /* A backlog of a thousand, due tomorrow (the workers leave them be). */
  sp_test_pg_command (conn, "INSERT INTO job (kind, dedupe_key, run_at)"
                            " SELECT 'protocol-register', 'backlog/' || g, now () + interval '1 day'"
                            " FROM generate_series (1, 1000) g", 0, NULL);
  sweep_now ();
  assert_value ("SELECT status FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (loaded), "2000");
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM job WHERE dedupe_key = $1 || '/arrivo'",
                                   SP_TEST_PG_ARGS (loaded)), ==, 0);

  /* The backlog gone, the next sweep queues it. */
  sp_test_pg_command (conn, "DELETE FROM job WHERE dedupe_key LIKE 'backlog/%'", 0, NULL);
  sweep_now ();
  wait_for ("SELECT status FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (loaded), "3000");
  assert_value ("SELECT status FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (bare), "2000");
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM job WHERE dedupe_key = $1 || '/arrivo'",
                                   SP_TEST_PG_ARGS (bare)), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  env = sp_test_env_start ();
  /* Workers look for due jobs (and the schedule) every second. */
  sp_test_env_set_config (env, "jobs", "sweep-seconds", "1");
  sp_test_env_set_config (env, "database", "jobs-pool-size", "3");
  sp_test_env_restart_server (env);
  conn = sp_test_pg_connect (env);

  g_test_add_func ("/sportello/protocol/gapless-two-processes", test_gapless_two_processes);
  g_test_add_func ("/sportello/protocol/response", test_response);
  g_test_add_func ("/sportello/protocol/not-registered", test_not_registered);
  g_test_add_func ("/sportello/protocol/sweep", test_sweep);

  status = g_test_run ();
  PQfinish (conn);
  sp_test_env_stop (env);
  return status;
}
