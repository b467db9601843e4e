/* sp-db-conclude.c: SQL that concludes a pratica from its saved work: checked, then stored with its response PDF in one transaction */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-db-elabora-private.h"
#include "sp-db-history.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-locale.h"

/**
 * sp_db_risposta_load:
 * @accepted: the outcome
 * @motivazione: (nullable): the motivation
 * @document_id: (nullable): the file that goes with the response, among
 *   the pratica's current documents
 *
 * Reads what the response to the applicant shows: the pratica, its ente,
 * and the file. A pratica without that file is %SP_ERROR_NOT_FOUND.
 */
gboolean
sp_db_risposta_load (PGconn      *conn,
                     const char  *pratica_id,
                     gboolean     accepted,
                     const char  *motivazione,
                     const char  *document_id,
                     SpRisposta  *risposta,
                     GError     **error)
{
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "SELECT e.name, e.place_name, e.locale, sv.name, p.numero, to_json (p.submitted_at) #>> '{}',"
                       "       p.protocol_number, to_json (p.protocol_date) #>> '{}', p.applicant_nome,"
                       "       p.applicant_cognome, p.applicant_email, d.filename, d.signer"
                       " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id JOIN ente e ON e.id = p.ente_id"
                       " LEFT JOIN document_current d ON d.pratica_id = p.id AND d.id = $2::uuid"
                       " WHERE p.id = $1::uuid AND ($2::uuid IS NULL OR d.id IS NOT NULL)",
                       2, SP_DB_PARAMS (pratica_id, document_id), error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) != 1)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica or response file");
      return FALSE;
    }
  risposta->ente_name = g_strdup (sp_db_get (result, 0, 0));
  risposta->place_name = g_strdup (sp_db_get (result, 0, 1));
  risposta->locale = g_strdup (sp_db_get (result, 0, 2));
  risposta->servizio_name = g_strdup (sp_db_get (result, 0, 3));
  risposta->numero = g_strdup (sp_db_get (result, 0, 4));
  risposta->submitted_at = g_date_time_new_from_iso8601 (sp_db_get (result, 0, 5), NULL);
  risposta->protocol_number = g_strdup (sp_db_get (result, 0, 6));
  if (sp_db_get (result, 0, 7) != NULL)
    risposta->protocol_date = g_date_time_new_from_iso8601 (sp_db_get (result, 0, 7), NULL);
  risposta->applicant_nome = g_strdup (sp_db_get (result, 0, 8));
  risposta->applicant_cognome = g_strdup (sp_db_get (result, 0, 9));
  risposta->applicant_email = g_strdup (sp_db_get (result, 0, 10));
  if (document_id != NULL)
    sp_risposta_add_attachment (risposta, sp_db_get (result, 0, 11), sp_db_get (result, 0, 12));
  risposta->accepted = accepted;
  risposta->motivazione = g_strdup (motivazione);
  risposta->date = g_date_time_new_now_utc ();
  return TRUE;
}

/* Checks that the saved work can be concluded and reads what its response
 * shows (an SpDbFunc): a snapshot, without locks; sp_db_conclude_async()
 * checks again, under the pratica's lock, that nothing changed meanwhile. */
