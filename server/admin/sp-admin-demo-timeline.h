#pragma once

/* The life of one demo pratica: the events from submission to its status, placed in time. */

#include <glib.h>

#include "sp-status.h"

G_BEGIN_DECLS

typedef enum
{
  SP_DEMO_EVENT_SUBMIT,
  SP_DEMO_EVENT_PROTOCOL,
  SP_DEMO_EVENT_TAKE_CHARGE,
  SP_DEMO_EVENT_REQUEST_INTEGRATION,
  SP_DEMO_EVENT_SEND_INTEGRATION,
  SP_DEMO_EVENT_REGISTER_INTEGRATION,
  SP_DEMO_EVENT_PROCESSING,
  SP_DEMO_EVENT_SAVE,
  SP_DEMO_EVENT_CONCLUDE,
  SP_DEMO_EVENT_REGISTER_RESPONSE,
  SP_DEMO_EVENT_WITHDRAW,
} SpDemoEventKind;

typedef enum
{
  SP_DEMO_ACTOR_CITIZEN,
  SP_DEMO_ACTOR_OPERATOR,
  SP_DEMO_ACTOR_REGISTRY,    /* the system (internal provider) or the partner (external) */
} SpDemoActor;

typedef struct
{
  SpDemoEventKind  kind;
  SpStatus         status;            /* the status after the event */
  gint64           at;                /* Unix time */
  double           delay;             /* drawn once, so placing in time draws nothing */
  double           jitter;
  char            *protocol_number;   /* registration events */
  int              register_number;   /* > 0 when in the internal register */
} SpDemoEvent;

typedef struct
{
  SpStatus  final;
  gboolean  protocol_required;
  gboolean  external;
  gboolean  accepted;
  double    age;
  GArray   *events;                   /* of SpDemoEvent */
} SpDemoTimeline;

SpDemoTimeline *sp_demo_timeline_new        (GRand           *rand,
                                             SpStatus         final,
                                             gboolean         protocol_required,
                                             gboolean         external) G_GNUC_WARN_UNUSED_RESULT;
void            sp_demo_timeline_place      (SpDemoTimeline  *timeline,
                                             gint64           now,
                                             int              window_days);
void            sp_demo_timeline_free       (SpDemoTimeline  *timeline);
gboolean        sp_demo_event_is_registration (SpDemoEventKind kind);
gboolean        sp_demo_event_changes_status  (const SpDemoEvent *event,
                                               SpStatus           previous);
SpDemoActor     sp_demo_event_actor         (SpDemoEventKind  kind);
const char     *sp_demo_event_operation     (SpDemoEventKind  kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDemoTimeline, sp_demo_timeline_free)

G_END_DECLS
