/* sp-value-format.c: form values as people read them in an ente's language (Sì/No, dates, numbers) */
#define _GNU_SOURCE   /* nl_langinfo_l (GROUPING) */
#define G_LOG_DOMAIN "sp-value-format"

#include "config.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>

#include <glib/gi18n-lib.h>

#include "sp-value-format.h"

#define DEFAULT_LOCALE "it_IT"

struct _SpValueFormat
{
  char *locale;
  char *yes;
  char *no;
  char *decimal_point;
  char *thousands_separator;
  char *grouping;        /* sizes of the digit groups from the right, as LC_NUMERIC's */
  char *date_format;     /* strftime conversions, such as %d/%m/%Y */
  GTimeZone *time_zone;  /* where times are read; NULL: the local one */
};

/* Translated in the format's language by sp_value_format_new(). */
static const char *const yes_msgid = NC_("form value", "Yes");
static const char *const no_msgid = NC_("form value", "No");

/**
 * sp_locale_name_utf8:
 * @locale: such as `it_IT`
 *
 * Returns: the name of @locale's UTF-8 variant, such as `it_IT.UTF-8`
 */
char *
sp_locale_name_utf8 (const char *locale)
{
  return g_str_has_suffix (locale, ".UTF-8") ? g_strdup (locale) : g_strconcat (locale, ".UTF-8", NULL);
}

/* Once per locale, not once per pratica shown. */
static void
warn_missing (const char *name)
{
  G_LOCK_DEFINE_STATIC (warned);
  static GHashTable *warned;
  gboolean first;

  G_LOCK (warned);
  if (warned == NULL)
    warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  first = g_hash_table_add (warned, g_strdup (name));
  G_UNLOCK (warned);
  if (first)
    g_warning ("Locale %s is not installed: form values are written in the neutral format "
               "(Yes/No, 2026-03-15, 1234.5)", name);
}

/**
 * sp_value_format_new:
 * @locale: (nullable): an ente's locale, such as `it_IT`; `it_IT` when %NULL
 *
 * Reads the conventions of @locale from the system's locale data (decimal
 * point, digit grouping, date order) and the words for yes and no from the
 * app's translations, switching the calling thread's locale only while it
 * reads them. When @locale is not installed, the values are written in a
 * neutral format (English words, ISO dates, no grouping), with a warning.
 *
 * Returns: (transfer full): the format
 */
SpValueFormat *
sp_value_format_new (const char *locale)
{
  SpValueFormat *format = g_new0 (SpValueFormat, 1);
  g_autofree char *name = NULL;
  locale_t wanted;
  locale_t previous;

  format->locale = g_strdup (locale != NULL && *locale != '\0' ? locale : DEFAULT_LOCALE);
  name = sp_locale_name_utf8 (format->locale);
  wanted = newlocale (LC_ALL_MASK, name, (locale_t) 0);
  if (wanted == (locale_t) 0)
    {
      warn_missing (name);
      format->yes = g_strdup (yes_msgid);
      format->no = g_strdup (no_msgid);
      format->decimal_point = g_strdup (".");
      format->thousands_separator = g_strdup ("");
      format->grouping = g_strdup ("");
      format->date_format = g_strdup ("%Y-%m-%d");
      return format;
    }

  format->decimal_point = g_strdup (nl_langinfo_l (RADIXCHAR, wanted));
  format->thousands_separator = g_strdup (nl_langinfo_l (THOUSEP, wanted));
#ifdef GROUPING
  format->grouping = g_strdup (nl_langinfo_l (GROUPING, wanted));
#else
  format->grouping = g_strdup ("\3");   /* groups of three, as nearly everywhere */
#endif
  format->date_format = g_strdup (nl_langinfo_l (D_FMT, wanted));

  /* gettext follows the thread's LC_MESSAGES. */
  previous = uselocale (wanted);
  format->yes = g_strdup (g_dpgettext2 (GETTEXT_PACKAGE, "form value", yes_msgid));
  format->no = g_strdup (g_dpgettext2 (GETTEXT_PACKAGE, "form value", no_msgid));
  uselocale (previous);
  freelocale (wanted);

  if (*format->decimal_point == '\0')
    {
      g_free (format->decimal_point);
      format->decimal_point = g_strdup (".");
    }
  if (*format->date_format == '\0')
    {
      g_free (format->date_format);
      format->date_format = g_strdup ("%Y-%m-%d");
    }
  return format;
}

void
sp_value_format_free (SpValueFormat *format)
{
  if (format == NULL)
    return;
  g_free (format->locale);
  g_free (format->yes);
  g_free (format->no);
  g_free (format->decimal_point);
  g_free (format->thousands_separator);
  g_free (format->grouping);
  g_free (format->date_format);
  g_clear_pointer (&format->time_zone, g_time_zone_unref);
  g_free (format);
}

/**
 * sp_value_format_get_locale:
 *
 * Returns: the locale the format was made for, such as `it_IT`
 */
const char *
sp_value_format_get_locale (const SpValueFormat *format)
{
  return format->locale;
}

/**
 * sp_value_format_set_time_zone:
 * @time_zone: (nullable): where times are read (the ente's, on the
 *   server); %NULL for the local time zone
 */