static gpointer
conclude_prepare (PGconn   *conn,
                  gpointer  data,
                  GError  **error)
{
  SpElaboraCall *call = data;
  SpPraticaRequest *request = call->request;
  g_autoptr(SpElaboraResult) outcome = g_new0 (SpElaboraResult, 1);
  g_autoptr(SpElaboraPratica) pratica = NULL;
  g_autoptr(SpProcessing) work = NULL;
  g_autoptr(JsonArray) field_errors = json_array_new ();
  g_autoptr(SpRisposta) risposta = sp_risposta_new ();
  SpLocaleScope scope;

  if (!sp_db_command (conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, error))
    return NULL;
  if (!(pratica = sp_db_elabora_gate (conn, request, FALSE, error))
      || !sp_db_processing_load (conn, request->pratica_id, pratica->steps, pratica->data, NULL, NULL, &work,
                                 &risposta->revision, error))
    goto failed;
  outcome->locale = g_strdup (pratica->locale);
  if (work == NULL)
    work = sp_processing_new ();

  sp_locale_push (&scope, pratica->locale);
  sp_processing_check_complete (work, pratica->steps, field_errors);
  sp_locale_pop (&scope);
  if (!sp_db_elabora_check_risposta (conn, pratica, request->pratica_id, work->risposta, field_errors, error))
    goto failed;
  if (json_array_get_length (field_errors) > 0)
    {
      outcome->field_errors = json_node_init_array (json_node_alloc (), field_errors);
      sp_db_rollback (conn);
      return g_steal_pointer (&outcome);
    }
  if (!sp_db_risposta_load (conn, request->pratica_id, g_strcmp0 (work->esito, SP_ESITO_ACCEPTED) == 0,
                            work->motivazione, work->risposta, risposta, error)
      || !sp_db_commit (conn, error))
    goto failed;

  outcome->risposta = g_steal_pointer (&risposta);
  return g_steal_pointer (&outcome);

failed:
  sp_db_rollback (conn);
  return NULL;
}

/**
 * sp_db_conclude_prepare_async:
 *
 * Checks that the operator in charge may conclude the pratica with the work
 * saved (what is missing comes back as the result's `field_errors`), and
 * reads what its response PDF shows (the result's `risposta`), to be drawn
 * on the CPU workers before sp_db_conclude_async().
 */
void
sp_db_conclude_prepare_async (SpDb                *db,
                              SpPrincipal         *principal,
                              const char          *pratica_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  sp_db_elabora_run (db, SP_DB_ONCE, sp_db_conclude_prepare_async, conclude_prepare, principal, pratica_id,
                     g_new0 (SpElaboraCall, 1), cancellable, callback, user_data);
}

/* Returns: (transfer full): the #SpElaboraResult */
SpElaboraResult *
sp_db_conclude_prepare_finish (SpDb          *db,
                               GAsyncResult  *result,
                               GError       **error)
{
  return sp_db_task_finish (result, sp_db_conclude_prepare_async, error);
}

/**
 * sp_db_risposta_store:
 *
 * Stores @pdf as the pratica's response (`risposta`), in the caller's
 * transaction; a response stored before is superseded.
 */
gboolean
sp_db_risposta_store (PGconn      *conn,
                      const char  *pratica_id,
                      const char  *filename,
                      GBytes      *pdf,
                      GError     **error)
{
  g_autofree char *size = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (pdf));
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  g_autoptr(PGresult) inserted = NULL;
  g_autoptr(PGresult) replaced = NULL;
  const char *params[5] = { pratica_id, filename, size, sha256, g_bytes_get_data (pdf, NULL) };
  int lengths[5] = { 0, 0, 0, 0, (int) g_bytes_get_size (pdf) };
  int formats[5] = { 0, 0, 0, 0, 1 };

  inserted = sp_db_exec_binary (conn,
                                "INSERT INTO document (pratica_id, kind, filename, mime_type, size, sha256, content_oid)"
                                " VALUES ($1::uuid, 'risposta', $2, 'application/pdf', $3::bigint, $4,"
                                "         lo_from_bytea (0, $5)) RETURNING id",
                                5, params, lengths, formats, error);
  if (inserted == NULL)
    return FALSE;
  /* A response drawn before (none, as a pratica is concluded once) is
   * replaced by this one. */
  replaced = sp_db_exec (conn, "SELECT document_supersede ($1::uuid)", 1, SP_DB_PARAMS (sp_db_get (inserted, 0, 0)),
                         error);
  return replaced != NULL;
}

