#pragma once

/* Database work of Elabora (DESIGN.md §7) for the assigned operator: the
 * response file and other uploads, saving the work, concluding. */

#include <json-glib/json-glib.h>

#include "sp-crypto.h"
#include "sp-db.h"
#include "sp-pratica-detail.h"
#include "sp-principal.h"
#include "sp-risposta.h"

G_BEGIN_DECLS

/**
 * SpElaboraResult:
 * @field_errors: (nullable): the `errors` of a 422: what in the request is
 *   wrong or missing, worded in the ente's language; %NULL when done
 * @signed_response_required: (admission of an upload) the file must be a
 *   verified `.p7m`
 * @locale: the ente's language, for messages people read
 * @document: (nullable): the stored document (uploads)
 * @risposta: (nullable): what the response PDF is drawn from (preparing a conclusion)
 */
typedef struct
{
  JsonNode        *field_errors;
  gboolean         signed_response_required;
  char            *locale;
  SpDocumentInfo  *document;
  SpRisposta      *risposta;
} SpElaboraResult;

/**
 * SpUploadedFile:
 *
 * A file spooled to disk by the upload, with what was checked of it.
 */
typedef struct
{
  char    *path;
  char    *filename;
  char    *mime_type;
  guint64  size;
  char    *sha256;
  char    *signer;     /* nullable: the verified signer of a .p7m */
  char    *signature_error;  /* nullable: why it has no verified signer, for the log */
  SpCmsRefusal signature_refusal;  /* the same, for the operator */
} SpUploadedFile;

void         sp_elabora_result_free     (SpElaboraResult  *result);
void         sp_uploaded_file_free      (SpUploadedFile   *file);

void         sp_db_upload_admit_async   (SpDb                *db,
                                         SpPrincipal         *principal,
                                         const char          *pratica_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
SpElaboraResult *sp_db_upload_admit_finish (SpDb             *db,
                                         GAsyncResult        *result,
                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_db_upload_store_async   (SpDb                *db,
                                         SpPrincipal         *principal,
                                         const char          *pratica_id,
                                         SpUploadedFile      *file,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
SpElaboraResult *sp_db_upload_store_finish (SpDb             *db,
                                         GAsyncResult        *result,
                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_db_processing_save_async (SpDb               *db,
                                         SpPrincipal         *principal,
                                         const char          *pratica_id,
                                         JsonObject          *body,
                                         const char          *steps,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
SpElaboraResult *sp_db_processing_save_finish (SpDb          *db,
                                         GAsyncResult        *result,
                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_db_conclude_prepare_async (SpDb              *db,
                                         SpPrincipal         *principal,
                                         const char          *pratica_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
SpElaboraResult *sp_db_conclude_prepare_finish (SpDb         *db,
                                         GAsyncResult        *result,
                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_db_conclude_async       (SpDb                *db,
                                         SpPrincipal         *principal,
                                         const char          *pratica_id,
                                         SpRisposta          *risposta,
                                         GBytes              *pdf,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
SpElaboraResult *sp_db_conclude_finish  (SpDb                *db,
                                         GAsyncResult        *result,
                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpElaboraResult, sp_elabora_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpUploadedFile, sp_uploaded_file_free)

G_END_DECLS
