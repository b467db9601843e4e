#pragma once

#include "sp-db.h"

G_BEGIN_DECLS

gboolean     sp_db_migrate         (SpDb     *db,
                                    guint    *n_applied,
                                    GError  **error);

G_END_DECLS
