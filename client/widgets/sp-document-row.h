/* sp-document-row.h: a document of a pratica, to save or open, with download progress */
#pragma once

#include <adwaita.h>

#include "sp-client.h"
#include "sp-pratica-detail.h"

G_BEGIN_DECLS

#define SP_TYPE_DOCUMENT_ROW (sp_document_row_get_type ())

G_DECLARE_FINAL_TYPE (SpDocumentRow, sp_document_row, SP, DOCUMENT_ROW, AdwActionRow)

GtkWidget            *sp_document_row_new            (SpClient             *client,
                                                      const char           *pratica_id,
                                                      const SpDocumentInfo *info,
                                                      gboolean              labelled_buttons) G_GNUC_WARN_UNUSED_RESULT;
const SpDocumentInfo *sp_document_row_get_info       (SpDocumentRow        *self);
gboolean              sp_document_row_is_downloading (SpDocumentRow        *self);
void                  sp_document_row_save_to        (SpDocumentRow        *self,
                                                      GFile                *file);
void                  sp_document_row_cancel         (SpDocumentRow        *self);
const char           *sp_document_kind_label         (const char           *kind);
char                 *sp_document_safe_filename      (const SpDocumentInfo *info) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
