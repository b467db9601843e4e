/* sp-handlers-audit.c: the audit API (DESIGN.md §7): search, a pratica's versions, the comparison of two, the check of its hash chain, the log of reads */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

#include <string.h>

#include "sp-compare-pdf.h"
#include "sp-db-audit.h"
#include "sp-db-dashboard.h"
#include "sp-db-pratica.h"
#include "sp-document-stream.h"
#include "sp-handlers.h"
#include "sp-json.h"
#include "sp-locale.h"
#include "sp-person.h"
#include "sp-server.h"
#include "sp-version-compare.h"

/* GET /api/v1.0/audit/pratiche?q=…: the pratiche of the ente whose number,
 * applicant, codice fiscale, protocol number or service begin with the
 * terms (the dashboard's one rule), or the one of a UUID. */

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpAuditRead) read = sp_db_audit_read_finish (request->server->db, result, &error);
  g_autoptr(SpDashboardPage) page = g_new0 (SpDashboardPage, 1);

  if (read == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  page->items = g_ptr_array_new_with_free_func (g_object_unref);
  if (read->summary != NULL)
    g_ptr_array_add (page->items, g_object_ref (read->summary));
  sp_handle_reply_page (request, page);
}

typedef struct
{
  SpRequest        *request;
  SpDashboardQuery *query;
} Search;

static void
search_logged_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Search *search = user_data;
  SpRequest *request = search->request;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpDashboardQuery) query = search->query;

  g_free (search);
  if (!sp_db_audit_log_search_finish (request->server->db, result, &error))
    {
      sp_request_reply_failure (request, error);
      return;
    }
  sp_db_dashboard_async (request->server->db, request->principal, g_steal_pointer (&query), request->cancellable,
                         sp_handle_dashboard_cb, request);
}

void
sp_handle_audit_search (SpRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpDashboardQuery) query = g_new0 (SpDashboardQuery, 1);
  Search *search;

  if (sp_request_get_query (request, "bucket") != NULL || !sp_handle_dashboard_parse (request, query, &error))
    {
      if (error == NULL)
        g_set_error_literal (&error, SP_ERROR, SP_ERROR_INVALID_INPUT, "The audit searches every pratica: no bucket");
      sp_request_reply_error (request, error);
      return;
    }
  if (query->search == NULL)
    {
      g_autoptr(JsonArray) errors = json_array_new ();

      sp_problem_add_field_error (errors, "q", "Say what to search for: a number, a name, a codice fiscale or a UUID");
      sp_request_reply_field_errors (request, errors);
      return;
    }
  if (sp_pratica_id_is_valid (query->search))
    {
      sp_db_audit_find_async (request->server->db, request->principal, query->search, request->cancellable,
                              found_cb, request);
      return;
    }

  query->bucket = SP_BUCKET_TUTTE;
  if (sp_request_get_query (request, "sort") == NULL)
    {
      query->sort = SP_SORT_NUMERO;
      query->descending = TRUE;
    }
  search = g_new0 (Search, 1);
  search->request = request;
  search->query = g_steal_pointer (&query);
  sp_db_audit_log_search_async (request->server->db, request->principal, search->query->search,
                                request->cancellable, search_logged_cb, search);
}

/* GET /api/v1.0/audit/pratiche/{pratica}/versions */

static void
versions_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpAuditRead) read = sp_db_audit_read_finish (request->server->db, result, &error);
  g_autoptr(JsonBuilder) builder = NULL;

  if (read == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pratica");
  sp_pratica_summary_to_json (read->summary, builder);
  json_builder_set_member_name (builder, "versions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < read->versions->len; i++)
    sp_audit_version_to_json (g_ptr_array_index (read->versions, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  sp_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

void
sp_handle_audit_versions (SpRequest *request)
{
  const char *pratica = sp_handle_pratica_param (request);

  if (pratica != NULL)
    sp_db_audit_versions_async (request->server->db, request->principal, pratica, request->cancellable,
                                versions_cb, request);
}

/* GET /api/v1.0/audit/pratiche/{pratica}/compare?from=N&to=M */

static void
add_side (JsonBuilder    *builder,
          const char     *name,
          SpAuditVersion *version)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, version->number);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, version->user);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, version->role);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, version->at);
  json_builder_set_member_name (builder, "operation");
  json_builder_add_string_value (builder, version->operation);
  json_builder_end_object (builder);
}

/* The JSON text of `{from, to}`, without the closing brace. */
static GString *
sides_json (SpAuditVersion *from,
            SpAuditVersion *to)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  GString *out;

  json_builder_begin_object (builder);
  add_side (builder, "from", from);
  add_side (builder, "to", to);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = sp_json_to_string (root, NULL);
  out = g_string_new (text);
  g_string_truncate (out, out->len - 1);   /* the '}' */
  return out;
}

