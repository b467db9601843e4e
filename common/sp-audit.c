/* sp-audit.c: the versions of a pratica and the comparison of two, as the audit API sends them */
#define G_LOG_DOMAIN "sp-audit"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-audit.h"
#include "sp-error.h"
#include "sp-json-tape.h"
#include "sp-json.h"

static const char * const change_names[] = {
  [SP_AUDIT_CHANGE_UNCHANGED] = "unchanged",
  [SP_AUDIT_CHANGE_ADDED] = "added",
  [SP_AUDIT_CHANGE_CHANGED] = "changed",
  [SP_AUDIT_CHANGE_REMOVED] = "removed",
};

const char *
sp_audit_change_to_string (SpAuditChange change)
{
  return change < SP_AUDIT_N_CHANGES ? change_names[change] : NULL;
}

gboolean
sp_audit_change_from_string (const char    *name,
                             SpAuditChange *change)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (change_names); i++)
    if (g_str_equal (change_names[i], name))
      {
        *change = (SpAuditChange) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * sp_audit_change_get_label:
 *
 * Returns: the word that says @change without colour ("Aggiunto" in Italian)
 */
const char *
sp_audit_change_get_label (SpAuditChange change)
{
  switch (change)
    {
    case SP_AUDIT_CHANGE_ADDED:
      /* Translators: a field of a comparison, empty before and filled after */
      return C_("audit", "Added");
    case SP_AUDIT_CHANGE_CHANGED:
      /* Translators: a field of a comparison, filled in both versions and different */
      return C_("audit", "Changed");
    case SP_AUDIT_CHANGE_REMOVED:
      /* Translators: a field of a comparison, filled before and empty after */
      return C_("audit", "Removed");
    case SP_AUDIT_CHANGE_UNCHANGED:
      /* Translators: a field of a comparison, the same in both versions */
      return C_("audit", "Unchanged");
    case SP_AUDIT_N_CHANGES:
    default:
      return NULL;
    }
}

/* SpPraticaVersion */

struct _SpPraticaVersion
{
  GObject    parent_instance;

  guint      number;
  char      *operation;
  SpStatus   status;
  char      *user;
  char      *role;
  GDateTime *at;
  char      *note;
};

G_DEFINE_FINAL_TYPE (SpPraticaVersion, sp_pratica_version, G_TYPE_OBJECT)

static void
sp_pratica_version_finalize (GObject *object)
{
  SpPraticaVersion *self = SP_PRATICA_VERSION (object);

  g_free (self->operation);
  g_free (self->user);
  g_free (self->role);
  g_clear_pointer (&self->at, g_date_time_unref);
  g_free (self->note);

  G_OBJECT_CLASS (sp_pratica_version_parent_class)->finalize (object);
}

static void
sp_pratica_version_class_init (SpPraticaVersionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_pratica_version_finalize;
}

static void
sp_pratica_version_init (SpPraticaVersion *self)
{
}

guint
sp_pratica_version_get_number (SpPraticaVersion *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_VERSION (self), 0);

  return self->number;
}

const char *
sp_pratica_version_get_operation (SpPraticaVersion *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_VERSION (self), NULL);

  return self->operation;
}

/**
 * sp_pratica_version_get_status:
 *
 * Returns: the status the version left, or %SP_STATUS_INVALID on a side of a
 *   comparison (which does not carry it)
 */
SpStatus
sp_pratica_version_get_status (SpPraticaVersion *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_VERSION (self), SP_STATUS_INVALID);

  return self->status;
}

const char *
sp_pratica_version_get_user (SpPraticaVersion *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_VERSION (self), NULL);

  return self->user;
}

const char *
sp_pratica_version_get_role (SpPraticaVersion *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_VERSION (self), NULL);

  return self->role;
}

GDateTime *
sp_pratica_version_get_at (SpPraticaVersion *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_VERSION (self), NULL);

  return self->at;
}

/**
 * sp_pratica_version_get_note:
 *
 * Returns: (nullable): the note the user gave with the operation
 */
const char *
sp_pratica_version_get_note (SpPraticaVersion *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_VERSION (self), NULL);

  return self->note;
}

/**
 * sp_pratica_version_format_at:
 *
 * Returns: (transfer full): when, in local time: `01/03/2026 10:05`
 */
char *
sp_pratica_version_format_at (SpPraticaVersion *self)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (SP_IS_PRATICA_VERSION (self), NULL);

  local = g_date_time_to_local (self->at);
  return g_date_time_format (local, "%d/%m/%Y %H:%M");
}

