/* sp-audit-page.c: the "Audit" page: search a pratica, its versions, compare two */
#define G_LOG_DOMAIN "sp-audit-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-audit-page.h"
#include "sp-audit-log-window.h"
#include "sp-audit.h"
#include "sp-chain-result.h"
#include "sp-client-audit.h"
#include "sp-compare-window.h"
#include "sp-page.h"
#include "sp-style.h"
#include "sp-person.h"
#include "sp-status.h"

/*
 * The page of the auditor (DESIGN.md §7, Audit; the audit seed). "Cerca"
 * asks the server's audit search; one pratica found shows its versions at
 * once, several are listed to pick one. The versions table is a
 * GtkColumnView whose first column holds a check button per version: two
 * versions are chosen at a time (the last two when the versions arrive), and
 * choosing a third lets go of the one chosen first. "Compara versioni" opens
 * an SpCompareWindow on the two, the older as the old side.
 */
struct _SpAuditPage
{
  AdwBin              parent_instance;

  SpClient           *client;
  GCancellable       *cancellable;
  GPtrArray          *found;         /* (element-type SpPraticaSummary) the last search's */
  SpPraticaVersions  *versions;      /* of the pratica shown, or NULL */
  guint               chosen[2];     /* version numbers, the earlier pick first; 0: none */
  GPtrArray          *bound_checks;  /* the check buttons of the rows on screen */
  GtkWindow          *compare_window;  /* (weak) the last one opened */
  GtkWindow          *log_window;      /* (weak) the last one opened */

  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_page;
  AdwStatusPage      *none_page;
  GtkLabel           *results_label;
  GtkListBox         *results_list;
  GtkButton          *back_button;
  GtkLabel           *pratica_title;
  GtkLabel           *pratica_subtitle;
  GtkButton          *compare_button;
  GtkButton          *chain_button;
  SpChainResult      *chain_result;
  GtkLabel           *selection_label;
  GtkColumnView      *versions_view;
};

static void page_iface_init (SpPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SpAuditPage, sp_audit_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (SP_TYPE_PAGE, page_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static void
show_state (SpAuditPage *self,
            const char  *state)
{
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  gtk_stack_set_visible_child_name (self->stack, state);
}

static void
restart_cancellable (SpAuditPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static void
show_error (SpAuditPage  *self,
            const GError *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  show_state (self, "error");
}

/* The choice of two versions */

static gboolean
is_chosen (SpAuditPage *self,
           guint        number)
{
  return number != 0 && (self->chosen[0] == number || self->chosen[1] == number);
}

static void
update_choice (SpAuditPage *self)
{
  guint from = 0;
  guint to = 0;
  gboolean two = sp_audit_page_get_chosen (self, &from, &to);

  for (guint i = 0; i < self->bound_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->bound_checks, i);
      guint number = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "sp-version"));

      g_signal_handlers_block_matched (check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      gtk_check_button_set_active (check, is_chosen (self, number));
      g_signal_handlers_unblock_matched (check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.compare", two);
  if (two)
    {
      g_autofree char *text = NULL;

      /* Translators: the two versions chosen for the comparison */
      text = g_strdup_printf (_("Versions %u and %u are selected for the comparison."), from, to);
      gtk_label_set_text (self->selection_label, text);
    }
  else
    gtk_label_set_text (self->selection_label, _("Select two versions to compare them."));
}

/**
 * sp_audit_page_set_chosen:
 *
 * Chooses @version for the comparison (letting go of the one chosen first
 * when two already are), or lets go of it; as the check buttons do.
 */
void
sp_audit_page_set_chosen (SpAuditPage *self,
                          guint        version,
                          gboolean     chosen)
{
  g_return_if_fail (SP_IS_AUDIT_PAGE (self));

  if (chosen && !is_chosen (self, version))
    {
      if (self->chosen[0] == 0)
        self->chosen[0] = version;
      else if (self->chosen[1] == 0)
        self->chosen[1] = version;
      else
        {
          self->chosen[0] = self->chosen[1];
          self->chosen[1] = version;
        }
    }
  else if (!chosen)
    {
      if (self->chosen[0] == version)
        {
          self->chosen[0] = self->chosen[1];
          self->chosen[1] = 0;
        }
      else if (self->chosen[1] == version)
        self->chosen[1] = 0;
    }
  update_choice (self);
}

/**
 * sp_audit_page_get_chosen:
 * @from: (out): the older of the two chosen
 * @to: (out): the newer
 *
 * Returns: whether two versions are chosen
 */
gboolean
sp_audit_page_get_chosen (SpAuditPage *self,
                          guint       *from,
                          guint       *to)
{
  g_return_val_if_fail (SP_IS_AUDIT_PAGE (self), FALSE);

  *from = MIN (self->chosen[0], self->chosen[1]);
  *to = MAX (self->chosen[0], self->chosen[1]);
  return *from != 0;
}

/* The versions table */

static SpPraticaVersion *
item_version (GtkListItem *list_item)
{
  return gtk_list_item_get_item (list_item);
}

static void
check_toggled_cb (GtkCheckButton *check,
                  SpAuditPage    *self)
{
  guint number = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "sp-version"));

  sp_audit_page_set_chosen (self, number, gtk_check_button_get_active (check));
}

static void
setup_check_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                SpAuditPage              *self)
{
  GtkWidget *check = gtk_check_button_new ();

  gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
  g_signal_connect_object (check, "toggled", G_CALLBACK (check_toggled_cb), self, 0);
  gtk_list_item_set_child (list_item, check);
}

