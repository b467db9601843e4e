#pragma once

#include <glib.h>

#include "sp-status.h"

G_BEGIN_DECLS

/**
 * SpBucket:
 * @SP_BUCKET_DA_GESTIRE: assigned to me, not concluded
 * @SP_BUCKET_DA_ASSEGNARE: assigned to nobody, not concluded
 * @SP_BUCKET_CONCLUSE: concluded (or waiting for the outcome's protocol) and handled by me
 * @SP_BUCKET_TUTTE: every pratica of the ente
 *
 * The dashboard's buckets (DESIGN.md §3); all are limited to the services the
 * operator is enabled for.
 */
typedef enum
{
  SP_BUCKET_DA_GESTIRE,
  SP_BUCKET_DA_ASSEGNARE,
  SP_BUCKET_CONCLUSE,
  SP_BUCKET_TUTTE,
  SP_N_BUCKETS,
} SpBucket;

/**
 * SpBucketAssignee:
 * @SP_ASSIGNEE_ANYONE: assigned to anybody, or to nobody
 * @SP_ASSIGNEE_ME: assigned to the operator asking
 * @SP_ASSIGNEE_NOBODY: assigned to nobody
 *
 * Whose pratiche a bucket holds.
 */
typedef enum
{
  SP_ASSIGNEE_ANYONE,
  SP_ASSIGNEE_ME,
  SP_ASSIGNEE_NOBODY,
} SpBucketAssignee;

/**
 * SpBucketStatuses:
 * @SP_STATUSES_ANY: every status
 * @SP_STATUSES_OPEN: the statuses not concluded (sp_status_is_concluded())
 * @SP_STATUSES_CONCLUDED: the concluded ones
 *
 * Which statuses a bucket holds.
 */
typedef enum
{
  SP_STATUSES_ANY,
  SP_STATUSES_OPEN,
  SP_STATUSES_CONCLUDED,
} SpBucketStatuses;

/**
 * SpSortKey:
 *
 * The dashboard's sortable columns. Every order ends with the pratica's id,
 * so it is total and a cursor can continue it.
 */
typedef enum
{
  SP_SORT_SUBMITTED,
  SP_SORT_NUMERO,
  SP_SORT_APPLICANT,
  SP_SORT_SERVIZIO,
  SP_SORT_STATUS,
  SP_SORT_PROTOCOL,
  SP_SORT_DEADLINE,
  SP_N_SORT_KEYS,
} SpSortKey;

const char  *sp_bucket_to_string    (SpBucket     bucket);
gboolean     sp_bucket_from_string  (const char  *name,
                                     SpBucket    *bucket);
const char  *sp_bucket_get_label    (SpBucket     bucket);
SpBucketAssignee sp_bucket_get_assignee (SpBucket bucket);
SpBucketStatuses sp_bucket_get_statuses (SpBucket bucket);
gboolean     sp_bucket_contains     (SpBucket     bucket,
                                     SpStatus     status,
                                     gboolean     assigned_to_me,
                                     gboolean     assigned);
const char  *sp_sort_key_to_string  (SpSortKey    key);
gboolean     sp_sort_key_from_string (const char *name,
                                     SpSortKey   *key);
guint        sp_sort_key_n_values   (SpSortKey    key);
char        *sp_cursor_encode       (SpSortKey            key,
                                     gboolean             descending,
                                     const char * const  *values) G_GNUC_WARN_UNUSED_RESULT;
GStrv        sp_cursor_decode       (const char  *cursor,
                                     SpSortKey    key,
                                     gboolean     descending,
                                     GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