/**
 * sp_pratica_version_format_user:
 *
 * Returns: (transfer full): who, with the role they had then: `Mario Rossi (operatore)`
 */
char *
sp_pratica_version_format_user (SpPraticaVersion *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_VERSION (self), NULL);

  if (self->role == NULL || *self->role == '\0')
    return g_strdup (self->user);
  /* Translators: a user's name and, in brackets, their role */
  return g_strdup_printf (_("%s (%s)"), self->user, self->role);
}

/**
 * sp_pratica_version_from_json:
 * @object: an `AuditVersion`, or a side (`from`, `to`) of an `AuditComparison`
 *
 * Returns: (transfer full): the version, or %NULL with %SP_ERROR_VALIDATION
 */
SpPraticaVersion *
sp_pratica_version_from_json (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(SpPraticaVersion) self = g_object_new (SP_TYPE_PRATICA_VERSION, NULL);
  gint64 number = sp_json_get_int (object, "version", 0);
  gint64 status = sp_json_get_int (object, "status", 0);

  self->at = sp_json_get_datetime (object, "at");
  if (number < 1 || number > G_MAXINT || self->at == NULL
      || sp_json_get_string (object, "user", NULL) == NULL
      || sp_json_get_string (object, "operation", NULL) == NULL
      || (json_object_has_member (object, "status") && !sp_status_is_valid ((int) CLAMP (status, 0, G_MAXINT))))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION,
                           "A version needs its number, user, operation, time and a valid status");
      return NULL;
    }
  self->number = (guint) number;
  self->status = (SpStatus) status;
  self->operation = g_strdup (sp_json_get_string (object, "operation", NULL));
  self->user = g_strdup (sp_json_get_string (object, "user", NULL));
  self->role = g_strdup (sp_json_get_string (object, "role", NULL));
  self->note = g_strdup (sp_json_get_string (object, "note", NULL));
  return g_steal_pointer (&self);
}

/* The answers */

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

void
sp_pratica_versions_free (SpPraticaVersions *versions)
{
  if (versions == NULL)
    return;

  g_clear_object (&versions->pratica);
  g_clear_object (&versions->versions);
  g_free (versions);
}

/**
 * sp_pratica_versions_from_json:
 * @object: an `AuditVersions`
 *
 * Returns: (transfer full): the pratica and its versions, or %NULL with an error
 */
SpPraticaVersions *
sp_pratica_versions_from_json (JsonObject  *object,
                               GError     **error)
{
  g_autoptr(SpPraticaVersions) result = g_new0 (SpPraticaVersions, 1);
  JsonObject *pratica = get_object (object, "pratica");
  JsonArray *versions = get_array (object, "versions");

  if (pratica == NULL || versions == NULL)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "The versions need their pratica and list");
      return NULL;
    }
  if (!(result->pratica = sp_pratica_summary_from_json (pratica, error)))
    return NULL;

  result->versions = g_list_store_new (SP_TYPE_PRATICA_VERSION);
  for (guint i = 0; i < json_array_get_length (versions); i++)
    {
      JsonNode *element = json_array_get_element (versions, i);
      g_autoptr(SpPraticaVersion) version = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "Version %u is not an object", i);
          return NULL;
        }
      if (!(version = sp_pratica_version_from_json (json_node_get_object (element), error)))
        return NULL;
      g_list_store_append (result->versions, version);
    }
  return g_steal_pointer (&result);
}

void
sp_version_comparison_free (SpVersionComparison *comparison)
{
  if (comparison == NULL)
    return;

  g_clear_object (&comparison->from);
  g_clear_object (&comparison->to);
  g_clear_object (&comparison->fields);
  g_free (comparison);
}

/* The numbers among the fields' values as @text writes them: field i's
 * `old` at 2 i, its `new` at 2 i + 1, %NULL where the value is no number.
 * %NULL when @text cannot be read so or holds another count of fields. */
