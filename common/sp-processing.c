/* sp-processing.c: a service's processing steps and an operator's work on a pratica, to and from JSON, and their checks */
#define G_LOG_DOMAIN "sp-processing"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-error.h"
#include "sp-form.h"
#include "sp-json-text.h"
#include "sp-json.h"
#include "sp-pratica.h"
#include "sp-processing.h"

static const char * const type_names[] = {
  [SP_STEP_FIELD_TEXT] = "text",
  [SP_STEP_FIELD_NUMBER] = "number",
  [SP_STEP_FIELD_DATE] = "date",
  [SP_STEP_FIELD_CHOICE] = "choice",
  [SP_STEP_FIELD_CHECKBOX] = "checkbox",
};

/* What a body may carry besides the work itself: what the detail sends back. */
static const char * const read_only_members[] = { "saved_at", "saved_by", NULL };

const char *
sp_step_field_type_to_string (SpStepFieldType type)
{
  return type > SP_STEP_FIELD_INVALID && type < G_N_ELEMENTS (type_names) ? type_names[type] : NULL;
}

SpStepFieldType
sp_step_field_type_from_string (const char *text)
{
  for (guint i = SP_STEP_FIELD_TEXT; text != NULL && i < G_N_ELEMENTS (type_names); i++)
    if (g_str_equal (type_names[i], text))
      return (SpStepFieldType) i;
  return SP_STEP_FIELD_INVALID;
}

static void
step_field_free (SpStepField *field)
{
  g_free (field->key);
  g_free (field->label);
  g_strfreev (field->options);
  g_free (field);
}

void
sp_step_free (SpStep *step)
{
  if (step == NULL)
    return;
  g_free (step->key);
  g_free (step->title);
  g_clear_pointer (&step->fields, g_ptr_array_unref);
  g_free (step);
}

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, message);
  return FALSE;
}

static GStrv
options_from_json (JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *option = sp_json_array_get_string (array, i);

      if (option == NULL || *option == '\0')
        return NULL;
      g_strv_builder_add (builder, option);
    }
  return g_strv_builder_end (builder);
}

static SpStepField *
field_from_json (JsonNode  *node,
                 GError   **error)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  SpStepField *field;
  JsonNode *options;

  if (object == NULL || sp_json_get_string (object, "key", NULL) == NULL)
    {
      invalid (error, "A step field needs a key");
      return NULL;
    }
  field = g_new0 (SpStepField, 1);
  field->key = g_strdup (sp_json_get_string (object, "key", NULL));
  field->label = g_strdup (sp_json_get_string (object, "label", field->key));
  field->type = sp_step_field_type_from_string (sp_json_get_string (object, "type", NULL));
  field->required = sp_json_get_bool (object, "required", FALSE);
  options = json_object_get_member (object, "options");
  if (field->type == SP_STEP_FIELD_CHOICE && options != NULL && JSON_NODE_HOLDS_ARRAY (options))
    field->options = options_from_json (json_node_get_array (options));

  if (field->type == SP_STEP_FIELD_INVALID
      || (field->type == SP_STEP_FIELD_CHOICE && (field->options == NULL || field->options[0] == NULL)))
    {
      invalid (error, "Step field “%s”: the type must be text, number, date, choice (with options) or checkbox",
               field->key);
      step_field_free (field);
      return NULL;
    }
  return field;
}

static SpStep *
step_from_json (JsonNode  *node,
                GError   **error)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autoptr(SpStep) step = NULL;
  JsonNode *fields;

  if (object == NULL || sp_json_get_string (object, "key", NULL) == NULL)
    {
      invalid (error, "A step needs a key");
      return NULL;
    }
  step = g_new0 (SpStep, 1);
  step->key = g_strdup (sp_json_get_string (object, "key", NULL));
  step->title = g_strdup (sp_json_get_string (object, "title", step->key));
  step->only_if_approved = sp_json_get_bool (object, "only_if_approved", FALSE);
  step->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) step_field_free);
  fields = json_object_get_member (object, "fields");
  if (fields == NULL || !JSON_NODE_HOLDS_ARRAY (fields))
    {
      invalid (error, "Step “%s” needs fields", step->key);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (fields)); i++)
    {
      SpStepField *field = field_from_json (json_array_get_element (json_node_get_array (fields), i), error);

      if (field == NULL)
        return NULL;
      g_ptr_array_add (step->fields, field);
    }
  return g_steal_pointer (&step);
}

