#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sp-client-watch.h"
#include "sp-db-accounts.h"
#include "sp-error.h"
#include "sp-json-tape.h"
#include "sp-principal.h"
#include "sp-router.h"
#include "sp-upload.h"

G_BEGIN_DECLS

typedef struct _SpServer SpServer;

/**
 * SpRequest:
 *
 * One request in flight, from sp_request_new() to the sp_request_reply_*()
 * call that answers it and frees it. A request answered before its dispatch
 * ends never pauses its message; one that goes on (to the database, the
 * workers, the disk) is paused by sp_request_end_dispatch() until answered.
 */
struct _SpRequest
{
  SpServer           *server;
  SoupServerMessage  *msg;
  const SpRoute      *route;
  GHashTable         *params;
  GHashTable         *query;      /* nullable: the decoded query string */
  JsonObject         *body;       /* routes with SP_BODY_JSON */
  JsonArray          *body_array; /* routes with SP_BODY_JSON_ARRAY */
  SpJsonTape         *body_tape;  /* nullable: the body as written (sp_request_body_tape()) */
  SpUpload           *upload;     /* routes with SP_BODY_FILE: the file, on disk */
  SpPrincipal        *principal;  /* who is calling; anonymous on public routes */
  GCancellable       *cancellable; /* cancelled when the client goes away */
  SpClientWatch      *watch;      /* what notices that it went away */
  SpSession          *session;    /* callers with a session token */
  GBytes             *token_hash; /* callers with a session token */
  gint64              started_us;
  gboolean            dispatching; /* between sp_request_new() and sp_request_end_dispatch() */
  gboolean            answered;    /* answered while dispatching */
  gboolean            early;       /* admitting an upload: its body is not read yet */
  gboolean            parked;      /* admitted: waits on its message for the body */
  char                request_id[17]; /* random hex, in X-Request-Id, problems and the log */
};

SpRequest   *sp_request_new              (SpServer           *server,
                                          SoupServerMessage  *msg);
void         sp_request_end_dispatch     (SpRequest          *request,
                                          GSocket            *socket);
SpRequest   *sp_request_new_early        (SpServer           *server,
                                          SoupServerMessage  *msg);
void         sp_request_accept_body      (SpRequest          *request);
SpRequest   *sp_request_resume           (SoupServerMessage  *msg);
void         sp_request_discard_parked   (SoupServerMessage  *msg);
const char  *sp_request_get_param        (SpRequest          *request,
                                          const char         *name);
const char  *sp_request_get_query        (SpRequest          *request,
                                          const char         *name);
const SpJsonTape *sp_request_body_tape   (SpRequest          *request);
void         sp_request_reply_json       (SpRequest          *request,
                                          guint               status,
                                          JsonNode           *node);
void         sp_request_reply_builder    (SpRequest          *request,
                                          guint               status,
                                          JsonBuilder        *builder);
void         sp_request_reply_bytes      (SpRequest          *request,
                                          guint               status,
                                          const char         *content_type,
                                          GBytes             *bytes);
SoupServerMessage *sp_request_reply_stream (SpRequest        *request,
                                          guint               status,
                                          const char         *content_type,
                                          gint64              content_length) G_GNUC_WARN_UNUSED_RESULT;
void         sp_request_reply_no_content (SpRequest          *request);
void         sp_request_reply_error      (SpRequest          *request,
                                          const GError       *error);
void         sp_request_reply_problem    (SpRequest          *request,
                                          SpError             code,
                                          const char         *detail);
void         sp_request_reply_problem_node (SpRequest        *request,
                                          JsonNode           *problem);
void         sp_request_reply_field_errors (SpRequest        *request,
                                          JsonArray          *errors);
void         sp_request_reply_failure    (SpRequest          *request,
                                          const GError       *error);
void         sp_message_set_problem      (SoupServerMessage  *msg,
                                          JsonNode           *problem);

G_END_DECLS
