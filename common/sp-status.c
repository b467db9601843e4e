/* sp-status.c: the status codes of a pratica, their transitions and the partner events */
#define G_LOG_DOMAIN "sp-status"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-error.h"
#include "sp-status.h"

typedef struct
{
  SpStatus    status;
  const char *key;
  const char *label;
  guint       concluded : 1;
  guint       waiting_protocol : 1;
  guint       sends_email : 1;
} StatusInfo;

static const StatusInfo status_table[] = {
  { SP_STATUS_SUBMITTED, "submitted", N_("Acquired"), FALSE, FALSE, TRUE },
  { SP_STATUS_REGISTERED, "registered", N_("Registered"), FALSE, FALSE, TRUE },
  { SP_STATUS_PENDING, "pending", N_("In charge"), FALSE, FALSE, TRUE },
  { SP_STATUS_REQUEST_INTEGRATION, "request_integration", N_("Integration requested"), FALSE, FALSE, TRUE },
  { SP_STATUS_PENDING_AFTER_INTEGRATION, "pending_after_integration", N_("In charge after integration"), FALSE, FALSE, TRUE },
  { SP_STATUS_PROCESSING, "processing", N_("Processing"), FALSE, FALSE, FALSE },
  { SP_STATUS_COMPLETE_WAITING, "complete_waiting", N_("Accepted (awaiting registration of the outcome)"), TRUE, TRUE, FALSE },
  { SP_STATUS_COMPLETE, "complete", N_("Accepted"), TRUE, FALSE, TRUE },
  { SP_STATUS_CANCELLED_WAITING, "cancelled_waiting", N_("Rejected (awaiting registration of the outcome)"), TRUE, TRUE, FALSE },
  { SP_STATUS_CANCELLED, "cancelled", N_("Rejected"), TRUE, FALSE, TRUE },
  { SP_STATUS_WITHDRAWN, "withdrawn", N_("Withdrawn"), TRUE, FALSE, TRUE },
};

/* The only list of allowed status changes (DESIGN.md §3). */
static const struct { SpStatus from, to; } transitions[] = {
  { SP_STATUS_SUBMITTED, SP_STATUS_REGISTERED },
  { SP_STATUS_SUBMITTED, SP_STATUS_PENDING },            /* services without protocol */
  { SP_STATUS_SUBMITTED, SP_STATUS_WITHDRAWN },
  { SP_STATUS_REGISTERED, SP_STATUS_PENDING },
  { SP_STATUS_REGISTERED, SP_STATUS_CANCELLED_WAITING },
  { SP_STATUS_REGISTERED, SP_STATUS_CANCELLED },
  { SP_STATUS_REGISTERED, SP_STATUS_WITHDRAWN },
  { SP_STATUS_PENDING, SP_STATUS_PENDING },              /* istruttoria after preistruttoria */
  { SP_STATUS_PENDING, SP_STATUS_PROCESSING },
  { SP_STATUS_PENDING, SP_STATUS_REQUEST_INTEGRATION },
  { SP_STATUS_PENDING, SP_STATUS_COMPLETE_WAITING },
  { SP_STATUS_PENDING, SP_STATUS_COMPLETE },
  { SP_STATUS_PENDING, SP_STATUS_CANCELLED_WAITING },
  { SP_STATUS_PENDING, SP_STATUS_CANCELLED },
  { SP_STATUS_PENDING, SP_STATUS_WITHDRAWN },
  { SP_STATUS_REQUEST_INTEGRATION, SP_STATUS_PENDING_AFTER_INTEGRATION },
  { SP_STATUS_REQUEST_INTEGRATION, SP_STATUS_WITHDRAWN },
  { SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_PROCESSING },
  { SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_REQUEST_INTEGRATION },
  { SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_COMPLETE_WAITING },
  { SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_COMPLETE },
  { SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_CANCELLED_WAITING },
  { SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_CANCELLED },
  { SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_WITHDRAWN },
  { SP_STATUS_PROCESSING, SP_STATUS_REQUEST_INTEGRATION },
  { SP_STATUS_PROCESSING, SP_STATUS_COMPLETE_WAITING },
  { SP_STATUS_PROCESSING, SP_STATUS_COMPLETE },
  { SP_STATUS_PROCESSING, SP_STATUS_CANCELLED_WAITING },
  { SP_STATUS_PROCESSING, SP_STATUS_CANCELLED },
  { SP_STATUS_COMPLETE_WAITING, SP_STATUS_COMPLETE },
  { SP_STATUS_CANCELLED_WAITING, SP_STATUS_CANCELLED },
};

