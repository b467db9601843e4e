/* sp-compare-export.c: a comparison saved as CSV (written here) or as PDF (drawn by the server) */
#define G_LOG_DOMAIN "sp-compare-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-client-audit.h"
#include "sp-compare-export.h"
#include "sp-csv.h"
#include "sp-save-chooser.h"

/*
 * CSV: the rows the window shows (the filter applies), with the field's
 * label and path, its change in words, and both values; each value column
 * is headed by its version, who saved it and when. Written by the app from
 * the comparison it already has.
 *
 * PDF: the whole comparison as the server draws it (Accept:
 * application/pdf on the same request), downloaded and checked against its
 * SHA-256; the server logs it as an export.
 *
 * Either way a file chooser asks where, in the user's Documents, with a
 * name that says which pratica and versions; a failure leaves no file.
 */

typedef struct
{
  SpClient            *client;
  SpPraticaSummary    *pratica;
  guint                from;
  guint                to;
  GBytes              *csv;          /* NULL for a PDF */
  GtkFileChooserNative *chooser;
  GFile               *file;
  GCancellable        *cancellable;
  SpCompareExportFunc  done;
  gpointer             user_data;
} Export;

static void
export_free (Export *export)
{
  g_clear_object (&export->client);
  g_clear_object (&export->pratica);
  g_clear_pointer (&export->csv, g_bytes_unref);
  if (export->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (export->chooser));
  g_clear_object (&export->chooser);
  g_clear_object (&export->file);
  g_clear_object (&export->cancellable);
  g_free (export);
}

static void
export_finish (Export       *export,
               const GError *error)
{
  export->done (error == NULL ? export->file : NULL, error, export->user_data);
  export_free (export);
}

static char *
side_title (SpPraticaVersion *version,
            const char       *side)
{
  g_autofree char *user = sp_pratica_version_format_user (version);
  g_autofree char *at = sp_pratica_version_format_at (version);

  /* Translators: the heading of a value column of an exported comparison:
   * "Vecchio valore (versione 3, Mario Rossi (operatore), 01/03/2026 10:05)" */
  return g_strdup_printf (_("%s (version %u, %s, %s)"), side, sp_pratica_version_get_number (version), user, at);
}

/**
 * sp_compare_csv_new:
 * @fields: (element-type SpFieldChange): the rows to write
 *
 * Returns: (transfer full): the CSV (common/sp-csv.h)
 */
GBytes *
sp_compare_csv_new (SpVersionComparison *comparison,
                    GListModel          *fields)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autofree char *old_title = side_title (comparison->from, _("Old value"));
  g_autofree char *new_title = side_title (comparison->to, _("New value"));
  guint n_fields = g_list_model_get_n_items (fields);

  sp_csv_begin (csv);
  sp_csv_append_field (csv, _("Field"), TRUE);
  sp_csv_append_field (csv, _("Path"), TRUE);
  sp_csv_append_field (csv, C_("audit column", "Change"), TRUE);
  sp_csv_append_field (csv, old_title, TRUE);
  sp_csv_append_field (csv, new_title, TRUE);
  sp_csv_end_record (csv);
  for (guint i = 0; i < n_fields; i++)
    {
      g_autoptr(SpFieldChange) field = g_list_model_get_item (fields, i);

      sp_csv_append_field (csv, sp_field_change_get_label (field), TRUE);
      sp_csv_append_field (csv, sp_field_change_get_path (field), TRUE);
      sp_csv_append_field (csv, sp_audit_change_get_label (sp_field_change_get_change (field)), FALSE);
      sp_csv_append_field (csv, sp_field_change_get_old_text (field), TRUE);
      sp_csv_append_field (csv, sp_field_change_get_new_text (field), TRUE);
      sp_csv_end_record (csv);
    }
  return g_string_free_to_bytes (g_steal_pointer (&csv));
}

static void
csv_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *name = g_file_get_parse_name (export->file);
      g_autoptr(GError) shown = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                             _("The file “%s” cannot be written: %s."), name, error->message);

      export_finish (export, shown);
      return;
    }
  export_finish (export, error);
}

static void
pdf_downloaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;

  sp_client_audit_compare_pdf_finish (SP_CLIENT (object), result, &error);
  export_finish (export, error);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     Export          *export)
{
  if (response != GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Export cancelled");

      export_finish (export, cancelled);
      return;
    }
  export->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (export->csv != NULL)
    g_file_replace_contents_bytes_async (export->file, export->csv, NULL, FALSE, G_FILE_CREATE_NONE,
                                         export->cancellable, csv_written_cb, export);
  else
    sp_client_audit_compare_pdf_async (export->client, sp_pratica_summary_get_id (export->pratica),
                                       export->from, export->to, export->file, export->cancellable, pdf_downloaded_cb, export);
}

/**
 * sp_compare_export:
 * @widget: the file chooser is modal to its window
 * @fields: (element-type SpFieldChange): the rows shown, for a CSV
 * @pdf: the PDF the server draws, rather than a CSV
 * @done: called once when the export ends (a cancelled chooser gives
 *   %G_IO_ERROR_CANCELLED)
 *
 * Asks where to save the comparison, then saves it.
 */
void
sp_compare_export (GtkWidget           *widget,
                   SpClient            *client,
                   SpPraticaSummary    *pratica,
                   SpVersionComparison *comparison,
                   GListModel          *fields,
                   gboolean             pdf,
                   GCancellable        *cancellable,
                   SpCompareExportFunc  done,
                   gpointer             user_data)
{
  Export *export = g_new0 (Export, 1);
  g_autofree char *name = NULL;

  export->client = g_object_ref (client);
  export->pratica = g_object_ref (pratica);
  export->from = sp_pratica_version_get_number (comparison->from);
  export->to = sp_pratica_version_get_number (comparison->to);
  export->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  export->done = done;
  export->user_data = user_data;
  name = g_strdup_printf ("confronto-%s-v%u-v%u.%s", sp_pratica_summary_get_data (pratica)->numero,
                          export->from, export->to, pdf ? "pdf" : "csv");
  if (pdf)
    export->chooser = sp_save_chooser_new (widget, _("Export the Comparison as PDF"), name, _("PDF documents"),
                                           "application/pdf", "pdf");
  else
    {
      export->csv = sp_compare_csv_new (comparison, fields);
      export->chooser = sp_save_chooser_new (widget, _("Export the Comparison as CSV"), name, _("CSV files"),
                                             "text/csv", "csv");
    }
  g_signal_connect (export->chooser, "response", G_CALLBACK (chooser_response_cb), export);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (export->chooser));
}
