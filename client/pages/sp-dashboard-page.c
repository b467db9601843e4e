/* sp-dashboard-page.c: the "Pannello di controllo": the buckets, the table of pratiche, "Prendi in carico" */
#define G_LOG_DOMAIN "sp-dashboard-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-client-pratica.h"
#include "sp-dashboard-page-private.h"
#include "sp-error.h"
#include "sp-page.h"
#include "sp-person.h"
#include "sp-take-charge-dialog.h"

/*
 * The operator's first page (DESIGN.md §7). Four toggle buttons choose the
 * bucket and show its count; the search box and the column headers choose
 * the search and the order, which the server applies (SpPraticaListModel
 * fetches the rows page by page). The row's button is "Vedi dettaglio"
 * (the window's `win.show-pratica` action) or, in *Da assegnare*, "Prendi in
 * carico", which asks for confirmation, assigns the pratica on the server
 * and opens it.
 *
 * The sort state lives in the column view's own sorter, so the headers show
 * the arrow and toggle the direction as in any GTK table. GTK 4.8 has no
 * public accessor for the primary sort column (GtkColumnViewSorter's getters
 * are 4.10), so read_sort_state() asks the sorter to compare two dummy items:
 * it calls the sorter of the primary column first, which records its column
 * and answers "smaller"; the sorter inverts that answer when the direction is
 * descending. Only that one column is consulted, since it never answers
 * "equal". With GTK 4.10 this becomes
 * gtk_column_view_sorter_get_primary_sort_column()/_order().
 */

#define DEFAULT_SORT SP_SORT_SUBMITTED
#define SEARCH_DELAY_MS 300
#define SPINNER_DELAY_MS 300

static void page_iface_init (SpPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SpDashboardPage, sp_dashboard_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (SP_TYPE_PAGE, page_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static void
update_now (SpDashboardPage *self)
{
  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = g_date_time_new_now_local ();
}

/**
 * sp_dashboard_page_add_toast:
 *
 * Shows @toast in the window's toast overlay, which stays visible when the
 * window moves on to another page.
 */
void
sp_dashboard_page_add_toast (SpDashboardPage *self,
                             AdwToast        *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    {
      g_debug ("No toast overlay for “%s”", adw_toast_get_title (toast));
      g_object_unref (g_object_ref_sink (toast));
    }
}

static GtkWindow *
parent_window (SpDashboardPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Sort state */

static void
read_sort_state (SpDashboardPage *self,
                 SpSortKey       *sort,
                 gboolean        *descending)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  GtkOrdering order;

  self->probed_sort = -1;
  order = sorter != NULL ? gtk_sorter_compare (sorter, self->probe_items[0], self->probe_items[1])
                         : GTK_ORDERING_EQUAL;
  if (self->probed_sort < 0 || order == GTK_ORDERING_EQUAL)
    {
      *sort = DEFAULT_SORT;
      *descending = FALSE;
      return;
    }
  *sort = (SpSortKey) self->probed_sort;
  *descending = order == GTK_ORDERING_LARGER;
}

/* Query */

static SpBucket
active_bucket (SpDashboardPage *self)
{
  for (guint i = 0; i < SP_N_BUCKETS; i++)
    if (gtk_toggle_button_get_active (self->bucket_buttons[i]))
      return (SpBucket) i;
  return SP_BUCKET_DA_GESTIRE;
}

static gboolean
has_servizi (SpDashboardPage *self)
{
  const SpUser *user = self->client != NULL ? sp_client_get_user (self->client) : NULL;

  return user != NULL && user->servizi != NULL && user->servizi[0] != NULL;
}

static void
apply_query (SpDashboardPage *self)
{
  SpSortKey sort;
  gboolean descending;

  /* Not this user's page (an auditor's session): nothing to ask for. */
  if (self->client == NULL || !sp_client_is_signed_in (self->client)
      || !sp_page_is_available (SP_PAGE (self), sp_client_get_user (self->client)))
    return;

  read_sort_state (self, &sort, &descending);
  update_now (self);
  sp_pratica_list_model_set_query (self->model, active_bucket (self),
                                   gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                   sort, descending);
}

/* State */

static gboolean
pulse_cb (gpointer user_data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (user_data));
  return G_SOURCE_CONTINUE;
}

static void
set_progress_visible (SpDashboardPage *self,
                      gboolean         visible)
{
  guint pulse_id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self->progress_bar), "pulse-id"));

  if (visible == gtk_widget_get_visible (GTK_WIDGET (self->progress_bar)))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), visible);
  if (visible && pulse_id == 0)
    pulse_id = g_timeout_add (100, pulse_cb, self->progress_bar);
  else if (!visible && pulse_id != 0)
    g_clear_handle_id (&pulse_id, g_source_remove);
  g_object_set_data (G_OBJECT (self->progress_bar), "pulse-id", GUINT_TO_POINTER (pulse_id));
}

