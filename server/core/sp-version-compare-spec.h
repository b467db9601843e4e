#pragma once

/* What the comparison knows of a snapshot's shape: the service's field schema
 * for the form data and a fixed description of the metadata. Strings are
 * borrowed from the schema or from the message catalog for one comparison. */

#include "sp-version-compare-private.h"

G_BEGIN_DECLS

typedef enum
{
  SPEC_LEAF,
  SPEC_GROUP,
  SPEC_LIST,
} SpecKind;

typedef struct _Spec Spec;

struct _Spec
{
  SpecKind       kind;
  SpCompareText  key;
  SpCompareText  label;     /* text NULL: the step has no label of its own (`data`) */
  const char    *item_key;  /* LIST: the member that identifies an element */
  Spec          *item;      /* LIST: the members of an element, as a GROUP */
  GPtrArray     *children;  /* GROUP: Spec, in the schema's order */
  GHashTable    *by_key;    /* GROUP: key → Spec, once there are many */
  guint32        hint;      /* where the walk last found the member in its object */
};

Spec        *sp_compare_spec_new_snapshot  (JsonArray *field_schema) G_GNUC_WARN_UNUSED_RESULT;
void         sp_compare_spec_free          (Spec      *spec);
Spec        *sp_compare_schema_get_root    (SpCompareSchema *schema);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Spec, sp_compare_spec_free)

G_END_DECLS
