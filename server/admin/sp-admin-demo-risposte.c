/* sp-admin-demo-risposte.c: what every concluded demo pratica has: the operator's response file (signed where the service wants it) and the response PDF */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-admin-demo-private.h"
#include "sp-admin-modulo.h"
#include "sp-risposta.h"

/* The operator uploads the file a while before concluding. */
#define UPLOAD_BEFORE_CONCLUSION_S (20 * 60)

static SpAdminDocument *
document_new (const SpDemoPratica *pratica,
              const char          *kind,
              char                *filename,
              const char          *mime_type,
              GBytes              *content,
              gint64               created_at)
{
  SpAdminDocument *document = g_new0 (SpAdminDocument, 1);

  document->id = sp_admin_modulo_uuid (pratica->id, kind);
  document->pratica_id = g_strdup (pratica->id);
  document->kind = g_strdup (kind);
  document->filename = filename;
  document->mime_type = g_strdup (mime_type);
  document->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  document->content = g_bytes_ref (content);
  document->created_at = g_date_time_new_from_unix_utc (created_at);
  return document;
}

/* The signer's name on a certificate: the operator's, in capitals. */
static char *
signer_name (const SpAdminAccount *operator)
{
  return g_utf8_strup (operator->full_name, -1);
}

/* What the response of @pratica shows, as sp-db-conclude.c reads it when an
 * operator concludes: the state at @conclusion, the chosen file not yet
 * added. NULL for a pratica that was never concluded. */
static SpRisposta *
risposta_new (const SpDemoPratica *pratica,
              const SpDemoEvent  **conclusion)
{
  GArray *events = pratica->timeline->events;
  const SpDemoEvent *arrivo = NULL;
  const SpDemoEvent *concluded = NULL;
  SpRisposta *risposta;

  for (guint i = 0; i < events->len && concluded == NULL; i++)
    {
      const SpDemoEvent *event = &g_array_index (events, SpDemoEvent, i);

      if (event->kind == SP_DEMO_EVENT_PROTOCOL)
        arrivo = event;
      else if (event->kind == SP_DEMO_EVENT_CONCLUDE)
        concluded = event;
    }
  if (concluded == NULL || pratica->operator == NULL)
    return NULL;

  risposta = sp_risposta_new ();
  risposta->locale = g_strdup (pratica->ente->def->locale);
  risposta->ente_name = g_strdup (pratica->ente->def->name);
  risposta->place_name = g_strdup (pratica->ente->def->place_name);
  risposta->servizio_name = g_strdup (pratica->servizio->name);
  risposta->numero = g_strdup (pratica->numero);
  risposta->submitted_at = g_date_time_new_from_unix_utc (pratica->submitted);
  if (arrivo != NULL)
    {
      risposta->protocol_number = g_strdup (arrivo->protocol_number);
      risposta->protocol_date = g_date_time_new_from_unix_utc (arrivo->at);
    }
  risposta->applicant_nome = g_strdup (pratica->citizen->nome);
  risposta->applicant_cognome = g_strdup (pratica->citizen->cognome);
  risposta->applicant_email = g_strdup (pratica->citizen->email);
  risposta->accepted = pratica->timeline->accepted;
  risposta->motivazione = g_strdup (pratica->motivation);
  risposta->date = g_date_time_new_from_unix_utc (concluded->at);
  risposta->revision = 1;
  *conclusion = concluded;
  return risposta;
}

/* The two documents of one concluded pratica, appended to @documents. */
static gboolean
render_one (const SpDemoPratica  *pratica,
            SpCryptoSigner       *signer,
            GPtrArray            *documents,
            GError              **error)
{
  const SpDemoEvent *conclusion = NULL;
  g_autoptr(SpRisposta) risposta = risposta_new (pratica, &conclusion);
  g_autoptr(GBytes) provvedimento = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GDateTime) uploaded = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *signed_by = NULL;
  SpAdminDocument *file;
  gint64 uploaded_at;

  if (risposta == NULL)
    return TRUE;
  uploaded_at = conclusion->at - UPLOAD_BEFORE_CONCLUSION_S;
  uploaded = g_date_time_new_from_unix_utc (uploaded_at);
  filename = sp_risposta_provvedimento_filename (risposta);
  if (!(provvedimento = sp_risposta_render_provvedimento (risposta, error)))
    return FALSE;

  if (pratica->servizio->signed_response_required)
    {
      g_autoptr(GBytes) p7m = NULL;

      signed_by = signer_name (pratica->operator);
      if (!(p7m = sp_crypto_signer_sign (signer, signed_by, provvedimento, uploaded, error)))
        return FALSE;
      file = document_new (pratica, "allegato", g_strconcat (filename, ".p7m", NULL), "application/pkcs7-mime", p7m,
                           uploaded_at);
      file->signer = g_strdup (signed_by);
    }
  else
    file = document_new (pratica, "allegato", g_strdup (filename), "application/pdf", provvedimento, uploaded_at);
  sp_risposta_add_attachment (risposta, file->filename, file->signer);
  g_ptr_array_add (documents, file);

  if (!(response = sp_risposta_render (risposta, error)))
    return FALSE;
  g_ptr_array_add (documents, document_new (pratica, "risposta", sp_risposta_filename (risposta), "application/pdf",
                                            response, conclusion->at));
  return TRUE;
}

