/* sp-certificate-dialog.c: asks whether to trust a server certificate or its certification authority */
#define G_LOG_DOMAIN "sp-certificate-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-certificate-dialog.h"
#include "sp-certificate.h"

/*
 * Shown when the server's certificate does not verify against the trusted
 * CAs. The user compares a fingerprint with the one support gave them
 * (DESIGN.md §7; build-aux/demo prints its own): that of the certification
 * authority the server's chain ends in, when the server sends it and its
 * certificate is valid under it, otherwise that of the server's certificate
 * (sp_certificate_get_anchor()); the title over the fingerprint says which,
 * and that is what is remembered. The other rows describe the server's
 * certificate. When something else was trusted for the same server before,
 * the dialog warns that the connection may be intercepted and makes trusting
 * the new certificate the destructive choice.
 */
struct _SpCertificateDialog
{
  AdwMessageDialog  parent_instance;

  char             *host_port;
  GTlsCertificate  *certificate;
  GTlsCertificate  *anchor;

  GtkLabel         *fingerprint_title;
  GtkLabel         *fingerprint_label;
  GtkLabel         *subject_label;
  GtkLabel         *issuer_label;
  GtkLabel         *validity_label;
  GtkLabel         *problems_label;
};

G_DEFINE_FINAL_TYPE (SpCertificateDialog, sp_certificate_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL && *text != '\0' ? text : _("Unknown"));
}

static void
sp_certificate_dialog_finalize (GObject *object)
{
  SpCertificateDialog *self = SP_CERTIFICATE_DIALOG (object);

  g_free (self->host_port);
  g_clear_object (&self->certificate);
  g_clear_object (&self->anchor);

  G_OBJECT_CLASS (sp_certificate_dialog_parent_class)->finalize (object);
}

static void
sp_certificate_dialog_class_init (SpCertificateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sp_certificate_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-certificate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SpCertificateDialog, fingerprint_title);
  gtk_widget_class_bind_template_child (widget_class, SpCertificateDialog, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, SpCertificateDialog, subject_label);
  gtk_widget_class_bind_template_child (widget_class, SpCertificateDialog, issuer_label);
  gtk_widget_class_bind_template_child (widget_class, SpCertificateDialog, validity_label);
  gtk_widget_class_bind_template_child (widget_class, SpCertificateDialog, problems_label);
}

static void
sp_certificate_dialog_init (SpCertificateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * sp_certificate_dialog_new:
 * @host_port: the server, as `host:port`
 * @anchor: what trusting means trusting: @certificate, or the certification
 *   authority its chain ends in (sp_certificate_get_anchor())
 * @errors: why @certificate did not verify
 * @fingerprint_changed: whether another certificate was trusted for
 *   @host_port before
 *
 * Returns: (transfer none): a new modal dialog with the responses `cancel`
 *   and `trust`
 */
SpCertificateDialog *
sp_certificate_dialog_new (GtkWindow            *parent,
                           const char           *host_port,
                           GTlsCertificate      *certificate,
                           GTlsCertificate      *anchor,
                           GTlsCertificateFlags  errors,
                           gboolean              fingerprint_changed)
{
  SpCertificateDialog *self;
  g_autofree char *fingerprint = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *validity = NULL;
  g_autofree char *problems = NULL;
  gboolean is_authority;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (host_port != NULL, NULL);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (anchor), NULL);

  is_authority = anchor != certificate;
  self = g_object_new (SP_TYPE_CERTIFICATE_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->host_port = g_strdup (host_port);
  self->certificate = g_object_ref (certificate);
  self->anchor = g_object_ref (anchor);

  if (fingerprint_changed)
    {
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self),
                                      _("The Server’s Certificate Has Changed"));
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                      _("The server %s presents a certificate different from the one "
                                        "you trusted before. Someone may be intercepting the connection. "
                                        "Trust the new certificate only if support told you that it "
                                        "changed and its fingerprint matches the one below."),
                                      host_port);
      adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), "trust",
                                             _("_Trust the New Certificate"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "trust",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  else if (is_authority)
    {
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self),
                                      _("Trust This Server?"));
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                      _("The certificate of %s is issued by a certification authority "
                                        "this computer does not know. Compare the authority’s "
                                        "fingerprint with the one support gave you; if they match, "
                                        "Sportello will trust this authority for this server."),
                                      host_port);
    }
  else
    {
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self),
                                      _("Trust This Server?"));
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                      _("The certificate of %s cannot be verified. Compare its "
                                        "fingerprint with the one support gave you; if they match, "
                                        "Sportello will remember the certificate for this server."),
                                      host_port);
    }

  gtk_label_set_text (self->fingerprint_title,
                      is_authority ? _("SHA-256 Fingerprint of the Certification Authority")
                                   : _("SHA-256 Fingerprint of the Server’s Certificate"));
  fingerprint = sp_certificate_get_fingerprint (anchor);
  g_object_get (certificate,
                "subject-name", &subject,
                "issuer-name", &issuer,
                NULL);
  validity = sp_certificate_format_validity (certificate);
  problems = sp_certificate_describe_errors (errors);

  /* Two lines of 16 bytes, easier to compare than one wrapped at random. */
  if (fingerprint != NULL && strlen (fingerprint) == 32 * 3 - 1)
    fingerprint[16 * 3 - 1] = '\n';
  set_label (self->fingerprint_label, fingerprint);
  set_label (self->subject_label, subject);
  set_label (self->issuer_label, issuer);
  set_label (self->validity_label, validity);
  set_label (self->problems_label, problems);

  return self;
}

const char *
sp_certificate_dialog_get_host_port (SpCertificateDialog *self)
{
  g_return_val_if_fail (SP_IS_CERTIFICATE_DIALOG (self), NULL);

  return self->host_port;
}

/**
 * sp_certificate_dialog_get_certificate:
 *
 * Returns: (transfer none): the server's certificate the dialog is about
 */
GTlsCertificate *
sp_certificate_dialog_get_certificate (SpCertificateDialog *self)
{
  g_return_val_if_fail (SP_IS_CERTIFICATE_DIALOG (self), NULL);

  return self->certificate;
}

/**
 * sp_certificate_dialog_get_anchor:
 *
 * Returns: (transfer none): what to trust when the user says so: the
 *   certification authority whose fingerprint the dialog shows, or the
 *   server's certificate
 */
GTlsCertificate *
sp_certificate_dialog_get_anchor (SpCertificateDialog *self)
{
  g_return_val_if_fail (SP_IS_CERTIFICATE_DIALOG (self), NULL);

  return self->anchor;
}
