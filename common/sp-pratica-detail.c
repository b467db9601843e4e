/* sp-pratica-detail.c: what the detail page shows of a pratica (form, iter, documents, protocol registrations, Elabora's work), to and from JSON */
#define G_LOG_DOMAIN "sp-pratica"

#include "config.h"

#include "sp-error.h"
#include "sp-form.h"
#include "sp-json-tape.h"
#include "sp-json-text.h"
#include "sp-json.h"
#include "sp-pratica-detail.h"

void
sp_iter_entry_free (SpIterEntry *entry)
{
  if (entry == NULL)
    return;
  g_clear_pointer (&entry->at, g_date_time_unref);
  g_free (entry->actor_kind);
  g_free (entry->actor_name);
  g_free (entry->note);
  g_free (entry);
}

void
sp_document_info_free (SpDocumentInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->kind);
  g_free (info->filename);
  g_free (info->mime_type);
  g_free (info->sha256);
  g_free (info->signer);
  g_clear_pointer (&info->created_at, g_date_time_unref);
  g_free (info);
}

SpPraticaDetail *
sp_pratica_detail_new (void)
{
  SpPraticaDetail *detail = g_new0 (SpPraticaDetail, 1);

  detail->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_form_field_free);
  detail->iter = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_iter_entry_free);
  detail->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_document_info_free);
  detail->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_step_free);
  detail->protocols = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_protocol_record_free);
  return detail;
}

void
sp_pratica_detail_free (SpPraticaDetail *detail)
{
  if (detail == NULL)
    return;
  g_clear_object (&detail->summary);
  g_clear_pointer (&detail->protocol_date, g_date_time_unref);
  g_free (detail->outcome);
  g_free (detail->motivation);
  g_ptr_array_unref (detail->fields);
  g_ptr_array_unref (detail->iter);
  g_ptr_array_unref (detail->documents);
  g_clear_pointer (&detail->processing, sp_processing_free);
  g_ptr_array_unref (detail->steps);
  g_ptr_array_unref (detail->protocols);
  g_free (detail);
}

/**
 * sp_pratica_detail_mark_main_protocol:
 *
 * Marks the first of the protocol records whose number is the pratica's
 * main protocol number (`pratica.protocol_number`), and no other.
 */
void
sp_pratica_detail_mark_main_protocol (SpPraticaDetail *detail)
{
  const char *main_number = sp_pratica_summary_get_data (detail->summary)->protocol_number;
  gboolean found = FALSE;

  for (guint i = 0; i < detail->protocols->len; i++)
    {
      SpProtocolRecord *record = g_ptr_array_index (detail->protocols, i);

      record->main = !found && main_number != NULL && g_strcmp0 (record->number, main_number) == 0;
      found = found || record->main;
    }
}

static void
iter_to_json (GPtrArray   *iter,
              JsonBuilder *builder)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < iter->len; i++)
    {
      const SpIterEntry *entry = g_ptr_array_index (iter, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, entry->status);
      json_builder_set_member_name (builder, "previous_status");
      if (entry->previous_status != SP_STATUS_INVALID)
        json_builder_add_int_value (builder, entry->previous_status);
      else
        json_builder_add_null_value (builder);
      sp_json_add_datetime (builder, "at", entry->at);
      sp_json_builder_add_string_or_null (builder, "actor_kind", entry->actor_kind);
      sp_json_builder_add_string_or_null (builder, "actor_name", entry->actor_name);
      sp_json_builder_add_string_or_null (builder, "note", entry->note);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * sp_document_info_to_json:
 *
 * Writes `{id, kind, filename, mime_type, size, sha256, signer, created_at}`.
 */
void
sp_document_info_to_json (const SpDocumentInfo *info,
                          JsonBuilder          *builder)
{
  json_builder_begin_object (builder);
  sp_json_builder_add_string_or_null (builder, "id", info->id);
  sp_json_builder_add_string_or_null (builder, "kind", info->kind);
  sp_json_builder_add_string_or_null (builder, "filename", info->filename);
  sp_json_builder_add_string_or_null (builder, "mime_type", info->mime_type);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, info->size);
  sp_json_builder_add_string_or_null (builder, "sha256", info->sha256);
  sp_json_builder_add_string_or_null (builder, "signer", info->signer);
  sp_json_add_datetime (builder, "created_at", info->created_at);
  json_builder_end_object (builder);
}