/**
 * sp_steps_from_json:
 * @array: `[{key, title, only_if_approved, fields: [{key, label, type,
 *   required, options?}]}]`
 *
 * Returns: (transfer full) (element-type SpStep): the steps, or %NULL with
 *   @error set when one of them is not a step
 */
GPtrArray *
sp_steps_from_json (JsonArray  *array,
                    GError    **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_step_free);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      SpStep *step = step_from_json (json_array_get_element (array, i), error);

      if (step == NULL)
        return NULL;
      g_ptr_array_add (steps, step);
    }
  return g_steal_pointer (&steps);
}

void
sp_steps_to_json (GPtrArray   *steps,
                  JsonBuilder *builder)
{
  json_builder_begin_array (builder);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      const SpStep *step = g_ptr_array_index (steps, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, step->key);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, step->title);
      json_builder_set_member_name (builder, "only_if_approved");
      json_builder_add_boolean_value (builder, step->only_if_approved);
      json_builder_set_member_name (builder, "fields");
      json_builder_begin_array (builder);
      for (guint j = 0; j < step->fields->len; j++)
        {
          const SpStepField *field = g_ptr_array_index (step->fields, j);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "key");
          json_builder_add_string_value (builder, field->key);
          json_builder_set_member_name (builder, "label");
          json_builder_add_string_value (builder, field->label);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, sp_step_field_type_to_string (field->type));
          json_builder_set_member_name (builder, "required");
          json_builder_add_boolean_value (builder, field->required);
          if (field->options != NULL)
            {
              json_builder_set_member_name (builder, "options");
              json_builder_begin_array (builder);
              for (guint k = 0; field->options[k] != NULL; k++)
                json_builder_add_string_value (builder, field->options[k]);
              json_builder_end_array (builder);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * sp_step_applies:
 * @esito: (nullable): the outcome chosen so far
 *
 * Returns: whether @step is part of the processing with that outcome: a step
 *   `only_if_approved` is skipped on a rejection
 */
gboolean
sp_step_applies (const SpStep *step,
                 const char   *esito)
{
  return !step->only_if_approved || g_strcmp0 (esito, SP_ESITO_REJECTED) != 0;
}

SpProcessing *
sp_processing_new (void)
{
  SpProcessing *processing = g_new0 (SpProcessing, 1);

  processing->steps = json_object_new ();
  processing->numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return processing;
}

void
sp_processing_free (SpProcessing *processing)
{
  if (processing == NULL)
    return;
  g_free (processing->esito);
  g_free (processing->motivazione);
  g_free (processing->risposta);
  g_clear_pointer (&processing->steps, json_object_unref);
  g_clear_pointer (&processing->saved_at, g_date_time_unref);
  g_free (processing->saved_by);
  g_clear_pointer (&processing->numbers, g_hash_table_unref);
  g_free (processing);
}

/**
 * sp_field_errors_add:
 * @field_errors: (nullable): the `errors` of a 422 problem
 *
 * Appends `{field, message}`.
 */
void
sp_field_errors_add (JsonArray  *field_errors,
                     const char *field,
                     const char *message)
{
  JsonObject *entry;

  if (field_errors == NULL)
    return;
  entry = json_object_new ();
  json_object_set_string_member (entry, "field", field);
  json_object_set_string_member (entry, "message", message);
  json_array_add_object_element (field_errors, entry);
}

/* A string or null member; FALSE (with an error added) for anything else. */
static gboolean
nullable_string (JsonObject  *object,
                 const char  *member,
                 char       **value,
                 JsonArray   *field_errors)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      sp_field_errors_add (field_errors, member, _("Must be text or null"));
      return FALSE;
    }
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

static const SpStep *
find_step (GPtrArray  *steps,
           const char *key)
{
  for (guint i = 0; i < steps->len; i++)
    if (g_str_equal (((SpStep *) g_ptr_array_index (steps, i))->key, key))
      return g_ptr_array_index (steps, i);
  return NULL;
}

static const SpStepField *
find_field (const SpStep *step,
            const char   *key)
{
  for (guint i = 0; i < step->fields->len; i++)
    if (g_str_equal (((SpStepField *) g_ptr_array_index (step->fields, i))->key, key))
      return g_ptr_array_index (step->fields, i);
  return NULL;
}

