/* sp-db-metrics-private.h: what the usage metrics' SQL files share */
#pragma once

#include <libpq-fe.h>

#include "sp-db-query.h"
#include "sp-metrics.h"
#include "sp-principal.h"
#include "sp-status.h"

G_BEGIN_DECLS

typedef struct
{
  SpPrincipal     *principal;
  SpMetricsWindow  window;
  char            *servizio;    /* nullable: every service */
  SpStatus         status;      /* SP_STATUS_INVALID: every status */
} SpDbMetricsCall;

gpointer sp_db_metrics_chart      (PGconn     *conn,
                                   gpointer    call,
                                   GError    **error);
gpointer sp_db_metrics_processing (PGconn     *conn,
                                   gpointer    call,
                                   GError    **error);
GBytes  *sp_db_metrics_run_json   (PGconn     *conn,
                                   SpDbQuery  *sql,
                                   GError    **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
