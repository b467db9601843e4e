#pragma once

/* The modulo of a pratica: its compiled form as a PDF document. */

#include <glib.h>
#include <libpq-fe.h>

#include "sp-principal.h"

G_BEGIN_DECLS

char        *sp_db_modulo_create   (PGconn      *conn,
                                    const char  *pratica_id,
                                    GError     **error) G_GNUC_WARN_UNUSED_RESULT;
GBytes      *sp_db_modulo_render   (PGconn         *conn,
                                    const char     *pratica_id,
                                    SpPraticaView   view,
                                    GError        **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
