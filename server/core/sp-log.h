#pragma once

#include <glib.h>

G_BEGIN_DECLS

void         sp_log_init           (const char     *level);
gboolean     sp_log_would_write    (GLogLevelFlags  level);

G_END_DECLS
