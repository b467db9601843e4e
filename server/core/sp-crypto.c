/* sp-crypto.c: password hashing (scrypt), random tokens, constant-time checks, CMS signatures (verified, and made for the demo); the only user of OpenSSL */
#define G_LOG_DOMAIN "sp-crypto"

#include "config.h"

/* pem.h first: cms.h declares PEM_read_bio_CMS() only after it. */
#include <openssl/pem.h>
#include <openssl/cms.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sp-crypto.h"
#include "sp-error.h"

/* scrypt cost: 16 MiB of memory and about 50 ms per hash on an office machine. */
#define SCRYPT_N        16384
#define SCRYPT_R        8
#define SCRYPT_P        1
#define SALT_BYTES      16
#define KEY_BYTES       32
#define SCRYPT_MAX_N    (1 << 20)

static gboolean
scrypt (const char   *password,
        const guint8 *salt,
        gsize         salt_len,
        guint64       n,
        guint32       r,
        guint32       p,
        guint8       *out,
        gsize         out_len)
{
  EVP_KDF *kdf = EVP_KDF_fetch (NULL, "SCRYPT", NULL);
  EVP_KDF_CTX *ctx;
  OSSL_PARAM params[6];
  gboolean ok;

  if (kdf == NULL)
    return FALSE;
  ctx = EVP_KDF_CTX_new (kdf);
  EVP_KDF_free (kdf);
  if (ctx == NULL)
    return FALSE;

  params[0] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_PASSWORD, (char *) password, strlen (password));
  params[1] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_SALT, (guint8 *) salt, salt_len);
  params[2] = OSSL_PARAM_construct_uint64 (OSSL_KDF_PARAM_SCRYPT_N, &n);
  params[3] = OSSL_PARAM_construct_uint32 (OSSL_KDF_PARAM_SCRYPT_R, &r);
  params[4] = OSSL_PARAM_construct_uint32 (OSSL_KDF_PARAM_SCRYPT_P, &p);
  params[5] = OSSL_PARAM_construct_end ();

  ok = EVP_KDF_derive (ctx, out, out_len, params) == 1;
  EVP_KDF_CTX_free (ctx);
  return ok;
}

/**
 * sp_crypto_hash_password:
 *
 * Returns: `scrypt$N$r$p$<salt base64>$<key base64>`, with a fresh salt
 */
char *
sp_crypto_hash_password (const char  *password,
                         GError     **error)
{
  guint8 salt[SALT_BYTES];
  guint8 key[KEY_BYTES];
  g_autofree char *salt64 = NULL;
  g_autofree char *key64 = NULL;

  g_return_val_if_fail (password != NULL, NULL);

  if (!sp_crypto_random_bytes (salt, sizeof salt)
      || !scrypt (password, salt, sizeof salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, key, sizeof key))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_INTERNAL, "Cannot hash the password");
      return NULL;
    }

  salt64 = g_base64_encode (salt, sizeof salt);
  key64 = g_base64_encode (key, sizeof key);
  OPENSSL_cleanse (key, sizeof key);
  return g_strdup_printf ("scrypt$%u$%u$%u$%s$%s", SCRYPT_N, SCRYPT_R, SCRYPT_P, salt64, key64);
}

/**
 * sp_crypto_verify_password:
 *
 * Checks @password against a hash of sp_crypto_hash_password() in constant
 * time. A malformed hash never matches.
 */
