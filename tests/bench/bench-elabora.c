/* bench-elabora.c: Elabora's figures: the response PDF (drawn, and concluded through the API), a 25 MiB upload and download with the server's peak memory */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <stdio.h>

#include "sp-risposta.h"
#include "sp-test-elabora.h"
#include "sp-test-pg.h"

#define MIB (1024.0 * 1024.0)

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  return text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL) ? (guint) value : fallback;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *samples,
            double  fraction)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, MIN (samples->len - 1, (guint) (fraction * samples->len)));
}

/* kB of a line of /proc/PID/status. */
static guint64
proc_status_kb (int         pid,
                const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL) || (line = strstr (status, field)) == NULL)
    g_error ("Cannot read %s of %s", field, path);
  return g_ascii_strtoull (line + strlen (field), NULL, 10);
}

/* The response PDF alone, as the CPU workers draw it. */
static void
bench_render (guint rounds)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  gsize size = 0;

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(SpRisposta) risposta = sp_risposta_new ();
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start;
      double ms;

      risposta->locale = g_strdup ("it_IT");
      risposta->ente_name = g_strdup ("Comune di Valfiorita");
      risposta->place_name = g_strdup ("Valfiorita (VF)");
      risposta->servizio_name = g_strdup ("Contributo per l'affitto");
      risposta->numero = g_strdup_printf ("2026-%06u", i);
      risposta->submitted_at = g_date_time_new_now_utc ();
      risposta->protocol_number = g_strdup ("2026/0001234");
      risposta->protocol_date = g_date_time_new_now_utc ();
      risposta->applicant_nome = g_strdup ("Giulia");
      risposta->applicant_cognome = g_strdup ("Verdi");
      risposta->applicant_email = g_strdup ("giulia.verdi@example.org");
      risposta->accepted = i % 2 == 0;
      risposta->motivazione = g_strdup ("Requisiti verificati: reddito ISEE entro la soglia, contratto registrato.");
      risposta->date = g_date_time_new_now_utc ();
      sp_risposta_add_attachment (risposta, "determina.pdf.p7m", "ROSSI MARIO");

      start = g_get_monotonic_time ();
      pdf = sp_risposta_render (risposta, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      size = g_bytes_get_size (pdf);
      g_array_append_val (samples, ms);
    }
  printf ("%-44s %8u rounds  p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms  (%zu bytes)\n",
          "response PDF, drawn (one thread)", rounds, percentile (samples, 0.50), percentile (samples, 0.95),
          percentile (samples, 1.0), size);
}

/* Saving and concluding through the API: the PDF drawn on the server's CPU
 * workers and stored with the conclusion. */
static void
bench_conclude (SpTestElabora *fixture,
                guint          rounds)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GBytes) file = g_bytes_new_static ("%PDF-1.4 determina\n", 19);

  for (guint i = 0; i < rounds; i++)
    {
      g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
      g_autoptr(SpTestResponse) uploaded = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, "determina.pdf",
                                                                   "application/pdf", file);
      g_autofree char *body = NULL;
      g_autoptr(SpTestResponse) saved = NULL;
      g_autoptr(SpTestResponse) concluded = NULL;
      gint64 start;
      double ms;

      g_assert_cmpuint (uploaded->status, ==, 201);
      body = g_strdup_printf ("{\"esito\": \"rejected\", \"motivazione\": \"Fuori termine.\", \"risposta\": \"%s\","
                              " \"steps\": {\"verifica\": {\"istruttore\": \"Neri\", \"data\": \"2026-03-02\","
                              " \"esito_verifica\": \"Non conforme\", \"documenti\": true}}}",
                              json_object_get_string_member (sp_test_response_object (uploaded), "id"));
      saved = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, body);
      g_assert_cmpuint (saved->status, ==, 200);
      start = g_get_monotonic_time ();
      concluded = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_cmpuint (concluded->status, ==, 200);
      g_array_append_val (samples, ms);
    }
  printf ("%-44s %8u rounds  p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms\n",
          "POST …/conclude (check, draw, store, detail)", rounds, percentile (samples, 0.50),
          percentile (samples, 0.95), percentile (samples, 1.0));
}

