#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sp-status.h"

G_BEGIN_DECLS

/**
 * SpTakeChargeBlock:
 * @SP_TAKE_CHARGE_ALLOWED: "Prendi in carico" can be pressed
 * @SP_TAKE_CHARGE_WAITING_PROTOCOL: the service needs protocol and there is no number yet
 * @SP_TAKE_CHARGE_ASSIGNED: somebody has it already
 * @SP_TAKE_CHARGE_NOT_ALLOWED: its status does not allow it
 */
typedef enum
{
  SP_TAKE_CHARGE_ALLOWED,
  SP_TAKE_CHARGE_WAITING_PROTOCOL,
  SP_TAKE_CHARGE_ASSIGNED,
  SP_TAKE_CHARGE_NOT_ALLOWED,
} SpTakeChargeBlock;

/**
 * SpProtocolState:
 * @SP_PROTOCOL_REGISTERED: it has its protocol number
 * @SP_PROTOCOL_WAITING: its service needs one, and it is waiting for it
 * @SP_PROTOCOL_NOT_REQUIRED: its service needs none
 */
typedef enum
{
  SP_PROTOCOL_REGISTERED,
  SP_PROTOCOL_WAITING,
  SP_PROTOCOL_NOT_REQUIRED,
} SpProtocolState;

#define SP_TYPE_PRATICA_SUMMARY (sp_pratica_summary_get_type ())

G_DECLARE_FINAL_TYPE (SpPraticaSummary, sp_pratica_summary, SP, PRATICA_SUMMARY, GObject)

/**
 * SpPraticaSummaryData:
 *
 * The fields of a dashboard row, filled by the server from the database or by
 * the client from JSON.
 */
typedef struct
{
  char              *id;
  char              *numero;
  char              *servizio_slug;
  char              *servizio_name;
  char              *applicant_cf;
  char              *applicant_nome;
  char              *applicant_cognome;
  GDateTime         *submitted_at;
  SpStatus           status;
  char              *protocol_number;   /* nullable */
  GDateTime         *deadline_at;
  char              *assignee_username; /* nullable */
  char              *assignee_name;     /* nullable */
  SpTakeChargeBlock  take_charge;
} SpPraticaSummaryData;

SpPraticaSummary           *sp_pratica_summary_new           (void) G_GNUC_WARN_UNUSED_RESULT;
SpPraticaSummaryData       *sp_pratica_summary_get_data      (SpPraticaSummary *self);
const char                 *sp_pratica_summary_get_id        (SpPraticaSummary *self);
SpPraticaSummary           *sp_pratica_summary_from_json     (JsonObject       *object,
                                                              GError          **error) G_GNUC_WARN_UNUSED_RESULT;
void                        sp_pratica_summary_to_json       (SpPraticaSummary *self,
                                                              JsonBuilder      *builder);
int                         sp_pratica_summary_days_left     (SpPraticaSummary *self,
                                                              GDateTime        *now);
SpProtocolState             sp_pratica_summary_get_protocol_state (SpPraticaSummary *self);
const char                 *sp_pratica_summary_get_protocol_text  (SpPraticaSummary *self);
const char                 *sp_take_charge_block_to_string   (SpTakeChargeBlock block);
SpTakeChargeBlock           sp_take_charge_block_from_string (const char       *name);
const char                 *sp_take_charge_block_get_reason  (SpTakeChargeBlock block);
SpTakeChargeBlock           sp_take_charge_check             (SpStatus          status,
                                                              gboolean          assigned,
                                                              gboolean          protocol_required,
                                                              gboolean          has_protocol_number);

GDateTime                  *sp_json_get_datetime             (JsonObject       *object,
                                                              const char       *member) G_GNUC_WARN_UNUSED_RESULT;
void                        sp_json_add_datetime             (JsonBuilder      *builder,
                                                              const char       *member,
                                                              GDateTime        *datetime);

G_END_DECLS
