#pragma once

/* What the tests of Elabora share: a test installation with services that
 * have processing steps, the operators' sessions, and the calls of the
 * processing API (upload, save, conclude) and of the detail. */

#include <libpq-fe.h>

#include "sp-test-env.h"
#include "sp-test-http.h"

G_BEGIN_DECLS

/* Services imported by sp_test_elabora_start() into SP_TEST_ENTE, enabled for
 * SP_TEST_OPERATOR and SP_TEST_OPERATOR2. Each has the same steps:
 *   verifica (text required, number, date required, choice required, checkbox required)
 *   rilascio, only_if_approved (text required, date) */
#define SP_TEST_ELABORA_PLAIN      "elabora-semplice"    /* no protocol */
#define SP_TEST_ELABORA_PROTOCOL   "elabora-protocollo"  /* internal protocol */
#define SP_TEST_ELABORA_SIGNED     "elabora-firmata"     /* no protocol, signed response required */

typedef struct
{
  SpTestEnv  *env;
  PGconn     *conn;
  char       *signers_dir;     /* the .p7m material: see sp_test_elabora_sign() */
  char       *upload_dir;      /* where the server spools uploads */
  GHashTable *tokens;
} SpTestElabora;

SpTestElabora  *sp_test_elabora_start      (gboolean          with_signers);
void            sp_test_elabora_stop       (SpTestElabora    *self);
const char     *sp_test_elabora_token      (SpTestElabora    *self,
                                            const char       *username);
char           *sp_test_elabora_pratica    (SpTestElabora    *self,
                                            const char       *servizio,
                                            int               status,
                                            const char       *assignee) G_GNUC_WARN_UNUSED_RESULT;
SpTestResponse *sp_test_elabora_upload     (SpTestElabora    *self,
                                            const char       *pratica_id,
                                            const char       *username,
                                            const char       *filename,
                                            const char       *content_type,
                                            GBytes           *content) G_GNUC_WARN_UNUSED_RESULT;
SpTestResponse *sp_test_elabora_save       (SpTestElabora    *self,
                                            const char       *pratica_id,
                                            const char       *username,
                                            const char       *json) G_GNUC_WARN_UNUSED_RESULT;
SpTestResponse *sp_test_elabora_conclude   (SpTestElabora    *self,
                                            const char       *pratica_id,
                                            const char       *username) G_GNUC_WARN_UNUSED_RESULT;
SpTestResponse *sp_test_elabora_detail     (SpTestElabora    *self,
                                            const char       *pratica_id,
                                            const char       *username) G_GNUC_WARN_UNUSED_RESULT;
SpTestResponse *sp_test_elabora_download   (SpTestElabora    *self,
                                            const char       *pratica_id,
                                            const char       *document_id,
                                            const char       *username) G_GNUC_WARN_UNUSED_RESULT;
GBytes         *sp_test_elabora_sign       (SpTestElabora    *self,
                                            const char       *signer,
                                            GBytes           *content,
                                            gboolean          detached) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
