/* sp-wrap-box.h: a row of widgets that goes on in a new line where the window is too narrow */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SP_TYPE_WRAP_BOX (sp_wrap_box_get_type ())

G_DECLARE_FINAL_TYPE (SpWrapBox, sp_wrap_box, SP, WRAP_BOX, GtkWidget)

void       sp_wrap_box_append            (SpWrapBox *self,
                                          GtkWidget *child);
int        sp_wrap_box_get_spacing       (SpWrapBox *self);
void       sp_wrap_box_set_spacing       (SpWrapBox *self,
                                          int        spacing);
int        sp_wrap_box_get_line_spacing  (SpWrapBox *self);
void       sp_wrap_box_set_line_spacing  (SpWrapBox *self,
                                          int        line_spacing);
guint      sp_wrap_box_get_n_lines       (SpWrapBox *self);

G_END_DECLS
