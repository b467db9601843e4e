/* sp-compare-window.c: the comparison of two versions of a pratica, field by field, in the seed's colours */
#define G_LOG_DOMAIN "sp-compare-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sp-client-audit.h"
#include "sp-compare-export.h"
#include "sp-compare-window.h"

/*
 * Campo / Vecchio valore / Nuovo valore, every field of either version (the
 * server computes the comparison). A GtkColumnView over a GtkFilterListModel
 * of the comparison's GListStore: rows are recycled, never one widget per
 * field, so that 10,000 fields show and filter at once. The filter is a
 * GtkCustomFilter over every column (sp_field_change_matches(), on texts
 * case-folded once when the comparison is parsed), incremental so that typing
 * never waits for the whole list.
 *
 * The colour code of the seed (green added, yellow changed, red removed,
 * black unchanged) is drawn by sp-audit.css from libadwaita's named colours,
 * and said again without colour by the first column: a sign and a word.
 *
 * Above the table, one card per side names the version (who saved it, when)
 * between two arrows that step it to an older or newer version; an arrow at
 * the end of the versions is disabled.
 */
struct _SpCompareWindow
{
  AdwWindow            parent_instance;

  SpClient            *client;
  SpPraticaSummary    *pratica;
  GListModel          *versions;        /* (element-type SpPraticaVersion) oldest first */
  guint                from;            /* version numbers of the two sides */
  guint                to;
  SpVersionComparison *comparison;
  GCancellable        *cancellable;
  char                *needle;          /* the filter, case-folded */
  GtkCustomFilter     *filter;
  GtkFilterListModel  *filter_model;
  GtkColumnViewColumn *old_column;
  GtkColumnViewColumn *new_column;
  GCancellable        *export_cancellable;  /* while an export runs */

  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkSpinner          *header_spinner;
  GtkButton           *old_older_button;
  GtkButton           *old_newer_button;
  GtkButton           *new_older_button;
  GtkButton           *new_newer_button;
  GtkLabel            *old_title;
  GtkLabel            *old_subtitle;
  GtkLabel            *new_title;
  GtkLabel            *new_subtitle;
  GtkSearchEntry      *filter_entry;
  GtkLabel            *count_label;
  GtkBox              *legend;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkColumnView       *fields_view;
};

G_DEFINE_FINAL_TYPE (SpCompareWindow, sp_compare_window, ADW_TYPE_WINDOW)

static const char * const change_classes[] = {
  [SP_AUDIT_CHANGE_UNCHANGED] = "sp-change-unchanged",
  [SP_AUDIT_CHANGE_ADDED] = "sp-change-added",
  [SP_AUDIT_CHANGE_CHANGED] = "sp-change-changed",
  [SP_AUDIT_CHANGE_REMOVED] = "sp-change-removed",
};

/* The cue that does not need colour: + added, ≠ changed, − removed, = unchanged. */
static const char * const change_signs[] = {
  [SP_AUDIT_CHANGE_UNCHANGED] = "=",
  [SP_AUDIT_CHANGE_ADDED] = "+",
  [SP_AUDIT_CHANGE_CHANGED] = "≠",
  [SP_AUDIT_CHANGE_REMOVED] = "−",
};

/**
 * sp_audit_change_css_class:
 *
 * Returns: the style class of the cells of a field that changed so
 */
const char *
sp_audit_change_css_class (SpAuditChange change)
{
  return change < SP_AUDIT_N_CHANGES ? change_classes[change] : NULL;
}

static void
set_change_class (GtkWidget     *widget,
                  SpAuditChange  change)
{
  for (guint i = 0; i < G_N_ELEMENTS (change_classes); i++)
    if (i != change)
      gtk_widget_remove_css_class (widget, change_classes[i]);
  gtk_widget_add_css_class (widget, change_classes[change]);
}

/* Versions and sides */