static GBytes *
random_bytes (gsize size)
{
  guint32 *data = g_malloc (size + 4);

  for (gsize i = 0; i < size / 4 + 1; i++)
    data[i] = g_random_int ();
  return g_bytes_new_take (data, size);
}

/* A file up and down again, and what the server's peak memory did meanwhile. */
static gboolean
bench_transfer (SpTestElabora *fixture,
                gsize          size,
                guint          rounds)
{
  int pid = sp_test_env_get_server_pid (fixture->env);
  g_autoptr(GBytes) content = random_bytes (size);
  g_autoptr(GBytes) warm = random_bytes (1024 * 1024);
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  gboolean ok = TRUE;

  /* Warm up: pools, TLS session, the first allocations of every path. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SpTestResponse) up = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, "warm.bin",
                                                             "application/octet-stream", warm);
      g_autoptr(SpTestResponse) down = sp_test_elabora_download (fixture, id, json_object_get_string_member (
                                                                   sp_test_response_object (up), "id"),
                                                                 SP_TEST_OPERATOR);

      g_assert_cmpuint (down->status, ==, 200);
    }

  for (guint i = 0; i < rounds; i++)
    {
      guint64 hwm_before = proc_status_kb (pid, "VmHWM:");
      guint64 hwm_upload, hwm_download;
      g_autoptr(SpTestResponse) up = NULL;
      g_autoptr(SpTestResponse) down = NULL;
      gint64 start = g_get_monotonic_time ();
      double up_s, down_s;

      up = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, "grande.bin", "application/octet-stream", content);
      up_s = (g_get_monotonic_time () - start) / 1e6;
      g_assert_cmpuint (up->status, ==, 201);
      hwm_upload = proc_status_kb (pid, "VmHWM:");

      start = g_get_monotonic_time ();
      down = sp_test_elabora_download (fixture, id, json_object_get_string_member (sp_test_response_object (up), "id"),
                                       SP_TEST_OPERATOR);
      down_s = (g_get_monotonic_time () - start) / 1e6;
      g_assert_cmpuint (down->status, ==, 200);
      g_assert_true (g_bytes_equal (down->body, content));
      hwm_download = proc_status_kb (pid, "VmHWM:");

      printf ("%4.0f MiB round %u: upload %6.2f s (%6.1f MiB/s), download %6.2f s (%6.1f MiB/s);"
              " server VmHWM %6.1f MiB before, %6.1f after the upload, %6.1f after the download"
              " (+%.1f MiB; VmRSS now %.1f MiB)\n",
              size / MIB, i + 1, up_s, size / MIB / up_s, down_s, size / MIB / down_s, hwm_before / 1024.0,
              hwm_upload / 1024.0, hwm_download / 1024.0, (hwm_download - hwm_before) / 1024.0,
              proc_status_kb (pid, "VmRSS:") / 1024.0);
      if ((hwm_download - hwm_before) * 1024 >= size / 2)
        {
          printf ("# FAILED: the server's peak memory grew by %.1f MiB for a %.0f MiB file\n",
                  (hwm_download - hwm_before) / 1024.0, size / MIB);
          ok = FALSE;
        }
    }
  return ok;
}

int
main (int   argc,
      char *argv[])
{
  guint render_rounds = MAX (1, env_uint ("SP_BENCH_PDF_ROUNDS", 200));
  guint conclude_rounds = MAX (1, env_uint ("SP_BENCH_CONCLUDE_ROUNDS", 30));
  guint transfer_rounds = MAX (1, env_uint ("SP_BENCH_TRANSFER_ROUNDS", 3));
  SpTestElabora *fixture;
  gboolean ok;

  setvbuf (stdout, NULL, _IOLBF, 0);
  bench_render (render_rounds);
  fixture = sp_test_elabora_start (FALSE);
  bench_conclude (fixture, conclude_rounds);
  ok = bench_transfer (fixture, 25 * 1024 * 1024, transfer_rounds);
  sp_test_elabora_stop (fixture);
  return ok ? 0 : 1;
}
