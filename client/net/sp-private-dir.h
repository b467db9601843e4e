/* sp-private-dir.h: a folder only the user can read, for the files of one session */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char     *sp_private_dir_create (GError     **error) G_GNUC_WARN_UNUSED_RESULT;
void      sp_private_dir_delete (const char  *path);

G_END_DECLS
