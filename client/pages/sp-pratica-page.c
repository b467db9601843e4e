/* sp-pratica-page.c: the "Dettaglio pratica" page: status, modulo and protocol, iter, form data, documents, Elabora */
#define G_LOG_DOMAIN "sp-pratica-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-client-pratica.h"
#include "sp-document-row.h"
#include "sp-error.h"
#include "sp-form-view.h"
#include "sp-iter-row.h"
#include "sp-page.h"
#include "sp-style.h"
#include "sp-person.h"
#include "sp-pratica-page-private.h"
#include "sp-protocol-row.h"

/*
 * One pratica, as the operator manual shows it ("Visualizza il dettaglio
 * della pratica"): the status, the modulo with its protocol number or the
 * "In attesa di protocollazione" warning, the iter, the form data and the
 * documents. The page has its own header bar with a back button that emits
 * SpPraticaPage::back; the window shows it over its pages. Every
 * registration (`protocols`) is listed: the internal register's rows and the
 * entries partners sent, the pratica's main number marked. What the operator
 * does with the pratica, "Prendi in carico" and "Elabora", is
 * sp-pratica-page-actions.c.
 */

static void page_iface_init (SpPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SpPraticaPage, sp_pratica_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (SP_TYPE_PAGE, page_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_PRATICA_ID,
  N_PROPS
};

enum {
  BACK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Dates and times in the user's locale: 12/03/2026 and 12/03/2026 09:41. */
static char *
format_date (GDateTime *datetime)
{
  g_autoptr(GDateTime) local = NULL;

  if (datetime == NULL)
    return NULL;
  local = g_date_time_to_local (datetime);
  return g_date_time_format (local, "%x");
}

static char *
format_datetime (GDateTime *datetime)
{
  g_autoptr(GDateTime) local = NULL;

  if (datetime == NULL)
    return NULL;
  local = g_date_time_to_local (datetime);
  return g_date_time_format (local, "%x %H:%M");
}

static const char *
status_class (SpStatus status)
{
  switch (status)
    {
    case SP_STATUS_PENDING:
    case SP_STATUS_PENDING_AFTER_INTEGRATION:
    case SP_STATUS_PROCESSING:
      return "sp-status-working";
    case SP_STATUS_REQUEST_INTEGRATION:
    case SP_STATUS_COMPLETE_WAITING:
    case SP_STATUS_CANCELLED_WAITING:
      return "sp-status-waiting";
    case SP_STATUS_COMPLETE:
      return "sp-status-accepted";
    case SP_STATUS_CANCELLED:
      return "sp-status-rejected";
    case SP_STATUS_SUBMITTED:
    case SP_STATUS_REGISTERED:
    case SP_STATUS_WITHDRAWN:
    case SP_STATUS_INVALID:
    default:
      return "sp-status-new";
    }
}

static void
show_state (SpPraticaPage *self,
            const char    *state)
{
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  gtk_stack_set_visible_child_name (self->stack, state);
}

void
sp_pratica_page_set_busy (SpPraticaPage *self,
                          gboolean       busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->header_spinner), busy);
  gtk_spinner_set_spinning (self->header_spinner, busy);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
show_header (SpPraticaPage *self)
{
  SpPraticaSummaryData *data = sp_pratica_summary_get_data (self->detail->summary);
  const char *classes[] = { "sp-status-pill", status_class (data->status), NULL };
  g_autofree char *title = NULL;
  g_autofree char *applicant = NULL;
  g_autofree char *submitted = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *assignee = NULL;

  /* Translators: %s is the number of the application, e.g. 2026-000123 */
  title = g_strdup_printf (_("Application %s"), data->numero);
  gtk_label_set_text (self->title_label, title);
  adw_window_title_set_subtitle (self->window_title, title);

  gtk_label_set_text (self->status_label, sp_status_get_label (data->status));
  gtk_widget_set_css_classes (GTK_WIDGET (self->status_label), classes);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), _("Current status"));
  gtk_label_set_text (self->servizio_label, data->servizio_name);

  applicant = sp_person_format_name (data->applicant_cognome, data->applicant_nome);
  gtk_label_set_text (self->applicant_label, applicant);
  gtk_label_set_text (self->cf_label, data->applicant_cf);

  submitted = format_datetime (data->submitted_at);
  gtk_label_set_text (self->submitted_label, submitted ? submitted : "—");

  deadline = format_date (data->deadline_at);
  gtk_widget_remove_css_class (GTK_WIDGET (self->deadline_label), "error");
  if (deadline != NULL && !sp_status_is_concluded (data->status))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      if (sp_pratica_summary_days_left (self->detail->summary, now) < 0)
        {
          g_autofree char *overdue = NULL;

          /* Translators: %s is the deadline, a date in the past */
          overdue = g_strdup_printf (_("%s (overdue)"), deadline);
          g_free (deadline);
          deadline = g_steal_pointer (&overdue);
          gtk_widget_add_css_class (GTK_WIDGET (self->deadline_label), "error");
        }
    }
  gtk_label_set_text (self->deadline_label, deadline ? deadline : "—");

  if (data->assignee_name == NULL)
    assignee = g_strdup (_("Nobody yet"));
  else if (self->detail->assigned_to_me)
    /* Translators: %s is the full name of the signed-in operator */
    assignee = g_strdup_printf (_("%s (you)"), data->assignee_name);
  else
    assignee = g_strdup (data->assignee_name);
  gtk_label_set_text (self->assignee_label, assignee);
}

