/* sp-response-upload.h: Elabora's response file: choose it, upload it with its progress, show it */
#pragma once

#include <adwaita.h>

#include "sp-client.h"
#include "sp-pratica-detail.h"

G_BEGIN_DECLS

#define SP_TYPE_RESPONSE_UPLOAD (sp_response_upload_get_type ())

G_DECLARE_FINAL_TYPE (SpResponseUpload, sp_response_upload, SP, RESPONSE_UPLOAD, AdwBin)

void                  sp_response_upload_setup            (SpResponseUpload     *self,
                                                           SpClient             *client,
                                                           const char           *pratica_id,
                                                           gboolean              signed_required);
void                  sp_response_upload_set_document     (SpResponseUpload     *self,
                                                           const SpDocumentInfo *info);
const SpDocumentInfo *sp_response_upload_get_document     (SpResponseUpload     *self);
void                  sp_response_upload_upload           (SpResponseUpload     *self,
                                                           GFile                *file);
gboolean              sp_response_upload_is_uploading     (SpResponseUpload     *self);
void                  sp_response_upload_cancel           (SpResponseUpload     *self);
void                  sp_response_upload_set_error        (SpResponseUpload     *self,
                                                           const char           *message);

G_END_DECLS
