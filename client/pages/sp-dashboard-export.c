/* sp-dashboard-export.c: "Esporta CSV": every pratica of the current list, page by page, to a file */
#define G_LOG_DOMAIN "sp-dashboard-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-client-dashboard.h"
#include "sp-csv.h"
#include "sp-dashboard-page-private.h"
#include "sp-save-chooser.h"
#include "sp-status.h"

/*
 * The file is CSV as common/sp-csv.h writes it for Italian spreadsheets
 * (semicolons, a byte order mark, no formula injection). The columns are those of
 * the table plus the id, with the applicant split into surname, name and
 * codice fiscale and the deadline as date and days left.
 *
 * The export asks the server for the same bucket, search and order as the
 * list, 500 rows at a time, and writes each page before asking for the next,
 * so a large list needs little memory. A dialog shows the progress and can
 * cancel; a cancelled or failed export leaves no partial file behind (a file
 * that existed before is replaced only when the export completes).
 */

#define EXPORT_PAGE_SIZE 500

struct _SpDashboardExport
{
  SpDashboardPage      *page;           /* owns the export */
  SpClient             *client;
  SpBucket              bucket;
  char                 *search;
  SpSortKey             sort;
  gboolean              descending;
  gint64                total;          /* -1 when unknown */
  gint64                written;
  char                 *cursor;
  GDateTime            *now;

  GtkFileChooserNative *chooser;
  GFile                *file;
  gboolean              existed;
  GFileOutputStream    *stream;
  GCancellable         *cancellable;
  AdwMessageDialog     *dialog;
  GtkProgressBar       *progress_bar;
  GBytes               *pending;        /* what is being written */
  gboolean              fetched_first;
};

/* CSV */

/**
 * sp_dashboard_csv_append_header:
 *
 * The byte order mark and the header record.
 */
void
sp_dashboard_csv_append_header (GString *csv)
{
  const char *titles[] = {
    _("ID"), _("Number"), _("Surname"), _("Name"), _("Codice fiscale"), _("Service"),
    _("Submitted On"), _("Status"), _("Protocol"), _("Deadline"), _("Days Left"), _("Assigned To"),
  };

  sp_csv_begin (csv);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    sp_csv_append_field (csv, titles[i], TRUE);
  sp_csv_end_record (csv);
}

/**
 * sp_dashboard_csv_append_row:
 * @now: the time the days left are counted from
 *
 * One record, the columns of sp_dashboard_csv_append_header().
 */
void
sp_dashboard_csv_append_row (GString          *csv,
                             SpPraticaSummary *summary,
                             GDateTime        *now)
{
  SpPraticaSummaryData *data = sp_pratica_summary_get_data (summary);
  g_autofree char *submitted = sp_dashboard_format_date (data->submitted_at);
  g_autofree char *deadline = NULL;
  g_autofree char *days_left = NULL;
  const char *protocol = sp_pratica_summary_get_protocol_text (summary);
  gsize start = csv->len;

  if (data->deadline_at != NULL && !sp_status_is_concluded (data->status))
    {
      deadline = sp_dashboard_format_date (data->deadline_at);
      days_left = g_strdup_printf ("%d", sp_pratica_summary_days_left (summary, now));
    }

  /* The first field must not be taken for a separator after the previous record. */
  g_string_append (csv, data->id);
  g_assert (csv->len > start);
  sp_csv_append_field (csv, data->numero, TRUE);
  sp_csv_append_field (csv, data->applicant_cognome, TRUE);
  sp_csv_append_field (csv, data->applicant_nome, TRUE);
  sp_csv_append_field (csv, data->applicant_cf, TRUE);
  sp_csv_append_field (csv, data->servizio_name, TRUE);
  sp_csv_append_field (csv, submitted, FALSE);
  sp_csv_append_field (csv, sp_status_get_label (data->status), FALSE);
  sp_csv_append_field (csv, protocol, TRUE);
  sp_csv_append_field (csv, deadline, FALSE);
  sp_csv_append_field (csv, days_left, FALSE);
  sp_csv_append_field (csv, data->assignee_name != NULL ? data->assignee_name : data->assignee_username, TRUE);
  sp_csv_end_record (csv);
}

