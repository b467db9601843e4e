/* sp-json-tape.c: a JSON text read once into a flat array of nodes, strictly, without a node allocated on its own */
#define G_LOG_DOMAIN "sp-json"

#include "config.h"

#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "sp-error.h"
#include "sp-json-tape.h"

/* An open container: its node, where its children begin among the pending
 * ones, (an object) its last key, to see whether the keys are sorted, and
 * where its text begins. */
typedef struct
{
  guint32  node;
  guint32  base;
  guint32  last_key;
  guint32  text_start;
  gboolean sorted;
} Frame;

typedef struct
{
  const guchar *p;
  const guchar *text;
  const guchar *end;
  SpJsonTape   *tape;
  guint32       nodes_size;
  guint32       children_size;
  guint32      *pending;       /* the children of the open containers */
  guint32       n_pending;
  guint32       pending_size;
  Frame        *frames;
  guint32       frames_size;
  guint         depth;
  guint         max_depth;
} Parser;

static void
grow (gpointer *array,
      guint32  *size,
      gsize     item,
      guint32   needed)
{
  guint32 n = MAX (*size, 64);

  if (*array != NULL && *size >= needed)
    return;

  while (n < needed)
    n *= 2;
  *array = g_realloc_n (*array, n, item);
  *size = n;
}

static inline guint32
add_node (Parser *parser,
          guint8  type,
          guint8  flags,
          guint32 start,
          guint32 len)
{
  SpJsonTape *tape = parser->tape;

  if (G_UNLIKELY (tape->n_nodes == parser->nodes_size))
    grow ((gpointer *) &tape->nodes, &parser->nodes_size, sizeof (SpJsonTapeNode), tape->n_nodes + 1);
  tape->nodes[tape->n_nodes] = (SpJsonTapeNode) { start, len, type, flags };
  return tape->n_nodes++;
}

static inline void
add_pending (Parser  *parser,
             guint32  node)
{
  if (G_UNLIKELY (parser->n_pending == parser->pending_size))
    grow ((gpointer *) &parser->pending, &parser->pending_size, sizeof (guint32), parser->n_pending + 1);
  parser->pending[parser->n_pending++] = node;
}

static inline void
skip_space (Parser *parser)
{
  while (parser->p < parser->end
         && (*parser->p == ' ' || *parser->p == '\n' || *parser->p == '\r' || *parser->p == '\t'))
    parser->p++;
}

/* Keys in jsonb's order: shorter first, then byte by byte. */
static inline int
key_compare (const SpJsonTape *tape,
             guint32           a,
             guint32           b)
{
  guint32 a_len = tape->nodes[a].len;
  guint32 b_len = tape->nodes[b].len;

  if (a_len != b_len)
    return a_len < b_len ? -1 : 1;
  return memcmp (sp_json_tape_text (tape, a), sp_json_tape_text (tape, b), a_len);
}

static int
key_compare_cb (gconstpointer a,
                gconstpointer b,
                gpointer      tape)
{
  return key_compare (tape, *(const guint32 *) a, *(const guint32 *) b);
}

/* The bytes of a valid UTF-8 sequence beginning at @p (a byte ≥ 0x80), or 0. */
static inline guint
utf8_sequence (const guchar *p,
               const guchar *end)
{
  guchar c = p[0];
  guchar lo = 0x80;
  guchar hi = 0xBF;

  if (c >= 0xC2 && c <= 0xDF)
    return end - p >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF)
    {
      if (c == 0xE0)
        lo = 0xA0;
      else if (c == 0xED)
        hi = 0x9F;   /* not a surrogate */
      return end - p >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
  if (c >= 0xF0 && c <= 0xF4)
    {
      if (c == 0xF0)
        lo = 0x90;
      else if (c == 0xF4)
        hi = 0x8F;   /* not past U+10FFFF */
      return end - p >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80 ? 4 : 0;
    }
  return 0;
}

