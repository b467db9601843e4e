/* sp-client.h: the HTTP API client of the desktop app */
#pragma once

#include <gio/gio.h>

#include "sp-protocol-config.h"
#include "sp-user.h"

G_BEGIN_DECLS

#define SP_TYPE_CLIENT (sp_client_get_type ())

G_DECLARE_FINAL_TYPE (SpClient, sp_client, SP, CLIENT, GObject)

SpClient        *sp_client_new                          (GSettings             *settings) G_GNUC_WARN_UNUSED_RESULT;
const char      *sp_client_get_base_url                 (SpClient              *self);
gboolean         sp_client_set_base_url                 (SpClient              *self,
                                                         const char            *base_url,
                                                         GError               **error);
gboolean         sp_client_is_signed_in                 (SpClient              *self);
const char      *sp_client_get_private_dir              (SpClient              *self,
                                                         GError               **error);
const SpUser    *sp_client_get_user                     (SpClient              *self);
GTlsCertificate *sp_client_get_untrusted_certificate    (SpClient              *self,
                                                         const char           **host_port,
                                                         GTlsCertificate      **anchor,
                                                         gboolean              *fingerprint_changed,
                                                         GTlsCertificateFlags  *errors);
void             sp_client_trust_certificate            (SpClient              *self,
                                                         const char            *host_port,
                                                         GTlsCertificate       *certificate);
void             sp_client_login_async                  (SpClient              *self,
                                                         const char            *username,
                                                         const char            *password,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gboolean         sp_client_login_finish                 (SpClient              *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);
void             sp_client_logout_async                 (SpClient              *self,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gboolean         sp_client_logout_finish                (SpClient              *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);
void             sp_client_get_protocol_config_async    (SpClient              *self,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
GPtrArray       *sp_client_get_protocol_config_finish   (SpClient              *self,
                                                         GAsyncResult          *result,
                                                         GError               **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
