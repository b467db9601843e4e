#pragma once

/* More sportello-server processes on a test environment's database, beside
 * the one that SpTestEnv runs: for the several-processes cases of DESIGN.md
 * §11 (jobs claimed once, a process killed while it holds a job). */

#include "sp-test-env.h"

G_BEGIN_DECLS

typedef struct _SpTestServer SpTestServer;

SpTestServer *sp_test_server_start      (SpTestEnv           *env,
                                         const char          *config,
                                         const char * const  *extra_environ) G_GNUC_WARN_UNUSED_RESULT;
int           sp_test_server_get_pid    (SpTestServer        *self);
const char   *sp_test_server_get_url    (SpTestServer        *self);
void          sp_test_server_kill       (SpTestServer        *self);
void          sp_test_server_terminate  (SpTestServer        *self);
gboolean      sp_test_server_wait_exit  (SpTestServer        *self,
                                         guint                timeout_ms,
                                         int                 *exit_status);
void          sp_test_server_free       (SpTestServer        *self);
char         *sp_test_env_copy_config   (SpTestEnv           *env,
                                         const char          *name,
                                         const char          *first_group,
                                         ...) G_GNUC_NULL_TERMINATED G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpTestServer, sp_test_server_free)

G_END_DECLS
