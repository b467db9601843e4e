/* sp-form-view.h: a pratica's form data as people read it: labels, values, nested groups */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_FORM_VIEW (sp_form_view_get_type ())

G_DECLARE_FINAL_TYPE (SpFormView, sp_form_view, SP, FORM_VIEW, GtkWidget)

GtkWidget *sp_form_view_new         (void) G_GNUC_WARN_UNUSED_RESULT;
void       sp_form_view_set_fields  (SpFormView *self,
                                     GPtrArray  *fields);
GtkWidget *sp_form_view_create_row  (const char *label,
                                     const char *value,
                                     gboolean    masked) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
