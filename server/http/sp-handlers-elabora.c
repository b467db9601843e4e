/* sp-handlers-elabora.c: Elabora's routes: uploading a document, saving the work, concluding with the response PDF */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-crypto.h"
#include "sp-db-elabora.h"
#include "sp-db-pratica.h"
#include "sp-handlers.h"
#include "sp-locale.h"
#include "sp-server.h"

#define MAX_MIME_TYPE 127

/* A 422 with `errors`, its detail in the ente's language: the problem
 * itself when there is one, or how many there are. */
static void
reply_field_errors (SpRequest       *request,
                    SpElaboraResult *outcome)
{
  JsonArray *errors = json_node_get_array (outcome->field_errors);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) problem = NULL;
  SpLocaleScope scope;

  sp_locale_push (&scope, outcome->locale != NULL ? outcome->locale : "it_IT");
  if (json_array_get_length (errors) == 1)
    error = g_error_new_literal (SP_ERROR, SP_ERROR_VALIDATION,
                                 json_object_get_string_member (json_array_get_object_element (errors, 0), "message"));
  else
    error = g_error_new_literal (SP_ERROR, SP_ERROR_VALIDATION, sp_error_get_title (SP_ERROR_VALIDATION));
  sp_locale_pop (&scope);
  problem = sp_problem_new (error, outcome->field_errors);
  sp_request_reply_problem_node (request, problem);
}

/* A 422 worded for people, in the ente's language; @message marked with N_(). */
static void
reply_invalid (SpRequest  *request,
               const char *locale,
               const char *field,
               const char *message,
               const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(JsonArray) errors = json_array_new ();
  g_autoptr(JsonNode) errors_node = NULL;
  g_autofree char *text = NULL;
  SpLocaleScope scope;

  sp_locale_push (&scope, locale != NULL ? locale : "it_IT");
  text = reason != NULL ? g_strdup_printf ("%s (%s)", g_dgettext (GETTEXT_PACKAGE, message), reason)
                        : g_strdup (g_dgettext (GETTEXT_PACKAGE, message));
  sp_locale_pop (&scope);
  sp_field_errors_add (errors, field, text);
  errors_node = json_node_init_array (json_node_alloc (), errors);
  error = g_error_new_literal (SP_ERROR, SP_ERROR_VALIDATION, text);
  problem = sp_problem_new (error, errors_node);
  sp_request_reply_problem_node (request, problem);
}

/* Uploads */

static void
admitted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpElaboraResult) outcome = sp_db_upload_admit_finish (request->server->db, result, &error);

  if (outcome == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  sp_request_accept_body (request);
}

/* POST …/documents, at its headers: the file needs a plain name, and its
 * caller the checks of Elabora, before any of it is read. */
void
sp_handle_upload_admit (SpRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  g_autofree char *filename = sp_upload_filename_from_headers (headers);
  const char *pratica = sp_handle_pratica_param (request);

  if (pratica == NULL)
    return;
  if (filename == NULL)
    {
      sp_request_reply_problem (request, SP_ERROR_INVALID_INPUT,
                                "Content-Disposition must name the file (attachment; filename=\"…\"), "
                                "without a path");
      return;
    }
  sp_db_upload_admit_async (request->server->db, request->principal, pratica, request->cancellable,
                            admitted_cb, request);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpElaboraResult) outcome = sp_db_upload_store_finish (request->server->db, result, &error);
  g_autoptr(JsonBuilder) builder = NULL;

  if (outcome == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  if (outcome->field_errors != NULL)
    {
      reply_field_errors (request, outcome);
      return;
    }
  builder = json_builder_new ();
  sp_document_info_to_json (outcome->document, builder);
  g_message ("%s uploaded %s (%" G_GINT64_FORMAT " bytes%s%s) to pratica %s",
             sp_principal_get_name (request->principal), outcome->document->id, outcome->document->size,
             outcome->document->signer != NULL ? ", signed by " : "",
             outcome->document->signer != NULL ? outcome->document->signer : "",
             sp_request_get_param (request, "pratica"));
  sp_request_reply_builder (request, SOUP_STATUS_CREATED, builder);
}

/* What the signature check of a .p7m needs, and what it found. */
typedef struct
{
  SpRequest      *request;
  SpUploadedFile *file;
  char           *ca_file;
} Verification;

static void
verification_free (Verification *verification)
{
  sp_uploaded_file_free (verification->file);
  g_free (verification->ca_file);
  g_free (verification);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Verification, verification_free)

static gpointer
verify_work (gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Verification *verification = data;

  return sp_crypto_cms_verify_file (verification->file->path, verification->ca_file,
                                    &verification->file->signature_refusal, error);
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Verification) verification = user_data;
  SpRequest *request = verification->request;
  g_autoptr(GError) error = NULL;

  verification->file->signer = sp_workers_run_finish (request->server->workers, result, &error);
  if (verification->file->signer == NULL && !g_error_matches (error, SP_ERROR, SP_ERROR_VALIDATION))
    {
      sp_request_reply_failure (request, error);
      return;
    }
  if (error != NULL)
    verification->file->signature_error = g_strdup (error->message);
  sp_db_upload_store_async (request->server->db, request->principal, sp_request_get_param (request, "pratica"),
                            g_steal_pointer (&verification->file), request->cancellable, stored_cb, request);
}