typedef struct
{
  SpEvent     event;
  const char *name;
  SpStatus    target;           /* with protocol */
  SpStatus    target_no_protocol;
  SpStatus    from[5];          /* zero-terminated */
  guint       requires_note : 1;
  guint       submitted_only_without_protocol : 1;
} EventInfo;

/* DESIGN.md §3, "Partner events". */
static const EventInfo event_table[] = {
  { SP_EVENT_PROTOCOLLATA, "protocollata", SP_STATUS_REGISTERED, SP_STATUS_REGISTERED,
    { SP_STATUS_SUBMITTED }, FALSE, FALSE },
  { SP_EVENT_PREISTRUTTORIA, "preistruttoria", SP_STATUS_PENDING, SP_STATUS_PENDING,
    { SP_STATUS_SUBMITTED, SP_STATUS_REGISTERED, SP_STATUS_PENDING }, FALSE, TRUE },
  { SP_EVENT_ISTRUTTORIA, "istruttoria", SP_STATUS_PENDING, SP_STATUS_PENDING,
    { SP_STATUS_SUBMITTED, SP_STATUS_REGISTERED, SP_STATUS_PENDING }, FALSE, TRUE },
  { SP_EVENT_IN_ELABORAZIONE, "in_elaborazione", SP_STATUS_PROCESSING, SP_STATUS_PROCESSING,
    { SP_STATUS_PENDING, SP_STATUS_PENDING_AFTER_INTEGRATION }, FALSE, FALSE },
  { SP_EVENT_RICHIESTA_INTEGRAZIONI, "richiesta_integrazioni", SP_STATUS_REQUEST_INTEGRATION, SP_STATUS_REQUEST_INTEGRATION,
    { SP_STATUS_PENDING, SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_PROCESSING }, FALSE, FALSE },
  { SP_EVENT_PROTOCOLLATA_INTEGRAZIONI, "protocollata_integrazioni", SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_PENDING_AFTER_INTEGRATION,
    { SP_STATUS_REQUEST_INTEGRATION }, FALSE, FALSE },
  { SP_EVENT_ACCETTATA, "accettata", SP_STATUS_COMPLETE_WAITING, SP_STATUS_COMPLETE,
    { SP_STATUS_PENDING, SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_PROCESSING }, TRUE, FALSE },
  { SP_EVENT_RIFIUTATA, "rifiutata", SP_STATUS_CANCELLED_WAITING, SP_STATUS_CANCELLED,
    { SP_STATUS_REGISTERED, SP_STATUS_PENDING, SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_PROCESSING }, TRUE, FALSE },
  { SP_EVENT_RITIRATA, "ritirata", SP_STATUS_WITHDRAWN, SP_STATUS_WITHDRAWN,
    { SP_STATUS_SUBMITTED, SP_STATUS_REGISTERED, SP_STATUS_PENDING, SP_STATUS_REQUEST_INTEGRATION, SP_STATUS_PENDING_AFTER_INTEGRATION }, FALSE, FALSE },
};

static const StatusInfo *
status_info (SpStatus status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_table); i++)
    if (status_table[i].status == status)
      return &status_table[i];
  return NULL;
}

gboolean
sp_status_is_valid (int code)
{
  return status_info ((SpStatus) code) != NULL;
}

const SpStatus *
sp_status_all (guint *n_statuses)
{
  static SpStatus all[G_N_ELEMENTS (status_table)];

  for (guint i = 0; i < G_N_ELEMENTS (status_table); i++)
    all[i] = status_table[i].status;
  if (n_statuses != NULL)
    *n_statuses = G_N_ELEMENTS (status_table);
  return all;
}

const char *
sp_status_get_key (SpStatus status)
{
  const StatusInfo *info = status_info (status);

  return info != NULL ? info->key : NULL;
}

/**
 * sp_status_get_label:
 *
 * Returns: the label of @status in the current locale ("In carico" in Italian)
 */
const char *
sp_status_get_label (SpStatus status)
{
  const StatusInfo *info = status_info (status);

  return info != NULL ? g_dgettext (GETTEXT_PACKAGE, info->label) : NULL;
}

SpStatus
sp_status_from_key (const char *key)
{
  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (status_table); i++)
    if (g_str_equal (status_table[i].key, key))
      return status_table[i].status;
  return SP_STATUS_INVALID;
}

gboolean
sp_status_is_concluded (SpStatus status)
{
  const StatusInfo *info = status_info (status);

  return info != NULL && info->concluded;
}