static int
version_index (SpCompareWindow *self,
               guint            number)
{
  guint n_versions = g_list_model_get_n_items (self->versions);

  for (guint i = 0; i < n_versions; i++)
    {
      g_autoptr(SpPraticaVersion) version = g_list_model_get_item (self->versions, i);

      if (sp_pratica_version_get_number (version) == number)
        return (int) i;
    }
  return -1;
}

static guint
version_number_at (SpCompareWindow *self,
                   int              index)
{
  g_autoptr(SpPraticaVersion) version = NULL;

  if (index < 0 || (guint) index >= g_list_model_get_n_items (self->versions))
    return 0;
  version = g_list_model_get_item (self->versions, index);
  return sp_pratica_version_get_number (version);
}

static void
update_arrows (SpCompareWindow *self)
{
  int n_versions = (int) g_list_model_get_n_items (self->versions);
  int old_index = version_index (self, self->from);
  int new_index = version_index (self, self->to);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.old-older", old_index > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.old-newer", old_index >= 0 && old_index < n_versions - 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.new-older", new_index > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.new-newer", new_index >= 0 && new_index < n_versions - 1);
}

/* "Versione 2 di 5" over "Mario Rossi (operatore) · 01/03/2026 10:05". */
static void
show_side (SpCompareWindow  *self,
           GtkLabel         *title,
           GtkLabel         *subtitle,
           const char       *heading,
           guint             number,
           SpPraticaVersion *version)
{
  g_autofree char *title_text = NULL;
  g_autofree char *subtitle_text = NULL;

  /* Translators: "Old value" or "New value", the version's number, how many versions there are */
  title_text = g_strdup_printf (_("%s · version %u of %u"), heading, number, g_list_model_get_n_items (self->versions));
  gtk_label_set_text (title, title_text);
  if (version != NULL)
    {
      g_autofree char *user = sp_pratica_version_format_user (version);
      g_autofree char *at = sp_pratica_version_format_at (version);

      /* Translators: who saved a version, when, and the operation */
      subtitle_text = g_strdup_printf (_("%s · %s · %s"), user, at, sp_pratica_version_get_operation (version));
    }
  gtk_label_set_text (subtitle, subtitle_text != NULL ? subtitle_text : "");
}

static void
show_sides (SpCompareWindow *self)
{
  SpPraticaVersion *from = self->comparison != NULL ? self->comparison->from : NULL;
  SpPraticaVersion *to = self->comparison != NULL ? self->comparison->to : NULL;
  g_autoptr(SpPraticaVersion) from_listed = NULL;
  g_autoptr(SpPraticaVersion) to_listed = NULL;
  g_autofree char *old_heading = NULL;
  g_autofree char *new_heading = NULL;

  /* While the comparison loads, the versions table says who and when. */
  if (from == NULL || sp_pratica_version_get_number (from) != self->from)
    from = from_listed = version_index (self, self->from) >= 0
                         ? g_list_model_get_item (self->versions, version_index (self, self->from)) : NULL;
  if (to == NULL || sp_pratica_version_get_number (to) != self->to)
    to = to_listed = version_index (self, self->to) >= 0
                     ? g_list_model_get_item (self->versions, version_index (self, self->to)) : NULL;

  show_side (self, self->old_title, self->old_subtitle, _("Old value"), self->from, from);
  show_side (self, self->new_title, self->new_subtitle, _("New value"), self->to, to);

  /* The value columns are headed by the user and time of their version. */
  if (from != NULL)
    {
      g_autofree char *at = sp_pratica_version_format_at (from);

      /* Translators: the heading of a value column: "Old value", who saved the version, when */
      old_heading = g_strdup_printf (_("%s · %s · %s"), _("Old value"), sp_pratica_version_get_user (from), at);
    }
  if (to != NULL)
    {
      g_autofree char *at = sp_pratica_version_format_at (to);

      new_heading = g_strdup_printf (_("%s · %s · %s"), _("New value"), sp_pratica_version_get_user (to), at);
    }
  gtk_column_view_column_set_title (self->old_column, old_heading != NULL ? old_heading : _("Old value"));
  gtk_column_view_column_set_title (self->new_column, new_heading != NULL ? new_heading : _("New value"));
  update_arrows (self);
}

