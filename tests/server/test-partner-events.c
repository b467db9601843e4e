/* test-partner-events.c: partners' events that arrive together, applied in one transaction, each with its own answer */
#define G_LOG_DOMAIN "test-partner"

#include "config.h"

#include "sp-api.h"
#include "sp-status.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-partner.h"
#include "sp-test-pg.h"

/* How long a test holds a pratica's lock (the server waits up to
 * LOCK_TIMEOUT_MS for it). */
#define HOLD_S           4
#define LOCK_TIMEOUT_MS  "15000"

static SpTestEnv *env;
static PGconn *conn;

/* One partner event sent on a thread of its own. */
typedef struct
{
  const char     *pratica;
  const char     *evento;
  SpTestResponse *response;
  GThread        *thread;
} Event;

static gpointer
event_thread (gpointer data)
{
  Event *event = data;
  g_autoptr(SoupSession) session = sp_test_session_new (sp_test_env_get_ca_file (env), NULL);
  g_autofree char *path = g_strdup_printf (SP_API_PREFIX "/%s/pratica/%s/status", SP_TEST_PARTNER, event->pratica);
  g_autofree char *body = g_strdup_printf ("{\"evento\": \"%s\", \"operatore\": \"Mario Bianchi\","
                                           " \"responsabile\": \"Anna Verdi\", \"struttura\": \"SUE\","
                                           " \"timestamp\": \"" TIMESTAMP "\"}", event->evento);
  g_autoptr(SoupMessage) message = sp_test_message_new (env, "POST", path, NULL, "application/json", body, -1);

  sp_test_partner_set_basic (message, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD);
  event->response = sp_test_send (session, message);
  return NULL;
}

static void
events_send (Event *events,
             guint  n)
{
  for (guint i = 0; i < n; i++)
    events[i].thread = g_thread_new ("event", event_thread, &events[i]);
}

static void
events_wait (Event *events,
             guint  n)
{
  for (guint i = 0; i < n; i++)
    g_thread_join (events[i].thread);
}

static void
events_clear (Event *events,
              guint  n)
{
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&events[i].response, sp_test_response_free);
}

static char *
new_pratica (int status)
{
  SpTestPratica spec = { .servizio = SP_TEST_SERVIZIO_EXTERNAL, .status = status,
                         .protocol_number = "PG/2026/0000001" };

  return sp_test_pratica_insert (conn, &spec);
}

static gint64
count (const char *sql,
       const char *pratica_id)
{
  return sp_test_pg_int (conn, sql, SP_TEST_PG_ARGS (pratica_id));
}

/*
 * Holds a pratica's row lock on a connection of the test's own, so that the
 * batch that reaches it waits: the events sent meanwhile queue, and go
 * together in the batch after it once the lock is released.
 */
typedef struct
{
  PGconn *conn;
  Event   first;
} Hold;

static void
hold_start (Hold *hold)
{
  g_autofree char *held = new_pratica (SP_STATUS_PENDING);

  hold->conn = sp_test_pg_connect (env);
  sp_test_pg_command (hold->conn, "BEGIN", 0, NULL);
  sp_test_pg_command (hold->conn, "SELECT 1 FROM pratica WHERE id = $1::uuid FOR UPDATE", SP_TEST_PG_ARGS (held));
  hold->first = (Event) { g_steal_pointer (&held), "istruttoria" };
  events_send (&hold->first, 1);
  g_usleep (300 * 1000);   /* the first batch is waiting for the lock */
}

/* Releases the lock once the events sent after the first have queued: their
 * TLS handshakes take a while under the sanitizers. */
static void
hold_release (Hold *hold)
{
  g_usleep (HOLD_S * G_USEC_PER_SEC);
  sp_test_pg_command (hold->conn, "COMMIT", 0, NULL);
  events_wait (&hold->first, 1);
  sp_test_assert_status (hold->first.response, 204);
  events_clear (&hold->first, 1);
  g_free ((char *) hold->first.pratica);
  g_clear_pointer (&hold->conn, PQfinish);
}

/* Events of many pratiche sent at once: each is applied, with what the
 * event table gives, and they share transactions. */
