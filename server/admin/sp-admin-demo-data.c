/* sp-admin-demo-data.c: demo form data that follows a servizio's field schema, nested groups included; texts from data/demo/form-texts.json */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include <string.h>

#include "sp-admin-demo.h"

/* Whose data the fields of the current group describe. */
typedef struct
{
  const SpDemoPerson *person;
  const char         *via;
  const char         *civico;
  const char         *company;
  const char         *partita_iva;
  const char         *group;
} Scope;

static int
random_between (SpDemoContext *context,
                int            low,
                int            high)
{
  return g_rand_int_range (context->rand, low, high + 1);
}

char *
sp_demo_format_date (GDateTime *datetime)
{
  return g_date_time_format (datetime, "%Y-%m-%d");
}

static JsonNode *
date_node (GDateTime *base,
           int        days)
{
  g_autoptr(GDateTime) day = g_date_time_add_days (base, days);
  g_autofree char *text = sp_demo_format_date (day);

  return json_node_init_string (json_node_alloc (), text);
}

/* When a nursery place starts: in September, or in January for late applications. */
static JsonNode *
school_start_node (GDateTime *at)
{
  char text[16];

  if (g_date_time_get_month (at) < 9)
    g_snprintf (text, sizeof text, "%d-09-01", g_date_time_get_year (at));
  else
    g_snprintf (text, sizeof text, "%d-01-07", g_date_time_get_year (at) + 1);
  return json_node_init_string (json_node_alloc (), text);
}

static JsonNode *
string_node (const char *text)
{
  return json_node_init_string (json_node_alloc (), text);
}

static JsonNode *
take_string_node (char *text)
{
  JsonNode *node = string_node (text);

  g_free (text);
  return node;
}

static JsonNode *
int_node (gint64 value)
{
  return json_node_init_int (json_node_alloc (), value);
}

static JsonNode *
birth_node (const SpDemoPerson *person)
{
  char text[16];

  g_snprintf (text, sizeof text, "%04d-%02d-%02d", g_date_get_year (&person->birth),
              g_date_get_month (&person->birth), g_date_get_day (&person->birth));
  return string_node (text);
}

static const char *
option_at (JsonObject *field,
           guint       index)
{
  JsonArray *options = json_object_get_array_member (field, "options");
  JsonNode *option = json_array_get_element (options, index % json_array_get_length (options));

  if (JSON_NODE_HOLDS_OBJECT (option))
    return json_object_get_string_member (json_node_get_object (option), "value");
  return json_node_get_string (option);
}

static JsonNode *
random_option (SpDemoContext *context,
               JsonObject    *field)
{
  JsonArray *options = json_object_get_array_member (field, "options");

  return string_node (option_at (field, g_rand_int_range (context->rand, 0, json_array_get_length (options))));
}