/* The count and the empty filter */

static void
update_count (SpCompareWindow *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint total = self->comparison != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->comparison->fields)) : 0;
  g_autofree char *text = NULL;

  if (self->comparison == NULL)
    {
      gtk_label_set_text (self->count_label, "");
      return;
    }
  if (self->needle == NULL || *self->needle == '\0')
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u field", "%u fields", total), total);
  else
    /* Translators: the fields the filter shows, of all the fields */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u field", "%u of %u fields", total), shown, total);
  gtk_label_set_text (self->count_label, text);

  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "content") && shown == 0 && total > 0
      && gtk_filter_list_model_get_pending (self->filter_model) == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-match");
  else if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "no-match") && shown > 0)
    gtk_stack_set_visible_child_name (self->stack, "content");
}

static void
items_changed_cb (SpCompareWindow *self)
{
  update_count (self);
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  SpCompareWindow *self = user_data;

  return sp_field_change_matches (SP_FIELD_CHANGE (item), self->needle);
}

static void
filter_changed_cb (SpCompareWindow *self,
                   GtkSearchEntry  *entry)
{
  g_autofree char *needle = sp_audit_fold (gtk_editable_get_text (GTK_EDITABLE (entry)));
  GtkFilterChange change;

  if (g_strcmp0 (needle, self->needle) == 0)
    return;
  if (self->needle != NULL && strstr (needle, self->needle) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->needle != NULL && strstr (self->needle, needle) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;
  g_free (self->needle);
  self->needle = g_steal_pointer (&needle);
  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "no-match"))
    gtk_stack_set_visible_child_name (self->stack, "content");
  /* No filter at all when the box is empty: every field shows at once. */
  if (*self->needle == '\0')
    gtk_filter_list_model_set_filter (self->filter_model, NULL);
  else if (gtk_filter_list_model_get_filter (self->filter_model) == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->filter));
  else
    gtk_filter_changed (GTK_FILTER (self->filter), change);
  update_count (self);
}

/* Loading */

/* Export, once there is a comparison and none is being saved. */
static void
update_export (SpCompareWindow *self,
               gboolean         loading)
{
  gboolean can = self->comparison != NULL && self->client != NULL && self->pratica != NULL && !loading
                 && self->export_cancellable == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.export-csv", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.export-pdf", can);
}

static void
set_loading (SpCompareWindow *self,
             gboolean         loading)
{
  update_export (self, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->header_spinner), loading && self->comparison != NULL);
  gtk_spinner_set_spinning (self->header_spinner, loading && self->comparison != NULL);
  gtk_spinner_set_spinning (self->spinner, loading && self->comparison == NULL);
  if (loading && self->comparison == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
}

/* Export */

