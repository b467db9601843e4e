/* sp-take-charge-dialog.h: the confirmation of "Prendi in carico" */
#pragma once

#include <adwaita.h>

#include "sp-pratica.h"

G_BEGIN_DECLS

GtkWidget *sp_take_charge_dialog_new (GtkWindow        *parent,
                                      SpPraticaSummary *summary);

G_END_DECLS
