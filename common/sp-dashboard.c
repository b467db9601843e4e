/* sp-dashboard.c: the dashboard's buckets and sort keys, by name */
#define G_LOG_DOMAIN "sp-dashboard"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-dashboard.h"
#include "sp-error.h"
#include "sp-json.h"

/* The only definition of the buckets (DESIGN.md §3): whose pratiche and which
 * statuses each holds. sp_bucket_contains() and the server's SQL
 * (sp-db-dashboard-sql.c) are both made from it. */
static const struct
{
  const char       *name;
  const char       *label;
  SpBucketAssignee  assignee;
  SpBucketStatuses  statuses;
} buckets[SP_N_BUCKETS] = {
  [SP_BUCKET_DA_GESTIRE] = { "da_gestire", N_("To manage"), SP_ASSIGNEE_ME, SP_STATUSES_OPEN },
  [SP_BUCKET_DA_ASSEGNARE] = { "da_assegnare", N_("To assign"), SP_ASSIGNEE_NOBODY, SP_STATUSES_OPEN },
  [SP_BUCKET_CONCLUSE] = { "concluse", N_("Concluded"), SP_ASSIGNEE_ME, SP_STATUSES_CONCLUDED },
  [SP_BUCKET_TUTTE] = { "tutte", N_("All of the ente"), SP_ASSIGNEE_ANYONE, SP_STATUSES_ANY },
};

static const char * const sort_keys[SP_N_SORT_KEYS] = {
  [SP_SORT_SUBMITTED] = "submitted_at",
  [SP_SORT_NUMERO] = "numero",
  [SP_SORT_APPLICANT] = "applicant",
  [SP_SORT_SERVIZIO] = "servizio",
  [SP_SORT_STATUS] = "status",
  [SP_SORT_PROTOCOL] = "protocol",
  [SP_SORT_DEADLINE] = "deadline",
};

const char *
sp_bucket_to_string (SpBucket bucket)
{
  g_return_val_if_fail (bucket < SP_N_BUCKETS, NULL);
  return buckets[bucket].name;
}

gboolean
sp_bucket_from_string (const char *name,
                       SpBucket   *bucket)
{
  for (guint i = 0; name != NULL && i < SP_N_BUCKETS; i++)
    if (g_str_equal (buckets[i].name, name))
      {
        *bucket = (SpBucket) i;
        return TRUE;
      }
  return FALSE;
}

const char *
sp_bucket_get_label (SpBucket bucket)
{
  g_return_val_if_fail (bucket < SP_N_BUCKETS, NULL);
  return g_dgettext (GETTEXT_PACKAGE, buckets[bucket].label);
}

SpBucketAssignee
sp_bucket_get_assignee (SpBucket bucket)
{
  g_return_val_if_fail (bucket < SP_N_BUCKETS, SP_ASSIGNEE_ANYONE);
  return buckets[bucket].assignee;
}

SpBucketStatuses
sp_bucket_get_statuses (SpBucket bucket)
{
  g_return_val_if_fail (bucket < SP_N_BUCKETS, SP_STATUSES_ANY);
  return buckets[bucket].statuses;
}

static gboolean
assignee_matches (SpBucketAssignee assignee,
                  gboolean         assigned_to_me,
                  gboolean         assigned)
{
  switch (assignee)
    {
    case SP_ASSIGNEE_ME:
      return assigned_to_me;
    case SP_ASSIGNEE_NOBODY:
      return !assigned;
    case SP_ASSIGNEE_ANYONE:
    default:
      return TRUE;
    }
}

static gboolean
statuses_match (SpBucketStatuses statuses,
                SpStatus         status)
{
  switch (statuses)
    {
    case SP_STATUSES_OPEN:
      return !sp_status_is_concluded (status);
    case SP_STATUSES_CONCLUDED:
      return sp_status_is_concluded (status);
    case SP_STATUSES_ANY:
    default:
      return TRUE;
    }
}

