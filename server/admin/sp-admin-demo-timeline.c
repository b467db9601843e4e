/* sp-admin-demo-timeline.c: the path of a demo pratica through the status machine, placed in office hours */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include <math.h>

#include "sp-admin-demo-timeline.h"

#define MINUTE ((gint64) 60)
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

typedef enum
{
  CLOCK_ANY,        /* the system and partners work around the clock */
  CLOCK_OFFICE,     /* operators: weekdays, 8:00–17:00 Italian time */
  CLOCK_CITIZEN,    /* citizens: every day, 7:00–23:00 */
} Clock;

static const struct
{
  SpDemoEventKind  kind;
  const char      *operation;
  SpDemoActor      actor;
  Clock            clock;
  gint64           min, max;                  /* delay after the previous event */
  gint64           min_external, max_external;
} event_table[] = {
  { SP_DEMO_EVENT_SUBMIT, "Invio", SP_DEMO_ACTOR_CITIZEN, CLOCK_CITIZEN, 0, 0, 0, 0 },
  { SP_DEMO_EVENT_PROTOCOL, "Protocollazione", SP_DEMO_ACTOR_REGISTRY, CLOCK_ANY,
    MINUTE, 20 * MINUTE, 2 * HOUR, 3 * DAY },
  { SP_DEMO_EVENT_TAKE_CHARGE, "Presa in carico", SP_DEMO_ACTOR_OPERATOR, CLOCK_OFFICE,
    DAY, 8 * DAY, DAY, 8 * DAY },
  { SP_DEMO_EVENT_REQUEST_INTEGRATION, "Richiesta integrazioni", SP_DEMO_ACTOR_OPERATOR, CLOCK_OFFICE,
    DAY, 6 * DAY, DAY, 6 * DAY },
  { SP_DEMO_EVENT_SEND_INTEGRATION, "Invio integrazioni", SP_DEMO_ACTOR_CITIZEN, CLOCK_CITIZEN,
    2 * DAY, 15 * DAY, 2 * DAY, 15 * DAY },
  { SP_DEMO_EVENT_REGISTER_INTEGRATION, "Protocollazione integrazioni", SP_DEMO_ACTOR_REGISTRY, CLOCK_ANY,
    MINUTE, 20 * MINUTE, HOUR, DAY },
  { SP_DEMO_EVENT_PROCESSING, "Avvio elaborazione", SP_DEMO_ACTOR_OPERATOR, CLOCK_OFFICE,
    DAY, 4 * DAY, DAY, 4 * DAY },
  { SP_DEMO_EVENT_SAVE, "Salvataggio", SP_DEMO_ACTOR_OPERATOR, CLOCK_OFFICE,
    4 * HOUR, 3 * DAY, 4 * HOUR, 3 * DAY },
  { SP_DEMO_EVENT_CONCLUDE, "Conclusione", SP_DEMO_ACTOR_OPERATOR, CLOCK_OFFICE,
    DAY, 10 * DAY, DAY, 10 * DAY },
  { SP_DEMO_EVENT_REGISTER_RESPONSE, "Protocollazione esito", SP_DEMO_ACTOR_REGISTRY, CLOCK_ANY,
    MINUTE, 30 * MINUTE, HOUR, 2 * DAY },
  { SP_DEMO_EVENT_WITHDRAW, "Ritiro", SP_DEMO_ACTOR_CITIZEN, CLOCK_CITIZEN,
    DAY, 10 * DAY, DAY, 10 * DAY },
};

const char *
sp_demo_event_operation (SpDemoEventKind kind)
{
  return event_table[kind].operation;
}

SpDemoActor
sp_demo_event_actor (SpDemoEventKind kind)
{
  return event_table[kind].actor;
}

gboolean
sp_demo_event_is_registration (SpDemoEventKind kind)
{
  return kind == SP_DEMO_EVENT_PROTOCOL || kind == SP_DEMO_EVENT_REGISTER_INTEGRATION
         || kind == SP_DEMO_EVENT_REGISTER_RESPONSE;
}

gboolean
sp_demo_event_changes_status (const SpDemoEvent *event,
                              SpStatus           previous)
{
  return event->kind == SP_DEMO_EVENT_SUBMIT || event->status != previous;
}

static void
add (SpDemoTimeline  *timeline,
     GRand           *rand,
     SpDemoEventKind  kind,
     SpStatus         status)
{
  SpDemoEvent event = { kind, status, 0, g_rand_double (rand), g_rand_double (rand), NULL, 0 };

  g_array_append_val (timeline->events, event);
}

static SpStatus
last_status (SpDemoTimeline *timeline)
{
  return g_array_index (timeline->events, SpDemoEvent, timeline->events->len - 1).status;
}

