/* sp-db-elabora.c: SQL of Elabora: who may work on a pratica now, its saved work, and saving it */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-db-elabora-private.h"
#include "sp-db-history.h"
#include "sp-db-scope.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-locale.h"

void
sp_elabora_result_free (SpElaboraResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->field_errors, json_node_unref);
  g_free (result->locale);
  g_clear_pointer (&result->document, sp_document_info_free);
  g_clear_pointer (&result->risposta, sp_risposta_free);
  g_free (result);
}

void
sp_uploaded_file_free (SpUploadedFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file->filename);
  g_free (file->mime_type);
  g_free (file->sha256);
  g_free (file->signer);
  g_free (file->signature_error);
  g_free (file);
}

void
sp_elabora_pratica_free (SpElaboraPratica *pratica)
{
  if (pratica == NULL)
    return;
  g_free (pratica->locale);
  g_clear_pointer (&pratica->steps, g_ptr_array_unref);
  g_free (pratica->data);
  g_free (pratica);
}

static void
elabora_call_free (SpElaboraCall *call)
{
  g_clear_pointer (&call->request, sp_pratica_request_free);
  g_clear_pointer (&call->body, json_object_unref);
  g_free (call->steps);
  g_clear_pointer (&call->file, sp_uploaded_file_free);
  g_clear_pointer (&call->risposta, sp_risposta_free);
  g_clear_pointer (&call->pdf, g_bytes_unref);
  g_free (call);
}

/**
 * sp_db_elabora_run:
 * @call: (transfer full): the call's own data; its request is set here
 *
 * Starts @func on the pool with @call, as the call @source_tag; its result
 * is an #SpElaboraResult.
 */
void
sp_db_elabora_run (SpDb                *db,
                   SpDbRetry            retry,
                   gpointer             source_tag,
                   SpDbFunc             func,
                   SpPrincipal         *principal,
                   const char          *pratica_id,
                   SpElaboraCall       *call,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  call->request = sp_pratica_request_new (principal, pratica_id, NULL);
  sp_db_task_run (db, retry, task, func, call, (GDestroyNotify) elabora_call_free,
                  (GDestroyNotify) sp_elabora_result_free);
}

/**
 * sp_db_elabora_message:
 * @locale: (nullable): the ente's language
 * @message: an English message marked with N_()
 *
 * Returns: @message in @locale, for the people who read it in the client
 */
char *
sp_db_elabora_message (const char *locale,
                       const char *message)
{
  SpLocaleScope scope;
  char *translated;

  sp_locale_push (&scope, locale != NULL ? locale : "it_IT");
  translated = g_strdup (g_dgettext (GETTEXT_PACKAGE, message));
  sp_locale_pop (&scope);
  return translated;
}

static gboolean
refuse (GError     **error,
        SpError      code,
        const char  *locale,
        const char  *message)
{
  g_autofree char *text = sp_db_elabora_message (locale, message);

  g_set_error_literal (error, SP_ERROR, code, text);
  return FALSE;
}

/**
 * sp_db_elabora_gate:
 * @lock: lock the pratica's row (FOR UPDATE) until the caller's transaction ends
 *
 * The one check of who may work on a pratica in Elabora, and when: it must
 * be in the caller's scope (otherwise "not found"), assigned to the caller
 * (403) and in a status that can be processed (sp_status_is_processable();
 * 409 otherwise, "already concluded" when it is).
 *
 * Returns: (transfer full): the pratica, or %NULL with @error
 */
