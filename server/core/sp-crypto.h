#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SP_TOKEN_BYTES 32
#define SP_CRYPTO_HMAC_BYTES 32

/**
 * SpCmsRefusal:
 * @SP_CMS_VERIFIED: the signature verifies
 * @SP_CMS_NOT_P7M: the file is not named `.p7m` (not checked)
 * @SP_CMS_NOT_CMS: not a CMS (PKCS #7) structure, DER or PEM
 * @SP_CMS_NOT_SIGNED: a CMS structure that is not signed data
 * @SP_CMS_DETACHED: the signed content is not inside the file
 * @SP_CMS_BAD_SIGNATURE: the signature does not verify with the signer's key
 * @SP_CMS_TAMPERED: the content does not match its signed digest
 * @SP_CMS_UNTRUSTED: the signer's certificate does not chain to a trusted
 *   authority, or is not valid now
 * @SP_CMS_NO_SIGNER_NAME: the signer's certificate has no common name
 *
 * Why a `.p7m` has no verified signer: what the operator is told (in
 * words of the ente's language), where OpenSSL's own text goes to the log.
 */
typedef enum
{
  SP_CMS_VERIFIED,
  SP_CMS_NOT_P7M,
  SP_CMS_NOT_CMS,
  SP_CMS_NOT_SIGNED,
  SP_CMS_DETACHED,
  SP_CMS_BAD_SIGNATURE,
  SP_CMS_TAMPERED,
  SP_CMS_UNTRUSTED,
  SP_CMS_NO_SIGNER_NAME,
} SpCmsRefusal;

char        *sp_crypto_hash_password      (const char   *password,
                                           GError      **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_crypto_verify_password    (const char   *password,
                                           const char   *encoded_hash);
void         sp_crypto_burn_password_time (const char   *password);
gboolean     sp_crypto_random_bytes       (guint8       *buffer,
                                           gsize         length);
char        *sp_crypto_new_token          (GBytes      **token_hash) G_GNUC_WARN_UNUSED_RESULT;
GBytes      *sp_crypto_token_hash         (const char   *token) G_GNUC_WARN_UNUSED_RESULT;
char        *sp_crypto_generate_password  (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_crypto_equal              (const void   *a,
                                           const void   *b,
                                           gsize         length);
char        *sp_crypto_cms_verify_file    (const char   *path,
                                           const char   *ca_file,
                                           SpCmsRefusal *refusal,
                                           GError      **error) G_GNUC_WARN_UNUSED_RESULT;
typedef struct _SpCryptoSigner SpCryptoSigner;

SpCryptoSigner *sp_crypto_signer_new      (const char      *ca_file,
                                           const char      *key_file,
                                           GError         **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_crypto_signer_free        (SpCryptoSigner  *self);
char        *sp_crypto_signer_get_ca_pem  (SpCryptoSigner  *self) G_GNUC_WARN_UNUSED_RESULT;
GBytes      *sp_crypto_signer_sign        (SpCryptoSigner  *self,
                                           const char      *common_name,
                                           GBytes          *content,
                                           GDateTime       *signing_time,
                                           GError         **error) G_GNUC_WARN_UNUSED_RESULT;

void         sp_crypto_hmac_sha256        (const guint8 *key,
                                           gsize         key_length,
                                           const guint8 *data,
                                           gsize         length,
                                           guint8       *mac);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCryptoSigner, sp_crypto_signer_free)

G_END_DECLS