/* The saved work the conclusion was drawn from (pratica_processing), as
 * Salva leaves it: the outcome, the motivation and the chosen file. */
static void
add_processing (SpDemoBuild           *build,
                const SpDemoPratica   *pratica,
                const SpAdminDocument *file,
                const SpAdminDocument *response)
{
  JsonBuilder *b = build->processing;
  g_autoptr(GDateTime) saved_at = g_date_time_add_seconds (response->created_at, -60);
  g_autofree char *saved = g_date_time_format_iso8601 (saved_at);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pratica_id");
  json_builder_add_string_value (b, pratica->id);
  json_builder_set_member_name (b, "esito");
  json_builder_add_string_value (b, pratica->timeline->accepted ? "accepted" : "rejected");
  json_builder_set_member_name (b, "motivazione");
  json_builder_add_string_value (b, pratica->motivation);
  json_builder_set_member_name (b, "risposta_id");
  json_builder_add_string_value (b, file->id);
  json_builder_set_member_name (b, "saved_at");
  json_builder_add_string_value (b, saved);
  json_builder_set_member_name (b, "saved_by");
  json_builder_add_string_value (b, pratica->operator->username);
  json_builder_end_object (b);
}

/* One thread's share of the pratiche: every n-th from its first. */
typedef struct
{
  SpDemoBuild     *build;
  SpCryptoSigner  *signer;
  guint            first;
  guint            step;
  GPtrArray       *documents;
  GError          *error;
} Share;

static gpointer
render_share (gpointer data)
{
  Share *share = data;
  GPtrArray *pratiche = share->build->pratiche;

  for (guint i = share->first; i < pratiche->len && share->error == NULL; i += share->step)
    render_one (g_ptr_array_index (pratiche, i), share->signer, share->documents, &share->error);
  return NULL;
}

/**
 * sp_demo_risposte_render:
 * @signer: signs the response files of the services that want them signed
 *
 * Gives every concluded pratica what Concludi gives a real one: the
 * operator's response file (the *provvedimento*, a `.p7m` signed as the
 * operator where the service has `signed_response_required`) uploaded a
 * while before the conclusion, and the response PDF drawn by the server's
 * renderer (sp_risposta_render()) at the conclusion, naming that file and
 * its signer; and the saved work (`pratica_processing`) that chose the
 * file. On one thread per processor; the documents are added in the order
 * of the pratiche, with ids that derive from theirs.
 */
gboolean
sp_demo_risposte_render (SpDemoBuild     *build,
                         SpCryptoSigner  *signer,
                         GError         **error)
{
  guint n_threads = CLAMP (g_get_num_processors (), 1, 8);
  g_autofree Share *shares = g_new0 (Share, n_threads);
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  gboolean ok = TRUE;

  for (guint t = 0; t < n_threads; t++)
    {
      shares[t] = (Share) { build, signer, t, n_threads, g_ptr_array_new (), NULL };
      threads[t] = g_thread_new ("demo-risposte", render_share, &shares[t]);
    }
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);

  /* Back in the order of the pratiche: share t holds pratiche t, t + n, … */
  for (guint i = 0; i < build->pratiche->len; i++)
    {
      Share *share = &shares[i % n_threads];
      const SpDemoPratica *pratica = g_ptr_array_index (build->pratiche, i);

      /* Two documents each: the operator's file, then the response. */
      if (share->documents->len >= 2
          && g_str_equal (((SpAdminDocument *) g_ptr_array_index (share->documents, 0))->pratica_id, pratica->id))
        {
          SpAdminDocument *file = g_ptr_array_steal_index (share->documents, 0);
          SpAdminDocument *response = g_ptr_array_steal_index (share->documents, 0);

          add_processing (build, pratica, file, response);
          g_ptr_array_add (build->demo->documents, file);
          g_ptr_array_add (build->demo->documents, response);
        }
    }
  for (guint t = 0; t < n_threads; t++)
    {
      if (shares[t].error != NULL && ok)
        {
          g_propagate_error (error, g_steal_pointer (&shares[t].error));
          ok = FALSE;
        }
      g_clear_error (&shares[t].error);
      g_ptr_array_set_free_func (shares[t].documents, (GDestroyNotify) sp_admin_document_free);
      g_ptr_array_unref (shares[t].documents);
    }
  return ok;
}