gboolean
sp_crypto_verify_password (const char *password,
                           const char *encoded_hash)
{
  g_auto(GStrv) parts = NULL;
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *expected = NULL;
  guint8 key[KEY_BYTES];
  gsize salt_len, expected_len;
  guint64 n, r, p;
  gboolean ok;

  if (password == NULL || encoded_hash == NULL)
    return FALSE;

  parts = g_strsplit (encoded_hash, "$", -1);
  if (g_strv_length (parts) != 6 || !g_str_equal (parts[0], "scrypt")
      || !g_ascii_string_to_unsigned (parts[1], 10, 2, SCRYPT_MAX_N, &n, NULL)
      || !g_ascii_string_to_unsigned (parts[2], 10, 1, 64, &r, NULL)
      || !g_ascii_string_to_unsigned (parts[3], 10, 1, 16, &p, NULL))
    return FALSE;

  salt = g_base64_decode (parts[4], &salt_len);
  expected = g_base64_decode (parts[5], &expected_len);
  if (salt_len == 0 || expected_len != KEY_BYTES)
    return FALSE;

  if (!scrypt (password, salt, salt_len, n, (guint32) r, (guint32) p, key, sizeof key))
    return FALSE;
  ok = CRYPTO_memcmp (key, expected, KEY_BYTES) == 0;
  OPENSSL_cleanse (key, sizeof key);
  return ok;
}

/**
 * sp_crypto_burn_password_time:
 *
 * Spends the time of one verification, so that an unknown username takes as
 * long to refuse as a wrong password.
 */
void
sp_crypto_burn_password_time (const char *password)
{
  static const guint8 salt[SALT_BYTES] = { 0 };
  guint8 key[KEY_BYTES];

  scrypt (password != NULL ? password : "", salt, sizeof salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, key, sizeof key);
}

gboolean
sp_crypto_random_bytes (guint8 *buffer,
                        gsize   length)
{
  return RAND_bytes (buffer, (int) length) == 1;
}

GBytes *
sp_crypto_token_hash (const char *token)
{
  guint8 digest[SHA256_DIGEST_LENGTH];

  SHA256 ((const guint8 *) token, strlen (token), digest);
  return g_bytes_new (digest, sizeof digest);
}

/**
 * sp_crypto_new_token:
 * @token_hash: (out): the SHA-256 of the token, the only form that is stored
 *
 * Returns: a new session token of 256 random bits, URL-safe base64
 */
char *
sp_crypto_new_token (GBytes **token_hash)
{
  guint8 raw[SP_TOKEN_BYTES];
  char *token;

  if (!sp_crypto_random_bytes (raw, sizeof raw))
    g_error ("The system random generator failed");

  token = g_base64_encode (raw, sizeof raw);
  OPENSSL_cleanse (raw, sizeof raw);
  g_strdelimit (token, "+", '-');
  g_strdelimit (token, "/", '_');
  g_strdelimit (token, "=", '\0');

  *token_hash = sp_crypto_token_hash (token);
  return token;
}

/**
 * sp_crypto_generate_password:
 *
 * Returns: a random password of 16 characters, without look-alike letters
 */
char *
sp_crypto_generate_password (void)
{
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  guint8 raw[16];
  char *password = g_malloc (sizeof raw + 1);

  if (!sp_crypto_random_bytes (raw, sizeof raw))
    g_error ("The system random generator failed");
  for (guint i = 0; i < sizeof raw; i++)
    password[i] = alphabet[raw[i] % (sizeof alphabet - 1)];
  password[sizeof raw] = '\0';
  return password;
}

gboolean
sp_crypto_equal (const void *a,
                 const void *b,
                 gsize       length)
{
  return CRYPTO_memcmp (a, b, length) == 0;
}

/* OpenSSL's reasons for the last failure, for a message; clears its queue.
 * @cms_reason, when not 0, is looked for among them (@seen). */
static char *
openssl_reasons_seeing (int       cms_reason,
                        gboolean *seen)
{
  g_autoptr(GString) reasons = g_string_new (NULL);
  unsigned long code;

  while ((code = ERR_get_error ()) != 0)
    {
      const char *reason = ERR_reason_error_string (code);

      if (seen != NULL && cms_reason != 0 && ERR_GET_LIB (code) == ERR_LIB_CMS
          && ERR_GET_REASON (code) == cms_reason)
        *seen = TRUE;

      if (reason == NULL || strstr (reasons->str, reason) != NULL)
        continue;
      if (reasons->len > 0)
        g_string_append (reasons, "; ");
      g_string_append (reasons, reason);
    }
  return g_string_free (g_steal_pointer (&reasons), FALSE);
}