/**
 * sp_status_get_first_concluded:
 *
 * The codes are ordered so that the concluded statuses come after every
 * open one: a status is concluded when it is at least this one, which lets
 * SQL say "concluded" as a range (and the dashboard's partial indexes use it).
 *
 * Returns: the lowest concluded status
 */
SpStatus
sp_status_get_first_concluded (void)
{
  SpStatus first = SP_STATUS_INVALID;

  for (guint i = 0; i < G_N_ELEMENTS (status_table); i++)
    if (status_table[i].concluded && (first == SP_STATUS_INVALID || status_table[i].status < first))
      first = status_table[i].status;
  return first;
}

gboolean
sp_status_is_waiting_protocol (SpStatus status)
{
  const StatusInfo *info = status_info (status);

  return info != NULL && info->waiting_protocol;
}

/**
 * sp_status_after_registration:
 *
 * Returns: the status a pratica waiting for its protocol registration moves
 *   to once registered (DESIGN.md §4): the modulo 2000 → 3000, the response
 *   6000 → 7000 and 8000 → 9000; %SP_STATUS_INVALID when @status waits for
 *   none
 */
SpStatus
sp_status_after_registration (SpStatus status)
{
  switch ((int) status)
    {
    case SP_STATUS_SUBMITTED:
      return SP_STATUS_REGISTERED;
    case SP_STATUS_COMPLETE_WAITING:
      return SP_STATUS_COMPLETE;
    case SP_STATUS_CANCELLED_WAITING:
      return SP_STATUS_CANCELLED;
    default:
      return SP_STATUS_INVALID;
    }
}

gboolean
sp_status_sends_email (SpStatus status)
{
  const StatusInfo *info = status_info (status);

  return info != NULL && info->sends_email;
}

gboolean
sp_status_can_transition (SpStatus from,
                          SpStatus to)
{
  for (guint i = 0; i < G_N_ELEMENTS (transitions); i++)
    if (transitions[i].from == from && transitions[i].to == to)
      return TRUE;
  return FALSE;
}

/**
 * sp_status_is_processable:
 *
 * Returns: whether a pratica in @status can be worked on in Elabora (saved,
 *   concluded): it is processing, or may start to (DESIGN.md §3)
 */
gboolean
sp_status_is_processable (SpStatus status)
{
  return status == SP_STATUS_PROCESSING || sp_status_can_transition (status, SP_STATUS_PROCESSING);
}

static const EventInfo *
event_info (SpEvent event)
{
  for (guint i = 0; i < G_N_ELEMENTS (event_table); i++)
    if (event_table[i].event == event)
      return &event_table[i];
  return NULL;
}

SpEvent
sp_event_from_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (event_table); i++)
    if (g_str_equal (event_table[i].name, name))
      return event_table[i].event;
  return SP_EVENT_INVALID;
}

const char *
sp_event_get_name (SpEvent event)
{
  const EventInfo *info = event_info (event);

  return info != NULL ? info->name : NULL;
}

gboolean
sp_event_requires_note (SpEvent event)
{
  const EventInfo *info = event_info (event);

  return info != NULL && info->requires_note;
}

/**
 * sp_event_apply:
 * @event: the partner's event
 * @from: the pratica's current status
 * @protocol_required: whether the pratica's service needs protocol registration
 * @to: (out): the resulting status
 *
 * Returns: %TRUE if the event is allowed; otherwise %FALSE with
 *   %SP_ERROR_UNKNOWN_EVENT or %SP_ERROR_TRANSITION_NOT_ALLOWED
 */
gboolean
sp_event_apply (SpEvent    event,
                SpStatus   from,
                gboolean   protocol_required,
                SpStatus  *to,
                GError   **error)
{
  const EventInfo *info = event_info (event);
  SpStatus target;
  gboolean allowed = FALSE;

  g_return_val_if_fail (to != NULL, FALSE);

  if (info == NULL)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_UNKNOWN_EVENT, "Unknown event");
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (info->from) && info->from[i] != 0; i++)
    if (info->from[i] == from)
      allowed = TRUE;

  if (allowed && info->submitted_only_without_protocol
      && from == SP_STATUS_SUBMITTED && protocol_required)
    allowed = FALSE;

  target = protocol_required ? info->target : info->target_no_protocol;
  if (allowed && !sp_status_can_transition (from, target))
    allowed = FALSE;

  if (!allowed)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_TRANSITION_NOT_ALLOWED,
                   "Event “%s” is not allowed in status %d", info->name, (int) from);
      return FALSE;
    }

  *to = target;
  return TRUE;
}
