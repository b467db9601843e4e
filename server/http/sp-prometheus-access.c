/* sp-prometheus-access.c: who may read GET /metrics: a bearer token, networks, both, or nobody */
#define G_LOG_DOMAIN "sp-server"

#include "config.h"

#include <string.h>

#include "sp-crypto.h"
#include "sp-error.h"
#include "sp-prometheus-access.h"

#define MIN_TOKEN 16

struct _SpPrometheusGate
{
  char      *token;     /* nullable */
  GPtrArray *networks;  /* of GInetAddressMask; empty: any address */
};

void
sp_prometheus_gate_free (SpPrometheusGate *self)
{
  if (self == NULL)
    return;
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_ptr_array_unref (self->networks);
  g_free (self);
}

/**
 * sp_prometheus_gate_new:
 *
 * Reads [metrics] token-file and allow; a file that cannot be read, a
 * token too short or a network that does not parse fails the start.
 */
SpPrometheusGate *
sp_prometheus_gate_new (const SpConfig  *config,
                        GError         **error)
{
  g_autoptr(SpPrometheusGate) self = g_new0 (SpPrometheusGate, 1);
  g_auto(GStrv) networks = g_strsplit (config->metrics_allow, ",", -1);

  self->networks = g_ptr_array_new_with_free_func (g_object_unref);
  if (*config->metrics_token_file != '\0')
    {
      if (!g_file_get_contents (config->metrics_token_file, &self->token, NULL, error))
        {
          g_prefix_error (error, "[metrics] token-file: ");
          return NULL;
        }
      g_strstrip (self->token);
      if (strlen (self->token) < MIN_TOKEN)
        {
          g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION,
                       "[metrics] token-file: the token needs %d characters or more", MIN_TOKEN);
          return NULL;
        }
    }
  for (guint i = 0; networks[i] != NULL; i++)
    {
      const char *text = g_strstrip (networks[i]);
      GInetAddressMask *mask;

      if (*text == '\0')
        continue;
      if (!(mask = g_inet_address_mask_new_from_string (text, error)))
        {
          g_prefix_error (error, "[metrics] allow: “%s”: ", text);
          return NULL;
        }
      g_ptr_array_add (self->networks, mask);
    }
  return g_steal_pointer (&self);
}

static gboolean
from_allowed_network (SpPrometheusGate  *self,
                      SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  GInetAddress *address = G_IS_INET_SOCKET_ADDRESS (remote)
                          ? g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)) : NULL;

  if (self->networks->len == 0)
    return TRUE;
  for (guint i = 0; address != NULL && i < self->networks->len; i++)
    if (g_inet_address_mask_matches (g_ptr_array_index (self->networks, i), address))
      return TRUE;
  return FALSE;
}

static gboolean
has_token (SpPrometheusGate  *self,
           SoupServerMessage *msg)
{
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");
  const char *given;

  if (self->token == NULL)
    return TRUE;
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return FALSE;
  given = authorization + 7;
  return strlen (given) == strlen (self->token) && sp_crypto_equal (given, self->token, strlen (given));
}

SpPrometheusAccess
sp_prometheus_gate_check (SpPrometheusGate  *self,
                          SoupServerMessage *msg)
{
  if (self->token == NULL && self->networks->len == 0)
    return SP_PROMETHEUS_OFF;
  if (!from_allowed_network (self, msg))
    return SP_PROMETHEUS_NOT_FROM_HERE;
  if (!has_token (self, msg))
    return SP_PROMETHEUS_NO_TOKEN;
  return SP_PROMETHEUS_ALLOWED;
}
