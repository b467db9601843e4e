/* sp-error.c: the Sportello error domain and its mapping to HTTP problems */
#define G_LOG_DOMAIN "sp-error"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-error.h"
#include "sp-json.h"

/* An extended domain: an error may carry the SQLSTATE of the database failure
 * behind it, so the server can retry or log it. It is never sent to clients. */
typedef struct
{
  char *sqlstate;
} SpErrorPrivate;

static void
sp_error_private_init (SpErrorPrivate *priv)
{
  priv->sqlstate = NULL;
}

static void
sp_error_private_copy (const SpErrorPrivate *src_priv,
                       SpErrorPrivate       *dest_priv)
{
  dest_priv->sqlstate = g_strdup (src_priv->sqlstate);
}

static void
sp_error_private_clear (SpErrorPrivate *priv)
{
  g_clear_pointer (&priv->sqlstate, g_free);
}

G_DEFINE_EXTENDED_ERROR (SpError, sp_error)

/**
 * sp_error_set_sqlstate:
 * @error: (nullable): an error of %SP_ERROR; others are left alone
 * @sqlstate: (nullable): the five characters of a PostgreSQL SQLSTATE
 */
void
sp_error_set_sqlstate (GError     *error,
                       const char *sqlstate)
{
  SpErrorPrivate *priv = error != NULL ? sp_error_get_private (error) : NULL;

  if (priv == NULL)
    return;
  g_free (priv->sqlstate);
  priv->sqlstate = g_strdup (sqlstate);
}

/**
 * sp_error_get_sqlstate:
 *
 * Returns: (nullable): the SQLSTATE of the database failure behind @error
 */
const char *
sp_error_get_sqlstate (const GError *error)
{
  SpErrorPrivate *priv = error != NULL ? sp_error_get_private (error) : NULL;

  return priv != NULL ? priv->sqlstate : NULL;
}

typedef struct
{
  SpError     code;
  guint       http_status;
  const char *slug;
  const char *title;
} ErrorInfo;

/* One row per code: the only place where errors meet HTTP. */
static const ErrorInfo error_table[] = {
  { SP_ERROR_INTERNAL, 500, "internal", N_("Internal server error") },
  { SP_ERROR_INVALID_INPUT, 400, "invalid-input", N_("The request is not valid") },
  { SP_ERROR_UNAUTHENTICATED, 401, "unauthenticated", N_("Authentication required") },
  { SP_ERROR_INVALID_CREDENTIALS, 401, "invalid-credentials", N_("Wrong username or password") },
  { SP_ERROR_SESSION_EXPIRED, 401, "session-expired", N_("The session has expired") },
  { SP_ERROR_FORBIDDEN, 403, "forbidden", N_("Not allowed") },
  { SP_ERROR_NOT_FOUND, 404, "not-found", N_("Not found") },
  { SP_ERROR_METHOD_NOT_ALLOWED, 405, "method-not-allowed", N_("Method not allowed") },
  { SP_ERROR_CONFLICT, 409, "conflict", N_("Conflict with the current state") },
  { SP_ERROR_TRANSITION_NOT_ALLOWED, 409, "transition-not-allowed", N_("Status change not allowed") },
  { SP_ERROR_ALREADY_TAKEN, 409, "already-taken", N_("Already taken in charge by a colleague") },
  { SP_ERROR_PAYLOAD_TOO_LARGE, 413, "payload-too-large", N_("The request body is too large") },
  { SP_ERROR_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported-media-type", N_("Unsupported media type") },
  { SP_ERROR_VALIDATION, 422, "validation", N_("Some fields are not valid") },
  { SP_ERROR_UNKNOWN_EVENT, 422, "unknown-event", N_("Unknown event") },
  { SP_ERROR_ACCOUNT_LOCKED, 423, "account-locked", N_("The account is temporarily locked") },
  { SP_ERROR_UNAVAILABLE, 503, "unavailable", N_("Service temporarily unavailable") },
  { SP_ERROR_UNREACHABLE, 0, "unreachable", N_("The server cannot be reached") },
  { SP_ERROR_UNTRUSTED_CERTIFICATE, 0, "untrusted-certificate", N_("The server's certificate is not trusted") },
};

static const ErrorInfo *
lookup (SpError code)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (error_table[i].code == code)
      return &error_table[i];
  return &error_table[0];
}