static void
show_empty (SpDashboardPage *self,
            const char      *icon_name,
            const char      *title,
            const char      *description)
{
  adw_status_page_set_icon_name (self->empty_page, icon_name);
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
show_nothing_found (SpDashboardPage *self)
{
  const char *search = sp_pratica_list_model_get_search (self->model);

  if (search != NULL)
    {
      g_autofree char *title = NULL;

      /* Translators: the search found nothing; %s is what the user typed */
      title = g_strdup_printf (_("No pratica matches “%s”"), search);
      show_empty (self, "edit-find-symbolic", title,
                  _("Try another number, name or codice fiscale, or look in another list."));
      return;
    }

  switch (sp_pratica_list_model_get_bucket (self->model))
    {
    case SP_BUCKET_DA_GESTIRE:
      show_empty (self, "emblem-ok-symbolic", _("No Pratiche to Manage"),
                  _("The pratiche you take in charge are listed here."));
      break;
    case SP_BUCKET_DA_ASSEGNARE:
      show_empty (self, "emblem-ok-symbolic", _("No Pratiche to Assign"),
                  _("New pratiche of your services are listed here."));
      break;
    case SP_BUCKET_CONCLUSE:
      show_empty (self, "view-list-symbolic", _("No Concluded Pratiche"),
                  _("The pratiche you conclude are listed here."));
      break;
    case SP_BUCKET_TUTTE:
    case SP_N_BUCKETS:
    default:
      show_empty (self, "view-list-symbolic", _("No Pratiche"),
                  _("Your municipality has not received any pratica for your services yet."));
      break;
    }
}

static void update_state (SpDashboardPage *self);

static void
spinner_due_cb (gpointer user_data)
{
  SpDashboardPage *self = user_data;

  self->spinner_delay_id = 0;
  self->spinner_due = TRUE;
  update_state (self);
}

static void
update_state (SpDashboardPage *self)
{
  gboolean loaded = sp_pratica_list_model_get_loaded (self->model);
  gboolean loading = sp_pratica_list_model_get_loading (self->model);
  const GError *error = sp_pratica_list_model_get_error (self->model);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  gboolean signed_in = self->client != NULL && sp_client_is_signed_in (self->client);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.export",
                                 signed_in && loaded && n_items > 0 && self->export == NULL);

  if (signed_in && !has_servizi (self))
    {
      show_empty (self, "dialog-information-symbolic", _("No Enabled Services"),
                  _("You are not enabled for any service: contact the administrator of your municipality."));
      set_progress_visible (self, FALSE);
      gtk_spinner_set_spinning (self->spinner, FALSE);
      return;
    }

  if (n_items > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (error != NULL && !loaded)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else if (!loaded)
    {
      /* A quick answer goes straight from the old rows to the new ones; a
       * slow one shows the spinner after a moment. */
      if (loading && self->spinner_delay_id == 0 && !self->spinner_due)
        self->spinner_delay_id = g_timeout_add_once (SPINNER_DELAY_MS, spinner_due_cb, self);
      gtk_stack_set_visible_child_name (self->stack, !loading || self->spinner_due ? "loading" : "list");
    }
  else
    show_nothing_found (self);

  if (loaded || !loading)
    {
      g_clear_handle_id (&self->spinner_delay_id, g_source_remove);
      self->spinner_due = FALSE;
    }
  gtk_spinner_set_spinning (self->spinner, !loaded && loading);
  set_progress_visible (self, loading && (n_items > 0 || !self->spinner_due));

  /* A later page failed: the rows so far stay, with a way to try again. */
  if (error != NULL && loaded && n_items > 0)
    gtk_label_set_text (self->more_error_label, error->message);
  gtk_revealer_set_reveal_child (self->more_error_revealer, error != NULL && loaded && n_items > 0);
}

static void
update_counts (SpDashboardPage *self)
{
  gint64 counts[SP_N_BUCKETS];
  gboolean has_counts = sp_pratica_list_model_get_counts (self->model, counts);

  for (guint i = 0; i < SP_N_BUCKETS; i++)
    {
      const char *label = sp_bucket_get_label ((SpBucket) i);
      g_autofree char *accessible = NULL;

      if (has_counts)
        {
          /* Thousands separated as the locale wants: 1.204 in Italian. */
          g_autofree char *count = g_strdup_printf ("%'" G_GINT64_FORMAT, counts[i]);

          gtk_label_set_text (self->count_labels[i], count);
          /* Translators: a list of the dashboard and how many pratiche it has, for screen readers */
          accessible = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %s pratica", "%s, %s pratiche",
                                                     (gulong) MIN (counts[i], G_MAXLONG)),
                                        label, count);
        }
      gtk_widget_set_visible (GTK_WIDGET (self->count_labels[i]), has_counts);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->bucket_buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible ? accessible : label,
                                      -1);
    }
}

