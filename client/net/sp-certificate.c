/* sp-certificate.c: fingerprints and descriptions of server certificates */
#define G_LOG_DOMAIN "sp-certificate"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-certificate.h"

/**
 * sp_certificate_get_fingerprint:
 *
 * Returns: the SHA-256 of the certificate's DER encoding as upper-case hex
 *   pairs separated by colons (`AB:CD:…`), the form the trust store keeps and
 *   the user compares.
 */
char *
sp_certificate_get_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  GString *out;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &digest_len);

  out = g_string_sized_new (digest_len * 3);
  for (gsize i = 0; i < digest_len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);
  return g_string_free (out, FALSE);
}

/*
 * What a person can verify: the fingerprint that support gives them, or that
 * build-aux/demo prints. An office with its own certification authority
 * hands out the authority's fingerprint, which stays the same when a server
 * certificate is renewed; a server with a lone self-signed certificate has
 * only that one. So a server that presents its chain up to a self-signed CA,
 * whose certificate is valid for the server's name and today under that CA,
 * is represented by the CA; any other by its own certificate.
 */

/* The self-signed certificate at the end of @certificate's chain, or NULL. */
static GTlsCertificate *
chain_root (GTlsCertificate *certificate)
{
  GTlsCertificate *root = certificate;
  GTlsCertificate *issuer;
  g_autofree char *subject = NULL;
  g_autofree char *issuer_name = NULL;

  while ((issuer = g_tls_certificate_get_issuer (root)) != NULL)
    root = issuer;
  if (root == certificate)
    return NULL;

  g_object_get (root, "subject-name", &subject, "issuer-name", &issuer_name, NULL);
  if (subject == NULL || g_strcmp0 (subject, issuer_name) != 0)
    return NULL;
  return root;
}

/**
 * sp_certificate_get_anchor:
 * @certificate: the certificate a server presented, with the chain it sent
 *   (#GTlsCertificate:issuer)
 * @identity: (nullable): the server it should be valid for
 *
 * Returns: (transfer none): what the user is asked to trust for the server:
 *   the self-signed certification authority at the end of the chain, when
 *   @certificate is valid for @identity under it (signature, name, dates);
 *   otherwise @certificate itself
 */
GTlsCertificate *
sp_certificate_get_anchor (GTlsCertificate    *certificate,
                           GSocketConnectable *identity)
{
  GTlsCertificate *root;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  root = chain_root (certificate);
  if (root != NULL && g_tls_certificate_verify (certificate, identity, root) == 0)
    return root;
  return certificate;
}

/**
 * sp_certificate_describe_errors:
 *
 * Returns: one translated sentence per problem of the certificate, one a line
 */
char *
sp_certificate_describe_errors (GTlsCertificateFlags errors)
{
  static const struct { GTlsCertificateFlags flag; const char *text; } problems[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("It is not signed by a known certification authority.") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("It was issued for a different server name.") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("It is not valid yet.") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("It has expired.") },
    { G_TLS_CERTIFICATE_REVOKED, N_("It has been revoked.") },
    { G_TLS_CERTIFICATE_INSECURE, N_("It uses an insecure algorithm.") },
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    if (errors & problems[i].flag)
      {
        if (out->len > 0)
          g_string_append_c (out, '\n');
        g_string_append (out, _(problems[i].text));
      }

  if (out->len == 0)
    g_string_append (out, _("It could not be verified."));

  return g_string_free (out, FALSE);
}

/**
 * sp_certificate_format_validity:
 *
 * Returns: "from … to …" in local time, or %NULL when the certificate does
 *   not say
 */
char *
sp_certificate_format_validity (GTlsCertificate *certificate)
{
  g_autoptr(GDateTime) not_before = g_tls_certificate_get_not_valid_before (certificate);
  g_autoptr(GDateTime) not_after = g_tls_certificate_get_not_valid_after (certificate);
  g_autoptr(GDateTime) local_before = NULL;
  g_autoptr(GDateTime) local_after = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (not_before == NULL || not_after == NULL)
    return NULL;

  local_before = g_date_time_to_local (not_before);
  local_after = g_date_time_to_local (not_after);
  from = g_date_time_format (local_before, "%x");
  to = g_date_time_format (local_after, "%x");

  /* Translators: the validity period of a certificate, two dates */
  return g_strdup_printf (_("From %s to %s"), from, to);
}
