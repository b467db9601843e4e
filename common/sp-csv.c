/* sp-csv.c: CSV records as Italian spreadsheets read them, safe from formula injection */
#define G_LOG_DOMAIN "sp-csv"

#include "config.h"

#include <string.h>

#include "sp-csv.h"

/**
 * sp_csv_begin:
 *
 * The byte order mark, before the first record.
 */
void
sp_csv_begin (GString *csv)
{
  g_string_append (csv, "\xEF\xBB\xBF");
}

/**
 * sp_csv_append_field:
 * @value: (nullable): the field; %NULL or "" leave it empty
 * @text: whether @value is free text, which a spreadsheet must never run
 *   as a formula (numbers and dates are not)
 *
 * Appends a field to the record being written, after a separator unless it
 * is the record's first.
 */
void
sp_csv_append_field (GString    *csv,
                     const char *value,
                     gboolean    text)
{
  gboolean first = csv->len == 0 || csv->str[csv->len - 1] == '\n' || g_str_has_suffix (csv->str, "\xEF\xBB\xBF");
  gboolean quote;

  if (!first)
    g_string_append_c (csv, SP_CSV_SEPARATOR);
  if (value == NULL || *value == '\0')
    {
      /* An empty first field is still a field: "" keeps the columns. */
      if (first)
        g_string_append (csv, "\"\"");
      return;
    }

  quote = strpbrk (value, ";\"\r\n") != NULL || g_ascii_isspace (value[0])
          || g_ascii_isspace (value[strlen (value) - 1]);
  if (quote)
    g_string_append_c (csv, '"');
  if (text && strchr ("=+-@\t\r", value[0]) != NULL)
    g_string_append_c (csv, '\'');
  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *c);
    }
  if (quote)
    g_string_append_c (csv, '"');
}

void
sp_csv_end_record (GString *csv)
{
  g_string_append (csv, "\r\n");
}