static char *
openssl_reasons (void)
{
  return openssl_reasons_seeing (0, NULL);
}

static char *
common_name (X509 *certificate)
{
  X509_NAME *name = X509_get_subject_name (certificate);
  int index = name != NULL ? X509_NAME_get_index_by_NID (name, NID_commonName, -1) : -1;
  unsigned char *utf8 = NULL;
  char *result;
  int length;

  if (index < 0)
    return NULL;
  length = ASN1_STRING_to_UTF8 (&utf8, X509_NAME_ENTRY_get_data (X509_NAME_get_entry (name, index)));
  if (length < 0)
    return NULL;
  result = g_utf8_validate ((const char *) utf8, length, NULL) ? g_strndup ((const char *) utf8, length) : NULL;
  OPENSSL_free (utf8);
  return result;
}

/**
 * sp_crypto_cms_verify_file:
 * @path: a CMS signed file with its content inside (a `.p7m`), DER or PEM
 * @ca_file: (nullable): the PEM certificates signers must chain to; %NULL
 *   or empty for the system's
 * @refusal: (out) (optional): why the file has no verified signer, or
 *   %SP_CMS_VERIFIED
 *
 * Verifies the signature of a `.p7m` with OpenSSL CMS: the content's
 * digest, the signature and the signer's certificate chain. The file is
 * read whole (CMS cannot verify otherwise): CPU work, for the workers.
 *
 * Returns: (transfer full): the signer's name (the certificate's common
 *   name), or %NULL with @error (%SP_ERROR_VALIDATION, in English with
 *   OpenSSL's reasons: for the log, not for people) and @refusal
 */
char *
sp_crypto_cms_verify_file (const char    *path,
                           const char    *ca_file,
                           SpCmsRefusal  *refusal,
                           GError       **error)
{
  BIO *input = NULL;
  BIO *sink = NULL;
  CMS_ContentInfo *cms = NULL;
  X509_STORE *store = NULL;
  STACK_OF (X509) *signers = NULL;
  g_autofree char *reasons = NULL;
  char *signer = NULL;
  const char *problem = NULL;
  SpCmsRefusal why = SP_CMS_VERIFIED;

  ERR_clear_error ();
  if (!(input = BIO_new_file (path, "rb")))
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "Cannot read the signed file %s", path);
      goto out;
    }
  if (!(cms = d2i_CMS_bio (input, NULL)) && BIO_reset (input) == 0)
    cms = PEM_read_bio_CMS (input, NULL, NULL, NULL);

  if (cms == NULL)
    problem = "not a CMS signed file", why = SP_CMS_NOT_CMS;
  else if (OBJ_obj2nid (CMS_get0_type (cms)) != NID_pkcs7_signed)
    problem = "not a signed file", why = SP_CMS_NOT_SIGNED;
  else if (CMS_is_detached (cms))
    problem = "the signed content is not inside the file", why = SP_CMS_DETACHED;

  if (problem == NULL)
    {
      store = X509_STORE_new ();
      if (store == NULL
          || (ca_file != NULL && *ca_file != '\0' ? X509_STORE_load_file (store, ca_file)
                                                  : X509_STORE_set_default_paths (store)) != 1)
        {
          g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "Cannot load the signers' certificate authorities %s",
                       ca_file != NULL ? ca_file : "of the system");
          goto out;
        }
      sink = BIO_new (BIO_s_null ());
      if (CMS_verify (cms, NULL, store, NULL, sink, CMS_BINARY) != 1)
        {
          gboolean untrusted = FALSE;

          /* Which step failed: the chain is checked first, then the
           * signature, then the content's digest; OpenSSL words the last
           * two alike, so the signature alone is checked again. */
          reasons = openssl_reasons_seeing (CMS_R_CERTIFICATE_VERIFY_ERROR, &untrusted);
          if (untrusted)
            problem = "the signer's certificate is not trusted", why = SP_CMS_UNTRUSTED;
          else
            {
              if (CMS_verify (cms, NULL, store, NULL, sink,
                              CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY | CMS_NO_CONTENT_VERIFY) != 1)
                problem = "the signature is not valid", why = SP_CMS_BAD_SIGNATURE;
              else
                problem = "the content does not match its signature", why = SP_CMS_TAMPERED;
              ERR_clear_error ();
            }
        }
    }
  if (problem == NULL)
    {
      signers = CMS_get0_signers (cms);
      if (signers == NULL || sk_X509_num (signers) < 1 || !(signer = common_name (sk_X509_value (signers, 0))))
        problem = "the signer's certificate has no name", why = SP_CMS_NO_SIGNER_NAME;
    }

  if (problem != NULL)
    {
      if (reasons == NULL)
        reasons = openssl_reasons ();
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "%s%s%s", problem, *reasons != '\0' ? ": " : "", reasons);
    }

