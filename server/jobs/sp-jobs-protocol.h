#pragma once

/* The internal protocol register's jobs: one registration, and the sweep for
 * pratiche that wait without one. */

#include "sp-jobs.h"

G_BEGIN_DECLS

void         sp_jobs_register_protocol  (SpJobs  *self);

G_END_DECLS