/* The value of a leaf field, chosen by its key, its group and its type. */
static JsonNode *
leaf_value (SpDemoContext *context,
            const Scope   *scope,
            JsonObject    *field)
{
  const char *key = json_object_get_string_member (field, "key");
  const char *type = json_object_get_string_member (field, "type");
  const SpDemoPerson *person = scope->person;
  GRand *rand = context->rand;

  if (g_str_equal (type, "select"))
    return random_option (context, field);
  if (g_str_equal (type, "checkbox"))
    return json_node_init_boolean (json_node_alloc (),
                                   json_object_get_boolean_member (field, "required")
                                   || g_rand_int_range (rand, 0, 3) == 0);

  if (g_str_equal (key, "nome")) return string_node (person->nome);
  if (g_str_equal (key, "cognome")) return string_node (person->cognome);
  if (g_str_equal (key, "codice_fiscale")) return string_node (person->codice_fiscale);
  if (g_str_equal (key, "data_nascita")) return birth_node (person);
  if (g_str_equal (key, "luogo_nascita")) return string_node (person->luogo_nascita);
  if (g_str_equal (key, "email")) return string_node (person->email);
  if (g_str_equal (key, "telefono")) return string_node (person->telefono);
  if (g_str_equal (key, "via")) return string_node (scope->via);
  if (g_str_equal (key, "civico")) return string_node (scope->civico);
  if (g_str_equal (key, "cap")) return string_node (context->place->cap);
  if (g_str_equal (key, "comune")) return string_node (context->place->comune);
  if (g_str_equal (key, "provincia")) return string_node (context->place->provincia);
  if (g_str_equal (key, "ragione_sociale")) return string_node (scope->company);
  if (g_str_equal (key, "partita_iva")) return string_node (scope->partita_iva);
  if (g_str_equal (key, "pec") && g_strcmp0 (scope->group, "tecnico") == 0)
    {
      g_autofree char *local = g_strndup (person->email, strcspn (person->email, "@"));

      return take_string_node (g_strdup_printf ("%s@pec.ordine.example", local));
    }
  if (g_str_equal (key, "pec")) return string_node ("amministrazione@pec.impresa.example");
  if (g_str_equal (key, "iban")) return take_string_node (sp_demo_iban (rand));
  if (g_str_equal (key, "intestatario")) return take_string_node (sp_demo_person_full_name (context->applicant));
  if (g_str_equal (key, "proprietario")) return string_node ("Immobiliare Scaligera S.r.l.");
  if (g_str_equal (key, "foglio")) return take_string_node (g_strdup_printf ("%d", random_between (context, 1, 42)));
  if (g_str_equal (key, "particella")) return take_string_node (g_strdup_printf ("%d", random_between (context, 10, 980)));
  if (g_str_equal (key, "subalterno")) return take_string_node (g_strdup_printf ("%d", random_between (context, 1, 24)));
  if (g_str_equal (key, "numero_iscrizione"))
    return take_string_node (g_strdup_printf ("VR-%04d", random_between (context, 800, 4999)));
  if (g_str_equal (key, "protocollo_dsu"))
    return take_string_node (g_strdup_printf ("INPS-ISEE-%d-%08d-00", g_date_time_get_year (context->at),
                                              random_between (context, 10000000, 99999999)));
  if (g_str_equal (key, "estremi_registrazione"))
    return take_string_node (g_strdup_printf ("Serie 3T n. %06d – Agenzia delle Entrate, Verona",
                                              random_between (context, 1000, 99999)));
  if (g_str_equal (key, "rilasciata_da")) return string_node ("ULSS 9 Scaligera – Ufficio medico-legale");
  if (g_str_equal (key, "numero_certificato"))
    return take_string_node (g_strdup_printf ("ML/%d/%05d", g_date_time_get_year (context->at) - 1,
                                              random_between (context, 100, 9999)));
  if (g_str_equal (key, "contrassegno_precedente"))
    return take_string_node (g_strdup_printf ("VR%07d", random_between (context, 100000, 999999)));
  if (g_str_equal (key, "riferimento_esenzione")) return string_node ("DPR 642/1972, allegato B, art. 9");
  if (g_str_equal (key, "codice_utente"))
    return take_string_node (g_strdup_printf ("TARI-%06d", random_between (context, 1000, 99999)));
  if (g_str_equal (key, "descrizione") && g_strcmp0 (scope->group, "intervento") == 0)
    return string_node (sp_demo_pick (rand, sp_demo_list ("lavori")));
  if (g_str_equal (key, "descrizione")) return string_node (sp_demo_pick (rand, sp_demo_list ("occupazioni")));
  if (g_str_equal (key, "note")) return string_node (sp_demo_pick (rand, sp_demo_list ("note")));

  if (g_str_equal (type, "number"))
    {
      if (g_str_equal (key, "valore")) return int_node (random_between (context, 2500, 38000));
      if (g_str_equal (key, "canone_mensile")) return int_node (random_between (context, 35, 95) * 10);
      if (g_str_equal (key, "importo_lavori")) return int_node (random_between (context, 8, 180) * 1000);
      if (g_str_equal (key, "superficie_mq")) return int_node (random_between (context, 4, 80));
      if (g_str_equal (key, "componenti")) return int_node (random_between (context, 1, 6));
      if (g_str_equal (key, "minori")) return int_node (random_between (context, 0, 3));
      if (g_str_equal (key, "invalidi")) return int_node (random_between (context, 0, 1));
      if (g_str_equal (key, "copie")) return int_node (random_between (context, 1, 3));
      return int_node (random_between (context, 1, 10));
    }
  if (g_str_equal (type, "date"))
    {
      if (g_str_equal (key, "data_inizio") && g_strcmp0 (scope->group, "occupazione") == 0)
        return date_node (context->at, random_between (context, 10, 40));
      if (g_str_equal (key, "data_fine")) return date_node (context->at, random_between (context, 45, 100));
      if (g_str_equal (key, "data_inizio"))
        return school_start_node (context->at);
      if (g_str_equal (key, "data_inizio_lavori")) return date_node (context->at, random_between (context, 1, 30));
      if (g_str_equal (key, "data_stipula")) return date_node (context->at, -random_between (context, 60, 1400));
      if (g_str_equal (key, "data_rilascio")) return date_node (context->at, -random_between (context, 10, 700));
      return date_node (context->at, -random_between (context, 0, 365));
    }
  if (g_str_equal (type, "email")) return string_node (person->email);
  if (g_str_equal (type, "textarea")) return string_node (sp_demo_pick (rand, sp_demo_list ("annotazioni")));
  return take_string_node (g_strdup_printf ("%s %d", json_object_get_string_member (field, "label"),
                                            random_between (context, 1, 99)));
}

