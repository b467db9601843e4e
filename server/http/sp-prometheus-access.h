#pragma once

/* Who may read GET /metrics ([metrics] of the configuration): a bearer
 * token, a list of networks, both, or, with neither, nobody (404). */

#include <libsoup/soup.h>

#include "sp-config.h"

G_BEGIN_DECLS

typedef enum
{
  SP_PROMETHEUS_ALLOWED,
  SP_PROMETHEUS_OFF,            /* 404: not configured */
  SP_PROMETHEUS_NO_TOKEN,       /* 401 */
  SP_PROMETHEUS_NOT_FROM_HERE,  /* 403 */
} SpPrometheusAccess;

typedef struct _SpPrometheusGate SpPrometheusGate;

SpPrometheusGate   *sp_prometheus_gate_new   (const SpConfig     *config,
                                              GError            **error) G_GNUC_WARN_UNUSED_RESULT;
void                sp_prometheus_gate_free  (SpPrometheusGate   *self);
SpPrometheusAccess  sp_prometheus_gate_check (SpPrometheusGate   *self,
                                              SoupServerMessage  *msg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPrometheusGate, sp_prometheus_gate_free)

G_END_DECLS
