/* sp-db-outbox.c: SQL of the citizens' e-mails: queue one per status change, claim it, mark it sent or failed */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-outbox.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-mail.h"
#include "sp-person.h"

/* Queues the `mail-send` job of the outbox rows (as `o`, of @rows) the tail
 * selects: one per row, ever (the dedupe key). */
#define QUEUE_SQL_FROM(rows) \
  "INSERT INTO job (kind, payload, dedupe_key, max_attempts)" \
  " SELECT '" SP_DB_OUTBOX_JOB "', jsonb_build_object ('outbox', o.id), 'outbox ' || o.id," \
  "        " G_STRINGIFY (SP_DB_OUTBOX_MAX_ATTEMPTS) \
  " FROM " rows " o "
#define QUEUE_SQL QUEUE_SQL_FROM ("outbox")

void
sp_outbox_row_free (SpOutboxRow *row)
{
  if (row == NULL)
    return;
  g_free (row->pratica_id);
  g_free (row->recipient);
  g_free (row->message_id);
  g_free (row->context);
  g_clear_pointer (&row->created_at, g_date_time_unref);
  g_free (row);
}

void
sp_outbox_document_free (SpOutboxDocument *document)
{
  if (document == NULL)
    return;
  g_free (document->id);
  g_free (document->kind);
  g_free (document->filename);
  g_free (document->mime_type);
  g_free (document->sha256);
  g_free (document);
}

/**
 * sp_db_outbox_queue:
 * @iter_id: the iter row of the change; one e-mail per change at most
 * @text: (nullable): what the e-mail must quote (the integration request)
 * @commit: whether to commit the transaction too, with the e-mail
 *
 * Queues the e-mail of the change and the job that sends it, in the caller's
 * transaction. The row keeps the message's context as it is now, and its
 * subject and text as rendered now (without the download links, which are
 * made when it is sent). A status that sends no e-mail queues nothing.
 */
gboolean
sp_db_outbox_queue (PGconn      *conn,
                    const char  *pratica_id,
                    gint64       iter_id,
                    SpStatus     status,
                    const char  *text,
                    gboolean     commit,
                    GError     **error)
{
  /* The row and its job in one statement. */
  static const char insert_sql[] =
    "WITH added AS ("
    "  INSERT INTO outbox (pratica_id, iter_id, status, recipient, subject, body, context, message_id)"
    "  VALUES ($1::uuid, $2::bigint, $3::integer, $4, $5, $6, $7::jsonb,"
    "          '<' || gen_random_uuid () || '@sportello.invalid>')"
    "  RETURNING id) "
    QUEUE_SQL_FROM ("added") "ON CONFLICT (kind, dedupe_key) DO NOTHING";
  g_autoptr(PGresult) pratica = NULL;
  g_autoptr(PGresult) inserted = NULL;
  g_autoptr(SpMailMessage) message = NULL;
  g_autofree char *iter_text = g_strdup_printf ("%" G_GINT64_FORMAT, iter_id);
  g_autofree char *status_text = g_strdup_printf ("%d", (int) status);
  g_autofree char *applicant = NULL;
  g_autofree char *context_json = NULL;
  SpMailContext context = { NULL };

  pratica = sp_db_exec_prepared (conn,
                                 "SELECT p.applicant_email, p.applicant_nome, p.applicant_cognome, p.numero,"
                                 "       p.protocol_number, sv.name, e.name, e.locale"
                                 " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id"
                                 " JOIN ente e ON e.id = p.ente_id"
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

  if (!(message = sp_mail_render (status, &context, NULL, 0, NULL)))
    return !commit || sp_db_commit (conn, error);
  context_json = sp_mail_context_to_json (&context);

  inserted = sp_db_exec_prepared_ending (conn, insert_sql, 7,
                                         SP_DB_PARAMS (pratica_id, iter_text, status_text, sp_db_get (pratica, 0, 0),
                                                       message->subject, message->text, context_json),
                                         commit, error);
  return inserted != NULL;
}

/**
 * sp_db_outbox_claim:
 * @claim: (out): whether the row is to be sent now
 * @row: (out) (transfer full): the row, when claimed
 *
 * Locks the unsent row for the caller's transaction. A row that another
 * transaction holds is skipped rather than waited for, so no two workers
 * ever send it at once.
 */
gboolean
sp_db_outbox_claim (PGconn         *conn,
                    gint64          id,
                    SpOutboxClaim  *claim,
                    SpOutboxRow   **row,
                    GError        **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(PGresult) result = NULL;
  g_autoptr(PGresult) state = NULL;
  SpOutboxRow *claimed;

  *row = NULL;
  /* By its primary key alone: a condition on sent_at would let the planner
   * walk outbox_unsent_idx instead, every unsent row of a burst. */
  result = sp_db_exec (conn,
                       "SELECT id, pratica_id, status, recipient, message_id, context::text,"
                       "       to_json (created_at) #>> '{}', sent_at IS NULL AND failed_at IS NULL"
                       " FROM outbox WHERE id = $1::bigint"
                       " FOR UPDATE SKIP LOCKED",
                       1, SP_DB_PARAMS (id_text), error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      /* Locked by another transaction, or gone. */
      state = sp_db_exec (conn, "SELECT count (*) FROM outbox WHERE id = $1::bigint", 1, SP_DB_PARAMS (id_text), error);
      if (state == NULL)
        return FALSE;
      *claim = sp_db_get_int64 (state, 0, 0) > 0 ? SP_OUTBOX_BUSY : SP_OUTBOX_DONE;
      return TRUE;
    }
  if (!sp_db_get_bool (result, 0, 7))
    {
      *claim = SP_OUTBOX_DONE;
      return TRUE;
    }

  claimed = g_new0 (SpOutboxRow, 1);
  claimed->id = sp_db_get_int64 (result, 0, 0);
  claimed->pratica_id = g_strdup (sp_db_get (result, 0, 1));
  claimed->status = (SpStatus) sp_db_get_int64 (result, 0, 2);
  claimed->recipient = g_strdup (sp_db_get (result, 0, 3));
  claimed->message_id = g_strdup (sp_db_get (result, 0, 4));
  claimed->context = g_strdup (sp_db_get (result, 0, 5));
  claimed->created_at = g_date_time_new_from_iso8601 (sp_db_get (result, 0, 6), NULL);
  *claim = SP_OUTBOX_CLAIMED;
  *row = claimed;
  return TRUE;
}

/* A text[] literal of @strings (document kinds: [a-z], quoted all the same). */
static char *
text_array (const char * const *strings)
{
  GString *text = g_string_new ("{");

  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    {
      g_autofree char *escaped = g_strescape (strings[i], NULL);

      g_string_append_printf (text, "%s\"%s\"", i > 0 ? "," : "", escaped);
    }
  g_string_append_c (text, '}');
  return g_string_free (text, FALSE);
}

/**
 * sp_db_outbox_documents:
 * @kinds: the kinds of document wanted (sp_mail_attachment_kinds())
 *
 * Returns: (transfer full) (element-type SpOutboxDocument): the pratica's
 *   current documents of those kinds (not replaced by a newer upload),
 *   oldest first, or %NULL with @error
 */
GPtrArray *
sp_db_outbox_documents (PGconn              *conn,
                        const char          *pratica_id,
                        const char * const  *kinds,
                        GError             **error)
{
  g_autofree char *array = NULL;
  g_autoptr(PGresult) result = NULL;
  GPtrArray *documents = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_outbox_document_free);

  /* Most e-mails attach nothing: no statement for them. */
  if (kinds == NULL || kinds[0] == NULL)
    return documents;
  array = text_array (kinds);
  result = sp_db_exec (conn,
                       "SELECT id, kind, filename, mime_type, size, sha256 FROM document_current"
                       " WHERE pratica_id = $1::uuid AND kind = ANY ($2::text[])"
                       " ORDER BY created_at, id",
                       2, SP_DB_PARAMS (pratica_id, array), error);
  if (result == NULL)
    {
      g_ptr_array_unref (documents);
      return NULL;
    }
  for (int i = 0; i < PQntuples (result); i++)
    {
      SpOutboxDocument *document = g_new0 (SpOutboxDocument, 1);

      document->id = g_strdup (sp_db_get (result, i, 0));
      document->kind = g_strdup (sp_db_get (result, i, 1));
      document->filename = g_strdup (sp_db_get (result, i, 2));
      document->mime_type = g_strdup (sp_db_get (result, i, 3));
      document->size = sp_db_get_int64 (result, i, 4);
      document->sha256 = g_strdup (sp_db_get (result, i, 5));
      g_ptr_array_add (documents, document);
    }
  return documents;
}