static JsonObject *fill_object (SpDemoContext *context, const Scope *scope, JsonArray *fields);

/* A group's scope: who or what its fields describe. */
static JsonNode *
group_value (SpDemoContext *context,
             const Scope   *outer,
             JsonObject    *field)
{
  const char *key = json_object_get_string_member (field, "key");
  g_autoptr(SpDemoPerson) other = NULL;
  g_autofree char *partita_iva = NULL;
  char civico[16];
  Scope scope = *outer;
  g_autoptr(JsonObject) object = NULL;

  scope.group = key;
  if (g_str_equal (key, "richiedente"))
    {
      scope.person = context->applicant;
      scope.via = context->applicant->via;
      scope.civico = context->applicant->civico;
    }
  else if (g_str_equal (key, "bambino"))
    scope.person = other = sp_demo_person_new (context->rand, context->at, 0, 1,
                                               context->applicant->cognome, context->place);
  else if (g_str_equal (key, "beneficiario"))
    scope.person = other = sp_demo_person_new (context->rand, context->now, 70, 92,
                                               context->applicant->cognome, context->place);
  else if (g_str_equal (key, "tecnico"))
    scope.person = other = sp_demo_person_new (context->rand, context->now, 30, 64, NULL, context->place);
  else if (g_str_has_prefix (key, "impresa"))
    {
      scope.company = sp_demo_pick (context->rand, sp_demo_list ("companies"));
      scope.partita_iva = partita_iva = sp_demo_partita_iva (context->rand);
    }
  else if (!g_str_equal (outer->group, "richiedente"))
    {
      /* An address that is not the applicant's: a property, a stretch of road. */
      g_snprintf (civico, sizeof civico, "%d", random_between (context, 1, 90));
      scope.via = sp_demo_pick (context->rand, sp_demo_list ("streets"));
      scope.civico = civico;
    }

  object = fill_object (context, &scope, json_object_get_array_member (field, "fields"));
  return json_node_init_object (json_node_alloc (), object);
}

static JsonObject *
fill_object (SpDemoContext *context,
             const Scope   *scope,
             JsonArray     *fields)
{
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *field = json_array_get_object_element (fields, i);
      const char *key = json_object_get_string_member (field, "key");
      gboolean required = json_object_get_boolean_member (field, "required");
      gboolean group = g_str_equal (json_object_get_string_member (field, "type"), "group");

      /* Optional groups are filled half of the time, optional values most of the time. */
      if (!required && g_rand_int_range (context->rand, 0, 10) >= (group ? 5 : 7))
        continue;
      json_object_set_member (object, key, group ? group_value (context, scope, field)
                                                 : leaf_value (context, scope, field));
    }
  return object;
}

