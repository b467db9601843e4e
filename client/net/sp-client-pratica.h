/* sp-client-pratica.h: SpClient's calls about one pratica (detail, take charge, documents) */
#pragma once

#include <gio/gio.h>

#include "sp-client.h"
#include "sp-pratica-detail.h"

G_BEGIN_DECLS

void             sp_client_get_pratica_async            (SpClient              *self,
                                                         const char            *pratica_id,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
SpPraticaDetail *sp_client_get_pratica_finish           (SpClient              *self,
                                                         GAsyncResult          *result,
                                                         GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void             sp_client_take_charge_async            (SpClient              *self,
                                                         const char            *pratica_id,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gboolean         sp_client_take_charge_finish           (SpClient              *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);
void             sp_client_download_document_async      (SpClient              *self,
                                                         const char            *pratica_id,
                                                         const char            *document_id,
                                                         GFile                 *destination,
                                                         GCancellable          *cancellable,
                                                         GFileProgressCallback  progress_callback,
                                                         gpointer               progress_data,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gboolean         sp_client_download_document_finish     (SpClient              *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

G_END_DECLS