static void
test_events_together (void)
{
  const char *eventi[] = { "istruttoria", "in_elaborazione", "richiesta_integrazioni" };
  const SpStatus expected[] = { SP_STATUS_PENDING, SP_STATUS_PROCESSING, SP_STATUS_REQUEST_INTEGRATION };
  Event events[18] = { { 0 } };
  g_auto(GStrv) pratiche = g_new0 (char *, G_N_ELEMENTS (events) + 1);
  g_autoptr(GString) ids = g_string_new ("{");
  Hold hold = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      pratiche[i] = new_pratica (SP_STATUS_PENDING);
      events[i] = (Event) { pratiche[i], eventi[i % G_N_ELEMENTS (eventi)] };
      g_string_append_printf (ids, "%s%s", i > 0 ? "," : "", pratiche[i]);
    }
  g_string_append (ids, "}");

  hold_start (&hold);
  events_send (events, G_N_ELEMENTS (events));
  hold_release (&hold);
  events_wait (events, G_N_ELEMENTS (events));

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      SpStatus to = expected[i % G_N_ELEMENTS (expected)];

      sp_test_assert_status (events[i].response, 204);
      g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", pratiche[i]), ==, to);
      g_assert_cmpint (count ("SELECT count(*) FROM iter WHERE pratica_id = $1::uuid AND actor_kind = 'partner'"
                              " AND partner_at = '" TIMESTAMP "'", pratiche[i]), ==, 1);
      g_assert_cmpint (count ("SELECT count(*) FROM outbox WHERE pratica_id = $1::uuid", pratiche[i]), ==,
                       to != SP_STATUS_PENDING && sp_status_sends_email (to) ? 1 : 0);
      g_assert_cmpuint (sp_test_versions_verify (env, pratiche[i]), ==, 1);
    }
  /* They queued while the first waited: one transaction (its time is every
   * row's), or a few if the machine was slow to send them. */
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (DISTINCT at) FROM iter WHERE pratica_id = ANY ($1::uuid[])",
                                   SP_TEST_PG_ARGS (ids->str)), <, G_N_ELEMENTS (events) / 2);
  events_clear (events, G_N_ELEMENTS (events));
}

/* Events on one pratica at once: each waits for the one before it, so each
 * is applied to the status the one before left, and numbered after it. */
static void
test_events_same_pratica (void)
{
  g_autofree char *pratica = new_pratica (SP_STATUS_PENDING);
  Event events[8] = { { 0 } };

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    events[i] = (Event) { pratica, "istruttoria" };
  events_send (events, G_N_ELEMENTS (events));
  events_wait (events, G_N_ELEMENTS (events));

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    sp_test_assert_status (events[i].response, 204);
  g_assert_cmpint (count ("SELECT count(*) FROM iter WHERE pratica_id = $1::uuid", pratica), ==, G_N_ELEMENTS (events));
  g_assert_cmpuint (sp_test_versions_verify (env, pratica), ==, G_N_ELEMENTS (events));
  events_clear (events, G_N_ELEMENTS (events));

  /* The second of two events needs the status the first leaves: in one
   * batch, it waits for the next, where it finds that status. */
  {
    g_autofree char *integrating = new_pratica (SP_STATUS_PENDING);
    Hold hold = { 0 };
    Event pair[2] = { { integrating, "richiesta_integrazioni" }, { integrating, "protocollata_integrazioni" } };

    hold_start (&hold);
    events_send (&pair[0], 1);
    g_usleep (200 * 1000);
    events_send (&pair[1], 1);
    hold_release (&hold);
    events_wait (pair, G_N_ELEMENTS (pair));
    sp_test_assert_status (pair[0].response, 204);
    sp_test_assert_status (pair[1].response, 204);
    g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", integrating), ==,
                     SP_STATUS_PENDING_AFTER_INTEGRATION);
    g_assert_cmpuint (sp_test_versions_verify (env, integrating), ==, 2);
    events_clear (pair, G_N_ELEMENTS (pair));
  }
}

/* In a batch, the events the event table refuses and those of pratiche
 * outside the partner's reach get their own answers and write nothing; the
 * others are applied. */