static void
bind_check_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               SpAuditPage              *self)
{
  GtkWidget *check = gtk_list_item_get_child (list_item);
  guint number = sp_pratica_version_get_number (item_version (list_item));
  g_autofree char *label = NULL;

  g_object_set_data (G_OBJECT (check), "sp-version", GUINT_TO_POINTER (number));
  gtk_widget_set_name (check, "choose-version");
  /* Translators: the accessible label of the check button of a version */
  label = g_strdup_printf (_("Compare version %u"), number);
  gtk_widget_set_tooltip_text (check, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_ptr_array_add (self->bound_checks, check);

  g_signal_handlers_block_matched (check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), is_chosen (self, number));
  g_signal_handlers_unblock_matched (check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
unbind_check_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 SpAuditPage              *self)
{
  g_ptr_array_remove_fast (self->bound_checks, gtk_list_item_get_child (list_item));
}

typedef enum
{
  COLUMN_NUMBER,
  COLUMN_OPERATION,
  COLUMN_STATUS,
  COLUMN_USER,
  COLUMN_AT,
  COLUMN_NOTE,
} TextColumn;

static void
setup_text_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_text_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  SpPraticaVersion *version = item_version (list_item);
  g_autofree char *text = NULL;
  const char *note;

  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  switch ((TextColumn) GPOINTER_TO_INT (user_data))
    {
    case COLUMN_NUMBER:
      text = g_strdup_printf ("%u", sp_pratica_version_get_number (version));
      break;
    case COLUMN_OPERATION:
      text = g_strdup (sp_pratica_version_get_operation (version));
      break;
    case COLUMN_STATUS:
      text = g_strdup (sp_status_get_label (sp_pratica_version_get_status (version)));
      break;
    case COLUMN_USER:
      text = sp_pratica_version_format_user (version);
      break;
    case COLUMN_AT:
      text = sp_pratica_version_format_at (version);
      break;
    case COLUMN_NOTE:
      note = sp_pratica_version_get_note (version);
      text = g_strdup (note != NULL && *note != '\0' ? note : "—");
      if (note == NULL || *note == '\0')
        gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_text (label, text != NULL ? text : "");
}

static void
add_column (SpAuditPage *self,
            const char  *id,
            const char  *title,
            GCallback    setup,
            GCallback    bind,
            GCallback    unbind,
            gpointer     data,
            gboolean     expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", setup, data);
  g_signal_connect (factory, "bind", bind, data);
  if (unbind != NULL)
    g_signal_connect (factory, "unbind", unbind, data);
  column = gtk_column_view_column_new (title, factory);
  g_object_set_data_full (G_OBJECT (column), "sp-column-id", g_strdup (id), g_free);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->versions_view, column);
}

