/* sp-test-dashboard.c: paging through the dashboard, the buckets of DESIGN.md §3, collected failures (server tests) */
#define G_LOG_DOMAIN "sp-test-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-test-dashboard.h"
#include "sp-test-http.h"

#define MAX_ROWS 20000          /* a paging loop that goes past this is broken */
#define MAX_PROBLEMS_SHOWN 25

/* Members that may be missing without a critical. */
static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

char *
sp_test_dashboard_path (SpBucket    bucket,
                        SpSortKey   sort,
                        gboolean    descending,
                        const char *search,
                        guint       limit,
                        const char *cursor)
{
  GString *path = g_string_new (SP_TEST_PRATICHE);

  g_string_append_printf (path, "?bucket=%s&sort=%s&order=%s&limit=%u", sp_bucket_to_string (bucket),
                          sp_sort_key_to_string (sort), descending ? "desc" : "asc", limit);
  if (search != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (search, NULL, FALSE);

      g_string_append_printf (path, "&q=%s", escaped);
    }
  if (cursor != NULL)
    g_string_append_printf (path, "&cursor=%s", cursor);
  return g_string_free (path, FALSE);
}

/* The ids of a page's items, in order. */
static GPtrArray *
page_ids (JsonObject *page)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *items = array_member (page, "items");

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      const char *id = JSON_NODE_HOLDS_OBJECT (item)
                       ? json_object_get_string_member_with_default (json_node_get_object (item), "id", NULL) : NULL;

      g_ptr_array_add (ids, g_strdup (id != NULL ? id : "(no id)"));
    }
  return ids;
}

void
sp_test_paged_free (SpTestPaged *paged)
{
  if (paged == NULL)
    return;
  g_ptr_array_unref (paged->ids);
  g_ptr_array_unref (paged->pages);
  g_free (paged->failure);
  g_free (paged);
}

/* Pages through a bucket with keyset cursors, calling @between (if any)
 * before every page after the first. Checks every page's shape. */
