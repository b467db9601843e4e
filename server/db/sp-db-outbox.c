/* sp-db-outbox.c: SQL that queues the citizen's e-mail for a status change */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-outbox.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-mail.h"
#include "sp-person.h"

/**
 * sp_db_outbox_queue:
 * @iter_id: the iter row of the change; one e-mail per change at most
 * @text: (nullable): what the e-mail must quote (the integration request)
 *
 * Renders the e-mail in the ente's language and queues it, in the caller's
 * transaction. A status that sends no e-mail queues nothing.
 */
gboolean
sp_db_outbox_queue (PGconn      *conn,
                    const char  *pratica_id,
                    gint64       iter_id,
                    SpStatus     status,
                    const char  *text,
                    GError     **error)
{
  g_autoptr(PGresult) pratica = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  g_autofree char *iter_text = g_strdup_printf ("%" G_GINT64_FORMAT, iter_id);
  g_autofree char *status_text = g_strdup_printf ("%d", (int) status);
  g_autofree char *applicant = NULL;
  SpMailContext context = { NULL };

  pratica = sp_db_exec (conn,
                        "SELECT p.applicant_email, p.applicant_nome, p.applicant_cognome, p.numero,"
                        "       p.protocol_number, sv.name, e.name, e.locale"
                        " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id JOIN ente e ON e.id = p.ente_id"
                        " WHERE p.id = $1::uuid",
                        1, SP_DB_PARAMS (pratica_id), error);
  if (pratica == NULL)
    return FALSE;
  if (PQntuples (pratica) != 1)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      return FALSE;
    }

  applicant = sp_person_format_name (sp_db_get (pratica, 0, 2), sp_db_get (pratica, 0, 1));
  context.applicant_name = applicant;
  context.numero = sp_db_get (pratica, 0, 3);
  context.protocol_number = sp_db_get (pratica, 0, 4);
  context.servizio_name = sp_db_get (pratica, 0, 5);
  context.ente_name = sp_db_get (pratica, 0, 6);
  context.locale = sp_db_get (pratica, 0, 7);
  context.text = text;

  if (!sp_mail_render (status, &context, &subject, &body))
    return TRUE;

  return sp_db_command (conn,
                        "INSERT INTO outbox (pratica_id, iter_id, status, recipient, subject, body, message_id)"
                        " VALUES ($1::uuid, $2::bigint, $3::integer, $4, $5, $6,"
                        "         '<' || gen_random_uuid () || '@sportello.invalid>')",
                        6, SP_DB_PARAMS (pratica_id, iter_text, status_text, sp_db_get (pratica, 0, 0), subject, body),
                        error);
}