/* A comparison being answered: the read, with the two snapshots, in the
 * transaction that checks the scope and logs it. */
typedef struct
{
  SpRequest   *request;
  SpAuditRead *read;
  gboolean     pdf;            /* asked with Accept: application/pdf */
  char        *filename;       /* of the PDF */
} Comparison;

static void
comparison_free (Comparison *comparison)
{
  sp_audit_read_free (comparison->read);
  g_free (comparison->filename);
  g_free (comparison);
}

static SpComparePdfSide
pdf_side (SpAuditVersion *version,
          GDateTime      *at)
{
  return (SpComparePdfSide) { version->number, version->operation, version->user, version->role, at };
}

/* The comparison drawn as a PDF, for the auditor who asked. */
static GBytes *
compare_pdf (Comparison  *comparison,
             GPtrArray   *fields,
             GError     **error)
{
  SpAuditRead *read = comparison->read;
  SpAuditVersion *from = g_ptr_array_index (read->versions, 0);
  SpAuditVersion *to = g_ptr_array_index (read->versions, 1);
  SpPraticaSummaryData *data = sp_pratica_summary_get_data (read->summary);
  g_autofree char *applicant = sp_person_format_name (data->applicant_cognome, data->applicant_nome);
  g_autoptr(GDateTime) from_at = g_date_time_new_from_iso8601 (from->at, NULL);
  g_autoptr(GDateTime) to_at = g_date_time_new_from_iso8601 (to->at, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const SpPrincipal *auditor = comparison->request->principal;
  SpComparePdf pdf = {
    .locale = read->locale, .numero = data->numero, .applicant = applicant, .servizio = data->servizio_name,
    .auditor = sp_principal_get_full_name (auditor) != NULL ? sp_principal_get_full_name (auditor)
                                                             : sp_principal_get_name (auditor),
    .from = pdf_side (from, from_at != NULL ? from_at : now), .to = pdf_side (to, to_at != NULL ? to_at : now),
    .fields = fields, .created_at = now,
  };

  comparison->filename = sp_compare_pdf_filename (&pdf);
  return sp_compare_pdf_render (&pdf, error);
}

/* SpWorkFunc: the comparison and its JSON document (or its PDF), on a CPU
 * worker: the two snapshots' texts walked together, ten thousand fields
 * written straight to the response's text as they are found. */
static gpointer
compare_work (gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Comparison *comparison = data;
  SpAuditRead *read = comparison->read;
  SpAuditVersion *from = g_ptr_array_index (read->versions, 0);
  SpAuditVersion *to = g_ptr_array_index (read->versions, 1);
  JsonArray *schema = read->field_schema != NULL && JSON_NODE_HOLDS_ARRAY (read->field_schema)
                      ? json_node_get_array (read->field_schema) : NULL;
  GBytes *old_bytes = read->snapshots[0];
  GBytes *new_bytes = read->snapshots[1];
  /* (Never empty: "" would be refused, not taken for no snapshot.) */
  const char *old_text = g_bytes_get_size (old_bytes) > 0 ? g_bytes_get_data (old_bytes, NULL) : "";
  const char *new_text = g_bytes_get_size (new_bytes) > 0 ? g_bytes_get_data (new_bytes, NULL) : "";
  gsize old_len = g_bytes_get_size (old_bytes);
  gsize new_len = g_bytes_get_size (new_bytes);
  g_autoptr(GString) out = NULL;
  SpLocaleScope scope;
  gboolean compared;

  if (comparison->pdf)
    {
      g_autoptr(GPtrArray) fields = NULL;

      sp_locale_push (&scope, read->locale);
      fields = sp_version_compare (old_text, old_len, new_text, new_len, schema, error);
      sp_locale_pop (&scope);
      return fields != NULL ? compare_pdf (comparison, fields, error) : NULL;
    }

  out = sides_json (from, to);
  g_string_append (out, ", \"fields\": ");
  sp_locale_push (&scope, read->locale);
  compared = sp_version_compare_append_json (old_text, old_len, new_text, new_len, schema, out, error);
  sp_locale_pop (&scope);
  if (!compared)
    return NULL;
  g_string_append_c (out, '}');
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static void
compared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Comparison *comparison = user_data;
  SpRequest *request = comparison->request;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) document = sp_workers_run_finish (request->server->workers, result, &error);

  if (document == NULL)
    sp_request_reply_failure (request, error);
  else if (comparison->pdf)
    {
      g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, document);

      sp_document_set_headers (request, comparison->filename, sha256);
      sp_request_reply_bytes (request, SOUP_STATUS_OK, "application/pdf", document);
    }
  else
    sp_request_reply_bytes (request, SOUP_STATUS_OK, "application/json", document);
  comparison_free (comparison);
}

