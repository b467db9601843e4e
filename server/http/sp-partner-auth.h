#pragma once

/* Partners' credentials: HTTP Basic (checked against a keyed cache before
 * the KDF) or a client certificate chaining to `[server] partner-ca`. */

#include "sp-request.h"

G_BEGIN_DECLS

typedef struct _SpPartnerAuth SpPartnerAuth;

SpPartnerAuth *sp_partner_auth_new      (void) G_GNUC_WARN_UNUSED_RESULT;
void           sp_partner_auth_free     (SpPartnerAuth *self);
void           sp_partner_authenticate  (SpRequest     *request,
                                         SpHandler      authenticated);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPartnerAuth, sp_partner_auth_free)

G_END_DECLS