out:
  if (refusal != NULL)
    *refusal = why;
  ERR_clear_error ();
  sk_X509_free (signers);
  X509_STORE_free (store);
  CMS_ContentInfo_free (cms);
  BIO_free (sink);
  BIO_free (input);
  return signer;
}

/**
 * sp_crypto_hmac_sha256:
 * @mac: (out caller-allocates): SP_CRYPTO_HMAC_BYTES bytes
 *
 * HMAC-SHA256 of @data under @key.
 */
void
sp_crypto_hmac_sha256 (const guint8 *key,
                       gsize         key_length,
                       const guint8 *data,
                       gsize         length,
                       guint8       *mac)
{
  if (EVP_Q_mac (NULL, "HMAC", NULL, "SHA256", NULL, key, key_length, data, length,
                 mac, SP_CRYPTO_HMAC_BYTES, NULL) == NULL)
    g_error ("HMAC-SHA256 failed");
}

/* Signing (the demo's signed response files) */

struct _SpCryptoSigner
{
  X509       *ca;
  EVP_PKEY   *ca_key;
  GHashTable *signers;    /* common name → Issued */
  GMutex      lock;
};

typedef struct
{
  X509     *certificate;
  EVP_PKEY *key;
} Issued;

static void
issued_free (Issued *issued)
{
  X509_free (issued->certificate);
  EVP_PKEY_free (issued->key);
  g_free (issued);
}

static EVP_PKEY *
new_ec_key (void)
{
  return EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");
}

/* A certificate for @common_name, signed by @issuer_key as @issuer (itself
 * when NULL): valid from two years ago (the demo's past signatures) for
 * three years. */