/**
 * sp_demo_form_data:
 *
 * Returns: an object following @fields: required fields always, optional ones often
 */
JsonNode *
sp_demo_form_data (SpDemoContext *context,
                   JsonArray     *fields)
{
  Scope scope = { context->applicant, context->applicant->via, context->applicant->civico,
                  "Edil Roccaverde S.r.l.", "01234560235", "" };
  g_autoptr(JsonObject) object = fill_object (context, &scope, fields);

  /* The node takes its own reference. */
  return json_node_init_object (json_node_alloc (), object);
}

/* The value an operator writes in a processing step. */
static JsonNode *
step_value (SpDemoContext *context,
            JsonObject    *data,
            JsonObject    *field,
            gboolean       approved)
{
  const char *key = json_object_get_string_member (field, "key");
  const char *type = json_object_get_string_member (field, "type");

  if (g_str_equal (type, "checkbox"))
    return json_node_init_boolean (json_node_alloc (),
                                   json_object_get_boolean_member (field, "required") || approved);
  if (g_str_equal (type, "choice"))
    {
      /* The first option is the favourable one, the last the unfavourable one. */
      JsonArray *options = json_object_get_array_member (field, "options");

      if (g_str_equal (key, "nido_assegnato") && json_object_has_member (data, "nido_preferito"))
        return string_node (json_object_get_string_member (data, "nido_preferito"));
      if (!approved)
        return string_node (option_at (field, json_array_get_length (options) - 1));
      return string_node (option_at (field, g_rand_int_range (context->rand, 0, 3) == 0 ? 1 : 0));
    }
  if (g_str_equal (type, "date"))
    {
      if (g_str_equal (key, "data_scadenza")) return date_node (context->at, 5 * 365);
      if (g_str_equal (key, "data_inserimento"))
        return school_start_node (context->at);
      if (g_str_has_prefix (key, "scadenza") || g_str_has_prefix (key, "data_liquidazione"))
        return date_node (context->at, random_between (context, 20, 45));
      return date_node (context->at, 0);
    }
  if (g_str_equal (type, "number"))
    {
      if (g_str_equal (key, "punteggio")) return int_node (random_between (context, 12, 58));
      if (g_str_equal (key, "posizione")) return int_node (random_between (context, 1, 90));
      if (g_str_equal (key, "retta_mensile")) return int_node (random_between (context, 12, 48) * 10);
      if (g_str_equal (key, "importo_canone")) return int_node (random_between (context, 40, 900));
      if (g_str_equal (key, "importo_riconosciuto")) return int_node (random_between (context, 6, 24) * 100);
      if (g_str_equal (key, "mensilita")) return int_node (random_between (context, 3, 12));
      return int_node (random_between (context, 1, 100));
    }
  if (g_str_equal (key, "tecnico_istruttore")) return string_node (sp_demo_pick (context->rand, sp_demo_list ("istruttori")));
  if (g_str_equal (key, "prescrizioni")) return string_node (sp_demo_pick (context->rand, sp_demo_list ("prescrizioni")));
  if (g_str_has_prefix (key, "note")) return string_node (sp_demo_pick (context->rand, sp_demo_list ("annotazioni")));
  if (g_str_equal (key, "numero_sue"))
    return take_string_node (g_strdup_printf ("SUE/%d/%04d", g_date_time_get_year (context->at),
                                              random_between (context, 100, 999)));
  if (g_str_equal (key, "determina"))
    return take_string_node (g_strdup_printf ("DD %d/%d", random_between (context, 100, 900),
                                              g_date_time_get_year (context->at)));
  if (g_str_equal (key, "codice_avviso"))
    return take_string_node (g_strdup_printf ("3010%07d%07d", random_between (context, 1000000, 9999999),
                                              random_between (context, 1000000, 9999999)));
  if (g_str_equal (key, "numero_contrassegno"))
    return take_string_node (g_strdup_printf ("IT-VR-%06d", random_between (context, 100000, 999999)));
  return take_string_node (g_strdup_printf ("%s %d", json_object_get_string_member (field, "label"),
                                            random_between (context, 1, 99)));
}

