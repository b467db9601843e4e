#pragma once

/* What the comparison knows of a snapshot's shape (an SpCompareSchema): the
 * service's field schema for the form data and a fixed description of the
 * metadata, as a tree of Spec. Strings are borrowed from the schema or from
 * the message catalog, for as long as the SpCompareSchema lives. */

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

Spec        *sp_compare_schema_get_root    (SpCompareSchema *schema);

G_END_DECLS
