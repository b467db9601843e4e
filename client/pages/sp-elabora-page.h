/* sp-elabora-page.h: "Elabora": the processing of a pratica, step by step, saved and concluded */
#pragma once

#include <adwaita.h>

#include "sp-client.h"

G_BEGIN_DECLS

#define SP_TYPE_ELABORA_PAGE (sp_elabora_page_get_type ())

G_DECLARE_FINAL_TYPE (SpElaboraPage, sp_elabora_page, SP, ELABORA_PAGE, AdwBin)

SpElaboraPage *sp_elabora_page_new            (SpClient      *client,
                                               const char    *pratica_id);
const char    *sp_elabora_page_get_step       (SpElaboraPage *self);
gboolean       sp_elabora_page_is_busy        (SpElaboraPage *self);

G_END_DECLS