static X509 *
new_certificate (const char *common_name,
                 EVP_PKEY   *key,
                 X509       *issuer,
                 EVP_PKEY   *issuer_key,
                 gboolean    is_ca)
{
  X509 *certificate = X509_new ();
  X509_NAME *name = X509_NAME_new ();
  X509V3_CTX context;
  X509_EXTENSION *extension;
  guint8 serial[16];
  BIGNUM *serial_number;
  gboolean ok;

  sp_crypto_random_bytes (serial, sizeof serial);
  serial[0] &= 0x7f;
  serial_number = BN_bin2bn (serial, sizeof serial, NULL);
  ok = certificate != NULL && name != NULL && serial_number != NULL
       && X509_set_version (certificate, X509_VERSION_3)
       && BN_to_ASN1_INTEGER (serial_number, X509_get_serialNumber (certificate)) != NULL
       && X509_NAME_add_entry_by_txt (name, "O", MBSTRING_UTF8, (const guchar *) "Sportello demo", -1, -1, 0)
       && X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8, (const guchar *) common_name, -1, -1, 0)
       && X509_set_subject_name (certificate, name)
       && X509_set_issuer_name (certificate, issuer != NULL ? X509_get_subject_name (issuer) : name)
       && X509_gmtime_adj (X509_getm_notBefore (certificate), -2L * 366 * 24 * 3600) != NULL
       && X509_gmtime_adj (X509_getm_notAfter (certificate), 3L * 366 * 24 * 3600) != NULL
       && X509_set_pubkey (certificate, key);
  BN_free (serial_number);
  X509_NAME_free (name);
  if (!ok)
    {
      X509_free (certificate);
      return NULL;
    }

  X509V3_set_ctx (&context, issuer != NULL ? issuer : certificate, certificate, NULL, NULL, 0);
  extension = X509V3_EXT_conf_nid (NULL, &context, NID_basic_constraints,
                                   is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  ok = extension != NULL && X509_add_ext (certificate, extension, -1);
  X509_EXTENSION_free (extension);
  extension = X509V3_EXT_conf_nid (NULL, &context, NID_key_usage,
                                   is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,nonRepudiation");
  ok = ok && extension != NULL && X509_add_ext (certificate, extension, -1);
  X509_EXTENSION_free (extension);
  if (!ok || X509_sign (certificate, issuer_key != NULL ? issuer_key : key, EVP_sha256 ()) <= 0)
    {
      X509_free (certificate);
      return NULL;
    }
  return certificate;
}

static SpCryptoSigner *
signer_new (X509     *ca,
            EVP_PKEY *ca_key)
{
  SpCryptoSigner *self = g_new0 (SpCryptoSigner, 1);

  self->ca = ca;
  self->ca_key = ca_key;
  self->signers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) issued_free);
  g_mutex_init (&self->lock);
  return self;
}

/**
 * sp_crypto_signer_new:
 * @ca_file: (nullable): a PEM certificate authority
 * @key_file: (nullable): its PEM private key
 *
 * A certificate authority that issues a certificate to each signer by name
 * and signs files as them: the demo's digitally signed responses. Without
 * @ca_file and @key_file, a throw-away one made now (its signatures verify
 * only against sp_crypto_signer_get_ca_pem()).
 *
 * Returns: (transfer full): the signer, or %NULL with @error
 */
SpCryptoSigner *
sp_crypto_signer_new (const char  *ca_file,
                      const char  *key_file,
                      GError     **error)
{
  X509 *ca = NULL;
  EVP_PKEY *key = NULL;
  BIO *input;

  ERR_clear_error ();
  if (ca_file == NULL && key_file == NULL)
    {
      if (!(key = new_ec_key ()) || !(ca = new_certificate ("Sportello demo - CA firma digitale", key, NULL, NULL, TRUE)))
        {
          g_set_error_literal (error, SP_ERROR, SP_ERROR_INTERNAL, "Cannot make a signing certificate authority");
          EVP_PKEY_free (key);
          ERR_clear_error ();
          return NULL;
        }
      return signer_new (ca, key);
    }

  if (ca_file != NULL && (input = BIO_new_file (ca_file, "r")) != NULL)
    {
      ca = PEM_read_bio_X509 (input, NULL, NULL, NULL);
      BIO_free (input);
    }
  if (key_file != NULL && (input = BIO_new_file (key_file, "r")) != NULL)
    {
      key = PEM_read_bio_PrivateKey (input, NULL, NULL, NULL);
      BIO_free (input);
    }
  ERR_clear_error ();
  if (ca == NULL || key == NULL || X509_check_private_key (ca, key) != 1)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT,
                   "Cannot read a signing certificate authority from %s and its key from %s",
                   ca_file != NULL ? ca_file : "-", key_file != NULL ? key_file : "-");
      X509_free (ca);
      EVP_PKEY_free (key);
      ERR_clear_error ();
      return NULL;
    }
  return signer_new (ca, key);
}

