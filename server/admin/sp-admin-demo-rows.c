/* sp-admin-demo-rows.c: walks each demo pratica through its events and writes its rows: iter, versions (chained by the database), protocol register */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-admin-demo-private.h"
#include "sp-json.h"

/* The pratica as the versions see it, event after event. */
typedef struct
{
  JsonObject  *data;
  SpStatus     status;
  const char  *assigned_to;
  const char  *protocol_number;
  gint64       protocol_date;
  JsonArray   *entries;          /* from the partner, external provider only */
  const char  *outcome;
  const char  *motivation;
  int          version;
  gint64       concluded_at;
  gint64       taken_at;         /* first taken in charge */
} State;

typedef struct
{
  const char *kind;
  const char *username;
  char       *name;
  const char *role;
} Actor;

static JsonBuilder *
array_builder (void)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_array (builder);
  return builder;
}

static char *
array_finish (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return sp_json_to_string (root, NULL);
}

void
sp_demo_rows_init (SpDemoBuild *build)
{
  build->citizens = array_builder ();
  build->rows_pratiche = array_builder ();
  build->iter = array_builder ();
  build->versions = array_builder ();
  build->protocols = array_builder ();
  build->counters = array_builder ();
  build->processing = array_builder ();
}

void
sp_demo_rows_finish (SpDemoBuild *build,
                     SpAdminDemo *demo)
{
  demo->citizens = array_finish (build->citizens);
  demo->pratiche = array_finish (build->rows_pratiche);
  demo->iter = array_finish (build->iter);
  demo->versions = array_finish (build->versions);
  demo->protocols = array_finish (build->protocols);
  demo->counters = array_finish (build->counters);
  demo->processing = array_finish (build->processing);
  g_clear_object (&build->citizens);
  g_clear_object (&build->rows_pratiche);
  g_clear_object (&build->iter);
  g_clear_object (&build->versions);
  g_clear_object (&build->protocols);
  g_clear_object (&build->counters);
  g_clear_object (&build->processing);
}

static void
add_int (JsonBuilder *builder,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

/* For timestamptz columns. */
static void
add_time (JsonBuilder *builder,
          const char  *member,
          gint64       unix_time)
{
  g_autoptr(GDateTime) at = unix_time != 0 ? g_date_time_new_from_unix_utc (unix_time) : NULL;
  g_autofree char *text = at != NULL ? g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ") : NULL;

  sp_json_builder_add_string_or_null (builder, member, text);
}

/* As PostgreSQL's to_json() writes a timestamptz in the session's time zone. */
static char *
local_time (SpDemoBuild *build,
            gint64       unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, build->time_zone);

  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    g_assert_not_reached ();
  return json_node_ref (json_parser_get_root (parser));
}

static Actor
actor_for (SpDemoBuild         *build,
           const SpDemoPratica *pratica,
           const SpDemoEvent   *event)
{
  SpDemoActor who = sp_demo_event_actor (event->kind);
  Actor actor = { NULL };

  if ((event->kind == SP_DEMO_EVENT_SUBMIT && pratica->by_partner)
      || (who == SP_DEMO_ACTOR_REGISTRY && pratica->timeline->external && pratica->partner != NULL))
    {
      GStrv people = pratica->partner->operatori;
      guint n = g_strv_length (people);

      actor.kind = "partner";
      actor.role = "partner";
      actor.name = n > 0 ? g_strdup_printf ("%s – %s", pratica->partner->account->name, people[event->at % n])
                         : g_strdup (pratica->partner->account->name);
    }
  else if (who == SP_DEMO_ACTOR_REGISTRY)
    {
      actor.kind = "system";
      actor.role = "sistema";
      actor.name = g_strdup ("Protocollo informatico");
    }
  else if (who == SP_DEMO_ACTOR_OPERATOR)
    {
      actor.kind = "operator";
      actor.role = "operatore";
      actor.username = pratica->operator->username;
      actor.name = g_strdup (pratica->operator->full_name);
    }
  else
    {
      actor.kind = "citizen";
      actor.role = "cittadino";
      actor.name = sp_demo_person_full_name (pratica->citizen);
    }
  return actor;
}

