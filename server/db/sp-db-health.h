#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SpDbHealth SpDbHealth;

/**
 * SpDbHealthState:
 * @reachable: whether the last check reached the database
 * @checked_at: when the last check ended, as g_get_real_time(); 0 before the first
 * @latency_us: how long the last successful check took
 *
 * What the periodic database check found last.
 */
typedef struct
{
  gboolean reachable;
  gint64   checked_at;
  gint64   latency_us;
} SpDbHealthState;

SpDbHealth  *sp_db_health_new        (const char       *conninfo,
                                      guint             interval_seconds) G_GNUC_WARN_UNUSED_RESULT;
void         sp_db_health_free       (SpDbHealth       *self);
void         sp_db_health_get        (SpDbHealth       *self,
                                      SpDbHealthState  *state);
void         sp_db_health_check_soon (SpDbHealth       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDbHealth, sp_db_health_free)

G_END_DECLS