static void
documents_to_json (GPtrArray   *documents,
                   JsonBuilder *builder)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < documents->len; i++)
    sp_document_info_to_json (g_ptr_array_index (documents, i), builder);
  json_builder_end_array (builder);
}

void
sp_pratica_detail_to_json (SpPraticaDetail *detail,
                           JsonBuilder     *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pratica");
  sp_pratica_summary_to_json (detail->summary, builder);
  sp_json_add_datetime (builder, "protocol_date", detail->protocol_date);
  sp_json_builder_add_string_or_null (builder, "outcome", detail->outcome);
  sp_json_builder_add_string_or_null (builder, "motivation", detail->motivation);
  json_builder_set_member_name (builder, "assigned_to_me");
  json_builder_add_boolean_value (builder, detail->assigned_to_me);
  json_builder_set_member_name (builder, "protocol_required");
  json_builder_add_boolean_value (builder, detail->protocol_required);
  json_builder_set_member_name (builder, "fields");
  sp_form_fields_to_json (detail->fields, builder);
  json_builder_set_member_name (builder, "iter");
  iter_to_json (detail->iter, builder);
  json_builder_set_member_name (builder, "documents");
  documents_to_json (detail->documents, builder);
  json_builder_set_member_name (builder, "processing");
  if (detail->processing != NULL)
    sp_processing_to_json (detail->processing, builder);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "steps");
  sp_steps_to_json (detail->steps, builder);
  json_builder_set_member_name (builder, "signed_response_required");
  json_builder_add_boolean_value (builder, detail->signed_response_required);
  json_builder_set_member_name (builder, "protocols");
  sp_protocol_records_to_json (detail->protocols, builder);
  json_builder_end_object (builder);
}

/**
 * sp_pratica_detail_to_text:
 * @length: (out) (optional): the text's length in bytes
 *
 * As sp_pratica_detail_to_json(), written to text, with the numbers of
 * Elabora's work as stored (sp_processing_append_json()): what the server
 * answers.
 *
 * Returns: (transfer full): the detail as JSON text
 */
char *
sp_pratica_detail_to_text (SpPraticaDetail *detail,
                           gsize           *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  GString *out = g_string_new (NULL);
  JsonObject *object;

  sp_pratica_detail_to_json (detail, builder);
  root = json_builder_get_root (builder);
  object = json_node_get_object (root);
  members = json_object_get_members (object);
  sp_json_text_begin_object (out);
  for (GList *l = members; l != NULL; l = l->next)
    {
      sp_json_text_member (out, l->data);
      if (g_str_equal (l->data, "processing") && detail->processing != NULL)
        sp_processing_append_json (detail->processing, TRUE, out);
      else
        sp_json_text_add_node (out, json_object_get_member (object, l->data));
    }
  sp_json_text_end_object (out);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static void
iter_from_json (JsonArray *array,
                GPtrArray *iter)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      SpIterEntry *entry;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      entry = g_new0 (SpIterEntry, 1);
      entry->status = (SpStatus) sp_json_get_int (object, "status", 0);
      entry->previous_status = (SpStatus) sp_json_get_int (object, "previous_status", 0);
      entry->at = sp_json_get_datetime (object, "at");
      entry->actor_kind = g_strdup (sp_json_get_string (object, "actor_kind", NULL));
      entry->actor_name = g_strdup (sp_json_get_string (object, "actor_name", NULL));
      entry->note = g_strdup (sp_json_get_string (object, "note", NULL));
      g_ptr_array_add (iter, entry);
    }
}

/**
 * sp_document_info_from_json:
 * @object: `{id, kind, filename, mime_type, size, sha256, signer, created_at}`
 *
 * Returns: (transfer full) (nullable): the document, or %NULL without an id
 */
SpDocumentInfo *
sp_document_info_from_json (JsonObject *object)
{
  SpDocumentInfo *info;

  if (sp_json_get_string (object, "id", NULL) == NULL)
    return NULL;
  info = g_new0 (SpDocumentInfo, 1);
  info->id = g_strdup (sp_json_get_string (object, "id", NULL));
  info->kind = g_strdup (sp_json_get_string (object, "kind", NULL));
  info->filename = g_strdup (sp_json_get_string (object, "filename", NULL));
  info->mime_type = g_strdup (sp_json_get_string (object, "mime_type", NULL));
  info->size = sp_json_get_int (object, "size", 0);
  info->sha256 = g_strdup (sp_json_get_string (object, "sha256", NULL));
  info->signer = g_strdup (sp_json_get_string (object, "signer", NULL));
  info->created_at = sp_json_get_datetime (object, "created_at");
  return info;
}

