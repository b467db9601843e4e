/* sp-application.h: the Sportello desktop application */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_APPLICATION (sp_application_get_type ())

G_DECLARE_FINAL_TYPE (SpApplication, sp_application, SP, APPLICATION, AdwApplication)

SpApplication *sp_application_new           (void) G_GNUC_WARN_UNUSED_RESULT;
void           sp_application_init_i18n     (void);

G_END_DECLS
