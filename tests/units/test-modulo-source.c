/* test-modulo-source.c: a modulo rendered on the CPU workers from its owned source, as the server renders one */
#define G_LOG_DOMAIN "test-modulo-source"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-json.h"
#include "sp-modulo-source.h"
#include "sp-pdf.h"
#include "sp-workers.h"

static const char schema_json[] =
  "[{\"key\":\"nome_bambino\",\"label\":\"Nome del bambino\"},"
  " {\"key\":\"isee\",\"label\":\"Valore ISEE\",\"type\":\"number\",\"sensitive\":true}]";
static const char data_json[] = "{\"nome_bambino\":\"Luca\",\"isee\":9876.5}";

static SpModuloSource *
source_new (void)
{
  SpModuloSource *source = g_new0 (SpModuloSource, 1);

  source->locale = g_strdup ("it_IT");
  source->ente_name = g_strdup ("Comune di Prova");
  source->place_name = g_strdup ("Prova (PR)");
  source->servizio_name = g_strdup ("Iscrizione asilo nido");
  source->numero = g_strdup ("2026-000077");
  source->submitted_at = g_date_time_new_utc (2026, 3, 12, 9, 41, 0);
  source->applicant_nome = g_strdup ("Maria");
  source->applicant_cognome = g_strdup ("Bianchi");
  source->applicant_cf = g_strdup ("BNCMRA85M41H501Z");
  source->applicant_email = g_strdup ("maria.bianchi@example.org");
  source->schema = sp_json_parse (schema_json, strlen (schema_json), NULL);
  source->data = sp_json_parse (data_json, strlen (data_json), NULL);
  g_assert_nonnull (source->schema);
  g_assert_nonnull (source->data);
  return source;
}

/* The same modulo drawn straight from an SpModulo on this thread. */
static GBytes *
render_here (SpModuloSource *source)
{
  g_autoptr(GError) error = NULL;
  SpModulo modulo = {
    .locale = source->locale, .ente_name = source->ente_name, .place_name = source->place_name,
    .servizio_name = source->servizio_name, .numero = source->numero, .submitted_at = source->submitted_at,
    .applicant_nome = source->applicant_nome, .applicant_cognome = source->applicant_cognome,
    .applicant_cf = source->applicant_cf, .applicant_email = source->applicant_email,
    .schema = json_node_get_array (source->schema), .data = json_node_get_object (source->data),
    .created_at = source->submitted_at,
  };
  GBytes *pdf = sp_pdf_render_modulo (&modulo, &error);

  g_assert_no_error (error);
  return pdf;
}

typedef struct
{
  SpWorkers  *workers;
  GBytes     *pdf;
  GError     *error;
  gboolean    done;
} Rendered;

static void
rendered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Rendered *rendered = user_data;

  rendered->pdf = sp_workers_run_finish (rendered->workers, result, &rendered->error);
  rendered->done = TRUE;
}

static void
test_render_on_workers (void)
{
  g_autoptr(SpWorkers) workers = sp_workers_new (2, 0);
  g_autoptr(SpModuloSource) source = source_new ();
  g_autoptr(GBytes) expected = render_here (source);
  g_autofree char *filename = sp_modulo_source_filename (source);
  Rendered rendered[4];

  /* Several at once, each on a worker thread, each the same bytes as here:
   * the drawing keeps no state between threads (the language is per thread). */
  for (guint i = 0; i < G_N_ELEMENTS (rendered); i++)
    {
      rendered[i] = (Rendered) { workers };
      sp_workers_run_async (workers, sp_modulo_source_render_work, source, NULL, (GDestroyNotify) g_bytes_unref,
                            NULL, rendered_cb, &rendered[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (rendered); i++)
    {
      while (!rendered[i].done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_no_error (rendered[i].error);
      g_assert_nonnull (rendered[i].pdf);
      g_assert_cmpmem (g_bytes_get_data (rendered[i].pdf, NULL), 5, "%PDF-", 5);
      g_assert_true (g_bytes_equal (rendered[i].pdf, expected));
      g_bytes_unref (rendered[i].pdf);
    }
  g_assert_cmpstr (filename, ==, "modulo-2026-000077.pdf");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/modulo-source/render-on-workers", test_render_on_workers);

  return g_test_run ();
}
