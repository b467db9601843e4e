/* sp-client-processing.h: SpClient's calls of Elabora (the response file, saving the work, concluding) */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sp-client.h"
#include "sp-pratica-detail.h"
#include "sp-processing.h"

G_BEGIN_DECLS

void             sp_client_upload_document_async   (SpClient              *self,
                                                    const char            *pratica_id,
                                                    GFile                 *file,
                                                    GCancellable          *cancellable,
                                                    GFileProgressCallback  progress_callback,
                                                    gpointer               progress_data,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
SpDocumentInfo  *sp_client_upload_document_finish  (SpClient              *self,
                                                    GAsyncResult          *result,
                                                    GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void             sp_client_save_processing_async   (SpClient              *self,
                                                    const char            *pratica_id,
                                                    SpProcessing          *processing,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
SpPraticaDetail *sp_client_save_processing_finish  (SpClient              *self,
                                                    GAsyncResult          *result,
                                                    JsonArray            **field_errors,
                                                    GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void             sp_client_conclude_async          (SpClient              *self,
                                                    const char            *pratica_id,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
SpPraticaDetail *sp_client_conclude_finish         (SpClient              *self,
                                                    GAsyncResult          *result,
                                                    JsonArray            **field_errors,
                                                    GError               **error) G_GNUC_WARN_UNUSED_RESULT;
char            *sp_client_format_size             (goffset                size) G_GNUC_WARN_UNUSED_RESULT;
char            *sp_client_format_upload_limit     (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
