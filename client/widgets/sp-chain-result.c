/* sp-chain-result.c: what the server's check of a pratica's hash chain found, above the audit's versions */
#define G_LOG_DOMAIN "sp-chain-result"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-chain-result.h"
#include "sp-client-audit.h"

/*
 * SpChainResult:
 *
 * A card that slides in with the outcome of *Verifica catena*: intact (in
 * green, with how many versions were checked), broken (in red, at which
 * version and how, with the stored and the expected hash, selectable to
 * copy into a report), or why it could not be checked. Hidden until the
 * first check, and again by sp_chain_result_clear().
 */
struct _SpChainResult
{
  AdwBin        parent_instance;

  GCancellable *cancellable;   /* while checking */

  GtkWidget    *box;
  GtkImage     *icon;
  GtkLabel     *label;
};

G_DEFINE_FINAL_TYPE (SpChainResult, sp_chain_result, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CHECKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The bin's child (not a template child: AdwBin unparents it itself). */
static GtkRevealer *
revealer_of (SpChainResult *self)
{
  return GTK_REVEALER (adw_bin_get_child (ADW_BIN (self)));
}

static void
show (SpChainResult *self,
      const char    *icon_name,
      const char    *style,
      const char    *text)
{
  gtk_widget_remove_css_class (self->box, "sp-chain-intact");
  gtk_widget_remove_css_class (self->box, "sp-chain-broken");
  if (style != NULL)
    gtk_widget_add_css_class (self->box, style);
  gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_label_set_text (self->label, text);
  gtk_revealer_set_reveal_child (revealer_of (self), TRUE);
}

static void
set_checking (SpChainResult *self,
              GCancellable  *cancellable)
{
  if (self->cancellable == cancellable)
    return;
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
}

static void
chain_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SpChainResult) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpChainCheck) check = sp_client_audit_chain_finish (SP_CLIENT (object), result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_checking (self, NULL);
  if (check == NULL)
    {
      /* Translators: the check of the hash chain could not be made; the error follows */
      text = g_strdup_printf (_("The chain could not be checked: %s"), error->message);
      show (self, "dialog-warning-symbolic", NULL, text);
      return;
    }
  text = sp_chain_check_describe (check);
  if (!check->intact && check->stored_hash != NULL && check->expected_hash != NULL)
    {
      /* Translators: under a broken link: the hash stored in the version and the one its content gives */
      g_autofree char *hashes = g_strdup_printf (_("Stored hash: %s\nExpected hash: %s"),
                                                 check->stored_hash, check->expected_hash);
      g_autofree char *sentence = g_steal_pointer (&text);

      text = g_strconcat (sentence, "\n", hashes, NULL);
    }
  if (check->intact)
    show (self, "emblem-ok-symbolic", "sp-chain-intact", text);
  else
    show (self, "dialog-error-symbolic", "sp-chain-broken", text);
}

/**
 * sp_chain_result_check:
 * @pratica_id: the pratica whose chain to check
 *
 * Has the server check every link of the chain (a check under way is
 * dropped), and shows what it found.
 */
void
sp_chain_result_check (SpChainResult *self,
                       SpClient      *client,
                       const char    *pratica_id)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_return_if_fail (SP_IS_CHAIN_RESULT (self));
  g_return_if_fail (SP_IS_CLIENT (client));
  g_return_if_fail (pratica_id != NULL);

  set_checking (self, cancellable);
  show (self, "content-loading-symbolic", NULL, _("Checking every link of the chain…"));
  sp_client_audit_chain_async (client, pratica_id, cancellable, chain_cb, g_object_ref (self));
}

/* Hides the outcome (another pratica is shown), dropping a check under way. */
void
sp_chain_result_clear (SpChainResult *self)
{
  g_return_if_fail (SP_IS_CHAIN_RESULT (self));

  set_checking (self, NULL);
  gtk_revealer_set_reveal_child (revealer_of (self), FALSE);
}

gboolean
sp_chain_result_get_checking (SpChainResult *self)
{
  g_return_val_if_fail (SP_IS_CHAIN_RESULT (self), FALSE);

  return self->cancellable != NULL;
}

/* Returns: (nullable): what the card says, while it shows */
const char *
sp_chain_result_get_text (SpChainResult *self)
{
  g_return_val_if_fail (SP_IS_CHAIN_RESULT (self), NULL);

  return gtk_revealer_get_reveal_child (revealer_of (self)) ? gtk_label_get_text (self->label) : NULL;
}

static void
sp_chain_result_dispose (GObject *object)
{
  SpChainResult *self = SP_CHAIN_RESULT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_CHAIN_RESULT);

  G_OBJECT_CLASS (sp_chain_result_parent_class)->dispose (object);
}

static void
sp_chain_result_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SpChainResult *self = SP_CHAIN_RESULT (object);

  switch (prop_id)
    {
    case PROP_CHECKING:
      g_value_set_boolean (value, sp_chain_result_get_checking (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_chain_result_class_init (SpChainResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_chain_result_dispose;
  object_class->get_property = sp_chain_result_get_property;

  /**
   * SpChainResult:checking:
   *
   * Whether a check is under way.
   */
  properties[PROP_CHECKING] = g_param_spec_boolean ("checking", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-chain-result.ui");
  gtk_widget_class_bind_template_child (widget_class, SpChainResult, box);
  gtk_widget_class_bind_template_child (widget_class, SpChainResult, icon);
  gtk_widget_class_bind_template_child (widget_class, SpChainResult, label);
}

static void
sp_chain_result_init (SpChainResult *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
