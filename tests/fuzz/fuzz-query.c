/* fuzz-query.c: fuzz target for query strings: libsoup's form decoding, then the dashboard's parameters */
#define G_LOG_DOMAIN "fuzz"

#include "config.h"

#include "sp-fuzz-replay.h"
#include "sp-handlers.h"

/* The input is a query string, as libsoup's server decodes it for a handler. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GHashTable) query = soup_form_decode (text);
  SpRequest request = { .query = query };
  SpDashboardQuery *parsed = g_new0 (SpDashboardQuery, 1);
  g_autoptr(GError) error = NULL;

  if (!sp_handle_dashboard_parse (&request, parsed, &error))
    {
      /* Refused with a message for the client, never a server error. */
      g_assert_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT);
      g_assert_cmpstr (error->message, !=, "");
    }
  else
    {
      g_assert_no_error (error);
      g_assert_cmpuint (parsed->bucket, <, SP_N_BUCKETS);
      g_assert_cmpuint (parsed->sort, <, SP_N_SORT_KEYS);
      g_assert_cmpuint (parsed->limit, >=, 1);
      g_assert_cmpuint (parsed->limit, <=, SP_DASHBOARD_MAX_LIMIT);
      g_assert_true (parsed->with_counts == (parsed->cursor == NULL));
      if (parsed->cursor != NULL)
        g_assert_cmpuint (g_strv_length (parsed->cursor), ==, sp_sort_key_n_values (parsed->sort) + 1);
      /* The search reaches SQL normalised: valid, lower case, single spaces. */
      if (parsed->search != NULL)
        {
          gsize length = strlen (parsed->search);

          g_assert_true (g_utf8_validate (parsed->search, -1, NULL));
          g_assert_cmpuint (length, >, 0);
          g_assert_cmpuint (length, <=, 4 * 100);
          for (gsize i = 0; i < length; i++)
            g_assert_false (g_ascii_isupper (parsed->search[i]));
          g_assert_null (strstr (parsed->search, "  "));
          g_assert_null (strpbrk (parsed->search, "\t\r\n"));
          g_assert_cmpint (parsed->search[0], !=, ' ');
          g_assert_cmpint (parsed->search[length - 1], !=, ' ');
        }
    }
  sp_dashboard_query_free (parsed);
  return 0;
}
