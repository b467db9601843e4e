#pragma once

/* A throw-away Sportello installation for tests: a private PostgreSQL cluster,
 * generated TLS certificates (two CAs), and a real sportello-server over HTTPS
 * on a free port, loaded with a small known data set. */

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SpTestEnv SpTestEnv;

/* Accounts and partner created by sp_test_env_start() (see sp-test-env.c). */
#define SP_TEST_ENTE              "c_a001"          /* Comune di Prova */
#define SP_TEST_OTHER_ENTE        "c_b002"          /* Comune di Altrove */
#define SP_TEST_OPERATOR          "op.prova"
#define SP_TEST_OPERATOR2         "op.prova2"
#define SP_TEST_OTHER_OPERATOR    "op.altrove"      /* operatore of the other ente */
#define SP_TEST_AUDITOR           "audit.prova"
#define SP_TEST_PASSWORD          "Password-di-prova-1"
#define SP_TEST_PARTNER           "partner-prova"
#define SP_TEST_PARTNER_PASSWORD  "Segreto-partner-1"

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

G_END_DECLS
