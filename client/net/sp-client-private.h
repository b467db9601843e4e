/* sp-client-private.h: what the parts of SpClient share */
#pragma once

#include <libsoup/soup.h>

#include "sp-client.h"
#include "sp-pratica-detail.h"

G_BEGIN_DECLS

struct _SpClient
{
  GObject               parent_instance;

  SoupSession          *session;
  GSettings            *settings;
  char                 *base_url;       /* https://host:port[/prefix], no trailing slash */
  char                 *token;
  SpUser               *user;

  GTlsCertificate      *untrusted_certificate;
  GTlsCertificate      *untrusted_anchor;
  char                 *untrusted_host_port;
  GTlsCertificateFlags  untrusted_errors;
  gboolean              untrusted_changed;

  char                 *private_dir;    /* the session's documents, or NULL */
};

/* sp-client.c */
char     *sp_client_lookup_trusted_fingerprint (SpClient              *self,
                                                const char            *host_port) G_GNUC_WARN_UNUSED_RESULT;
void      sp_client_remember_untrusted         (SpClient              *self,
                                                const char            *host_port,
                                                GTlsCertificate       *certificate,
                                                GTlsCertificate       *anchor,
                                                GTlsCertificateFlags   errors,
                                                gboolean               fingerprint_changed);
void      sp_client_set_session                (SpClient              *self,
                                                const char            *token,
                                                SpUser                *user);
void      sp_client_clear_session              (SpClient              *self);
void      sp_client_expire_session             (SpClient              *self);

/* sp-client-pratica.c */
char     *sp_client_pratica_path               (const char            *template,
                                                const char            *pratica_id,
                                                const char            *document_id) G_GNUC_WARN_UNUSED_RESULT;
SpPraticaDetail *sp_client_pratica_detail_from_node (JsonNode         *node,
                                                GBytes                *text,
                                                GError               **error) G_GNUC_WARN_UNUSED_RESULT;

/* sp-client-send.c */
void      sp_client_send_json_async            (SpClient              *self,
                                                const char            *method,
                                                const char            *path,
                                                const char            *token,
                                                JsonNode              *body,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
void      sp_client_send_json_text_async       (SpClient              *self,
                                                const char            *method,
                                                const char            *path,
                                                const char            *token,
                                                GBytes                *body,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
void      sp_client_send_body_async            (SpClient              *self,
                                                const char            *method,
                                                const char            *path,
                                                const char            *token,
                                                GInputStream          *body,
                                                goffset                length,
                                                const char            *content_type,
                                                const char            *filename,
                                                GFileProgressCallback  progress_callback,
                                                gpointer               progress_data,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
JsonNode *sp_client_send_json_finish           (SpClient              *self,
                                                GAsyncResult          *result,
                                                GError               **error) G_GNUC_WARN_UNUSED_RESULT;
JsonNode *sp_client_send_json_get_problem      (GAsyncResult          *result);
GBytes   *sp_client_send_json_get_body         (GAsyncResult          *result);
void      sp_client_send_json_done_cb          (GObject               *object,
                                                GAsyncResult          *result,
                                                gpointer               task);
GError   *sp_client_unreadable_error           (const char            *what,
                                                const GError          *cause) G_GNUC_WARN_UNUSED_RESULT;
gboolean  sp_client_return_if_signed_out      (SpClient              *self,
                                                GTask                 *task);
void      sp_client_send_stream_async          (SpClient              *self,
                                                const char            *method,
                                                const char            *path,
                                                const char            *token,
                                                const char            *accept,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
GInputStream *sp_client_send_stream_finish     (SpClient              *self,
                                                GAsyncResult          *result,
                                                SoupMessage          **message,
                                                GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void      sp_client_download_async             (SpClient              *self,
                                                const char            *path,
                                                const char            *accept,
                                                GFile                 *destination,
                                                GCancellable          *cancellable,
                                                GFileProgressCallback  progress_callback,
                                                gpointer               progress_data,
                                                gpointer               source_tag,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
gboolean  sp_client_download_finish            (SpClient              *self,
                                                GAsyncResult          *result,
                                                GError               **error);
GError   *sp_client_transfer_error             (SpClient              *self,
                                                SoupMessage           *message,
                                                const GError          *error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
