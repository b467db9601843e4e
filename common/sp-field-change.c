/* sp-field-change.c: one field of a comparison of two versions, as the audit shows and filters it */
#define G_LOG_DOMAIN "sp-audit"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sp-audit.h"
#include "sp-error.h"
#include "sp-json.h"

struct _SpFieldChange
{
  GObject        parent_instance;

  char          *path;
  char          *label;      /* the labels joined with " › " */
  char          *old_text;   /* "" when empty */
  char          *new_text;
  char          *folded;     /* every column, case-folded, for the filter */
  SpAuditChange  change;
};

G_DEFINE_FINAL_TYPE (SpFieldChange, sp_field_change, G_TYPE_OBJECT)

static void
sp_field_change_finalize (GObject *object)
{
  SpFieldChange *self = SP_FIELD_CHANGE (object);

  g_free (self->path);
  g_free (self->label);
  g_free (self->old_text);
  g_free (self->new_text);
  g_free (self->folded);

  G_OBJECT_CLASS (sp_field_change_parent_class)->finalize (object);
}

static void
sp_field_change_class_init (SpFieldChangeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_field_change_finalize;
}

static void
sp_field_change_init (SpFieldChange *self)
{
}

const char *
sp_field_change_get_path (SpFieldChange *self)
{
  g_return_val_if_fail (SP_IS_FIELD_CHANGE (self), NULL);

  return self->path;
}

/**
 * sp_field_change_get_label:
 *
 * Returns: what a person reads for the field: `Richiedente › Indirizzo › CAP`
 */
const char *
sp_field_change_get_label (SpFieldChange *self)
{
  g_return_val_if_fail (SP_IS_FIELD_CHANGE (self), NULL);

  return self->label;
}

/**
 * sp_field_change_get_old_text:
 *
 * Returns: the value in the old version, readable; "" when it is empty
 */
const char *
sp_field_change_get_old_text (SpFieldChange *self)
{
  g_return_val_if_fail (SP_IS_FIELD_CHANGE (self), NULL);

  return self->old_text;
}

const char *
sp_field_change_get_new_text (SpFieldChange *self)
{
  g_return_val_if_fail (SP_IS_FIELD_CHANGE (self), NULL);

  return self->new_text;
}

SpAuditChange
sp_field_change_get_change (SpFieldChange *self)
{
  g_return_val_if_fail (SP_IS_FIELD_CHANGE (self), SP_AUDIT_CHANGE_UNCHANGED);

  return self->change;
}

/**
 * sp_audit_fold:
 *
 * Returns: (transfer full): @text as the filter compares it: normalised and
 *   case-folded, so that "CAP", "cap" and "Càp" typed as "càp" meet
 */
char *
sp_audit_fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text != NULL ? text : "", -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized != NULL ? normalized : "", -1);
}

/**
 * sp_field_change_matches:
 * @folded_needle: what the user typed, through sp_audit_fold(); "" matches all
 *
 * Whether any column of the row (the field, either value, the change's
 * word) contains @folded_needle. Cheap enough for 10,000 rows per keystroke.
 */
gboolean
sp_field_change_matches (SpFieldChange *self,
                         const char    *folded_needle)
{
  g_return_val_if_fail (SP_IS_FIELD_CHANGE (self), FALSE);

  return folded_needle == NULL || *folded_needle == '\0' || strstr (self->folded, folded_needle) != NULL;
}

/* Dates and times of the snapshot's metadata (ISO 8601) read as the user
 * reads them: `2026-03-15` as `15/03/2026`, a time in the format's time
 * zone (local without one) to the second; any other string as it is. */
static char *
string_to_text (const char          *text,
                const SpValueFormat *format)
{
  gsize length = strlen (text);

  if (length >= 19 && g_ascii_isdigit (text[0]) && text[4] == '-' && text[7] == '-' && text[10] == 'T')
    {
      g_autoptr(GDateTime) datetime = g_date_time_new_from_iso8601 (text, NULL);

      if (datetime != NULL)
        return sp_value_format_datetime (format, datetime);
    }
  if (length == 10 && format != NULL && g_ascii_isdigit (text[0]) && text[4] == '-' && text[7] == '-')
    {
      char *date = sp_value_format_date (format, text);

      if (date != NULL)
        return date;
    }
  return g_strdup (text);
}

/* An integer (@code, its text) as people read it: the status with its
 * label; any other as it is written, without grouping, as codes and
 * numbers of documents read better. */
static char *
integer_to_text (const char *code,
                 gint64      number,
                 const char *path)
{
  const char *label = NULL;

  if (g_strcmp0 (path, "status") == 0 && sp_status_is_valid ((int) CLAMP (number, 0, G_MAXINT)))
    label = sp_status_get_label ((SpStatus) number);
  if (label != NULL)
    /* Translators: a status code and its label: "4000 · In carico" */
    return g_strdup_printf (_("%s · %s"), code, label);
  return g_strdup (code);
}

/**
 * sp_audit_number_to_text:
 * @number: a JSON number's text, as the snapshot stores it: `19.99`,
 *   `100000000000000000000`, `5.0`
 * @path: where it is, so that the status reads as its label
 * @format: (nullable): how decimals read
 *
 * Reads a number from its text, not from what json-glib makes of it (a
 * gint64 wrapped past 64 bits, a double with 17 digits): every digit
 * stays as stored, `5.0` and `1.50` keep their zeros. A decimal takes the
 * format's decimal point and digit grouping (`1.234,50` in Italian); an
 * integer is written as it is (`4000 · In carico` for the status); a
 * number with an exponent, which jsonb never writes, as it is.
 *
 * Returns: (transfer full): the number as a person reads it
 */