static void
test_events_refused_among_others (void)
{
  g_autofree char *accepted = new_pratica (SP_STATUS_PENDING);
  g_autofree char *also = new_pratica (SP_STATUS_PENDING);
  g_autofree char *concluded = new_pratica (SP_STATUS_COMPLETE);
  Event events[] = {
    { accepted, "istruttoria" },
    { concluded, "istruttoria" },
    { "00000000-0000-4000-8000-000000000000", "istruttoria" },
    { also, "in_elaborazione" },
  };
  Hold hold = { 0 };

  hold_start (&hold);
  events_send (events, G_N_ELEMENTS (events));
  hold_release (&hold);
  events_wait (events, G_N_ELEMENTS (events));

  sp_test_assert_status (events[0].response, 204);
  sp_test_assert_problem (events[1].response, 409, "transition-not-allowed");
  sp_test_assert_problem (events[2].response, 404, "not-found");
  sp_test_assert_status (events[3].response, 204);
  g_assert_cmpint (count ("SELECT count(*) FROM iter WHERE pratica_id = $1::uuid", concluded), ==, 0);
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", concluded), ==, SP_STATUS_COMPLETE);
  g_assert_cmpuint (sp_test_versions_verify (env, accepted), ==, 1);
  g_assert_cmpuint (sp_test_versions_verify (env, also), ==, 1);
  events_clear (events, G_N_ELEMENTS (events));
}

/* A statement that fails in a batch fails the batch's transaction: each of
 * its events then runs alone, so only the one that fails is lost. */
static void
test_events_failed_batch (void)
{
  g_autofree char *failing = new_pratica (SP_STATUS_PENDING);
  char *pratiche[4];
  Event events[G_N_ELEMENTS (pratiche) + 1] = { { 0 } };
  Hold hold = { 0 };

  g_autofree char *refuse = g_strdup_printf ("CREATE FUNCTION test_refuse_iter () RETURNS trigger LANGUAGE plpgsql AS $$"
                                             " BEGIN"
                                             "   IF NEW.pratica_id = '%s' THEN"
                                             "     RAISE EXCEPTION 'refused by the test';"
                                             "   END IF;"
                                             "   RETURN NEW;"
                                             " END $$", failing);

  sp_test_pg_command (conn, refuse, 0, NULL);
  sp_test_pg_command (conn, "CREATE TRIGGER test_refuse_iter BEFORE INSERT ON iter"
                            " FOR EACH ROW EXECUTE FUNCTION test_refuse_iter ()", 0, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (pratiche); i++)
    {
      pratiche[i] = new_pratica (SP_STATUS_PENDING);
      events[i] = (Event) { pratiche[i], "istruttoria" };
    }
  events[G_N_ELEMENTS (pratiche)] = (Event) { failing, "istruttoria" };

  hold_start (&hold);
  events_send (events, G_N_ELEMENTS (events));
  hold_release (&hold);
  events_wait (events, G_N_ELEMENTS (events));

  for (guint i = 0; i < G_N_ELEMENTS (pratiche); i++)
    {
      sp_test_assert_status (events[i].response, 204);
      g_assert_cmpuint (sp_test_versions_verify (env, pratiche[i]), ==, 1);
      g_free (pratiche[i]);
    }
  sp_test_assert_problem (events[G_N_ELEMENTS (pratiche)].response, 500, "internal");
  g_assert_cmpint (count ("SELECT count(*) FROM iter WHERE pratica_id = $1::uuid", failing), ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM version WHERE pratica_id = $1::uuid", failing), ==, 0);
  events_clear (events, G_N_ELEMENTS (events));

  sp_test_pg_command (conn, "DROP TRIGGER test_refuse_iter ON iter", 0, NULL);
  sp_test_pg_command (conn, "DROP FUNCTION test_refuse_iter ()", 0, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/partner/events/together", test_events_together);
  g_test_add_func ("/sportello/partner/events/same-pratica", test_events_same_pratica);
  g_test_add_func ("/sportello/partner/events/refused-among-others", test_events_refused_among_others);
  g_test_add_func ("/sportello/partner/events/failed-batch", test_events_failed_batch);

  env = sp_test_partner_start (&conn);
  sp_test_env_set_config (env, "database", "lock-timeout-ms", LOCK_TIMEOUT_MS);
  sp_test_env_restart_server (env);
  /* The password checked once, so that the events sent together find it in
   * the server's cache rather than each running scrypt on its way in. */
  {
    g_autoptr(SpTestResponse) services = sp_test_partner_basic ("GET", SP_API_PARTNER_SERVICES, SP_TEST_PARTNER,
                                                                SP_TEST_PARTNER_PASSWORD, NULL, NULL, -1);

    sp_test_assert_status (services, 200);
  }
  status = g_test_run ();
  sp_test_partner_stop (env, conn);
  return status;
}
