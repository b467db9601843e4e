#pragma once

#include <glib.h>

#include "sp-error.h"
#include "sp-status.h"

G_BEGIN_DECLS

/**
 * SpTakeChargeRefusal:
 * @SP_TAKE_CHARGE_REFUSAL_NONE: not refused: the pratica can be taken
 * @SP_TAKE_CHARGE_REFUSAL_TAKEN_BY_COLLEAGUE: another operator has it
 * @SP_TAKE_CHARGE_REFUSAL_ALREADY_YOURS: the operator asking has it already
 * @SP_TAKE_CHARGE_REFUSAL_CONCLUDED: accepted or rejected (waiting or not)
 * @SP_TAKE_CHARGE_REFUSAL_WITHDRAWN: withdrawn by the applicant
 * @SP_TAKE_CHARGE_REFUSAL_WAITING_PROTOCOL: the service needs a protocol
 *   number and the pratica has none yet
 * @SP_TAKE_CHARGE_REFUSAL_STATUS: any other status that does not move to 4000
 *
 * Why *Prendi in carico* was refused: the `reason` of the 409 problem.
 */
typedef enum
{
  SP_TAKE_CHARGE_REFUSAL_NONE,
  SP_TAKE_CHARGE_REFUSAL_TAKEN_BY_COLLEAGUE,
  SP_TAKE_CHARGE_REFUSAL_ALREADY_YOURS,
  SP_TAKE_CHARGE_REFUSAL_CONCLUDED,
  SP_TAKE_CHARGE_REFUSAL_WITHDRAWN,
  SP_TAKE_CHARGE_REFUSAL_WAITING_PROTOCOL,
  SP_TAKE_CHARGE_REFUSAL_STATUS,
} SpTakeChargeRefusal;

SpTakeChargeRefusal  sp_take_charge_refusal             (SpStatus             status,
                                                         gboolean             assigned,
                                                         gboolean             assigned_to_caller,
                                                         gboolean             protocol_required,
                                                         gboolean             has_protocol_number);
const char          *sp_take_charge_refusal_to_string   (SpTakeChargeRefusal  refusal);
SpTakeChargeRefusal  sp_take_charge_refusal_from_string (const char          *reason);
SpError              sp_take_charge_refusal_get_error   (SpTakeChargeRefusal  refusal);
char                *sp_take_charge_refusal_describe    (SpTakeChargeRefusal  refusal,
                                                         const char          *numero,
                                                         SpStatus             status,
                                                         const char          *assignee_name) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