/* Returns: NULL if @value fits @field, else what is wrong with it. */
static const char *
check_value (const SpStepField *field,
             JsonNode          *value)
{
  GType type = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;
  const char *text = type == G_TYPE_STRING ? json_node_get_string (value) : NULL;

  if (JSON_NODE_HOLDS_NULL (value))
    return NULL;
  if (field->type == SP_STEP_FIELD_TEXT && text != NULL && g_utf8_strlen (text, -1) > SP_PROCESSING_MAX_TEXT)
    return _("The text is too long");
  return sp_form_check_value (sp_step_field_type_to_string (field->type), (const char * const *) field->options,
                              value);
}

/* Copies the values of one step, checking each against its field. */
static void
step_values_from_json (const SpStep *step,
                       JsonNode     *node,
                       JsonObject   *into,
                       JsonArray    *field_errors)
{
  g_autofree char *path = g_strconcat ("steps.", step->key, NULL);
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sp_field_errors_add (field_errors, path, _("Must be an object of field values"));
      return;
    }
  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *field_path = g_strconcat (path, ".", (const char *) l->data, NULL);
      const SpStepField *field = find_field (step, l->data);
      JsonNode *value = json_object_get_member (json_node_get_object (node), l->data);
      const char *problem = field != NULL ? check_value (field, value) : _("Not a field of this step");

      if (problem != NULL)
        sp_field_errors_add (field_errors, field_path, problem);
      else
        json_object_set_member (values, l->data, json_node_copy (value));
    }
  json_object_set_object_member (into, step->key, g_steal_pointer (&values));
}

/**
 * sp_processing_from_json:
 * @object: `{esito, motivazione, risposta, steps}` (as a PUT body, or the
 *   detail's `processing`)
 * @steps: (nullable) (element-type SpStep): the service's steps; when given,
 *   every value is checked against them and what does not fit is reported
 * @field_errors: (nullable): where to add `{field, message}` for each
 *   problem (in the current locale)
 *
 * Reads the work as far as it is valid: a saved work may be incomplete
 * (sp_processing_check_complete() says whether it can be concluded).
 *
 * Returns: (transfer full): the work
 */
SpProcessing *
sp_processing_from_json (JsonObject *object,
                         GPtrArray  *steps,
                         JsonArray  *field_errors)
{
  g_autoptr(SpProcessing) processing = sp_processing_new ();
  g_autoptr(GList) members = json_object_get_members (object);
  JsonNode *steps_node = json_object_get_member (object, "steps");
  const char *saved_by = sp_json_get_string (object, "saved_by", NULL);

  for (GList *l = members; steps != NULL && l != NULL; l = l->next)
    if (!g_str_equal (l->data, "esito") && !g_str_equal (l->data, "motivazione") && !g_str_equal (l->data, "risposta")
        && !g_str_equal (l->data, "steps") && !g_strv_contains (read_only_members, l->data))
      sp_field_errors_add (field_errors, l->data, _("Unknown member"));

  if (nullable_string (object, "esito", &processing->esito, field_errors) && processing->esito != NULL
      && !g_str_equal (processing->esito, SP_ESITO_ACCEPTED) && !g_str_equal (processing->esito, SP_ESITO_REJECTED))
    {
      sp_field_errors_add (field_errors, "esito", _("Must be “accepted” or “rejected”"));
      g_clear_pointer (&processing->esito, g_free);
    }
  if (nullable_string (object, "motivazione", &processing->motivazione, field_errors)
      && processing->motivazione != NULL && g_utf8_strlen (processing->motivazione, -1) > SP_PROCESSING_MAX_TEXT)
    sp_field_errors_add (field_errors, "motivazione", _("The text is too long"));
  if (nullable_string (object, "risposta", &processing->risposta, field_errors)
      && processing->risposta != NULL && !g_uuid_string_is_valid (processing->risposta))
    {
      sp_field_errors_add (field_errors, "risposta", _("Not a document of this application"));
      g_clear_pointer (&processing->risposta, g_free);
    }

  if (steps_node != NULL && JSON_NODE_HOLDS_OBJECT (steps_node))
    {
      g_autoptr(GList) keys = json_object_get_members (json_node_get_object (steps_node));

      for (GList *l = keys; l != NULL; l = l->next)
        {
          JsonNode *values = json_object_get_member (json_node_get_object (steps_node), l->data);
          const SpStep *step = steps != NULL ? find_step (steps, l->data) : NULL;

          if (step != NULL)
            step_values_from_json (step, values, processing->steps, field_errors);
          else if (steps == NULL && JSON_NODE_HOLDS_OBJECT (values))
            json_object_set_object_member (processing->steps, l->data,
                                           json_object_ref (json_node_get_object (values)));
          else
            {
              g_autofree char *path = g_strconcat ("steps.", (const char *) l->data, NULL);

              sp_field_errors_add (field_errors, path, _("Not a step of this service"));
            }
        }
    }
  else if (steps_node != NULL && !JSON_NODE_HOLDS_NULL (steps_node))
    sp_field_errors_add (field_errors, "steps", _("Must be an object with the values of each step"));

  processing->saved_at = sp_json_get_datetime (object, "saved_at");
  processing->saved_by = g_strdup (saved_by);
  return g_steal_pointer (&processing);
}

