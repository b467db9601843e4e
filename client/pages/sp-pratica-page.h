/* sp-pratica-page.h: the "Dettaglio pratica" page: status, modulo and protocol, iter, form data, documents */
#pragma once

#include <adwaita.h>

#include "sp-client.h"
#include "sp-pratica-detail.h"

G_BEGIN_DECLS

#define SP_TYPE_PRATICA_PAGE (sp_pratica_page_get_type ())

G_DECLARE_FINAL_TYPE (SpPraticaPage, sp_pratica_page, SP, PRATICA_PAGE, AdwBin)

SpPraticaPage         *sp_pratica_page_new            (SpClient      *client,
                                                       const char    *pratica_id) G_GNUC_WARN_UNUSED_RESULT;
const char            *sp_pratica_page_get_pratica_id (SpPraticaPage *self);
const SpPraticaDetail *sp_pratica_page_get_detail     (SpPraticaPage *self);

G_END_DECLS
