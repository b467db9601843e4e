#pragma once

/* Two versions of a pratica with 10,000 nested leaves of form data (groups
 * four deep, arrays of keyed objects, arrays of scalars, unicode), a few
 * percent of them changed, added or removed, and the field schema that
 * labels half of them: the data of bench-compare and bench-audit. */

#include <glib.h>

G_BEGIN_DECLS

char *sp_bench_snapshot_text (gboolean newer) G_GNUC_WARN_UNUSED_RESULT;
char *sp_bench_jsonb_text    (gboolean newer) G_GNUC_WARN_UNUSED_RESULT;
char *sp_bench_schema_text   (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