guint
sp_error_get_http_status (SpError code)
{
  guint status = lookup (code)->http_status;

  return status != 0 ? status : 500;
}

const char *
sp_error_get_slug (SpError code)
{
  return lookup (code)->slug;
}

const char *
sp_error_get_title (SpError code)
{
  return g_dgettext (GETTEXT_PACKAGE, lookup (code)->title);
}

gboolean
sp_error_from_slug (const char *slug,
                    SpError    *code)
{
  g_return_val_if_fail (code != NULL, FALSE);

  if (slug == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (g_str_equal (error_table[i].slug, slug))
      {
        *code = error_table[i].code;
        return TRUE;
      }
  return FALSE;
}

/**
 * sp_problem_new:
 * @error: the error to describe; any domain other than %SP_ERROR is reported
 *   as an internal error without its message, so no detail leaks
 * @field_errors: (nullable) (transfer none): an array of `{field, message}`
 *
 * Returns: (transfer full): an RFC 9457 problem object.
 */
JsonNode *
sp_problem_new (const GError *error,
                JsonNode     *field_errors)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *type = NULL;
  SpError code = SP_ERROR_INTERNAL;
  const char *detail = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == SP_ERROR)
    {
      code = error->code;
      /* Internal details (SQL errors…) are logged by the server, never sent. */
      if (code != SP_ERROR_INTERNAL && code != SP_ERROR_UNAVAILABLE)
        detail = error->message;
    }

  type = g_strconcat (SP_PROBLEM_TYPE_PREFIX, sp_error_get_slug (code), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, lookup (code)->title);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, sp_error_get_http_status (code));
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, detail != NULL ? detail : lookup (code)->title);
  if (field_errors != NULL)
    {
      json_builder_set_member_name (builder, "errors");
      json_builder_add_value (builder, json_node_copy (field_errors));
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * sp_problem_add_field_error:
 * @errors: the `errors` of a problem, for sp_problem_new()
 * @field: the member of the request body, as the client sent it (`username`)
 * @message: what is wrong with it
 *
 * Adds one `{field, message}` to @errors.
 */
void
sp_problem_add_field_error (JsonArray  *errors,
                            const char *field,
                            const char *message)
{
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "field", field);
  json_object_set_string_member (entry, "message", message);
  json_array_add_object_element (errors, entry);
}

/**
 * sp_problem_to_error:
 * @http_status: the status of the response
 * @problem: (nullable): the parsed problem body, if any
 *
 * The inverse of sp_problem_new(), for clients.
 *
 * Returns: (transfer full): the error the problem describes
 */
GError *
sp_problem_to_error (guint     http_status,
                     JsonNode *problem)
{
  SpError code = SP_ERROR_INTERNAL;
  const char *detail = NULL;
  gboolean known = FALSE;

  if (problem != NULL && JSON_NODE_HOLDS_OBJECT (problem))
    {
      JsonObject *object = json_node_get_object (problem);
      const char *type = sp_json_get_string (object, "type", NULL);

      detail = sp_json_get_string (object, "detail", NULL);
      if (type != NULL && g_str_has_prefix (type, SP_PROBLEM_TYPE_PREFIX))
        known = sp_error_from_slug (type + strlen (SP_PROBLEM_TYPE_PREFIX), &code);
    }

  if (!known)
    {
      /* Not one of ours: pick the first code with that status. */
      for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
        if (error_table[i].http_status == http_status)
          {
            code = error_table[i].code;
            break;
          }
    }

  return g_error_new_literal (SP_ERROR, code,
                              detail != NULL ? detail : sp_error_get_title (code));
}
