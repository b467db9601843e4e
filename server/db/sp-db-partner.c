/* sp-db-partner.c: SQL that finds a partner by its slug or certificate, and counts its failed passwords */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-partner.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"

void
sp_partner_account_free (SpPartnerAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->slug);
  g_free (account->name);
  g_free (account->password_hash);
  g_free (account->locked_until);
  g_clear_pointer (&account->servizi, g_array_unref);
  g_free (account);
}

/* Returns: (transfer full): a copy of @account */
SpPartnerAccount *
sp_partner_account_copy (const SpPartnerAccount *account)
{
  SpPartnerAccount *copy = g_new0 (SpPartnerAccount, 1);

  copy->partner_id = account->partner_id;
  copy->slug = g_strdup (account->slug);
  copy->name = g_strdup (account->name);
  copy->password_hash = g_strdup (account->password_hash);
  copy->locked_until = g_strdup (account->locked_until);
  copy->failed_logins = account->failed_logins;
  copy->servizi = g_array_copy (account->servizi);
  return copy;
}

typedef struct
{
  char *slug;
  char *fingerprint;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->slug);
  g_free (lookup->fingerprint);
  g_free (lookup);
}

/* An SpDbFunc: the partner of a slug, or of a live certificate's fingerprint.
 * Not found is a result (partner_id 0), so that it costs a password check. */
static gpointer
lookup (PGconn   *conn,
        gpointer  data,
        GError  **error)
{
  Lookup *lookup = data;
  g_autoptr(PGresult) row = NULL;
  SpPartnerAccount *account = g_new0 (SpPartnerAccount, 1);

  account->servizi = g_array_new (FALSE, FALSE, sizeof (gint64));
  row = sp_db_exec (conn,
                    "SELECT p.id, p.slug, p.name, p.password_hash,"
                    "       CASE WHEN p.locked_until > now () THEN to_json (p.locked_until) #>> '{}' END,"
                    "       p.failed_logins,"
                    "       (SELECT string_agg (ps.servizio_id::text, ',') FROM partner_servizio ps"
                    "        WHERE ps.partner_id = p.id)"
                    " FROM partner p"
                    " WHERE NOT p.disabled"
                    "   AND (p.slug = $1"
                    "        OR p.id = (SELECT c.partner_id FROM partner_cert c"
                    "                   WHERE c.fingerprint = $2 AND c.revoked_at IS NULL))",
                    2, SP_DB_PARAMS (lookup->slug, lookup->fingerprint), error);
  if (row == NULL)
    {
      sp_partner_account_free (account);
      return NULL;
    }
  if (PQntuples (row) == 1)
    {
      g_auto(GStrv) servizi = g_strsplit (sp_db_get (row, 0, 6) != NULL ? sp_db_get (row, 0, 6) : "", ",", -1);

      account->partner_id = sp_db_get_int64 (row, 0, 0);
      account->slug = g_strdup (sp_db_get (row, 0, 1));
      account->name = g_strdup (sp_db_get (row, 0, 2));
      account->password_hash = g_strdup (sp_db_get (row, 0, 3));
      account->locked_until = g_strdup (sp_db_get (row, 0, 4));
      account->failed_logins = (int) sp_db_get_int64 (row, 0, 5);
      for (guint i = 0; servizi[i] != NULL; i++)
        if (*servizi[i] != '\0')
          {
            gint64 id = g_ascii_strtoll (servizi[i], NULL, 10);

            g_array_append_val (account->servizi, id);
          }
    }
  return account;
}

/**
 * sp_db_partner_lookup_async:
 * @slug: (nullable): the user name of HTTP Basic
 * @fingerprint: (nullable): the SHA-256 of a client certificate's DER, in
 *   lower-case hex
 *
 * Finds the enabled partner of @slug or of @fingerprint (a certificate not
 * revoked), and the services it is granted.
 */
void
sp_db_partner_lookup_async (SpDb                *db,
                            const char          *slug,
                            const char          *fingerprint,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Lookup *data = g_new0 (Lookup, 1);

  g_task_set_source_tag (task, sp_db_partner_lookup_async);
  data->slug = g_strdup (slug);
  data->fingerprint = g_strdup (fingerprint);
  sp_db_task_run (db, SP_DB_ONCE, task, lookup, data, (GDestroyNotify) lookup_free,
                  (GDestroyNotify) sp_partner_account_free);
}