static void
add_entry (SpDemoBuild *build,
           State       *state,
           const char  *numero,
           gint64       at,
           const char  *direction)
{
  JsonObject *entry = json_object_new ();
  g_autofree char *date = local_time (build, at);

  json_object_set_string_member (entry, "numero", numero);
  json_object_set_string_member (entry, "data", date);
  json_object_set_string_member (entry, "registro", "Protocollo generale");
  json_object_set_string_member (entry, "direzione", direction);
  json_array_add_object_element (state->entries, entry);
}

static gboolean
step_fits (JsonObject *step,
           gboolean    accepted)
{
  return accepted || !json_object_get_boolean_member (step, "only_if_approved");
}

/* A save fills the next step; the conclusion fills what is left. Returns the step title. */
static const char *
fill_steps (SpDemoContext       *context,
            const SpDemoPratica *pratica,
            State               *state,
            gboolean             all)
{
  JsonArray *steps = json_node_get_array (pratica->servizio->steps);
  SpStatus final = pratica->timeline->final;
  /* Until the outcome, and for withdrawn pratiche, the checks went well. */
  gboolean favourable = pratica->timeline->accepted || final < SP_STATUS_COMPLETE_WAITING
                        || final == SP_STATUS_WITHDRAWN;
  const char *title = NULL;

  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);
      gboolean only_if_approved = json_object_get_boolean_member (step, "only_if_approved");

      if (json_object_has_member (state->data, json_object_get_string_member (step, "key"))
          || (!all && only_if_approved) || !step_fits (step, pratica->timeline->accepted))
        continue;
      sp_demo_step_data (context, state->data, step, favourable);
      title = json_object_get_string_member (step, "title");
      if (!all)
        break;
    }
  return title;
}

/* Changes @state as @event does; returns the note of the iter row and the version. */
static char *
apply (SpDemoBuild         *build,
       const SpDemoPratica *pratica,
       const SpDemoEvent   *event,
       State               *state)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (event->at);
  SpDemoContext context = { build->rand, pratica->citizen, &pratica->ente->place, build->reference, at };
  const char *title;

  state->status = event->status;
  if (state->concluded_at == 0 && (event->status >= SP_STATUS_COMPLETE_WAITING))
    state->concluded_at = event->at;
  if (state->taken_at == 0 && event->status == SP_STATUS_PENDING)
    state->taken_at = event->at;

  switch (event->kind)
    {
    case SP_DEMO_EVENT_SUBMIT:
      if (pratica->by_partner)
        return g_strdup_printf ("Pratica trasmessa da %s (rif. %s)", pratica->partner->account->name,
                                pratica->external_id);
      return g_strdup ("Domanda presentata online");
    case SP_DEMO_EVENT_PROTOCOL:
      state->protocol_number = event->protocol_number;
      state->protocol_date = event->at;
      if (pratica->timeline->external)
        add_entry (build, state, event->protocol_number, event->at, "arrivo");
      return g_strdup_printf ("Protocollata in arrivo: n. %s", event->protocol_number);
    case SP_DEMO_EVENT_TAKE_CHARGE:
      state->assigned_to = pratica->operator->username;
      return NULL;
    case SP_DEMO_EVENT_REQUEST_INTEGRATION:
      return g_strdup (pratica->integration_note);
    case SP_DEMO_EVENT_SEND_INTEGRATION:
      sp_demo_integrate (&context, state->data, json_node_get_array (pratica->servizio->fields));
      return g_strdup ("Integrazioni inviate dal cittadino");
    case SP_DEMO_EVENT_REGISTER_INTEGRATION:
      if (pratica->timeline->external)
        add_entry (build, state, event->protocol_number, event->at, "arrivo");
      return g_strdup_printf ("Integrazioni protocollate: n. %s", event->protocol_number);
    case SP_DEMO_EVENT_PROCESSING:
      return NULL;
    case SP_DEMO_EVENT_SAVE:
      title = fill_steps (&context, pratica, state, FALSE);
      return title != NULL ? g_strdup_printf ("Compilato: %s", title) : NULL;
    case SP_DEMO_EVENT_CONCLUDE:
      fill_steps (&context, pratica, state, TRUE);
      state->outcome = pratica->timeline->accepted ? "accepted" : "rejected";
      state->motivation = pratica->motivation;
      return g_strdup (pratica->motivation);
    case SP_DEMO_EVENT_REGISTER_RESPONSE:
      if (pratica->timeline->external)
        add_entry (build, state, event->protocol_number, event->at, "risposta");
      return g_strdup_printf ("Esito protocollato in uscita: n. %s", event->protocol_number);
    case SP_DEMO_EVENT_WITHDRAW:
      return g_strdup ("Ritirata su richiesta del cittadino");
    default:
      g_assert_not_reached ();
    }
}

