#pragma once

/* How long the server took to answer, per route and status class, for the
 * operations staff's Prometheus scrape (GET /metrics). Kept on the main
 * loop, where requests finish. */

#include <glib.h>

#include "sp-router.h"

G_BEGIN_DECLS

typedef struct _SpRequestStats SpRequestStats;

SpRequestStats *sp_request_stats_new    (void) G_GNUC_WARN_UNUSED_RESULT;
void            sp_request_stats_free   (SpRequestStats *self);
void            sp_request_stats_record (SpRequestStats *self,
                                         const SpRoute  *route,
                                         guint           status,
                                         double          seconds);
void            sp_request_stats_append (SpRequestStats *self,
                                         GString        *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpRequestStats, sp_request_stats_free)

G_END_DECLS
