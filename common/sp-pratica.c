/* sp-pratica.c: a pratica as a dashboard row, shared by the server and the desktop app */
#define G_LOG_DOMAIN "sp-pratica"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-error.h"
#include "sp-json.h"
#include "sp-pratica.h"

struct _SpPraticaSummary
{
  GObject               parent_instance;
  SpPraticaSummaryData  data;
};

G_DEFINE_FINAL_TYPE (SpPraticaSummary, sp_pratica_summary, G_TYPE_OBJECT)

static const char * const block_names[] = {
  [SP_TAKE_CHARGE_ALLOWED] = "allowed",
  [SP_TAKE_CHARGE_WAITING_PROTOCOL] = "waiting_protocol",
  [SP_TAKE_CHARGE_ASSIGNED] = "assigned",
  [SP_TAKE_CHARGE_NOT_ALLOWED] = "not_allowed",
};

static void
sp_pratica_summary_finalize (GObject *object)
{
  SpPraticaSummaryData *data = &SP_PRATICA_SUMMARY (object)->data;

  g_free (data->id);
  g_free (data->numero);
  g_free (data->servizio_slug);
  g_free (data->servizio_name);
  g_free (data->applicant_cf);
  g_free (data->applicant_nome);
  g_free (data->applicant_cognome);
  g_clear_pointer (&data->submitted_at, g_date_time_unref);
  g_free (data->protocol_number);
  g_clear_pointer (&data->deadline_at, g_date_time_unref);
  g_free (data->assignee_username);
  g_free (data->assignee_name);

  G_OBJECT_CLASS (sp_pratica_summary_parent_class)->finalize (object);
}

static void
sp_pratica_summary_class_init (SpPraticaSummaryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_pratica_summary_finalize;
}

static void
sp_pratica_summary_init (SpPraticaSummary *self)
{
}

SpPraticaSummary *
sp_pratica_summary_new (void)
{
  return g_object_new (SP_TYPE_PRATICA_SUMMARY, NULL);
}

/**
 * sp_pratica_summary_get_data:
 *
 * Returns: (transfer none): the fields, to read or to fill
 */
SpPraticaSummaryData *
sp_pratica_summary_get_data (SpPraticaSummary *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_SUMMARY (self), NULL);
  return &self->data;
}

const char *
sp_pratica_summary_get_id (SpPraticaSummary *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_SUMMARY (self), NULL);
  return self->data.id;
}

const char *
sp_take_charge_block_to_string (SpTakeChargeBlock block)
{
  return block < G_N_ELEMENTS (block_names) ? block_names[block] : "not_allowed";
}

SpTakeChargeBlock
sp_take_charge_block_from_string (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (block_names); i++)
    if (g_str_equal (block_names[i], name))
      return (SpTakeChargeBlock) i;
  return SP_TAKE_CHARGE_NOT_ALLOWED;
}

static const char *
waiting_protocol_text (void)
{
  return _("Waiting for protocol registration");
}

/**
 * sp_pratica_summary_get_protocol_state:
 *
 * The one rule for what a pratica's protocol is: a number, waiting for one
 * (its service needs one and it has not been registered yet: the same
 * condition that keeps "Prendi in carico" disabled), or none, because its
 * service needs none.
 */
SpProtocolState
sp_pratica_summary_get_protocol_state (SpPraticaSummary *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_SUMMARY (self), SP_PROTOCOL_NOT_REQUIRED);

  if (self->data.protocol_number != NULL)
    return SP_PROTOCOL_REGISTERED;
  if (self->data.take_charge == SP_TAKE_CHARGE_WAITING_PROTOCOL)
    return SP_PROTOCOL_WAITING;
  return SP_PROTOCOL_NOT_REQUIRED;
}

/**
 * sp_pratica_summary_get_protocol_text:
 *
 * Returns: the protocol number, or what stands in its place, worded the same
 *   on every screen and in every export ("In attesa di protocollazione",
 *   "Non richiesto")
 */
const char *
sp_pratica_summary_get_protocol_text (SpPraticaSummary *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_SUMMARY (self), NULL);

  switch (sp_pratica_summary_get_protocol_state (self))
    {
    case SP_PROTOCOL_REGISTERED:
      return self->data.protocol_number;
    case SP_PROTOCOL_WAITING:
      return waiting_protocol_text ();
    case SP_PROTOCOL_NOT_REQUIRED:
    default:
      /* Translators: in place of the protocol number of a pratica whose service needs none */
      return C_("protocol", "Not required");
    }
}

/**
 * sp_take_charge_block_get_reason:
 *
 * Returns: (nullable): why "Prendi in carico" is disabled, for the user;
 *   %NULL when it is not
 */
const char *
sp_take_charge_block_get_reason (SpTakeChargeBlock block)
{
  switch (block)
    {
    case SP_TAKE_CHARGE_WAITING_PROTOCOL:
      return waiting_protocol_text ();
    case SP_TAKE_CHARGE_ASSIGNED:
      return _("Already taken in charge");
    case SP_TAKE_CHARGE_NOT_ALLOWED:
      return _("Its status does not allow it");
    case SP_TAKE_CHARGE_ALLOWED:
    default:
      return NULL;
    }
}

/**
 * sp_take_charge_check:
 *
 * Whether a pratica can be taken in charge: nobody has it, its status allows
 * the move to 4000, and it has a protocol number when its service needs one.
 */
