#pragma once

/* The audit as the desktop app reads it from the API (DESIGN.md §7, Audit):
 * the versions of a pratica and the comparison of two of them. The
 * comparison itself is computed by the server; these only parse its JSON. */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sp-pratica.h"
#include "sp-value-format.h"

G_BEGIN_DECLS

/**
 * SpAuditChange:
 * @SP_AUDIT_CHANGE_UNCHANGED: equal in both versions (black)
 * @SP_AUDIT_CHANGE_ADDED: empty before, filled after (green)
 * @SP_AUDIT_CHANGE_CHANGED: filled in both, different (yellow)
 * @SP_AUDIT_CHANGE_REMOVED: filled before, empty after (red)
 *
 * How a field changed between two versions, as the audit seed's colour code
 * says (the API's `change`).
 */
typedef enum
{
  SP_AUDIT_CHANGE_UNCHANGED,
  SP_AUDIT_CHANGE_ADDED,
  SP_AUDIT_CHANGE_CHANGED,
  SP_AUDIT_CHANGE_REMOVED,
  SP_AUDIT_N_CHANGES,
} SpAuditChange;

#define SP_TYPE_PRATICA_VERSION (sp_pratica_version_get_type ())

G_DECLARE_FINAL_TYPE (SpPraticaVersion, sp_pratica_version, SP, PRATICA_VERSION, GObject)

#define SP_TYPE_FIELD_CHANGE (sp_field_change_get_type ())

G_DECLARE_FINAL_TYPE (SpFieldChange, sp_field_change, SP, FIELD_CHANGE, GObject)

/**
 * SpPraticaVersions:
 * @pratica: the pratica
 * @versions: (element-type SpPraticaVersion): its versions, oldest first
 *
 * The answer of `GET /audit/pratiche/{pratica}/versions`.
 */
typedef struct
{
  SpPraticaSummary *pratica;
  GListStore       *versions;
} SpPraticaVersions;

/**
 * SpVersionComparison:
 * @from: the old side (its note is not part of a comparison)
 * @to: the new side
 * @fields: (element-type SpFieldChange): every field of either version, in
 *   the server's order
 * @counts: how many fields changed in each way
 *
 * The answer of `GET /audit/pratiche/{pratica}/compare`.
 */
typedef struct
{
  SpPraticaVersion *from;
  SpPraticaVersion *to;
  GListStore       *fields;
  guint             counts[SP_AUDIT_N_CHANGES];
} SpVersionComparison;

const char          *sp_audit_change_to_string        (SpAuditChange        change);
gboolean             sp_audit_change_from_string      (const char          *name,
                                                       SpAuditChange       *change);
const char          *sp_audit_change_get_label        (SpAuditChange        change);

guint                sp_pratica_version_get_number    (SpPraticaVersion    *self);
const char          *sp_pratica_version_get_operation (SpPraticaVersion    *self);
SpStatus             sp_pratica_version_get_status    (SpPraticaVersion    *self);
const char          *sp_pratica_version_get_user      (SpPraticaVersion    *self);
const char          *sp_pratica_version_get_role      (SpPraticaVersion    *self);
GDateTime           *sp_pratica_version_get_at        (SpPraticaVersion    *self);
const char          *sp_pratica_version_get_note      (SpPraticaVersion    *self);
char                *sp_pratica_version_format_at     (SpPraticaVersion    *self) G_GNUC_WARN_UNUSED_RESULT;
char                *sp_pratica_version_format_user   (SpPraticaVersion    *self) G_GNUC_WARN_UNUSED_RESULT;
SpPraticaVersion    *sp_pratica_version_from_json     (JsonObject          *object,
                                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;

const char          *sp_field_change_get_path         (SpFieldChange       *self);
const char          *sp_field_change_get_label        (SpFieldChange       *self);
const char          *sp_field_change_get_old_text     (SpFieldChange       *self);
const char          *sp_field_change_get_new_text     (SpFieldChange       *self);
SpAuditChange        sp_field_change_get_change       (SpFieldChange       *self);
gboolean             sp_field_change_matches          (SpFieldChange       *self,
                                                       const char          *folded_needle);
SpFieldChange       *sp_field_change_from_json        (JsonObject          *object,
                                                       const SpValueFormat *format,
                                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;
SpFieldChange       *sp_field_change_from_json_numbers (JsonObject          *object,
                                                        const char          *old_number,
                                                        const char          *new_number,
                                                        const SpValueFormat *format,
                                                        GError             **error) G_GNUC_WARN_UNUSED_RESULT;
char                *sp_audit_value_to_text           (JsonNode            *value,
                                                       const char          *path,
                                                       const SpValueFormat *format) G_GNUC_WARN_UNUSED_RESULT;
char                *sp_audit_number_to_text          (const char          *number,
                                                       const char          *path,
                                                       const SpValueFormat *format) G_GNUC_WARN_UNUSED_RESULT;
char                *sp_audit_fold                    (const char          *text) G_GNUC_WARN_UNUSED_RESULT;

SpPraticaVersions   *sp_pratica_versions_from_json    (JsonObject          *object,
                                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void                 sp_pratica_versions_free         (SpPraticaVersions   *versions);
SpVersionComparison *sp_version_comparison_from_json  (JsonObject          *object,
                                                       const SpValueFormat *format,
                                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;
SpVersionComparison *sp_version_comparison_from_json_text (JsonObject          *object,
                                                           const char          *text,
                                                           gsize                length,
                                                           const SpValueFormat *format,
                                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void                 sp_version_comparison_free       (SpVersionComparison *comparison);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPraticaVersions, sp_pratica_versions_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpVersionComparison, sp_version_comparison_free)

G_END_DECLS
