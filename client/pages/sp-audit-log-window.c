/* sp-audit-log-window.c: the audit's log of one pratica: who read its versions, and when */
#define G_LOG_DOMAIN "sp-audit-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-audit-log-window.h"
#include "sp-audit-log.h"
#include "sp-client-audit.h"

/*
 * SpAuditLogWindow:
 *
 * Every read an auditor made of the pratica's versions (a search that found
 * it by UUID, the list, a comparison, a check of the chain, this log), newest
 * first: what was read, who, and when to the second. The server logs each
 * read in the transaction that makes it, this one included, so the window
 * opens with its own read on top. F5 or the reload button reads it again.
 */
struct _SpAuditLogWindow
{
  AdwWindow          parent_instance;

  SpClient          *client;
  SpPraticaSummary  *pratica;
  GCancellable      *cancellable;
  guint              n_reads;

  AdwWindowTitle    *window_title;
  GtkStack          *stack;
  GtkSpinner        *spinner;
  AdwStatusPage     *error_page;
  GtkLabel          *summary_label;
  GtkListBox        *reads_list;
};

G_DEFINE_FINAL_TYPE (SpAuditLogWindow, sp_audit_log_window, ADW_TYPE_WINDOW)

static GtkWidget *
create_read_row (SpAuditLogEntry *entry)
{
  g_autofree char *what = sp_audit_log_entry_describe (entry);
  g_autofree char *at = sp_audit_log_entry_format_at (entry);
  /* Translators: under a read of the audit's log: who (name and username) · when */
  g_autofree char *who = g_strdup_printf (_("%s (%s) · %s"), entry->user, entry->username, at);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), what);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), who);
  return row;
}

static void
show_reads (SpAuditLogWindow *self,
            GPtrArray        *reads)
{
  GtkWidget *child;
  g_autofree char *summary = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->reads_list))) != NULL)
    gtk_list_box_remove (self->reads_list, child);
  for (guint i = 0; i < reads->len; i++)
    gtk_list_box_append (self->reads_list, create_read_row (g_ptr_array_index (reads, i)));
  self->n_reads = reads->len;

  summary = g_strdup_printf (g_dngettext (NULL, "%u read of the versions, newest first, this one included.",
                                          "%u reads of the versions, newest first, this one included.", reads->len),
                             reads->len);
  gtk_label_set_text (self->summary_label, summary);
  gtk_stack_set_visible_child_name (self->stack, "reads");
}

static void
log_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(SpAuditLogWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reads = sp_client_audit_log_finish (SP_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->spinner);
  g_clear_object (&self->cancellable);
  if (reads == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  show_reads (self, reads);
}

static void
reload (SpAuditLogWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  sp_client_audit_log_async (self->client, sp_pratica_summary_get_id (self->pratica), self->cancellable,
                             log_cb, g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  reload (SP_AUDIT_LOG_WINDOW (widget));
}

/**
 * sp_audit_log_window_new:
 * @pratica: the pratica whose log to show
 *
 * Returns: (transfer floating): the window, already loading the log
 */
SpAuditLogWindow *
sp_audit_log_window_new (SpClient         *client,
                         SpPraticaSummary *pratica)
{
  SpAuditLogWindow *self;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (SP_IS_CLIENT (client), NULL);
  g_return_val_if_fail (SP_IS_PRATICA_SUMMARY (pratica), NULL);

  self = g_object_new (SP_TYPE_AUDIT_LOG_WINDOW, NULL);
  self->client = g_object_ref (client);
  self->pratica = g_object_ref (pratica);
  /* Translators: the subtitle of the access log: the number of the pratica */
  subtitle = g_strdup_printf (_("Pratica %s"), sp_pratica_summary_get_data (pratica)->numero);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  reload (self);
  return self;
}

gboolean
sp_audit_log_window_get_loading (SpAuditLogWindow *self)
{
  g_return_val_if_fail (SP_IS_AUDIT_LOG_WINDOW (self), FALSE);

  return self->cancellable != NULL;
}

/* Returns: how many reads the window shows */
guint
sp_audit_log_window_get_n_reads (SpAuditLogWindow *self)
{
  g_return_val_if_fail (SP_IS_AUDIT_LOG_WINDOW (self), 0);

  return self->n_reads;
}

static void
sp_audit_log_window_dispose (GObject *object)
{
  SpAuditLogWindow *self = SP_AUDIT_LOG_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_AUDIT_LOG_WINDOW);
  g_clear_object (&self->pratica);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sp_audit_log_window_parent_class)->dispose (object);
}

static void
sp_audit_log_window_class_init (SpAuditLogWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_audit_log_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-audit-log-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SpAuditLogWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SpAuditLogWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SpAuditLogWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpAuditLogWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, SpAuditLogWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SpAuditLogWindow, reads_list);

  gtk_widget_class_install_action (widget_class, "log.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "log.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
sp_audit_log_window_init (SpAuditLogWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
