/* sp-dashboard.c: the dashboard's buckets and sort keys, by name */
#define G_LOG_DOMAIN "sp-dashboard"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-dashboard.h"

static const struct { const char *name; const char *label; } buckets[SP_N_BUCKETS] = {
  [SP_BUCKET_DA_GESTIRE] = { "da_gestire", N_("To manage") },
  [SP_BUCKET_DA_ASSEGNARE] = { "da_assegnare", N_("To assign") },
  [SP_BUCKET_CONCLUSE] = { "concluse", N_("Concluded") },
  [SP_BUCKET_TUTTE] = { "tutte", N_("All of the ente") },
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

/**
 * sp_bucket_contains:
 * @assigned_to_me: the pratica is assigned to the operator asking
 * @assigned: the pratica is assigned to anybody
 *
 * The definition of the buckets; the server's queries implement the same.
 */
gboolean
sp_bucket_contains (SpBucket bucket,
                    SpStatus status,
                    gboolean assigned_to_me,
                    gboolean assigned)
{
  gboolean concluded = sp_status_is_concluded (status);

  switch (bucket)
    {
    case SP_BUCKET_DA_GESTIRE:
      return assigned_to_me && !concluded;
    case SP_BUCKET_DA_ASSEGNARE:
      return !assigned && !concluded;
    case SP_BUCKET_CONCLUSE:
      return assigned_to_me && concluded;
    case SP_BUCKET_TUTTE:
      return TRUE;
    case SP_N_BUCKETS:
    default:
      return FALSE;
    }
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
