/* sp-db-documents.c: SQL for documents as large objects: admitting and storing an upload in chunks */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "sp-db-elabora-private.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"

/* What one statement writes of a file into its large object. */
#define STORE_CHUNK (1024 * 1024)

/* May the caller upload to this pratica now (an SpDbFunc)? Asked once the
 * headers are in, before any of the body is read. */
static gpointer
upload_admit (PGconn   *conn,
              gpointer  data,
              GError  **error)
{
  SpElaboraCall *call = data;
  g_autoptr(SpElaboraPratica) pratica = sp_db_elabora_gate (conn, call->request, FALSE, error);
  SpElaboraResult *outcome;

  if (pratica == NULL)
    return NULL;
  outcome = g_new0 (SpElaboraResult, 1);
  outcome->signed_response_required = pratica->signed_response_required;
  outcome->locale = g_strdup (pratica->locale);
  return outcome;
}

/**
 * sp_db_upload_admit_async:
 *
 * Whether @principal may upload a file to the pratica now: the checks of
 * Elabora (the operator in charge, a status that can be processed), made
 * before the body is read. The result says whether the file must be a
 * verified `.p7m`.
 */
void
sp_db_upload_admit_async (SpDb                *db,
                          SpPrincipal         *principal,
                          const char          *pratica_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  sp_db_elabora_run (db, SP_DB_ONCE, sp_db_upload_admit_async, upload_admit, principal, pratica_id,
                     g_new0 (SpElaboraCall, 1), cancellable, callback, user_data);
}

/* Returns: (transfer full): the #SpElaboraResult */
SpElaboraResult *
sp_db_upload_admit_finish (SpDb          *db,
                           GAsyncResult  *result,
                           GError       **error)
{
  return sp_db_task_finish (result, sp_db_upload_admit_async, error);
}

/* Copies the file into a new large object, a chunk a statement: neither
 * this process nor PostgreSQL holds it whole. */
static char *
write_large_object (PGconn      *conn,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(PGresult) created = sp_db_exec (conn, "SELECT lo_create (0)", 0, NULL, error);
  g_autofree char *buffer = NULL;
  g_autofree char *oid = NULL;
  gint64 offset = 0;
  int fd;

  if (created == NULL)
    return NULL;
  oid = g_strdup (sp_db_get (created, 0, 0));
  if ((fd = g_open (path, O_RDONLY | O_CLOEXEC, 0)) < 0)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "Cannot read the upload %s: %s", path, g_strerror (errno));
      return NULL;
    }
  buffer = g_malloc (STORE_CHUNK);
  for (;;)
    {
      gssize n = read (fd, buffer, STORE_CHUNK);
      g_autofree char *offset_text = NULL;
      g_autoptr(PGresult) put = NULL;
      const char *params[3];
      int lengths[3] = { 0, 0, 0 };
      int formats[3] = { 0, 0, 1 };

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "Cannot read the upload %s: %s", path, g_strerror (errno));
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;
      offset_text = g_strdup_printf ("%" G_GINT64_FORMAT, offset);
      params[0] = oid;
      params[1] = offset_text;
      params[2] = buffer;
      lengths[2] = (int) n;
      if (!(put = sp_db_exec_binary (conn, "SELECT lo_put ($1::oid, $2::bigint, $3::bytea)", 3, params, lengths,
                                     formats, error)))
        {
          close (fd);
          return NULL;
        }
      offset += n;
    }
  close (fd);
  return g_steal_pointer (&oid);
}

static SpDocumentInfo *
document_from_row (PGresult *result)
{
  SpDocumentInfo *info = g_new0 (SpDocumentInfo, 1);

  info->id = g_strdup (sp_db_get (result, 0, 0));
  info->kind = g_strdup (sp_db_get (result, 0, 1));
  info->filename = g_strdup (sp_db_get (result, 0, 2));
  info->mime_type = g_strdup (sp_db_get (result, 0, 3));
  info->size = sp_db_get_int64 (result, 0, 4);
  info->sha256 = g_strdup (sp_db_get (result, 0, 5));
  info->signer = g_strdup (sp_db_get (result, 0, 6));
  info->created_at = g_date_time_new_from_iso8601 (sp_db_get (result, 0, 7), NULL);
  return info;
}

/* What the operator reads when a service that wants a signed response gets
 * a file whose signature cannot be verified (marked with N_()): never
 * OpenSSL's own words, which go to the log. */
static const char *
refusal_message (SpCmsRefusal refusal)
{
  switch (refusal)
    {
    case SP_CMS_NOT_P7M:
      return N_("This service needs a response file signed digitally: choose a .p7m file.");
    case SP_CMS_NOT_CMS:
    case SP_CMS_NOT_SIGNED:
      return N_("The file is not a valid digitally signed document (.p7m): it holds no readable CMS signature.");
    case SP_CMS_DETACHED:
      return N_("The .p7m file holds the signature but not the signed document (detached signature): "
                "sign the file with the document inside.");
    case SP_CMS_BAD_SIGNATURE:
      return N_("The digital signature of the file is not valid.");
    case SP_CMS_TAMPERED:
      return N_("The document was changed after it was signed: the signature no longer matches its content.");
    case SP_CMS_UNTRUSTED:
      return N_("The signer's certificate was not issued by a recognised certification authority, "
                "or is not valid at this time.");
    case SP_CMS_NO_SIGNER_NAME:
      return N_("The signer's certificate does not state the signer's name.");
    case SP_CMS_VERIFIED:
    default:
      return N_("This service needs a response file signed digitally (.p7m) with a signature that can be verified");
    }
}