/* Template callbacks */

static void
bucket_toggled_cb (SpDashboardPage *self,
                   GtkToggleButton *button)
{
  if (self->updating_buckets || !gtk_toggle_button_get_active (button))
    return;
  apply_query (self);
}

static void
search_changed_cb (SpDashboardPage *self,
                   GtkSearchEntry  *entry)
{
  apply_query (self);
}

static void
stop_search_cb (SpDashboardPage *self,
                GtkSearchEntry  *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
row_activated_cb (SpDashboardPage *self,
                  guint            position,
                  GtkColumnView   *column_view)
{
  g_autoptr(SpPraticaSummary) summary = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (summary != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-pratica", "s", sp_pratica_summary_get_id (summary));
}

static void
sort_changed_cb (SpDashboardPage *self,
                 GtkSorterChange  change,
                 GtkSorter       *sorter)
{
  apply_query (self);
}

/* Prendi in carico */

typedef struct
{
  SpDashboardPage  *self;
  SpPraticaSummary *summary;
} TakeCharge;

static void
take_charge_free (TakeCharge *take)
{
  g_object_unref (take->self);
  g_object_unref (take->summary);
  g_free (take);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TakeCharge, take_charge_free)

static void
show_message (SpDashboardPage *self,
              const char      *heading,
              const char      *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
take_charge_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TakeCharge) take = user_data;
  SpDashboardPage *self = take->self;
  SpPraticaSummaryData *data = sp_pratica_summary_get_data (take->summary);
  g_autoptr(GError) error = NULL;

  if (!sp_client_take_charge_finish (SP_CLIENT (object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.take-charge", TRUE);

  /* Whatever happened, the lists and their counts changed. */
  update_now (self);
  sp_pratica_list_model_reload (self->model);

  if (error == NULL)
    {
      g_autofree char *title = NULL;

      /* Translators: a toast; %s is the pratica's number */
      title = g_strdup_printf (_("Pratica %s taken in charge"), data->numero);
      sp_dashboard_page_add_toast (self, adw_toast_new (title));
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-pratica", "s", data->id);
      return;
    }

  /* The answer says why, and who has it: nothing more to ask. */
  g_debug ("Cannot take %s in charge: %s", data->numero, error->message);
  if (g_error_matches (error, SP_ERROR, SP_ERROR_ALREADY_TAKEN))
    {
      show_message (self, _("Already Taken in Charge"), error->message);
      return;
    }

  {
    g_autofree char *heading = NULL;

    /* Translators: %s is the pratica's number */
    heading = g_strdup_printf (_("Cannot Take Pratica %s in Charge"), data->numero);
    show_message (self, heading, error->message);
  }
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     SpDashboardPage  *self)
{
  SpPraticaSummary *summary = g_object_get_data (G_OBJECT (dialog), "pratica");
  TakeCharge *take;

  if (g_strcmp0 (response, "take") != 0 || self->client == NULL || !sp_client_is_signed_in (self->client))
    return;

  /* One at a time: every "Prendi in carico" waits for the answer. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.take-charge", FALSE);

  take = g_new0 (TakeCharge, 1);
  take->self = g_object_ref (self);
  take->summary = g_object_ref (summary);
  sp_client_take_charge_async (self->client, sp_pratica_summary_get_id (summary), self->cancellable,
                               take_charge_cb, take);
}

static void
take_charge_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SpDashboardPage *self = SP_DASHBOARD_PAGE (widget);
  SpPraticaSummary *summary = sp_pratica_list_model_find (self->model, g_variant_get_string (parameter, NULL), NULL);
  GtkWidget *dialog;

  if (summary == NULL || sp_pratica_summary_get_data (summary)->take_charge != SP_TAKE_CHARGE_ALLOWED)
    return;

  dialog = sp_take_charge_dialog_new (parent_window (self), summary);
  g_object_set_data_full (G_OBJECT (dialog), "pratica", g_object_ref (summary), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Other actions */

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sp_dashboard_export_start (SP_DASHBOARD_PAGE (widget));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  sp_page_refresh (SP_PAGE (widget));
}

static void
load_more_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  sp_pratica_list_model_load_more (SP_DASHBOARD_PAGE (widget)->model);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SpDashboardPage *self = SP_DASHBOARD_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/* SpPage */

static gboolean
sp_dashboard_page_is_available (SpPage       *page,
                                const SpUser *user)
{
  return user != NULL && user->role == SP_ROLE_OPERATORE;
}

static void
sp_dashboard_page_refresh (SpPage *page)
{
  SpDashboardPage *self = SP_DASHBOARD_PAGE (page);

  if (self->client == NULL || !sp_client_is_signed_in (self->client))
    return;

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  apply_query (self);
  /* The same query as before: fetch it again, counts included. */
  if (sp_pratica_list_model_get_loaded (self->model) || sp_pratica_list_model_get_error (self->model) != NULL)
    sp_pratica_list_model_reload (self->model);
  update_state (self);
}

static void
sp_dashboard_page_reset (SpPage *page)
{
  SpDashboardPage *self = SP_DASHBOARD_PAGE (page);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->export, sp_dashboard_export_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.take-charge", TRUE);

  sp_pratica_list_model_clear (self->model);

  self->updating_buckets = TRUE;
  gtk_toggle_button_set_active (self->bucket_buttons[SP_BUCKET_DA_GESTIRE], TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  self->updating_buckets = FALSE;

  update_state (self);
}

static void
page_iface_init (SpPageInterface *iface)
{
  iface->is_available = sp_dashboard_page_is_available;
  iface->refresh = sp_dashboard_page_refresh;
  iface->reset = sp_dashboard_page_reset;
}

/* GObject */

static void
sp_dashboard_page_dispose (GObject *object)
{
  SpDashboardPage *self = SP_DASHBOARD_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->export, sp_dashboard_export_free);
  g_clear_handle_id (&self->spinner_delay_id, g_source_remove);
  if (self->fit_columns_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fit_columns_id);
  self->fit_columns_id = 0;
  if (self->progress_bar != NULL)
    set_progress_visible (self, FALSE);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_DASHBOARD_PAGE);

  g_clear_object (&self->model);
  g_clear_object (&self->client);
  g_clear_object (&self->probe_items[0]);
  g_clear_object (&self->probe_items[1]);
  g_clear_pointer (&self->now, g_date_time_unref);

  G_OBJECT_CLASS (sp_dashboard_page_parent_class)->dispose (object);
}

static void
sp_dashboard_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SpDashboardPage *self = SP_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_dashboard_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SpDashboardPage *self = SP_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      if (g_set_object (&self->client, g_value_get_object (value)))
        {
          sp_pratica_list_model_set_client (self->model, self->client);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_dashboard_page_class_init (SpDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_dashboard_page_dispose;
  object_class->get_property = sp_dashboard_page_get_property;
  object_class->set_property = sp_dashboard_page_set_property;

  g_object_class_override_property (object_class, PROP_CLIENT, "client");

  g_type_ensure (SP_TYPE_WRAP_BOX);

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, bucket_box);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, bucket_da_gestire);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, bucket_da_assegnare);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, bucket_concluse);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, bucket_tutte);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, bucket_label_da_gestire);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, bucket_label_da_assegnare);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, bucket_label_concluse);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, bucket_label_tutte);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, count_da_gestire);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, count_da_assegnare);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, count_concluse);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, count_tutte);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, more_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, more_error_label);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SpDashboardPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, bucket_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "dashboard.take-charge", "s", take_charge_action);
  gtk_widget_class_install_action (widget_class, "dashboard.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "dashboard.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "dashboard.load-more", NULL, load_more_action);
  gtk_widget_class_install_action (widget_class, "dashboard.focus-search", NULL, focus_search_action);
}