static void
create_columns (SpAuditPage *self)
{
  add_column (self, "choose", "", G_CALLBACK (setup_check_cb), G_CALLBACK (bind_check_cb),
              G_CALLBACK (unbind_check_cb), self, FALSE);
#define TEXT_COLUMN(id, title, column, expand) \
  add_column (self, id, title, G_CALLBACK (setup_text_cb), G_CALLBACK (bind_text_cb), NULL, \
              GINT_TO_POINTER (column), expand)
  /* Translators: the columns of the audit's versions table */
  TEXT_COLUMN ("version", _("Version"), COLUMN_NUMBER, FALSE);
  TEXT_COLUMN ("operation", _("Operation"), COLUMN_OPERATION, TRUE);
  TEXT_COLUMN ("status", _("Status"), COLUMN_STATUS, TRUE);
  TEXT_COLUMN ("user", _("User and Role"), COLUMN_USER, TRUE);
  TEXT_COLUMN ("at", _("Date and Time"), COLUMN_AT, FALSE);
  TEXT_COLUMN ("note", _("Notes"), COLUMN_NOTE, TRUE);
#undef TEXT_COLUMN
}

/* Showing a pratica's versions */

static char *
applicant_of (SpPraticaSummary *summary)
{
  SpPraticaSummaryData *data = sp_pratica_summary_get_data (summary);

  return sp_person_format_name (data->applicant_cognome, data->applicant_nome);
}

static void
show_versions (SpAuditPage       *self,
               SpPraticaVersions *versions)
{
  SpPraticaSummaryData *data = sp_pratica_summary_get_data (versions->pratica);
  g_autoptr(GtkSelectionModel) selection = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *applicant = applicant_of (versions->pratica);
  guint n_versions = g_list_model_get_n_items (G_LIST_MODEL (versions->versions));

  g_clear_pointer (&self->versions, sp_pratica_versions_free);
  self->versions = versions;
  sp_chain_result_clear (self->chain_result);

  /* Translators: the heading of the audit's versions table: the number of the pratica */
  title = g_strdup_printf (_("Pratica %s"), data->numero);
  /* Translators: applicant · service · current status, under the pratica's number */
  subtitle = g_strdup_printf (_("%s · %s · %s"), applicant, data->servizio_name,
                              sp_status_get_label (data->status));
  gtk_label_set_text (self->pratica_title, title);
  gtk_label_set_text (self->pratica_subtitle, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), self->found != NULL && self->found->len > 1);

  /* The last two versions, as the seed says. */
  self->chosen[0] = self->chosen[1] = 0;
  if (n_versions >= 2)
    {
      g_autoptr(SpPraticaVersion) older = g_list_model_get_item (G_LIST_MODEL (versions->versions), n_versions - 2);
      g_autoptr(SpPraticaVersion) newer = g_list_model_get_item (G_LIST_MODEL (versions->versions), n_versions - 1);

      self->chosen[0] = sp_pratica_version_get_number (older);
      self->chosen[1] = sp_pratica_version_get_number (newer);
    }
  else if (n_versions == 1)
    {
      g_autoptr(SpPraticaVersion) only = g_list_model_get_item (G_LIST_MODEL (versions->versions), 0);

      self->chosen[0] = sp_pratica_version_get_number (only);
      self->chosen[1] = 0;
    }

  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (versions->versions))));
  gtk_column_view_set_model (self->versions_view, selection);
  update_choice (self);

  if (n_versions == 0)
    {
      adw_status_page_set_title (self->none_page, _("No Versions Yet"));
      adw_status_page_set_description (self->none_page,
                                       _("The pratica has no saved version: versions start when it is submitted."));
      show_state (self, "none");
      return;
    }
  show_state (self, "versions");
}

static void
versions_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SpAuditPage) self = user_data;
  g_autoptr(GError) error = NULL;
  SpPraticaVersions *versions;

  versions = sp_client_audit_versions_finish (SP_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (versions == NULL)
    {
      show_error (self, error);
      return;
    }
  show_versions (self, versions);
}

static void
load_versions (SpAuditPage *self,
               const char  *pratica_id)
{
  restart_cancellable (self);
  show_state (self, "loading");
  sp_client_audit_versions_async (self->client, pratica_id, self->cancellable, versions_cb, g_object_ref (self));
}

/* Search */

static GtkWidget *
create_result_row (SpPraticaSummary *summary)
{
  SpPraticaSummaryData *data = sp_pratica_summary_get_data (summary);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *applicant = applicant_of (summary);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  /* Translators: a pratica found by the audit's search: number · applicant */
  title = g_strdup_printf (_("%s · %s"), data->numero, applicant);
  subtitle = g_strdup_printf (_("%s · %s"), data->servizio_name, sp_status_get_label (data->status));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_name (row, data->id);
  return row;
}