SpTakeChargeBlock
sp_take_charge_check (SpStatus status,
                      gboolean assigned,
                      gboolean protocol_required,
                      gboolean has_protocol_number)
{
  if (assigned)
    return SP_TAKE_CHARGE_ASSIGNED;
  if (protocol_required && !has_protocol_number && status == SP_STATUS_SUBMITTED)
    return SP_TAKE_CHARGE_WAITING_PROTOCOL;
  if (!sp_status_can_transition (status, SP_STATUS_PENDING))
    return SP_TAKE_CHARGE_NOT_ALLOWED;
  if (protocol_required && !has_protocol_number)
    return SP_TAKE_CHARGE_WAITING_PROTOCOL;
  return SP_TAKE_CHARGE_ALLOWED;
}

/**
 * sp_pratica_summary_days_left:
 *
 * Returns: whole days from @now to the deadline; negative when overdue
 */
int
sp_pratica_summary_days_left (SpPraticaSummary *self,
                              GDateTime        *now)
{
  GTimeSpan span;

  g_return_val_if_fail (SP_IS_PRATICA_SUMMARY (self), 0);
  if (self->data.deadline_at == NULL)
    return 0;
  span = g_date_time_difference (self->data.deadline_at, now);
  /* Round towards minus infinity: due in 3 hours is 0 days, 3 hours late is -1. */
  return (int) (span >= 0 ? span / G_TIME_SPAN_DAY : -((-span + G_TIME_SPAN_DAY - 1) / G_TIME_SPAN_DAY));
}

GDateTime *
sp_json_get_datetime (JsonObject *object,
                      const char *member)
{
  const char *text = sp_json_get_string (object, member, NULL);

  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

void
sp_json_add_datetime (JsonBuilder *builder,
                      const char  *member,
                      GDateTime   *datetime)
{
  json_builder_set_member_name (builder, member);
  if (datetime != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (datetime);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static const char *
member_string (JsonObject *object,
               const char *group,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, group);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return sp_json_get_string (json_node_get_object (node), member, NULL);
}

SpPraticaSummary *
sp_pratica_summary_from_json (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(SpPraticaSummary) self = sp_pratica_summary_new ();
  SpPraticaSummaryData *data = &self->data;
  const char *id;
  const char *numero;

  if (!(id = sp_json_require_string (object, "id", error))
      || !(numero = sp_json_require_string (object, "numero", error)))
    return NULL;

  data->id = g_strdup (id);
  data->numero = g_strdup (numero);
  data->servizio_slug = g_strdup (member_string (object, "servizio", "slug"));
  data->servizio_name = g_strdup (member_string (object, "servizio", "name"));
  data->applicant_cf = g_strdup (member_string (object, "applicant", "codice_fiscale"));
  data->applicant_nome = g_strdup (member_string (object, "applicant", "nome"));
  data->applicant_cognome = g_strdup (member_string (object, "applicant", "cognome"));
  data->submitted_at = sp_json_get_datetime (object, "submitted_at");
  data->status = (SpStatus) sp_json_get_int (object, "status", 0);
  data->protocol_number = g_strdup (sp_json_get_string (object, "protocol_number", NULL));
  data->deadline_at = sp_json_get_datetime (object, "deadline_at");
  data->assignee_username = g_strdup (member_string (object, "assigned_to", "username"));
  data->assignee_name = g_strdup (member_string (object, "assigned_to", "full_name"));
  data->take_charge = sp_take_charge_block_from_string (
      sp_json_get_string (object, "take_charge", NULL));

  if (!sp_status_is_valid (data->status) || data->submitted_at == NULL)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "A pratica needs a valid status and submission time");
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
sp_pratica_summary_to_json (SpPraticaSummary *self,
                            JsonBuilder      *builder)
{
  SpPraticaSummaryData *data = &self->data;

  json_builder_begin_object (builder);
  sp_json_builder_add_string_or_null (builder, "id", data->id);
  sp_json_builder_add_string_or_null (builder, "numero", data->numero);
  json_builder_set_member_name (builder, "servizio");
  json_builder_begin_object (builder);
  sp_json_builder_add_string_or_null (builder, "slug", data->servizio_slug);
  sp_json_builder_add_string_or_null (builder, "name", data->servizio_name);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "applicant");
  json_builder_begin_object (builder);
  sp_json_builder_add_string_or_null (builder, "codice_fiscale", data->applicant_cf);
  sp_json_builder_add_string_or_null (builder, "nome", data->applicant_nome);
  sp_json_builder_add_string_or_null (builder, "cognome", data->applicant_cognome);
  json_builder_end_object (builder);
  sp_json_add_datetime (builder, "submitted_at", data->submitted_at);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, data->status);
  sp_json_builder_add_string_or_null (builder, "status_key", sp_status_get_key (data->status));
  sp_json_builder_add_string_or_null (builder, "protocol_number", data->protocol_number);
  sp_json_add_datetime (builder, "deadline_at", data->deadline_at);
  json_builder_set_member_name (builder, "assigned_to");
  if (data->assignee_username != NULL)
    {
      json_builder_begin_object (builder);
      sp_json_builder_add_string_or_null (builder, "username", data->assignee_username);
      sp_json_builder_add_string_or_null (builder, "full_name", data->assignee_name);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  sp_json_builder_add_string_or_null (builder, "take_charge", sp_take_charge_block_to_string (data->take_charge));
  json_builder_end_object (builder);
}