/* Stores the conclusion (an SpDbFunc), all in one transaction: the response
 * PDF, the outcome, and the status change the transition table gives for
 * it, through the one writer of status changes. A conclusion that comes
 * second finds the pratica concluded (409), and one drawn from work saved
 * again meanwhile is refused (409). */
static gpointer
conclude (PGconn   *conn,
          gpointer  data,
          GError  **error)
{
  SpElaboraCall *call = data;
  SpPraticaRequest *request = call->request;
  SpRisposta *risposta = call->risposta;
  SpActor actor = sp_actor_for_account (request->principal);
  g_autoptr(SpElaboraResult) outcome = g_new0 (SpElaboraResult, 1);
  g_autoptr(SpElaboraPratica) pratica = NULL;
  g_autoptr(SpProcessing) work = NULL;
  g_autoptr(PGresult) updated = NULL;
  g_autofree char *filename = sp_risposta_filename (risposta);
  g_autofree char *target_text = NULL;
  SpStatus target;
  gint64 revision = 0;

  if (!sp_db_begin (conn, error))
    return NULL;
  if (!(pratica = sp_db_elabora_gate (conn, request, TRUE, error))
      || !sp_db_processing_load (conn, request->pratica_id, pratica->steps, pratica->data, NULL, NULL, &work,
                                 &revision, error))
    goto failed;
  if (work == NULL || revision != risposta->revision)
    {
      g_autofree char *message = sp_db_elabora_message (pratica->locale,
                                                        N_("The work was saved again while concluding: conclude again."));

      g_set_error_literal (error, SP_ERROR, SP_ERROR_CONFLICT, message);
      goto failed;
    }
  if (!sp_event_apply (g_strcmp0 (work->esito, SP_ESITO_ACCEPTED) == 0 ? SP_EVENT_ACCETTATA : SP_EVENT_RIFIUTATA, pratica->status,
                       pratica->protocol_required, &target, error))
    goto failed;
  target_text = g_strdup_printf ("%d", (int) target);

  if (!sp_db_risposta_store (conn, request->pratica_id, filename, call->pdf, error)
      || !(updated = sp_db_exec (conn,
                                 "UPDATE pratica SET status = $2::integer, outcome = $3, motivation = $4,"
                                 "   concluded_at = now (), updated_at = now ()"
                                 " WHERE id = $1::uuid RETURNING status",
                                 4, SP_DB_PARAMS (request->pratica_id, target_text, work->esito,
                                                  work->motivazione), error))
      || !sp_db_record_change_commit (conn, request->pratica_id, target, pratica->status, "Conclusione", &actor,
                                      work->motivazione, error))
    goto failed;

  outcome->locale = g_strdup (pratica->locale);
  return g_steal_pointer (&outcome);

failed:
  sp_db_rollback (conn);
  return NULL;
}

/**
 * sp_db_conclude_async:
 * @risposta: (transfer full): what @pdf was drawn from (sp_db_conclude_prepare_async())
 * @pdf: the response PDF
 *
 * Concludes the pratica: stores @pdf as its `risposta` document and moves
 * it to the outcome's status, in one transaction.
 */
void
sp_db_conclude_async (SpDb                *db,
                      SpPrincipal         *principal,
                      const char          *pratica_id,
                      SpRisposta          *risposta,
                      GBytes              *pdf,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  SpElaboraCall *call = g_new0 (SpElaboraCall, 1);

  call->risposta = risposta;
  call->pdf = g_bytes_ref (pdf);
  sp_db_elabora_run (db, SP_DB_RETRY, sp_db_conclude_async, conclude, principal, pratica_id, call,
                     cancellable, callback, user_data);
}

/* Returns: (transfer full): the #SpElaboraResult */
SpElaboraResult *
sp_db_conclude_finish (SpDb          *db,
                       GAsyncResult  *result,
                       GError       **error)
{
  return sp_db_task_finish (result, sp_db_conclude_async, error);
}
