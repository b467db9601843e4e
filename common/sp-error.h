#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SP_ERROR (sp_error_quark ())

/**
 * SpError:
 * @SP_ERROR_INTERNAL: something failed on our side (500)
 * @SP_ERROR_INVALID_INPUT: the request cannot be parsed (400)
 * @SP_ERROR_UNAUTHENTICATED: no or unknown credentials (401)
 * @SP_ERROR_INVALID_CREDENTIALS: wrong username or password (401)
 * @SP_ERROR_SESSION_EXPIRED: the session token expired or was revoked (401)
 * @SP_ERROR_FORBIDDEN: the caller may not do this (403)
 * @SP_ERROR_NOT_FOUND: no such resource, or not visible to the caller (404)
 * @SP_ERROR_METHOD_NOT_ALLOWED: the route does not accept the method (405)
 * @SP_ERROR_CONFLICT: the resource is in a state that refuses the request (409)
 * @SP_ERROR_TRANSITION_NOT_ALLOWED: the status change is not allowed (409)
 * @SP_ERROR_ALREADY_TAKEN: a colleague took the pratica in charge first (409)
 * @SP_ERROR_PAYLOAD_TOO_LARGE: the body exceeds the limit (413)
 * @SP_ERROR_UNSUPPORTED_MEDIA_TYPE: the body is not of the expected type (415)
 * @SP_ERROR_VALIDATION: the body is well formed but its fields are wrong (422)
 * @SP_ERROR_UNKNOWN_EVENT: the partner event is not known (422)
 * @SP_ERROR_ACCOUNT_LOCKED: too many failed logins (423)
 * @SP_ERROR_UNAVAILABLE: a dependency (the database) is unreachable (503)
 * @SP_ERROR_UNREACHABLE: client side: the server cannot be reached
 * @SP_ERROR_UNTRUSTED_CERTIFICATE: client side: the server's certificate is not trusted
 *
 * The one error domain of Sportello. Each code maps to one HTTP status and one
 * problem type (RFC 9457); the mapping lives in sp-error.c alone.
 */
typedef enum
{
  SP_ERROR_INTERNAL,
  SP_ERROR_INVALID_INPUT,
  SP_ERROR_UNAUTHENTICATED,
  SP_ERROR_INVALID_CREDENTIALS,
  SP_ERROR_SESSION_EXPIRED,
  SP_ERROR_FORBIDDEN,
  SP_ERROR_NOT_FOUND,
  SP_ERROR_METHOD_NOT_ALLOWED,
  SP_ERROR_CONFLICT,
  SP_ERROR_TRANSITION_NOT_ALLOWED,
  SP_ERROR_ALREADY_TAKEN,
  SP_ERROR_PAYLOAD_TOO_LARGE,
  SP_ERROR_UNSUPPORTED_MEDIA_TYPE,
  SP_ERROR_VALIDATION,
  SP_ERROR_UNKNOWN_EVENT,
  SP_ERROR_ACCOUNT_LOCKED,
  SP_ERROR_UNAVAILABLE,
  SP_ERROR_UNREACHABLE,
  SP_ERROR_UNTRUSTED_CERTIFICATE,
} SpError;

#define SP_PROBLEM_TYPE_PREFIX "urn:sportello:problem:"

GQuark       sp_error_quark            (void);
guint        sp_error_get_http_status  (SpError      code);
const char  *sp_error_get_slug         (SpError      code);
const char  *sp_error_get_title        (SpError      code);
gboolean     sp_error_from_slug        (const char  *slug,
                                        SpError     *code);
void         sp_error_set_sqlstate     (GError       *error,
                                        const char   *sqlstate);
const char  *sp_error_get_sqlstate     (const GError *error);
JsonNode    *sp_problem_new            (const GError *error,
                                        JsonNode     *field_errors) G_GNUC_WARN_UNUSED_RESULT;
void         sp_problem_add_field_error (JsonArray   *errors,
                                        const char   *field,
                                        const char   *message);
GError      *sp_problem_to_error       (guint         http_status,
                                        JsonNode     *problem) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
