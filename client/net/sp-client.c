/* sp-client.c: the HTTP API client of the desktop app: session, settings, trust store */
#define G_LOG_DOMAIN "sp-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-certificate.h"
#include "sp-client-private.h"
#include "sp-error.h"
#include "sp-private-dir.h"

#define REQUEST_TIMEOUT_SECONDS 30

/*
 * SpClient talks to sportello-server. Every call is asynchronous and every
 * error it reports is in %SP_ERROR with a translated message that can be shown
 * to the user as it is.
 *
 * TLS trust (DESIGN.md §7): the system CAs, or, when SPORTELLO_CA_FILE names a
 * PEM file, the CAs in that file instead. A certificate that does not verify
 * is accepted only if the user trusted, for that host:port, the SHA-256
 * fingerprint of the certification authority its chain ends in or of the
 * certificate itself (sp_certificate_get_anchor(); GSettings key
 * `trusted-certificates`, like SSH's known_hosts); otherwise the request fails with
 * %SP_ERROR_UNTRUSTED_CERTIFICATE and sp_client_get_untrusted_certificate()
 * tells the UI what to show.
 *
 * The requests are in sp-client-send.c, the API calls in sp-client-api.c.
 */

G_DEFINE_FINAL_TYPE (SpClient, sp_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_BASE_URL,
  PROP_SIGNED_IN,
  N_PROPS
};

enum {
  SESSION_EXPIRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

char *
sp_client_lookup_trusted_fingerprint (SpClient   *self,
                                      const char *host_port)
{
  g_autoptr(GVariant) trusted = g_settings_get_value (self->settings, "trusted-certificates");
  char *fingerprint = NULL;

  if (!g_variant_lookup (trusted, host_port, "s", &fingerprint))
    return NULL;
  return fingerprint;
}

void
sp_client_set_session (SpClient   *self,
                       const char *token,
                       SpUser     *user)
{
  g_free (self->token);
  self->token = g_strdup (token);
  g_clear_pointer (&self->user, sp_user_free);
  self->user = user;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

/* The session's files go with it. */
static void
delete_private_dir (SpClient *self)
{
  if (self->private_dir == NULL)
    return;
  sp_private_dir_delete (self->private_dir);
  g_clear_pointer (&self->private_dir, g_free);
}

void
sp_client_clear_session (SpClient *self)
{
  delete_private_dir (self);
  if (self->token == NULL && self->user == NULL)
    return;

  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->user, sp_user_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

/* The server refused the session's token: sign out and tell the UI. */
void
sp_client_expire_session (SpClient *self)
{
  sp_client_clear_session (self);
  g_signal_emit (self, signals[SESSION_EXPIRED], 0);
}

void
sp_client_remember_untrusted (SpClient             *self,
                              const char           *host_port,
                              GTlsCertificate      *certificate,
                              GTlsCertificate      *anchor,
                              GTlsCertificateFlags  errors,
                              gboolean              fingerprint_changed)
{
  g_set_object (&self->untrusted_certificate, certificate);
  g_set_object (&self->untrusted_anchor, anchor);
  g_free (self->untrusted_host_port);
  self->untrusted_host_port = g_strdup (host_port);
  self->untrusted_errors = errors;
  self->untrusted_changed = fingerprint_changed;
}

static void
sp_client_constructed (GObject *object)
{
  SpClient *self = SP_CLIENT (object);
  const char *ca_file = g_getenv ("SPORTELLO_CA_FILE");

  G_OBJECT_CLASS (sp_client_parent_class)->constructed (object);

  self->session = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_SECONDS,
                                                 "user-agent", "Sportello/" PACKAGE_VERSION " ",
                                                 NULL);

  /* SPORTELLO_CA_FILE replaces the system CAs with those of the file. */
  if (ca_file != NULL && *ca_file != '\0')
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca_file, &error);

      if (database != NULL)
        soup_session_set_tls_database (self->session, database);
      else
        g_warning ("Cannot load the CA file %s named by SPORTELLO_CA_FILE: %s",
                   ca_file, error->message);
    }
}

static void
sp_client_dispose (GObject *object)
{
  SpClient *self = SP_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->untrusted_certificate);
  g_clear_object (&self->untrusted_anchor);
  /* The app exits, or the window that signed in closes. */
  delete_private_dir (self);

  G_OBJECT_CLASS (sp_client_parent_class)->dispose (object);
}

static void
sp_client_finalize (GObject *object)
{
  SpClient *self = SP_CLIENT (object);

  g_free (self->base_url);
  g_free (self->token);
  g_free (self->untrusted_host_port);
  g_clear_pointer (&self->user, sp_user_free);

  G_OBJECT_CLASS (sp_client_parent_class)->finalize (object);
}

