/* sp-form-view.c: a pratica's form data as people read it: labels, values, nested groups */
#define G_LOG_DOMAIN "sp-form-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-form-view.h"
#include "sp-form.h"

/*
 * The flattened fields (sp_form_flatten()) in order. Fields outside any group
 * go in an untitled group; each top-level group is an AdwPreferencesGroup
 * titled with its label; a nested group is a sub-heading with its label path
 * below the top-level one ("Indirizzo › Residenza") over a boxed list of its
 * own fields, the list indented one step more than the heading, so that the
 * fields of the outer group that follow stand apart. Each field is a row: label, then the
 * value (selectable, wrapping), "—" when empty, or "Confidential" with a
 * lock when the server masked it.
 */

#define INDENT 18
#define LABEL_CHARS 22

struct _SpFormView
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (SpFormView, sp_form_view, GTK_TYPE_WIDGET)

static GtkWidget *
create_value (const char *value,
              gboolean    masked)
{
  GtkWidget *widget;

  if (masked)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("changes-prevent-symbolic");
      GtkWidget *label = gtk_label_new (_("Confidential"));

      widget = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_set_hexpand (widget, TRUE);
      gtk_widget_set_valign (widget, GTK_ALIGN_START);
      gtk_widget_add_css_class (widget, "dim-label");
      gtk_widget_set_tooltip_text (widget, _("Visible only to the assigned operator"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Locked"),
                                      -1);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Visible only to the assigned operator"),
                                      -1);
      gtk_widget_set_name (label, "masked-value");
      gtk_box_append (GTK_BOX (widget), icon);
      gtk_box_append (GTK_BOX (widget), label);
      return widget;
    }

  if (value == NULL || *value == '\0')
    {
      widget = gtk_label_new ("—");
      gtk_widget_add_css_class (widget, "dim-label");
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not filled in"),
                                      -1);
    }
  else
    {
      widget = g_object_new (GTK_TYPE_LABEL,
                             "label", value,
                             "selectable", TRUE,
                             "wrap", TRUE,
                             "wrap-mode", PANGO_WRAP_WORD_CHAR,
                             NULL);
    }
  gtk_label_set_xalign (GTK_LABEL (widget), 0.0f);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_valign (widget, GTK_ALIGN_START);
  gtk_widget_set_name (widget, "value");
  return widget;
}

/**
 * sp_form_view_create_row:
 * @value: (nullable): the value; "—" when %NULL or empty
 * @masked: the value is confidential and was left out by the server
 *
 * Returns: (transfer floating): a #GtkListBoxRow with @label and @value side
 *   by side, for a boxed list
 */
GtkWidget *
sp_form_view_create_row (const char *label,
                         const char *value,
                         gboolean    masked)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *name = g_object_new (GTK_TYPE_LABEL,
                                  "label", label,
                                  "wrap", TRUE,
                                  "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                  "xalign", 0.0f,
                                  "valign", GTK_ALIGN_START,
                                  /* A column as wide in every row and group. */
                                  "width-chars", LABEL_CHARS,
                                  "max-width-chars", LABEL_CHARS,
                                  NULL);
  GtkWidget *value_widget = create_value (value, masked);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_widget_set_name (name, "label");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value_widget),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, name, NULL,
                                  -1);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), value_widget);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static GtkWidget *
create_list (guint indent)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_margin_start (list, indent * INDENT);
  return list;
}

/* The labels of a path from @first on, as in "Indirizzo › Residenza". */
static char *
join_labels (GStrv labels,
             guint first)
{
  if (g_strv_length (labels) <= first)
    return g_strdup ("");
  return g_strjoinv (" › ", labels + first);
}

/* The path of a field's parent: "" for the root. */
static char *
parent_path (const char *path)
{
  const char *dot = strrchr (path, '.');

  return dot != NULL ? g_strndup (path, dot - path) : g_strdup ("");
}

typedef struct
{
  SpFormView *self;
  GtkWidget  *group;          /* the AdwPreferencesGroup being filled */
  GtkWidget  *box;            /* its content: headings and lists */
  gboolean    group_is_root;  /* for the fields outside any group */
  GtkWidget  *list;           /* the list being filled, or NULL */
  char       *section;        /* the path whose fields go into list */
  GHashTable *headings;       /* group path → its labels, for headings */
} Builder;

