/* bench-mail.c: the outbox dispatcher: e-mails per second to a local SMTP sink, and exactly once through an outage */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "sp-db-history.h"
#include "sp-test-env.h"
#include "sp-test-mail.h"
#include "sp-test-pg.h"

/* Longest a run may take to deliver everything, outage included. */
#define DRAIN_TIMEOUT_S 900

static SpTestEnv *env;
static PGconn *conn;
static SpTestMailSink *sink;

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  return text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL) ? (guint) value : fallback;
}

/* CPU seconds (user and system) that process @pid has used so far. */
static double
cpu_seconds (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (pid <= 0 || !g_file_get_contents (path, &contents, NULL, NULL)
      || (after_name = strrchr (contents, ')')) == NULL)
    return 0;
  /* After "pid (comm)": state is field 3; utime and stime are 14 and 15. */
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

/* The CPU used so far by the server, its job connections' backends and the sink. */
typedef struct
{
  double server;
  double database;
  double sink;
} CpuUse;

static void
cpu_use (CpuUse *use)
{
  g_autoptr(GPtrArray) backends = sp_test_pg_column (conn, "SELECT pid FROM pg_stat_activity"
                                                     " WHERE application_name = 'sportello-jobs'", 0, NULL);

  use->server = cpu_seconds (sp_test_env_get_server_pid (env));
  use->sink = cpu_seconds (sp_test_mail_sink_get_pid (sink));
  use->database = 0;
  for (guint i = 0; i < backends->len; i++)
    use->database += cpu_seconds (atoi (g_ptr_array_index (backends, i)));
}

static gboolean
verify (const char *what,
        gint64      got,
        gint64      expected)
{
  printf ("# check %-52s %8" G_GINT64_FORMAT " (expected %" G_GINT64_FORMAT ") %s\n", what, got, expected,
          got == expected ? "ok" : "FAILED");
  return got == expected;
}

/* Queues @n e-mails in one transaction, through the one writer of changes
 * (taking charge: 3000 → 4000, an e-mail each); returns the outbox id before
 * them. The e-mails are claimable from the commit on. */
static char *
queue (const char *run,
       guint       n)
{
  static const SpActor actor = { "citizen", 0, "Mario Rossi", "cittadino" };
  char *before = sp_test_pg_value (conn, "SELECT coalesce (max (id), 0) FROM outbox", 0, NULL);

  sp_test_pg_command (conn, "BEGIN", 0, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email = g_strdup_printf ("bench.%s.%u@example.org", run, i);
      SpTestPratica pratica = { .servizio = SP_TEST_SERVIZIO_EXTERNAL, .status = 4000, .email = email };
      g_autofree char *id = sp_test_pratica_insert (conn, &pratica);
      g_autoptr(GError) error = NULL;

      if (!sp_db_record_change (conn, id, SP_STATUS_PENDING, SP_STATUS_REGISTERED, "Presa in carico", &actor, NULL,
                                &error))
        g_error ("sp_db_record_change: %s", error->message);
    }
  return before;
}

static gint64
sent_since (const char *before)
{
  return sp_test_pg_int (conn, "SELECT count (*) FROM outbox WHERE id > $1::bigint AND sent_at IS NOT NULL",
                         SP_TEST_PG_ARGS (before));
}

/* Waits until @target of the run's e-mails are marked sent. Returns the
 * seconds from @start, or -1 after DRAIN_TIMEOUT_S. */
static double
wait_sent (const char *before,
           gint64      target,
           gint64      start)
{
  while (sent_since (before) < target)
    {
      if (g_get_monotonic_time () - start > DRAIN_TIMEOUT_S * G_USEC_PER_SEC)
        return -1;
      g_usleep (100 * 1000);
    }
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* What the sink holds of the run: each message's Message-ID, against the
 * outbox's. */
static void
count_received (const char *before,
                guint      *delivered,
                guint      *duplicates,
                guint      *lost)
{
  g_autoptr(GPtrArray) ids = sp_test_pg_column (conn, "SELECT message_id FROM outbox WHERE id > $1::bigint",
                                                SP_TEST_PG_ARGS (before));
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) files = sp_test_mail_sink_list (sink);

  for (guint i = 0; i < ids->len; i++)
    g_hash_table_insert (counts, g_strdup (g_ptr_array_index (ids, i)), GUINT_TO_POINTER (0));
  *delivered = *duplicates = 0;
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *id = sp_test_mail_header (g_ptr_array_index (files, i), "Message-ID");
      gpointer count;

      if (id == NULL || !g_hash_table_lookup_extended (counts, id, NULL, &count))
        continue;
      if (GPOINTER_TO_UINT (count) == 0)
        (*delivered)++;
      else
        (*duplicates)++;
      g_hash_table_replace (counts, g_steal_pointer (&id), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
    }
  *lost = ids->len - *delivered;
}

/* The 1-minute load average, for the reader of the figures. */
static const char *
load_average (void)
{
  static char text[32];
  g_autofree char *contents = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    return "?";
  g_strlcpy (text, contents, MIN (sizeof text, strcspn (contents, " ") + 1));
  return text;
}

static void
print_row (const char *run,
           guint       n,
           double      seconds,
           guint       delivered,
           guint       duplicates,
           guint       lost)
{
  printf ("%-22s %8u %9.2f %9.1f %10u %11u %6u\n", run, n, seconds, seconds > 0 ? n / seconds : 0.0,
          delivered, duplicates, lost);
}

int
main (int   argc,
      char *argv[])
{
  guint n = MAX (1, env_uint ("SP_BENCH_MAIL_N", 10000));
  guint outage = env_uint ("SP_BENCH_MAIL_OUTAGE_S", 30);
  guint workers = MAX (1, env_uint ("SP_BENCH_MAIL_WORKERS", 4));
  g_autofree char *workers_text = g_strdup_printf ("%u", workers);
  g_autofree char *secret = NULL;
  g_autofree char *before = NULL;
  g_autofree char *before_outage = NULL;
  guint delivered, duplicates, lost;
  CpuUse cpu_before, cpu_after;
  gboolean ok = TRUE;
  double seconds, outage_seconds;
  gint64 start, stopped_at;

  setvbuf (stdout, NULL, _IOLBF, 0);
  env = sp_test_env_start ();
  sink = sp_test_mail_sink_start (env, FALSE);
  secret = sp_test_mail_configure (env, sink);
  sp_test_env_set_config (env, "database", "jobs-pool-size", workers_text);
  sp_test_env_restart_server (env);
  conn = sp_test_pg_connect (env);

  printf ("# %u e-mails queued at once to build-aux/mail-sink.py on 127.0.0.1 (plain SMTP), %u job workers\n",
          n, workers);
  printf ("%-22s %8s %9s %9s %10s %11s %6s\n", "# run", "e-mails", "seconds", "sent/s", "delivered", "duplicates",
          "lost");

  /* Steady: from the commit of the queue to the last one marked sent. */
  before = queue ("steady", n);
  sp_test_pg_command (conn, "COMMIT", 0, NULL);
  cpu_use (&cpu_before);
  start = g_get_monotonic_time ();
  seconds = wait_sent (before, n, start);
  cpu_use (&cpu_after);
  count_received (before, &delivered, &duplicates, &lost);
  print_row ("steady", n, seconds, delivered, duplicates, lost);
  /* What the machine's other load does not change: the work per e-mail. */
  {
    double server = (cpu_after.server - cpu_before.server) * 1000 / n;
    double database = (cpu_after.database - cpu_before.database) * 1000 / n;
    double mail_sink = (cpu_after.sink - cpu_before.sink) * 1000 / n;
    double total = server + database + mail_sink;

    printf ("# CPU per e-mail: server %.2f ms, its job connections in PostgreSQL %.2f ms, sink %.2f ms:"
            " %.2f ms, so at most %.0f e-mails/s on %ld otherwise idle cores (load now: %s)\n",
            server, database, mail_sink, total, total > 0 ? 1000.0 * sysconf (_SC_NPROCESSORS_ONLN) / total : 0.0,
            sysconf (_SC_NPROCESSORS_ONLN), load_average ());
  }
  ok &= verify ("steady: delivered once each", delivered, n);
  ok &= verify ("steady: duplicates", duplicates, 0);

  /* Outage: the sink stopped for a while once a third is through. */
  if (outage == 0)
    goto done;
  before_outage = queue ("outage", n);
  sp_test_pg_command (conn, "COMMIT", 0, NULL);
  start = g_get_monotonic_time ();
  wait_sent (before_outage, n / 3, start);
  sp_test_mail_sink_stop (sink);
  stopped_at = g_get_monotonic_time ();
  printf ("# sink stopped with %" G_GINT64_FORMAT " of %u sent; restarted after %u s\n",
          sent_since (before_outage), n, outage);
  g_usleep (outage * G_USEC_PER_SEC);
  sp_test_mail_sink_restart (sink);
  outage_seconds = (g_get_monotonic_time () - stopped_at) / (double) G_USEC_PER_SEC;
  seconds = wait_sent (before_outage, n, start);
  /* Whatever was on its way has landed. */
  g_usleep (G_USEC_PER_SEC);
  count_received (before_outage, &delivered, &duplicates, &lost);
  print_row ("with outage (total)", n, seconds, delivered, duplicates, lost);
  printf ("# the outage took %.1f s of it; after the restart the rest left in %.1f s\n", outage_seconds,
          seconds - (stopped_at - start) / (double) G_USEC_PER_SEC - outage_seconds);
  ok &= verify ("outage: delivered once each", delivered, n);
  ok &= verify ("outage: duplicates", duplicates, 0);
  ok &= verify ("outage: lost", lost, 0);

done:
  PQfinish (conn);
  sp_test_mail_sink_free (sink);
  sp_test_env_stop (env);
  return ok ? 0 : 1;
}