/* A row for @info: the one shown before, if it is downloading, or a new one. */
static GtkWidget *
document_row (SpPraticaPage        *self,
              GHashTable           *old_rows,
              const char           *prefix,
              const SpDocumentInfo *info)
{
  g_autofree char *key = g_strconcat (prefix, info->id, NULL);
  GtkWidget *row = old_rows != NULL ? g_hash_table_lookup (old_rows, key) : NULL;

  if (row != NULL && sp_document_row_is_downloading (SP_DOCUMENT_ROW (row)))
    {
      g_object_ref (row);
      g_hash_table_remove (old_rows, key);
      if (gtk_widget_get_parent (row) != NULL)
        gtk_list_box_remove (GTK_LIST_BOX (gtk_widget_get_parent (row)), row);
    }
  else
    {
      row = g_object_ref_sink (sp_document_row_new (self->client, self->pratica_id, info,
                                                    !g_str_equal (prefix, "document:")));
    }

  g_hash_table_insert (self->document_rows, g_steal_pointer (&key), row);
  return row;
}

/* The outcome, its motivation and the response letter, once there is one. */
static void
show_outcome (SpPraticaPage *self,
              GHashTable    *old_rows)
{
  const char *outcome = self->detail->outcome;
  const char *motivation = self->detail->motivation;

  clear_list (self->outcome_list);
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_group), outcome != NULL || motivation != NULL);

  if (outcome != NULL)
    {
      const char *text = g_str_equal (outcome, "accepted") ? _("Accepted")
                         : g_str_equal (outcome, "rejected") ? _("Rejected")
                         : outcome;
      GtkWidget *row = sp_form_view_create_row (_("Outcome"), text, FALSE);
      GtkWidget *value = gtk_widget_get_last_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));

      gtk_widget_set_name (row, "outcome");
      if (g_str_equal (outcome, "accepted"))
        gtk_widget_add_css_class (value, "success");
      else if (g_str_equal (outcome, "rejected"))
        gtk_widget_add_css_class (value, "error");
      gtk_widget_add_css_class (value, "heading");
      gtk_list_box_append (self->outcome_list, row);
    }
  if (motivation != NULL)
    {
      GtkWidget *row = sp_form_view_create_row (_("Motivation"), motivation, FALSE);

      gtk_widget_set_name (row, "motivation");
      gtk_list_box_append (self->outcome_list, row);
    }
  for (guint i = 0; outcome != NULL && i < self->detail->documents->len; i++)
    {
      const SpDocumentInfo *info = g_ptr_array_index (self->detail->documents, i);

      if (g_strcmp0 (info->kind, "risposta") == 0)
        gtk_list_box_append (self->outcome_list, document_row (self, old_rows, "risposta:", info));
    }
}

