#pragma once

/* A partner system as its credentials find it (HTTP Basic or a client
 * certificate), and the lockout of its password. */

#include "sp-db.h"

G_BEGIN_DECLS

/**
 * SpPartnerAccount:
 *
 * What authenticating a partner needs before its password is checked, read
 * without holding a connection for the check.
 */
typedef struct
{
  gint64   partner_id;     /* 0: no such partner (or certificate), or disabled */
  char    *slug;
  char    *name;
  char    *password_hash;  /* nullable: no password set */
  char    *locked_until;   /* nullable: ISO 8601, set while locked */
  int      failed_logins;
  GArray  *servizi;        /* of gint64: the services granted */
} SpPartnerAccount;

void              sp_partner_account_free            (SpPartnerAccount     *account);
SpPartnerAccount *sp_partner_account_copy            (const SpPartnerAccount *account) G_GNUC_WARN_UNUSED_RESULT;

void              sp_db_partner_lookup_async         (SpDb                 *db,
                                                      const char           *slug,
                                                      const char           *fingerprint,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
SpPartnerAccount *sp_db_partner_lookup_finish        (SpDb                 *db,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void              sp_db_partner_record_async         (SpDb                 *db,
                                                      const SpPartnerAccount *account,
                                                      gboolean              matched,
                                                      int                   lockout_threshold,
                                                      int                   lockout_minutes,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char             *sp_db_partner_record_finish        (SpDb                 *db,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPartnerAccount, sp_partner_account_free)

G_END_DECLS
