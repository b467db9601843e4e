/* sp-test-pdf.c: what a PDF the server made says (pdftotext) and looks like (pdftoppm) */
#define G_LOG_DOMAIN "sp-test-pdf"

#include "config.h"

#include <unistd.h>

#include <glib/gstdio.h>

#include "sp-test-pdf.h"

static char *
write_temporary (GBytes     *content,
                 const char *template)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp (template, &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (content, NULL), (gssize) g_bytes_get_size (content),
                                      &error));
  return path;
}

/* Returns: the PDF's text as pdftotext reads it */
char *
sp_test_pdf_text (GBytes *pdf)
{
  g_autofree char *path = write_temporary (pdf, "sp-test-XXXXXX.pdf");
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  char *text = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &text, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_unlink (path);
  return text;
}

/**
 * sp_test_pdf_png:
 * @name: the PNG's name, without extension
 *
 * Renders the first page of @pdf with pdftoppm into $SPORTELLO_SCREENSHOT_DIR
 * (or the temporary directory), for a person to look at.
 *
 * Returns: the PNG's path
 */
char *
sp_test_pdf_png (GBytes     *pdf,
                         const char *name)
{
  const char *dir = g_getenv ("SPORTELLO_SCREENSHOT_DIR");
  g_autofree char *path = write_temporary (pdf, "sp-test-XXXXXX.pdf");
  g_autofree char *base = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (dir == NULL || *dir == '\0')
    dir = g_get_tmp_dir ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  base = g_build_filename (dir, name, NULL);
  {
    const char *argv[] = { "pdftoppm", "-png", "-r", "90", "-singlefile", "-f", "1", path, base, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, &error));
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_unlink (path);
  return g_strconcat (base, ".png", NULL);
}
