#pragma once

/* Many operators taking the same pratiche in charge at once, each from its
 * own thread with its own HTTPS session: the race of DESIGN.md §7 and §11,
 * for test-take-charge and bench-take-charge. */

#include "sp-test-env.h"

G_BEGIN_DECLS

typedef struct
{
  guint        n_requests;
  guint        n_ok;            /* 204 */
  guint        n_taken;         /* 409 already-taken */
  guint        n_other;         /* anything else */
  GPtrArray   *other;           /* (element-type utf8): what the others were */
  GHashTable  *winners;         /* pratica id → index of the token that got 204 (GUINT_TO_POINTER (i + 1)) */
  guint        n_double_wins;   /* pratiche with more than one 204 */
  GArray      *ok_ms;           /* (element-type double): latencies of the 204s */
  GArray      *taken_ms;        /* (element-type double): latencies of the 409s */
  double       seconds;         /* from the start signal to the last answer */
} SpTestRace;

SpTestRace  *sp_test_race_run   (SpTestEnv           *env,
                                 const char * const  *tokens,
                                 const char * const  *pratica_ids,
                                 guint32              seed) G_GNUC_WARN_UNUSED_RESULT;
void         sp_test_race_free  (SpTestRace          *race);
double       sp_test_percentile (GArray              *samples,
                                 double               p);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpTestRace, sp_test_race_free)

G_END_DECLS