static void
sp_dashboard_page_init (SpDashboardPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->probed_sort = -1;
  self->probe_items[0] = g_object_new (G_TYPE_OBJECT, NULL);
  self->probe_items[1] = g_object_new (G_TYPE_OBJECT, NULL);
  self->model = sp_pratica_list_model_new (NULL);
  update_now (self);

  self->bucket_buttons[SP_BUCKET_DA_GESTIRE] = self->bucket_da_gestire;
  self->bucket_buttons[SP_BUCKET_DA_ASSEGNARE] = self->bucket_da_assegnare;
  self->bucket_buttons[SP_BUCKET_CONCLUSE] = self->bucket_concluse;
  self->bucket_buttons[SP_BUCKET_TUTTE] = self->bucket_tutte;
  self->bucket_labels[SP_BUCKET_DA_GESTIRE] = self->bucket_label_da_gestire;
  self->bucket_labels[SP_BUCKET_DA_ASSEGNARE] = self->bucket_label_da_assegnare;
  self->bucket_labels[SP_BUCKET_CONCLUSE] = self->bucket_label_concluse;
  self->bucket_labels[SP_BUCKET_TUTTE] = self->bucket_label_tutte;
  self->count_labels[SP_BUCKET_DA_GESTIRE] = self->count_da_gestire;
  self->count_labels[SP_BUCKET_DA_ASSEGNARE] = self->count_da_assegnare;
  self->count_labels[SP_BUCKET_CONCLUSE] = self->count_concluse;
  self->count_labels[SP_BUCKET_TUTTE] = self->count_tutte;
  for (guint i = 0; i < SP_N_BUCKETS; i++)
    {
      gtk_label_set_text (self->bucket_labels[i], sp_bucket_get_label ((SpBucket) i));
      gtk_widget_set_name (GTK_WIDGET (self->bucket_buttons[i]), sp_bucket_to_string ((SpBucket) i));
    }
  update_counts (self);

  gtk_search_entry_set_search_delay (self->search_entry, SEARCH_DELAY_MS);
  /* At most what the server accepts (100 bytes); the client clips bytes too. */
  gtk_text_set_max_length (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->search_entry))), 100);


  sp_dashboard_page_add_columns (self);
  sp_dashboard_page_fit_columns (self);
  gtk_column_view_sort_by_column (self->column_view, sp_dashboard_page_find_column (self, "submitted"), GTK_SORT_ASCENDING);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sort_changed_cb), self, G_CONNECT_SWAPPED);

  /* No GtkSortListModel: the server sorts. */
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loaded", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::error", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "counts-changed", G_CALLBACK (update_counts), self, G_CONNECT_SWAPPED);

  /* Ctrl+F wherever the focus is in the window, while the page is shown. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("dashboard.focus-search")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  update_state (self);
}
