/* sp-partner-auth.c: a partner's principal from HTTP Basic or a client certificate, with a keyed cache of passwords */
#define G_LOG_DOMAIN "sp-server"

#include "config.h"

#include "sp-crypto.h"
#include "sp-db-partner.h"
#include "sp-json.h"
#include "sp-partner-auth.h"
#include "sp-server.h"

#define REALM "Basic realm=\"Sportello partner API\", charset=\"UTF-8\""
/* A cached password is trusted this long; a new password (its hash is in the
 * key) misses at once. */
#define CACHE_SECONDS   600
#define CACHE_MAX       4096
#define MAX_BASIC       1024

/*
 * The cache never holds a password: per partner, the HMAC (with a random key
 * of this process) of its password hash and the password that matched it.
 * A request whose HMAC equals it (compared in constant time) skips scrypt.
 */
typedef struct
{
  guint8  mac[SP_CRYPTO_HMAC_BYTES];
  gint64  expires_us;
} CacheEntry;

struct _SpPartnerAuth
{
  guint8      key[32];
  GHashTable *entries;   /* slug → CacheEntry, main thread only */
};

SpPartnerAuth *
sp_partner_auth_new (void)
{
  SpPartnerAuth *self = g_new0 (SpPartnerAuth, 1);

  if (!sp_crypto_random_bytes (self->key, sizeof self->key))
    g_error ("No random bytes for the partners' password cache");
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
sp_partner_auth_free (SpPartnerAuth *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->entries);
  memset (self->key, 0, sizeof self->key);
  g_free (self);
}

static void
compute_mac (SpPartnerAuth *self,
             const char    *password_hash,
             const char    *password,
             guint8        *mac)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();

  g_byte_array_append (data, (const guint8 *) password_hash, strlen (password_hash) + 1);
  g_byte_array_append (data, (const guint8 *) password, strlen (password));
  sp_crypto_hmac_sha256 (self->key, sizeof self->key, data->data, data->len, mac);
  memset (data->data, 0, data->len);
}

static gboolean
cache_matches (SpPartnerAuth *self,
               const char    *slug,
               const guint8  *mac)
{
  CacheEntry *entry = g_hash_table_lookup (self->entries, slug);

  return entry != NULL && entry->expires_us > g_get_monotonic_time ()
         && sp_crypto_equal (entry->mac, mac, SP_CRYPTO_HMAC_BYTES);
}

static void
cache_store (SpPartnerAuth *self,
             const char    *slug,
             const guint8  *mac)
{
  CacheEntry *entry = g_new0 (CacheEntry, 1);

  if (g_hash_table_size (self->entries) >= CACHE_MAX)
    g_hash_table_remove_all (self->entries);
  memcpy (entry->mac, mac, SP_CRYPTO_HMAC_BYTES);
  entry->expires_us = g_get_monotonic_time () + CACHE_SECONDS * G_USEC_PER_SEC;
  g_hash_table_replace (self->entries, g_strdup (slug), entry);
}

/* One authentication on its way: look-up, password check, record. */
typedef struct
{
  SpRequest         *request;
  SpHandler          authenticated;
  SpPartnerAccount  *account;
  char              *slug;       /* Basic only */
  char              *key;        /* of the account in the server's catalogue */
  SpCatalogueToken   token;
  char              *password;   /* Basic only; wiped once checked */
  guint8             mac[SP_CRYPTO_HMAC_BYTES];
  gboolean           matches;    /* written by the worker */
} Attempt;

static void
wipe_password (Attempt *attempt)
{
  if (attempt->password != NULL)
    memset (attempt->password, 0, strlen (attempt->password));
  g_clear_pointer (&attempt->password, g_free);
}

static void
attempt_free (Attempt *attempt)
{
  wipe_password (attempt);
  sp_partner_account_free (attempt->account);
  g_free (attempt->slug);
  g_free (attempt->key);
  g_free (attempt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attempt, attempt_free)

/* 401 with a challenge, so that HTTP clients know to send Basic. */
static void
refuse (SpRequest  *request,
        SpError     code,
        const char *detail)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "WWW-Authenticate", REALM);
  sp_request_reply_problem (request, code, detail);
}

static void
refuse_locked (SpRequest  *request,
               const char *locked_until)
{
  g_autofree char *detail = g_strdup_printf ("Too many wrong passwords: the partner is locked until %s",
                                             locked_until);
  g_autoptr(GError) error = g_error_new_literal (SP_ERROR, SP_ERROR_ACCOUNT_LOCKED, detail);
  g_autoptr(JsonNode) problem = sp_problem_new (error, NULL);

  json_object_set_string_member (json_node_get_object (problem), "locked_until", locked_until);
  sp_request_reply_problem_node (request, problem);
}

