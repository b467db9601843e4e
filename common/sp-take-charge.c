/* sp-take-charge.c: why "Prendi in carico" is refused, named and worded for the operator */
#define G_LOG_DOMAIN "sp-pratica"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-pratica.h"
#include "sp-take-charge.h"

/* The `reason` member of the 409 problem (data/openapi.json). */
static const char * const reasons[] = {
  [SP_TAKE_CHARGE_REFUSAL_NONE] = "none",
  [SP_TAKE_CHARGE_REFUSAL_TAKEN_BY_COLLEAGUE] = "taken-by-colleague",
  [SP_TAKE_CHARGE_REFUSAL_ALREADY_YOURS] = "already-yours",
  [SP_TAKE_CHARGE_REFUSAL_CONCLUDED] = "concluded",
  [SP_TAKE_CHARGE_REFUSAL_WITHDRAWN] = "withdrawn",
  [SP_TAKE_CHARGE_REFUSAL_WAITING_PROTOCOL] = "waiting-protocol",
  [SP_TAKE_CHARGE_REFUSAL_STATUS] = "status",
};

/**
 * sp_take_charge_refusal:
 * @assigned_to_caller: the pratica is assigned to the operator asking
 *
 * The cause a person would name first: a withdrawn or concluded pratica is
 * that, whoever handled it; an open one is refused because somebody has it
 * (the caller or a colleague), then as sp_take_charge_check() says.
 *
 * Returns: why the pratica cannot be taken in charge, or
 *   %SP_TAKE_CHARGE_REFUSAL_NONE when it can
 */
SpTakeChargeRefusal
sp_take_charge_refusal (SpStatus status,
                        gboolean assigned,
                        gboolean assigned_to_caller,
                        gboolean protocol_required,
                        gboolean has_protocol_number)
{
  if (status == SP_STATUS_WITHDRAWN)
    return SP_TAKE_CHARGE_REFUSAL_WITHDRAWN;
  if (sp_status_is_concluded (status))
    return SP_TAKE_CHARGE_REFUSAL_CONCLUDED;

  switch (sp_take_charge_check (status, assigned, protocol_required, has_protocol_number))
    {
    case SP_TAKE_CHARGE_ALLOWED:
      return SP_TAKE_CHARGE_REFUSAL_NONE;
    case SP_TAKE_CHARGE_ASSIGNED:
      return assigned_to_caller ? SP_TAKE_CHARGE_REFUSAL_ALREADY_YOURS : SP_TAKE_CHARGE_REFUSAL_TAKEN_BY_COLLEAGUE;
    case SP_TAKE_CHARGE_WAITING_PROTOCOL:
      return SP_TAKE_CHARGE_REFUSAL_WAITING_PROTOCOL;
    case SP_TAKE_CHARGE_NOT_ALLOWED:
    default:
      return SP_TAKE_CHARGE_REFUSAL_STATUS;
    }
}

const char *
sp_take_charge_refusal_to_string (SpTakeChargeRefusal refusal)
{
  return refusal < G_N_ELEMENTS (reasons) ? reasons[refusal] : reasons[SP_TAKE_CHARGE_REFUSAL_STATUS];
}

/**
 * sp_take_charge_refusal_from_string:
 * @reason: (nullable): the `reason` of a 409 problem
 *
 * Returns: the refusal; %SP_TAKE_CHARGE_REFUSAL_NONE for %NULL, and
 *   %SP_TAKE_CHARGE_REFUSAL_STATUS for a reason this version does not know
 */
SpTakeChargeRefusal
sp_take_charge_refusal_from_string (const char *reason)
{
  if (reason == NULL)
    return SP_TAKE_CHARGE_REFUSAL_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (g_str_equal (reasons[i], reason))
      return (SpTakeChargeRefusal) i;
  return SP_TAKE_CHARGE_REFUSAL_STATUS;
}