void
sp_value_format_set_time_zone (SpValueFormat *format,
                               GTimeZone     *time_zone)
{
  g_clear_pointer (&format->time_zone, g_time_zone_unref);
  format->time_zone = time_zone != NULL ? g_time_zone_ref (time_zone) : NULL;
}

/**
 * sp_value_format_datetime:
 * @datetime: an instant
 *
 * Returns: (transfer full): @datetime in the format's time zone, to the
 *   second: `15/03/2026 10:05:12`
 */
char *
sp_value_format_datetime (const SpValueFormat *format,
                          GDateTime           *datetime)
{
  g_autoptr(GDateTime) local = format != NULL && format->time_zone != NULL
                               ? g_date_time_to_timezone (datetime, format->time_zone)
                               : g_date_time_to_local (datetime);

  return g_date_time_format (local, "%d/%m/%Y %H:%M:%S");
}

/**
 * sp_value_format_boolean:
 *
 * Returns: *Sì* or *No* in Italian
 */
char *
sp_value_format_boolean (const SpValueFormat *format,
                         gboolean             value)
{
  return g_strdup (value ? format->yes : format->no);
}

/* The @length digits at @digits, with the thousands separator between their
 * groups, counted from the right as the locale's grouping says. */
static void
append_grouped (const SpValueFormat *format,
                GString             *out,
                const char          *digits,
                gsize                length)
{
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize left = length;
  gsize size = 0;

  for (guint i = 0; left > 0; )
    {
      if (format->grouping[i] != '\0')
        size = (guchar) format->grouping[i++];
      /* No grouping, or no more: CHAR_MAX ends it, the last size repeats. */
      if (*format->thousands_separator == '\0' || size == 0 || size == CHAR_MAX || size >= left)
        size = left;
      g_array_append_val (sizes, size);
      left -= size;
    }

  for (guint i = sizes->len; i-- > 0; )
    {
      gsize group = g_array_index (sizes, gsize, i);

      g_string_append_len (out, digits, (gssize) group);
      digits += group;
      if (i > 0)
        g_string_append (out, format->thousands_separator);
    }
}

/**
 * sp_value_format_decimal:
 * @text: a number written as in JSON without exponent: `-1234.50`, `42`
 *
 * Keeps the digits as written (`1234.50` keeps its zero) and writes them with
 * the locale's decimal point and digit grouping: `1.234,50` in Italian.
 *
 * Returns: (nullable): the number for people, or %NULL when @text is not such
 *   a number
 */
char *
sp_value_format_decimal (const SpValueFormat *format,
                         const char          *text)
{
  g_autoptr(GString) out = NULL;
  const char *digits = text;
  gsize integer_length;
  const char *fraction;

  if (text == NULL)
    return NULL;
  if (*digits == '-' || *digits == '+')
    digits++;
  integer_length = strspn (digits, "0123456789");
  if (integer_length == 0)
    return NULL;
  fraction = digits + integer_length;
  if (*fraction == '.')
    {
      gsize fraction_length = strspn (fraction + 1, "0123456789");

      if (fraction_length == 0 || fraction[1 + fraction_length] != '\0')
        return NULL;
    }
  else if (*fraction != '\0')
    return NULL;

  out = g_string_new (NULL);
  if (*text == '-')
    g_string_append_c (out, '-');
  append_grouped (format, out, digits, integer_length);
  if (*fraction == '.')
    {
      g_string_append (out, format->decimal_point);
      g_string_append (out, fraction + 1);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * sp_value_format_integer:
 *
 * Returns: @value with the locale's digit grouping: `1.234.567` in Italian
 */
char *
sp_value_format_integer (const SpValueFormat *format,
                         gint64               value)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  return sp_value_format_decimal (format, text);
}

/**
 * sp_value_format_double:
 *
 * Returns: @value with up to 15 significant digits, the locale's decimal point
 *   and digit grouping (`1.234,5` in Italian); very large or small values in
 *   the exponent form, as they are
 */
char *
sp_value_format_double (const SpValueFormat *format,
                        double               value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  char *formatted;

  g_ascii_formatd (text, sizeof text, "%.15g", value);
  formatted = sp_value_format_decimal (format, text);
  return formatted != NULL ? formatted : g_strdup (text);
}

/**
 * sp_value_format_date:
 * @iso_date: a date as form data hold it, `2026-03-15`
 *
 * Returns: (nullable): the date in the locale's order, `15/03/2026` in
 *   Italian; %NULL when @iso_date is not a valid date in that form
 */
char *
sp_value_format_date (const SpValueFormat *format,
                      const char          *iso_date)
{
  g_autoptr(GDateTime) date = NULL;
  guint year, month, day;

  if (iso_date == NULL || strlen (iso_date) != 10 || iso_date[4] != '-' || iso_date[7] != '-'
      || strspn (iso_date, "0123456789") != 4 || strspn (iso_date + 5, "0123456789") != 2
      || strspn (iso_date + 8, "0123456789") != 2)
    return NULL;
  year = (guint) g_ascii_strtoull (iso_date, NULL, 10);
  month = (guint) g_ascii_strtoull (iso_date + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (iso_date + 8, NULL, 10);
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return NULL;
  date = g_date_time_new_utc ((int) year, (int) month, (int) day, 0, 0, 0);
  return date != NULL ? g_date_time_format (date, format->date_format) : NULL;
}
