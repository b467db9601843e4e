/* bench-compare.c: the comparison of two versions with 10,000 nested fields (DESIGN.md §10), from their jsonb text */
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
  g_autofree char *old_text = sp_bench_jsonb_text (FALSE);
  g_autofree char *new_text = sp_bench_jsonb_text (TRUE);
  g_autofree char *schema = sp_bench_schema_text ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) schema_node = NULL;
  g_autoptr(GArray) read_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) schema_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) list_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) json_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) fields_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint rounds = g_ascii_strtoull (g_getenv ("SP_BENCH_ROUNDS") ?: "50", NULL, 10);
  const char *dump_dir = g_getenv ("SP_BENCH_COMPARE_DUMP");
  gsize old_len = strlen (old_text);
  gsize new_len = strlen (new_text);
  JsonArray *fields_schema;
  guint counts[4] = { 0, };
  guint fields_len = 0;
  gsize json_len = 0;

  if (g_getenv ("SP_BENCH_CPU_TIME") != NULL)
    bench_clock = CLOCK_THREAD_CPUTIME_ID;
  schema_node = sp_json_parse (schema, strlen (schema), &error);
  g_assert_no_error (error);
  fields_schema = json_node_get_array (schema_node);

  if (dump_dir != NULL)
    {
      g_mkdir_with_parents (dump_dir, 0755);
      dump (dump_dir, "old.json", old_text);
      dump (dump_dir, "new.json", new_text);
      dump (dump_dir, "schema.json", schema);
    }

  for (guint round = 0; round <= MAX (rounds, 1); round++)
    {
      g_autoptr(SpJsonTape) old_tape = NULL;
      g_autoptr(SpJsonTape) new_tape = NULL;
      g_autoptr(SpCompareSchema) compare_schema = NULL;
      g_autoptr(SpCompareList) list = NULL;
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GString) json = g_string_new (NULL);
      gint64 t0, t1, t2, t3, t4, t5, t6, ts;

      /* The texts read (as JSON.parse for microdiff), then compared: every
       * field listed as a row (as microdiff lists the differences). The
       * service's schema is made first, as once for all its comparisons:
       * microdiff has none. */
      t0 = now_ns ();
      old_tape = sp_json_tape_new (old_text, old_len, 512, &error);
      new_tape = sp_json_tape_new (new_text, new_len, 512, &error);
      t1 = now_ns ();
      compare_schema = sp_compare_schema_new (fields_schema);
      ts = now_ns ();
      list = sp_version_compare_list (old_tape, new_tape, compare_schema);
      t2 = now_ns ();
      g_assert_no_error (error);

      /* What the server does: from the texts to the response's JSON text. */
      t3 = now_ns ();
      if (!sp_version_compare_append_json (old_text, old_len, new_text, new_len, fields_schema, json, &error))
        g_error ("%s", error->message);
      t4 = now_ns ();

      /* What the PDF does: every field made an SpCompareField. */
      if (g_getenv ("SP_BENCH_COMPARE_FIELDS") != NULL || round == 0)
        {
          t5 = now_ns ();
          fields = sp_version_compare (old_text, old_len, new_text, new_len, fields_schema, &error);
          t6 = now_ns ();
          g_assert_no_error (error);
          t6 -= t5;
          if (round > 0)
            g_array_append_val (fields_times, t6);
        }

      if (round == 0)   /* warm-up */
        {
          fields_len = fields->len;
          json_len = json->len;
          for (guint i = 0; i < fields->len; i++)
            counts[((SpCompareField *) g_ptr_array_index (fields, i))->change]++;
          g_assert_cmpuint (sp_compare_list_get_length (list), ==, fields->len);
          if (dump_dir != NULL)
            dump (dump_dir, "compare.json", json->str);
          continue;
        }
      t4 -= t3;
      t2 -= ts;
      ts -= t1;
      t1 -= t0;
      g_array_append_val (schema_times, ts);
      g_array_append_val (read_times, t1);
      g_array_append_val (list_times, t2);
      g_array_append_val (json_times, t4);
    }

  printf ("bench-compare: %u fields (unchanged %u, added %u, changed %u, removed %u); %u rounds\n",
          fields_len, counts[SP_CHANGE_UNCHANGED], counts[SP_CHANGE_ADDED], counts[SP_CHANGE_CHANGED],
          counts[SP_CHANGE_REMOVED], MAX (rounds, 1));
  printf ("snapshots %zu + %zu bytes of jsonb text; comparison %zu bytes of JSON; %s\n", old_len, new_len, json_len,
          bench_clock == CLOCK_MONOTONIC ? "wall clock" : "thread CPU time");
  report ("read both texts (sp_json_tape_new)", read_times);
  report ("the service's schema, made once", schema_times);
  report ("compare, every field a row", list_times);
  report ("read + compare + JSON text (server)", json_times);
  report ("read + compare + SpCompareField list", fields_times);
  printf ("# microdiff (bench-compare-microdiff.mjs) is timed on objects JSON.parse made, as the row\n"
          "# \"compare\" is on the texts read; JSON.parse + microdiff compares with \"read\" + \"compare\".\n");
  return 0;
}
