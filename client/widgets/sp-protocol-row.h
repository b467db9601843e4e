/* sp-protocol-row.h: one entry of a pratica's protocol register: number, date and time, direction */
#pragma once

#include <adwaita.h>

#include "sp-pratica-detail.h"

G_BEGIN_DECLS

GtkWidget  *sp_protocol_row_new              (const SpProtocolRecord *record) G_GNUC_WARN_UNUSED_RESULT;
const char *sp_protocol_direction_label      (const char             *direction);

G_END_DECLS
