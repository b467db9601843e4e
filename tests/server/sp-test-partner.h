#pragma once

/* What the partner API's tests share (test-partner.c, test-partner-pratiche.c):
 * an environment whose server asks for client certificates, two more
 * partners and a service without protocol, and requests with HTTP Basic. */

#include <libpq-fe.h>

#include "sp-test-env.h"
#include "sp-test-http.h"

G_BEGIN_DECLS

#define OTHER_PARTNER    "altro-partner"      /* sees SP_TEST_SERVIZIO_OTHER only */
#define OTHER_PASSWORD   "Segreto-altro-1"
#define LOCKED_PARTNER   "partner-bloccato"   /* for the lockout */
#define LOCKED_PASSWORD  "Segreto-bloccato-1"
#define NO_PROTOCOL      "senza-protocollo"   /* of SP_TEST_ENTE, granted to SP_TEST_PARTNER */
#define TIMESTAMP        "2026-03-05T10:15:00+01:00"

SpTestEnv      *sp_test_partner_start     (PGconn     **conn) G_GNUC_WARN_UNUSED_RESULT;
void            sp_test_partner_stop      (SpTestEnv   *env,
                                           PGconn      *conn);
void            sp_test_partner_set_basic (SoupMessage *message,
                                           const char  *user,
                                           const char  *password);
SpTestResponse *sp_test_partner_basic     (const char  *method,
                                           const char  *path,
                                           const char  *user,
                                           const char  *password,
                                           const char  *content_type,
                                           const char  *body,
                                           gssize       body_len) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
