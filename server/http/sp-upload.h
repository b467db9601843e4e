#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _SpUpload SpUpload;

typedef void (*SpUploadRefuseFunc) (SoupServerMessage *msg,
                                    gsize              limit);

SpUpload    *sp_upload_begin           (SoupServerMessage  *msg,
                                        const char         *dir,
                                        gsize               max_size,
                                        SpUploadRefuseFunc  refuse,
                                        GError            **error);
char        *sp_upload_filename_from_headers (SoupMessageHeaders *headers) G_GNUC_WARN_UNUSED_RESULT;
SpUpload    *sp_upload_steal           (SoupServerMessage  *msg);
void         sp_upload_free            (SpUpload           *self);
void         sp_upload_close_async     (SpUpload           *self,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
gboolean     sp_upload_close_finish    (GAsyncResult       *result,
                                        GError            **error);
const char  *sp_upload_get_path        (SpUpload           *self);
guint64      sp_upload_get_size        (SpUpload           *self);
const char  *sp_upload_get_sha256      (SpUpload           *self);
const char  *sp_upload_get_content_type (SpUpload          *self);
const char  *sp_upload_get_filename    (SpUpload           *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpUpload, sp_upload_free)

G_END_DECLS
