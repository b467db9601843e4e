#pragma once

/* A throw-away Sportello installation for tests: a private PostgreSQL cluster,
 * generated TLS certificates (two CAs), and a real sportello-server over HTTPS
 * on a free port, loaded with a small known data set.
 *
 * Files under sp_test_env_get_dir() (see sp_test_env_get_tls_file()):
 *   tls/ca1.pem, ca1.key              CA 1: trusted by the tests; the partner CA of a test that
 *                                     sets [server] partner-ca (the server then asks every client
 *                                     for a certificate, which libsoup's synchronous calls from
 *                                     threads with their own main context do not survive)
 *   tls/server.pem, server.key        the server's certificate (CA 1; 127.0.0.1 and localhost)
 *   tls/ca2.pem, ca2.key              CA 2: trusted by nobody
 *   tls/wrong-server.pem, .key        a server certificate for 127.0.0.1 signed by CA 2
 *   tls/partner.pem, partner.key      client certificate of SP_TEST_PARTNER (CA 1, registered)
 *   tls/stranger.pem, stranger.key    client certificate from CA 1 registered for nobody
 *   tls/partner-wrong-ca.pem, .key    client certificate from CA 2
 *   tls/partner-expired.pem, .key     client certificate from CA 1, already expired
 *   server.conf                       the server's configuration
 *   pg/                               PostgreSQL: data/, the socket, postgres.log
 *
 * The data set (the JSON files in tests/data):
 *   SP_TEST_ENTE        "Comune di Prova": services SP_TEST_SERVIZIO_INTERNAL (internal
 *                       protocol) and SP_TEST_SERVIZIO_EXTERNAL (external protocol)
 *   SP_TEST_OTHER_ENTE  "Comune di Altrove": service SP_TEST_SERVIZIO_OTHER
 *   SP_TEST_OPERATOR, SP_TEST_OPERATOR2  operatore of SP_TEST_ENTE, both its services
 *   SP_TEST_OTHER_OPERATOR               operatore of SP_TEST_OTHER_ENTE
 *   SP_TEST_AUDITOR                      auditor of SP_TEST_ENTE
 *   all with SP_TEST_PASSWORD
 *   SP_TEST_PARTNER     password SP_TEST_PARTNER_PASSWORD and tls/partner.pem; sees both
 *                       services of SP_TEST_ENTE and creates pratiche of SP_TEST_SERVIZIO_EXTERNAL
 *
 * The server runs with G_DEBUG=gc-friendly,fatal-criticals: a critical warning
 * kills it, and the tests (and sp_test_env_stop()) notice.
 *
 * When run as root, PostgreSQL runs as the user "nobody". If the test process
 * dies, a watchdog stops the server and PostgreSQL and removes the directory.
 *
 * The programs come from the build (paths compiled in); SPORTELLO_SERVER_BIN,
 * SPORTELLO_ADMIN_BIN, SPORTELLO_SOURCE_DIR and SP_TEST_PG_BINDIR override them. */

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SpTestEnv SpTestEnv;

/* Accounts and partner created by sp_test_env_start() (see sp-test-data.c). */
#define SP_TEST_ENTE              "c_a001"          /* Comune di Prova */
#define SP_TEST_OTHER_ENTE        "c_b002"          /* Comune di Altrove */
#define SP_TEST_OPERATOR          "op.prova"
#define SP_TEST_OPERATOR2         "op.prova2"
#define SP_TEST_OTHER_OPERATOR    "op.altrove"      /* operatore of the other ente */
#define SP_TEST_AUDITOR           "audit.prova"
#define SP_TEST_PASSWORD          "Password-di-prova-1"
#define SP_TEST_PARTNER           "partner-prova"
#define SP_TEST_PARTNER_PASSWORD  "Segreto-partner-1"

#define SP_TEST_ENTE_NAME           "Comune di Prova"
#define SP_TEST_OTHER_ENTE_NAME     "Comune di Altrove"
#define SP_TEST_SERVIZIO_INTERNAL   "certificato-residenza"
#define SP_TEST_SERVIZIO_EXTERNAL   "scia-edilizia"
#define SP_TEST_SERVIZIO_OTHER      "passo-carrabile"   /* of SP_TEST_OTHER_ENTE */

SpTestEnv   *sp_test_env_start          (void);
void         sp_test_env_stop           (SpTestEnv    *env);
const char  *sp_test_env_get_url        (SpTestEnv    *env);
const char  *sp_test_env_get_ca_file    (SpTestEnv    *env);
const char  *sp_test_env_get_conninfo   (SpTestEnv    *env);
const char  *sp_test_env_get_config     (SpTestEnv    *env);
const char  *sp_test_env_get_dir        (SpTestEnv    *env);
gboolean     sp_test_env_admin          (SpTestEnv    *env,
                                         const char   *stdin_text,
                                         char        **stdout_text,
                                         GError      **error,
                                         const char   *first_arg,
                                         ...) G_GNUC_NULL_TERMINATED;
char        *sp_test_env_sql            (SpTestEnv    *env,
                                         const char   *sql) G_GNUC_WARN_UNUSED_RESULT;
void         sp_test_env_restart_server (SpTestEnv    *env);

/* Beyond the first version of this API. */
char        *sp_test_env_get_tls_file   (SpTestEnv    *env,
                                         const char   *name) G_GNUC_WARN_UNUSED_RESULT;
const char  *sp_test_env_get_server_bin (void);
const char  *sp_test_env_get_source_dir (void);
gboolean     sp_test_env_try_sql        (SpTestEnv    *env,
                                         const char   *sql,
                                         char        **stdout_text,
                                         GError      **error);
void         sp_test_env_stop_database  (SpTestEnv    *env);
void         sp_test_env_start_database (SpTestEnv    *env);
void         sp_test_env_stop_server    (SpTestEnv    *env);
void         sp_test_env_start_server   (SpTestEnv    *env);
int          sp_test_env_get_server_pid (SpTestEnv    *env);
gboolean     sp_test_env_run            (SpTestEnv    *env,
                                         const char   *stdin_text,
                                         char        **stdout_text,
                                         char        **stderr_text,
                                         GError      **error,
                                         const char   *first_arg,
                                         ...) G_GNUC_NULL_TERMINATED;
double       sp_test_time_scale         (void);
gboolean     sp_test_sanitized          (void);
void         sp_test_env_set_config     (SpTestEnv    *env,
                                         const char   *group,
                                         const char   *key,
                                         const char   *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpTestEnv, sp_test_env_stop)

G_END_DECLS
