#pragma once

/* The operators' dashboard for the server's tests: paging through a bucket
 * with keyset cursors, the buckets as DESIGN.md §3 defines them (written out
 * again, independently of common/), and failures collected so that one wrong
 * rule reports once instead of hundreds of times. */

#include "sp-dashboard.h"
#include "sp-test-env.h"

G_BEGIN_DECLS

#define SP_TEST_PRATICHE "/api/v1.0/operator/pratiche"

/**
 * SpTestPaged:
 * @ids: (element-type utf8): every row, in the order paged through
 * @pages: (element-type GPtrArray): the ids of each page
 * @counts: the bucket counts of the first page
 * @failed_status: not 0 when a page was not a 200 with a well-formed body
 *   (the HTTP status, or 1 for a malformed page); @failure says what
 */
typedef struct
{
  GPtrArray  *ids;
  GPtrArray  *pages;
  gint64      counts[SP_N_BUCKETS];
  gboolean    has_counts;
  guint       failed_status;
  char       *failure;
} SpTestPaged;

typedef void (*SpTestBetweenPagesFunc) (guint    page,
                                        gpointer user_data);

char        *sp_test_dashboard_path          (SpBucket                bucket,
                                              SpSortKey               sort,
                                              gboolean                descending,
                                              const char             *search,
                                              guint                   limit,
                                              const char             *cursor) G_GNUC_WARN_UNUSED_RESULT;
SpTestPaged *sp_test_dashboard_page_through  (SpTestEnv              *env,
                                              const char             *token,
                                              SpBucket                bucket,
                                              SpSortKey               sort,
                                              gboolean                descending,
                                              const char             *search,
                                              guint                   limit,
                                              SpTestBetweenPagesFunc  between,
                                              gpointer                user_data) G_GNUC_WARN_UNUSED_RESULT;
void         sp_test_paged_free              (SpTestPaged            *paged);

gboolean     sp_test_design_concluded        (int                     status);
gboolean     sp_test_design_bucket_contains  (SpBucket                bucket,
                                              int                     status,
                                              gboolean                assigned_to_me,
                                              gboolean                assigned);
const char  *sp_test_design_bucket_sql       (SpBucket                bucket);

void         sp_test_problem                 (GPtrArray              *problems,
                                              const char             *format,
                                              ...) G_GNUC_PRINTF (2, 3);
void         sp_test_assert_no_problems      (GPtrArray              *problems);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpTestPaged, sp_test_paged_free)

G_END_DECLS