/**
 * sp_db_outbox_mark_sent:
 * @attachments: JSON array text: what was attached
 *
 * In the claiming transaction, right after the SMTP server accepted the
 * message.
 */
gboolean
sp_db_outbox_mark_sent (PGconn      *conn,
                        gint64       id,
                        const char  *attachments,
                        GError     **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  return sp_db_command (conn,
                        "UPDATE outbox SET sent_at = now (), attachments = $2::jsonb, last_error = NULL"
                        " WHERE id = $1::bigint",
                        2, SP_DB_PARAMS (id_text, attachments), error);
}

/**
 * sp_db_outbox_mark_failed:
 * @reason: what the SMTP server said
 *
 * Sets the e-mail aside for good: the server refused it for a reason that
 * trying again cannot change (an unknown recipient).
 */
gboolean
sp_db_outbox_mark_failed (PGconn      *conn,
                          gint64       id,
                          const char  *reason,
                          GError     **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  return sp_db_command (conn, "UPDATE outbox SET failed_at = now (), last_error = $2 WHERE id = $1::bigint",
                        2, SP_DB_PARAMS (id_text, reason), error);
}

/**
 * sp_db_outbox_sweep:
 * @n_queued: (out) (optional): jobs queued now
 *
 * Queues the job of every unsent e-mail that has none (queued before
 * e-mails were jobs): none waits for ever. Oldest first, @limit at a time.
 */
gboolean
sp_db_outbox_sweep (PGconn  *conn,
                    guint    limit,
                    guint   *n_queued,
                    GError **error)
{
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       QUEUE_SQL
                       "WHERE o.sent_at IS NULL AND o.failed_at IS NULL"
                       "  AND NOT EXISTS (SELECT 1 FROM job j WHERE j.kind = '" SP_DB_OUTBOX_JOB "'"
                       "                  AND j.dedupe_key = 'outbox ' || o.id)"
                       " ORDER BY o.created_at LIMIT $1::integer"
                       " ON CONFLICT (kind, dedupe_key) DO NOTHING",
                       1, SP_DB_PARAMS (limit_text), error);
  if (result == NULL)
    return FALSE;
  if (n_queued != NULL)
    *n_queued = (guint) g_ascii_strtoull (PQcmdTuples (result), NULL, 10);
  return TRUE;
}
