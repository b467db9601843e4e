#pragma once

/* What the files of SpTestEnv share (sp-test-env.c, sp-test-run.c,
 * sp-test-data.c, sp-test-tls.c, sp-test-cluster.c): not for the tests. */

#include <sys/types.h>

#include <libsoup/soup.h>

#include "sp-test-env.h"

G_BEGIN_DECLS

struct _SpTestEnv
{
  char         *dir;            /* /tmp/sp-test-XXXXXX, short: the socket lives below */
  char         *pg_root;        /* dir/pg: the socket, the log, data/ */
  char         *pg_data;
  char         *pg_bindir;
  char         *conninfo;
  char         *config;
  char         *url_file;
  char         *pid_file;
  char         *ca_file;
  char         *url;

  /* When running as root, PostgreSQL runs as this user. */
  gboolean      switch_user;
  uid_t         pg_uid;
  gid_t         pg_gid;

  GSubprocess  *server;
  GSubprocess  *watchdog;
  SoupSession  *session;        /* see sp-test-http.c */
};

/* sp-test-env.c */
G_GNUC_NORETURN
void         _sp_test_env_fail               (const char          *what,
                                              const GError        *error);
void         _sp_test_env_check              (gboolean             ok,
                                              const char          *what,
                                              GError              *error);
void         _sp_test_env_make_dir           (const char          *path,
                                              int                  mode);
const char  *_sp_test_env_get_admin_bin      (void);

/* sp-test-run.c */
gboolean     _sp_test_env_run_argv           (SpTestEnv           *self,
                                              gboolean             as_postgres,
                                              const char          *stdin_text,
                                              char               **stdout_text,
                                              char               **stderr_text,
                                              GError             **error,
                                              const char * const  *argv);
gboolean     _sp_test_env_run_va             (SpTestEnv           *self,
                                              gboolean             as_postgres,
                                              const char          *stdin_text,
                                              char               **stdout_text,
                                              char               **stderr_text,
                                              GError             **error,
                                              const char          *first_arg,
                                              va_list              args);

/* sp-test-data.c */
void         _sp_test_env_write_config       (SpTestEnv           *self);
void         _sp_test_env_load_data          (SpTestEnv           *self);

/* sp-test-tls.c */
void         _sp_test_env_make_certificates  (SpTestEnv           *self);

/* sp-test-cluster.c */
char        *_sp_test_env_find_pg_bindir     (void) G_GNUC_WARN_UNUSED_RESULT;
void         _sp_test_env_start_watchdog     (SpTestEnv           *self);
void         _sp_test_env_init_database      (SpTestEnv           *self);
void         _sp_test_env_shutdown_database  (SpTestEnv           *self);

G_END_DECLS
