#pragma once

/* Synchronous HTTPS requests for tests, trusting the environment's CA. */

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sp-test-env.h"

G_BEGIN_DECLS

typedef struct
{
  guint                status;        /* 0 when @error is set */
  GError              *error;         /* transport or TLS failure */
  SoupMessageHeaders  *headers;       /* response headers */
  char                *content_type;  /* media type, without parameters */
  GBytes              *body;
  char                *text;          /* the body, NUL-terminated, for messages */
  JsonNode            *json;          /* the parsed body, if it is JSON */
} SpTestResponse;

SoupSession     *sp_test_session_new       (const char         *ca_file,
                                            GTlsCertificate    *client_certificate) G_GNUC_WARN_UNUSED_RESULT;
SoupSession     *sp_test_env_get_session   (SpTestEnv          *env);
SoupMessage     *sp_test_message_new       (SpTestEnv          *env,
                                            const char         *method,
                                            const char         *path,
                                            const char         *bearer_token,
                                            const char         *content_type,
                                            const char         *body,
                                            gssize              body_len) G_GNUC_WARN_UNUSED_RESULT;
SpTestResponse  *sp_test_send              (SoupSession        *session,
                                            SoupMessage        *message) G_GNUC_WARN_UNUSED_RESULT;
SpTestResponse  *sp_test_request           (SpTestEnv          *env,
                                            const char         *method,
                                            const char         *path,
                                            const char         *bearer_token,
                                            const char         *content_type,
                                            const char         *body,
                                            gssize              body_len) G_GNUC_WARN_UNUSED_RESULT;
SpTestResponse  *sp_test_post_json         (SpTestEnv          *env,
                                            const char         *path,
                                            const char         *bearer_token,
                                            JsonNode           *body) G_GNUC_WARN_UNUSED_RESULT;
void             sp_test_response_free     (SpTestResponse     *response);
const char      *sp_test_response_text     (SpTestResponse     *response);
JsonObject      *sp_test_response_object   (SpTestResponse     *response);
JsonObject      *sp_test_response_find     (SpTestResponse     *response,
                                            const char         *array,
                                            const char         *key,
                                            const char         *value);

char            *sp_test_login             (SpTestEnv          *env,
                                            const char         *username,
                                            const char         *password) G_GNUC_WARN_UNUSED_RESULT;
JsonNode        *sp_test_json_object       (const char         *first_member,
                                            ...) G_GNUC_NULL_TERMINATED G_GNUC_WARN_UNUSED_RESULT;

char            *sp_test_raw_exchange      (SpTestEnv          *env,
                                            gboolean            use_tls,
                                            const char         *request,
                                            guint               timeout_seconds,
                                            GError            **error) G_GNUC_WARN_UNUSED_RESULT;

void             sp_test_assert_problem_at (SpTestResponse     *response,
                                            guint               status,
                                            const char         *slug,
                                            const char         *location);

/* Asserts an application/problem+json answer with this status and type. */
#define sp_test_assert_problem(response, status, slug) \
  sp_test_assert_problem_at ((response), (status), (slug), G_STRLOC)

/* Asserts the status, printing the body when it differs. */
#define sp_test_assert_status(response, expected) G_STMT_START { \
    SpTestResponse *sp__r = (response); \
    if (sp__r->status != (guint) (expected)) \
      g_test_message ("%s: HTTP %u, body: %s%s%s", G_STRLOC, sp__r->status, \
                      sp_test_response_text (sp__r), \
                      sp__r->error != NULL ? ", error: " : "", \
                      sp__r->error != NULL ? sp__r->error->message : ""); \
    g_assert_cmpuint (sp__r->status, ==, (guint) (expected)); \
  } G_STMT_END

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpTestResponse, sp_test_response_free)
const char     *sp_test_field_error (SpTestResponse *response,
                                     const char     *field);

G_END_DECLS
