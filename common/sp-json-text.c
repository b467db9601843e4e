/* sp-json-text.c: JSON written as text, with numbers as they were written */
#define G_LOG_DOMAIN "sp-json"

#include "config.h"

#include <string.h>

#include "sp-json-text.h"
#include "sp-json.h"

/**
 * sp_json_number_is_valid:
 * @text: the text to check, @length bytes
 *
 * Returns: whether @text is a JSON number (RFC 8259 §6): `-12`, `19.99`,
 *   `1e400`; not `+1`, `012`, `.5`, `1.` or `NaN`
 */
gboolean
sp_json_number_is_valid (const char *text,
                         gsize       length)
{
  const char *p = text;
  const char *end = text + length;
  const char *digits;

  if (text == NULL)
    return FALSE;
  if (p < end && *p == '-')
    p++;
  if (p < end && *p == '0')
    p++;
  else
    {
      for (digits = p; p < end && g_ascii_isdigit (*p); p++)
        ;
      if (p == digits)
        return FALSE;
    }
  if (p < end && *p == '.')
    {
      for (digits = ++p; p < end && g_ascii_isdigit (*p); p++)
        ;
      if (p == digits)
        return FALSE;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      if (++p < end && (*p == '+' || *p == '-'))
        p++;
      for (digits = p; p < end && g_ascii_isdigit (*p); p++)
        ;
      if (p == digits)
        return FALSE;
    }
  return p == end;
}

/* The comma before a value or member, unless it is the first of its container. */
static void
separate (GString *out)
{
  char last = out->len > 0 ? out->str[out->len - 1] : '{';

  if (last != '{' && last != '[' && last != ':')
    g_string_append_c (out, ',');
}

void
sp_json_text_begin_object (GString *out)
{
  separate (out);
  g_string_append_c (out, '{');
}

void
sp_json_text_end_object (GString *out)
{
  g_string_append_c (out, '}');
}

/**
 * sp_json_text_member:
 * @name: the member's name; its value is the next one added
 */
void
sp_json_text_member (GString    *out,
                     const char *name)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), name);

  sp_json_text_add_node (out, node);
  g_string_append_c (out, ':');
}

/**
 * sp_json_text_add_string:
 * @text: (nullable): the string; %NULL writes `null`
 */
void
sp_json_text_add_string (GString    *out,
                         const char *text)
{
  g_autoptr(JsonNode) node = text != NULL ? json_node_init_string (json_node_alloc (), text)
                                          : json_node_new (JSON_NODE_NULL);

  sp_json_text_add_node (out, node);
}

/**
 * sp_json_text_add_number:
 * @number: a JSON number's text (sp_json_number_is_valid()), written as it is
 */
void
sp_json_text_add_number (GString    *out,
                         const char *number)
{
  g_return_if_fail (sp_json_number_is_valid (number, number != NULL ? strlen (number) : 0));

  separate (out);
  g_string_append (out, number);
}

/**
 * sp_json_text_add_node:
 * @node: (nullable): a value as json-glib writes it; %NULL writes `null`
 *
 * The numbers of @node are written as json-glib holds them: a number whose
 * digits matter goes through sp_json_text_add_number().
 */
void
sp_json_text_add_node (GString  *out,
                       JsonNode *node)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  separate (out);
  if (node == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  text = sp_json_to_string (node, &length);
  g_string_append_len (out, text, (gssize) length);
}
