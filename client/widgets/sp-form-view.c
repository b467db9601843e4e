/* sp-form-view.c: a pratica's form data as people read it: labels, values, nested groups */
#define G_LOG_DOMAIN "sp-form-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-form-view.h"
#include "sp-form.h"

/*
 * The flattened fields (sp_form_flatten()) in schema order. Fields outside
 * any group go in an untitled group; each top-level group is an
 * AdwPreferencesGroup titled with its label, over one boxed list. A nested
 * group is a row of its parent's list that holds its heading (its own label,
 * said once) and, inset below it, the boxed list of its own fields and
 * groups: the nesting is the cards' nesting, and the parent's fields that
 * follow a nested group go on in the parent's card. Each field is a row:
 * label, then the value (selectable, wrapping), "—" when empty, or
 * "Confidential" with a lock when the server masked it.
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
create_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return list;
}

/* The path of a field's parent: "" for the root. */
static char *
parent_path (const char *path)
{
  const char *dot = strrchr (path, '.');

  return dot != NULL ? g_strndup (path, dot - path) : g_strdup ("");
}

/* A group being filled: where its fields and nested groups go. */
typedef struct
{
  char      *path;            /* "" for the fields outside any group */
  GtkWidget *box;             /* holds the list, below the heading */
  GtkWidget *list;            /* its rows, made with the first one */
} Section;

static void
section_free (Section *section)
{
  g_free (section->path);
  g_free (section);
}

typedef struct
{
  SpFormView *self;
  GPtrArray  *sections;       /* of Section: the open groups, outermost first */
} Builder;

static Section *
push_section (Builder    *builder,
              const char *path,
              GtkWidget  *box)
{
  Section *section = g_new0 (Section, 1);

  section->path = g_strdup (path);
  section->box = box;
  g_ptr_array_add (builder->sections, section);
  return section;
}

static Section *
top_section (Builder *builder)
{
  if (builder->sections->len == 0)
    return NULL;
  return g_ptr_array_index (builder->sections, builder->sections->len - 1);
}

/* The list where the next row of @section goes. */
static GtkWidget *
section_list (Section *section)
{
  if (section->list == NULL)
    {
      section->list = create_list ();
      gtk_box_append (GTK_BOX (section->box), section->list);
    }
  return section->list;
}

/* A top-level group: an AdwPreferencesGroup titled with its label (none for
 * the fields outside any group). */
static Section *
start_group (Builder    *builder,
             const char *path,
             const char *title)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  if (title != NULL)
    {
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
      gtk_widget_set_name (group, path);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), box);
  gtk_widget_set_parent (group, GTK_WIDGET (builder->self));
  g_ptr_array_set_size (builder->sections, 0);
  return push_section (builder, path, box);
}

/* The open group that holds @path, closing those that ended before it. */
static Section *
find_section (Builder    *builder,
              const char *path,
              guint       depth)
{
  g_autofree char *parent = parent_path (path);
  Section *section;

  while ((section = top_section (builder)) != NULL && g_strcmp0 (section->path, parent) != 0)
    g_ptr_array_set_size (builder->sections, builder->sections->len - 1);

  /* At the top level after a group: the fields outside groups start again. */
  if (section == NULL && depth == 0)
    section = start_group (builder, "", NULL);
  return section;
}

/*
 * A nested group: one row of its parent's list, holding its heading (its own
 * label, once) and, inset below it, a list of its fields and groups. The
 * parent's fields that follow it go on in the parent's list.
 */
static void
add_nested_group (Builder           *builder,
                  Section           *parent,
                  const SpFormField *field)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *heading = gtk_label_new (field->labels[field->depth]);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_name (row, field->path);
  gtk_widget_set_margin_start (box, INDENT);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 12);

  gtk_label_set_xalign (GTK_LABEL (heading), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_name (heading, "group-heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (heading),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, (int) field->depth + 3,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, field->labels[field->depth],
                                  -1);

  gtk_box_append (GTK_BOX (box), heading);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_append (GTK_LIST_BOX (section_list (parent)), row);
  push_section (builder, field->path, box);
}

static void
add_field (Builder           *builder,
           const SpFormField *field)
{
  Section *section;
  GtkWidget *row;

  if (field->is_group && field->depth == 0)
    {
      start_group (builder, field->path, field->labels[0]);
      return;
    }

  /* A field whose group did not come before it (a malformed list): on its own. */
  section = find_section (builder, field->path, field->depth);
  if (section == NULL)
    section = start_group (builder, "", NULL);

  if (field->is_group)
    {
      add_nested_group (builder, section, field);
      return;
    }

  row = sp_form_view_create_row (field->labels[field->depth] != NULL ? field->labels[field->depth] : field->path,
                                 field->value, field->masked);
  gtk_widget_set_name (row, field->path);
  gtk_list_box_append (GTK_LIST_BOX (section_list (section)), row);
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
  Builder builder = { self, NULL };

  g_return_if_fail (SP_IS_FORM_VIEW (self));

  clear (self);
  builder.sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const SpFormField *field = g_ptr_array_index (fields, i);

      if (field->labels == NULL || field->labels[0] == NULL)
        continue;
      add_field (&builder, field);
    }

  if (gtk_widget_get_first_child (GTK_WIDGET (self)) == NULL)
    {
      GtkWidget *empty = gtk_label_new (_("The form has no fields."));

      gtk_label_set_xalign (GTK_LABEL (empty), 0.0f);
      gtk_widget_add_css_class (empty, "dim-label");
      gtk_widget_set_parent (empty, GTK_WIDGET (self));
    }

  g_ptr_array_unref (builder.sections);
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
