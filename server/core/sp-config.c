/* sp-config.c: the server configuration, one table of keys with types, defaults and limits */
#define G_LOG_DOMAIN "sp-config"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-config.h"
#include "sp-error.h"

typedef enum
{
  KEY_STRING,
  KEY_INT,
} KeyType;

typedef struct
{
  const char *group;
  const char *key;
  KeyType     type;
  const char *default_value;
  int         min;
  int         max;
  gsize       offset;
  const char *description;
} KeyInfo;

#define FIELD(f) G_STRUCT_OFFSET (SpConfig, f)

static const KeyInfo keys[] = {
  { "server", "listen-address", KEY_STRING, "127.0.0.1", 0, 0, FIELD (listen_address),
    "Address to listen on (0.0.0.0 or :: for every interface)" },
  { "server", "port", KEY_INT, "8443", 0, 65535, FIELD (port),
    "HTTPS port; 0 picks a free one" },
  { "server", "tls-certificate", KEY_STRING, NULL, 0, 0, FIELD (tls_certificate),
    "PEM certificate chain of the server (required)" },
  { "server", "tls-key", KEY_STRING, NULL, 0, 0, FIELD (tls_key),
    "PEM private key of the server (required)" },
  { "server", "partner-ca", KEY_STRING, "", 0, 0, FIELD (partner_ca),
    "PEM CA that partners' client certificates must chain to (empty: no mTLS)" },
  { "server", "log-level", KEY_STRING, "info", 0, 0, FIELD (log_level),
    "debug, info, warning or error" },
  { "limits", "max-connections", KEY_INT, "1024", 1, 1000000, FIELD (max_connections),
    "Client connections open at once; beyond it new ones get 503 and are closed" },
  { "limits", "max-connections-per-address", KEY_INT, "128", 1, 1000000, FIELD (max_connections_per_address),
    "Client connections open at once from one IP address; beyond it new ones get 503" },
  { "limits", "tls-handshake-timeout", KEY_INT, "10", 1, 3600, FIELD (tls_handshake_timeout),
    "Seconds a client has to complete the TLS handshake" },
  { "limits", "header-timeout", KEY_INT, "10", 1, 3600, FIELD (header_timeout),
    "Seconds a client has to send a request's headers once it starts one" },
  { "limits", "body-timeout", KEY_INT, "30", 1, 3600, FIELD (body_timeout),
    "Seconds a request body may go without progress before the connection is closed" },
  { "limits", "idle-timeout", KEY_INT, "60", 1, 3600, FIELD (idle_timeout),
    "Seconds an idle keep-alive connection stays open" },
  { "limits", "upload-dir", KEY_STRING, "", 0, 0, FIELD (upload_dir),
    "Directory where uploads are spooled as they arrive (empty: the system's temporary directory)" },
  { "documents", "signers-ca-file", KEY_STRING, "", 0, 0, FIELD (signers_ca_file),
    "PEM certificate authorities that signers of .p7m files must chain to (empty: the system's)" },
  { "limits", "cpu-workers", KEY_INT, "0", 0, 256, FIELD (cpu_workers),
    "Threads for CPU work (password hashing, PDFs, file hashes); 0: one per processor" },
  { "database", "conninfo", KEY_STRING, "dbname=sportello", 0, 0, FIELD (database),
    "libpq connection string or URI" },
  { "database", "pool-size", KEY_INT, "8", 1, 256, FIELD (database_pool_size),
    "Connections (and worker threads) of the pool that serves requests" },
  { "database", "jobs-pool-size", KEY_INT, "2", 1, 64, FIELD (jobs_pool_size),
    "Connections (and worker threads) of the background jobs' own pool" },
  { "database", "statement-timeout-ms", KEY_INT, "5000", 100, 600000, FIELD (statement_timeout_ms),
    "Longest a statement of a request may run (statement_timeout)" },
  { "database", "lock-timeout-ms", KEY_INT, "2000", 10, 600000, FIELD (lock_timeout_ms),
    "Longest a request waits for a lock (lock_timeout)" },
  { "database", "pool-wait-ms", KEY_INT, "2000", 10, 600000, FIELD (pool_wait_ms),
    "Longest a request waits for a free connection before it is answered 503" },
  { "database", "retry-attempts", KEY_INT, "3", 1, 20, FIELD (retry_attempts),
    "Attempts of a transaction that meets a serialization failure or a deadlock" },
  { "database", "health-interval-seconds", KEY_INT, "5", 1, 3600, FIELD (health_interval_seconds),
    "How often the server checks that the database answers (for /health)" },
  { "jobs", "sweep-seconds", KEY_INT, "30", 1, 3600, FIELD (jobs_sweep_seconds),
    "How often the job workers look for due jobs without a notification" },
  { "jobs", "lease-seconds", KEY_INT, "300", 5, 86400, FIELD (jobs_lease_seconds),
    "How long a claimed job stays reserved for a worker that stopped answering" },
  { "jobs", "max-attempts", KEY_INT, "10", 1, 1000, FIELD (jobs_max_attempts),
    "Attempts of a failing job before it is set aside as failed" },
  { "sessions", "idle-timeout-minutes", KEY_INT, "30", 1, 24 * 60, FIELD (session_idle_minutes),
    "A session unused this long expires" },
  { "sessions", "absolute-timeout-hours", KEY_INT, "12", 1, 24 * 30, FIELD (session_absolute_hours),
    "A session expires this long after login, used or not" },
  { "security", "lockout-threshold", KEY_INT, "5", 1, 100, FIELD (lockout_threshold),
    "Failed logins in a row that lock an account" },
  { "security", "lockout-minutes", KEY_INT, "15", 1, 24 * 60, FIELD (lockout_minutes),
    "How long a locked account stays locked" },
  { "mail", "smtp-url", KEY_STRING, "", 0, 0, FIELD (mail_smtp_url),
    "SMTP server for the citizens' e-mails, smtp://host:587 or smtps://host:465 (empty: e-mails wait in the outbox)" },
  { "mail", "from", KEY_STRING, "", 0, 0, FIELD (mail_from),
    "Sender of the e-mails, e.g. Comune di Prova <noreply@comune.example.it> (required with smtp-url)" },
  { "mail", "username", KEY_STRING, "", 0, 0, FIELD (mail_username),
    "SMTP AUTH user name (empty: no AUTH)" },
  { "mail", "password-file", KEY_STRING, "", 0, 0, FIELD (mail_password_file),
    "File holding the SMTP AUTH password" },
  { "mail", "starttls", KEY_STRING, "required", 0, 0, FIELD (mail_starttls),
    "STARTTLS on smtp:// URLs: required (refuse to send without it), optional (when offered) or off" },
  { "mail", "ca-file", KEY_STRING, "", 0, 0, FIELD (mail_ca_file),
    "PEM CAs that the SMTP server's certificate must chain to (empty: the system's)" },
  { "mail", "timeout-seconds", KEY_INT, "60", 5, 600, FIELD (mail_timeout_seconds),
    "Longest one e-mail may take to send; shorter than [jobs] lease-seconds" },
  { "links", "secret-file", KEY_STRING, "", 0, 0, FIELD (link_secret_file),
    "File with the secret (32 characters or more) that signs the documents' download links; the same for every server process (empty: e-mails carry no links)" },
  { "links", "public-url", KEY_STRING, "", 0, 0, FIELD (link_public_url),
    "Address where citizens reach this server, e.g. https://sportello.comune.example.it (empty: the address it listens on)" },
  { "links", "days", KEY_INT, "30", 1, 3650, FIELD (link_days),
    "Days a download link works after its e-mail is sent" },
  { "metrics", "token-file", KEY_STRING, "", 0, 0, FIELD (metrics_token_file),
    "File with the bearer token (16 characters or more) that GET /metrics asks for (empty: none)" },
  { "metrics", "allow", KEY_STRING, "", 0, 0, FIELD (metrics_allow),
    "Addresses or networks (CIDR), comma-separated, that may read GET /metrics (empty: any); with neither this nor token-file, /metrics is off" },
};

