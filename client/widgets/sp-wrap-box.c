/* sp-wrap-box.c: a row of widgets that goes on in a new line where the window is too narrow */
#define G_LOG_DOMAIN "sp-wrap-box"

#include "config.h"

#include "sp-wrap-box.h"

/*
 * The children are laid out in order, left to right (right to left in RTL
 * languages), each at its natural width; a child that would not fit at its
 * natural width starts a new line. A line whose single child is wider than
 * the box shrinks it towards its minimum width, so a child that can scroll
 * (a GtkScrolledWindow) still fits a very narrow window. The space left on a
 * line goes to the children that expand horizontally.
 *
 * libadwaita 1.4's AdwBreakpoint or 1.7's AdwWrapBox would do this; Debian 12
 * has libadwaita 1.2. The box asks for its height for a given width, so the
 * container above gives it the height of every line.
 */

struct _SpWrapBox
{
  GtkWidget parent_instance;

  int       spacing;
  int       line_spacing;
  guint     n_lines;            /* at the last allocation */
};

enum {
  PROP_0,
  PROP_SPACING,
  PROP_LINE_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void buildable_iface_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SpWrapBox, sp_wrap_box, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, buildable_iface_init))

static GtkBuildableIface *parent_buildable_iface;

/* Layout */

typedef struct
{
  GtkWidget *child;
  int        minimum;           /* widths */
  int        natural;
  int        width;             /* on its line */
  guint      line;
} Item;

/* The visible children, with their widths. */
static GArray *
measure_items (SpWrapBox *self)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (Item));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      Item item = { child, 0, 0, 0, 0 };

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &item.minimum, &item.natural, NULL, NULL);
      g_array_append_val (items, item);
    }
  return items;
}

/* Every child on one line at its natural width. */
static int
natural_width (SpWrapBox *self,
               GArray    *items)
{
  int width = 0;

  for (guint i = 0; i < items->len; i++)
    width += g_array_index (items, Item, i).natural + (i > 0 ? self->spacing : 0);
  return width;
}

/* Gives each of @n @items on one line its width in @width. */
static void
size_line (SpWrapBox *self,
           Item      *items,
           guint      n,
           int        width)
{
  g_autofree GtkRequestedSize *sizes = g_new0 (GtkRequestedSize, n);
  int available = width - self->spacing * (int) (n - 1);
  int natural = 0;
  int minimum = 0;
  guint n_expand = 0;

  for (guint i = 0; i < n; i++)
    {
      natural += items[i].natural;
      minimum += items[i].minimum;
      if (gtk_widget_compute_expand (items[i].child, GTK_ORIENTATION_HORIZONTAL))
        n_expand++;
    }

  if (natural <= available)
    {
      /* Room to spare: the expanding children share it. */
      int extra = available - natural;

      for (guint i = 0; i < n; i++)
        {
          items[i].width = items[i].natural;
          if (n_expand > 0 && gtk_widget_compute_expand (items[i].child, GTK_ORIENTATION_HORIZONTAL))
            {
              int share = extra / (int) n_expand;

              items[i].width += share;
              extra -= share;
              n_expand--;
            }
        }
      return;
    }

  /* Too narrow: from the minimum widths towards the natural ones. */
  for (guint i = 0; i < n; i++)
    {
      sizes[i].data = items[i].child;
      sizes[i].minimum_size = items[i].minimum;
      sizes[i].natural_size = items[i].natural;
    }
  gtk_distribute_natural_allocation (MAX (available - minimum, 0), n, sizes);
  for (guint i = 0; i < n; i++)
    items[i].width = sizes[i].minimum_size;
}

/* Breaks @items into lines for @width and sizes them; returns the number of lines. */
static guint
break_lines (SpWrapBox *self,
             GArray    *items,
             int        width)
{
  guint n_lines = 0;
  guint start = 0;
  int used = 0;

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = &g_array_index (items, Item, i);

      if (i > start && used + self->spacing + item->natural > width)
        {
          size_line (self, &g_array_index (items, Item, start), i - start, width);
          n_lines++;
          start = i;
        }
      used = (i == start) ? item->natural : used + self->spacing + item->natural;
      item->line = n_lines;
    }
  if (start < items->len)
    {
      size_line (self, &g_array_index (items, Item, start), items->len - start, width);
      n_lines++;
    }
  return n_lines;
}

/* The height of line @line: the tallest of its children at their widths. */
static void
measure_line (GArray *items,
              guint   line,
              int    *minimum,
              int    *natural)
{
  *minimum = 0;
  *natural = 0;
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = &g_array_index (items, Item, i);
      int child_minimum;
      int child_natural;

      if (item->line != line)
        continue;
      gtk_widget_measure (item->child, GTK_ORIENTATION_VERTICAL, item->width,
                          &child_minimum, &child_natural, NULL, NULL);
      *minimum = MAX (*minimum, child_minimum);
      *natural = MAX (*natural, child_natural);
    }
}

static void
sp_wrap_box_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  SpWrapBox *self = SP_WRAP_BOX (widget);
  g_autoptr(GArray) items = measure_items (self);
  guint n_lines;

  *minimum = 0;
  *natural = 0;
  if (items->len == 0)
    return;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* At the narrowest every child has a line of its own. */
      for (guint i = 0; i < items->len; i++)
        *minimum = MAX (*minimum, g_array_index (items, Item, i).minimum);
      *natural = natural_width (self, items);
      return;
    }

  /* Without a width, the natural one: a single line. */
  n_lines = break_lines (self, items, for_size >= 0 ? for_size : natural_width (self, items));
  for (guint line = 0; line < n_lines; line++)
    {
      int line_minimum;
      int line_natural;

      measure_line (items, line, &line_minimum, &line_natural);
      *minimum += line_minimum + (line > 0 ? self->line_spacing : 0);
      *natural += line_natural + (line > 0 ? self->line_spacing : 0);
    }
}