static void
exported_cb (GFile        *file,
             const GError *error,
             gpointer      user_data)
{
  g_autoptr(SpCompareWindow) self = user_data;
  g_autofree char *title = NULL;

  g_clear_object (&self->export_cancellable);
  if (self->toast_overlay == NULL)   /* closed meanwhile */
    return;
  update_export (self, gtk_widget_get_visible (GTK_WIDGET (self->header_spinner)));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    /* Translators: a comparison could not be exported; the reason follows */
    title = g_strdup_printf (_("Not exported: %s"), error->message);
  else
    {
      g_autofree char *name = g_file_get_basename (file);

      /* Translators: a comparison was exported to the file named */
      title = g_strdup_printf (_("Saved as “%s”"), name);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpCompareWindow *self = SP_COMPARE_WINDOW (widget);

  if (self->comparison == NULL || self->export_cancellable != NULL)
    return;
  self->export_cancellable = g_cancellable_new ();
  update_export (self, FALSE);
  sp_compare_export (widget, self->client, self->pratica, self->comparison,
                     G_LIST_MODEL (self->filter_model), g_str_equal (action_name, "compare.export-pdf"),
                     self->export_cancellable, exported_cb, g_object_ref (self));
}

/**
 * sp_compare_window_set_comparison:
 * @comparison: (transfer full): the comparison to show
 *
 * Shows @comparison (the window fetches its own; tests give one directly).
 */
void
sp_compare_window_set_comparison (SpCompareWindow     *self,
                                  SpVersionComparison *comparison)
{
  g_return_if_fail (SP_IS_COMPARE_WINDOW (self));
  g_return_if_fail (comparison != NULL);

  g_clear_pointer (&self->comparison, sp_version_comparison_free);
  self->comparison = comparison;
  self->from = sp_pratica_version_get_number (comparison->from);
  self->to = sp_pratica_version_get_number (comparison->to);
  if (g_list_model_get_n_items (self->versions) == 0)
    {
      GListStore *store = g_list_store_new (SP_TYPE_PRATICA_VERSION);

      g_list_store_append (store, comparison->from);
      if (self->to != self->from)
        g_list_store_append (store, comparison->to);
      g_set_object (&self->versions, G_LIST_MODEL (store));
      g_object_unref (store);
    }

  gtk_stack_set_visible_child_name (self->stack, "content");
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (comparison->fields));
  set_loading (self, FALSE);
  show_sides (self);
  update_count (self);
}

static void
compare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SpCompareWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  SpVersionComparison *comparison;

  comparison = sp_client_audit_compare_finish (SP_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (comparison == NULL)
    {
      set_loading (self, FALSE);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  sp_compare_window_set_comparison (self, comparison);
}

static void
load (SpCompareWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  show_sides (self);
  if (self->client == NULL || self->pratica == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  sp_client_audit_compare_async (self->client, sp_pratica_summary_get_id (self->pratica), self->from, self->to,
                                 self->cancellable, compare_cb, g_object_ref (self));
}

/* The arrows */

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpCompareWindow *self = SP_COMPARE_WINDOW (widget);
  gboolean old_side = g_str_has_prefix (action_name, "compare.old-");
  gboolean older = g_str_has_suffix (action_name, "-older");
  guint *side = old_side ? &self->from : &self->to;
  guint number = version_number_at (self, version_index (self, *side) + (older ? -1 : 1));

  if (number == 0)
    return;
  *side = number;
  load (self);
}

/* The table */

static void
setup_change_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *sign = gtk_label_new (NULL);
  GtkWidget *word = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "sp-change");
  gtk_widget_add_css_class (sign, "sp-change-sign");
  gtk_widget_set_valign (box, GTK_ALIGN_START);
  gtk_widget_set_name (word, "change-word");
  gtk_box_append (GTK_BOX (box), sign);
  gtk_box_append (GTK_BOX (box), word);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_change_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  SpFieldChange *field = gtk_list_item_get_item (list_item);
  SpAuditChange change = sp_field_change_get_change (field);
  GtkWidget *box = gtk_list_item_get_child (list_item);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), change_signs[change]);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), sp_audit_change_get_label (change));
  set_change_class (box, change);
}

typedef enum
{
  CELL_FIELD,
  CELL_OLD,
  CELL_NEW,
} Cell;

static void
setup_text_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_yalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "sp-compare-cell");
  /* Field names break between words, values anywhere (codes, paths). */
  if (GPOINTER_TO_INT (user_data) == CELL_FIELD)
    {
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
      gtk_label_set_width_chars (GTK_LABEL (label), 18);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
    }
  else
    {
      /* A long value wraps instead of widening the table past the window. */
      gtk_label_set_width_chars (GTK_LABEL (label), 12);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
bind_text_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  SpFieldChange *field = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  Cell cell = GPOINTER_TO_INT (user_data);
  const char *text;

  switch (cell)
    {
    case CELL_FIELD:
      text = sp_field_change_get_label (field);
      gtk_widget_set_tooltip_text (label, sp_field_change_get_path (field));
      break;
    case CELL_OLD:
      text = sp_field_change_get_old_text (field);
      break;
    case CELL_NEW:
      text = sp_field_change_get_new_text (field);
      break;
    default:
      g_assert_not_reached ();
    }

  /* Empty reads as a dash, dimmed; a value keeps the colour of its change. */
  if (*text == '\0')
    {
      gtk_label_set_text (GTK_LABEL (label), "—");
      gtk_widget_add_css_class (label, "dim-label");
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (label), text);
      gtk_widget_remove_css_class (label, "dim-label");
    }
  set_change_class (label, sp_field_change_get_change (field));
}