static void
sp_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SpClient *self = SP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_SIGNED_IN:
      g_value_set_boolean (value, sp_client_is_signed_in (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SpClient *self = SP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_client_class_init (SpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = sp_client_constructed;
  object_class->dispose = sp_client_dispose;
  object_class->finalize = sp_client_finalize;
  object_class->get_property = sp_client_get_property;
  object_class->set_property = sp_client_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SpClient::session-expired:
   *
   * The server refused the session token (expired or revoked); the client is
   * signed out and the user must sign in again.
   */
  signals[SESSION_EXPIRED] =
    g_signal_new ("session-expired",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
sp_client_init (SpClient *self)
{
}

SpClient *
sp_client_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (SP_TYPE_CLIENT, "settings", settings, NULL);
}

const char *
sp_client_get_base_url (SpClient *self)
{
  g_return_val_if_fail (SP_IS_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * sp_client_set_base_url:
 * @base_url: what the user typed: `https://host[:port][/prefix]`; the scheme
 *   may be left out
 *
 * Returns: %FALSE with %SP_ERROR_INVALID_INPUT if the address is not an
 *   HTTPS URL
 */
gboolean
sp_client_set_base_url (SpClient    *self,
                        const char  *base_url,
                        GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(GUri) uri = NULL;
  gsize len;

  g_return_val_if_fail (SP_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (base_url != NULL, FALSE);

  text = g_strstrip (g_strdup (base_url));
  if (strstr (text, "://") == NULL)
    {
      char *with_scheme = g_strconcat ("https://", text, NULL);

      g_free (text);
      text = with_scheme;
    }

  uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT,
                           _("The server address is not valid."));
      return FALSE;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT,
                           _("The server address must start with https://."));
      return FALSE;
    }

  normalized = g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  len = strlen (normalized);
  while (len > 0 && normalized[len - 1] == '/')
    normalized[--len] = '\0';

  if (g_strcmp0 (normalized, self->base_url) != 0)
    {
      g_free (self->base_url);
      self->base_url = g_steal_pointer (&normalized);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
    }
  return TRUE;
}

gboolean
sp_client_is_signed_in (SpClient *self)
{
  g_return_val_if_fail (SP_IS_CLIENT (self), FALSE);

  return self->token != NULL && self->user != NULL;
}

/**
 * sp_client_get_private_dir:
 *
 * The folder for the files of the signed-in session that other applications
 * open (documents): mode 0700, made on the first call, deleted with all it
 * holds when the session ends and when the client goes (sp-private-dir.c).
 *
 * Returns: (nullable): its path, or %NULL with @error set when signed out
 *   or when it cannot be made
 */
const char *
sp_client_get_private_dir (SpClient  *self,
                           GError   **error)
{
  g_return_val_if_fail (SP_IS_CLIENT (self), NULL);

  if (!sp_client_is_signed_in (self))
    {
      g_set_error (error, SP_ERROR, SP_ERROR_UNAUTHENTICATED, "%s.", sp_error_get_title (SP_ERROR_UNAUTHENTICATED));
      return NULL;
    }
  if (self->private_dir == NULL)
    self->private_dir = sp_private_dir_create (error);
  return self->private_dir;
}

/**
 * sp_client_get_user:
 *
 * Returns: (nullable) (transfer none): the signed-in account
 */
const SpUser *
sp_client_get_user (SpClient *self)
{
  g_return_val_if_fail (SP_IS_CLIENT (self), NULL);

  return self->user;
}

/**
 * sp_client_get_untrusted_certificate:
 * @host_port: (out) (optional): the server it came from
 * @anchor: (out) (optional) (transfer none): what the user is asked to trust
 *   for that server: the certification authority the server's chain ends in,
 *   or the certificate itself (sp_certificate_get_anchor())
 * @fingerprint_changed: (out) (optional): %TRUE if a different certificate
 *   was trusted for that server before
 * @errors: (out) (optional): why it did not verify
 *
 * Returns: (nullable) (transfer none): the certificate of the last request
 *   that failed with %SP_ERROR_UNTRUSTED_CERTIFICATE
 */
GTlsCertificate *
sp_client_get_untrusted_certificate (SpClient              *self,
                                     const char           **host_port,
                                     GTlsCertificate      **anchor,
                                     gboolean              *fingerprint_changed,
                                     GTlsCertificateFlags  *errors)
{
  g_return_val_if_fail (SP_IS_CLIENT (self), NULL);

  if (host_port != NULL)
    *host_port = self->untrusted_host_port;
  if (anchor != NULL)
    *anchor = self->untrusted_anchor;
  if (fingerprint_changed != NULL)
    *fingerprint_changed = self->untrusted_changed;
  if (errors != NULL)
    *errors = self->untrusted_errors;
  return self->untrusted_certificate;
}

/**
 * sp_client_trust_certificate:
 * @certificate: the anchor of sp_client_get_untrusted_certificate(): a
 *   certification authority or a server's certificate
 *
 * Remembers @certificate's fingerprint as the trusted one for @host_port,
 * replacing any previous one.
 */
void
sp_client_trust_certificate (SpClient        *self,
                             const char      *host_port,
                             GTlsCertificate *certificate)
{
  g_autoptr(GVariant) trusted = NULL;
  g_autofree char *fingerprint = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *known_host;
  const char *known_fingerprint;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (host_port != NULL);
  g_return_if_fail (G_IS_TLS_CERTIFICATE (certificate));

  fingerprint = sp_certificate_get_fingerprint (certificate);
  g_return_if_fail (fingerprint != NULL);

  trusted = g_settings_get_value (self->settings, "trusted-certificates");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, trusted);
  while (g_variant_iter_next (&iter, "{&s&s}", &known_host, &known_fingerprint))
    if (g_strcmp0 (known_host, host_port) != 0)
      g_variant_builder_add (&builder, "{ss}", known_host, known_fingerprint);
  g_variant_builder_add (&builder, "{ss}", host_port, fingerprint);
  g_settings_set_value (self->settings, "trusted-certificates", g_variant_builder_end (&builder));

  if (self->untrusted_certificate == certificate || self->untrusted_anchor == certificate)
    {
      g_clear_object (&self->untrusted_certificate);
      g_clear_object (&self->untrusted_anchor);
      g_clear_pointer (&self->untrusted_host_port, g_free);
    }
  g_info ("Trusting the certificate %s for %s", fingerprint, host_port);
}
