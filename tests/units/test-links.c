/* test-links.c: signed download links: round trip, tampering, expiry, secrets */
#define G_LOG_DOMAIN "test-links"

#include "config.h"

#include <glib/gstdio.h>

#include "sp-links.h"

#define DOCUMENT "3f2b8c1e-9a7d-4e21-b5c4-0d6e8f9a1b2c"

static char *secret_file;

static SpLinks *
new_links (void)
{
  g_autoptr(GError) error = NULL;
  SpLinks *links = sp_links_new (secret_file, "https://sportello.example.it/", 30, &error);

  g_assert_no_error (error);
  return links;
}

static void
test_round_trip (void)
{
  g_autoptr(SpLinks) links = new_links ();
  gint64 now = 1767225600;   /* 2026-01-01 */
  g_autofree char *token = sp_links_sign (links, DOCUMENT, now + 60);
  g_autofree char *url = sp_links_url (links, DOCUMENT, now + 60);
  g_autofree char *document = NULL;
  gint64 expires = 0;

  g_assert_cmpuint (strlen (token), ==, 75);
  g_assert_true (g_str_has_prefix (url, "https://sportello.example.it/d/"));
  g_assert_true (g_str_has_suffix (url, token));
  g_assert_cmpint (sp_links_verify (links, token, now, &document, &expires), ==, SP_LINK_OK);
  g_assert_cmpstr (document, ==, DOCUMENT);
  g_assert_cmpint (expires, ==, now + 60);

  /* The same link one second after its expiry. */
  g_clear_pointer (&document, g_free);
  g_assert_cmpint (sp_links_verify (links, token, now + 60, &document, NULL), ==, SP_LINK_EXPIRED);
  g_assert_null (document);
  g_assert_null (sp_links_sign (links, "not-a-uuid", now));
}

/* Every single character changed, and every truncation, is refused. */
static void
test_tampered (void)
{
  g_autoptr(SpLinks) links = new_links ();
  g_autofree char *token = sp_links_sign (links, DOCUMENT, G_MAXINT32);
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  for (gsize i = 0; token[i] != '\0'; i++)
    {
      g_autofree char *altered = g_strdup (token);

      altered[i] = alphabet[(strchr (alphabet, token[i]) - alphabet + 1) % 64];
      g_assert_cmpint (sp_links_verify (links, altered, 0, NULL, NULL), ==, SP_LINK_INVALID);
      altered[i] = '\0';
      g_assert_cmpint (sp_links_verify (links, altered, 0, NULL, NULL), ==, SP_LINK_INVALID);
    }
  g_assert_cmpint (sp_links_verify (links, "", 0, NULL, NULL), ==, SP_LINK_INVALID);
  g_assert_cmpint (sp_links_verify (links, NULL, 0, NULL, NULL), ==, SP_LINK_INVALID);
  {
    g_autofree char *padded = g_strconcat (token, "=", NULL);
    g_autofree char *slashed = g_strdup (token);

    g_strdelimit (slashed, "_", '/');
    g_assert_cmpint (sp_links_verify (links, padded, 0, NULL, NULL), ==, SP_LINK_INVALID);
    if (strchr (token, '_') != NULL)
      g_assert_cmpint (sp_links_verify (links, slashed, 0, NULL, NULL), ==, SP_LINK_INVALID);
  }
}

/* Another secret signs other links; a short secret is refused. */
static void
test_secrets (void)
{
  g_autoptr(SpLinks) links = new_links ();
  g_autofree char *other_file = g_build_filename (g_get_tmp_dir (), "sp-test-links-other", NULL);
  g_autofree char *short_file = g_build_filename (g_get_tmp_dir (), "sp-test-links-short", NULL);
  g_autoptr(SpLinks) other = NULL;
  g_autoptr(SpLinks) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  g_assert_true (g_file_set_contents (other_file, "un-altro-segreto-di-almeno-trentadue-caratteri\n", -1, NULL));
  g_assert_true (g_file_set_contents (short_file, "corto\n", -1, NULL));
  other = sp_links_new (other_file, NULL, 30, &error);
  g_assert_no_error (error);
  token = sp_links_sign (other, DOCUMENT, G_MAXINT32);
  g_assert_cmpint (sp_links_verify (links, token, 0, NULL, NULL), ==, SP_LINK_INVALID);
  g_assert_cmpint (sp_links_verify (other, token, 0, NULL, NULL), ==, SP_LINK_OK);

  none = sp_links_new (short_file, NULL, 30, &error);
  g_assert_null (none);
  g_assert_nonnull (strstr (error->message, "at least 32"));
  g_unlink (other_file);
  g_unlink (short_file);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  secret_file = g_build_filename (g_get_tmp_dir (), "sp-test-links-secret", NULL);
  g_assert_true (g_file_set_contents (secret_file, "segreto-di-prova-lungo-almeno-trentadue-caratteri\n", -1, NULL));

  g_test_add_func ("/sportello/links/round-trip", test_round_trip);
  g_test_add_func ("/sportello/links/tampered", test_tampered);
  g_test_add_func ("/sportello/links/secrets", test_secrets);

  status = g_test_run ();
  g_unlink (secret_file);
  g_free (secret_file);
  return status;
}
