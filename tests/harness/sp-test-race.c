/* sp-test-race.c: operators in threads, each with its own HTTPS session, taking the same pratiche in charge at once */
#define G_LOG_DOMAIN "sp-test-race"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-test-http.h"
#include "sp-test-race.h"

typedef struct
{
  SpTestEnv           *env;
  const char * const  *pratica_ids;
  guint                n_threads;

  GMutex               mutex;
  GCond                cond;
  guint                ready;        /* threads connected and waiting */
  gboolean             go;
  gint64               start;
  gint64               end;
  SpTestRace          *race;
} Shared;

typedef struct
{
  Shared      *shared;
  guint        index;
  const char  *token;
  guint32      seed;
} Runner;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/**
 * sp_test_percentile:
 * @samples: (element-type double): sorted here
 */
double
sp_test_percentile (GArray *samples,
                    double  p)
{
  guint index;

  if (samples->len == 0)
    return 0;
  g_array_sort (samples, compare_doubles);
  index = (guint) (p * (samples->len - 1) + 0.5);
  return g_array_index (samples, double, MIN (index, samples->len - 1));
}

static const char *
problem_type (SpTestResponse *response)
{
  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (response->json), "type", NULL);
}

static gpointer
runner_thread (gpointer data)
{
  Runner *runner = data;
  Shared *shared = runner->shared;
  /* Each thread its own main context, made its thread-default before the
   * session exists: libsoup's synchronous calls iterate it, and threads
   * sharing the global default context would take turns. */
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (runner->seed);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GArray) ok_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) taken_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) won = g_ptr_array_new ();

  g_main_context_push_thread_default (context);
  session = sp_test_session_new (sp_test_env_get_ca_file (shared->env), NULL);
  for (guint i = 0; shared->pratica_ids[i] != NULL; i++)
    g_ptr_array_add (order, (gpointer) shared->pratica_ids[i]);
  /* Fisher–Yates: each operator in its own random order. */
  for (guint i = order->len; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i);
      gpointer swap = order->pdata[i - 1];

      order->pdata[i - 1] = order->pdata[j];
      order->pdata[j] = swap;
    }

  /* Connect (TLS handshake) before the start, so that all start at once. */
  {
    g_autoptr(SoupMessage) message = sp_test_message_new (shared->env, "GET", "/api/v1.0/auth/me", runner->token,
                                                          NULL, NULL, 0);
    g_autoptr(SpTestResponse) response = sp_test_send (session, message);

    if (response->status != 200)
      g_ptr_array_add (other, g_strdup_printf ("warm-up of token %u: HTTP %u %s", runner->index, response->status,
                                               sp_test_response_text (response)));
  }

  g_mutex_lock (&shared->mutex);
  shared->ready++;
  g_cond_broadcast (&shared->cond);
  while (!shared->go)
    g_cond_wait (&shared->cond, &shared->mutex);
  g_mutex_unlock (&shared->mutex);

  for (guint i = 0; i < order->len; i++)
    {
      const char *id = order->pdata[i];
      g_autofree char *path = g_strdup_printf ("/api/v1.0/operator/pratiche/%s/take-charge", id);
      g_autoptr(SoupMessage) message = sp_test_message_new (shared->env, "POST", path, runner->token, NULL, NULL, 0);
      g_autoptr(SpTestResponse) response = NULL;
      gint64 before = g_get_monotonic_time ();
      double ms;

      response = sp_test_send (session, message);
      ms = (g_get_monotonic_time () - before) / 1000.0;
      if (response->status == 204)
        {
          g_array_append_val (ok_ms, ms);
          g_ptr_array_add (won, (gpointer) id);
        }
      else if (response->status == 409
               && g_strcmp0 (problem_type (response), "urn:sportello:problem:already-taken") == 0)
        g_array_append_val (taken_ms, ms);
      else
        g_ptr_array_add (other, g_strdup_printf ("token %u, pratica %s: HTTP %u %s%s%s", runner->index, id,
                                                 response->status, sp_test_response_text (response),
                                                 response->error != NULL ? " error: " : "",
                                                 response->error != NULL ? response->error->message : ""));
    }

  g_mutex_lock (&shared->mutex);
  shared->end = MAX (shared->end, g_get_monotonic_time ());
  shared->race->n_requests += order->len;
  shared->race->n_ok += ok_ms->len;
  shared->race->n_taken += taken_ms->len;
  shared->race->n_other += order->len - ok_ms->len - taken_ms->len;
  g_array_append_vals (shared->race->ok_ms, ok_ms->data, ok_ms->len);
  g_array_append_vals (shared->race->taken_ms, taken_ms->data, taken_ms->len);
  for (guint i = 0; i < other->len; i++)
    g_ptr_array_add (shared->race->other, g_strdup (other->pdata[i]));
  for (guint i = 0; i < won->len; i++)
    {
      if (g_hash_table_contains (shared->race->winners, won->pdata[i]))
        shared->race->n_double_wins++;
      else
        g_hash_table_insert (shared->race->winners, g_strdup (won->pdata[i]), GUINT_TO_POINTER (runner->index + 1));
    }
  g_mutex_unlock (&shared->mutex);

  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return NULL;
}

/**
 * sp_test_race_run:
 * @tokens: (array zero-terminated=1): one session token per operator (thread)
 * @pratica_ids: (array zero-terminated=1): the pratiche every operator tries
 *   to take in charge, each operator in its own random order
 *
 * Starts one thread per token, each with its own SoupSession; they connect,
 * wait for one another, then send their requests as fast as they can.
 *
 * Returns: (transfer full): what came back
 */
SpTestRace *
sp_test_race_run (SpTestEnv          *env,
                  const char * const *tokens,
                  const char * const *pratica_ids,
                  guint32             seed)
{
  Shared shared = { 0 };
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree Runner *runners = NULL;
  SpTestRace *race = g_new0 (SpTestRace, 1);

  race->other = g_ptr_array_new_with_free_func (g_free);
  race->winners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  race->ok_ms = g_array_new (FALSE, FALSE, sizeof (double));
  race->taken_ms = g_array_new (FALSE, FALSE, sizeof (double));

  shared.env = env;
  shared.pratica_ids = pratica_ids;
  shared.n_threads = g_strv_length ((char **) tokens);
  shared.race = race;
  g_mutex_init (&shared.mutex);
  g_cond_init (&shared.cond);

  runners = g_new0 (Runner, shared.n_threads);
  for (guint i = 0; i < shared.n_threads; i++)
    {
      g_autofree char *name = g_strdup_printf ("race-%u", i);

      runners[i].shared = &shared;
      runners[i].index = i;
      runners[i].token = tokens[i];
      runners[i].seed = seed * 7919 + i;
      g_ptr_array_add (threads, g_thread_new (name, runner_thread, &runners[i]));
    }

  g_mutex_lock (&shared.mutex);
  while (shared.ready < shared.n_threads)
    g_cond_wait (&shared.cond, &shared.mutex);
  shared.go = TRUE;
  shared.start = g_get_monotonic_time ();
  g_cond_broadcast (&shared.cond);
  g_mutex_unlock (&shared.mutex);

  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);

  race->seconds = (shared.end - shared.start) / 1e6;
  g_mutex_clear (&shared.mutex);
  g_cond_clear (&shared.cond);
  return race;
}

void
sp_test_race_free (SpTestRace *race)
{
  if (race == NULL)
    return;
  g_ptr_array_unref (race->other);
  g_hash_table_unref (race->winners);
  g_array_unref (race->ok_ms);
  g_array_unref (race->taken_ms);
  g_free (race);
}
