#pragma once

/* The outbox dispatcher: the `mail-send` job sends one queued e-mail, the
 * `mail-sweep` job queues those that have no job. */

#include "sp-config.h"
#include "sp-jobs.h"

G_BEGIN_DECLS

typedef struct _SpMailer SpMailer;

SpMailer    *sp_mailer_new              (const SpConfig  *config,
                                         const char      *server_url,
                                         GError         **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_mailer_free             (SpMailer        *self);
void         sp_jobs_register_mail      (SpJobs          *jobs,
                                         SpMailer        *mailer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpMailer, sp_mailer_free)

G_END_DECLS
