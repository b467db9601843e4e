/* sp-protocol-page.c: the read-only "Configurazione di protocollo" page */
#define G_LOG_DOMAIN "sp-protocol-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-client.h"
#include "sp-page.h"
#include "sp-protocol-page.h"

struct _SpProtocolPage
{
  AdwBin               parent_instance;

  SpClient            *client;
  GCancellable        *cancellable;
  GPtrArray           *groups;          /* the service groups now in preferences_page */

  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  AdwPreferencesPage  *preferences_page;
};

static void page_iface_init (SpPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SpProtocolPage, sp_protocol_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (SP_TYPE_PAGE, page_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static void
show_state (SpProtocolPage *self,
            const char     *state)
{
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  gtk_stack_set_visible_child_name (self->stack, state);
}

static void
remove_groups (SpProtocolPage *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->preferences_page, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
}

static GtkWidget *
create_entry_row (const SpProtocolEntry *entry)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value;
  gboolean empty = entry->value == NULL || *entry->value == '\0';
  const char *text = empty ? _("Not set") : entry->value;

  /* Labels come from the ente's configuration: plain text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), entry->label);
  /* Short values stay on one line; long ones wrap at a readable width. */
  value = g_object_new (GTK_TYPE_LABEL,
                        "label", text,
                        "selectable", !empty,
                        "wrap", TRUE,
                        "wrap-mode", PANGO_WRAP_WORD_CHAR,
                        "xalign", 1.0f,
                        "justify", GTK_JUSTIFY_RIGHT,
                        "width-chars", (int) MIN (g_utf8_strlen (text, -1), 18) + 2,
                        "max-width-chars", 40,
                        "valign", GTK_ALIGN_CENTER,
                        NULL);
  if (empty)
    gtk_widget_add_css_class (value, "dim-label");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  return row;
}

/* One sub-section, "Arrivo" or "Risposta": a heading over a boxed list. */
static GtkWidget *
create_section (const char *title,
                GPtrArray  *entries)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *list = gtk_list_box_new ();

  gtk_label_set_xalign (GTK_LABEL (heading), 0.0f);
  gtk_widget_add_css_class (heading, "caption-heading");
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (heading),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, 3,
                                  -1);
  gtk_box_append (GTK_BOX (box), heading);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (list),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL,
                                  -1);
  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), create_entry_row (g_ptr_array_index (entries, i)));
  if (entries->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No values configured"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_box_append (GTK_BOX (box), list);

  return box;
}

static GtkWidget *
create_service_group (const SpProtocolConfig *config)
{
  GtkWidget *group = adw_preferences_group_new ();
  g_autofree char *description = NULL;
  const char *provider;
  const char *required;

  provider = config->provider == SP_PROTOCOL_PROVIDER_EXTERNAL
             ? _("External protocol (partner)")
             : _("Internal protocol");
  required = config->protocol_required
             ? _("registration required")
             : _("registration not required");
  /* Translators: the protocol provider, then whether registration is required */
  description = g_strdup_printf (_("%s · %s"), provider, required);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), config->servizio_name);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_widget_set_name (group, config->servizio_slug);

  {
    GtkWidget *sections = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);

    /* Translators: the protocol of incoming documents (the application) */
    gtk_box_append (GTK_BOX (sections), create_section (C_("protocol", "Incoming"), config->arrivo));
    /* Translators: the protocol of outgoing documents (the response) */
    gtk_box_append (GTK_BOX (sections), create_section (C_("protocol", "Response"), config->risposta));
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), sections);
  }

  return group;
}

static void
show_configs (SpProtocolPage *self,
              GPtrArray      *configs)
{
  remove_groups (self);

  if (configs->len == 0)
    {
      show_state (self, "empty");
      return;
    }

  for (guint i = 0; i < configs->len; i++)
    {
      GtkWidget *group = create_service_group (g_ptr_array_index (configs, i));

      adw_preferences_page_add (self->preferences_page, ADW_PREFERENCES_GROUP (group));
      g_ptr_array_add (self->groups, group);
    }
  show_state (self, "content");
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SpProtocolPage) self = user_data;
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GError) error = NULL;

  configs = sp_client_get_protocol_config_finish (SP_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);

  if (configs == NULL)
    {
      g_debug ("Cannot load the protocol configuration: %s", error->message);
      adw_status_page_set_description (self->error_page, error->message);
      show_state (self, "error");
      return;
    }

  show_configs (self, configs);
}

static void
sp_protocol_page_refresh (SpPage *page)
{
  SpProtocolPage *self = SP_PROTOCOL_PAGE (page);

  if (self->client == NULL || !sp_client_is_signed_in (self->client))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  show_state (self, "loading");
  sp_client_get_protocol_config_async (self->client, self->cancellable, load_cb, g_object_ref (self));
}

static void
sp_protocol_page_reset (SpPage *page)
{
  SpProtocolPage *self = SP_PROTOCOL_PAGE (page);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  remove_groups (self);
  show_state (self, "loading");
  gtk_spinner_set_spinning (self->spinner, FALSE);
}

static gboolean
sp_protocol_page_is_available (SpPage       *page,
                               const SpUser *user)
{
  /* The server refuses this endpoint to every role but the operator's. */
  return user != NULL && user->role == SP_ROLE_OPERATORE;
}

static void
page_iface_init (SpPageInterface *iface)
{
  iface->is_available = sp_protocol_page_is_available;
  iface->refresh = sp_protocol_page_refresh;
  iface->reset = sp_protocol_page_reset;
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sp_page_refresh (SP_PAGE (widget));
}

static void
sp_protocol_page_dispose (GObject *object)
{
  SpProtocolPage *self = SP_PROTOCOL_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->groups, g_ptr_array_unref);

  G_OBJECT_CLASS (sp_protocol_page_parent_class)->dispose (object);
}

static void
sp_protocol_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SpProtocolPage *self = SP_PROTOCOL_PAGE (object);

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
sp_protocol_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SpProtocolPage *self = SP_PROTOCOL_PAGE (object);

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
sp_protocol_page_class_init (SpProtocolPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_protocol_page_dispose;
  object_class->get_property = sp_protocol_page_get_property;
  object_class->set_property = sp_protocol_page_set_property;

  g_object_class_override_property (object_class, PROP_CLIENT, "client");

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-protocol-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpProtocolPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SpProtocolPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpProtocolPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SpProtocolPage, preferences_page);

  gtk_widget_class_install_action (widget_class, "protocol.refresh", NULL, refresh_action);
}

static void
sp_protocol_page_init (SpProtocolPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->groups = g_ptr_array_new ();
}
