/* sp-admin-args.c: the table-driven argument parser of sportello-admin and the helpers its commands share */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sp-admin.h"
#include "sp-crypto.h"
#include "sp-db-admin.h"

#define SP_ADMIN_MIN_PASSWORD 10
#define SP_ADMIN_MAX_PASSWORD 1024

G_DEFINE_QUARK (sp-admin-usage-error-quark, sp_admin_usage_error)

gboolean
sp_admin_set_usage_error (GError     **error,
                          const char  *format,
                          ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (SP_ADMIN_USAGE_ERROR, 0, format, args));
  va_end (args);
  return FALSE;
}

void
sp_admin_args_free (SpAdminArgs *args)
{
  if (args == NULL)
    return;
  g_ptr_array_unref (args->positional);
  g_hash_table_unref (args->options);
  g_free (args);
}

static const SpAdminOption *
find_option (const SpAdminCommand *command,
             const char           *name)
{
  for (const SpAdminOption *option = command->options; option != NULL && option->name != NULL; option++)
    if (g_str_equal (option->name, name))
      return option;
  return NULL;
}

static gboolean
parse_option (const SpAdminCommand  *command,
              SpAdminArgs           *args,
              int                    argc,
              char                 **argv,
              int                   *i,
              GError               **error)
{
  const char *arg = argv[*i] + 2;
  const char *equals = strchr (arg, '=');
  g_autofree char *name = equals != NULL ? g_strndup (arg, equals - arg) : g_strdup (arg);
  const SpAdminOption *option = find_option (command, name);
  const char *value = "";

  if (option == NULL)
    return sp_admin_set_usage_error (error, "%s: unknown option --%s", command->name, name);
  if (g_hash_table_contains (args->options, name))
    return sp_admin_set_usage_error (error, "%s: --%s given twice", command->name, name);

  if (option->has_value && equals != NULL)
    value = equals + 1;
  else if (option->has_value && *i + 1 < argc)
    value = argv[++(*i)];
  else if (option->has_value)
    return sp_admin_set_usage_error (error, "%s: --%s needs a value", command->name, name);
  else if (equals != NULL)
    return sp_admin_set_usage_error (error, "%s: --%s takes no value", command->name, name);

  g_hash_table_insert (args->options, g_steal_pointer (&name), g_strdup (value));
  return TRUE;
}

/**
 * sp_admin_args_parse:
 * @argv: the arguments after the command name
 *
 * Options may come before, between or after the positional arguments, as
 * `--name value` or `--name=value`; `--` ends the options.
 */
SpAdminArgs *
sp_admin_args_parse (const SpAdminCommand  *command,
                     int                    argc,
                     char                 **argv,
                     GError               **error)
{
  g_autoptr(SpAdminArgs) args = g_new0 (SpAdminArgs, 1);
  gboolean options_done = FALSE;

  args->positional = g_ptr_array_new_with_free_func (g_free);
  args->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (int i = 0; i < argc; i++)
    {
      if (!options_done && g_str_equal (argv[i], "--"))
        options_done = TRUE;
      else if (!options_done && g_str_has_prefix (argv[i], "--"))
        {
          if (!parse_option (command, args, argc, argv, &i, error))
            return NULL;
        }
      else if (!options_done && argv[i][0] == '-' && argv[i][1] != '\0')
        {
          sp_admin_set_usage_error (error, "%s: unknown option %s", command->name, argv[i]);
          return NULL;
        }
      else
        g_ptr_array_add (args->positional, g_strdup (argv[i]));
    }

  if (args->positional->len < command->min_args || args->positional->len > command->max_args)
    {
      sp_admin_set_usage_error (error, "usage: sportello-admin %s %s", command->name, command->synopsis);
      return NULL;
    }
  return g_steal_pointer (&args);
}

const char *
sp_admin_args_get (SpAdminArgs *args,
                   guint        index)
{
  return index < args->positional->len ? g_ptr_array_index (args->positional, index) : NULL;
}

const char *
sp_admin_args_get_option (SpAdminArgs *args,
                          const char  *name)
{
  return g_hash_table_lookup (args->options, name);
}

gboolean
sp_admin_args_has_option (SpAdminArgs *args,
                          const char  *name)
{
  return g_hash_table_contains (args->options, name);
}

/**
 * sp_admin_split_list:
 *
 * Returns: the non-empty, trimmed items of a comma-separated list
 */
GStrv
sp_admin_split_list (const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list != NULL ? list : "", ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

/* One line from standard input; on a terminal, asked for and not echoed. */
static gboolean
read_line (char  *buffer,
           gsize  size)
{
  struct termios saved, quiet;
  gboolean terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  gboolean ok;

  if (terminal)
    {
      fputs ("Password: ", stderr);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  ok = fgets (buffer, size, stdin) != NULL;
  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputs ("\n", stderr);
    }
  return ok;
}

/**
 * sp_admin_read_password:
 * @from_stdin: read one line from standard input instead of generating one
 * @generated: (out): whether the password was generated (the caller prints it once)
 */
char *
sp_admin_read_password (gboolean   from_stdin,
                        gboolean  *generated,
                        GError   **error)
{
  char buffer[SP_ADMIN_MAX_PASSWORD + 2];

  *generated = !from_stdin;
  if (!from_stdin)
    return sp_crypto_generate_password ();

  if (!read_line (buffer, sizeof buffer))
    {
      g_set_error_literal (error, SP_ADMIN_USAGE_ERROR, 0, "--password-stdin: no password on standard input");
      return NULL;
    }
  buffer[strcspn (buffer, "\r\n")] = '\0';
  if (!g_utf8_validate (buffer, -1, NULL))
    {
      g_set_error_literal (error, SP_ADMIN_USAGE_ERROR, 0, "The password is not valid UTF-8");
      return NULL;
    }
  if (g_utf8_strlen (buffer, -1) < SP_ADMIN_MIN_PASSWORD)
    {
      g_set_error (error, SP_ADMIN_USAGE_ERROR, 0, "The password must be at least %d characters long",
                   SP_ADMIN_MIN_PASSWORD);
      return NULL;
    }
  return g_strdup (buffer);
}

static void
print_padded (const char *text,
              gsize       width,
              gboolean    last)
{
  g_print ("%s", text);
  if (!last)
    for (gsize n = g_utf8_strlen (text, -1); n < width + 2; n++)
      g_print (" ");
}

/**
 * sp_admin_table_print:
 *
 * Prints @table with aligned columns and upper-case titles.
 */
void
sp_admin_table_print (SpAdminTable *table)
{
  guint n_columns = g_strv_length (table->columns);
  g_autofree gsize *widths = g_new0 (gsize, n_columns);

  for (guint c = 0; c < n_columns; c++)
    widths[c] = g_utf8_strlen (table->columns[c], -1);
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < n_columns; c++)
        widths[c] = MAX (widths[c], (gsize) g_utf8_strlen (row[c], -1));
    }

  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *title = g_ascii_strup (table->columns[c], -1);

      print_padded (title, widths[c], c + 1 == n_columns);
    }
  g_print ("\n");
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < n_columns; c++)
        print_padded (row[c], widths[c], c + 1 == n_columns);
      g_print ("\n");
    }
}