SpTestPaged *
sp_test_dashboard_page_through (SpTestEnv              *env,
                                const char             *token,
                                SpBucket                bucket,
                                SpSortKey               sort,
                                gboolean                descending,
                                const char             *search,
                                guint                   limit,
                                SpTestBetweenPagesFunc  between,
                                gpointer                user_data)
{
  SpTestPaged *paged = g_new0 (SpTestPaged, 1);
  g_autofree char *cursor = NULL;

  paged->ids = g_ptr_array_new_with_free_func (g_free);
  paged->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  for (guint page = 0; paged->ids->len <= MAX_ROWS; page++)
    {
      g_autofree char *path = sp_test_dashboard_path (bucket, sort, descending, search, limit, cursor);
      g_autoptr(SpTestResponse) response = NULL;
      JsonObject *object;
      GPtrArray *ids;
      JsonNode *next;

      if (page > 0 && between != NULL)
        between (page, user_data);
      response = sp_test_request (env, "GET", path, token, NULL, NULL, 0);
      if (response->status != 200 || response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
        {
          paged->failed_status = response->status != 0 ? response->status : 1;
          paged->failure = g_strdup_printf ("GET %s: HTTP %u %s", path, response->status,
                                            sp_test_response_text (response));
          break;
        }
      object = json_node_get_object (response->json);
      ids = page_ids (object);
      g_ptr_array_add (paged->pages, ids);
      for (guint i = 0; i < ids->len; i++)
        g_ptr_array_add (paged->ids, g_strdup (ids->pdata[i]));

      if (page == 0)
        {
          JsonObject *counts = object_member (object, "counts");

          paged->has_counts = counts != NULL;
          for (guint b = 0; counts != NULL && b < SP_N_BUCKETS; b++)
            paged->counts[b] = json_object_get_int_member_with_default (counts, sp_bucket_to_string (b), -1);
        }
      else if (json_object_has_member (object, "counts"))
        {
          paged->failure = g_strdup_printf ("GET %s: a later page has counts", path);
          paged->failed_status = 1;
        }

      if (ids->len > limit)
        {
          paged->failure = g_strdup_printf ("GET %s: %u items for limit %u", path, ids->len, limit);
          paged->failed_status = 1;
          break;
        }
      next = json_object_get_member (object, "next_cursor");
      if (next == NULL || JSON_NODE_HOLDS_NULL (next))
        break;
      if (ids->len < limit)
        {
          /* A short page with a cursor: allowed, but the server says it is the last. */
          paged->failure = g_strdup_printf ("GET %s: a page of %u < %u items has a next_cursor", path, ids->len, limit);
          paged->failed_status = 1;
        }
      g_free (cursor);
      cursor = g_strdup (json_node_get_string (next));
    }
  return paged;
}

/* DESIGN.md §3, written out again rather than taken from common/: the
 * status codes, the concluded ones, and what each bucket holds. */
static const int design_statuses[] = { 2000, 3000, 4000, 4100, 4500, 5000, 6000, 7000, 8000, 9000, 20000 };

gboolean
sp_test_design_concluded (int status)
{
  return status == 6000 || status == 7000 || status == 8000 || status == 9000 || status == 20000;
}

gboolean
sp_test_design_bucket_contains (SpBucket bucket,
                                int      status,
                                gboolean assigned_to_me,
                                gboolean assigned)
{
  switch (bucket)
    {
    case SP_BUCKET_DA_GESTIRE:
      return assigned_to_me && !sp_test_design_concluded (status);
    case SP_BUCKET_DA_ASSEGNARE:
      return !assigned && !sp_test_design_concluded (status);
    case SP_BUCKET_CONCLUSE:
      return assigned_to_me && sp_test_design_concluded (status);
    case SP_BUCKET_TUTTE:
      return TRUE;
    case SP_N_BUCKETS:
    default:
      g_assert_not_reached ();
    }
}

/* The same, as SQL on `p` for the account $1 (for reference queries): made
 * from sp_test_design_bucket_contains(), status by status, for a pratica of
 * the operator, of a colleague and of nobody. */
static char *
design_bucket_sql (SpBucket bucket)
{
  static const struct { const char *condition; gboolean mine, assigned; } assignees[] = {
    { "p.assigned_to = $1::bigint", TRUE, TRUE },
    { "p.assigned_to <> $1::bigint", FALSE, TRUE },
    { "p.assigned_to IS NULL", FALSE, FALSE },
  };
  GString *sql = g_string_new (NULL);

  for (guint a = 0; a < G_N_ELEMENTS (assignees); a++)
    {
      g_autoptr(GString) statuses = g_string_new (NULL);

      for (guint s = 0; s < G_N_ELEMENTS (design_statuses); s++)
        if (sp_test_design_bucket_contains (bucket, design_statuses[s], assignees[a].mine, assignees[a].assigned))
          g_string_append_printf (statuses, "%s%d", statuses->len > 0 ? ", " : "", design_statuses[s]);
      if (statuses->len > 0)
        g_string_append_printf (sql, "%s(%s AND p.status IN (%s))", sql->len > 0 ? " OR " : "",
                                assignees[a].condition, statuses->str);
    }
  if (sql->len == 0)
    g_string_append (sql, "FALSE");
  g_string_prepend_c (sql, '(');
  g_string_append_c (sql, ')');
  return g_string_free (sql, FALSE);
}

/* Returns: the condition of @bucket, as DESIGN.md §3 defines it, on rows `p`
 *   of pratica for the operator $1::bigint */
const char *
sp_test_design_bucket_sql (SpBucket bucket)
{
  static char *bucket_sql[SP_N_BUCKETS];

  g_return_val_if_fail (bucket < SP_N_BUCKETS, NULL);
  if (bucket_sql[bucket] == NULL)
    bucket_sql[bucket] = design_bucket_sql (bucket);
  return bucket_sql[bucket];
}

/* Failures are collected and reported at once: one wrong rule would
 * otherwise print hundreds of assertion messages. */
void
sp_test_problem (GPtrArray  *problems,
                 const char *format,
                 ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

void
sp_test_assert_no_problems (GPtrArray *problems)
{
  guint shown = 0, errors = 0;

  /* Wrong answers first; server errors (one cause, many requests) after. */
  for (guint i = 0; i < problems->len; i++)
    if (strstr (problems->pdata[i], "HTTP 5") == NULL && shown++ < MAX_PROBLEMS_SHOWN)
      g_test_message ("%s", (const char *) problems->pdata[i]);
  for (guint i = 0; i < problems->len; i++)
    if (strstr (problems->pdata[i], "HTTP 5") != NULL && errors++ < 5)
      g_test_message ("%s", (const char *) problems->pdata[i]);
  if (problems->len > 0)
    g_test_message ("%u problems: %u wrong answers, %u server errors", problems->len, shown, errors);
  g_assert_cmpuint (problems->len, ==, 0);
}
