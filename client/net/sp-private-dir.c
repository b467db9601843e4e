/* sp-private-dir.c: a folder only the user can read, for the files of one session */
#define G_LOG_DOMAIN "sp-private-dir"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sp-private-dir.h"

/*
 * Documents the user opens in another application (a modulo, a response)
 * must be files, but they hold citizens' data: they go into a folder of mode
 * 0700 in the user's runtime directory ($XDG_RUNTIME_DIR, a tmpfs that the
 * system empties at the end of the user's login session), one folder per
 * signed-in session, deleted with everything in it when the session ends
 * (sign-out, expiry) and when the app exits.
 */

/**
 * sp_private_dir_create:
 *
 * Returns: (transfer full): the path of a new, empty folder of mode 0700
 */
char *
sp_private_dir_create (GError **error)
{
  g_autofree char *template = g_build_filename (g_get_user_runtime_dir (), "sportello-XXXXXX", NULL);
  int saved_errno;

  if (g_mkdtemp_full (template, 0700) != NULL)
    return g_steal_pointer (&template);

  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               /* Translators: a folder, then the reason */
               _("The folder “%s” cannot be created: %s."), template, g_strerror (saved_errno));
  return NULL;
}

/* Deletes @path and, if it is a folder (not a link to one), what it holds. */
static void
delete_tree (const char *path)
{
  GStatBuf info;

  if (g_lstat (path, &info) != 0)
    return;

  if (S_ISDIR (info.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          delete_tree (child);
        }
      if (g_rmdir (path) != 0)
        g_warning ("Cannot delete the folder %s: %s", path, g_strerror (errno));
    }
  else if (g_unlink (path) != 0)
    {
      g_warning ("Cannot delete %s: %s", path, g_strerror (errno));
    }
}

/**
 * sp_private_dir_delete:
 * @path: (nullable): a folder of sp_private_dir_create()
 *
 * Deletes @path with everything in it, at once: a few documents on a tmpfs,
 * and at exit there is no later. Also deletes the documents that
 * earlier versions left in the user’s cache.
 */
void
sp_private_dir_delete (const char *path)
{
  g_autofree char *legacy = g_build_filename (g_get_user_cache_dir (), "sportello", "documents", NULL);

  if (path != NULL)
    delete_tree (path);
  delete_tree (legacy);
}