/* The first byte from @p on that a string cannot copy as it is: a control
 * character, `"`, `\` or a byte of a UTF-8 sequence (to be checked); or
 * @end. Sixteen bytes at a time with SSE2, else eight. */
static inline const guchar *
scan_plain (const guchar *p,
            const guchar *end)
{
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8 ('"');
  const __m128i backslash = _mm_set1_epi8 ('\\');
  const __m128i space = _mm_set1_epi8 (0x20);

  while (end - p >= 16)
    {
      __m128i x = _mm_loadu_si128 ((const __m128i *) p);
      /* Signed: bytes from 0x80 up are below 0x20 too. */
      int mask = _mm_movemask_epi8 (_mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (x, quote),
                                                                 _mm_cmpeq_epi8 (x, backslash)),
                                                   _mm_cmplt_epi8 (x, space)));

      if (mask != 0)
        return p + __builtin_ctz (mask);
      p += 16;
    }
#endif
  while (end - p >= 8)
    {
      const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
      const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
      guint64 x, quote_bytes, backslash_bytes, found;

      memcpy (&x, p, 8);
      x = GUINT64_FROM_LE (x);   /* the first byte lowest */
      quote_bytes = x ^ (ones * '"');
      backslash_bytes = x ^ (ones * '\\');
      /* The lowest flagged byte is a true match (borrows only go up). */
      found = ((((x - ones * 0x20) | (quote_bytes - ones) | (backslash_bytes - ones)) & ~x) | x) & highs;
      if (found != 0)
        return p + __builtin_ctzll (found) / 8;
      p += 8;
    }
  while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
    p++;
  return p;
}

static inline int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
    return (c | 0x20) - 'a' + 10;
  return -1;
}

