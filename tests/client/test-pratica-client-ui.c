/* test-pratica-client-ui.c: the per-pratica client API: downloads with progress, opening a private file, taking charge */
#define G_LOG_DOMAIN "test-pratica-client-ui"

#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "sp-client-pratica.h"
#include "sp-document-row.h"
#include "sp-error.h"
#include "sp-test-pratica-page.h"
#include "sp-test-ui.h"

/*
 * The real SpPraticaPage and SpClient against a real sportello-server
 * (sp-test-pratica-page.c). Run under Xvfb; screenshots go to
 * $SPORTELLO_SCREENSHOT_DIR.
 */

static SpTestEnv *env;
static SpTestPratiche *pratiche;

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  GArray   *progress;       /* of goffset pairs: current, total */
  gboolean  cancel_at_first;
  GCancellable *cancellable;
} Call;

/* Forgets the outcome of the last call, for the next one. */
static void
call_reset (Call *call)
{
  g_clear_error (&call->error);
  g_clear_pointer (&call->progress, g_array_unref);
  g_clear_object (&call->cancellable);
  memset (call, 0, sizeof *call);
}

static void
progress_cb (goffset  current,
             goffset  total,
             gpointer user_data)
{
  Call *call = user_data;
  goffset pair[2] = { current, total };

  g_assert_false (call->done);
  g_array_append_vals (call->progress, pair, 2);
  if (call->cancel_at_first && current > 0)
    g_cancellable_cancel (call->cancellable);
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Call *call = user_data;

  call->ok = sp_client_download_document_finish (SP_CLIENT (object), result, &call->error);
  call->done = TRUE;
}

static void
download (SpClient   *client,
          const char *pratica_id,
          const char *document_id,
          GFile      *file,
          Call       *call)
{
  call->progress = g_array_new (FALSE, FALSE, sizeof (goffset));
  call->cancellable = g_cancellable_new ();
  sp_client_download_document_async (client, pratica_id, document_id, file, call->cancellable,
                                     progress_cb, call, download_cb, call);
  SP_TEST_UI_WAIT_UNTIL (call->done);
}

/* The progress reports: from 0 to @size, never backwards, @size as total. */
static void
assert_progress (Call    *call,
                 goffset  size,
                 guint    min_reports)
{
  const goffset *values = (const goffset *) call->progress->data;
  guint n = call->progress->len / 2;

  g_assert_cmpuint (n, >=, min_reports);
  g_assert_cmpint (values[0], ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (values[2 * i + 1], ==, size);
      if (i > 0)
        g_assert_cmpint (values[2 * i], >, values[2 * i - 2]);
    }
  g_assert_cmpint (values[2 * (n - 1)], ==, size);
}

/* A PDF, and not the stored one. */
static void
assert_masked_modulo (const char *contents,
                      gsize       length)
{
  gsize stored_length;
  const char *stored = g_bytes_get_data (pratiche->modulo_pdf, &stored_length);

  g_assert_cmpuint (length, >, 5);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_false (length == stored_length && memcmp (contents, stored, length) == 0);
}