static void
compare_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Comparison *comparison = user_data;
  SpRequest *request = comparison->request;
  g_autoptr(GError) error = NULL;

  comparison->read = sp_db_audit_read_finish (request->server->db, result, &error);
  if (comparison->read == NULL)
    {
      sp_request_reply_failure (request, error);
      comparison_free (comparison);
      return;
    }
  /* The connection is back in the pool: compare on a CPU worker. */
  sp_workers_run_async (request->server->workers, compare_work, comparison, NULL, (GDestroyNotify) g_bytes_unref,
                        request->cancellable, compared_cb, comparison);
}

/* Whether the client asked for the PDF: `Accept: application/pdf`, and
 * not JSON before it. */
static gboolean
wants_pdf (SpRequest *request)
{
  const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (request->msg),
                                                      "Accept");
  const char *pdf = accept != NULL ? strstr (accept, "application/pdf") : NULL;
  const char *json = accept != NULL ? strstr (accept, "application/json") : NULL;

  return pdf != NULL && (json == NULL || json > pdf);
}

/* A version number of the query, or 0 having added its field error. */
static int
version_param (SpRequest  *request,
               const char *name,
               JsonArray  *errors)
{
  const char *text = sp_request_get_query (request, name);
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT32, &value, NULL))
    {
      g_autofree char *message = g_strdup_printf ("“%s” must be a version number (1, 2, …)", name);

      sp_problem_add_field_error (errors, name, message);
      return 0;
    }
  return (int) value;
}

void
sp_handle_audit_compare (SpRequest *request)
{
  const char *pratica = sp_handle_pratica_param (request);
  g_autoptr(JsonArray) errors = json_array_new ();
  Comparison *comparison;
  int from;
  int to;

  if (pratica == NULL)
    return;
  from = version_param (request, "from", errors);
  to = version_param (request, "to", errors);
  if (json_array_get_length (errors) > 0)
    {
      sp_request_reply_field_errors (request, errors);
      return;
    }
  comparison = g_new0 (Comparison, 1);
  comparison->request = request;
  comparison->pdf = wants_pdf (request);
  sp_db_audit_compare_async (request->server->db, request->principal, pratica, from, to,
                             comparison->pdf ? "pdf" : NULL, request->cancellable, compare_read_cb, comparison);
}

/* GET /api/v1.0/audit/pratiche/{pratica}/reads: who read the pratica's
 * versions, and when (this read included). */

static void
reads_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpAuditRead) read = sp_db_audit_read_finish (request->server->db, result, &error);
  g_autoptr(JsonBuilder) builder = NULL;

  if (read == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reads");
  json_builder_add_value (builder, g_steal_pointer (&read->reads));
  json_builder_end_object (builder);
  sp_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

void
sp_handle_audit_reads (SpRequest *request)
{
  const char *pratica = sp_handle_pratica_param (request);

  if (pratica != NULL)
    sp_db_audit_reads_async (request->server->db, request->principal, pratica, request->cancellable,
                             reads_cb, request);
}

/* GET /api/v1.0/audit/pratiche/{pratica}/chain: every link of the
 * pratica's hash chain checked, and the first broken one. */

static void
chain_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpAuditRead) read = sp_db_audit_read_finish (request->server->db, result, &error);
  g_autoptr(JsonBuilder) builder = NULL;
  SpChainReport *chain;

  if (read == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  chain = read->chain;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "versions");
  json_builder_add_int_value (builder, (gint64) chain->n_versions);
  json_builder_set_member_name (builder, "intact");
  json_builder_add_boolean_value (builder, chain->pratica_id == NULL);
  json_builder_set_member_name (builder, "broken");
  if (chain->pratica_id == NULL)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, chain->number);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, sp_chain_break_get_name (chain->kind));
      json_builder_set_member_name (builder, "problem");
      json_builder_add_string_value (builder, chain->problem);
      json_builder_set_member_name (builder, "stored_hash");
      json_builder_add_string_value (builder, chain->stored_hash);
      json_builder_set_member_name (builder, "expected_hash");
      json_builder_add_string_value (builder, chain->expected_hash);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  sp_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

void
sp_handle_audit_chain (SpRequest *request)
{
  const char *pratica = sp_handle_pratica_param (request);

  if (pratica != NULL)
    sp_db_audit_chain_async (request->server->db, request->principal, pratica, request->cancellable,
                             chain_cb, request);
}