static GtkColumnViewColumn *
add_column (SpCompareWindow *self,
            const char      *id,
            const char      *title,
            GCallback        setup,
            GCallback        bind,
            gpointer         data,
            gboolean         expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", setup, data);
  g_signal_connect (factory, "bind", bind, data);
  column = gtk_column_view_column_new (title, factory);
  g_object_set_data_full (G_OBJECT (column), "sp-column-id", g_strdup (id), g_free);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->fields_view, column);
  g_object_unref (column);   /* the view keeps it */
  return column;
}

static void
create_columns (SpCompareWindow *self)
{
  /* Translators: the first column of a comparison: how the field changed */
  add_column (self, "change", C_("audit column", "Change"), G_CALLBACK (setup_change_cb),
              G_CALLBACK (bind_change_cb), NULL, FALSE);
  add_column (self, "field", _("Field"), G_CALLBACK (setup_text_cb), G_CALLBACK (bind_text_cb),
              GINT_TO_POINTER (CELL_FIELD), TRUE);
  self->old_column = add_column (self, "old", _("Old value"), G_CALLBACK (setup_text_cb),
                                 G_CALLBACK (bind_text_cb), GINT_TO_POINTER (CELL_OLD), TRUE);
  self->new_column = add_column (self, "new", _("New value"), G_CALLBACK (setup_text_cb),
                                 G_CALLBACK (bind_text_cb), GINT_TO_POINTER (CELL_NEW), TRUE);
}