static void
show_modulo (SpPraticaPage *self,
             GHashTable    *old_rows)
{
  SpPraticaSummaryData *data = sp_pratica_summary_get_data (self->detail->summary);
  SpProtocolState protocol = sp_pratica_summary_get_protocol_state (self->detail->summary);
  const SpDocumentInfo *modulo = NULL;
  GtkWidget *row;

  clear_list (self->modulo_list);

  for (guint i = 0; i < self->detail->documents->len && modulo == NULL; i++)
    {
      const SpDocumentInfo *info = g_ptr_array_index (self->detail->documents, i);

      if (g_strcmp0 (info->kind, "modulo") == 0)
        modulo = info;
    }

  if (modulo != NULL)
    {
      row = document_row (self, old_rows, "modulo:", modulo);
    }
  else
    {
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The form is not available"));
      gtk_widget_add_css_class (row, "dim-label");
    }
  gtk_list_box_append (self->modulo_list, row);

  if (protocol == SP_PROTOCOL_REGISTERED)
    {
      g_autofree char *date = format_datetime (self->detail->protocol_date);
      g_autofree char *text = NULL;

      if (date != NULL)
        /* Translators: the protocol number, then the date and time of registration */
        text = g_strdup_printf (_("No. %s of %s"), data->protocol_number, date);
      else
        text = g_strdup_printf (_("No. %s"), data->protocol_number);
      row = sp_form_view_create_row (_("Protocol"), text, FALSE);
    }
  else
    {
      /* Worded as in the dashboard and its export. */
      row = sp_form_view_create_row (_("Protocol"), sp_pratica_summary_get_protocol_text (self->detail->summary),
                                     FALSE);
    }
  gtk_widget_set_name (row, "protocol");
  gtk_list_box_append (self->modulo_list, row);

  gtk_widget_set_visible (self->protocol_warning, protocol == SP_PROTOCOL_WAITING);
}

/* The main number when no listed registration carries it (set another way,
 * e.g. by an import): the header shows it, so the register says where it is. */
static GtkWidget *
main_number_row (SpPraticaPage *self,
                 const char    *number)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *pill = gtk_label_new (C_("protocol number", "Main"));
  g_autofree char *title = g_strdup_printf (_("No. %s"), number);
  g_autofree char *date = format_datetime (self->detail->protocol_date);
  g_autofree char *subtitle = NULL;

  if (date != NULL)
    /* Translators: the date and time the pratica got its main protocol number */
    subtitle = g_strdup_printf (_("%s · Main protocol number of the application, with no entry in the register"),
                                date);
  else
    subtitle = g_strdup (_("Main protocol number of the application, with no entry in the register"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_name (row, "main-only");
  gtk_widget_set_name (pill, "main");
  gtk_widget_add_css_class (pill, "sp-status-pill");
  gtk_widget_add_css_class (pill, "sp-status-working");
  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);
  return row;
}

/* Every registration: the internal register's, then the partners' entries. */
static void
show_protocols (SpPraticaPage *self)
{
  GPtrArray *protocols = self->detail->protocols;
  const char *main_number = sp_pratica_summary_get_data (self->detail->summary)->protocol_number;
  gboolean main_listed = FALSE;

  clear_list (self->protocols_list);
  for (guint i = 0; i < protocols->len; i++)
    {
      const SpProtocolRecord *record = g_ptr_array_index (protocols, i);

      gtk_list_box_append (self->protocols_list, sp_protocol_row_new (record, i));
      main_listed = main_listed || record->main;
    }
  if (main_number != NULL && !main_listed)
    gtk_list_box_append (self->protocols_list, main_number_row (self, main_number));

  if (protocols->len == 0 && main_number == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     self->detail->protocol_required
                                     ? _("No protocol registration yet")
                                     : _("No protocol registration: the service does not require it"));
      gtk_widget_set_name (row, "no-protocols");
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->protocols_list, row);
    }
}

static void
show_iter (SpPraticaPage *self)
{
  GPtrArray *iter = self->detail->iter;

  clear_list (self->iter_list);
  for (guint i = 0; i < iter->len; i++)
    gtk_list_box_append (self->iter_list, sp_iter_row_new (g_ptr_array_index (iter, i), i + 1 == iter->len));

  if (iter->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No status changes recorded"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->iter_list, row);
    }
}

static void
show_documents (SpPraticaPage *self,
                GHashTable    *old_rows)
{
  GPtrArray *documents = self->detail->documents;

  clear_list (self->documents_list);
  for (guint i = 0; i < documents->len; i++)
    gtk_list_box_append (self->documents_list,
                         document_row (self, old_rows, "document:", g_ptr_array_index (documents, i)));

  if (documents->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No documents"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->documents_list, row);
    }
}

static void
cancel_downloads (GHashTable *rows)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    sp_document_row_cancel (row);
}