/* Submission, protocol and taking charge, as far as @stop (a status of that prefix). */
static gboolean
add_prefix (SpDemoTimeline *timeline,
            GRand          *rand,
            SpStatus        stop)
{
  add (timeline, rand, SP_DEMO_EVENT_SUBMIT, SP_STATUS_SUBMITTED);
  if (stop == SP_STATUS_SUBMITTED)
    return FALSE;
  if (timeline->protocol_required)
    add (timeline, rand, SP_DEMO_EVENT_PROTOCOL, SP_STATUS_REGISTERED);
  if (stop == SP_STATUS_REGISTERED)
    return FALSE;
  add (timeline, rand, SP_DEMO_EVENT_TAKE_CHARGE, SP_STATUS_PENDING);
  return stop != SP_STATUS_PENDING;
}

static void
add_integration (SpDemoTimeline *timeline,
                 GRand          *rand,
                 gboolean        complete)
{
  add (timeline, rand, SP_DEMO_EVENT_REQUEST_INTEGRATION, SP_STATUS_REQUEST_INTEGRATION);
  if (!complete)
    return;
  if (timeline->protocol_required)
    {
      add (timeline, rand, SP_DEMO_EVENT_SEND_INTEGRATION, SP_STATUS_REQUEST_INTEGRATION);
      add (timeline, rand, SP_DEMO_EVENT_REGISTER_INTEGRATION, SP_STATUS_PENDING_AFTER_INTEGRATION);
    }
  else
    add (timeline, rand, SP_DEMO_EVENT_SEND_INTEGRATION, SP_STATUS_PENDING_AFTER_INTEGRATION);
}

static void
build_withdrawn (SpDemoTimeline *timeline,
                 GRand          *rand)
{
  static const SpStatus points[] = { SP_STATUS_SUBMITTED, SP_STATUS_REGISTERED, SP_STATUS_PENDING,
                                     SP_STATUS_REQUEST_INTEGRATION };
  SpStatus point = points[g_rand_int_range (rand, 0, G_N_ELEMENTS (points))];

  if (point == SP_STATUS_REGISTERED && !timeline->protocol_required)
    point = SP_STATUS_SUBMITTED;
  if (add_prefix (timeline, rand, point == SP_STATUS_REQUEST_INTEGRATION ? SP_STATUS_PROCESSING : point))
    add_integration (timeline, rand, FALSE);
  add (timeline, rand, SP_DEMO_EVENT_WITHDRAW, SP_STATUS_WITHDRAWN);
}

/**
 * sp_demo_timeline_new:
 *
 * Draws a plausible path to @final: every step a real pratica takes, with
 * integration loops and intermediate saves here and there.
 */
SpDemoTimeline *
sp_demo_timeline_new (GRand    *rand,
                      SpStatus  final,
                      gboolean  protocol_required,
                      gboolean  external)
{
  SpDemoTimeline *timeline = g_new0 (SpDemoTimeline, 1);
  gboolean concluded = final >= SP_STATUS_COMPLETE_WAITING && final <= SP_STATUS_CANCELLED;
  gboolean integration;

  timeline->final = final;
  timeline->protocol_required = protocol_required;
  timeline->external = external;
  timeline->accepted = final == SP_STATUS_COMPLETE_WAITING || final == SP_STATUS_COMPLETE;
  timeline->age = g_rand_double (rand);
  timeline->events = g_array_new (FALSE, FALSE, sizeof (SpDemoEvent));

  if (final == SP_STATUS_WITHDRAWN)
    {
      build_withdrawn (timeline, rand);
      return timeline;
    }
  if (!add_prefix (timeline, rand, final <= SP_STATUS_PENDING ? final : SP_STATUS_PROCESSING))
    {
      if (final == SP_STATUS_PENDING && g_rand_boolean (rand))
        add (timeline, rand, SP_DEMO_EVENT_SAVE, SP_STATUS_PENDING);
      return timeline;
    }

  integration = final == SP_STATUS_REQUEST_INTEGRATION || final == SP_STATUS_PENDING_AFTER_INTEGRATION
                || ((concluded || final == SP_STATUS_PROCESSING) && g_rand_int_range (rand, 0, 4) == 0);
  if (integration)
    {
      if (g_rand_int_range (rand, 0, 3) == 0)
        add (timeline, rand, SP_DEMO_EVENT_PROCESSING, SP_STATUS_PROCESSING);
      add_integration (timeline, rand, final != SP_STATUS_REQUEST_INTEGRATION);
      if (final == SP_STATUS_REQUEST_INTEGRATION || final == SP_STATUS_PENDING_AFTER_INTEGRATION)
        return timeline;
    }

  if (final == SP_STATUS_PROCESSING || (g_rand_int_range (rand, 0, 5) < 3 && last_status (timeline) != SP_STATUS_PROCESSING))
    add (timeline, rand, SP_DEMO_EVENT_PROCESSING, SP_STATUS_PROCESSING);
  if (g_rand_int_range (rand, 0, 5) < 3)
    add (timeline, rand, SP_DEMO_EVENT_SAVE, last_status (timeline));
  if (final == SP_STATUS_PROCESSING)
    return timeline;

  if (protocol_required)
    {
      add (timeline, rand, SP_DEMO_EVENT_CONCLUDE,
           timeline->accepted ? SP_STATUS_COMPLETE_WAITING : SP_STATUS_CANCELLED_WAITING);
      if (final == SP_STATUS_COMPLETE || final == SP_STATUS_CANCELLED)
        add (timeline, rand, SP_DEMO_EVENT_REGISTER_RESPONSE, final);
    }
  else
    add (timeline, rand, SP_DEMO_EVENT_CONCLUDE, timeline->accepted ? SP_STATUS_COMPLETE : SP_STATUS_CANCELLED);
  return timeline;
}

