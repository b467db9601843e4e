#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SpRequest SpRequest;

typedef void (*SpHandler) (SpRequest *request);

typedef enum
{
  SP_AUTH_NONE,       /* public */
  SP_AUTH_SESSION,    /* an operator or auditor session token (Bearer) */
} SpAuth;

/* Roles allowed on a session route, as bits of 1 << SpRole. */
#define SP_ROLES_OPERATORE  (1u << 1)
#define SP_ROLES_AUDITOR    (1u << 2)
#define SP_ROLES_ADMIN      (1u << 3)
#define SP_ROLES_ANY        (SP_ROLES_OPERATORE | SP_ROLES_AUDITOR | SP_ROLES_ADMIN)

/**
 * SpRoute:
 * @path: a template such as `/api/v1.0/{partner}/pratica/{pratica}/status`
 * @json_body: the request carries a JSON object (parsed before the handler)
 * @max_body: the largest body accepted, checked before it is read
 */
typedef struct
{
  const char *method;
  const char *path;
  SpAuth      auth;
  guint       roles;
  gboolean    json_body;
  gsize       max_body;
  SpHandler   handler;
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
                                    const char      *path);
char        *sp_router_allowed_methods (const char *path) G_GNUC_WARN_UNUSED_RESULT;
void         sp_router_print       (void);

G_END_DECLS
