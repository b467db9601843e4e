/* bench-compare.c: the comparison of two versions with 10,000 nested fields (DESIGN.md §10), compared and serialised */
#define G_LOG_DOMAIN "bench-compare"

#include "config.h"

#include <stdio.h>
#include <time.h>

#include "sp-bench-snapshots.h"
#include "sp-json.h"
#include "sp-version-compare.h"

/* SP_BENCH_CPU_TIME=1: the thread's CPU time rather than the wall clock, on a
 * machine where other work takes the cores away (as the .mjs can do too). */
static clockid_t bench_clock = CLOCK_MONOTONIC;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (bench_clock, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
report (const char *what,
        GArray     *times)
{
  if (times->len == 0)
    return;
  g_array_sort (times, compare_gint64);
  printf ("%-40s p50 %8.3f ms   p95 %8.3f ms   min %8.3f ms\n", what,
          g_array_index (times, gint64, times->len / 2) / 1e6,
          g_array_index (times, gint64, MIN (times->len - 1, (times->len * 95) / 100)) / 1e6,
          g_array_index (times, gint64, 0) / 1e6);
}

static void
dump (const char *dir,
      const char *name,
      const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    g_error ("%s", error->message);
}

int
main (void)
{
  g_autofree char *old_text = sp_bench_snapshot_text (FALSE);
  g_autofree char *new_text = sp_bench_snapshot_text (TRUE);
  g_autofree char *schema = sp_bench_schema_text ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) old_snapshot = sp_json_parse_object (old_text, strlen (old_text), &error);
  g_autoptr(JsonObject) new_snapshot = NULL;
  g_autoptr(JsonNode) schema_node = NULL;
  g_autoptr(GArray) compare_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) builder_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) text_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) direct_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint rounds = g_ascii_strtoull (g_getenv ("SP_BENCH_ROUNDS") ?: "50", NULL, 10);
  const char *dump_dir = g_getenv ("SP_BENCH_COMPARE_DUMP");
  guint counts[4] = { 0, };
  guint fields_len = 0;
  gsize json_len = 0;

  if (g_getenv ("SP_BENCH_CPU_TIME") != NULL)
    bench_clock = CLOCK_THREAD_CPUTIME_ID;
  g_assert_no_error (error);
  new_snapshot = sp_json_parse_object (new_text, strlen (new_text), &error);
  g_assert_no_error (error);
  schema_node = sp_json_parse (schema, strlen (schema), &error);
  g_assert_no_error (error);

  if (dump_dir != NULL)
    {
      g_mkdir_with_parents (dump_dir, 0755);
      dump (dump_dir, "old.json", old_text);
      dump (dump_dir, "new.json", new_text);
      dump (dump_dir, "schema.json", schema);
    }

  for (guint round = 0; round <= MAX (rounds, 1); round++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *json = NULL;
      g_autoptr(GString) direct = g_string_sized_new (1 << 20);
      g_autoptr(GPtrArray) direct_fields = NULL;
      gint64 t0, t1, t2, t3, t4, t5;

      t0 = now_ns ();
      fields = sp_version_compare (old_snapshot, new_snapshot, json_node_get_array (schema_node));
      t1 = now_ns ();
      if (g_getenv ("SP_BENCH_COMPARE_ONLY") != NULL && round > 0)
        {
          t1 -= t0;
          g_array_append_val (compare_times, t1);
          continue;
        }
      sp_version_compare_to_json (fields, builder);
      root = json_builder_get_root (builder);
      t2 = now_ns ();
      json_generator_set_root (generator, root);
      json = json_generator_to_data (generator, &json_len);
      t3 = now_ns ();

      /* The same, written directly (what a response body would use). */
      t4 = now_ns ();
      direct_fields = sp_version_compare (old_snapshot, new_snapshot, json_node_get_array (schema_node));
      sp_version_compare_append_json (direct_fields, direct);
      t5 = now_ns ();

      if (round == 0)   /* warm-up */
        {
          fields_len = fields->len;
          for (guint i = 0; i < fields->len; i++)
            counts[((SpCompareField *) g_ptr_array_index (fields, i))->change]++;
          if (dump_dir != NULL)
            dump (dump_dir, "compare.json", direct->str);
          continue;
        }
      t5 -= t4;
      g_array_append_val (direct_times, t5);
      t3 -= t0;
      t2 -= t0;
      t1 -= t0;
      g_array_append_val (compare_times, t1);
      g_array_append_val (builder_times, t2);
      g_array_append_val (text_times, t3);
    }

  printf ("bench-compare: %u fields (unchanged %u, added %u, changed %u, removed %u); %u rounds\n",
          fields_len, counts[SP_CHANGE_UNCHANGED], counts[SP_CHANGE_ADDED], counts[SP_CHANGE_CHANGED],
          counts[SP_CHANGE_REMOVED], MAX (rounds, 1));
  printf ("snapshots %zu + %zu bytes of JSON; comparison %zu bytes of JSON\n",
          strlen (old_text), strlen (new_text), json_len);
  printf ("%s; SP_BENCH_COMPARE_ONLY=1: the comparison alone, as microdiff is measured\n",
          bench_clock == CLOCK_MONOTONIC ? "wall clock" : "thread CPU time");
  report ("sp_version_compare", compare_times);
  report ("compare + to_json (JsonBuilder)", builder_times);
  report ("compare + to_json + JSON text", text_times);
  report ("compare + append_json (JSON text)", direct_times);
  return 0;
}