static GPtrArray *
read_numbers (const char *text,
              gsize       length,
              guint       n_fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpJsonTape) tape = sp_json_tape_new (text, length, 64, &error);
  g_autoptr(GPtrArray) numbers = NULL;
  guint32 fields;

  if (tape == NULL || tape->nodes[0].type != SP_JSON_TAPE_OBJECT)
    {
      g_debug ("The comparison's numbers are read as json-glib holds them: %s",
               error != NULL ? error->message : "not an object");
      return NULL;
    }
  fields = sp_json_tape_lookup (tape, 0, "fields", strlen ("fields"));
  if (fields == SP_JSON_TAPE_NONE || tape->nodes[++fields].type != SP_JSON_TAPE_ARRAY
      || tape->nodes[fields].len != n_fields)
    return NULL;

  numbers = g_ptr_array_new_full (2 * n_fields, g_free);
  for (guint i = 0; i < n_fields; i++)
    {
      guint32 element = sp_json_tape_element (tape, fields, i);
      const char *sides[] = { "old", "new" };

      for (guint side = 0; side < G_N_ELEMENTS (sides); side++)
        {
          guint32 key = tape->nodes[element].type == SP_JSON_TAPE_OBJECT
                        ? sp_json_tape_lookup (tape, element, sides[side], 3) : SP_JSON_TAPE_NONE;
          guint32 value = key != SP_JSON_TAPE_NONE ? key + 1 : SP_JSON_TAPE_NONE;

          if (value != SP_JSON_TAPE_NONE && tape->nodes[value].type == SP_JSON_TAPE_NUMBER)
            g_ptr_array_add (numbers, g_strndup (sp_json_tape_text (tape, value), tape->nodes[value].len));
          else
            g_ptr_array_add (numbers, NULL);
        }
    }
  return g_steal_pointer (&numbers);
}

/**
 * sp_version_comparison_from_json:
 * @object: an `AuditComparison`
 * @format: how the values read (Sì/No, numbers)
 *
 * Numbers read as json-glib holds them: a 20-digit integer wrapped, 19.99
 * as the double nearest it. sp_version_comparison_from_json_text() reads
 * them exactly.
 *
 * Returns: (transfer full): the comparison, or %NULL with an error
 */
SpVersionComparison *
sp_version_comparison_from_json (JsonObject           *object,
                                 const SpValueFormat  *format,
                                 GError              **error)
{
  return sp_version_comparison_from_json_text (object, NULL, 0, format, error);
}

/**
 * sp_version_comparison_from_json_text:
 * @object: an `AuditComparison`, read from @text
 * @text: (nullable): the JSON text of @object, @length bytes
 * @format: how the values read (Sì/No, numbers)
 *
 * As sp_version_comparison_from_json(), with every number of the fields
 * read from @text as the server wrote it, which is as the snapshot stores
 * it: an auditor reads `100000000000000000000` and `19,99`, not `-1` and
 * `19,989999999999998`.
 *
 * Returns: (transfer full): the comparison, or %NULL with an error
 */
SpVersionComparison *
sp_version_comparison_from_json_text (JsonObject           *object,
                                      const char           *text,
                                      gsize                 length,
                                      const SpValueFormat  *format,
                                      GError              **error)
{
  g_autoptr(SpVersionComparison) result = g_new0 (SpVersionComparison, 1);
  JsonObject *from = get_object (object, "from");
  JsonObject *to = get_object (object, "to");
  JsonArray *fields = get_array (object, "fields");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  guint n_fields;

  if (from == NULL || to == NULL || fields == NULL)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "A comparison needs from, to and fields");
      return NULL;
    }
  if (!(result->from = sp_pratica_version_from_json (from, error))
      || !(result->to = sp_pratica_version_from_json (to, error)))
    return NULL;

  n_fields = json_array_get_length (fields);
  if (text != NULL)
    numbers = read_numbers (text, length, n_fields);
  items = g_ptr_array_new_full (n_fields, g_object_unref);
  for (guint i = 0; i < n_fields; i++)
    {
      JsonNode *element = json_array_get_element (fields, i);
      SpFieldChange *field;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "Field %u is not an object", i);
          return NULL;
        }
      field = sp_field_change_from_json_numbers (json_node_get_object (element),
                                                 numbers != NULL ? g_ptr_array_index (numbers, 2 * i) : NULL,
                                                 numbers != NULL ? g_ptr_array_index (numbers, 2 * i + 1) : NULL,
                                                 format, error);
      if (field == NULL)
        return NULL;
      result->counts[sp_field_change_get_change (field)]++;
      g_ptr_array_add (items, field);
    }

  /* One splice: a single items-changed for thousands of fields. */
  result->fields = g_list_store_new (SP_TYPE_FIELD_CHANGE);
  g_list_store_splice (result->fields, 0, 0, items->pdata, items->len);
  return g_steal_pointer (&result);
}