static void
test_download (void)
{
  g_autoptr(SpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GFile) file = NULL;
  Call call = { 0 };
  gsize length = 0;

  if (sp_test_pratica_skip ())
    return;

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  dir = g_dir_make_tmp ("sp-download-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "modulo.pdf", NULL);
  file = g_file_new_for_path (path);

  /* The modulo of a pratica that is not the operator's: drawn again with its
   * sensitive values masked (the server's one visibility rule), never the
   * stored bytes; progress from 0 to its size. */
  download (client, pratiche->waiting_id, pratiche->modulo_id, file, &call);
  g_assert_no_error (call.error);
  g_assert_true (call.ok);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  assert_masked_modulo (contents, length);
  assert_progress (&call, length, 2);
  call_reset (&call);
  g_clear_pointer (&contents, g_free);

  /* A large one: many reports; the file is what the database holds. */
  g_clear_pointer (&path, g_free);
  g_clear_object (&file);
  path = g_build_filename (dir, "planimetria catastale.pdf", NULL);
  file = g_file_new_for_path (path);
  expected = sp_test_sql (env, "SELECT encode (sha256 (lo_get (content_oid)), 'hex') || ' ' || length (lo_get (content_oid))"
                               " FROM document WHERE id = '%s'", pratiche->allegato_id);
  download (client, pratiche->registered_id, pratiche->allegato_id, file, &call);
  g_assert_no_error (call.error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  {
    g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
    g_autofree char *actual = g_strdup_printf ("%s %zu", sha256, length);

    g_assert_cmpstr (actual, ==, expected);
  }
  assert_progress (&call, length, 4);
  call_reset (&call);
  g_clear_pointer (&contents, g_free);

  /* A checksum that differs: an error, and no file left. */
  g_free (sp_test_sql (env, "UPDATE document SET sha256 = repeat ('0', 64) WHERE id = '%s'", pratiche->allegato_id));
  g_assert_true (g_file_delete (file, NULL, NULL));
  download (client, pratiche->registered_id, pratiche->allegato_id, file, &call);
  g_assert_error (call.error, SP_ERROR, SP_ERROR_INTERNAL);
  g_assert_cmpstr (call.error->message, ==,
                   "Il file scaricato è danneggiato: il suo checksum non corrisponde a quello del server. Riprova.");
  g_assert_false (g_file_query_exists (file, NULL));
  call_reset (&call);
  g_free (sp_test_sql (env, "UPDATE document SET sha256 = encode (sha256 (lo_get (content_oid)), 'hex') WHERE id = '%s'",
                       pratiche->allegato_id));

  /* Cancelled half-way: the partial file is deleted. */
  call.cancel_at_first = TRUE;
  download (client, pratiche->registered_id, pratiche->allegato_id, file, &call);
  g_assert_error (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_query_exists (file, NULL));
  call_reset (&call);

  /* A document of another pratica, or none: not found, nothing written. */
  download (client, pratiche->waiting_id, pratiche->allegato_id, file, &call);
  g_assert_error (call.error, SP_ERROR, SP_ERROR_NOT_FOUND);
  g_assert_false (g_file_query_exists (file, NULL));
  call_reset (&call);

  /* Through the row, as "Scarica" does once the file is chosen. */
  {
    g_autoptr(SpClient) row_client = g_object_ref (client);
    g_autoptr(GFile) saved = g_file_new_build_filename (dir, "salvato.pdf", NULL);
    SpDocumentInfo info = { (char *) pratiche->modulo_id, (char *) "modulo", (char *) "modulo-2026-000123.pdf",
                            (char *) "application/pdf", (gint64) g_bytes_get_size (pratiche->modulo_pdf), NULL, NULL, NULL };
    GtkWindow *window = GTK_WINDOW (gtk_window_new ());
    GtkWidget *list = gtk_list_box_new ();
    GtkWidget *row = sp_document_row_new (row_client, pratiche->waiting_id, &info, TRUE);
    GtkStack *stack = sp_test_ui_template_child (row, SP_TYPE_DOCUMENT_ROW, "stack");

    gtk_list_box_append (GTK_LIST_BOX (list), row);
    gtk_window_set_child (window, list);
    gtk_window_present (window);
    sp_document_row_save_to (SP_DOCUMENT_ROW (row), saved);
    g_assert_true (sp_document_row_is_downloading (SP_DOCUMENT_ROW (row)));
    g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "progress");
    SP_TEST_UI_WAIT_UNTIL (!sp_document_row_is_downloading (SP_DOCUMENT_ROW (row)));
    g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "buttons");
    g_assert_cmpfloat (gtk_progress_bar_get_fraction (sp_test_ui_template_child (row, SP_TYPE_DOCUMENT_ROW, "progress_bar")),
                       ==, 1.0);
    g_assert_true (g_file_load_contents (saved, NULL, &contents, &length, NULL, &error));
    g_assert_no_error (error);
    assert_masked_modulo (contents, length);
    g_assert_true (g_file_delete (saved, NULL, NULL));
    sp_test_pratica_close (window);
  }

  {
    g_autofree char *first = g_build_filename (dir, "modulo.pdf", NULL);

    g_assert_cmpint (g_unlink (first), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
  }
}

/* "Apri" downloads into the session's private folder (below
 * $XDG_RUNTIME_DIR, set by main() for the test) and opens the file there. */
static char *
open_modulo (SpClient *client)
{
  SpDocumentInfo info = { (char *) pratiche->modulo_id, (char *) "modulo", (char *) "modulo-2026-000123.pdf",
                          (char *) "application/pdf", (gint64) g_bytes_get_size (pratiche->modulo_pdf), NULL, NULL, NULL };
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = sp_document_row_new (client, pratiche->waiting_id, &info, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const char *dir;
  char *path;
  GStatBuf info_dir;

  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (window, list);
  gtk_window_present (window);
  g_assert_true (gtk_widget_activate_action (row, "document.open", NULL));
  g_assert_true (sp_document_row_is_downloading (SP_DOCUMENT_ROW (row)));
  SP_TEST_UI_WAIT_UNTIL (!sp_document_row_is_downloading (SP_DOCUMENT_ROW (row)));
  sp_test_pratica_close (window);

  /* A folder of its own, only the user's, not in the cache. */
  dir = sp_client_get_private_dir (client, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (dir, g_get_user_runtime_dir ()));
  g_assert_cmpint (g_stat (dir, &info_dir), ==, 0);
  g_assert_cmpint (info_dir.st_mode & 0777, ==, 0700);
  path = g_build_filename (dir, pratiche->modulo_id, "modulo-2026-000123.pdf", NULL);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  return path;
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (sp_client_logout_finish (SP_CLIENT (object), result, NULL));
  *done = TRUE;
}

static void
test_open_private (void)
{
  g_autofree char *legacy = g_build_filename (g_get_user_cache_dir (), "sportello", "documents", "x", NULL);
  g_autofree char *legacy_file = g_build_filename (legacy, "modulo.pdf", NULL);
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  SpClient *client;
  gboolean done = FALSE;

  if (sp_test_pratica_skip ())
    return;

  /* What an earlier version left in the cache. */
  g_assert_cmpint (g_mkdir_with_parents (legacy, 0700), ==, 0);
  g_assert_true (g_file_set_contents (legacy_file, "%PDF-", -1, NULL));

  /* Signing out deletes the folder and what it holds. */
  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  path = open_modulo (client);
  dir = g_path_get_dirname (path);
  sp_client_logout_async (client, NULL, logout_cb, &done);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (legacy_file, G_FILE_TEST_EXISTS));
  SP_TEST_UI_WAIT_UNTIL (done);
  /* Signed out, there is no folder to write to. */
  g_assert_null (sp_client_get_private_dir (client, NULL));
  g_assert_finalize_object (client);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&dir, g_free);

  /* So does the end of the app, which drops its client. */
  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  path = open_modulo (client);
  dir = g_path_get_dirname (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (client);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

static void
take_charge_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Call *call = user_data;

  call->ok = sp_client_take_charge_finish (SP_CLIENT (object), result, &call->error);
  call->done = TRUE;
}

static void
take_charge (SpClient   *client,
             const char *pratica_id,
             Call       *call)
{
  sp_client_take_charge_async (client, pratica_id, NULL, take_charge_cb, call);
  SP_TEST_UI_WAIT_UNTIL (call->done);
}

static void
test_take_charge (void)
{
  g_autoptr(SpClient) client = NULL;
  g_autoptr(SpClient) colleague = NULL;
  Call call = { 0 };

  if (sp_test_pratica_skip ())
    return;

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  colleague = sp_test_ui_sign_in (env, SP_TEST_OPERATOR2, SP_TEST_PASSWORD);

  /* Waiting for the protocol number: refused. */
  take_charge (client, pratiche->waiting_id, &call);
  g_assert_error (call.error, SP_ERROR, SP_ERROR_CONFLICT);
  call_reset (&call);

  /* Free: taken; the colleague then learns by whom. */
  take_charge (client, pratiche->free_id, &call);
  g_assert_no_error (call.error);
  g_assert_true (call.ok);
  call_reset (&call);

  take_charge (colleague, pratiche->free_id, &call);
  g_assert_error (call.error, SP_ERROR, SP_ERROR_ALREADY_TAKEN);
  g_assert_cmpstr (call.error->message, ==, "La pratica è già stata presa in carico da Operatore di Prova.");
  call_reset (&call);

  /* Not visible: not found. */
  take_charge (client, pratiche->elsewhere_id, &call);
  g_assert_error (call.error, SP_ERROR, SP_ERROR_NOT_FOUND);
  call_reset (&call);
}

int
main (int   argc,
      char *argv[])
{
  sp_test_pratica_ui_init (&argc, &argv);
  env = sp_test_pratica_ui_env ();
  pratiche = sp_test_pratica_ui_pratiche ();

  g_test_add_func ("/sportello/client/pratica/download", test_download);
  g_test_add_func ("/sportello/client/pratica/open-private", test_open_private);
  g_test_add_func ("/sportello/client/pratica/take-charge", test_take_charge);

  return sp_test_pratica_ui_run ();
}