void
sp_crypto_signer_free (SpCryptoSigner *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->signers);
  X509_free (self->ca);
  EVP_PKEY_free (self->ca_key);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * sp_crypto_signer_get_ca_pem:
 *
 * Returns: (transfer full): the certificate authority, PEM
 */
char *
sp_crypto_signer_get_ca_pem (SpCryptoSigner *self)
{
  BIO *output = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long length;
  char *pem;

  PEM_write_bio_X509 (output, self->ca);
  length = BIO_get_mem_data (output, &data);
  pem = g_strndup (data, length);
  BIO_free (output);
  return pem;
}

/* The certificate and key of @common_name, issued at the first call. */
static Issued *
issued_for (SpCryptoSigner *self,
            const char     *common_name)
{
  Issued *issued;

  g_mutex_lock (&self->lock);
  issued = g_hash_table_lookup (self->signers, common_name);
  if (issued == NULL)
    {
      EVP_PKEY *key = new_ec_key ();
      X509 *certificate = key != NULL ? new_certificate (common_name, key, self->ca, self->ca_key, FALSE) : NULL;

      if (certificate != NULL)
        {
          issued = g_new0 (Issued, 1);
          issued->certificate = certificate;
          issued->key = key;
          g_hash_table_insert (self->signers, g_strdup (common_name), issued);
        }
      else
        EVP_PKEY_free (key);
    }
  g_mutex_unlock (&self->lock);
  return issued;
}

/**
 * sp_crypto_signer_sign:
 * @common_name: the signer's name, as certificates write it ("ROSSI MARIO")
 * @content: what is signed
 * @signing_time: (nullable): when it was signed; %NULL for now
 *
 * Signs @content as @common_name with OpenSSL CMS, the content inside (a
 * `.p7m`, DER, as sp_crypto_cms_verify_file() reads it), with the signer's
 * certificate and the authority's. Safe to call from several threads.
 *
 * Returns: (transfer full): the signed file, or %NULL with @error
 */
GBytes *
sp_crypto_signer_sign (SpCryptoSigner  *self,
                       const char      *common_name,
                       GBytes          *content,
                       GDateTime       *signing_time,
                       GError         **error)
{
  Issued *issued = issued_for (self, common_name);
  BIO *input = NULL;
  BIO *output = NULL;
  CMS_ContentInfo *cms = NULL;
  CMS_SignerInfo *info;
  ASN1_TIME *when = NULL;
  GBytes *signed_file = NULL;
  char *data = NULL;
  long length;

  ERR_clear_error ();
  if (issued == NULL)
    goto failed;
  input = BIO_new_mem_buf (g_bytes_get_data (content, NULL), (int) g_bytes_get_size (content));
  output = BIO_new (BIO_s_mem ());
  cms = CMS_sign (NULL, NULL, NULL, NULL, CMS_BINARY | CMS_PARTIAL);
  if (input == NULL || output == NULL || cms == NULL
      || !(info = CMS_add1_signer (cms, issued->certificate, issued->key, EVP_sha256 (), CMS_BINARY))
      || !CMS_add1_cert (cms, self->ca))
    goto failed;
  if (signing_time != NULL)
    {
      if (!(when = ASN1_TIME_set (NULL, (time_t) g_date_time_to_unix (signing_time)))
          || !CMS_signed_add1_attr_by_NID (info, NID_pkcs9_signingTime, when->type, when, -1))
        goto failed;
    }
  if (!CMS_final (cms, input, NULL, CMS_BINARY) || i2d_CMS_bio (output, cms) != 1)
    goto failed;
  length = BIO_get_mem_data (output, &data);
  signed_file = g_bytes_new (data, length);
  goto out;

failed:
  {
    g_autofree char *reasons = openssl_reasons ();

    g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "Cannot sign as %s: %s", common_name, reasons);
  }
out:
  ERR_clear_error ();
  ASN1_TIME_free (when);
  CMS_ContentInfo_free (cms);
  BIO_free (output);
  BIO_free (input);
  return signed_file;
}