/* Shows @detail (transfer full) in place of what was shown. */
void
sp_pratica_page_show_detail (SpPraticaPage   *self,
                             SpPraticaDetail *detail)
{
  g_autoptr(GHashTable) old_rows = g_steal_pointer (&self->document_rows);

  g_clear_pointer (&self->detail, sp_pratica_detail_free);
  self->detail = detail;
  self->document_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  show_header (self);
  sp_pratica_page_show_actions (self);
  show_outcome (self, old_rows);
  show_modulo (self, old_rows);
  show_protocols (self);
  show_iter (self);
  sp_form_view_set_fields (self->form_view, detail->fields);
  show_documents (self, old_rows);

  /* What is no longer shown stops. */
  cancel_downloads (old_rows);
  show_state (self, "content");
}

static void
show_error (SpPraticaPage *self,
            const GError  *error)
{
  gboolean not_found = g_error_matches (error, SP_ERROR, SP_ERROR_NOT_FOUND);

  /* Gone: back is what is left to do; otherwise trying again may help. */
  if (not_found)
    {
      gtk_widget_add_css_class (self->error_back_button, "suggested-action");
      gtk_widget_remove_css_class (self->error_retry_button, "suggested-action");
    }
  else
    {
      gtk_widget_remove_css_class (self->error_back_button, "suggested-action");
      gtk_widget_add_css_class (self->error_retry_button, "suggested-action");
    }

  if (not_found)
    {
      adw_status_page_set_icon_name (self->error_page, "edit-find-symbolic");
      adw_status_page_set_title (self->error_page, _("Application Not Found or Not Accessible"));
      adw_status_page_set_description (self->error_page,
                                       _("It does not exist, or it belongs to a service you are not enabled for."));
    }
  else
    {
      adw_status_page_set_icon_name (self->error_page, "network-error-symbolic");
      adw_status_page_set_title (self->error_page, _("Cannot Load the Application"));
      adw_status_page_set_description (self->error_page, error->message);
    }
  show_state (self, "error");
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SpPraticaPage) self = user_data;
  g_autoptr(GError) error = NULL;
  SpPraticaDetail *detail;

  detail = sp_client_get_pratica_finish (SP_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  sp_pratica_page_set_busy (self, FALSE);

  if (detail == NULL)
    {
      g_debug ("Cannot load pratica %s: %s", self->pratica_id, error->message);
      /* A failed refresh keeps what is shown, unless the pratica is gone. */
      if (self->detail != NULL && !g_error_matches (error, SP_ERROR, SP_ERROR_NOT_FOUND))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      else
        show_error (self, error);
      return;
    }

  sp_pratica_page_show_detail (self, detail);
}

static void
sp_pratica_page_refresh (SpPage *page)
{
  SpPraticaPage *self = SP_PRATICA_PAGE (page);

  if (self->client == NULL || self->pratica_id == NULL || !sp_client_is_signed_in (self->client))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* The first load fills the page; later ones keep it while they run. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "content") == 0)
    sp_pratica_page_set_busy (self, TRUE);
  else
    show_state (self, "loading");

  sp_client_get_pratica_async (self->client, self->pratica_id, self->cancellable,
                               load_cb, g_object_ref (self));
}

static void
sp_pratica_page_reset (SpPage *page)
{
  SpPraticaPage *self = SP_PRATICA_PAGE (page);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->taking);
  g_clear_object (&self->taking);
  sp_pratica_page_set_busy (self, FALSE);
  cancel_downloads (self->document_rows);
  g_hash_table_remove_all (self->document_rows);
  clear_list (self->outcome_list);
  clear_list (self->modulo_list);
  clear_list (self->protocols_list);
  clear_list (self->iter_list);
  clear_list (self->documents_list);
  sp_form_view_set_fields (self->form_view, NULL);
  g_clear_pointer (&self->detail, sp_pratica_detail_free);
  sp_pratica_page_close_elabora (self);
  sp_pratica_page_show_actions (self);
  show_state (self, "loading");
  gtk_spinner_set_spinning (self->spinner, FALSE);
}

static gboolean
sp_pratica_page_is_available (SpPage       *page,
                              const SpUser *user)
{
  return user != NULL && user->role == SP_ROLE_OPERATORE;
}

static void
page_iface_init (SpPageInterface *iface)
{
  iface->is_available = sp_pratica_page_is_available;
  iface->refresh = sp_pratica_page_refresh;
  iface->reset = sp_pratica_page_reset;
}