/* A copy of @node that later events do not change. */
static JsonNode *
frozen (JsonNode *node)
{
  g_autofree char *text = sp_json_to_string (node, NULL);

  return parse (text);
}

/* The pratica's state at this version, from which the database's
 * version_snapshot() makes the snapshot as it does for the server's versions. */
static void
add_state (JsonBuilder *b,
           State       *state)
{
  g_autoptr(JsonNode) data = json_node_init_object (json_node_alloc (), state->data);
  g_autoptr(JsonNode) entries = json_node_init_array (json_node_alloc (), state->entries);

  json_builder_set_member_name (b, "data");
  json_builder_add_value (b, frozen (data));
  add_int (b, "status", state->status);
  sp_json_builder_add_string_or_null (b, "assigned_to", state->assigned_to);
  sp_json_builder_add_string_or_null (b, "protocol_number", state->protocol_number);
  add_time (b, "protocol_date", state->protocol_date);
  json_builder_set_member_name (b, "protocol_entries");
  json_builder_add_value (b, frozen (entries));
  sp_json_builder_add_string_or_null (b, "outcome", state->outcome);
  sp_json_builder_add_string_or_null (b, "motivation", state->motivation);
}

static void
add_iter (SpDemoBuild         *build,
          const SpDemoPratica *pratica,
          const SpDemoEvent   *event,
          SpStatus             previous,
          const Actor         *actor,
          const char          *note)
{
  JsonBuilder *b = build->iter;

  json_builder_begin_object (b);
  sp_json_builder_add_string_or_null (b, "pratica_id", pratica->id);
  add_int (b, "status", event->status);
  json_builder_set_member_name (b, "previous_status");
  if (event->kind == SP_DEMO_EVENT_SUBMIT)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, previous);
  add_time (b, "at", event->at);
  sp_json_builder_add_string_or_null (b, "actor_kind", actor->kind);
  sp_json_builder_add_string_or_null (b, "actor_username", actor->username);
  sp_json_builder_add_string_or_null (b, "actor_name", actor->name);
  sp_json_builder_add_string_or_null (b, "note", note);
  json_builder_end_object (b);
}

/* The next version; the database chains it (version_append()). */
static void
add_version (SpDemoBuild         *build,
             const SpDemoPratica *pratica,
             const SpDemoEvent   *event,
             State               *state,
             const Actor         *actor,
             const char          *note)
{
  JsonBuilder *b = build->versions;

  json_builder_begin_object (b);
  sp_json_builder_add_string_or_null (b, "pratica_id", pratica->id);
  add_int (b, "number", ++state->version);
  sp_json_builder_add_string_or_null (b, "operation", sp_demo_event_operation (event->kind));
  sp_json_builder_add_string_or_null (b, "actor_username", actor->username);
  sp_json_builder_add_string_or_null (b, "actor_name", actor->name);
  sp_json_builder_add_string_or_null (b, "actor_role", actor->role);
  add_time (b, "created_at", event->at);
  sp_json_builder_add_string_or_null (b, "note", note);
  add_state (b, state);
  json_builder_end_object (b);
}

static void
add_register (SpDemoBuild         *build,
              const SpDemoPratica *pratica,
              const SpDemoEvent   *event)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (event->at);
  JsonBuilder *b = build->protocols;

  json_builder_begin_object (b);
  sp_json_builder_add_string_or_null (b, "ente", pratica->ente->code);
  add_int (b, "year", g_date_time_get_year (at));
  add_int (b, "number", event->register_number);
  sp_json_builder_add_string_or_null (b, "direction", event->kind == SP_DEMO_EVENT_REGISTER_RESPONSE ? "risposta" : "arrivo");
  add_time (b, "registered_at", event->at);
  sp_json_builder_add_string_or_null (b, "pratica_id", pratica->id);
  json_builder_end_object (b);
}

