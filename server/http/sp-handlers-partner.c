/* sp-handlers-partner.c: the partner API of the manual (DESIGN.md §5): services, status, protocolli, create */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

#include "sp-db-partner-api.h"
#include "sp-form.h"
#include "sp-handlers.h"
#include "sp-json.h"
#include "sp-server.h"

typedef struct
{
  SpRequest        *request;
  char             *key;
  SpCatalogueToken  token;
} ServicesCall;

static void
services_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  ServicesCall *call = user_data;
  SpRequest *request = call->request;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) document = sp_db_partner_services_finish (request->server->db, result, &error);

  if (document == NULL)
    sp_request_reply_failure (request, error);
  else
    {
      sp_catalogue_store (request->server->catalogue, call->token, call->key, g_bytes_ref (document),
                          (GDestroyNotify) g_bytes_unref);
      sp_request_reply_bytes (request, SOUP_STATUS_OK, "application/json", document);
    }
  g_free (call->key);
  g_free (call);
}

/* GET /api/v1.0/services: the same document for every request of a
 * partner until a service, an ente or the partner's grants change. */
void
sp_handle_partner_services (SpRequest *request)
{
  g_autofree char *key = g_strdup_printf ("partner-services:%" G_GINT64_FORMAT,
                                          sp_principal_get_partner_id (request->principal));
  GBytes *document = (GBytes *) sp_catalogue_lookup (request->server->catalogue, key);
  ServicesCall *call;

  if (document != NULL)
    {
      sp_request_reply_bytes (request, SOUP_STATUS_OK, "application/json", document);
      return;
    }
  call = g_new0 (ServicesCall, 1);
  call->request = request;
  call->key = g_steal_pointer (&key);
  call->token = sp_catalogue_begin (request->server->catalogue);
  sp_db_partner_services_async (request->server->db, request->principal, request->cancellable, services_cb, call);
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

/* A partner's accettata or rifiutata on its way: the response read, drawn,
 * then stored with the event. */
typedef struct
{
  SpRequest       *request;
  const char      *pratica;   /* the request's */
  SpEvent          event;
  SpPartnerAction *action;
} StatusCall;

static void
status_call_free (StatusCall *call)
{
  sp_partner_action_free (call->action);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StatusCall, status_call_free)

static void
risposta_drawn_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(StatusCall) call = user_data;
  SpRequest *request = call->request;
  g_autoptr(GError) error = NULL;

  if (!(call->action->pdf = sp_workers_run_finish (request->server->workers, result, &error)))
    {
      sp_request_reply_failure (request, error);
      return;
    }
  sp_db_partner_status_async (request->server->db, request->principal, call->pratica, call->event,
                              g_steal_pointer (&call->action), request->cancellable, status_cb, request);
}

static void
risposta_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  StatusCall *call = user_data;
  SpRequest *request = call->request;
  g_autoptr(GError) error = NULL;

  if (!(call->action->risposta = sp_db_partner_risposta_finish (request->server->db, result, &error)))
    {
      sp_request_reply_failure (request, error);
      status_call_free (call);
      return;
    }
  /* The connection is back in the pool: draw on the CPU workers. */
  sp_workers_run_async (request->server->workers, sp_risposta_render_work, call->action->risposta, NULL,
                        (GDestroyNotify) g_bytes_unref, request->cancellable, risposta_drawn_cb, call);
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
  if (event == SP_EVENT_ACCETTATA || event == SP_EVENT_RIFIUTATA)
    {
      /* The applicant gets a response, as from an operator's conclusion. */
      StatusCall *call = g_new0 (StatusCall, 1);

      call->request = request;
      call->pratica = pratica;
      call->event = event;
      call->action = g_steal_pointer (&action);
      sp_db_partner_risposta_async (request->server->db, request->principal, pratica, event, call->action->note,
                                    request->cancellable, risposta_read_cb, call);
      return;
    }
  sp_db_partner_status_async (request->server->db, request->principal, pratica, event, g_steal_pointer (&action),
                              request->cancellable, status_cb, request);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpPartnerCreated) created = sp_db_partner_create_finish (request->server->db, result, &error);
  g_autoptr(JsonBuilder) builder = NULL;

  if (created == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  if (created->field_errors != NULL)
    {
      sp_request_reply_field_errors (request, created->field_errors);
      return;
    }
  if (created->created)
    g_message ("Partner %s created pratica %s", sp_principal_get_name (request->principal), created->numero);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, created->id);
  json_builder_set_member_name (builder, "numero");
  json_builder_add_string_value (builder, created->numero);
  json_builder_set_member_name (builder, "stato");
  json_builder_add_int_value (builder, created->status);
  json_builder_end_object (builder);
  sp_request_reply_builder (request, created->created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, builder);
}

