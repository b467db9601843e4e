#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SP_TOKEN_BYTES 32
#define SP_CRYPTO_HMAC_BYTES 32

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
                                           GError      **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_crypto_hmac_sha256        (const guint8 *key,
                                           gsize         key_length,
                                           const guint8 *data,
                                           gsize         length,
                                           guint8       *mac);

G_END_DECLS