static GtkSizeRequestMode
sp_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
sp_wrap_box_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  SpWrapBox *self = SP_WRAP_BOX (widget);
  g_autoptr(GArray) items = measure_items (self);
  g_autofree int *line_heights = NULL;
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int total_natural = 0;
  int y = 0;
  int x = 0;
  guint line = 0;

  self->n_lines = break_lines (self, items, width);
  if (self->n_lines == 0)
    return;

  /* Natural heights when they fit, else the minimum ones. */
  line_heights = g_new0 (int, self->n_lines * 2);
  for (guint i = 0; i < self->n_lines; i++)
    {
      measure_line (items, i, &line_heights[2 * i], &line_heights[2 * i + 1]);
      total_natural += line_heights[2 * i + 1] + (i > 0 ? self->line_spacing : 0);
    }

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = &g_array_index (items, Item, i);
      int line_height;

      if (item->line != line)
        {
          y += line_heights[2 * line + (total_natural <= height)] + self->line_spacing;
          line = item->line;
          x = 0;
        }
      line_height = line_heights[2 * line + (total_natural <= height)];
      gtk_widget_size_allocate (item->child,
                                &(GtkAllocation) { rtl ? width - x - item->width : x, y, item->width, line_height },
                                -1);
      x += item->width + self->spacing;
    }
}

static void
sp_wrap_box_compute_expand (GtkWidget *widget,
                            gboolean  *hexpand,
                            gboolean  *vexpand)
{
  *hexpand = FALSE;
  *vexpand = FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      *hexpand = *hexpand || gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL);
      *vexpand = *vexpand || gtk_widget_compute_expand (child, GTK_ORIENTATION_VERTICAL);
    }
}

/* GtkBuildable */

static void
sp_wrap_box_add_child (GtkBuildable *buildable,
                       GtkBuilder   *builder,
                       GObject      *child,
                       const char   *type)
{
  if (type == NULL && GTK_IS_WIDGET (child))
    sp_wrap_box_append (SP_WRAP_BOX (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
buildable_iface_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = sp_wrap_box_add_child;
}

/* GObject */

static void
sp_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sp_wrap_box_parent_class)->dispose (object);
}

static void
sp_wrap_box_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SpWrapBox *self = SP_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, sp_wrap_box_get_spacing (self));
      break;

    case PROP_LINE_SPACING:
      g_value_set_int (value, sp_wrap_box_get_line_spacing (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_wrap_box_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SpWrapBox *self = SP_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      sp_wrap_box_set_spacing (self, g_value_get_int (value));
      break;

    case PROP_LINE_SPACING:
      sp_wrap_box_set_line_spacing (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_wrap_box_class_init (SpWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_wrap_box_dispose;
  object_class->get_property = sp_wrap_box_get_property;
  object_class->set_property = sp_wrap_box_set_property;

  widget_class->measure = sp_wrap_box_measure;
  widget_class->get_request_mode = sp_wrap_box_get_request_mode;
  widget_class->size_allocate = sp_wrap_box_size_allocate;
  widget_class->compute_expand = sp_wrap_box_compute_expand;

  /**
   * SpWrapBox:spacing:
   *
   * The space between two children on a line, in pixels.
   */
  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SpWrapBox:line-spacing:
   *
   * The space between two lines, in pixels.
   */
  properties[PROP_LINE_SPACING] =
    g_param_spec_int ("line-spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "wrapbox");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sp_wrap_box_init (SpWrapBox *self)
{
}

void
sp_wrap_box_append (SpWrapBox *self,
                    GtkWidget *child)
{
  g_return_if_fail (SP_IS_WRAP_BOX (self));
  g_return_if_fail (GTK_IS_WIDGET (child));
  g_return_if_fail (gtk_widget_get_parent (child) == NULL);

  gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}

int
sp_wrap_box_get_spacing (SpWrapBox *self)
{
  g_return_val_if_fail (SP_IS_WRAP_BOX (self), 0);

  return self->spacing;
}

void
sp_wrap_box_set_spacing (SpWrapBox *self,
                         int        spacing)
{
  g_return_if_fail (SP_IS_WRAP_BOX (self));

  if (self->spacing == spacing)
    return;
  self->spacing = spacing;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPACING]);
}

int
sp_wrap_box_get_line_spacing (SpWrapBox *self)
{
  g_return_val_if_fail (SP_IS_WRAP_BOX (self), 0);

  return self->line_spacing;
}

void
sp_wrap_box_set_line_spacing (SpWrapBox *self,
                              int        line_spacing)
{
  g_return_if_fail (SP_IS_WRAP_BOX (self));

  if (self->line_spacing == line_spacing)
    return;
  self->line_spacing = line_spacing;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINE_SPACING]);
}

/**
 * sp_wrap_box_get_n_lines:
 *
 * Returns: how many lines the children took at the last allocation
 */
guint
sp_wrap_box_get_n_lines (SpWrapBox *self)
{
  g_return_val_if_fail (SP_IS_WRAP_BOX (self), 0);

  return self->n_lines;
}
