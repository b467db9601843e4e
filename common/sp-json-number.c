/* sp-json-number.c: a tape's numbers as GLib reads them, and compared and hashed by their exact decimal value */
#define G_LOG_DOMAIN "sp-json"

#include "config.h"

#include <string.h>

#include "sp-json-tape.h"

/**
 * sp_json_tape_number:
 * @node: a NUMBER node
 *
 * Reads a number as json-glib 1.6 does: without a fraction or an exponent,
 * an integer (wrapping past 64 bits as json-glib does); else a double.
 *
 * Returns: %TRUE for an integer (in @int_value), %FALSE for a double
 */
gboolean
sp_json_tape_number (const SpJsonTape *tape,
                     guint32           node,
                     gint64           *int_value,
                     double           *double_value)
{
  const SpJsonTapeNode *n = &tape->nodes[node];
  const char *text = sp_json_tape_text (tape, node);
  char buffer[64];
  g_autofree char *copy = NULL;
  char *nul;

  if (n->len < sizeof buffer)
    {
      memcpy (buffer, text, n->len);
      buffer[n->len] = '\0';
      nul = buffer;
    }
  else
    nul = copy = g_strndup (text, n->len);

  if (n->flags & SP_JSON_TAPE_INTEGER)
    {
      gboolean negative = *nul == '-';
      guint64 magnitude = g_ascii_strtoull (nul + negative, NULL, 10);

      *int_value = (gint64) (negative ? (guint64) 0 - magnitude : magnitude);
      return TRUE;
    }
  *double_value = g_ascii_strtod (nul, NULL);
  return FALSE;
}

/* A number's text read as a decimal, without converting it: the value is
 * 0.DIGITS × 10^@point, DIGITS the @n_digits significant digits from
 * @first (a `.` may be among them). Zero has none, and no sign. @huge: the
 * exponent is past what is counted exactly (no jsonb holds such a number). */
typedef struct
{
  const char *first;
  gint64      point;
  gsize       n_digits;
  gboolean    negative;
  gboolean    huge;
} Decimal;

#define EXPONENT_MAX G_GINT64_CONSTANT (100000000000000000)   /* 10^17 */

static void
decimal_read (const char *text,
              gsize       len,
              Decimal    *d)
{
  const char *p = text;
  const char *end = text + len;
  const char *mantissa_end = p;
  const char *dot;
  const char *last;
  gint64 exponent = 0;

  *d = (Decimal) { NULL, 0, 0, FALSE, FALSE };
  if (p < end && *p == '-')
    p++;
  while (mantissa_end < end && *mantissa_end != 'e' && *mantissa_end != 'E')
    mantissa_end++;
  if (mantissa_end < end)
    {
      const char *e = mantissa_end + 1;
      gboolean minus = e < end && *e == '-';

      if (e < end && (*e == '+' || *e == '-'))
        e++;
      for (; e < end && !d->huge; e++)
        {
          exponent = exponent * 10 + (*e - '0');
          d->huge = exponent >= EXPONENT_MAX;
        }
      if (minus)
        exponent = -exponent;
    }
  dot = memchr (p, '.', mantissa_end - p);
  if (dot == NULL)
    dot = mantissa_end;

  d->first = p;
  while (d->first < mantissa_end && (*d->first == '0' || *d->first == '.'))
    d->first++;
  if (d->first == mantissa_end)
    {
      d->huge = FALSE;
      return;   /* zero, -0 and 0e7 too */
    }
  last = mantissa_end - 1;
  while (*last == '0' || *last == '.')
    last--;
  d->negative = *text == '-';
  d->n_digits = last - d->first + 1 - (dot > d->first && dot < last);
  d->point = (d->first < dot ? dot - d->first : -(gint64) (d->first - dot - 1)) + exponent;
}

/**
 * sp_json_number_equal:
 * @a: a JSON number's text (RFC 8259), @a_len bytes
 * @b: another's, @b_len bytes
 *
 * Whether two JSON numbers are the same decimal value, exactly, as
 * PostgreSQL's numeric (and jsonb's `=`) compares them: `1`, `1.0`, `1.00`
 * and `10e-1` are equal, `-0` equals `0`; `19.99` is not
 * `19.989999999999998`, nor `100000000000000000000` `100000000000000000001`
 * (which a double or a gint64 would make equal). Nothing is converted, so
 * no number is too long. Exponents of 10^17 and more, which no jsonb holds,
 * are equal only when written the same.
 */
gboolean
sp_json_number_equal (const char *a,
                      gsize       a_len,
                      const char *b,
                      gsize       b_len)
{
  Decimal x, y;
  const char *p, *q;

  if (a_len == b_len && sp_json_tape_bytes_equal (a, b, a_len))
    return TRUE;
  decimal_read (a, a_len, &x);
  decimal_read (b, b_len, &y);
  if (x.huge || y.huge || x.negative != y.negative || x.n_digits != y.n_digits || x.point != y.point)
    return FALSE;
  p = x.first;
  q = y.first;
  for (gsize i = 0; i < x.n_digits; i++, p++, q++)
    {
      if (*p == '.')
        p++;
      if (*q == '.')
        q++;
      if (*p != *q)
        return FALSE;
    }
  return TRUE;
}

/**
 * sp_json_number_hash:
 * @text: a JSON number's text, @len bytes
 *
 * Returns: a hash of the number's value: equal for numbers that
 *   sp_json_number_equal() says are equal
 */
guint
sp_json_number_hash (const char *text,
                     gsize       len)
{
  Decimal d;
  guint hash;
  const char *p;

  decimal_read (text, len, &d);
  if (d.huge)
    {
      hash = 5381;
      for (gsize i = 0; i < len; i++)
        hash = hash * 33 + (guchar) text[i];
      return hash;
    }
  hash = (guint) d.point * 31 + d.negative;
  p = d.first;
  for (gsize i = 0; i < d.n_digits; i++, p++)
    {
      if (*p == '.')
        p++;
      hash = hash * 33 + (guchar) *p;
    }
  return hash;
}
