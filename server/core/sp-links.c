/* sp-links.c: signed, expiring download links: token = base64url (document ‖ expiry ‖ HMAC-SHA256) */
#define G_LOG_DOMAIN "sp-links"

#include "config.h"

#include <string.h>

#include "sp-api.h"
#include "sp-crypto.h"
#include "sp-error.h"
#include "sp-links.h"

/* The shortest secret accepted: as many bytes as the MAC. */
#define MIN_SECRET_BYTES 32
#define UUID_BYTES       16
#define EXPIRY_BYTES     8
#define SIGNED_BYTES     (UUID_BYTES + EXPIRY_BYTES)
#define TOKEN_BYTES      (SIGNED_BYTES + SP_CRYPTO_HMAC_BYTES)
/* Keeps these MACs apart from any other use of the same secret. */
#define DOMAIN           "sportello document link v1"

struct _SpLinks
{
  GBytes  *secret;
  char    *base_url;    /* without the trailing slash */
  int      lifetime_days;
};

/**
 * sp_links_new:
 * @secret_file: a file of at least 32 bytes (e.g. `openssl rand -base64 48`)
 * @base_url: (nullable): where citizens reach the server, e.g.
 *   `https://sportello.comune.it`; %NULL for a verifier only
 * @lifetime_days: how long a link works after it is made
 */
SpLinks *
sp_links_new (const char  *secret_file,
              const char  *base_url,
              int          lifetime_days,
              GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  SpLinks *self;

  if (!g_file_get_contents (secret_file, &contents, &length, error))
    return NULL;
  g_strstrip (contents);
  length = strlen (contents);
  if (length < MIN_SECRET_BYTES)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "%s: the link secret must have at least %d characters",
                   secret_file, MIN_SECRET_BYTES);
      return NULL;
    }

  self = g_new0 (SpLinks, 1);
  self->secret = g_bytes_new_take (g_steal_pointer (&contents), length);
  self->base_url = g_strdup (base_url != NULL ? base_url : "");
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->lifetime_days = lifetime_days;
  return self;
}

void
sp_links_free (SpLinks *self)
{
  if (self == NULL)
    return;
  g_bytes_unref (self->secret);
  g_free (self->base_url);
  g_free (self);
}

int
sp_links_get_lifetime_days (SpLinks *self)
{
  return self->lifetime_days;
}

static void
mac (SpLinks      *self,
     const guint8 *signed_part,
     guint8       *out)
{
  guint8 data[sizeof DOMAIN + SIGNED_BYTES];
  gsize secret_length;
  const guint8 *secret = g_bytes_get_data (self->secret, &secret_length);

  memcpy (data, DOMAIN, sizeof DOMAIN);   /* with its NUL: a separator */
  memcpy (data + sizeof DOMAIN, signed_part, SIGNED_BYTES);
  sp_crypto_hmac_sha256 (secret, secret_length, data, sizeof data, out);
}

static gboolean
uuid_to_bytes (const char *uuid,
               guint8     *out)
{
  guint n = 0;

  if (uuid == NULL || !g_uuid_string_is_valid (uuid))
    return FALSE;
  for (const char *p = uuid; *p != '\0' && n < UUID_BYTES; p++)
    {
      if (*p == '-')
        continue;
      out[n++] = (guint8) (g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]));
      p++;
    }
  return n == UUID_BYTES;
}

/* base64url without padding (RFC 4648 §5): safe in a path segment. */
static char *
base64url (const guint8 *data,
           gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *padding = strchr (text, '=');

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  if (padding != NULL)
    *padding = '\0';
  return text;
}

/**
 * sp_links_sign:
 * @document_id: a UUID
 * @expires_unix: when the link stops working (seconds since the epoch)
 *
 * Returns: the token of the link, or %NULL if @document_id is no UUID
 */
char *
sp_links_sign (SpLinks    *self,
               const char *document_id,
               gint64      expires_unix)
{
  guint8 token[TOKEN_BYTES];
  guint64 expiry = GUINT64_TO_BE ((guint64) expires_unix);

  if (!uuid_to_bytes (document_id, token))
    return NULL;
  memcpy (token + UUID_BYTES, &expiry, EXPIRY_BYTES);
  mac (self, token, token + SIGNED_BYTES);
  return base64url (token, sizeof token);
}

/**
 * sp_links_url:
 *
 * Returns: the whole link, base URL and token
 */
char *
sp_links_url (SpLinks    *self,
              const char *document_id,
              gint64      expires_unix)
{
  g_autofree char *token = sp_links_sign (self, document_id, expires_unix);

  return token != NULL ? g_strconcat (self->base_url, SP_API_LINK_PREFIX, token, NULL) : NULL;
}

/**
 * sp_links_verify:
 * @document_id: (out) (optional): the document, when the link is valid
 * @expires_unix: (out) (optional): its expiry, when it is signed
 *
 * Checks the MAC in constant time, then the expiry.
 */
SpLinkCheck
sp_links_verify (SpLinks     *self,
                 const char  *token,
                 gint64       now_unix,
                 char       **document_id,
                 gint64      *expires_unix)
{
  g_autofree char *text = NULL;
  g_autofree guint8 *raw = NULL;
  guint8 expected[SP_CRYPTO_HMAC_BYTES];
  gsize length = 0, token_length;
  guint64 expiry;

  if (token == NULL)
    return SP_LINK_INVALID;
  token_length = strlen (token);
  /* 56 bytes are 75 characters of base64 without padding. */
  if (token_length != (TOKEN_BYTES * 4 + 2) / 3)
    return SP_LINK_INVALID;
  for (const char *p = token; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return SP_LINK_INVALID;

  text = g_strconcat (token, "=", NULL);
  g_strdelimit (text, "-", '+');
  g_strdelimit (text, "_", '/');
  raw = g_base64_decode (text, &length);
  if (length != TOKEN_BYTES)
    return SP_LINK_INVALID;
  /* The same token re-encoded: no second spelling of one link. */
  {
    g_autofree char *again = base64url (raw, length);

    if (!g_str_equal (again, token))
      return SP_LINK_INVALID;
  }

  mac (self, raw, expected);
  if (!sp_crypto_equal (expected, raw + SIGNED_BYTES, SP_CRYPTO_HMAC_BYTES))
    return SP_LINK_INVALID;

  memcpy (&expiry, raw + UUID_BYTES, EXPIRY_BYTES);
  expiry = GUINT64_FROM_BE (expiry);
  if (expires_unix != NULL)
    *expires_unix = (gint64) expiry;
  if ((gint64) expiry <= now_unix)
    return SP_LINK_EXPIRED;

  if (document_id != NULL)
    *document_id = g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                                    raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
                                    raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]);
  return SP_LINK_OK;
}