/* The export */

static void export_next_page (SpDashboardExport *export);

static SpDashboardExport *
export_ref (SpDashboardExport *export)
{
  return g_rc_box_acquire (export);
}

static void
export_clear (gpointer data)
{
  SpDashboardExport *export = data;

  g_clear_object (&export->client);
  g_clear_object (&export->file);
  g_clear_object (&export->stream);
  g_clear_object (&export->cancellable);
  g_clear_pointer (&export->pending, g_bytes_unref);
  g_clear_pointer (&export->now, g_date_time_unref);
  g_free (export->search);
  g_free (export->cursor);
}

static void
export_unref (SpDashboardExport *export)
{
  g_rc_box_release_full (export, export_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDashboardExport, export_unref)

/* Closes the dialogs; the callbacks in flight see the cancellation. */
static void
close_dialogs (SpDashboardExport *export)
{
  if (export->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (export->chooser, export);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (export->chooser));
      g_clear_object (&export->chooser);
    }
  if (export->dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (export->dialog, export);
      gtk_window_destroy (GTK_WINDOW (export->dialog));
      export->dialog = NULL;
      export->progress_bar = NULL;
    }
}

/**
 * sp_dashboard_export_free:
 *
 * The page lets the export go (sign-out, disposal): it is cancelled, and its
 * callbacks in flight end it.
 */
void
sp_dashboard_export_free (SpDashboardExport *export)
{
  if (export == NULL)
    return;

  export->page = NULL;
  g_cancellable_cancel (export->cancellable);
  close_dialogs (export);
  export_unref (export);
}

/* The export is over: the page forgets it and may show a toast. */
static void
finish (SpDashboardExport *export,
        const char        *toast_title)
{
  SpDashboardPage *page = export->page;

  close_dialogs (export);
  if (page == NULL || page->export != export)
    return;

  page->export = NULL;
  export->page = NULL;
  if (toast_title != NULL)
    sp_dashboard_page_add_toast (page, adw_toast_new (toast_title));
  gtk_widget_action_set_enabled (GTK_WIDGET (page), "dashboard.export",
                                 g_list_model_get_n_items (G_LIST_MODEL (page->model)) > 0);
  export_unref (export);
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_delete_finish (G_FILE (object), result, &error))
    g_debug ("Cannot remove the partial export: %s", error->message);
}

static void
discard_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;

  /* Closing with a cancelled cancellable drops a replacement; a new file stays. */
  g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, NULL);
  if (file != NULL)
    g_file_delete_async (file, G_PRIORITY_DEFAULT, NULL, delete_cb, NULL);
}

/* Ends a cancelled or failed export without leaving a partial file. */
static void
abandon (SpDashboardExport *export,
         const GError      *error)
{
  g_autofree char *message = NULL;

  g_cancellable_cancel (export->cancellable);
  if (export->stream != NULL)
    {
      g_output_stream_close_async (G_OUTPUT_STREAM (export->stream), G_PRIORITY_DEFAULT, export->cancellable,
                                   discard_cb, export->existed ? NULL : g_object_ref (export->file));
      g_clear_object (&export->stream);
    }

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("CSV export failed: %s", error->message);
      /* Translators: a toast; %s says why */
      message = g_strdup_printf (_("The export failed: %s"), error->message);
    }
  finish (export, message);
}

static void
update_progress (SpDashboardExport *export)
{
  g_autofree char *text = NULL;
  g_autofree char *written = g_strdup_printf ("%'" G_GINT64_FORMAT, export->written);

  if (export->progress_bar == NULL)
    return;

  if (export->total > 0)
    {
      g_autofree char *total = g_strdup_printf ("%'" G_GINT64_FORMAT, export->total);

      gtk_progress_bar_set_fraction (export->progress_bar,
                                     CLAMP ((double) export->written / (double) export->total, 0.0, 1.0));
      /* Translators: the progress of the CSV export: pratiche written of all */
      text = g_strdup_printf (_("%s of %s"), written, total);
    }
  else
    {
      gtk_progress_bar_pulse (export->progress_bar);
      text = g_steal_pointer (&written);
    }
  gtk_progress_bar_set_text (export->progress_bar, text);
}

