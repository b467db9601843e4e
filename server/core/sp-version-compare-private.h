#pragma once

/* What sp-version-compare.c (the comparison) and sp-version-compare-json.c
 * (its JSON) share. */

#include "sp-version-compare.h"

G_BEGIN_DECLS

/* What a node is, for the emptiness rule and for writing it. */
typedef enum
{
  NODE_MISSING,
  NODE_NULL,
  NODE_EMPTY_STRING,
  NODE_EMPTY_CONTAINER,
  NODE_STRING,
  NODE_INT,
  NODE_DOUBLE,
  NODE_BOOLEAN,
  NODE_OBJECT,          /* filled */
  NODE_ARRAY,           /* filled */
} NodeKind;

NodeKind     sp_compare_node_kind           (JsonNode       *node);

G_END_DECLS
