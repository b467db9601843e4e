#pragma once

/* The `echo` job, registered only with SPORTELLO_TEST_JOBS=1. */

#include "sp-jobs.h"

G_BEGIN_DECLS

gboolean     sp_jobs_echo               (SpJob         *job,
                                         PGconn        *conn,
                                         GCancellable  *cancellable,
                                         gpointer       user_data,
                                         GError       **error);

G_END_DECLS