SpElaboraPratica *
sp_db_elabora_gate (PGconn            *conn,
                    SpPraticaRequest  *request,
                    gboolean           lock,
                    GError           **error)
{
  g_autoptr(SpDbQuery) sql = NULL;
  g_autoptr(SpDbScope) scope = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(SpElaboraPratica) pratica = NULL;
  g_autoptr(JsonNode) steps = NULL;
  const char *steps_text;
  gint64 assigned_to;

  sql = sp_db_query_new ("SELECT p.status, coalesce (p.assigned_to, 0), sv.protocol_required,"
                         "       sv.signed_response_required, e.locale, sv.steps::text, p.data::text"
                         " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id JOIN ente e ON e.id = p.ente_id"
                         " WHERE p.id = ");
  sp_db_query_append_param (sql, request->pratica_id, "uuid");
  sp_db_query_append (sql, " AND ");
  scope = sp_db_scope_new_in (request->principal, sql);
  sp_db_scope_append (scope, sql, "p.servizio_id");
  if (lock)
    sp_db_query_append (sql, " FOR UPDATE OF p");

  if (!(result = sp_db_query_exec (conn, sql, error)))
    return NULL;
  if (PQntuples (result) != 1)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      return NULL;
    }

  pratica = g_new0 (SpElaboraPratica, 1);
  pratica->status = (SpStatus) sp_db_get_int64 (result, 0, 0);
  assigned_to = sp_db_get_int64 (result, 0, 1);
  pratica->protocol_required = sp_db_get_bool (result, 0, 2);
  pratica->signed_response_required = sp_db_get_bool (result, 0, 3);
  pratica->locale = g_strdup (sp_db_get (result, 0, 4));
  steps_text = sp_db_get (result, 0, 5);
  pratica->data = g_strdup (sp_db_get (result, 0, 6));

  if (!sp_principal_is_allowed (request->principal, SP_PRINCIPAL_OPERATOR)
      || assigned_to == 0 || assigned_to != sp_principal_get_account_id (request->principal))
    {
      refuse (error, SP_ERROR_FORBIDDEN, pratica->locale,
              N_("Only the operator in charge of this application can process it."));
      return NULL;
    }
  if (sp_status_is_concluded (pratica->status))
    {
      refuse (error, SP_ERROR_CONFLICT, pratica->locale, N_("This application has already been concluded."));
      return NULL;
    }
  if (!sp_status_is_processable (pratica->status))
    {
      refuse (error, SP_ERROR_TRANSITION_NOT_ALLOWED, pratica->locale,
              N_("This application cannot be processed in its current status."));
      return NULL;
    }

  if (!(steps = sp_json_parse (steps_text, strlen (steps_text), error))
      || !(pratica->steps = sp_steps_from_json (JSON_NODE_HOLDS_ARRAY (steps) ? json_node_get_array (steps) : NULL,
                                                error)))
    {
      g_prefix_error (error, "The steps of the service cannot be read: ");
      if (error != NULL && *error != NULL)
        (*error)->code = SP_ERROR_INTERNAL;
      return NULL;
    }
  return g_steal_pointer (&pratica);
}

/* The values of the service's steps kept in the pratica's data; the text
 * of their numbers as stored is read by the caller (read_numbers()). */
static JsonObject *
step_values (GPtrArray  *steps,
             const char *data_text)
{
  g_autoptr(JsonNode) data = data_text != NULL ? sp_json_parse (data_text, strlen (data_text), NULL) : NULL;
  JsonObject *values = json_object_new ();

  for (guint i = 0; data != NULL && JSON_NODE_HOLDS_OBJECT (data) && i < steps->len; i++)
    {
      const SpStep *step = g_ptr_array_index (steps, i);
      JsonNode *node = json_object_get_member (json_node_get_object (data), step->key);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        json_object_set_member (values, step->key, json_node_copy (node));
    }
  return values;
}

/* The digits of the numbers among @work's steps as @data_text stores them:
 * json-glib read 19.99 as a double, 10^20 wrapped. */
static void
read_numbers (SpProcessing *work,
              const char   *data_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpJsonTape) tape = NULL;

  if (data_text == NULL || json_object_get_size (work->steps) == 0)
    return;
  if (!(tape = sp_json_tape_new (data_text, strlen (data_text), 129, &error)))
    {
      g_warning ("The numbers of the saved work are read as json-glib holds them: %s", error->message);
      return;
    }
  sp_processing_read_numbers (work, tape, 0);
}

/**
 * sp_db_processing_load:
 * @steps: (element-type SpStep): the service's steps
 * @data: the pratica's data as JSON text (the steps' values are there)
 * @outcome: (nullable): the pratica's outcome, once concluded
 * @motivation: (nullable): the pratica's motivation, once concluded
 * @processing: (out) (transfer full) (nullable): the work, %NULL when there is none
 * @revision: (out) (optional): the save it comes from; 0 if never saved
 *
 * The work on a pratica as Elabora resumes it: what the last "Salva" kept
 * and the step values in the data (also those of pratiche processed before
 * Elabora saved anything, as the demo's), or the outcome once concluded.
 */
