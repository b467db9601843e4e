#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SpStatus:
 *
 * The status codes of a pratica, compatible with the codes partners know.
 */
typedef enum
{
  SP_STATUS_INVALID                   = 0,
  SP_STATUS_SUBMITTED                 = 2000,
  SP_STATUS_REGISTERED                = 3000,
  SP_STATUS_PENDING                   = 4000,
  SP_STATUS_REQUEST_INTEGRATION       = 4100,
  SP_STATUS_PENDING_AFTER_INTEGRATION = 4500,
  SP_STATUS_PROCESSING                = 5000,
  SP_STATUS_COMPLETE_WAITING          = 6000,
  SP_STATUS_COMPLETE                  = 7000,
  SP_STATUS_CANCELLED_WAITING         = 8000,
  SP_STATUS_CANCELLED                 = 9000,
  SP_STATUS_WITHDRAWN                 = 20000,
} SpStatus;

/**
 * SpEvent:
 *
 * The `evento` values of the partner status API.
 */
typedef enum
{
  SP_EVENT_INVALID,
  SP_EVENT_PROTOCOLLATA,
  SP_EVENT_PREISTRUTTORIA,
  SP_EVENT_ISTRUTTORIA,
  SP_EVENT_IN_ELABORAZIONE,
  SP_EVENT_RICHIESTA_INTEGRAZIONI,
  SP_EVENT_PROTOCOLLATA_INTEGRAZIONI,
  SP_EVENT_ACCETTATA,
  SP_EVENT_RIFIUTATA,
  SP_EVENT_RITIRATA,
} SpEvent;

gboolean     sp_status_is_valid              (int          code);
const char  *sp_status_get_key               (SpStatus     status);
const char  *sp_status_get_label             (SpStatus     status);
SpStatus     sp_status_from_key              (const char  *key);
gboolean     sp_status_is_concluded          (SpStatus     status);
SpStatus     sp_status_get_first_concluded   (void);
gboolean     sp_status_is_waiting_protocol   (SpStatus     status);
SpStatus     sp_status_after_registration    (SpStatus     status);
gboolean     sp_status_sends_email           (SpStatus     status);
gboolean     sp_status_is_processable        (SpStatus     status);
gboolean     sp_status_can_transition        (SpStatus     from,
                                              SpStatus     to);
const SpStatus *sp_status_all                (guint       *n_statuses);

SpEvent      sp_event_from_name              (const char  *name);
const char  *sp_event_get_name               (SpEvent      event);
gboolean     sp_event_requires_note          (SpEvent      event);
gboolean     sp_event_apply                  (SpEvent      event,
                                              SpStatus     from,
                                              gboolean     protocol_required,
                                              SpStatus    *to,
                                              GError     **error);

G_END_DECLS
