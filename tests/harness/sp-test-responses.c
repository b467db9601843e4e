/* sp-test-responses.c: records the tests' responses and checks them against data/openapi.json */
#define G_LOG_DOMAIN "sp-test-responses"

#include "config.h"

#include <errno.h>
#include <stdio.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sp-test-env.h"
#include "sp-test-responses.h"

/* Tests may send from several threads (the take-charge race). */
static GMutex record_lock;
static FILE *record_file;
static char *record_path;
static guint record_count;

/* Opens the file at the first response; NULL when not recording. */
static FILE *
open_record_file (void)
{
  const char *dir = g_getenv ("SPORTELLO_TEST_RESPONSES");
  g_autofree char *program = NULL;
  g_autofree char *name = NULL;

  if (record_file != NULL || record_path != NULL || dir == NULL || *dir == '\0')
    return record_file;

  program = g_path_get_basename (g_get_prgname () != NULL ? g_get_prgname () : "test");
  name = g_strconcat (program, ".jsonl", NULL);
  record_path = g_build_filename (dir, name, NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0 || (record_file = g_fopen (record_path, "w")) == NULL)
    g_error ("cannot write %s: %s", record_path, g_strerror (errno));
  return record_file;
}

static char *
response_to_line (SoupMessage    *message,
                  SpTestResponse *response)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *test = g_test_get_path ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "test");
  json_builder_add_string_value (builder, test != NULL ? test : "");
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, soup_message_get_method (message));
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, g_uri_get_path (soup_message_get_uri (message)));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, response->status);
  json_builder_set_member_name (builder, "content_type");
  if (response->content_type != NULL)
    json_builder_add_string_value (builder, response->content_type);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "body_size");
  json_builder_add_int_value (builder, g_bytes_get_size (response->body));
  if (response->json != NULL)
    {
      json_builder_set_member_name (builder, "body");
      json_builder_add_value (builder, json_node_copy (response->json));
    }
  else if (response->content_type != NULL
           && (g_str_equal (response->content_type, "application/json")
               || g_str_has_suffix (response->content_type, "+json")))
    {
      /* Declared JSON that does not parse: the checker says so. */
      json_builder_set_member_name (builder, "body_text");
      json_builder_add_string_value (builder, sp_test_response_text (response));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * sp_test_responses_record:
 *
 * Appends @response to the record file, if SPORTELLO_TEST_RESPONSES is set.
 * Transport failures (no status) are not responses and are not recorded.
 */
void
sp_test_responses_record (SoupMessage    *message,
                          SpTestResponse *response)
{
  g_autofree char *line = NULL;
  FILE *file;

  if (response->status == 0 || g_getenv ("SPORTELLO_TEST_RESPONSES") == NULL)
    return;

  line = response_to_line (message, response);
  g_mutex_lock (&record_lock);
  file = open_record_file ();
  if (file != NULL)
    {
      fputs (line, file);
      fputc ('\n', file);
      fflush (file);
      record_count++;
    }
  g_mutex_unlock (&record_lock);
}

/**
 * sp_test_responses_check:
 *
 * Closes the record file and runs tests/check-responses.py on it: one Python
 * process for the whole test program.
 *
 * Returns: (nullable): %NULL if every recorded response matches
 *   data/openapi.json (or nothing was recorded), else what the checker said
 */
char *
sp_test_responses_check (void)
{
  const char *python = g_getenv ("SPORTELLO_TEST_PYTHON");
  g_autofree char *checker = NULL;
  g_autofree char *document = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  guint count;

  g_mutex_lock (&record_lock);
  g_clear_pointer (&record_file, fclose);
  path = g_steal_pointer (&record_path);
  count = record_count;
  record_count = 0;
  g_mutex_unlock (&record_lock);
  if (path == NULL)
    return NULL;

  checker = g_build_filename (sp_test_env_get_source_dir (), "tests", "check-responses.py", NULL);
  document = g_build_filename (sp_test_env_get_source_dir (), "data", "openapi.json", NULL);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                              python != NULL && *python != '\0' ? python : "python3",
                              checker, document, path, NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    return g_strdup_printf ("cannot run %s: %s", checker, error->message);

  /* Its findings as TAP comments; mismatches on stderr too, where meson
   * shows them (--print-errorlogs), and the failure itself in one line. */
  g_test_message ("%u responses recorded in %s", count, path);
  g_test_message ("%s", g_strchomp (out));
  if (g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0)
    return NULL;
  g_printerr ("%s\n", out);
  return g_strdup_printf ("the responses in %s do not match %s (the mismatches are above)", path, document);
}