/**
 * sp_db_partner_lookup_finish:
 *
 * Returns: (transfer full): the partner; its `partner_id` is 0 when there
 *   is none (or it is disabled)
 */
SpPartnerAccount *
sp_db_partner_lookup_finish (SpDb          *db,
                             GAsyncResult  *result,
                             GError       **error)
{
  return sp_db_task_finish (result, sp_db_partner_lookup_async, error);
}

typedef struct
{
  char     *partner_id;
  char     *password_hash;
  char     *slug;
  gboolean  matched;
  int       threshold;
  int       minutes;
} Record;

static void
record_free (Record *record)
{
  g_free (record->partner_id);
  g_free (record->password_hash);
  g_free (record->slug);
  g_free (record);
}

/* The lockout of an account's logins (sp-db-accounts.c), for a partner's
 * passwords: the failure that reaches the threshold locks it and starts a
 * new count; a failure checked while another one locked it does not count
 * again; a success clears the count. Returns the lock's end, or "". */
static gpointer
record (PGconn   *conn,
        gpointer  data,
        GError  **error)
{
  Record *record = data;
  g_autofree char *threshold = g_strdup_printf ("%d", record->threshold);
  g_autofree char *minutes = g_strdup_printf ("%d", record->minutes);
  g_autoptr(PGresult) updated = NULL;

  if (record->matched)
    return sp_db_command (conn, "UPDATE partner SET failed_logins = 0 WHERE id = $1::bigint AND failed_logins > 0",
                          1, SP_DB_PARAMS (record->partner_id), error)
           ? g_strdup ("") : NULL;

  updated = sp_db_exec (conn,
                        "UPDATE partner SET"
                        "  locked_until = CASE WHEN failed_logins + 1 >= $2::integer"
                        "                      THEN now () + $3::integer * interval '1 minute' END,"
                        "  failed_logins = CASE WHEN failed_logins + 1 >= $2::integer"
                        "                       THEN 0 ELSE failed_logins + 1 END"
                        " WHERE id = $1::bigint AND password_hash = $4"
                        "   AND (locked_until IS NULL OR locked_until <= now ())"
                        " RETURNING to_json (locked_until) #>> '{}'",
                        4, SP_DB_PARAMS (record->partner_id, threshold, minutes, record->password_hash),
                        error);
  if (updated == NULL)
    return NULL;
  if (PQntuples (updated) == 1 && sp_db_get (updated, 0, 0) != NULL)
    {
      g_message ("Partner %s locked after %d failed passwords", record->slug, record->threshold);
      return g_strdup (sp_db_get (updated, 0, 0));
    }
  return g_strdup ("");
}

/**
 * sp_db_partner_record_async:
 * @account: the partner whose password was just checked
 * @matched: whether it matched
 *
 * Counts a failed password (the one that reaches @lockout_threshold locks
 * the partner for @lockout_minutes), or clears the count after a success.
 */
void
sp_db_partner_record_async (SpDb                   *db,
                            const SpPartnerAccount *account,
                            gboolean                matched,
                            int                     lockout_threshold,
                            int                     lockout_minutes,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Record *data = g_new0 (Record, 1);

  g_return_if_fail (account->partner_id != 0);

  g_task_set_source_tag (task, sp_db_partner_record_async);
  data->partner_id = g_strdup_printf ("%" G_GINT64_FORMAT, account->partner_id);
  data->password_hash = g_strdup (account->password_hash);
  data->slug = g_strdup (account->slug);
  data->matched = matched;
  data->threshold = lockout_threshold;
  data->minutes = lockout_minutes;
  sp_db_task_run (db, SP_DB_RETRY, task, record, data, (GDestroyNotify) record_free, g_free);
}

/**
 * sp_db_partner_record_finish:
 *
 * Returns: (transfer full): when a failure locked the partner, the end of
 *   the lock (ISO 8601); otherwise ""
 */
char *
sp_db_partner_record_finish (SpDb          *db,
                             GAsyncResult  *result,
                             GError       **error)
{
  return sp_db_task_finish (result, sp_db_partner_record_async, error);
}