static gboolean
set_value (SpConfig       *config,
           const KeyInfo  *info,
           const char     *text,
           GError        **error)
{
  gpointer field = G_STRUCT_MEMBER_P (config, info->offset);

  switch (info->type)
    {
    case KEY_STRING:
      g_free (*(char **) field);
      *(char **) field = g_strdup (text);
      return TRUE;

    case KEY_INT:
      {
        gint64 value;

        if (!g_ascii_string_to_signed (text, 10, info->min, info->max, &value, NULL))
          {
            g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION,
                         "[%s] %s: “%s” is not a number between %d and %d",
                         info->group, info->key, text, info->min, info->max);
            return FALSE;
          }
        *(int *) field = (int) value;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

SpConfig *
sp_config_new_default (void)
{
  SpConfig *config = g_new0 (SpConfig, 1);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (keys[i].default_value != NULL)
      set_value (config, &keys[i], keys[i].default_value, NULL);
  return config;
}

/**
 * sp_config_load:
 *
 * Reads @path; unknown groups and keys are errors, so a typo is not silently
 * ignored.
 */
SpConfig *
sp_config_load (const char  *path,
                GError     **error)
{
  g_autoptr(SpConfig) config = sp_config_new_default ();
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    return NULL;

  groups = g_key_file_get_groups (file, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) names = g_key_file_get_keys (file, groups[g], NULL, NULL);

      for (guint k = 0; names != NULL && names[k] != NULL; k++)
        {
          const KeyInfo *info = NULL;
          g_autofree char *value = NULL;

          for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
            if (g_str_equal (keys[i].group, groups[g]) && g_str_equal (keys[i].key, names[k]))
              info = &keys[i];
          if (info == NULL)
            {
              g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "%s: unknown key [%s] %s",
                           path, groups[g], names[k]);
              return NULL;
            }
          value = g_key_file_get_string (file, groups[g], names[k], error);
          if (value == NULL || !set_value (config, info, value, error))
            return NULL;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (keys[i].default_value == NULL
        && *(char **) G_STRUCT_MEMBER_P (config, keys[i].offset) == NULL)
      {
        g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "%s: [%s] %s is required",
                     path, keys[i].group, keys[i].key);
        return NULL;
      }

  return g_steal_pointer (&config);
}

void
sp_config_free (SpConfig *config)
{
  if (config == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (keys[i].type == KEY_STRING)
      g_free (*(char **) G_STRUCT_MEMBER_P (config, keys[i].offset));
  g_free (config);
}

/**
 * sp_config_describe:
 *
 * Returns: every key with its default and description, as a commented
 *   example file (`sportello-server --print-config`)
 */
char *
sp_config_describe (void)
{
  GString *out = g_string_new ("# Configuration of sportello-server (GKeyFile).\n");
  const char *group = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (g_strcmp0 (group, keys[i].group) != 0)
        g_string_append_printf (out, "\n[%s]\n", group = keys[i].group);
      g_string_append_printf (out, "# %s\n%s%s=%s\n", keys[i].description,
                              keys[i].default_value != NULL ? "#" : "",
                              keys[i].key, keys[i].default_value != NULL ? keys[i].default_value : "");
    }
  return g_string_free (out, FALSE);
}
