/* sp-log.c: structured logging to the journal, or one line per record with key=value fields */
#define G_LOG_DOMAIN "sp-log"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "sp-log.h"

static GLogLevelFlags threshold = G_LOG_LEVEL_INFO;

/* Whether stderr is the journal's socket: asked once, not at every record
 * (a system call each time). */
static gboolean to_journal;

static const char *
level_name (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "ERROR";
  if (level & G_LOG_LEVEL_CRITICAL)
    return "CRITICAL";
  if (level & G_LOG_LEVEL_WARNING)
    return "WARNING";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "NOTICE";
  if (level & G_LOG_LEVEL_INFO)
    return "INFO";
  return "DEBUG";
}

static gboolean
is_standard_field (const char *key)
{
  return g_str_equal (key, "MESSAGE") || g_str_equal (key, "PRIORITY")
         || g_str_equal (key, "GLIB_DOMAIN") || g_str_equal (key, "GLIB_OLD_LOG_API")
         || g_str_has_prefix (key, "CODE_");
}

static GLogWriterOutput
writer (GLogLevelFlags   level,
        const GLogField *fields,
        gsize            n_fields,
        gpointer         user_data)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  GString *line;
  const char *domain = NULL;
  const char *message = NULL;

  /* Levels are ordered from ERROR (most severe, lowest bit) to DEBUG. */
  if ((level & G_LOG_LEVEL_MASK) > threshold)
    return G_LOG_WRITER_HANDLED;

  if (to_journal)
    return g_log_writer_journald (level, fields, n_fields, user_data);

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  now = g_date_time_new_now_utc ();
  stamp = g_date_time_format_iso8601 (now);
  line = g_string_new (NULL);
  g_string_append_printf (line, "%s %s %s: %s", stamp, level_name (level),
                          domain != NULL ? domain : "sportello", message != NULL ? message : "");

  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0 && !is_standard_field (fields[i].key))
      {
        g_autofree char *key = g_ascii_strdown (fields[i].key, -1);

        g_string_append_printf (line, " %s=%s", key, (const char *) fields[i].value);
      }
  g_string_append_c (line, '\n');

  fputs (line->str, stderr);
  fflush (stderr);
  g_string_free (line, TRUE);
  return G_LOG_WRITER_HANDLED;
}

/**
 * sp_log_would_write:
 *
 * Returns: whether a record of @level would be written: a caller may skip
 *   preparing one that would not
 */
gboolean
sp_log_would_write (GLogLevelFlags level)
{
  return (level & G_LOG_LEVEL_MASK) <= threshold;
}

/**
 * sp_log_init:
 * @level: "debug", "info", "warning" or "error"
 */
void
sp_log_init (const char *level)
{
  if (g_strcmp0 (level, "debug") == 0)
    threshold = G_LOG_LEVEL_DEBUG;
  else if (g_strcmp0 (level, "warning") == 0)
    threshold = G_LOG_LEVEL_WARNING;
  else if (g_strcmp0 (level, "error") == 0)
    threshold = G_LOG_LEVEL_CRITICAL;
  else
    threshold = G_LOG_LEVEL_INFO;

  to_journal = g_log_writer_is_journald (fileno (stderr));
  g_log_set_writer_func (writer, NULL, NULL);
}
