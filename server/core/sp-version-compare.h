#pragma once

/* The comparison of two versions of a pratica (DESIGN.md §7, Audit): every
 * field of either snapshot, flattened into a path, labelled from the
 * service's field schema, and classified by emptiness as the audit seed says. */

#include <json-glib/json-glib.h>

#include "sp-json-tape.h"

G_BEGIN_DECLS

/**
 * SpChange:
 * @SP_CHANGE_UNCHANGED: equal in both (black)
 * @SP_CHANGE_ADDED: empty before, filled after (green)
 * @SP_CHANGE_CHANGED: filled in both, different (yellow)
 * @SP_CHANGE_REMOVED: filled before, empty after (red)
 *
 * Null, the empty string, the empty array, the empty object and a missing
 * member are all empty; two empty values are unchanged.
 */
typedef enum
{
  SP_CHANGE_UNCHANGED,
  SP_CHANGE_ADDED,
  SP_CHANGE_CHANGED,
  SP_CHANGE_REMOVED,
} SpChange;

/**
 * SpCompareField:
 * @path: where the field is in the snapshot, members joined by `.` and
 *   array elements as `[i]` (0-based): `data.richiedente.indirizzo.cap`,
 *   `data.allegati[1].nome`, `status`, `protocol.number`; the elements of a
 *   keyed array as `[member=value]`: `documents[id=3f2b…].filename`
 * @labels: what a person reads for each step of @path: the schema's labels
 *   for the form data (`Richiedente`, `Indirizzo`, `CAP`), array elements
 *   1-based (`Allegati [2]`, `Nome`), the metadata's own Italian names
 *   (`Stato`, `Protocollo`, `Numero`); a member the schema does not know is
 *   labelled with its key
 * @old_value: (nullable): the leaf value in the older version; %NULL when missing
 * @new_value: (nullable): the leaf value in the newer version; %NULL when missing
 * @change: how it changed
 * @old_number: (nullable): when @old_value is a number, its text as the
 *   snapshot writes it: exactly the number stored, which @old_value, as
 *   json-glib holds it, may not be (a gint64 wraps past 64 bits, a double
 *   reads 19.99 as 19.989999999999998)
 * @new_number: (nullable): the same for @new_value
 *
 * @path, @labels and the numbers are allocated with the field (one block;
 * do not free them on their own): sp_compare_field_free() frees them all.
 */
typedef struct
{
  char      *path;
  GStrv      labels;
  JsonNode  *old_value;
  JsonNode  *new_value;
  SpChange   change;
  char      *old_number;
  char      *new_number;
} SpCompareField;

void         sp_compare_field_free          (SpCompareField *field);
const char  *sp_change_to_string            (SpChange        change);

GPtrArray   *sp_version_compare             (const char     *old_snapshot,
                                             gsize           old_len,
                                             const char     *new_snapshot,
                                             gsize           new_len,
                                             JsonArray      *field_schema,
                                             GError        **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_version_compare_append_json (const char     *old_snapshot,
                                             gsize           old_len,
                                             const char     *new_snapshot,
                                             gsize           new_len,
                                             JsonArray      *field_schema,
                                             GString        *out,
                                             GError        **error);
void         sp_version_compare_to_json     (GPtrArray      *fields,
                                             JsonBuilder    *builder);

/**
 * SpCompareSchema:
 *
 * What a comparison knows of a snapshot's shape: the service's field schema
 * (labels, groups, keyed lists) and the metadata's fields, labelled in the
 * language of the thread that made it. Made once for any number of
 * comparisons, one at a time; it borrows the schema's strings.
 */
typedef struct _SpCompareSchema SpCompareSchema;

SpCompareSchema *sp_compare_schema_new      (JsonArray        *field_schema) G_GNUC_WARN_UNUSED_RESULT;
void             sp_compare_schema_free     (SpCompareSchema  *schema);

/**
 * SpCompareList:
 *
 * The fields of a comparison as compact rows (sp_version_compare_list()),
 * each made an #SpCompareField on demand.
 */
typedef struct _SpCompareList SpCompareList;

SpCompareList  *sp_version_compare_list     (const SpJsonTape *old_tape,
                                             const SpJsonTape *new_tape,
                                             SpCompareSchema  *schema) G_GNUC_WARN_UNUSED_RESULT;
void            sp_compare_list_free        (SpCompareList    *list);
guint           sp_compare_list_get_length  (SpCompareList    *list);
SpChange        sp_compare_list_get_change  (SpCompareList    *list,
                                             guint             i);
SpCompareField *sp_compare_list_dup_field   (SpCompareList    *list,
                                             guint             i) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCompareField, sp_compare_field_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCompareList, sp_compare_list_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCompareSchema, sp_compare_schema_free)

G_END_DECLS