static void
create_legend (SpCompareWindow *self)
{
  static const SpAuditChange order[] = {
    SP_AUDIT_CHANGE_ADDED, SP_AUDIT_CHANGE_CHANGED, SP_AUDIT_CHANGE_REMOVED, SP_AUDIT_CHANGE_UNCHANGED,
  };
  const char *meanings[] = {
    /* Translators: the legend of the colour code, what each colour means */
    [SP_AUDIT_CHANGE_ADDED] = _("empty before, filled after"),
    [SP_AUDIT_CHANGE_CHANGED] = _("filled before, different after"),
    [SP_AUDIT_CHANGE_REMOVED] = _("filled before, empty after"),
    [SP_AUDIT_CHANGE_UNCHANGED] = _("the same value"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      SpAuditChange change = order[i];
      GtkWidget *item = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *meaning = gtk_label_new (meanings[change]);

      gtk_widget_add_css_class (chip, "sp-change");
      set_change_class (chip, change);
      gtk_box_append (GTK_BOX (chip), gtk_label_new (change_signs[change]));
      gtk_widget_add_css_class (gtk_widget_get_first_child (chip), "sp-change-sign");
      gtk_box_append (GTK_BOX (chip), gtk_label_new (sp_audit_change_get_label (change)));
      gtk_widget_add_css_class (meaning, "dim-label");
      gtk_widget_set_name (item, sp_audit_change_to_string (change));
      gtk_box_append (GTK_BOX (item), chip);
      gtk_box_append (GTK_BOX (item), meaning);
      gtk_box_append (self->legend, item);
    }
}

/* Public */

/**
 * sp_compare_window_new:
 * @pratica: the pratica compared
 * @versions: (element-type SpPraticaVersion): its versions, oldest first (for the arrows)
 * @from: the number of the old side's version
 * @to: the number of the new side's version
 *
 * Returns: (transfer full): a window that fetches and shows the comparison
 */
SpCompareWindow *
sp_compare_window_new (SpClient         *client,
                       SpPraticaSummary *pratica,
                       GListModel       *versions,
                       guint             from,
                       guint             to)
{
  SpCompareWindow *self;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (client == NULL || SP_IS_CLIENT (client), NULL);
  g_return_val_if_fail (pratica == NULL || SP_IS_PRATICA_SUMMARY (pratica), NULL);
  g_return_val_if_fail (versions == NULL || G_IS_LIST_MODEL (versions), NULL);

  self = g_object_new (SP_TYPE_COMPARE_WINDOW, NULL);
  g_set_object (&self->client, client);
  g_set_object (&self->pratica, pratica);
  if (versions != NULL)
    g_set_object (&self->versions, versions);
  self->from = from;
  self->to = to;

  if (pratica != NULL)
    {
      /* Translators: the subtitle of the comparison window: the pratica's number */
      subtitle = g_strdup_printf (_("Pratica %s"), sp_pratica_summary_get_data (pratica)->numero);
      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  load (self);
  return self;
}

gboolean
sp_compare_window_get_loading (SpCompareWindow *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_WINDOW (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * sp_compare_window_get_sides:
 * @from: (out): the old side's version number
 * @to: (out): the new side's
 */
void
sp_compare_window_get_sides (SpCompareWindow *self,
                             guint           *from,
                             guint           *to)
{
  g_return_if_fail (SP_IS_COMPARE_WINDOW (self));

  *from = self->from;
  *to = self->to;
}

/**
 * sp_compare_window_get_shown:
 *
 * Returns: (transfer none): the fields the filter lets through
 */
GListModel *
sp_compare_window_get_shown (SpCompareWindow *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_WINDOW (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

/**
 * sp_compare_window_get_counts:
 *
 * Returns: (nullable) (array fixed-size=4): the fields of each change, or
 *   %NULL before the comparison arrived
 */
const guint *
sp_compare_window_get_counts (SpCompareWindow *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_WINDOW (self), NULL);

  return self->comparison != NULL ? self->comparison->counts : NULL;
}

/* GObject */

static void
sp_compare_window_dispose (GObject *object)
{
  SpCompareWindow *self = SP_COMPARE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  if (self->fields_view != NULL)
    gtk_column_view_set_model (self->fields_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_COMPARE_WINDOW);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->comparison, sp_version_comparison_free);
  g_clear_object (&self->versions);
  g_clear_object (&self->pratica);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sp_compare_window_parent_class)->dispose (object);
}

static void
sp_compare_window_finalize (GObject *object)
{
  SpCompareWindow *self = SP_COMPARE_WINDOW (object);

  g_free (self->needle);

  G_OBJECT_CLASS (sp_compare_window_parent_class)->finalize (object);
}

static void
sp_compare_window_class_init (SpCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_compare_window_dispose;
  object_class->finalize = sp_compare_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-compare-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, header_spinner);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, old_older_button);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, old_newer_button);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, new_older_button);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, new_newer_button);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, old_title);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, old_subtitle);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, new_title);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, new_subtitle);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, legend);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, SpCompareWindow, fields_view);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);

  gtk_widget_class_install_action (widget_class, "compare.old-older", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "compare.old-newer", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "compare.new-older", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "compare.new-newer", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "compare.export-csv", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "compare.export-pdf", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
sp_compare_window_init (SpCompareWindow *self)
{
  g_autoptr(GtkSelectionModel) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->versions = G_LIST_MODEL (g_list_store_new (SP_TYPE_PRATICA_VERSION));
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, NULL);
  gtk_filter_list_model_set_incremental (self->filter_model, TRUE);
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "notify::pending", G_CALLBACK (items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model))));
  gtk_column_view_set_model (self->fields_view, selection);

  create_columns (self);
  create_legend (self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  update_arrows (self);
  update_export (self, TRUE);
}
