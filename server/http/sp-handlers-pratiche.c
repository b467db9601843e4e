/* sp-handlers-pratiche.c: the operators' dashboard, pratica detail, documents and take charge */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

#include "sp-db-dashboard.h"
#include "sp-db-pratica.h"
#include "sp-document-stream.h"
#include "sp-handlers.h"
#include "sp-json.h"
#include "sp-locale.h"
#include "sp-server.h"

#define DEFAULT_LIMIT 50
#define MAX_SEARCH 100

/* Lower case, trimmed, inner white space collapsed; NULL when nothing is left. */
static char *
normalize_search (const char *text)
{
  g_autofree char *lower = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  lower = g_utf8_strdown (text, -1);
  words = g_strsplit_set (lower, " \t\r\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (kept, words[i]);
  if (kept->len == 0)
    return NULL;
  g_ptr_array_add (kept, NULL);
  return g_strjoinv (" ", (char **) kept->pdata);
}

gboolean
sp_handle_dashboard_parse (SpRequest         *request,
                           SpDashboardQuery  *query,
                           GError           **error)
{
  const char *bucket = sp_request_get_query (request, "bucket");
  const char *sort = sp_request_get_query (request, "sort");
  const char *order = sp_request_get_query (request, "order");
  const char *limit = sp_request_get_query (request, "limit");
  const char *cursor = sp_request_get_query (request, "cursor");
  const char *search = sp_request_get_query (request, "q");
  guint64 value = DEFAULT_LIMIT;

  query->bucket = SP_BUCKET_DA_GESTIRE;
  query->sort = SP_SORT_SUBMITTED;
  if ((bucket != NULL && !sp_bucket_from_string (bucket, &query->bucket))
      || (sort != NULL && !sp_sort_key_from_string (sort, &query->sort)))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "Unknown bucket or sort key");
      return FALSE;
    }
  if (order != NULL && !g_str_equal (order, "asc") && !g_str_equal (order, "desc"))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "“order” must be asc or desc");
      return FALSE;
    }
  query->descending = g_strcmp0 (order, "desc") == 0;
  if (limit != NULL && !g_ascii_string_to_unsigned (limit, 10, 1, SP_DASHBOARD_MAX_LIMIT, &value, NULL))
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "“limit” must be between 1 and %d", SP_DASHBOARD_MAX_LIMIT);
      return FALSE;
    }
  query->limit = (guint) value;
  if (search != NULL && strlen (search) > MAX_SEARCH)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "The search is longer than %d bytes", MAX_SEARCH);
      return FALSE;
    }
  query->search = normalize_search (search);
  if (cursor != NULL
      && !(query->cursor = sp_cursor_decode (cursor, query->sort, query->descending, error)))
    return FALSE;
  /* The first page comes with the bucket counts. */
  query->with_counts = query->cursor == NULL;
  return TRUE;
}

/**
 * sp_handle_reply_page:
 *
 * Answers 200 with a page of pratiche: `{items, next_cursor, counts?}`.
 */
void
sp_handle_reply_page (SpRequest       *request,
                      SpDashboardPage *page)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < page->items->len; i++)
    sp_pratica_summary_to_json (g_ptr_array_index (page->items, i), builder);
  json_builder_end_array (builder);
  sp_json_builder_add_string_or_null (builder, "next_cursor", page->next_cursor);
  if (page->has_counts)
    {
      json_builder_set_member_name (builder, "counts");
      json_builder_begin_object (builder);
      for (guint i = 0; i < SP_N_BUCKETS; i++)
        {
          json_builder_set_member_name (builder, sp_bucket_to_string ((SpBucket) i));
          json_builder_add_int_value (builder, page->counts[i]);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  sp_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

/**
 * sp_handle_dashboard_cb:
 * @user_data: the #SpRequest
 *
 * Answers 200 with a page of pratiche (sp_db_dashboard_async()).
 */
void
sp_handle_dashboard_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpDashboardPage) page = sp_db_dashboard_finish (request->server->db, result, &error);

  if (page == NULL)
    sp_request_reply_failure (request, error);
  else
    sp_handle_reply_page (request, page);
}

void
sp_handle_dashboard (SpRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpDashboardQuery) query = g_new0 (SpDashboardQuery, 1);

  if (!sp_handle_dashboard_parse (request, query, &error))
    {
      sp_request_reply_error (request, error);
      return;
    }
  sp_db_dashboard_async (request->server->db, request->principal, g_steal_pointer (&query), request->cancellable,
                         sp_handle_dashboard_cb, request);
}

/**
 * sp_handle_pratica_param:
 *
 * Returns: the {pratica} of the path, or %NULL having answered 404
 */
const char *
sp_handle_pratica_param (SpRequest *request)
{
  const char *pratica = sp_request_get_param (request, "pratica");
  const char *document = sp_request_get_param (request, "document");

  /* Not a UUID: it cannot exist, and must not reach SQL as a cast error. */
  if (!sp_pratica_id_is_valid (pratica) || (document != NULL && !sp_pratica_id_is_valid (document)))
    {
      sp_request_reply_problem (request, SP_ERROR_NOT_FOUND, "No such pratica");
      return NULL;
    }
  return pratica;
}

/**
 * sp_handle_detail_cb:
 * @user_data: the #SpRequest
 *
 * Answers 200 with the pratica's detail (sp_db_pratica_detail_async()).
 */