static void
show_results (SpAuditPage *self)
{
  GtkWidget *child;
  g_autofree char *text = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  for (guint i = 0; i < self->found->len; i++)
    gtk_list_box_append (self->results_list, create_result_row (g_ptr_array_index (self->found, i)));

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u pratica found: choose one to see its versions.",
                                       "%u pratiche found: choose one to see its versions.", self->found->len),
                          self->found->len);
  gtk_label_set_text (self->results_label, text);
  show_state (self, "results");
}

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SpAuditPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *found;

  found = sp_client_audit_search_finish (SP_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (found == NULL)
    {
      show_error (self, error);
      return;
    }

  g_clear_pointer (&self->found, g_ptr_array_unref);
  self->found = found;
  if (found->len == 0)
    {
      adw_status_page_set_title (self->none_page, _("No Pratica Found"));
      adw_status_page_set_description (self->none_page, _("Check the number and search again."));
      show_state (self, "none");
    }
  else if (found->len == 1)
    load_versions (self, sp_pratica_summary_get_id (g_ptr_array_index (found, 0)));
  else
    show_results (self);
}

/**
 * sp_audit_page_search:
 *
 * Searches @text as "Cerca" does.
 */
void
sp_audit_page_search (SpAuditPage *self,
                      const char  *text)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (SP_IS_AUDIT_PAGE (self));

  if (self->client == NULL || !sp_client_is_signed_in (self->client))
    return;
  stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (*stripped == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      return;
    }
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);

  restart_cancellable (self);
  show_state (self, "loading");
  sp_client_audit_search_async (self->client, stripped, self->cancellable, search_cb, g_object_ref (self));
}

static void
search_activate_cb (SpAuditPage    *self,
                    GtkSearchEntry *entry)
{
  sp_audit_page_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
result_activated_cb (SpAuditPage   *self,
                     GtkListBoxRow *row)
{
  load_versions (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

/* Actions */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpAuditPage *self = SP_AUDIT_PAGE (widget);

  sp_audit_page_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SpAuditPage *self = SP_AUDIT_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
back_to_results_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SpAuditPage *self = SP_AUDIT_PAGE (widget);

  if (self->found != NULL && self->found->len > 1)
    show_state (self, "results");
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SpAuditPage *self = SP_AUDIT_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  SpCompareWindow *window;
  guint from = 0;
  guint to = 0;

  if (self->versions == NULL || !sp_audit_page_get_chosen (self, &from, &to))
    return;

  window = sp_compare_window_new (self->client, self->versions->pratica,
                                  G_LIST_MODEL (self->versions->versions), from, to);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  g_set_weak_pointer (&self->compare_window, GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
}

/* The check of the hash chain */

static void
checking_changed_cb (SpAuditPage   *self,
                     GParamSpec    *pspec,
                     SpChainResult *result)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.check-chain", !sp_chain_result_get_checking (result));
}

static void
check_chain_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SpAuditPage *self = SP_AUDIT_PAGE (widget);

  if (self->versions != NULL)
    sp_chain_result_check (self->chain_result, self->client, sp_pratica_summary_get_id (self->versions->pratica));
}

/* The audit's log of the pratica */

static void
show_log_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SpAuditPage *self = SP_AUDIT_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  SpAuditLogWindow *window;

  if (self->versions == NULL)
    return;
  window = sp_audit_log_window_new (self->client, self->versions->pratica);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  g_set_weak_pointer (&self->log_window, GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
}

/**
 * sp_audit_page_get_log_window:
 *
 * Returns: (transfer none) (nullable): the log opened last, while it is open
 */
GtkWindow *
sp_audit_page_get_log_window (SpAuditPage *self)
{
  g_return_val_if_fail (SP_IS_AUDIT_PAGE (self), NULL);

  return self->log_window;
}

/**
 * sp_audit_page_get_chain_result:
 *
 * Returns: (nullable): what the last check of the chain said, while it shows
 */
const char *
sp_audit_page_get_chain_result (SpAuditPage *self)
{
  g_return_val_if_fail (SP_IS_AUDIT_PAGE (self), NULL);

  return sp_chain_result_get_text (self->chain_result);
}

/**
 * sp_audit_page_get_versions:
 *
 * Returns: (transfer none) (nullable): the versions shown, oldest first
 */
GListModel *
sp_audit_page_get_versions (SpAuditPage *self)
{
  g_return_val_if_fail (SP_IS_AUDIT_PAGE (self), NULL);

  return self->versions != NULL ? G_LIST_MODEL (self->versions->versions) : NULL;
}

/**
 * sp_audit_page_get_compare_window:
 *
 * Returns: (transfer none) (nullable): the comparison opened last, while it is open
 */
GtkWindow *
sp_audit_page_get_compare_window (SpAuditPage *self)
{
  g_return_val_if_fail (SP_IS_AUDIT_PAGE (self), NULL);

  return self->compare_window;
}

/* SpPage */

static void
sp_audit_page_refresh (SpPage *page)
{
  SpAuditPage *self = SP_AUDIT_PAGE (page);

  if (self->client == NULL || !sp_client_is_signed_in (self->client))
    return;
  /* After sign-in, nothing to load: the page waits for a search. On F5,
   * the versions shown are fetched again (new ones may have been saved). */
  if (self->versions != NULL && g_str_equal (gtk_stack_get_visible_child_name (self->stack), "versions"))
    load_versions (self, sp_pratica_summary_get_id (self->versions->pratica));
}

static void
sp_audit_page_reset (SpPage *page)
{
  SpAuditPage *self = SP_AUDIT_PAGE (page);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->compare_window != NULL)
    gtk_window_destroy (self->compare_window);
  if (self->log_window != NULL)
    gtk_window_destroy (self->log_window);
  sp_chain_result_clear (self->chain_result);
  g_clear_pointer (&self->found, g_ptr_array_unref);
  gtk_column_view_set_model (self->versions_view, NULL);
  g_clear_pointer (&self->versions, sp_pratica_versions_free);
  self->chosen[0] = self->chosen[1] = 0;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  update_choice (self);
  show_state (self, "start");
}