void
sp_processing_to_json (SpProcessing *processing,
                       JsonBuilder  *builder)
{
  JsonNode *steps = json_node_init_object (json_node_alloc (), processing->steps);

  json_builder_begin_object (builder);
  sp_json_builder_add_string_or_null (builder, "esito", processing->esito);
  sp_json_builder_add_string_or_null (builder, "motivazione", processing->motivazione);
  sp_json_builder_add_string_or_null (builder, "risposta", processing->risposta);
  json_builder_set_member_name (builder, "steps");
  json_builder_add_value (builder, steps);
  sp_json_add_datetime (builder, "saved_at", processing->saved_at);
  sp_json_builder_add_string_or_null (builder, "saved_by", processing->saved_by);
  json_builder_end_object (builder);
}

/* Where sp_processing_set_number() keeps a number: keys have no U+001F. */
static char *
number_key (const char *step,
            const char *field)
{
  return g_strconcat (step, "\x1f", field, NULL);
}

/**
 * sp_processing_set_number:
 * @number: (nullable): the text of the value of @field in @step, a JSON
 *   number (sp_json_number_is_valid()); %NULL forgets it
 *
 * Keeps the digits of a number value of @steps as typed or stored, for
 * sp_processing_append_json() to write and for people to read.
 */
void
sp_processing_set_number (SpProcessing *processing,
                          const char   *step,
                          const char   *field,
                          const char   *number)
{
  g_return_if_fail (number == NULL || sp_json_number_is_valid (number, strlen (number)));

  if (number != NULL)
    g_hash_table_replace (processing->numbers, number_key (step, field), g_strdup (number));
  else
    {
      g_autofree char *key = number_key (step, field);

      g_hash_table_remove (processing->numbers, key);
    }
}

/**
 * sp_processing_get_number:
 *
 * Returns: (nullable): the text of the number value of @field in @step,
 *   when it is a number whose text is known
 */
const char *
sp_processing_get_number (SpProcessing *processing,
                          const char   *step,
                          const char   *field)
{
  g_autofree char *key = NULL;
  JsonObject *values;
  JsonNode *value;

  if (!json_object_has_member (processing->steps, step)
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (processing->steps, step)))
    return NULL;
  values = json_object_get_object_member (processing->steps, step);
  value = json_object_get_member (values, field);
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value)
      || (json_node_get_value_type (value) != G_TYPE_INT64 && json_node_get_value_type (value) != G_TYPE_DOUBLE))
    return NULL;
  key = number_key (step, field);
  return g_hash_table_lookup (processing->numbers, key);
}

/**
 * sp_processing_read_numbers:
 * @tape: the JSON text the values of @processing were read from
 * @steps: the node in @tape of an object whose members are the steps'
 *   values (`{step_key: {field_key: value}}`): the `steps` of a body or a
 *   detail, or the pratica's data
 *
 * Keeps the text of every number value of @processing's steps as @tape
 * writes it (sp_processing_set_number()).
 */
void
sp_processing_read_numbers (SpProcessing     *processing,
                            const SpJsonTape *tape,
                            guint32           steps)
{
  g_autoptr(GList) keys = NULL;

  if (steps == SP_JSON_TAPE_NONE || tape->nodes[steps].type != SP_JSON_TAPE_OBJECT)
    return;
  keys = json_object_get_members (processing->steps);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      guint32 step = sp_json_tape_lookup (tape, steps, l->data, strlen (l->data));
      JsonNode *node = json_object_get_member (processing->steps, l->data);
      g_autoptr(GList) fields = NULL;

      if (step == SP_JSON_TAPE_NONE || tape->nodes[++step].type != SP_JSON_TAPE_OBJECT
          || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      fields = json_object_get_members (json_node_get_object (node));
      for (GList *f = fields; f != NULL; f = f->next)
        {
          guint32 field = sp_json_tape_lookup (tape, step, f->data, strlen (f->data));
          g_autofree char *number = NULL;

          if (field == SP_JSON_TAPE_NONE || tape->nodes[++field].type != SP_JSON_TAPE_NUMBER)
            continue;
          number = g_strndup (sp_json_tape_text (tape, field), tape->nodes[field].len);
          sp_processing_set_number (processing, l->data, f->data, number);
        }
    }
}

