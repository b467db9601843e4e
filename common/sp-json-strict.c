/* sp-json-strict.c: a validator of the JSON grammar of RFC 8259, stricter than json-glib 1.6 */
#define G_LOG_DOMAIN "sp-json"

#include "config.h"

#include "sp-json.h"

#define MAX_DEPTH 128

typedef struct
{
  const char *p;
  const char *end;
} Scanner;

static gboolean value (Scanner *s, guint depth);

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
literal (Scanner    *s,
         const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (s->end - s->p) < length || memcmp (s->p, word, length) != 0)
    return FALSE;
  s->p += length;
  return TRUE;
}

static gboolean
digits (Scanner *s)
{
  const char *start = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > start;
}

static gboolean
number (Scanner *s)
{
  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!digits (s))
    return FALSE;
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!digits (s))
        return FALSE;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!digits (s))
        return FALSE;
    }
  return TRUE;
}

static gboolean
string (Scanner *s)
{
  s->p++; /* the opening quote */
  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p++;

      if (c == '"')
        return TRUE;
      if (c < 0x20)
        return FALSE;
      if (c == '\\')
        {
          if (s->p >= s->end)
            return FALSE;
          c = (guchar) *s->p++;
          if (c == 'u')
            {
              for (int i = 0; i < 4; i++)
                if (s->p >= s->end || !g_ascii_isxdigit (*s->p++))
                  return FALSE;
            }
          else if (strchr ("\"\\/bfnrt", c) == NULL || c == '\0')
            return FALSE;
        }
    }
  return FALSE;
}

static gboolean
container (Scanner *s,
           guint    depth,
           char     close,
           gboolean members)
{
  if (depth > MAX_DEPTH)
    return FALSE;
  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      if (members)
        {
          if (s->p >= s->end || *s->p != '"' || !string (s))
            return FALSE;
          skip_space (s);
          if (s->p >= s->end || *s->p++ != ':')
            return FALSE;
        }
      if (!value (s, depth + 1))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == close)
        {
          s->p++;
          return TRUE;
        }
      if (*s->p++ != ',')
        return FALSE;
      skip_space (s);
    }
}

static gboolean
value (Scanner *s,
       guint    depth)
{
  skip_space (s);
  if (s->p >= s->end)
    return FALSE;
  switch (*s->p)
    {
    case '{':
      return container (s, depth, '}', TRUE);
    case '[':
      return container (s, depth, ']', FALSE);
    case '"':
      return string (s);
    case 't':
      return literal (s, "true");
    case 'f':
      return literal (s, "false");
    case 'n':
      return literal (s, "null");
    default:
      return number (s);
    }
}

/**
 * sp_json_is_strict:
 *
 * Returns: whether @data is exactly one JSON text as RFC 8259 defines it
 *   (nesting limited to 128 levels), with nothing after it but white space
 */
gboolean
sp_json_is_strict (const char *data,
                   gsize       length)
{
  Scanner s = { data, data + length };

  if (!value (&s, 0))
    return FALSE;
  skip_space (&s);
  return s.p == s.end;
}