static void
close_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SpDashboardExport) export = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *count = NULL;
  g_autofree char *title = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      if (!export->existed)
        g_file_delete_async (export->file, G_PRIORITY_DEFAULT, NULL, delete_cb, NULL);
      g_clear_object (&export->stream);
      abandon (export, error);
      return;
    }
  g_clear_object (&export->stream);

  name = g_file_get_basename (export->file);
  count = g_strdup_printf ("%'" G_GINT64_FORMAT, export->written);
  /* Translators: a toast: how many pratiche, then the file name */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s pratica exported to “%s”",
                                        "%s pratiche exported to “%s”",
                                        (gulong) MIN (export->written, G_MAXLONG)),
                           count, name);
  g_debug ("Exported %" G_GINT64_FORMAT " pratiche to %s", export->written, g_file_peek_path (export->file));
  finish (export, title);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SpDashboardExport) export = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error)
      || g_cancellable_set_error_if_cancelled (export->cancellable, &error))
    {
      abandon (export, error);
      return;
    }

  g_clear_pointer (&export->pending, g_bytes_unref);
  update_progress (export);
  if (export->cursor != NULL || !export->fetched_first)
    export_next_page (export);
  else
    g_output_stream_close_async (G_OUTPUT_STREAM (export->stream), G_PRIORITY_DEFAULT, export->cancellable,
                                 close_cb, export_ref (export));
}

/* Writes @csv (taken); write_cb() goes on with the next page or closes. */
static void
write_string (SpDashboardExport *export,
              GString           *csv)
{
  gsize length = csv->len;

  g_clear_pointer (&export->pending, g_bytes_unref);
  export->pending = g_bytes_new_take (g_string_free (csv, FALSE), length);
  g_output_stream_write_all_async (G_OUTPUT_STREAM (export->stream),
                                   g_bytes_get_data (export->pending, NULL), length,
                                   G_PRIORITY_DEFAULT, export->cancellable, write_cb, export_ref (export));
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SpDashboardExport) export = user_data;
  g_autoptr(SpDashboardResult) page = NULL;
  g_autoptr(GError) error = NULL;
  GString *csv;

  page = sp_client_list_pratiche_finish (SP_CLIENT (object), result, &error);
  if (page == NULL)
    {
      abandon (export, error);
      return;
    }

  if (page->has_counts)
    export->total = page->counts[export->bucket];

  csv = g_string_sized_new (page->items->len * 200 + 1);
  for (guint i = 0; i < page->items->len; i++)
    sp_dashboard_csv_append_row (csv, g_ptr_array_index (page->items, i), export->now);
  export->written += page->items->len;
  g_free (export->cursor);
  export->cursor = g_steal_pointer (&page->next_cursor);
  export->fetched_first = TRUE;

  if (csv->len == 0)
    {
      /* An empty list: the header alone. */
      g_string_free (csv, TRUE);
      g_output_stream_close_async (G_OUTPUT_STREAM (export->stream), G_PRIORITY_DEFAULT, export->cancellable,
                                   close_cb, export_ref (export));
      return;
    }
  write_string (export, csv);
}

static void
export_next_page (SpDashboardExport *export)
{
  sp_client_list_pratiche_async (export->client, export->bucket, export->search, export->sort,
                                 export->descending, export->cursor, EXPORT_PAGE_SIZE,
                                 export->cancellable, page_cb, export_ref (export));
}

static void
replace_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SpDashboardExport) export = user_data;
  g_autoptr(GError) error = NULL;
  GString *csv;

  export->stream = g_file_replace_finish (G_FILE (object), result, &error);
  if (export->stream == NULL)
    {
      abandon (export, error);
      return;
    }

  /* The header, then write_cb() asks for the first page. */
  csv = g_string_new (NULL);
  sp_dashboard_csv_append_header (csv);
  write_string (export, csv);
}