/* The partner's own id: no slash, so that it may be a {pratica} of the paths. */
static gboolean
is_external_id (const char *id)
{
  return g_ascii_isalnum (*id)
         && strspn (id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-") == strlen (id);
}

/* POST /api/v1.0/{partner}/pratica/offline/create
 * {id?, servizio, ente, richiedente{codice_fiscale, nome, cognome, email}, protocollo_principale?, dati{…}} */
void
sp_handle_partner_create (SpRequest *request)
{
  JsonObject *body = request->body;
  const SpJsonTape *tape = sp_request_body_tape (request);
  g_autoptr(JsonArray) errors = json_array_new ();
  g_autoptr(SpPartnerCreate) create = g_new0 (SpPartnerCreate, 1);
  JsonNode *richiedente = json_object_get_member (body, "richiedente");
  JsonNode *dati = json_object_get_member (body, "dati");
  JsonObject *person = NULL;
  const char *text;
  guint32 start, end;
  gsize length;

  if (tape == NULL)
    return;
  if ((text = read_text (body, "id", 100, FALSE, errors)))
    {
      if (is_external_id (text))
        create->external_id = g_strdup (text);
      else
        sp_problem_add_field_error (errors, "id", "“id” may hold letters, digits and . _ : - only");
    }
  create->servizio = g_strdup (read_text (body, "servizio", 64, TRUE, errors));
  create->ente = g_strdup (read_text (body, "ente", 32, TRUE, errors));
  create->protocollo_principale = g_strdup (read_text (body, "protocollo_principale", MAX_NAME, FALSE, errors));

  if (richiedente == NULL || !JSON_NODE_HOLDS_OBJECT (richiedente))
    sp_problem_add_field_error (errors, "richiedente", "“richiedente” must be an object");
  else
    person = json_node_get_object (richiedente);
  if (person != NULL)
    {
      g_autoptr(JsonArray) person_errors = json_array_new ();

      if ((text = read_text (person, "codice_fiscale", 16, TRUE, person_errors)))
        {
          if (!g_regex_match_simple ("^[A-Z0-9]{16}$", text, 0, 0))
            sp_problem_add_field_error (person_errors, "codice_fiscale", "Must be 16 capital letters and digits");
          else
            create->codice_fiscale = g_strdup (text);
        }
      create->nome = g_strdup (read_text (person, "nome", MAX_NAME, TRUE, person_errors));
      create->cognome = g_strdup (read_text (person, "cognome", MAX_NAME, TRUE, person_errors));
      if ((text = read_text (person, "email", MAX_NAME, TRUE, person_errors)))
        {
          JsonNode *node = json_object_get_member (person, "email");

          if (sp_form_check_value ("email", NULL, node) != NULL)
            sp_problem_add_field_error (person_errors, "email", "Must be an e-mail address");
          else
            create->email = g_strdup (text);
        }
      /* Named from the body's root: richiedente.email. */
      for (guint i = 0; i < json_array_get_length (person_errors); i++)
        {
          JsonObject *entry = json_array_get_object_element (person_errors, i);
          g_autofree char *field = g_strconcat ("richiedente.", json_object_get_string_member (entry, "field"), NULL);

          sp_problem_add_field_error (errors, field, json_object_get_string_member (entry, "message"));
        }
    }
  if (dati == NULL || !JSON_NODE_HOLDS_OBJECT (dati))
    sp_problem_add_field_error (errors, "dati", "“dati” must be an object");
  else
    create->dati = json_object_ref (json_node_get_object (dati));

  if (json_array_get_length (errors) > 0)
    {
      sp_request_reply_field_errors (request, errors);
      return;
    }
  /* What is stored is what the partner wrote, not json-glib's reading of it. */
  text = sp_json_tape_member_text (tape, 0, "dati", &length);
  create->dati_text = g_strndup (text, length);
  sp_json_tape_span (tape, 0, &start, &end);
  create->request = g_strndup (tape->text + start, end - start);
  sp_db_partner_create_async (request->server->db, request->principal, g_steal_pointer (&create),
                              request->cancellable, created_cb, request);
}

static void
protocolli_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  if (!sp_db_partner_protocolli_finish (request->server->db, result, &error))
    {
      sp_request_reply_failure (request, error);
      return;
    }
  sp_request_reply_no_content (request);
}

