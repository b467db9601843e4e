/* sp-protocol-page.h: the read-only "Configurazione di protocollo" page */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_PROTOCOL_PAGE (sp_protocol_page_get_type ())

G_DECLARE_FINAL_TYPE (SpProtocolPage, sp_protocol_page, SP, PROTOCOL_PAGE, AdwBin)

G_END_DECLS