/* A new response file replaces the one before (0010_document_superseded.sql):
 * that stays, superseded, for the audit; the saved work that chose it now
 * names the new one, and counts as saved again, so that a conclusion drawn
 * from the old choice is refused. */
static gboolean
replace_response (PGconn      *conn,
                  const char  *pratica_id,
                  const char  *document_id,
                  GError     **error)
{
  g_autoptr(PGresult) replaced = NULL;
  g_autoptr(PGresult) moved = NULL;

  if (!(replaced = sp_db_exec (conn, "SELECT document_supersede ($1::uuid)", 1, SP_DB_PARAMS (document_id), error)))
    return FALSE;
  if (sp_db_get_int64 (replaced, 0, 0) == 0)
    return TRUE;
  moved = sp_db_exec (conn,
                      "UPDATE pratica_processing w SET risposta_id = $2::uuid, revision = w.revision + 1"
                      " FROM document d"
                      " WHERE w.pratica_id = $1::uuid AND d.id = w.risposta_id AND d.superseded_by = $2::uuid",
                      2, SP_DB_PARAMS (pratica_id, document_id), error);
  return moved != NULL;
}

/* Stores the upload as an `allegato` of the pratica (an SpDbFunc), after the
 * checks of Elabora again, under the pratica's lock. */
static gpointer
upload_store (PGconn   *conn,
              gpointer  data,
              GError  **error)
{
  SpElaboraCall *call = data;
  SpUploadedFile *file = call->file;
  g_autoptr(SpElaboraResult) outcome = g_new0 (SpElaboraResult, 1);
  g_autoptr(SpElaboraPratica) pratica = NULL;
  g_autoptr(PGresult) inserted = NULL;
  g_autofree char *oid = NULL;
  g_autofree char *size = g_strdup_printf ("%" G_GUINT64_FORMAT, file->size);

  if (!sp_db_begin (conn, error))
    return NULL;
  if (!(pratica = sp_db_elabora_gate (conn, call->request, TRUE, error)))
    goto failed;
  outcome->locale = g_strdup (pratica->locale);
  if (pratica->signed_response_required && file->signer == NULL)
    {
      g_autofree char *text = sp_db_elabora_message (pratica->locale, refusal_message (file->signature_refusal));
      JsonArray *field_errors = json_array_new ();

      g_message ("Refused an unsigned response for pratica %s (%s): %s", call->request->pratica_id, file->filename,
                 file->signature_error != NULL ? file->signature_error : "no signature");
      sp_field_errors_add (field_errors, "file", text);
      outcome->field_errors = json_node_init_array (json_node_alloc (), field_errors);
      json_array_unref (field_errors);
      sp_db_rollback (conn);
      return g_steal_pointer (&outcome);
    }

  if (!(oid = write_large_object (conn, file->path, error))
      || !(inserted = sp_db_exec (conn,
                                  "INSERT INTO document (pratica_id, kind, filename, mime_type, size, sha256,"
                                  "                      content_oid, signer)"
                                  " VALUES ($1::uuid, 'allegato', $2, $3, $4::bigint, $5, $6::oid, $7)"
                                  " RETURNING id, kind, filename, mime_type, size, sha256, signer,"
                                  "           to_json (created_at) #>> '{}'",
                                  7, SP_DB_PARAMS (call->request->pratica_id, file->filename, file->mime_type, size,
                                                   file->sha256, oid, file->signer), error))
      || !replace_response (conn, call->request->pratica_id, sp_db_get (inserted, 0, 0), error)
      || !sp_db_commit (conn, error))
    goto failed;

  outcome->document = document_from_row (inserted);
  return g_steal_pointer (&outcome);

failed:
  sp_db_rollback (conn);
  return NULL;
}

/**
 * sp_db_upload_store_async:
 * @file: (transfer full): the upload, on disk
 *
 * Stores @file as a document (`allegato`) of the pratica, its content as a
 * large object written a chunk at a time.
 */
void
sp_db_upload_store_async (SpDb                *db,
                          SpPrincipal         *principal,
                          const char          *pratica_id,
                          SpUploadedFile      *file,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  SpElaboraCall *call = g_new0 (SpElaboraCall, 1);

  call->file = file;
  sp_db_elabora_run (db, SP_DB_ONCE, sp_db_upload_store_async, upload_store, principal, pratica_id, call,
                     cancellable, callback, user_data);
}

/* Returns: (transfer full): the #SpElaboraResult, with its document */
SpElaboraResult *
sp_db_upload_store_finish (SpDb          *db,
                           GAsyncResult  *result,
                           GError       **error)
{
  return sp_db_task_finish (result, sp_db_upload_store_async, error);
}