char *
sp_audit_number_to_text (const char          *number,
                         const char          *path,
                         const SpValueFormat *format)
{
  char *formatted;

  g_return_val_if_fail (number != NULL, NULL);

  if (strpbrk (number, ".eE") == NULL)
    {
      gint64 code = 0;

      if (!g_ascii_string_to_signed (number, 10, 0, G_MAXINT, &code, NULL))
        code = -1;
      return integer_to_text (number, code, path);
    }
  if (format != NULL && (formatted = sp_value_format_decimal (format, number)) != NULL)
    return formatted;
  return g_strdup (number);
}

/**
 * sp_audit_value_to_text:
 * @value: (nullable): a leaf value of a snapshot; %NULL when missing
 * @path: where it is, so that the status reads as its label
 * @format: (nullable): how booleans and decimals read
 *
 * A number is read as json-glib holds it, which may not be exactly as it was
 * written: sp_audit_number_to_text() reads one from its text.
 *
 * Returns: (transfer full): the value as a person reads it: strings as they
 *   are, numbers, *Sì* or *No*, the status with its label; "" when empty
 */
char *
sp_audit_value_to_text (JsonNode            *value,
                        const char          *path,
                        const SpValueFormat *format)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("");

  if (JSON_NODE_HOLDS_VALUE (value))
    {
      GType type = json_node_get_value_type (value);

      if (type == G_TYPE_STRING)
        return string_to_text (json_node_get_string (value), format);
      if (type == G_TYPE_BOOLEAN)
        {
          gboolean yes = json_node_get_boolean (value);

          return format != NULL ? sp_value_format_boolean (format, yes) : g_strdup (yes ? C_("form value", "Yes") : C_("form value", "No"));
        }
      if (type == G_TYPE_INT64)
        {
          char code[24];

          /* Codes and numbers of documents read better without grouping. */
          g_snprintf (code, sizeof code, "%" G_GINT64_FORMAT, json_node_get_int (value));
          return integer_to_text (code, json_node_get_int (value), path);
        }
      if (type == G_TYPE_DOUBLE)
        {
          if (format != NULL)
            return sp_value_format_double (format, json_node_get_double (value));
          return g_strdup_printf ("%g", json_node_get_double (value));
        }
    }

  /* An empty array or object is empty; anything else, as JSON. */
  if (JSON_NODE_HOLDS_ARRAY (value) && json_array_get_length (json_node_get_array (value)) == 0)
    return g_strdup ("");
  if (JSON_NODE_HOLDS_OBJECT (value) && json_object_get_size (json_node_get_object (value)) == 0)
    return g_strdup ("");
  return json_to_string (value, FALSE);
}

/**
 * sp_field_change_from_json:
 * @object: an element of the `fields` of an `AuditComparison`
 * @format: (nullable): how the values read
 *
 * Numbers read as json-glib holds them: sp_field_change_from_json_numbers()
 * reads them exactly.
 *
 * Returns: (transfer full): the field, or %NULL with %SP_ERROR_VALIDATION
 */
SpFieldChange *
sp_field_change_from_json (JsonObject           *object,
                           const SpValueFormat  *format,
                           GError              **error)
{
  return sp_field_change_from_json_numbers (object, NULL, NULL, format, error);
}

/**
 * sp_field_change_from_json_numbers:
 * @object: an element of the `fields` of an `AuditComparison`
 * @old_number: (nullable): when `old` is a number, its text in the JSON
 *   @object was read from
 * @new_number: (nullable): the same for `new`
 * @format: (nullable): how the values read
 *
 * As sp_field_change_from_json(), with the numbers read from their text
 * (sp_audit_number_to_text()), exactly as the server wrote them.
 *
 * Returns: (transfer full): the field, or %NULL with %SP_ERROR_VALIDATION
 */
SpFieldChange *
sp_field_change_from_json_numbers (JsonObject           *object,
                                   const char           *old_number,
                                   const char           *new_number,
                                   const SpValueFormat  *format,
                                   GError              **error)
{
  g_autoptr(SpFieldChange) self = g_object_new (SP_TYPE_FIELD_CHANGE, NULL);
  const char *path = sp_json_get_string (object, "path", NULL);
  JsonNode *labels = json_object_get_member (object, "labels");
  g_autoptr(GString) label = g_string_new (NULL);
  g_autofree char *all = NULL;

  if (path == NULL || !sp_audit_change_from_string (sp_json_get_string (object, "change", NULL), &self->change))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "A field needs its path and a known change");
      return NULL;
    }
  self->path = g_strdup (path);

  if (labels != NULL && JSON_NODE_HOLDS_ARRAY (labels))
    {
      JsonArray *array = json_node_get_array (labels);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *step = sp_json_array_get_string (array, i);

          if (step == NULL)
            continue;
          if (label->len > 0)
            g_string_append (label, " › ");
          g_string_append (label, step);
        }
    }
  if (label->len == 0)
    g_string_append (label, path);
  self->label = g_string_free (g_steal_pointer (&label), FALSE);

  self->old_text = old_number != NULL ? sp_audit_number_to_text (old_number, path, format)
                                       : sp_audit_value_to_text (json_object_get_member (object, "old"), path, format);
  self->new_text = new_number != NULL ? sp_audit_number_to_text (new_number, path, format)
                                       : sp_audit_value_to_text (json_object_get_member (object, "new"), path, format);

  all = g_strjoin ("\n", self->label, self->path, self->old_text, self->new_text,
                   sp_audit_change_get_label (self->change), NULL);
  self->folded = sp_audit_fold (all);
  return g_steal_pointer (&self);
}