static void
query_info_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SpDashboardExport) export = user_data;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, NULL);

  if (g_cancellable_is_cancelled (export->cancellable))
    {
      abandon (export, NULL);
      return;
    }
  export->existed = info != NULL;
  g_file_replace_async (export->file, NULL, FALSE, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT,
                        export->cancellable, replace_cb, export_ref (export));
}

static void
dialog_response_cb (AdwMessageDialog  *dialog,
                    const char        *response,
                    SpDashboardExport *export)
{
  /* The dialog closes itself; the callback in flight ends the export. */
  g_signal_handlers_disconnect_by_data (dialog, export);
  export->dialog = NULL;
  export->progress_bar = NULL;
  g_cancellable_cancel (export->cancellable);
}

static void
show_progress (SpDashboardExport *export,
               GtkWindow         *parent)
{
  g_autofree char *name = g_file_get_basename (export->file);
  g_autofree char *body = NULL;

  /* Translators: %s is the name of the CSV file */
  body = g_strdup_printf (_("Saving the pratiche of the list to “%s”."), name);
  export->dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Exporting Pratiche"), body));
  export->progress_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (export->progress_bar, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (export->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pratiche exported"),
                                  -1);
  adw_message_dialog_set_extra_child (export->dialog, GTK_WIDGET (export->progress_bar));
  adw_message_dialog_add_response (export->dialog, "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (export->dialog, "cancel");
  g_signal_connect (export->dialog, "response", G_CALLBACK (dialog_response_cb), export);
  update_progress (export);
  gtk_window_present (GTK_WINDOW (export->dialog));
}

static void
chooser_response_cb (GtkNativeDialog   *chooser,
                     int                response,
                     SpDashboardExport *export)
{
  GtkWindow *parent = gtk_native_dialog_get_transient_for (chooser);

  if (response == GTK_RESPONSE_ACCEPT)
    export->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_debug ("Export to %s", export->file ? g_file_peek_path (export->file) : "nowhere (cancelled)");
  close_dialogs (export);

  if (export->file == NULL)
    {
      finish (export, NULL);
      return;
    }

  show_progress (export, parent);
  g_file_query_info_async (export->file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, export->cancellable, query_info_cb, export_ref (export));
}

/**
 * sp_dashboard_export_start:
 *
 * Asks where to save the current list (bucket, search and order) as CSV,
 * starting in the user's Documents, then writes it. One export at a time.
 */
void
sp_dashboard_export_start (SpDashboardPage *self)
{
  SpDashboardExport *export;
  g_autofree char *date = NULL;
  g_autofree char *name = NULL;
  gint64 counts[SP_N_BUCKETS];

  if (self->export != NULL || self->client == NULL || !sp_client_is_signed_in (self->client))
    return;

  export = g_rc_box_new0 (SpDashboardExport);
  export->page = self;
  export->client = g_object_ref (self->client);
  export->bucket = sp_pratica_list_model_get_bucket (self->model);
  export->search = g_strdup (sp_pratica_list_model_get_search (self->model));
  export->sort = sp_pratica_list_model_get_sort (self->model);
  export->descending = sp_pratica_list_model_get_descending (self->model);
  export->total = sp_pratica_list_model_get_counts (self->model, counts) ? counts[export->bucket] : -1;
  export->now = g_date_time_ref (self->now);
  export->cancellable = g_cancellable_new ();
  self->export = export;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.export", FALSE);

  date = g_date_time_format (self->now, "%Y-%m-%d");
  name = g_strdup_printf ("pratiche-%s-%s.csv", sp_bucket_to_string (export->bucket), date);

  export->chooser = sp_save_chooser_new (GTK_WIDGET (self), _("Export the Pratiche as CSV"), name,
                                         _("CSV files"), "text/csv", "csv");
  g_signal_connect (export->chooser, "response", G_CALLBACK (chooser_response_cb), export);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (export->chooser));
}
