#pragma once

/* Database work for operator and auditor accounts: login, sessions, logout.
 * A login is three short calls, so that no connection is held while the
 * password is checked: look the account up, check the password on the CPU
 * workers, then record the success (a new session) or the failure. */

#include "sp-db.h"
#include "sp-user.h"

G_BEGIN_DECLS

/**
 * SpSession:
 *
 * Who is calling, as found from a session token; the authorisation of every
 * operator endpoint starts here.
 */
typedef struct
{
  gint64   account_id;
  gint64   ente_id;
  SpUser  *user;
  GArray  *servizio_ids;  /* (element-type gint64) (nullable): the services whose pratiche the account
                           * may see, ascending; set by sp_db_session_lookup() */
} SpSession;

typedef enum
{
  SP_LOGIN_OK,
  SP_LOGIN_INVALID_CREDENTIALS,
  SP_LOGIN_LOCKED,
} SpLoginOutcome;

/**
 * SpLoginAccount:
 *
 * What a login needs of an account before the password is checked, read
 * without holding a connection for the check.
 */
typedef struct
{
  char    *username;
  gint64   account_id;      /* 0: no such account, or disabled */
  char    *password_hash;   /* nullable */
  char    *locked_until;    /* nullable: ISO 8601, set while the account is locked */
} SpLoginAccount;

typedef struct
{
  SpLoginOutcome  outcome;
  char           *token;         /* SP_LOGIN_OK: the only copy of the token */
  char           *expires_at;    /* SP_LOGIN_OK, ISO 8601 */
  char           *locked_until;  /* SP_LOGIN_LOCKED, ISO 8601 */
  SpSession      *session;       /* SP_LOGIN_OK */
} SpLoginResult;

typedef struct
{
  GBytes  *token_hash;
  int      idle_minutes;
} SpSessionLookup;

void         sp_session_free        (SpSession       *session);
void         sp_login_account_free  (SpLoginAccount  *account);
void         sp_login_result_free   (SpLoginResult   *result);
void         sp_session_lookup_free (SpSessionLookup *lookup);

void         sp_db_login_lookup_async          (SpDb                  *db,
                                                const char            *username,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
SpLoginAccount *sp_db_login_lookup_finish      (SpDb                  *db,
                                                GAsyncResult          *result,
                                                GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_db_login_record_success_async  (SpDb                  *db,
                                                const SpLoginAccount  *account,
                                                const char            *user_agent,
                                                int                    session_hours,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
SpLoginResult *sp_db_login_record_success_finish (SpDb                *db,
                                                GAsyncResult          *result,
                                                GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_db_login_record_failure_async  (SpDb                  *db,
                                                const SpLoginAccount  *account,
                                                int                    lockout_threshold,
                                                int                    lockout_minutes,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
SpLoginResult *sp_db_login_record_failure_finish (SpDb                *db,
                                                GAsyncResult          *result,
                                                GError               **error) G_GNUC_WARN_UNUSED_RESULT;
gpointer     sp_db_session_lookup   (PGconn          *conn,
                                     gpointer         lookup,
                                     GError         **error);
gpointer     sp_db_session_revoke   (PGconn          *conn,
                                     gpointer         token_hash,
                                     GError         **error);
gpointer     sp_db_ping             (PGconn          *conn,
                                     gpointer         data,
                                     GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpSession, sp_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpLoginAccount, sp_login_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpLoginResult, sp_login_result_free)

G_END_DECLS
