#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SpConfig:
 *
 * The server configuration, read from a GKeyFile. Every key, its type, its
 * default and its limits are in one table in sp-config.c.
 */
typedef struct
{
  char  *listen_address;
  int    port;
  char  *tls_certificate;
  char  *tls_key;
  char  *partner_ca;
  int    max_connections;
  int    max_connections_per_address;
  int    tls_handshake_timeout;
  int    header_timeout;
  int    body_timeout;
  int    idle_timeout;
  char  *upload_dir;
  char  *signers_ca_file;
  int    cpu_workers;
  char  *database;
  int    database_pool_size;
  int    jobs_pool_size;
  int    statement_timeout_ms;
  int    lock_timeout_ms;
  int    pool_wait_ms;
  int    retry_attempts;
  int    health_interval_seconds;
  int    jobs_sweep_seconds;
  int    jobs_lease_seconds;
  int    jobs_max_attempts;
  int    session_idle_minutes;
  int    session_absolute_hours;
  int    lockout_threshold;
  int    lockout_minutes;
  char  *log_level;
  char  *mail_smtp_url;
  char  *mail_from;
  char  *mail_username;
  char  *mail_password_file;
  char  *mail_starttls;
  char  *mail_ca_file;
  int    mail_timeout_seconds;
  char  *link_secret_file;
  char  *link_public_url;
  char  *metrics_token_file;
  char  *metrics_allow;
  int    link_days;
} SpConfig;

SpConfig    *sp_config_new_default (void) G_GNUC_WARN_UNUSED_RESULT;
SpConfig    *sp_config_load        (const char  *path,
                                    GError     **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_config_free        (SpConfig    *config);
char        *sp_config_describe    (void) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpConfig, sp_config_free)

G_END_DECLS
