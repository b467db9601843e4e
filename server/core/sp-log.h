#pragma once

#include <glib.h>

G_BEGIN_DECLS

void         sp_log_init           (const char  *level);

G_END_DECLS
