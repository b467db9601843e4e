#pragma once

#include <libsoup/soup.h>

#include "sp-config.h"

G_BEGIN_DECLS

typedef struct _SpListener SpListener;

SpListener     *sp_listener_new             (SoupServer       *soup,
                                             GTlsCertificate  *certificate,
                                             const SpConfig   *config,
                                             GError          **error) G_GNUC_WARN_UNUSED_RESULT;
void            sp_listener_free            (SpListener       *self);
gboolean        sp_listener_listen          (SpListener       *self,
                                             GSocketAddress   *address,
                                             GError          **error);
GSocketAddress *sp_listener_get_address     (SpListener       *self);
GSocket        *sp_listener_get_socket      (SpListener       *self,
                                             SoupServerMessage *msg);
GTlsCertificate *sp_listener_get_peer_certificate (SpListener     *self,
                                             SoupServerMessage *msg,
                                             GTlsCertificateFlags *errors);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpListener, sp_listener_free)

G_END_DECLS