/* The steps' values, with each number whose text is known written so. */
static void
append_steps (SpProcessing *processing,
              GString      *out)
{
  g_autoptr(GList) keys = json_object_get_members (processing->steps);

  sp_json_text_begin_object (out);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (processing->steps, l->data);
      g_autoptr(GList) fields = NULL;

      sp_json_text_member (out, l->data);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          sp_json_text_add_node (out, node);
          continue;
        }
      fields = json_object_get_members (json_node_get_object (node));
      sp_json_text_begin_object (out);
      for (GList *f = fields; f != NULL; f = f->next)
        {
          const char *number = sp_processing_get_number (processing, l->data, f->data);

          sp_json_text_member (out, f->data);
          if (number != NULL)
            sp_json_text_add_number (out, number);
          else
            sp_json_text_add_node (out, json_object_get_member (json_node_get_object (node), f->data));
        }
      sp_json_text_end_object (out);
    }
  sp_json_text_end_object (out);
}

/**
 * sp_processing_append_json:
 * @with_saved: write `saved_at` and `saved_by` too (what the server
 *   records itself, not sent by a client)
 * @out: where the JSON text goes
 *
 * As sp_processing_to_json(), with the numbers of the steps' values as
 * typed or stored (sp_processing_set_number()), never rounded by a double.
 */
void
sp_processing_append_json (SpProcessing *processing,
                           gboolean      with_saved,
                           GString      *out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  sp_processing_to_json (processing, builder);
  root = json_builder_get_root (builder);
  object = json_node_get_object (root);
  members = json_object_get_members (object);
  sp_json_text_begin_object (out);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!with_saved && g_strv_contains (read_only_members, l->data))
        continue;
      sp_json_text_member (out, l->data);
      if (g_str_equal (l->data, "steps"))
        append_steps (processing, out);
      else
        sp_json_text_add_node (out, json_object_get_member (object, l->data));
    }
  sp_json_text_end_object (out);
}

static gboolean
is_empty (JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (value)));

      return *text == '\0';
    }
  /* A required checkbox is a declaration the operator must tick. */
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    return !json_node_get_boolean (value);
  return FALSE;
}

/**
 * sp_processing_check_complete:
 * @steps: (element-type SpStep): the service's steps
 * @field_errors: (nullable): where to add `{field, message}` for what is missing
 *
 * Whether the work can be concluded: an outcome, a motivation for a
 * rejection, the response file, and every required field of the steps that
 * apply with that outcome (sp_step_applies()).
 *
 * Returns: %TRUE if nothing is missing
 */
gboolean
sp_processing_check_complete (SpProcessing *processing,
                              GPtrArray    *steps,
                              JsonArray    *field_errors)
{
  gboolean complete = TRUE;
  g_autofree char *motivazione = g_strstrip (g_strdup (processing->motivazione != NULL ? processing->motivazione : ""));

  if (processing->esito == NULL)
    {
      sp_field_errors_add (field_errors, "esito", _("Choose whether the application is accepted or rejected"));
      complete = FALSE;
    }
  if (g_strcmp0 (processing->esito, SP_ESITO_REJECTED) == 0 && *motivazione == '\0')
    {
      sp_field_errors_add (field_errors, "motivazione", _("A motivation is required to reject the application"));
      complete = FALSE;
    }
  if (processing->risposta == NULL)
    {
      sp_field_errors_add (field_errors, "risposta", _("Upload the response file"));
      complete = FALSE;
    }

  for (guint i = 0; i < steps->len; i++)
    {
      const SpStep *step = g_ptr_array_index (steps, i);
      JsonNode *values = json_object_get_member (processing->steps, step->key);
      JsonObject *object = values != NULL && JSON_NODE_HOLDS_OBJECT (values) ? json_node_get_object (values) : NULL;

      if (!sp_step_applies (step, processing->esito))
        continue;
      for (guint j = 0; j < step->fields->len; j++)
        {
          const SpStepField *field = g_ptr_array_index (step->fields, j);
          g_autofree char *path = NULL;

          if (!field->required || (object != NULL && !is_empty (json_object_get_member (object, field->key))))
            continue;
          path = g_strdup_printf ("steps.%s.%s", step->key, field->key);
          sp_field_errors_add (field_errors, path, _("This field is required"));
          complete = FALSE;
        }
    }
  return complete;
}
