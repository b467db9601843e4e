/* sp-processing-table.h: the table of the services' processing times */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void  sp_processing_table_fill   (GtkGrid    *grid,
                                  GPtrArray  *services);
char *sp_processing_format_days  (double      median,
                                  double      p90) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