/* The partner is who it says: its principal, and on to the route. */
static void
admit (Attempt *attempt)
{
  SpRequest *request = attempt->request;
  SpPartnerAccount *account = attempt->account;

  request->principal = sp_principal_new_partner (account->partner_id, account->slug, account->name,
                                                 (const gint64 *) (gpointer) account->servizi->data,
                                                 account->servizi->len);
  attempt->authenticated (request);
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *locked_until = sp_db_partner_record_finish (attempt->request->server->db, result, &error);

  /* The partner's row changed (failures counted, a lock, or the count
   * cleared): no request of this process may go by the account as it was. */
  sp_catalogue_changed (attempt->request->server->catalogue);
  if (locked_until == NULL)
    sp_request_reply_failure (attempt->request, error);
  else if (attempt->matches)
    admit (attempt);
  else if (*locked_until != '\0')
    refuse_locked (attempt->request, locked_until);
  else
    refuse (attempt->request, SP_ERROR_INVALID_CREDENTIALS, "Wrong partner or password");
}

/* SpWorkFunc: scrypt, on a CPU worker, with no database connection held. An
 * unknown partner costs as long as a wrong password. */
static gpointer
check_password (gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Attempt *attempt = data;

  if (attempt->account->partner_id == 0 || attempt->account->password_hash == NULL)
    sp_crypto_burn_password_time (attempt->password);
  else
    attempt->matches = sp_crypto_verify_password (attempt->password, attempt->account->password_hash);
  return GINT_TO_POINTER (TRUE);
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Attempt *attempt = user_data;
  SpServer *server = attempt->request->server;
  g_autoptr(GError) error = NULL;

  wipe_password (attempt);
  if (sp_workers_run_finish (server->workers, result, &error) == NULL)
    {
      sp_request_reply_failure (attempt->request, error);
      attempt_free (attempt);
      return;
    }
  if (attempt->account->partner_id == 0 || attempt->account->password_hash == NULL)
    {
      refuse (attempt->request, SP_ERROR_INVALID_CREDENTIALS, "Wrong partner or password");
      attempt_free (attempt);
      return;
    }
  if (attempt->matches)
    {
      cache_store (server->partner_auth, attempt->account->slug, attempt->mac);
      if (attempt->account->failed_logins == 0)
        {
          admit (attempt);
          attempt_free (attempt);
          return;
        }
    }
  sp_db_partner_record_async (server->db, attempt->account, attempt->matches, server->config->lockout_threshold,
                              server->config->lockout_minutes, NULL, recorded_cb, attempt);
}

/* The partner's account is known (attempt->account): admits or refuses. */
static void
check_account (Attempt *attempt_)
{
  g_autoptr(Attempt) attempt = attempt_;
  SpServer *server = attempt->request->server;
  SpPartnerAccount *account = attempt->account;

  /* A client certificate: the TLS layer checked it, its fingerprint names the partner. */
  if (attempt->password == NULL)
    {
      if (account->partner_id == 0)
        refuse (attempt->request, SP_ERROR_UNAUTHENTICATED, "The client certificate is registered for no partner");
      else
        admit (attempt);
      return;
    }

  /* No password check while locked: a locked partner is no oracle. */
  if (account->partner_id != 0 && account->locked_until != NULL)
    {
      refuse_locked (attempt->request, account->locked_until);
      return;
    }
  if (account->partner_id != 0 && account->password_hash != NULL)
    {
      compute_mac (server->partner_auth, account->password_hash, attempt->password, attempt->mac);
      if (cache_matches (server->partner_auth, account->slug, attempt->mac) && account->failed_logins == 0)
        {
          wipe_password (attempt);
          admit (attempt);
          return;
        }
    }
  /* A client that hangs up costs no hash; one that waits has its outcome recorded. */
  {
    Attempt *checking = g_steal_pointer (&attempt);

    sp_workers_run_async (server->workers, check_password, checking, NULL, NULL, checking->request->cancellable,
                          checked_cb, checking);
  }
}

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  SpServer *server = attempt->request->server;
  g_autoptr(GError) error = NULL;
  SpPartnerAccount *account;

  attempt->account = account = sp_db_partner_lookup_finish (server->db, result, &error);
  if (account == NULL)
    {
      sp_request_reply_failure (attempt->request, error);
      return;
    }
  /* Kept for the next requests while nothing about it changes: a partner
   * in good standing only (a lock ends with time, not with a change). */
  if (account->partner_id != 0 && account->failed_logins == 0 && account->locked_until == NULL)
    sp_catalogue_store (server->catalogue, attempt->token, attempt->key, sp_partner_account_copy (account),
                        (GDestroyNotify) sp_partner_account_free);
  check_account (g_steal_pointer (&attempt));
}