gboolean
sp_db_processing_load (PGconn        *conn,
                       const char    *pratica_id,
                       GPtrArray     *steps,
                       const char    *data,
                       const char    *outcome,
                       const char    *motivation,
                       SpProcessing **processing,
                       gint64        *revision,
                       GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autoptr(SpProcessing) work = sp_processing_new ();
  gboolean saved;

  result = sp_db_exec (conn,
                       "SELECT pp.esito, pp.motivazione, pp.risposta_id, to_json (pp.saved_at) #>> '{}',"
                       "       a.full_name, pp.revision"
                       " FROM pratica_processing pp JOIN account a ON a.id = pp.saved_by"
                       " WHERE pp.pratica_id = $1::uuid",
                       1, SP_DB_PARAMS (pratica_id), error);
  if (result == NULL)
    return FALSE;

  saved = PQntuples (result) == 1;
  g_clear_pointer (&work->steps, json_object_unref);
  work->steps = step_values (steps, data);
  read_numbers (work, data);
  if (saved)
    {
      work->esito = g_strdup (sp_db_get (result, 0, 0));
      work->motivazione = g_strdup (sp_db_get (result, 0, 1));
      work->risposta = g_strdup (sp_db_get (result, 0, 2));
      work->saved_at = g_date_time_new_from_iso8601 (sp_db_get (result, 0, 3), NULL);
      work->saved_by = g_strdup (sp_db_get (result, 0, 4));
    }
  if (outcome != NULL)
    {
      g_free (work->esito);
      work->esito = g_strdup (outcome);
      g_free (work->motivazione);
      work->motivazione = g_strdup (motivation);
    }
  if (revision != NULL)
    *revision = saved ? sp_db_get_int64 (result, 0, 5) : 0;

  *processing = saved || outcome != NULL || json_object_get_size (work->steps) > 0 ? g_steal_pointer (&work) : NULL;
  return TRUE;
}

/**
 * sp_db_elabora_check_risposta:
 * @risposta: (nullable): the id of the chosen response file
 * @field_errors: where its problem goes, if it has one
 *
 * The response file must be a current upload of this pratica (not replaced
 * by a newer one), signed (a verified `.p7m`) when the service wants it so.
 *
 * Returns: %FALSE only when the check itself failed (@error set)
 */
gboolean
sp_db_elabora_check_risposta (PGconn            *conn,
                SpElaboraPratica  *pratica,
                const char        *pratica_id,
                const char        *risposta,
                JsonArray         *field_errors,
                GError           **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autofree char *message = NULL;

  if (risposta == NULL)
    return TRUE;
  result = sp_db_exec (conn,
                       "SELECT signer IS NOT NULL, superseded_at IS NOT NULL FROM document"
                       " WHERE id = $1::uuid AND pratica_id = $2::uuid AND kind = 'allegato'",
                       2, SP_DB_PARAMS (risposta, pratica_id), error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) != 1)
    message = sp_db_elabora_message (pratica->locale, N_("Not a document of this application"));
  else if (sp_db_get_bool (result, 0, 1))
    message = sp_db_elabora_message (pratica->locale,
                                     N_("This response file was replaced by a newer upload: choose the newer file."));
  else if (pratica->signed_response_required && !sp_db_get_bool (result, 0, 0))
    message = sp_db_elabora_message (pratica->locale,
                                     N_("This service needs a response file signed digitally (.p7m) with a verified signature"));
  if (message != NULL)
    sp_field_errors_add (field_errors, "risposta", message);
  return TRUE;
}

/* Keeps @work, whose every value the checks accepted: the step values are
 * then the body's @steps as the client wrote them (none when @work has none),
 * stored so rather than as json-glib would write them again (19.99 as
 * 19.989999999999998, 10^20 wrapped to 64 bits). */
static gboolean
store_work (PGconn            *conn,
            SpPraticaRequest  *request,
            SpElaboraPratica  *pratica,
            SpProcessing      *work,
            const char        *steps,
            GError           **error)
{
  g_autofree char *account = g_strdup_printf ("%" G_GINT64_FORMAT, sp_principal_get_account_id (request->principal));
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_auto(GStrv) key_list = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *key_array = NULL;
  const char *values = json_object_get_size (work->steps) > 0 ? steps : "{}";

  g_return_val_if_fail (values != NULL, FALSE);
  for (guint i = 0; i < pratica->steps->len; i++)
    g_strv_builder_add (keys, ((SpStep *) g_ptr_array_index (pratica->steps, i))->key);
  key_list = g_strv_builder_end (keys);
  /* Step keys are [a-z][a-z0-9_]*: safe inside an array literal. */
  joined = g_strjoinv (",", key_list);
  key_array = g_strdup_printf ("{%s}", joined);

  return sp_db_command (conn,
                        "INSERT INTO pratica_processing (pratica_id, esito, motivazione, risposta_id, saved_by)"
                        " VALUES ($1::uuid, $2, $3, $4::uuid, $5::bigint)"
                        " ON CONFLICT (pratica_id) DO UPDATE SET esito = EXCLUDED.esito,"
                        "   motivazione = EXCLUDED.motivazione, risposta_id = EXCLUDED.risposta_id,"
                        "   saved_by = EXCLUDED.saved_by, saved_at = now (),"
                        "   revision = pratica_processing.revision + 1",
                        5, SP_DB_PARAMS (request->pratica_id, work->esito, work->motivazione, work->risposta, account),
                        error)
         && sp_db_command (conn,
                           "UPDATE pratica SET data = (data - $2::text[]) || $3::jsonb, updated_at = now ()"
                           " WHERE id = $1::uuid",
                           3, SP_DB_PARAMS (request->pratica_id, key_array, values), error);
}

