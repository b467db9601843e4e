/* sp-protocol-row.h: one registration of a pratica: the register's (number, date and time, direction) or a partner's (as sent) */
#pragma once

#include <adwaita.h>

#include "sp-pratica-detail.h"

G_BEGIN_DECLS

GtkWidget  *sp_protocol_row_new              (const SpProtocolRecord *record,
                                              guint                   index) G_GNUC_WARN_UNUSED_RESULT;
const char *sp_protocol_direction_label      (const char             *direction);

G_END_DECLS