/**
 * sp_bucket_contains:
 * @assigned_to_me: the pratica is assigned to the operator asking
 * @assigned: the pratica is assigned to anybody
 *
 * Returns: whether @bucket holds such a pratica, by the table of buckets
 */
gboolean
sp_bucket_contains (SpBucket bucket,
                    SpStatus status,
                    gboolean assigned_to_me,
                    gboolean assigned)
{
  g_return_val_if_fail (bucket < SP_N_BUCKETS, FALSE);
  return assignee_matches (buckets[bucket].assignee, assigned_to_me, assigned)
         && statuses_match (buckets[bucket].statuses, status);
}

const char *
sp_sort_key_to_string (SpSortKey key)
{
  g_return_val_if_fail (key < SP_N_SORT_KEYS, NULL);
  return sort_keys[key];
}

gboolean
sp_sort_key_from_string (const char *name,
                         SpSortKey  *key)
{
  for (guint i = 0; name != NULL && i < SP_N_SORT_KEYS; i++)
    if (g_str_equal (sort_keys[i], name))
      {
        *key = (SpSortKey) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * sp_sort_key_n_values:
 *
 * Returns: how many values order the rows by @key, before the id
 *   (surname and name for the applicant, service name and number for the service)
 */
guint
sp_sort_key_n_values (SpSortKey key)
{
  return key == SP_SORT_APPLICANT || key == SP_SORT_SERVIZIO ? 2 : 1;
}

/**
 * sp_cursor_encode:
 * @key: the order the page was in
 * @values: the sort values and the id of the last row of a page
 *
 * Returns: an opaque, URL-safe cursor that continues after that row, in that
 *   order only
 */
char *
sp_cursor_encode (SpSortKey           key,
                  gboolean            descending,
                  const char * const *values)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  char *encoded;

  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, sp_sort_key_to_string (key));
  json_builder_add_string_value (builder, descending ? "desc" : "asc");
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  text = sp_json_to_string (root, NULL);

  encoded = g_base64_encode ((const guchar *) text, strlen (text));
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  g_strdelimit (encoded, "=", '\0');
  return encoded;
}

/**
 * sp_cursor_decode:
 * @key: the order of the request
 *
 * Returns: (transfer full): the sort values and id of sp_cursor_encode(), or
 *   %NULL with %SP_ERROR_INVALID_INPUT, also when the cursor came from
 *   another order
 */
GStrv
sp_cursor_decode (const char  *cursor,
                  SpSortKey    key,
                  gboolean     descending,
                  GError     **error)
{
  guint n_values = sp_sort_key_n_values (key) + 1;
  g_autofree char *padded = NULL;
  g_autofree guchar *raw = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gsize length = strlen (cursor);
  JsonArray *array;

  if (length == 0 || length > 4096 || strspn (cursor, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != length)
    goto invalid;

  padded = g_strnfill (length + (4 - length % 4) % 4, '=');
  memcpy (padded, cursor, length);
  g_strdelimit (padded, "-", '+');
  g_strdelimit (padded, "_", '/');
  raw = g_base64_decode (padded, &length);

  root = sp_json_parse ((const char *) raw, length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    goto invalid;
  array = json_node_get_array (root);
  if (json_array_get_length (array) != n_values + 2
      || g_strcmp0 (sp_json_array_get_string (array, 0), sp_sort_key_to_string (key)) != 0
      || g_strcmp0 (sp_json_array_get_string (array, 1), descending ? "desc" : "asc") != 0)
    goto invalid;
  for (guint i = 2; i < n_values + 2; i++)
    {
      const char *value = sp_json_array_get_string (array, i);

      if (value == NULL)
        goto invalid;
      g_strv_builder_add (builder, value);
    }
  return g_strv_builder_end (builder);

invalid:
  g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "The cursor is not valid for this sort");
  return NULL;
}