/* Other actions */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sp_page_refresh (SP_PAGE (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[BACK], 0);
}

static void
sp_pratica_page_dispose (GObject *object)
{
  SpPraticaPage *self = SP_PRATICA_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->taking);
  g_clear_object (&self->taking);
  sp_pratica_page_live_stop (self);
  if (self->document_rows != NULL)
    cancel_downloads (self->document_rows);
  if (self->detail_box != NULL)
    sp_pratica_page_close_elabora (self);
  g_clear_object (&self->detail_box);
  g_clear_pointer (&self->document_rows, g_hash_table_unref);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sp_pratica_page_parent_class)->dispose (object);
}

static void
sp_pratica_page_finalize (GObject *object)
{
  SpPraticaPage *self = SP_PRATICA_PAGE (object);

  g_free (self->pratica_id);
  g_clear_pointer (&self->detail, sp_pratica_detail_free);

  G_OBJECT_CLASS (sp_pratica_page_parent_class)->finalize (object);
}

static void
sp_pratica_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SpPraticaPage *self = SP_PRATICA_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_PRATICA_ID:
      g_value_set_string (value, self->pratica_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_pratica_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SpPraticaPage *self = SP_PRATICA_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      if (g_set_object (&self->client, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_PRATICA_ID:
      g_free (self->pratica_id);
      self->pratica_id = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_pratica_page_class_init (SpPraticaPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_pratica_page_dispose;
  object_class->finalize = sp_pratica_page_finalize;
  object_class->get_property = sp_pratica_page_get_property;
  object_class->set_property = sp_pratica_page_set_property;

  g_object_class_override_property (object_class, PROP_CLIENT, "client");

  /**
   * SpPraticaPage:pratica-id:
   *
   * The UUID of the pratica shown.
   */
  properties[PROP_PRATICA_ID] =
    g_param_spec_string ("pratica-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_PRATICA_ID, properties[PROP_PRATICA_ID]);

  /**
   * SpPraticaPage::back:
   *
   * The user wants to go back to the dashboard.
   */
  signals[BACK] = g_signal_new ("back",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL,
                                G_TYPE_NONE, 0);

  g_type_ensure (SP_TYPE_FORM_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-pratica-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, elabora_button);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, header_spinner);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, take_charge_button);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, error_back_button);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, error_retry_button);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, servizio_label);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, applicant_label);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, cf_label);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, submitted_label);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, assignee_label);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, outcome_group);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, outcome_list);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, modulo_list);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, protocol_warning);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, protocols_list);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, iter_list);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, form_view);
  gtk_widget_class_bind_template_child (widget_class, SpPraticaPage, documents_list);

  gtk_widget_class_install_action (widget_class, "pratica.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "pratica.back", NULL, back_action);
  sp_pratica_page_install_actions (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "pratica.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "pratica.back", NULL);
}

static void
sp_pratica_page_init (SpPraticaPage *self)
{
  sp_style_ensure ("sp-pratica-page.css");
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Kept while Elabora takes its place. */
  self->detail_box = g_object_ref (adw_bin_get_child (ADW_BIN (self)));

  self->document_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  sp_pratica_page_show_actions (self);
  sp_pratica_page_live_init (self);
}

/**
 * sp_pratica_page_new:
 * @pratica_id: the UUID of the pratica
 *
 * Returns: (transfer floating): a page that starts loading the pratica at once
 */
SpPraticaPage *
sp_pratica_page_new (SpClient   *client,
                     const char *pratica_id)
{
  SpPraticaPage *self;

  g_return_val_if_fail (SP_IS_CLIENT (client), NULL);
  g_return_val_if_fail (pratica_id != NULL, NULL);

  self = g_object_new (SP_TYPE_PRATICA_PAGE,
                       "client", client,
                       "pratica-id", pratica_id,
                       NULL);
  sp_page_refresh (SP_PAGE (self));
  return self;
}

const char *
sp_pratica_page_get_pratica_id (SpPraticaPage *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_PAGE (self), NULL);

  return self->pratica_id;
}

/**
 * sp_pratica_page_get_detail:
 *
 * Returns: (nullable) (transfer none): the pratica shown, once loaded
 */
const SpPraticaDetail *
sp_pratica_page_get_detail (SpPraticaPage *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_PAGE (self), NULL);

  return self->detail;
}
