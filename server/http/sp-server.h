#pragma once

#include <libsoup/soup.h>

#include "sp-catalogue.h"
#include "sp-config.h"
#include "sp-db.h"
#include "sp-links.h"
#include "sp-listener.h"
#include "sp-workers.h"

G_BEGIN_DECLS

/**
 * SpServer:
 *
 * What every handler may reach: the configuration, the database pool, the
 * CPU workers, the HTTP server and the listener that feeds it its connections.
 */
struct _SpServer
{
  SpConfig   *config;
  SpDb       *db;
  SpWorkers  *workers;
  SoupServer *soup;
  SpListener *listener;
  GBytes     *openapi;
  SpLinks    *links;      /* nullable: no [links] secret-file */
  struct _SpPartnerAuth *partner_auth;  /* partners' password cache */
  SpCatalogue *catalogue;  /* partners' accounts and services between requests */
  struct _SpRequestStats *request_stats;  /* latencies, for GET /metrics */
  struct _SpPrometheusGate *prometheus_gate;  /* who may read GET /metrics */
};

typedef struct _SpServer SpServer;

SpServer    *sp_server_new         (SpConfig    *config,
                                    GError     **error);
void         sp_server_free        (SpServer    *self);
gboolean     sp_server_listen      (SpServer    *self,
                                    GError     **error);
char        *sp_server_get_url     (SpServer    *self) G_GNUC_WARN_UNUSED_RESULT;
void         sp_server_refuse      (SoupServerMessage *msg);
gboolean     sp_server_accept_body (SpServer          *self,
                                    SoupServerMessage *msg,
                                    gsize              limit,
                                    GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpServer, sp_server_free)

G_END_DECLS