/**
 * sp_take_charge_refusal_get_error:
 *
 * Returns: the problem type of the refusal: `already-taken` for a
 *   colleague's pratica (as before reasons existed), `conflict` while
 *   it waits for its protocol number or when it is already the caller's,
 *   `transition-not-allowed` for its status
 */
SpError
sp_take_charge_refusal_get_error (SpTakeChargeRefusal refusal)
{
  switch (refusal)
    {
    case SP_TAKE_CHARGE_REFUSAL_TAKEN_BY_COLLEAGUE:
      return SP_ERROR_ALREADY_TAKEN;
    case SP_TAKE_CHARGE_REFUSAL_ALREADY_YOURS:
    case SP_TAKE_CHARGE_REFUSAL_WAITING_PROTOCOL:
      return SP_ERROR_CONFLICT;
    case SP_TAKE_CHARGE_REFUSAL_CONCLUDED:
    case SP_TAKE_CHARGE_REFUSAL_WITHDRAWN:
    case SP_TAKE_CHARGE_REFUSAL_STATUS:
      return SP_ERROR_TRANSITION_NOT_ALLOWED;
    case SP_TAKE_CHARGE_REFUSAL_NONE:
    default:
      return SP_ERROR_INTERNAL;
    }
}

/**
 * sp_take_charge_refusal_describe:
 * @numero: the pratica's number
 * @status: its status
 * @assignee_name: (nullable): who has it, for %SP_TAKE_CHARGE_REFUSAL_TAKEN_BY_COLLEAGUE
 *
 * Returns: (nullable): one sentence for the operator, in the calling
 *   thread's language (the server switches to the ente's with
 *   sp_locale_push()); %NULL for %SP_TAKE_CHARGE_REFUSAL_NONE
 */
char *
sp_take_charge_refusal_describe (SpTakeChargeRefusal  refusal,
                                 const char          *numero,
                                 SpStatus             status,
                                 const char          *assignee_name)
{
  switch (refusal)
    {
    case SP_TAKE_CHARGE_REFUSAL_TAKEN_BY_COLLEAGUE:
      if (assignee_name != NULL && *assignee_name != '\0')
        /* Translators: %s are the pratica's number and the colleague's full name */
        return g_strdup_printf (_("Pratica %s is already in the charge of %s."), numero, assignee_name);
      /* Translators: %s is the pratica's number */
      return g_strdup_printf (_("Pratica %s is already in the charge of a colleague."), numero);
    case SP_TAKE_CHARGE_REFUSAL_ALREADY_YOURS:
      /* Translators: %s is the pratica's number */
      return g_strdup_printf (_("Pratica %s is already in your charge."), numero);
    case SP_TAKE_CHARGE_REFUSAL_CONCLUDED:
      /* Translators: %s are the pratica's number and its status, e.g. "Accettata" */
      return g_strdup_printf (_("Pratica %s is concluded (%s): it can no longer be taken in charge."),
                              numero, sp_status_get_label (status));
    case SP_TAKE_CHARGE_REFUSAL_WITHDRAWN:
      /* Translators: %s is the pratica's number */
      return g_strdup_printf (_("Pratica %s has been withdrawn: it can no longer be taken in charge."), numero);
    case SP_TAKE_CHARGE_REFUSAL_WAITING_PROTOCOL:
      /* Translators: %s is the pratica's number */
      return g_strdup_printf (_("Pratica %s is waiting for its protocol number: it can be taken in charge once "
                                "registered."), numero);
    case SP_TAKE_CHARGE_REFUSAL_STATUS:
      /* Translators: %s are the pratica's number and its status, e.g. "In elaborazione" */
      return g_strdup_printf (_("Pratica %s is in status “%s”, which does not allow taking it in charge."),
                              numero, sp_status_get_label (status) != NULL ? sp_status_get_label (status) : "?");
    case SP_TAKE_CHARGE_REFUSAL_NONE:
    default:
      return NULL;
    }
}