void
sp_handle_detail_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpPraticaDetail) detail = sp_db_pratica_detail_finish (request->server->db, result, &error);
  g_autoptr(GBytes) body = NULL;
  char *text;
  gsize length;

  if (detail == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  /* As text: the numbers of the saved work go out as stored. */
  text = sp_pratica_detail_to_text (detail, &length);
  body = g_bytes_new_take (text, length);
  sp_request_reply_bytes (request, SOUP_STATUS_OK, "application/json", body);
}

/* GET /api/v1.0/operator/pratiche/{pratica} */
void
sp_handle_pratica_detail (SpRequest *request)
{
  const char *pratica = sp_handle_pratica_param (request);

  if (pratica != NULL)
    sp_db_pratica_detail_async (request->server->db, request->principal, pratica, request->cancellable,
                                sp_handle_detail_cb, request);
}

/* 409 naming the cause (`reason`), the pratica's number and status and who
 * has it (`assigned_to` {username, full_name}), its title and detail in the
 * ente's language. */
static void
reply_refused (SpRequest          *request,
               SpTakeChargeResult *outcome)
{
  SpError code = sp_take_charge_refusal_get_error (outcome->refusal);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *title = NULL;
  SpLocaleScope scope;
  JsonObject *object;
  JsonObject *pratica;

  sp_locale_push (&scope, outcome->locale);
  detail = sp_take_charge_refusal_describe (outcome->refusal, outcome->numero, outcome->status,
                                            outcome->assignee_name);
  title = g_strdup (sp_error_get_title (code));
  sp_locale_pop (&scope);

  error = g_error_new_literal (SP_ERROR, code, detail);
  problem = sp_problem_new (error, NULL);
  object = json_node_get_object (problem);
  json_object_set_string_member (object, "title", title);
  json_object_set_string_member (object, "reason", sp_take_charge_refusal_to_string (outcome->refusal));
  pratica = json_object_new ();
  json_object_set_string_member (pratica, "numero", outcome->numero);
  json_object_set_int_member (pratica, "status", outcome->status);
  json_object_set_object_member (object, "pratica", pratica);
  if (outcome->assignee_username != NULL)
    {
      JsonObject *assignee = json_object_new ();

      json_object_set_string_member (assignee, "username", outcome->assignee_username);
      json_object_set_string_member (assignee, "full_name", outcome->assignee_name);
      json_object_set_object_member (object, "assigned_to", assignee);
    }
  sp_request_reply_problem_node (request, problem);
}

static void
take_charge_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpTakeChargeResult) outcome = sp_db_take_charge_finish (request->server->db, result, &error);

  if (outcome == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  if (!outcome->taken)
    {
      reply_refused (request, outcome);
      return;
    }
  g_message ("%s took pratica %s in charge", sp_principal_get_name (request->principal),
             sp_request_get_param (request, "pratica"));
  sp_request_reply_no_content (request);
}

/* POST /api/v1.0/operator/pratiche/{pratica}/take-charge */
void
sp_handle_take_charge (SpRequest *request)
{
  const char *pratica = sp_handle_pratica_param (request);

  if (pratica != NULL)
    sp_db_take_charge_async (request->server->db, request->principal, pratica, request->cancellable,
                             take_charge_cb, request);
}

/* The document, drawn (a masked modulo) or streamed from the database. */
static void
reply_document (SpRequest         *request,
                SpDocumentContent *content)
{
  SpDocumentHead head = { content->filename, content->mime_type, content->size, content->sha256 };

  if (content->content != NULL)
    {
      sp_document_set_headers (request, content->filename, content->sha256);
      sp_request_reply_bytes (request, SOUP_STATUS_OK, content->mime_type, content->content);
    }
  else
    sp_document_stream_reply (request, sp_request_get_param (request, "document"), &head);
}

/* A modulo being drawn on the CPU workers for its reader. */
typedef struct
{
  SpRequest          *request;
  SpDocumentContent  *content;
} Drawing;

static void
drawing_free (Drawing *drawing)
{
  sp_document_content_free (drawing->content);
  g_free (drawing);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Drawing, drawing_free)

static void
drawn_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Drawing) drawing = user_data;
  SpDocumentContent *content = drawing->content;
  g_autoptr(GError) error = NULL;

  content->content = sp_workers_run_finish (drawing->request->server->workers, result, &error);
  if (content->content == NULL)
    {
      sp_request_reply_failure (drawing->request, error);
      return;
    }
  content->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content->content);
  reply_document (drawing->request, content);
}

static void
document_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpDocumentContent) content = sp_db_document_content_finish (request->server->db, result, &error);
  Drawing *drawing;

  if (content == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  if (content->modulo == NULL)
    {
      reply_document (request, content);
      return;
    }

  /* The connection is back in the pool: draw on the CPU workers. */
  drawing = g_new0 (Drawing, 1);
  drawing->request = request;
  drawing->content = g_steal_pointer (&content);
  sp_workers_run_async (request->server->workers, sp_modulo_source_render_work, drawing->content->modulo, NULL,
                        (GDestroyNotify) g_bytes_unref, request->cancellable, drawn_cb, drawing);
}

/* GET /api/v1.0/operator/pratiche/{pratica}/documents/{document}: as the
 * caller may see it (a modulo masks what the detail masks, drawn again on the
 * CPU workers, not on a database thread). */
void
sp_handle_document (SpRequest *request)
{
  const char *pratica = sp_handle_pratica_param (request);

  if (pratica != NULL)
    sp_db_document_content_async (request->server->db, request->principal, pratica,
                                  sp_request_get_param (request, "document"), request->cancellable,
                                  document_cb, request);
}