/**
 * sp_demo_step_data:
 *
 * Writes the values of a processing step into @data under the step's key.
 */
void
sp_demo_step_data (SpDemoContext *context,
                   JsonObject    *data,
                   JsonObject    *step,
                   gboolean       approved)
{
  JsonArray *fields = json_object_get_array_member (step, "fields");
  JsonObject *values = json_object_new ();

  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *field = json_array_get_object_element (fields, i);

      if (!json_object_get_boolean_member (field, "required") && g_rand_int_range (context->rand, 0, 3) == 0)
        continue;
      json_object_set_member (values, json_object_get_string_member (field, "key"),
                              step_value (context, data, field, approved));
    }
  json_object_set_object_member (data, json_object_get_string_member (step, "key"), values);
}

typedef struct
{
  JsonObject *parent;
  JsonObject *field;
} Slot;

/* Leaf fields of present groups, split into filled and missing ones. */
static void
collect_slots (JsonObject *data,
               JsonArray  *fields,
               GArray     *filled,
               GArray     *missing)
{
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *field = json_array_get_object_element (fields, i);
      const char *key = json_object_get_string_member (field, "key");
      const char *type = json_object_get_string_member (field, "type");
      Slot slot = { data, field };

      if (g_str_equal (type, "group"))
        {
          if (json_object_has_member (data, key))
            collect_slots (json_object_get_object_member (data, key),
                           json_object_get_array_member (field, "fields"), filled, missing);
        }
      else if (g_str_equal (type, "text") || g_str_equal (type, "textarea") || g_str_equal (type, "number"))
        g_array_append_val (json_object_has_member (data, key) ? filled : missing, slot);
    }
}

/**
 * sp_demo_integrate:
 *
 * What a citizen's integration changes: a missing optional value is added,
 * often one value is corrected and sometimes an optional one is cleared, so
 * that comparing the versions shows every colour.
 */
void
sp_demo_integrate (SpDemoContext *context,
                   JsonObject    *data,
                   JsonArray     *fields)
{
  g_autoptr(GArray) filled = g_array_new (FALSE, FALSE, sizeof (Slot));
  g_autoptr(GArray) missing = g_array_new (FALSE, FALSE, sizeof (Slot));
  Scope scope = { context->applicant, context->applicant->via, context->applicant->civico,
                  "Edil Roccaverde S.r.l.", "01234560235", "" };

  collect_slots (data, fields, filled, missing);
  if (missing->len > 0)
    {
      Slot *slot = &g_array_index (missing, Slot, g_rand_int_range (context->rand, 0, missing->len));

      json_object_set_member (slot->parent, json_object_get_string_member (slot->field, "key"),
                              leaf_value (context, &scope, slot->field));
    }
  /* Correct a value, always when nothing was missing; never a name, which the codice fiscale fixes. */
  for (int tries = 0; filled->len > 0 && tries < 8 && (missing->len == 0 || g_rand_boolean (context->rand)); tries++)
    {
      Slot *slot = &g_array_index (filled, Slot, g_rand_int_range (context->rand, 0, filled->len));
      const char *key = json_object_get_string_member (slot->field, "key");

      if (g_str_equal (key, "nome") || g_str_equal (key, "cognome") || g_str_equal (key, "codice_fiscale"))
        continue;
      json_object_set_member (slot->parent, key, leaf_value (context, &scope, slot->field));
      break;
    }
  if (filled->len > 0 && g_rand_int_range (context->rand, 0, 4) == 0)
    {
      Slot *slot = &g_array_index (filled, Slot, g_rand_int_range (context->rand, 0, filled->len));

      if (!json_object_get_boolean_member (slot->field, "required"))
        json_object_remove_member (slot->parent, json_object_get_string_member (slot->field, "key"));
    }
}
