#pragma once

/* A JSON text read once into a flat array of nodes (a "tape"): no node is
 * allocated on its own, strings and numbers point into the text, and the
 * members of an object can be found by key. Stricter than RFC 8259: a string
 * must be valid UTF-8 without U+0000 or a lone surrogate, and an object may
 * not hold the same key twice. PostgreSQL's jsonb text is all of these. */

#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SP_JSON_TAPE_NULL,
  SP_JSON_TAPE_FALSE,
  SP_JSON_TAPE_TRUE,
  SP_JSON_TAPE_NUMBER,
  SP_JSON_TAPE_STRING,
  SP_JSON_TAPE_ARRAY,
  SP_JSON_TAPE_OBJECT,
} SpJsonTapeType;

/* SpJsonTapeNode.flags */
#define SP_JSON_TAPE_DECODED  (1 << 0)   /* STRING: had escapes; its text is in @decoded */
#define SP_JSON_TAPE_INTEGER  (1 << 1)   /* NUMBER: no fraction, no exponent */
#define SP_JSON_TAPE_SORTED   (1 << 2)   /* OBJECT: keys in jsonb order (length, then bytes) */

/**
 * SpJsonTapeNode:
 * @start: STRING, NUMBER: where its text begins (in the text, or in the
 *   tape's decoded strings); ARRAY, OBJECT: where its children begin in the
 *   tape's @children
 * @len: STRING, NUMBER: the bytes of its text; ARRAY: its elements; OBJECT:
 *   its members
 *
 * An object's children are its keys (a STRING node, the member's value the
 * node right after it); an array's, its elements.
 */
typedef struct
{
  guint32 start;
  guint32 len;
  guint8  type;
  guint8  flags;
} SpJsonTapeNode;

/**
 * SpJsonTape:
 * @nodes: the values in document order, the root first
 * @children: the children of every container, in document order, after
 *   where its text begins and ends (sp_json_tape_same_text()); an object that is
 *   not %SP_JSON_TAPE_SORTED has its keys again right after, sorted
 */
typedef struct
{
  const char     *text;
  SpJsonTapeNode *nodes;
  guint32         n_nodes;
  guint32        *children;
  guint32         n_children;
  GString        *decoded;
  /*< private >*/
  guint32         nodes_size;
  guint32         children_size;
} SpJsonTape;

/* No node: a missing member or element. */
#define SP_JSON_TAPE_NONE G_MAXUINT32

SpJsonTape  *sp_json_tape_new          (const char         *text,
                                        gsize               length,
                                        guint               max_depth,
                                        GError            **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_json_tape_free         (SpJsonTape         *tape);
guint32      sp_json_tape_lookup       (const SpJsonTape   *tape,
                                        guint32             object,
                                        const char         *key,
                                        gsize               key_len);
void         sp_json_tape_span         (const SpJsonTape   *tape,
                                        guint32             node,
                                        guint32            *start,
                                        guint32            *end);
const char  *sp_json_tape_member_text  (const SpJsonTape   *tape,
                                        guint32             object,
                                        const char         *key,
                                        gsize              *len);
gboolean     sp_json_tape_number       (const SpJsonTape   *tape,
                                        guint32             node,
                                        gint64             *int_value,
                                        double             *double_value);
gboolean     sp_json_number_equal      (const char         *a,
                                        gsize               a_len,
                                        const char         *b,
                                        gsize               b_len);
guint        sp_json_number_hash       (const char         *text,
                                        gsize               len);

/* Whether @len bytes at @a and @b are the same: keys and values are short,
 * and a call to memcmp() costs more than the comparison. */
static inline gboolean
sp_json_tape_bytes_equal (const char *a,
                          const char *b,
                          gsize       len)
{
  for (; len >= 8; a += 8, b += 8, len -= 8)
    {
      guint64 x, y;

      memcpy (&x, a, 8);
      memcpy (&y, b, 8);
      if (x != y)
        return FALSE;
    }
  for (; len > 0; a++, b++, len--)
    if (*a != *b)
      return FALSE;
  return TRUE;
}

/* The text of a STRING or NUMBER node (not NUL-terminated). */
static inline const char *
sp_json_tape_text (const SpJsonTape *tape,
                   guint32           node)
{
  const SpJsonTapeNode *n = &tape->nodes[node];

  return (n->flags & SP_JSON_TAPE_DECODED ? tape->decoded->str : tape->text) + n->start;
}

/* The key of member @i of @object (its value is the node after it). */
static inline guint32
sp_json_tape_member (const SpJsonTape *tape,
                     guint32           object,
                     guint32           i)
{
  return tape->children[tape->nodes[object].start + i];
}

static inline guint32
sp_json_tape_element (const SpJsonTape *tape,
                      guint32           array,
                      guint32           i)
{
  return tape->children[tape->nodes[array].start + i];
}

/* Whether containers @a of @a_tape and @b of @b_tape are the same text
 * (then the same values, with nodes @b - @a apart). */
static inline gboolean
sp_json_tape_same_text (const SpJsonTape *a_tape,
                        guint32           a,
                        const SpJsonTape *b_tape,
                        guint32           b)
{
  const guint32 *a_span = a_tape->children + a_tape->nodes[a].start - 2;
  const guint32 *b_span = b_tape->children + b_tape->nodes[b].start - 2;

  return a_span[1] - a_span[0] == b_span[1] - b_span[0]
         && memcmp (a_tape->text + a_span[0], b_tape->text + b_span[0], a_span[1] - a_span[0]) == 0;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpJsonTape, sp_json_tape_free)

G_END_DECLS