static gboolean
sp_audit_page_is_available (SpPage       *page,
                            const SpUser *user)
{
  /* Auditors only: the server refuses the audit to every other role. */
  return user != NULL && user->role == SP_ROLE_AUDITOR;
}

static void
page_iface_init (SpPageInterface *iface)
{
  iface->is_available = sp_audit_page_is_available;
  iface->refresh = sp_audit_page_refresh;
  iface->reset = sp_audit_page_reset;
}

/* GObject */

static void
sp_audit_page_dispose (GObject *object)
{
  SpAuditPage *self = SP_AUDIT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_weak_pointer (&self->compare_window);
  g_clear_weak_pointer (&self->log_window);
  if (self->versions_view != NULL)
    gtk_column_view_set_model (self->versions_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_AUDIT_PAGE);
  g_clear_pointer (&self->versions, sp_pratica_versions_free);
  g_clear_pointer (&self->found, g_ptr_array_unref);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sp_audit_page_parent_class)->dispose (object);
}

static void
sp_audit_page_finalize (GObject *object)
{
  SpAuditPage *self = SP_AUDIT_PAGE (object);

  g_ptr_array_unref (self->bound_checks);

  G_OBJECT_CLASS (sp_audit_page_parent_class)->finalize (object);
}

static void
sp_audit_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SpAuditPage *self = SP_AUDIT_PAGE (object);

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
sp_audit_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SpAuditPage *self = SP_AUDIT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      if (g_set_object (&self->client, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_audit_page_class_init (SpAuditPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_audit_page_dispose;
  object_class->finalize = sp_audit_page_finalize;
  object_class->get_property = sp_audit_page_get_property;
  object_class->set_property = sp_audit_page_set_property;

  g_object_class_override_property (object_class, PROP_CLIENT, "client");

  g_type_ensure (SP_TYPE_CHAIN_RESULT);
  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-audit-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, none_page);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, results_label);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, results_list);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, pratica_title);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, pratica_subtitle);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, compare_button);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, chain_button);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, chain_result);
  gtk_widget_class_bind_template_callback (widget_class, checking_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, SpAuditPage, versions_view);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_activated_cb);

  gtk_widget_class_install_action (widget_class, "audit.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "audit.focus-search", NULL, focus_search_action);
  gtk_widget_class_install_action (widget_class, "audit.back-to-results", NULL, back_to_results_action);
  gtk_widget_class_install_action (widget_class, "audit.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "audit.check-chain", NULL, check_chain_action);
  gtk_widget_class_install_action (widget_class, "audit.show-log", NULL, show_log_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "audit.focus-search", NULL);
}

static void
sp_audit_page_init (SpAuditPage *self)
{
  sp_style_ensure ("sp-audit.css");
  gtk_widget_init_template (GTK_WIDGET (self));

  self->bound_checks = g_ptr_array_new ();
  create_columns (self);
  update_choice (self);
}