/* Saves the operator's work (an SpDbFunc): checked against the service's
 * steps, kept, and recorded as a version "Salvataggio"; the first save moves
 * the pratica to 5000 through the one writer of status changes. */
static gpointer
processing_save (PGconn   *conn,
                 gpointer  data,
                 GError  **error)
{
  SpElaboraCall *call = data;
  SpPraticaRequest *request = call->request;
  SpActor actor = sp_actor_for_account (request->principal);
  g_autoptr(SpElaboraResult) outcome = g_new0 (SpElaboraResult, 1);
  g_autoptr(SpElaboraPratica) pratica = NULL;
  g_autoptr(SpProcessing) work = NULL;
  g_autoptr(JsonArray) field_errors = json_array_new ();
  SpLocaleScope scope;

  if (!sp_db_begin (conn, error))
    return NULL;
  if (!(pratica = sp_db_elabora_gate (conn, request, TRUE, error)))
    goto failed;
  outcome->locale = g_strdup (pratica->locale);

  sp_locale_push (&scope, pratica->locale);
  work = sp_processing_from_json (call->body, pratica->steps, field_errors);
  sp_locale_pop (&scope);
  if (!sp_db_elabora_check_risposta (conn, pratica, request->pratica_id, work->risposta, field_errors, error))
    goto failed;
  if (json_array_get_length (field_errors) > 0)
    {
      outcome->field_errors = json_node_init_array (json_node_alloc (), field_errors);
      sp_db_rollback (conn);
      return g_steal_pointer (&outcome);
    }

  if (!store_work (conn, request, pratica, work, call->steps, error))
    goto failed;
  if (pratica->status != SP_STATUS_PROCESSING)
    {
      g_autofree char *status = g_strdup_printf ("%d", (int) SP_STATUS_PROCESSING);

      if (!sp_db_command (conn, "UPDATE pratica SET status = $2::integer WHERE id = $1::uuid",
                          2, SP_DB_PARAMS (request->pratica_id, status), error)
          || !sp_db_record_change (conn, request->pratica_id, SP_STATUS_PROCESSING, pratica->status,
                                   "Salvataggio", &actor, NULL, error))
        goto failed;
    }
  else if (!sp_db_version_append (conn, request->pratica_id, "Salvataggio", &actor, NULL, error))
    goto failed;

  if (!sp_db_commit (conn, error))
    goto failed;
  return g_steal_pointer (&outcome);

failed:
  sp_db_rollback (conn);
  return NULL;
}

/**
 * sp_db_processing_save_async:
 * @body: `{esito, motivazione, risposta, steps}`
 * @steps: (nullable): the body's `steps` as the client wrote them
 *
 * Saves the work of the operator in charge on the pratica ("Salva"). Values
 * that do not fit the service's steps come back as the result's
 * `field_errors`, and nothing is saved.
 */
void
sp_db_processing_save_async (SpDb                *db,
                             SpPrincipal         *principal,
                             const char          *pratica_id,
                             JsonObject          *body,
                             const char          *steps,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  SpElaboraCall *call = g_new0 (SpElaboraCall, 1);

  call->body = json_object_ref (body);
  call->steps = g_strdup (steps);
  sp_db_elabora_run (db, SP_DB_RETRY, sp_db_processing_save_async, processing_save, principal, pratica_id, call,
                     cancellable, callback, user_data);
}

/* Returns: (transfer full): the #SpElaboraResult */
SpElaboraResult *
sp_db_processing_save_finish (SpDb          *db,
                              GAsyncResult  *result,
                              GError       **error)
{
  return sp_db_task_finish (result, sp_db_processing_save_async, error);
}