/* Moves @t to the next moment the actor's clock allows. */
static gint64
snap (gint64  t,
      Clock   clock,
      double  jitter)
{
  int open = clock == CLOCK_OFFICE ? 7 : 6;     /* UTC: 8:00 and 7:00 in Italy (winter) */
  int close = clock == CLOCK_OFFICE ? 16 : 22;

  if (clock == CLOCK_ANY)
    return t;
  for (int guard = 0; guard < 10; guard++)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (t);
      int hour = g_date_time_get_hour (at);
      gboolean weekend = clock == CLOCK_OFFICE && g_date_time_get_day_of_week (at) >= 6;

      if (!weekend && hour >= open && hour < close)
        return t;
      /* the next opening: today if before it, otherwise tomorrow */
      t = t - (t % DAY) + open * HOUR + (gint64) (jitter * 3 * HOUR) + (hour >= open || weekend ? DAY : 0);
    }
  return t;
}

static gint64
simulate (SpDemoTimeline *timeline,
          gint64          start)
{
  gint64 t = start;

  for (guint i = 0; i < timeline->events->len; i++)
    {
      SpDemoEvent *event = &g_array_index (timeline->events, SpDemoEvent, i);
      gint64 min = timeline->external ? event_table[event->kind].min_external : event_table[event->kind].min;
      gint64 max = timeline->external ? event_table[event->kind].max_external : event_table[event->kind].max;

      t = snap (t + min + (gint64) (event->delay * (max - min)), event_table[event->kind].clock, event->jitter);
      event->at = t;
    }
  return t;
}

static gint64
total_delay (SpDemoTimeline *timeline)
{
  gint64 total = 0;

  for (guint i = 0; i < timeline->events->len; i++)
    {
      SpDemoEvent *event = &g_array_index (timeline->events, SpDemoEvent, i);

      total += event_table[event->kind].min + (gint64) (event->delay * (event_table[event->kind].max
                                                                       - event_table[event->kind].min));
    }
  return total;
}

/**
 * sp_demo_timeline_place:
 *
 * Sets the time of every event so that the last one falls before @now and
 * the submissions spread over @window_days. Pratiche waiting for the internal
 * protocol are recent, as the background job registers them within minutes.
 */
void
sp_demo_timeline_place (SpDemoTimeline *timeline,
                        gint64          now,
                        int             window_days)
{
  gint64 duration = total_delay (timeline);
  gint64 room = MAX ((gint64) window_days * DAY - duration, 0);
  gboolean waiting_internal = !timeline->external && timeline->protocol_required
                              && (timeline->final == SP_STATUS_SUBMITTED
                                  || timeline->final == SP_STATUS_COMPLETE_WAITING
                                  || timeline->final == SP_STATUS_CANCELLED_WAITING);
  gboolean open = timeline->final >= SP_STATUS_REGISTERED && timeline->final <= SP_STATUS_PROCESSING;
  gint64 age, target, start, end = 0, step = HOUR;

  if (waiting_internal)
    age = 2 * MINUTE + (gint64) (timeline->age * 2 * HOUR);
  else if (timeline->final == SP_STATUS_SUBMITTED)
    age = HOUR + (gint64) (timeline->age * 6 * DAY);
  else if (open)
    age = (gint64) (pow (timeline->age, 1.5) * room);
  else
    age = (gint64) (timeline->age * room);

  target = now - age;
  start = target - duration;
  for (int i = 0; i < 16; i++)
    {
      end = simulate (timeline, start);
      if (end <= now - MINUTE && (i >= 3 || ABS (end - target) < HOUR))
        return;
      if (i < 3)
        start += target - end;
      else
        {
          /* Office hours pushed the end past now (e.g. on a Sunday): go back further each time. */
          start -= end - now + step;
          step *= 2;
        }
    }
  /* Office hours could not be kept: shift everything back as it is. */
  for (guint i = 0; i < timeline->events->len; i++)
    g_array_index (timeline->events, SpDemoEvent, i).at -= end - now + MINUTE;
}

void
sp_demo_timeline_free (SpDemoTimeline *timeline)
{
  if (timeline == NULL)
    return;
  for (guint i = 0; i < timeline->events->len; i++)
    g_free (g_array_index (timeline->events, SpDemoEvent, i).protocol_number);
  g_array_unref (timeline->events);
  g_free (timeline);
}
