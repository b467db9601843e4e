/* sp-certificate-dialog.h: asks whether to trust a server certificate or its certification authority */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_CERTIFICATE_DIALOG (sp_certificate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SpCertificateDialog, sp_certificate_dialog, SP, CERTIFICATE_DIALOG, AdwMessageDialog)

SpCertificateDialog *sp_certificate_dialog_new             (GtkWindow            *parent,
                                                            const char           *host_port,
                                                            GTlsCertificate      *certificate,
                                                            GTlsCertificate      *anchor,
                                                            GTlsCertificateFlags  errors,
                                                            gboolean              fingerprint_changed);
const char          *sp_certificate_dialog_get_host_port   (SpCertificateDialog  *self);
GTlsCertificate     *sp_certificate_dialog_get_certificate (SpCertificateDialog  *self);
GTlsCertificate     *sp_certificate_dialog_get_anchor      (SpCertificateDialog  *self);

G_END_DECLS
