#pragma once

/* Database work for operator and auditor accounts: login, sessions, logout. */

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
} SpSession;

typedef enum
{
  SP_LOGIN_OK,
  SP_LOGIN_INVALID_CREDENTIALS,
  SP_LOGIN_LOCKED,
} SpLoginOutcome;

typedef struct
{
  char  *username;
  char  *password;
  char  *user_agent;
  int    lockout_threshold;
  int    lockout_minutes;
  int    session_hours;
} SpLoginRequest;

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
void         sp_login_request_free  (SpLoginRequest  *request);
void         sp_login_result_free   (SpLoginResult   *result);
void         sp_session_lookup_free (SpSessionLookup *lookup);

gpointer     sp_db_login            (PGconn          *conn,
                                     gpointer         request,
                                     GError         **error);
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
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpLoginResult, sp_login_result_free)

G_END_DECLS
