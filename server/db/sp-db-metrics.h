#pragma once

/* The usage metrics (DESIGN.md §7, *Metriche di utilizzo*), counted by the
 * database in the principal's scope and answered as the API's JSON text. */

#include "sp-db.h"
#include "sp-metrics.h"
#include "sp-principal.h"
#include "sp-status.h"

G_BEGIN_DECLS

/* The job that keeps the processing times of the long windows. */
#define SP_DB_METRICS_PROCESSING_JOB "metrics-processing"

void     sp_db_metrics_summary_async   (SpDb                *db,
                                        SpPrincipal         *principal,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
void     sp_db_metrics_pratiche_async  (SpDb                *db,
                                        SpPrincipal         *principal,
                                        SpMetricsWindow      window,
                                        const char          *servizio,
                                        SpStatus             status,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
void     sp_db_metrics_processing_async (SpDb               *db,
                                        SpPrincipal        *principal,
                                        SpMetricsWindow     window,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
void     sp_db_metrics_prometheus_async (SpDb               *db,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean sp_db_metrics_processing_refresh (PGconn             *conn,
                                           guint              *n_rows,
                                           GError            **error);
GBytes  *sp_db_metrics_finish          (SpDb                *db,
                                        GAsyncResult        *result,
                                        GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