/* POST /api/v1.0/{partner}/pratica/{pratica}/protocolli: a JSON array, kept as given */
void
sp_handle_partner_protocolli (SpRequest *request)
{
  const char *pratica = pratica_param (request);
  const SpJsonTape *tape;
  g_autofree char *text = NULL;
  guint32 start, end;

  if (pratica == NULL || !(tape = sp_request_body_tape (request)))
    return;
  sp_json_tape_span (tape, 0, &start, &end);
  text = g_strndup (tape->text + start, end - start);
  sp_db_partner_protocolli_async (request->server->db, request->principal, pratica, request->body_array, text,
                                  request->cancellable, protocolli_cb, request);
}

/* The longest text of a compilation step. */
#define MAX_STEP_TEXT 20000

static void
servizio_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) document = sp_db_partner_servizio_finish (request->server->db, result, &error);

  if (document == NULL)
    sp_request_reply_failure (request, error);
  else if (g_bytes_get_size (document) == 0)
    {
      /* Written: this process reads its own write at once, before the
       * database's announcement of it arrives. */
      sp_catalogue_changed (request->server->catalogue);
      sp_request_reply_no_content (request);
    }
  else
    sp_request_reply_bytes (request, SOUP_STATUS_OK, "application/json", document);
}

static void
servizio_run (SpRequest    *request,
              SpServizioOp  op,
              const char   *step,
              const char   *value)
{
  sp_db_partner_servizio_async (request->server->db, request->principal, sp_request_get_param (request, "servizio"),
                                sp_request_get_param (request, "ente"), op, step, value, request->cancellable,
                                servizio_cb, request);
}

/* GET /api/v1.0/schedaInformativa/{servizio}/{ente}: never writes */
void
sp_handle_scheda_get (SpRequest *request)
{
  servizio_run (request, SP_SERVIZIO_READ_SCHEDA, NULL, NULL);
}

/* POST /api/v1.0/schedaInformativa/{servizio}/{ente} {data, metadata} */
void
sp_handle_scheda_post (SpRequest *request)
{
  g_autoptr(JsonArray) errors = json_array_new ();
  g_autoptr(GList) members = json_object_get_members (request->body);
  JsonNode *metadata = json_object_get_member (request->body, "metadata");
  const SpJsonTape *tape = sp_request_body_tape (request);
  g_autofree char *text = NULL;
  const char *data_text;
  const char *metadata_text;
  gsize data_length;
  gsize metadata_length = 4;

  if (tape == NULL)
    return;
  if (!json_object_has_member (request->body, "data"))
    sp_problem_add_field_error (errors, "data", "“data” is required");
  if (metadata != NULL && !JSON_NODE_HOLDS_OBJECT (metadata) && !JSON_NODE_HOLDS_NULL (metadata))
    sp_problem_add_field_error (errors, "metadata", "“metadata” must be an object");
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "data") && !g_str_equal (l->data, "metadata"))
      sp_problem_add_field_error (errors, l->data, "Not a member of a scheda informativa: {data, metadata}");
  if (json_array_get_length (errors) > 0)
    {
      sp_request_reply_field_errors (request, errors);
      return;
    }

  /* Both as the partner wrote them; no metadata is null. */
  data_text = sp_json_tape_member_text (tape, 0, "data", &data_length);
  if (!(metadata_text = sp_json_tape_member_text (tape, 0, "metadata", &metadata_length)))
    metadata_text = "null";
  text = g_strdup_printf ("{\"data\": %.*s, \"metadata\": %.*s}", (int) data_length, data_text,
                          (int) metadata_length, metadata_text);
  servizio_run (request, SP_SERVIZIO_WRITE_SCHEDA, NULL, text);
}

/* POST /api/v1.0/servizioTexts/{servizio}/{ente}/{step} {text} */
void
sp_handle_servizio_text (SpRequest *request)
{
  const char *step = sp_request_get_param (request, "step");
  g_autoptr(JsonArray) errors = json_array_new ();
  const char *text;

  if (!g_regex_match_simple ("^[A-Za-z0-9_-]{1,64}$", step, 0, 0))
    {
      sp_request_reply_problem (request, SP_ERROR_NOT_FOUND, "No such compilation step: letters, digits, _ and -");
      return;
    }
  if (!(text = read_text (request->body, "text", MAX_STEP_TEXT, TRUE, errors)))
    {
      sp_request_reply_field_errors (request, errors);
      return;
    }
  servizio_run (request, SP_SERVIZIO_WRITE_TEXT, step, text);
}
