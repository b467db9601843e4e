#pragma once

#include <glib.h>

#include "sp-principal.h"

G_BEGIN_DECLS

typedef struct _SpRequest SpRequest;

typedef void (*SpHandler) (SpRequest *request);

/**
 * SpBody:
 * @SP_BODY_NONE: the body is ignored
 * @SP_BODY_JSON: a JSON object, parsed before the handler (request->body)
 * @SP_BODY_JSON_ARRAY: a JSON array, parsed before the handler
 *   (request->body_array)
 * @SP_BODY_FILE: a file, streamed to disk as it arrives (request->upload),
 *   never held in memory, once the caller is admitted at the headers
 */
typedef enum
{
  SP_BODY_NONE,
  SP_BODY_JSON,
  SP_BODY_JSON_ARRAY,
  SP_BODY_FILE,
} SpBody;

/**
 * SpRoute:
 * @path: a template such as `/api/v1.0/{partner}/pratica/{pratica}/status`
 * @principals: who may call it, an OR of #SpPrincipalKind; a route open to
 *   %SP_PRINCIPAL_ANONYMOUS authenticates nobody
 * @body: what the request's body is
 * @max_body: the largest body accepted, checked before it is read (and, for
 *   a file, as it arrives)
 * @admit: (nullable): for a %SP_BODY_FILE route, its own checks of the
 *   caller at the headers, before any of the body is read: it refuses with
 *   sp_request_reply_*() or goes on with sp_request_accept_body()
 */
typedef struct
{
  const char *method;
  const char *path;
  guint       principals;
  SpBody      body;
  gsize       max_body;
  SpHandler   handler;
  SpHandler   admit;
  gboolean    probe;      /* polled by monitors: its successes are logged at debug level */
} SpRoute;

typedef enum
{
  SP_ROUTE_FOUND,
  SP_ROUTE_NO_PATH,
  SP_ROUTE_NO_METHOD,
} SpRouteMatch;

SpRouteMatch sp_router_match       (const char      *method,
                                    const char      *path,
                                    const SpRoute  **route,
                                    GHashTable     **params);
gsize        sp_router_max_body    (const char      *method,
                                    const char      *path,
                                    SpBody          *body);
char        *sp_router_allowed_methods (const char *path) G_GNUC_WARN_UNUSED_RESULT;
void         sp_router_print       (void);
const SpRoute *sp_router_get_routes (gsize          *n_routes);

G_END_DECLS
