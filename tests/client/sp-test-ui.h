#pragma once

/* Helpers of the desktop app's UI tests (tests/client): start the app, wait
 * for the main loop, find and press widgets, check what they show, sign in
 * through the API, save screenshots. */

#include <gtk/gtk.h>

#include "sp-application.h"
#include "sp-client.h"
#include "sp-test-env.h"
#include "sp-window.h"

G_BEGIN_DECLS

#define SP_TEST_UI_WAIT_SECONDS 30

gboolean    sp_test_ui_init              (int         *argc,
                                          char      ***argv);
SpApplication *sp_test_ui_application_new (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean    sp_test_ui_skip              (gboolean     have_display,
                                          gboolean     have_server);
void        sp_test_ui_close_window      (gpointer     window);
gboolean    sp_test_ui_wake_up_cb        (gpointer     data);
void        sp_test_ui_spin              (guint        milliseconds);
gpointer    sp_test_ui_template_child    (gpointer     widget,
                                          GType        widget_type,
                                          const char  *name);
GtkWidget  *sp_test_ui_find_named        (GtkWidget   *root,
                                          const char  *name);
GtkWidget  *sp_test_ui_find_type         (GtkWidget   *root,
                                          GType        type);
void        sp_test_ui_collect_type      (GtkWidget   *root,
                                          GType        type,
                                          GPtrArray   *out);
char       *sp_test_ui_collect_text      (GtkWidget   *root) G_GNUC_WARN_UNUSED_RESULT;
const char *sp_test_ui_row_value         (GtkWidget   *root,
                                          const char  *name);
void        sp_test_ui_assert_shown_in_full (GtkWidget *widget,
                                             gboolean   at_natural_width);
gboolean    sp_test_ui_offers_tooltip    (GtkWidget   *widget);
const char *sp_test_ui_shown_page        (GtkWidget   *widget);
void        sp_test_ui_save_screenshot   (GtkWidget   *widget,
                                          const char  *name);
AdwMessageDialog *sp_test_ui_find_message_dialog (void);
void        sp_test_ui_respond           (AdwMessageDialog *dialog,
                                          const char       *response);
GtkFileChooser *sp_test_ui_find_file_chooser (void);
void        sp_test_ui_set_documents_folder (const char *dir,
                                             gboolean    exists);
void        sp_test_ui_assert_chooser_folder (GtkFileChooser *chooser,
                                              const char     *path);
void        sp_test_ui_click_button      (gpointer     root,
                                          const char  *label);
void        sp_test_ui_press             (GtkWidget   *button);
SpWindow   *sp_test_ui_open_signed_in    (SpTestEnv      *env,
                                          GtkApplication *application,
                                          const char     *username,
                                          int             width);
SpClient   *sp_test_ui_sign_in           (SpTestEnv   *env,
                                          const char  *username,
                                          const char  *password) G_GNUC_WARN_UNUSED_RESULT;

/* Spins the main loop until @expr holds (at most SP_TEST_UI_WAIT_SECONDS), then asserts it. */
#define SP_TEST_UI_WAIT_UNTIL(expr)                                                       \
  G_STMT_START {                                                                          \
    gint64 deadline_ = g_get_monotonic_time () + SP_TEST_UI_WAIT_SECONDS * G_USEC_PER_SEC; \
    guint wake_up_ = g_timeout_add (20, sp_test_ui_wake_up_cb, NULL);                     \
    while (!(expr) && g_get_monotonic_time () < deadline_)                                \
      g_main_context_iteration (NULL, TRUE);                                              \
    g_source_remove (wake_up_);                                                           \
    g_assert_true (expr);                                                                 \
  } G_STMT_END

G_END_DECLS