static void
start_group (Builder    *builder,
             const char *title,
             gboolean    is_root)
{
  builder->group = adw_preferences_group_new ();
  if (title != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (builder->group), title);
  builder->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (builder->group), builder->box);
  gtk_widget_set_parent (builder->group, GTK_WIDGET (builder->self));
  builder->group_is_root = is_root;
  builder->list = NULL;
}

/* A sub-heading for a nested group: its labels below the top-level group. */
static void
add_heading (Builder *builder,
             GStrv    labels,
             guint    depth)
{
  g_autofree char *text = join_labels (labels, 1);
  GtkWidget *heading = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (heading), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  /* Below the group's title: quieter, and smaller when deeper. */
  gtk_widget_add_css_class (heading, depth <= 1 ? "heading" : "caption-heading");
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_widget_set_margin_start (heading, (depth - 1) * INDENT);
  gtk_widget_set_margin_top (heading, 6);
  gtk_widget_set_name (heading, "group-heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (heading),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, (int) depth + 3,
                                  -1);
  gtk_box_append (GTK_BOX (builder->box), heading);
}

static void
add_field (Builder           *builder,
           const SpFormField *field)
{
  g_autofree char *section = parent_path (field->path);
  GtkWidget *row;

  if (field->depth == 0 && (builder->group == NULL || !builder->group_is_root))
    start_group (builder, NULL, TRUE);

  if (builder->list == NULL || g_strcmp0 (section, builder->section) != 0)
    {
      /* Back in an outer group after a nested one: say which it is again. */
      if (builder->list != NULL && field->depth >= 2)
        {
          GStrv labels = g_hash_table_lookup (builder->headings, section);

          if (labels != NULL)
            add_heading (builder, labels, field->depth - 1);
        }
      builder->list = create_list (field->depth >= 1 ? field->depth - 1 : 0);
      gtk_box_append (GTK_BOX (builder->box), builder->list);
      g_free (builder->section);
      builder->section = g_steal_pointer (&section);
    }

  row = sp_form_view_create_row (field->labels[field->depth] != NULL ? field->labels[field->depth] : field->path,
                                 field->value, field->masked);
  gtk_widget_set_name (row, field->path);
  gtk_list_box_append (GTK_LIST_BOX (builder->list), row);
}

static void
add_group (Builder           *builder,
           const SpFormField *field)
{
  g_hash_table_insert (builder->headings, field->path, field->labels);

  if (field->depth == 0)
    {
      start_group (builder, field->labels[0], FALSE);
      gtk_widget_set_name (builder->group, field->path);
      g_free (builder->section);
      builder->section = g_strdup (field->path);
      return;
    }

  if (builder->group == NULL)
    start_group (builder, NULL, FALSE);
  add_heading (builder, field->labels, field->depth);
  builder->list = NULL;
}

static void
clear (SpFormView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
}

/**
 * sp_form_view_set_fields:
 * @fields: (element-type SpFormField) (nullable): the fields in schema order
 *
 * Shows @fields, replacing what was shown.
 */
void
sp_form_view_set_fields (SpFormView *self,
                         GPtrArray  *fields)
{
  Builder builder = { self, NULL, NULL, FALSE, NULL, NULL, NULL };

  g_return_if_fail (SP_IS_FORM_VIEW (self));

  clear (self);
  builder.headings = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const SpFormField *field = g_ptr_array_index (fields, i);

      if (field->labels == NULL || field->labels[0] == NULL)
        continue;
      if (field->is_group)
        add_group (&builder, field);
      else
        add_field (&builder, field);
    }

  if (gtk_widget_get_first_child (GTK_WIDGET (self)) == NULL)
    {
      GtkWidget *empty = gtk_label_new (_("The form has no fields."));

      gtk_label_set_xalign (GTK_LABEL (empty), 0.0f);
      gtk_widget_add_css_class (empty, "dim-label");
      gtk_widget_set_parent (empty, GTK_WIDGET (self));
    }

  g_free (builder.section);
  g_hash_table_unref (builder.headings);
}

static void
sp_form_view_dispose (GObject *object)
{
  clear (SP_FORM_VIEW (object));

  G_OBJECT_CLASS (sp_form_view_parent_class)->dispose (object);
}

static void
sp_form_view_class_init (SpFormViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_form_view_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "formview");
}

static void
sp_form_view_init (SpFormView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 24);
}

GtkWidget *
sp_form_view_new (void)
{
  return g_object_new (SP_TYPE_FORM_VIEW, NULL);
}