/* A media type as `type/subtype`, or a generic one. */
static char *
media_type (SpUpload *upload)
{
  const char *type = sp_upload_get_content_type (upload);
  const char *slash = strchr (type, '/');

  if (slash == NULL || slash == type || slash[1] == '\0' || strlen (type) > MAX_MIME_TYPE
      || strpbrk (type, " \t\r\n;,\"\\") != NULL)
    return g_strdup ("application/octet-stream");
  return g_ascii_strdown (type, -1);
}

/* POST /api/v1.0/operator/pratiche/{pratica}/documents: the raw file, its
 * type in Content-Type and its name in Content-Disposition; admitted at its
 * headers (sp_handle_upload_admit()), now on disk. A .p7m is verified on the
 * CPU workers first: a service that wants a signed response takes nothing
 * else. */
void
sp_handle_upload (SpRequest *request)
{
  SpUpload *upload = request->upload;
  g_autoptr(SpUploadedFile) file = g_new0 (SpUploadedFile, 1);
  Verification *verification;

  file->path = g_strdup (sp_upload_get_path (upload));
  file->filename = g_strdup (sp_upload_get_filename (upload));
  file->mime_type = media_type (upload);
  file->size = sp_upload_get_size (upload);
  file->sha256 = g_strdup (sp_upload_get_sha256 (upload));
  if (file->size == 0)
    {
      reply_invalid (request, NULL, "file", N_("The file is empty"), NULL);
      return;
    }

  verification = g_new0 (Verification, 1);
  verification->request = request;
  verification->file = g_steal_pointer (&file);
  verification->ca_file = g_strdup (request->server->config->signers_ca_file);
  if (!g_str_has_suffix (verification->file->filename, ".p7m")
      && !g_str_has_suffix (verification->file->filename, ".P7M"))
    {
      verification->file->signature_error = g_strdup ("not a .p7m file");
      verification->file->signature_refusal = SP_CMS_NOT_P7M;
      sp_db_upload_store_async (request->server->db, request->principal, sp_request_get_param (request, "pratica"),
                                g_steal_pointer (&verification->file), request->cancellable, stored_cb, request);
      verification_free (verification);
      return;
    }
  sp_workers_run_async (request->server->workers, verify_work, verification, NULL, g_free,
                        request->cancellable, verified_cb, verification);
}

/* Saving */

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpElaboraResult) outcome = sp_db_processing_save_finish (request->server->db, result, &error);

  if (outcome == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  if (outcome->field_errors != NULL)
    {
      reply_field_errors (request, outcome);
      return;
    }
  sp_db_pratica_detail_async (request->server->db, request->principal, sp_request_get_param (request, "pratica"),
                              request->cancellable, sp_handle_detail_cb, request);
}

/* PUT /api/v1.0/operator/pratiche/{pratica}/processing: the work so far
 * ("Salva"); 200 with the detail. */
void
sp_handle_processing_save (SpRequest *request)
{
  const char *pratica = sp_handle_pratica_param (request);
  const SpJsonTape *tape;
  g_autofree char *steps = NULL;
  const char *text;
  gsize length;

  if (pratica == NULL || !(tape = sp_request_body_tape (request)))
    return;
  /* The values as the operator's client wrote them: what is stored. */
  if ((text = sp_json_tape_member_text (tape, 0, "steps", &length)))
    steps = g_strndup (text, length);
  sp_db_processing_save_async (request->server->db, request->principal, pratica, request->body, steps,
                               request->cancellable, saved_cb, request);
}

/* Concluding: checked, drawn, stored. */

typedef struct
{
  SpRequest  *request;
  SpRisposta *risposta;
} Conclusion;

static void
conclusion_free (Conclusion *conclusion)
{
  sp_risposta_free (conclusion->risposta);
  g_free (conclusion);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conclusion, conclusion_free)

static void
concluded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpElaboraResult) outcome = sp_db_conclude_finish (request->server->db, result, &error);

  if (outcome == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  g_message ("%s concluded pratica %s", sp_principal_get_name (request->principal),
             sp_request_get_param (request, "pratica"));
  sp_db_pratica_detail_async (request->server->db, request->principal, sp_request_get_param (request, "pratica"),
                              request->cancellable, sp_handle_detail_cb, request);
}

static void
drawn_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Conclusion) conclusion = user_data;
  SpRequest *request = conclusion->request;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = sp_workers_run_finish (request->server->workers, result, &error);

  if (pdf == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  sp_db_conclude_async (request->server->db, request->principal, sp_request_get_param (request, "pratica"),
                        g_steal_pointer (&conclusion->risposta), pdf, request->cancellable, concluded_cb, request);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpElaboraResult) outcome = sp_db_conclude_prepare_finish (request->server->db, result, &error);
  Conclusion *conclusion;

  if (outcome == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  if (outcome->field_errors != NULL)
    {
      reply_field_errors (request, outcome);
      return;
    }

  /* The connection is back in the pool: draw on the CPU workers. */
  conclusion = g_new0 (Conclusion, 1);
  conclusion->request = request;
  conclusion->risposta = g_steal_pointer (&outcome->risposta);
  sp_workers_run_async (request->server->workers, sp_risposta_render_work, conclusion->risposta, NULL,
                        (GDestroyNotify) g_bytes_unref, request->cancellable, drawn_cb, conclusion);
}

/* POST /api/v1.0/operator/pratiche/{pratica}/conclude: concludes with the
 * work saved; 200 with the detail. */
void
sp_handle_conclude (SpRequest *request)
{
  const char *pratica = sp_handle_pratica_param (request);

  if (pratica != NULL)
    sp_db_conclude_prepare_async (request->server->db, request->principal, pratica, request->cancellable,
                                  prepared_cb, request);
}
