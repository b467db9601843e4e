#pragma once

/* The modulo of a pratica: its compiled form as a PDF document. The database
 * reads what it shows and stores it; the drawing is CPU work, done on the
 * workers in between, with no connection held. */

#include "sp-db.h"
#include "sp-modulo-source.h"

G_BEGIN_DECLS

SpModuloSource *sp_db_modulo_source       (PGconn              *conn,
                                           const char          *pratica_id,
                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;
char        *sp_db_modulo_store           (PGconn              *conn,
                                           const char          *pratica_id,
                                           const char          *filename,
                                           GBytes              *pdf,
                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