/* Four hex digits at @p, or -1. */
static int
hex4 (const guchar *p,
      const guchar *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* The rest of a string with escapes, from @p (a `\`), decoded into the
 * tape's decoded strings after what @start..@p held; before it, where its
 * text begins and ends (sp_json_tape_span()). */
static gboolean
decode_string (Parser       *parser,
               const guchar *start,
               guint32      *offset,
               guint32      *len)
{
  GString *decoded = parser->tape->decoded;
  const guchar *p = parser->p;
  const guchar *end = parser->end;
  guint32 span[2] = { start - 1 - parser->text, 0 };

  g_string_append_len (decoded, (const char *) span, sizeof span);
  *offset = decoded->len;
  g_string_append_len (decoded, (const char *) start, p - start);
  while (p < end)
    {
      guchar c = *p;

      if (c == '"')
        {
          *len = decoded->len - *offset;
          parser->p = p + 1;
          span[1] = parser->p - parser->text;
          memcpy (decoded->str + *offset - sizeof span, span, sizeof span);
          return TRUE;
        }
      if (c < 0x20)
        return FALSE;
      if (c >= 0x80)
        {
          guint n = utf8_sequence (p, end);

          if (n == 0)
            return FALSE;
          g_string_append_len (decoded, (const char *) p, n);
          p += n;
          continue;
        }
      if (c != '\\')
        {
          g_string_append_c (decoded, c);
          p++;
          continue;
        }
      if (++p >= end)
        return FALSE;
      switch (*p++)
        {
        case '"': g_string_append_c (decoded, '"'); break;
        case '\\': g_string_append_c (decoded, '\\'); break;
        case '/': g_string_append_c (decoded, '/'); break;
        case 'b': g_string_append_c (decoded, '\b'); break;
        case 'f': g_string_append_c (decoded, '\f'); break;
        case 'n': g_string_append_c (decoded, '\n'); break;
        case 'r': g_string_append_c (decoded, '\r'); break;
        case 't': g_string_append_c (decoded, '\t'); break;
        case 'u':
          {
            int unit = hex4 (p, end);
            gunichar ch;

            p += 4;
            if (unit <= 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
              return FALSE;   /* U+0000, which a C string cannot hold, or a lone low surrogate */
            ch = unit;
            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                int low = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4 (p + 2, end) : -1;

                if (low < 0xDC00 || low > 0xDFFF)
                  return FALSE;
                ch = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                p += 6;
              }
            g_string_append_unichar (decoded, ch);
          }
          break;
        default:
          return FALSE;
        }
    }
  return FALSE;
}

/* A string, from its opening quote: its text in place when it has no
 * escapes (the usual case, scanned eight bytes at a time), else decoded. */
static gboolean
parse_string (Parser *parser)
{
  const guchar *start = ++parser->p;
  const guchar *p = start;
  const guchar *end = parser->end;

  for (;;)
    {
      p = scan_plain (p, end);
      if (p >= end)
        return FALSE;
      if (*p == '"')
        break;
      if (*p >= 0x80)
        {
          guint n = utf8_sequence (p, end);

          if (n == 0)
            return FALSE;
          p += n;
        }
      else if (*p == '\\')
        {
          guint32 offset, len;

          parser->p = p;
          if (!decode_string (parser, start, &offset, &len))
            return FALSE;
          add_node (parser, SP_JSON_TAPE_STRING, SP_JSON_TAPE_DECODED, offset, len);
          return TRUE;
        }
      else
        return FALSE;   /* a control character */
    }
  add_node (parser, SP_JSON_TAPE_STRING, 0, start - parser->text, p - start);
  parser->p = p + 1;
  return TRUE;
}

static inline gboolean
digits (Parser *parser)
{
  const guchar *start = parser->p;

  while (parser->p < parser->end && g_ascii_isdigit (*parser->p))
    parser->p++;
  return parser->p > start;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
parse_number (Parser *parser)
{
  const guchar *start = parser->p;
  guint8 flags = SP_JSON_TAPE_INTEGER;

  if (*parser->p == '-')
    parser->p++;
  if (parser->p < parser->end && *parser->p == '0')
    parser->p++;
  else if (!digits (parser))
    return FALSE;
  if (parser->p < parser->end && *parser->p == '.')
    {
      parser->p++;
      flags = 0;
      if (!digits (parser))
        return FALSE;
    }
  if (parser->p < parser->end && (*parser->p == 'e' || *parser->p == 'E'))
    {
      parser->p++;
      flags = 0;
      if (parser->p < parser->end && (*parser->p == '+' || *parser->p == '-'))
        parser->p++;
      if (!digits (parser))
        return FALSE;
    }
  add_node (parser, SP_JSON_TAPE_NUMBER, flags, start - parser->text, parser->p - start);
  return TRUE;
}

static gboolean
parse_literal (Parser     *parser,
               const char *word,
               guint8      type)
{
  gsize len = strlen (word);

  if ((gsize) (parser->end - parser->p) < len || memcmp (parser->p, word, len) != 0)
    return FALSE;
  parser->p += len;
  add_node (parser, type, 0, parser->p - parser->text, 0);
  return TRUE;
}

/* A member's key and its colon; the key's order against the last one. */
static gboolean
parse_key (Parser *parser)
{
  Frame *frame = &parser->frames[parser->depth - 1];
  guint32 key = parser->tape->n_nodes;

  if (parser->p >= parser->end || *parser->p != '"' || !parse_string (parser))
    return FALSE;
  if (frame->last_key != SP_JSON_TAPE_NONE && frame->sorted)
    {
      int order = key_compare (parser->tape, frame->last_key, key);

      if (order == 0)
        return FALSE;   /* the same key twice */
      frame->sorted = order < 0;
    }
  frame->last_key = key;
  add_pending (parser, key);
  skip_space (parser);
  if (parser->p >= parser->end || *parser->p != ':')
    return FALSE;
  parser->p++;
  return TRUE;
}

static gboolean
open_container (Parser *parser,
                guint8  type)
{
  guint32 node = add_node (parser, type, 0, 0, 0);

  if (parser->depth >= parser->max_depth)
    return FALSE;
  if (G_UNLIKELY (parser->depth == parser->frames_size))
    grow ((gpointer *) &parser->frames, &parser->frames_size, sizeof (Frame), parser->depth + 1);
  parser->frames[parser->depth++] = (Frame) { node, parser->n_pending, SP_JSON_TAPE_NONE,
                                              parser->p - parser->text, TRUE };
  parser->p++;
  return TRUE;
}

/* Moves the children of the innermost container to the tape, after where
 * its text begins and ends; an object whose keys are not sorted gets a
 * sorted copy of them, for the look-ups. */
static gboolean
close_container (Parser *parser)
{
  SpJsonTape *tape = parser->tape;
  Frame *frame = &parser->frames[--parser->depth];
  SpJsonTapeNode *node = &tape->nodes[frame->node];
  guint32 n = parser->n_pending - frame->base;
  gboolean copy = node->type == SP_JSON_TAPE_OBJECT && !frame->sorted;
  guint32 needed = tape->n_children + 2 + (copy ? 2 * n : n);

  parser->p++;
  if (G_UNLIKELY (needed > parser->children_size))
    grow ((gpointer *) &tape->children, &parser->children_size, sizeof (guint32), needed);
  tape->children[tape->n_children++] = frame->text_start;
  tape->children[tape->n_children++] = parser->p - parser->text;
  node->start = tape->n_children;
  node->len = n;
  if (n > 0)
    memcpy (tape->children + tape->n_children, parser->pending + frame->base, n * sizeof (guint32));
  tape->n_children += n;
  parser->n_pending = frame->base;
  if (node->type != SP_JSON_TAPE_OBJECT)
    return TRUE;
  if (!copy)
    {
      node->flags |= SP_JSON_TAPE_SORTED;
      return TRUE;
    }

  {
    guint32 *sorted = tape->children + tape->n_children;

    memcpy (sorted, tape->children + node->start, n * sizeof (guint32));
    g_qsort_with_data (sorted, n, sizeof (guint32), key_compare_cb, tape);
    tape->n_children += n;
    for (guint32 i = 1; i < n; i++)
      if (key_compare (tape, sorted[i - 1], sorted[i]) == 0)
        return FALSE;   /* the same key twice */
  }
  return TRUE;
}

static gboolean
parse (Parser *parser)
{
  for (;;)
    {
      Frame *frame;

      /* A value. */
      skip_space (parser);
      if (parser->p >= parser->end)
        return FALSE;
      if (parser->depth > 0 && parser->tape->nodes[parser->frames[parser->depth - 1].node].type == SP_JSON_TAPE_ARRAY)
        add_pending (parser, parser->tape->n_nodes);
      switch (*parser->p)
        {
        case '{':
        case '[':
          {
            gboolean object = *parser->p == '{';

            if (!open_container (parser, object ? SP_JSON_TAPE_OBJECT : SP_JSON_TAPE_ARRAY))
              return FALSE;
            skip_space (parser);
            if (parser->p < parser->end && *parser->p == (object ? '}' : ']'))
              {
                if (!close_container (parser))
                  return FALSE;
                break;
              }
            if (object && !parse_key (parser))
              return FALSE;
            continue;
          }
        case '"':
          if (!parse_string (parser))
            return FALSE;
          break;
        case 't':
          if (!parse_literal (parser, "true", SP_JSON_TAPE_TRUE))
            return FALSE;
          break;
        case 'f':
          if (!parse_literal (parser, "false", SP_JSON_TAPE_FALSE))
            return FALSE;
          break;
        case 'n':
          if (!parse_literal (parser, "null", SP_JSON_TAPE_NULL))
            return FALSE;
          break;
        default:
          if (!parse_number (parser))
            return FALSE;
          break;
        }

      /* After a value: the next one, or the end of containers. */
      for (;;)
        {
          gboolean object;

          skip_space (parser);
          if (parser->depth == 0)
            return parser->p == parser->end;
          if (parser->p >= parser->end)
            return FALSE;
          frame = &parser->frames[parser->depth - 1];
          object = parser->tape->nodes[frame->node].type == SP_JSON_TAPE_OBJECT;
          if (*parser->p == ',')
            {
              parser->p++;
              skip_space (parser);
              if (object && !parse_key (parser))
                return FALSE;
              break;
            }
          if (*parser->p != (object ? '}' : ']') || !close_container (parser))
            return FALSE;
        }
    }
}

/* The arrays of freed tapes, kept for the next ones read: fresh memory
 * costs a page fault a page (a comparison of two large snapshots reads
 * about a megabyte of tape), more than reading a page of JSON. A few are
 * kept, none larger than SPARE_MAX bytes. */
typedef struct
{
  SpJsonTapeNode *nodes;
  guint32         nodes_size;
  guint32        *children;
  guint32         children_size;
} Spare;

#define N_SPARES 4
#define SPARE_MAX (4 << 20)   /* a tape of some 2 MB of text */

static GMutex spares_lock;
static Spare spares[N_SPARES];
static guint n_spares;

static void
take_spare (SpJsonTape *tape)
{
  g_mutex_lock (&spares_lock);
  if (n_spares > 0)
    {
      Spare *spare = &spares[--n_spares];

      tape->nodes = spare->nodes;
      tape->nodes_size = spare->nodes_size;
      tape->children = spare->children;
      tape->children_size = spare->children_size;
    }
  g_mutex_unlock (&spares_lock);
}

static gboolean
keep_spare (SpJsonTape *tape)
{
  gboolean kept = FALSE;

  if ((gsize) tape->nodes_size * sizeof (SpJsonTapeNode) + (gsize) tape->children_size * sizeof (guint32) > SPARE_MAX
      || tape->nodes == NULL || tape->children == NULL)
    return FALSE;
  g_mutex_lock (&spares_lock);
  if (n_spares < N_SPARES)
    {
      spares[n_spares++] = (Spare) { tape->nodes, tape->nodes_size, tape->children, tape->children_size };
      kept = TRUE;
    }
  g_mutex_unlock (&spares_lock);
  return kept;
}

/**
 * sp_json_tape_new:
 * @text: the JSON text, which must outlive the tape
 * @max_depth: how deep containers may nest
 *
 * Reads @text: exactly one JSON value (RFC 8259) and nothing after it but
 * white space, with the stricter rules of the header.
 *
 * Returns: (transfer full): the tape, or %NULL with %SP_ERROR_INVALID_INPUT
 */
SpJsonTape *
sp_json_tape_new (const char  *text,
                  gsize        length,
                  guint        max_depth,
                  GError     **error)
{
  g_autoptr(SpJsonTape) tape = g_new0 (SpJsonTape, 1);
  Parser parser = { (const guchar *) text, (const guchar *) text, (const guchar *) text + length, tape };
  gboolean ok;

  if (length >= G_MAXUINT32)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "The JSON text is too long");
      return NULL;
    }
  tape->text = text;
  tape->decoded = g_string_new (NULL);
  take_spare (tape);
  parser.nodes_size = tape->nodes_size;
  parser.children_size = tape->children_size;
  /* About one node in eight bytes of text, as form data goes. */
  grow ((gpointer *) &tape->nodes, &parser.nodes_size, sizeof (SpJsonTapeNode), length / 8 + 1);
  grow ((gpointer *) &tape->children, &parser.children_size, sizeof (guint32), length / 8 + 1);
  parser.max_depth = max_depth;
  ok = parse (&parser);
  tape->nodes_size = parser.nodes_size;
  tape->children_size = parser.children_size;
  g_free (parser.pending);
  g_free (parser.frames);
  if (!ok)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "Malformed JSON at byte %" G_GSIZE_FORMAT,
                   (gsize) (parser.p - parser.text));
      return NULL;
    }
  return g_steal_pointer (&tape);
}

void
sp_json_tape_free (SpJsonTape *tape)
{
  if (tape == NULL)
    return;
  if (!keep_spare (tape))
    {
      g_free (tape->nodes);
      g_free (tape->children);
    }
  if (tape->decoded != NULL)
    g_string_free (tape->decoded, TRUE);
  g_free (tape);
}

/**
 * sp_json_tape_lookup:
 * @object: an OBJECT node
 *
 * Returns: the key of the member @key (its value is the node after it), or
 *   %SP_JSON_TAPE_NONE
 */
guint32
sp_json_tape_lookup (const SpJsonTape *tape,
                     guint32           object,
                     const char       *key,
                     gsize             key_len)
{
  const SpJsonTapeNode *node = &tape->nodes[object];
  const guint32 *keys = tape->children + node->start;
  guint32 lo = 0;
  guint32 hi = node->len;

  /* A form's objects are small: looked through, lengths first. */
  if (node->len <= 8)
    {
      for (guint32 i = 0; i < node->len; i++)
        if (tape->nodes[keys[i]].len == key_len
            && sp_json_tape_bytes_equal (sp_json_tape_text (tape, keys[i]), key, key_len))
          return keys[i];
      return SP_JSON_TAPE_NONE;
    }

  if (!(node->flags & SP_JSON_TAPE_SORTED))
    keys += node->len;
  while (lo < hi)
    {
      guint32 mid = lo + (hi - lo) / 2;
      guint32 len = tape->nodes[keys[mid]].len;
      int order = len != key_len ? (len < key_len ? -1 : 1) : memcmp (sp_json_tape_text (tape, keys[mid]), key, len);

      if (order == 0)
        return keys[mid];
      if (order < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return SP_JSON_TAPE_NONE;
}

/**
 * sp_json_tape_span:
 * @node: any node
 * @start: (out): where the text of @node begins in the tape's text
 * @end: (out): where it ends (the byte after it)
 *
 * The bytes @node was read from, exactly as written: a number's digits, a
 * string's quotes and escapes, a container's white space and members.
 */
void
sp_json_tape_span (const SpJsonTape *tape,
                   guint32           node,
                   guint32          *start,
                   guint32          *end)
{
  const SpJsonTapeNode *n = &tape->nodes[node];

  switch ((SpJsonTapeType) n->type)
    {
    case SP_JSON_TAPE_ARRAY:
    case SP_JSON_TAPE_OBJECT:
      *start = tape->children[n->start - 2];
      *end = tape->children[n->start - 1];
      break;

    case SP_JSON_TAPE_STRING:
      if (n->flags & SP_JSON_TAPE_DECODED)
        {
          guint32 span[2];

          memcpy (span, tape->decoded->str + n->start - sizeof span, sizeof span);
          *start = span[0];
          *end = span[1];
        }
      else
        {
          *start = n->start - 1;
          *end = n->start + n->len + 1;
        }
      break;

    case SP_JSON_TAPE_NUMBER:
      *start = n->start;
      *end = n->start + n->len;
      break;

    /* A literal's node is where it ends. */
    case SP_JSON_TAPE_NULL:
    case SP_JSON_TAPE_TRUE:
      *start = n->start - 4;
      *end = n->start;
      break;

    case SP_JSON_TAPE_FALSE:
      *start = n->start - 5;
      *end = n->start;
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * sp_json_tape_member_text:
 * @object: an OBJECT node
 * @key: a member's name
 * @len: (out): the bytes of the text returned
 *
 * The text of a member's value exactly as it was written, to be kept as
 * it came: a number as its digits, never through a double or an integer
 * of 64 bits. The one way for what a client sent to reach the database.
 *
 * Returns: (nullable): where that text begins in the tape's text (not
 *   NUL-terminated), or %NULL when @object has no member @key
 */
const char *
sp_json_tape_member_text (const SpJsonTape *tape,
                          guint32           object,
                          const char       *key,
                          gsize            *len)
{
  guint32 member = sp_json_tape_lookup (tape, object, key, strlen (key));
  guint32 start, end;

  if (member == SP_JSON_TAPE_NONE)
    return NULL;
  sp_json_tape_span (tape, member + 1, &start, &end);
  *len = end - start;
  return tape->text + start;
}