/* "Basic base64(slug:password)" → its two halves, or FALSE. */
static gboolean
parse_basic (const char  *authorization,
             char       **slug,
             char       **password)
{
  const char *encoded = authorization + strlen ("Basic ");
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  char *colon;

  while (*encoded == ' ')
    encoded++;
  if (*encoded == '\0' || strlen (encoded) > MAX_BASIC
      || strspn (encoded, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != strlen (encoded))
    return FALSE;
  decoded = g_base64_decode (encoded, &length);
  text = g_strndup ((const char *) decoded, length);
  if (decoded != NULL)
    memset (decoded, 0, length);
  if (strlen (text) != length || !g_utf8_validate (text, -1, NULL) || !(colon = strchr (text, ':'))
      || colon == text)
    {
      memset (text, 0, strlen (text));
      return FALSE;
    }
  *slug = g_strndup (text, colon - text);
  *password = g_strdup (colon + 1);
  memset (text, 0, strlen (text));
  return TRUE;
}

static const char *
certificate_problem (GTlsCertificateFlags errors)
{
  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    return "The client certificate has expired";
  if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return "The client certificate is not valid yet";
  if (errors & G_TLS_CERTIFICATE_REVOKED)
    return "The client certificate is revoked";
  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return "The client certificate is not issued by the partner CA";
  return "The client certificate is not valid";
}

/**
 * sp_partner_authenticate:
 * @authenticated: what to run with `request->principal` set
 *
 * Builds the principal of a partner from its credentials: HTTP Basic
 * (`Authorization: Basic`, slug and password) or, without an Authorization
 * header, the connection's client certificate, valid and chaining to the
 * partner CA, whose SHA-256 is registered for the partner. Answers 401 (423
 * while locked) otherwise.
 */
void
sp_partner_authenticate (SpRequest *request,
                         SpHandler  authenticated)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  Attempt *attempt;
  const SpPartnerAccount *cached;
  g_autofree char *fingerprint = NULL;

  if (authorization != NULL)
    {
      g_autofree char *slug = NULL;
      char *password = NULL;

      if (g_ascii_strncasecmp (authorization, "Basic ", 6) != 0 || !parse_basic (authorization, &slug, &password))
        {
          refuse (request, SP_ERROR_UNAUTHENTICATED, "Partners authenticate with HTTP Basic or a client certificate");
          return;
        }
      attempt = g_new0 (Attempt, 1);
      attempt->request = request;
      attempt->authenticated = authenticated;
      attempt->slug = g_steal_pointer (&slug);
      attempt->password = password;
    }
  else
    {
      GTlsCertificateFlags errors = 0;
      GTlsCertificate *certificate = sp_listener_get_peer_certificate (request->server->listener, request->msg,
                                                                       &errors);
      g_autoptr(GByteArray) der = NULL;

      if (certificate == NULL)
        {
          refuse (request, SP_ERROR_UNAUTHENTICATED, "Partner credentials are required: HTTP Basic or a client certificate");
          return;
        }
      if (errors != 0)
        {
          refuse (request, SP_ERROR_UNAUTHENTICATED, certificate_problem (errors));
          return;
        }
      g_object_get (certificate, "certificate", &der, NULL);
      fingerprint = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
      attempt = g_new0 (Attempt, 1);
      attempt->request = request;
      attempt->authenticated = authenticated;
    }

  attempt->key = attempt->slug != NULL ? g_strconcat ("partner-slug:", attempt->slug, NULL)
                                       : g_strconcat ("partner-certificate:", fingerprint, NULL);
  if ((cached = sp_catalogue_lookup (request->server->catalogue, attempt->key)) != NULL)
    {
      attempt->account = sp_partner_account_copy (cached);
      check_account (attempt);
      return;
    }
  attempt->token = sp_catalogue_begin (request->server->catalogue);
  sp_db_partner_lookup_async (request->server->db, attempt->slug, fingerprint, request->cancellable,
                              looked_up_cb, attempt);
}
