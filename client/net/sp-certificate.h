/* sp-certificate.h: fingerprints and descriptions of server certificates */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char            *sp_certificate_get_fingerprint (GTlsCertificate      *certificate) G_GNUC_WARN_UNUSED_RESULT;
GTlsCertificate *sp_certificate_get_anchor      (GTlsCertificate      *certificate,
                                                 GSocketConnectable   *identity);
char            *sp_certificate_describe_errors (GTlsCertificateFlags  errors) G_GNUC_WARN_UNUSED_RESULT;
char            *sp_certificate_format_validity (GTlsCertificate      *certificate) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
