#pragma once

/* What the comparison's walk (sp-version-compare.c) and what it hands the
 * fields to share: a sink, which writes them as JSON text
 * (sp-version-compare-json.c) or keeps them as rows
 * (sp-version-compare-list.c). */

#include <string.h>

#include "sp-json-tape.h"
#include "sp-version-compare.h"

G_BEGIN_DECLS

/* A key or label: UTF-8 text of @len bytes, not NUL-terminated; @plain
 * when it holds nothing JSON escapes (`"`, `\`, control characters). */
typedef struct
{
  const char *text;
  gsize       len;
  gboolean    plain;
} SpCompareText;

/* A value in one of the two snapshots: %SP_JSON_TAPE_NONE when missing. */
typedef struct
{
  const SpJsonTape *tape;
  guint32           node;
} SpCompareValue;

typedef struct _SpCompareSink SpCompareSink;

/**
 * SpCompareSink:
 * @push_member: the walk enters a member: its key, and its label (%NULL: the
 *   step has none of its own, as `data`)
 * @push_element: the walk enters an array element: its index, or (keyed)
 *   the key member's name and the key as text; its 1-based position; the
 *   element's label is the array's followed by ` [position]`
 * @pop: the walk leaves the last member or element entered
 * @field: a field where the walk is, with its values and change
 */
struct _SpCompareSink
{
  void (*push_member)  (SpCompareSink       *sink,
                        const SpCompareText *key,
                        const SpCompareText *label);
  void (*push_element) (SpCompareSink       *sink,
                        guint                index,
                        const char          *key_member,
                        const SpCompareText *key,
                        guint                position);
  void (*pop)          (SpCompareSink       *sink);
  void (*field)        (SpCompareSink       *sink,
                        SpCompareValue       old_value,
                        SpCompareValue       new_value,
                        SpChange             change);
};

gboolean     sp_version_compare_read       (const char       *snapshot,
                                            gsize             len,
                                            SpJsonTape      **tape,
                                            GError          **error);
void         sp_version_compare_walk       (const SpJsonTape *old_tape,
                                            const SpJsonTape *new_tape,
                                            SpCompareSchema  *schema,
                                            SpCompareSink    *sink);

/* Appends to @out without g_string_append_len()'s checks: the comparison
 * writes ten thousand fields a few bytes at a time. */
static inline void
sp_compare_append (GString    *out,
                   const char *text,
                   gsize       len)
{
  if (G_UNLIKELY (out->len + len >= out->allocated_len))
    {
      gsize old_len = out->len;

      g_string_set_size (out, old_len + len);
      out->len = old_len;
    }
  memcpy (out->str + out->len, text, len);
  out->len += len;
  out->str[out->len] = '\0';
}

#define sp_compare_append_literal(out, literal) sp_compare_append ((out), "" literal, sizeof (literal) - 1)

static inline void
sp_compare_append_c (GString *out,
                     char     c)
{
  sp_compare_append (out, &c, 1);
}

gboolean     sp_compare_text_is_plain      (const char     *text,
                                            gsize           len);

G_END_DECLS