static void
add_pratica_row (SpDemoBuild         *build,
                 const SpDemoPratica *pratica,
                 State               *state,
                 gint64               updated_at)
{
  JsonBuilder *b = build->rows_pratiche;

  json_builder_begin_object (b);
  sp_json_builder_add_string_or_null (b, "id", pratica->id);
  sp_json_builder_add_string_or_null (b, "ente", pratica->ente->code);
  sp_json_builder_add_string_or_null (b, "servizio", pratica->servizio->slug);
  sp_json_builder_add_string_or_null (b, "numero", pratica->numero);
  sp_json_builder_add_string_or_null (b, "cf", pratica->citizen->codice_fiscale);
  sp_json_builder_add_string_or_null (b, "nome", pratica->citizen->nome);
  sp_json_builder_add_string_or_null (b, "cognome", pratica->citizen->cognome);
  sp_json_builder_add_string_or_null (b, "email", pratica->citizen->email);
  json_builder_set_member_name (b, "data");
  json_builder_add_value (b, json_node_init_object (json_node_alloc (), state->data));
  add_int (b, "status", state->status);
  sp_json_builder_add_string_or_null (b, "assigned_to", state->assigned_to);
  add_time (b, "submitted_at", pratica->submitted);
  add_time (b, "updated_at", updated_at);
  sp_json_builder_add_string_or_null (b, "protocol_number", state->protocol_number);
  add_time (b, "protocol_date", state->protocol_date);
  json_builder_set_member_name (b, "protocol_entries");
  json_builder_add_value (b, json_node_init_array (json_node_alloc (), state->entries));
  sp_json_builder_add_string_or_null (b, "outcome", state->outcome);
  sp_json_builder_add_string_or_null (b, "motivation", state->motivation);
  add_time (b, "concluded_at", state->concluded_at);
  add_time (b, "taken_at", state->taken_at);
  sp_json_builder_add_string_or_null (b, "partner", pratica->by_partner ? pratica->partner->account->slug : NULL);
  sp_json_builder_add_string_or_null (b, "external_id", pratica->external_id);
  json_builder_end_object (b);
}

/**
 * sp_demo_rows_add_pratica:
 *
 * Every event leaves a version; those that change the status also an iter
 * row; registrations by the internal provider a line in the register.
 */
void
sp_demo_rows_add_pratica (SpDemoBuild   *build,
                          SpDemoPratica *pratica)
{
  State state = { 0 };
  GArray *events = pratica->timeline->events;

  state.data = json_node_get_object (pratica->data);
  state.entries = json_array_new ();
  g_hash_table_add (build->applicants, pratica->citizen->codice_fiscale);

  for (guint i = 0; i < events->len; i++)
    {
      const SpDemoEvent *event = &g_array_index (events, SpDemoEvent, i);
      SpStatus previous = state.status;
      g_autofree char *note = apply (build, pratica, event, &state);
      Actor actor = actor_for (build, pratica, event);

      if (sp_demo_event_changes_status (event, previous))
        add_iter (build, pratica, event, previous, &actor, note);
      add_version (build, pratica, event, &state, &actor, note);
      if (event->register_number > 0)
        add_register (build, pratica, event);
      g_free (actor.name);
    }

  add_pratica_row (build, pratica, &state, g_array_index (events, SpDemoEvent, events->len - 1).at);
  json_array_unref (state.entries);
}

void
sp_demo_rows_add_citizens (SpDemoBuild *build,
                           SpDemoEnte  *ente)
{
  for (guint i = 0; i < ente->citizens->len; i++)
    {
      const SpDemoPerson *person = g_ptr_array_index (ente->citizens, i);

      if (!g_hash_table_contains (build->applicants, person->codice_fiscale))
        continue;
      json_builder_begin_object (build->citizens);
      sp_json_builder_add_string_or_null (build->citizens, "codice_fiscale", person->codice_fiscale);
      sp_json_builder_add_string_or_null (build->citizens, "nome", person->nome);
      sp_json_builder_add_string_or_null (build->citizens, "cognome", person->cognome);
      sp_json_builder_add_string_or_null (build->citizens, "email", person->email);
      json_builder_end_object (build->citizens);
    }
}

void
sp_demo_rows_add_counter (SpDemoBuild *build,
                          const char  *ente_code,
                          int          year,
                          int          last)
{
  json_builder_begin_object (build->counters);
  sp_json_builder_add_string_or_null (build->counters, "ente", ente_code);
  add_int (build->counters, "year", year);
  add_int (build->counters, "last", last);
  json_builder_end_object (build->counters);
}
