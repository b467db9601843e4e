/* sp-handlers-partner.c: the partner API of the manual (DESIGN.md §5): services, status, protocolli, create */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

#include "sp-db-partner-api.h"
#include "sp-handlers.h"
#include "sp-json.h"
#include "sp-server.h"

static void
services_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) document = sp_db_partner_services_finish (request->server->db, result, &error);

  if (document == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  sp_request_reply_bytes (request, SOUP_STATUS_OK, "application/json", document);
}

/* GET /api/v1.0/services */
void
sp_handle_partner_services (SpRequest *request)
{
  sp_db_partner_services_async (request->server->db, request->principal, request->cancellable, services_cb, request);
}

/* The longest name (operatore, responsabile, struttura, an id) and note accepted. */
#define MAX_NAME  200
#define MAX_NOTE  10000

/* Returns: the {pratica} of the path (a UUID, a per-ente number or the
 *   partner's own id), or %NULL having answered 404
 */
static const char *
pratica_param (SpRequest *request)
{
  const char *pratica = sp_request_get_param (request, "pratica");

  if (pratica == NULL || strlen (pratica) > MAX_NAME || !g_utf8_validate (pratica, -1, NULL))
    {
      sp_request_reply_problem (request, SP_ERROR_NOT_FOUND, "No such pratica");
      return NULL;
    }
  return pratica;
}

/* A string member no longer than @max bytes: the value, or NULL having
 * added its field error (a missing optional member is no error). */
static const char *
read_text (JsonObject  *body,
           const char  *member,
           gsize        max,
           gboolean     required,
           JsonArray   *errors)
{
  g_autoptr(GError) error = NULL;
  const char *value;

  if (!required && (!json_object_has_member (body, member) || json_object_get_null_member (body, member)))
    return NULL;
  if (!(value = sp_json_require_string (body, member, &error)))
    {
      sp_problem_add_field_error (errors, member, error->message);
      return NULL;
    }
  if (strlen (value) > max)
    {
      g_autofree char *message = g_strdup_printf ("“%s” is longer than %" G_GSIZE_FORMAT " bytes", member, max);

      sp_problem_add_field_error (errors, member, message);
      return NULL;
    }
  return value;
}

static void
status_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  if (!sp_db_partner_status_finish (request->server->db, result, &error))
    {
      sp_request_reply_failure (request, error);
      return;
    }
  g_message ("Partner %s: %s on pratica %s", sp_principal_get_name (request->principal),
             sp_json_get_string (request->body, "evento", ""), sp_request_get_param (request, "pratica"));
  sp_request_reply_no_content (request);
}

/* POST /api/v1.0/{partner}/pratica/{pratica}/status
 * {evento, operatore, responsabile, struttura, timestamp, note?} */
void
sp_handle_partner_status (SpRequest *request)
{
  const char *pratica = pratica_param (request);
  g_autoptr(JsonArray) errors = json_array_new ();
  g_autoptr(SpPartnerAction) action = g_new0 (SpPartnerAction, 1);
  g_autoptr(GDateTime) timestamp = NULL;
  const char *name;
  const char *text;
  SpEvent event = SP_EVENT_INVALID;

  if (pratica == NULL)
    return;

  /* An evento nobody knows is its own error (422 unknown-event). */
  if ((name = read_text (request->body, "evento", MAX_NAME, TRUE, errors))
      && (event = sp_event_from_name (name)) == SP_EVENT_INVALID)
    {
      sp_request_reply_problem (request, SP_ERROR_UNKNOWN_EVENT, "Unknown evento: see the event table of the API");
      return;
    }
  action->operatore = g_strdup (read_text (request->body, "operatore", MAX_NAME, TRUE, errors));
  action->responsabile = g_strdup (read_text (request->body, "responsabile", MAX_NAME, TRUE, errors));
  action->struttura = g_strdup (read_text (request->body, "struttura", MAX_NAME, TRUE, errors));
  if ((text = read_text (request->body, "timestamp", MAX_NAME, TRUE, errors)))
    {
      if (!(timestamp = g_date_time_new_from_iso8601 (text, NULL)))
        sp_problem_add_field_error (errors, "timestamp", "“timestamp” must be ISO 8601 with an offset");
      else
        action->timestamp = g_date_time_format_iso8601 (timestamp);
    }
  /* accettata and rifiutata need the motivation. */
  if ((text = read_text (request->body, "note", MAX_NOTE, sp_event_requires_note (event), errors)))
    {
      action->note = g_strstrip (g_strdup (text));
      if (*action->note == '\0' && sp_event_requires_note (event))
        sp_problem_add_field_error (errors, "note", "“note” (the motivation) must not be blank");
    }

  if (json_array_get_length (errors) > 0)
    {
      sp_request_reply_field_errors (request, errors);
      return;
    }
  sp_db_partner_status_async (request->server->db, request->principal, pratica, event, g_steal_pointer (&action),
                              request->cancellable, status_cb, request);
}