static void
documents_from_json (JsonArray *array,
                     GPtrArray *documents)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      SpDocumentInfo *info = JSON_NODE_HOLDS_OBJECT (node) ? sp_document_info_from_json (json_node_get_object (node))
                                                           : NULL;

      if (info != NULL)
        g_ptr_array_add (documents, info);
    }
}

SpPraticaDetail *
sp_pratica_detail_from_json (JsonObject  *object,
                             GError     **error)
{
  g_autoptr(SpPraticaDetail) detail = sp_pratica_detail_new ();
  JsonNode *pratica = json_object_get_member (object, "pratica");
  JsonNode *processing = json_object_get_member (object, "processing");
  JsonArray *fields;
  JsonArray *steps;

  if (pratica == NULL || !JSON_NODE_HOLDS_OBJECT (pratica))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "“pratica” must be an object");
      return NULL;
    }
  if (!(detail->summary = sp_pratica_summary_from_json (json_node_get_object (pratica), error)))
    return NULL;

  detail->protocol_date = sp_json_get_datetime (object, "protocol_date");
  detail->outcome = g_strdup (sp_json_get_string (object, "outcome", NULL));
  detail->motivation = g_strdup (sp_json_get_string (object, "motivation", NULL));
  detail->assigned_to_me = sp_json_get_bool (object, "assigned_to_me", FALSE);
  detail->protocol_required = sp_json_get_bool (object, "protocol_required", FALSE);
  if ((fields = get_array (object, "fields")) != NULL)
    {
      g_ptr_array_unref (detail->fields);
      detail->fields = sp_form_fields_from_json (fields);
    }
  iter_from_json (get_array (object, "iter"), detail->iter);
  documents_from_json (get_array (object, "documents"), detail->documents);
  if (processing != NULL && JSON_NODE_HOLDS_OBJECT (processing))
    detail->processing = sp_processing_from_json (json_node_get_object (processing), NULL, NULL);
  if ((steps = get_array (object, "steps")) != NULL)
    {
      GPtrArray *parsed = sp_steps_from_json (steps, error);

      if (parsed == NULL)
        return NULL;
      g_ptr_array_unref (detail->steps);
      detail->steps = parsed;
    }
  detail->signed_response_required = sp_json_get_bool (object, "signed_response_required", FALSE);
  sp_protocol_records_from_json (get_array (object, "protocols"), detail->protocols);

  return g_steal_pointer (&detail);
}

/**
 * sp_pratica_detail_from_json_text:
 * @object: the detail, read from @text
 * @text: (nullable): the JSON text of @object, @length bytes
 *
 * As sp_pratica_detail_from_json(), with the numbers of Elabora's work read
 * from @text as the server wrote them, which is as stored
 * (sp_processing_get_number()): `19.99` and `100000000000000000000`, not
 * the double nearest the one and a wrapped integer for the other.
 *
 * Returns: (transfer full): the detail, or %NULL with an error
 */
SpPraticaDetail *
sp_pratica_detail_from_json_text (JsonObject  *object,
                                  const char  *text,
                                  gsize        length,
                                  GError     **error)
{
  g_autoptr(SpPraticaDetail) detail = sp_pratica_detail_from_json (object, error);
  g_autoptr(SpJsonTape) tape = NULL;
  g_autoptr(GError) tape_error = NULL;
  guint32 processing;

  if (detail == NULL || detail->processing == NULL || text == NULL)
    return g_steal_pointer (&detail);
  tape = sp_json_tape_new (text, length, 128, &tape_error);
  if (tape == NULL || tape->nodes[0].type != SP_JSON_TAPE_OBJECT)
    {
      g_debug ("The numbers of the work are read as json-glib holds them: %s",
               tape_error != NULL ? tape_error->message : "not an object");
      return g_steal_pointer (&detail);
    }
  processing = sp_json_tape_lookup (tape, 0, "processing", strlen ("processing"));
  if (processing != SP_JSON_TAPE_NONE && tape->nodes[++processing].type == SP_JSON_TAPE_OBJECT)
    {
      guint32 steps = sp_json_tape_lookup (tape, processing, "steps", strlen ("steps"));

      if (steps != SP_JSON_TAPE_NONE)
        sp_processing_read_numbers (detail->processing, tape, steps + 1);
    }
  return g_steal_pointer (&detail);
}
