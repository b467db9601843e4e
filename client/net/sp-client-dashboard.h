/* sp-client-dashboard.h: SpClient's calls of the operators' dashboard (list of pratiche, take charge) */
#pragma once

#include <gio/gio.h>

#include "sp-client.h"
#include "sp-dashboard.h"
#include "sp-pratica.h"

G_BEGIN_DECLS

/**
 * SpDashboardResult:
 * @items: (element-type SpPraticaSummary): the rows of the page, in order
 * @next_cursor: (nullable): continues after the last row; %NULL on the last page
 * @has_counts: whether @counts is filled (first pages only)
 * @counts: the pratiche of each bucket, with the search applied
 *
 * One page of `GET /operator/pratiche`.
 */
typedef struct
{
  GPtrArray *items;
  char      *next_cursor;
  gboolean   has_counts;
  gint64     counts[SP_N_BUCKETS];
} SpDashboardResult;

void               sp_dashboard_result_free          (SpDashboardResult    *result);

void               sp_client_list_pratiche_async     (SpClient             *self,
                                                      SpBucket              bucket,
                                                      const char           *search,
                                                      SpSortKey             sort,
                                                      gboolean              descending,
                                                      const char           *cursor,
                                                      guint                 limit,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
SpDashboardResult *sp_client_list_pratiche_finish    (SpClient             *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDashboardResult, sp_dashboard_result_free)

G_END_DECLS
