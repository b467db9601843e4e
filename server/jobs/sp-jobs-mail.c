/* sp-jobs-mail.c: the outbox dispatcher: send one queued e-mail with its attachments and links, sweep for orphans */
#define G_LOG_DOMAIN "sp-jobs"

#include "config.h"

#include "sp-db-document-read.h"
#include "sp-db-outbox.h"
#include "sp-error.h"
#include "sp-jobs-mail.h"
#include "sp-links.h"
#include "sp-mail.h"
#include "sp-smtp.h"

/* E-mails a sweep queues at most; the next sweep goes on. */
#define SWEEP_LIMIT 10000

struct _SpMailer
{
  SpSmtp   *smtp;
  SpLinks  *links;   /* nullable: e-mails without download links */
};

/**
 * sp_mailer_new:
 * @server_url: this server's address, for links when [links] public-url is empty
 *
 * Returns: (nullable): the dispatcher; %NULL without @error when [mail]
 *   smtp-url is empty (e-mails wait in the outbox for a server that sends them)
 */
SpMailer *
sp_mailer_new (const SpConfig  *config,
               const char      *server_url,
               GError         **error)
{
  g_autoptr(SpMailer) self = NULL;

  if (*config->mail_smtp_url == '\0')
    return NULL;
  self = g_new0 (SpMailer, 1);
  if (!(self->smtp = sp_smtp_new (config, error)))
    return NULL;
  if (*config->link_secret_file != '\0')
    {
      const char *base = *config->link_public_url != '\0' ? config->link_public_url : server_url;

      if (!(self->links = sp_links_new (config->link_secret_file, base, config->link_days, error)))
        {
          g_prefix_error (error, "[links] secret-file: ");
          return NULL;
        }
    }
  return g_steal_pointer (&self);
}

void
sp_mailer_free (SpMailer *self)
{
  if (self == NULL)
    return;
  sp_smtp_free (self->smtp);
  sp_links_free (self->links);
  g_free (self);
}

typedef struct
{
  PGconn      *conn;
  const char  *document_id;
} DocumentSource;

static GBytes *
read_document (gpointer   user_data,
               gint64     offset,
               gsize      length,
               GError   **error)
{
  DocumentSource *source = user_data;

  return sp_db_document_read (source->conn, source->document_id, offset, MIN (length, SP_DB_DOCUMENT_CHUNK), error);
}

/* What was attached, kept with the sent row: [{id, kind, filename, sha256}]. */
static char *
attachments_json (GPtrArray *documents)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < documents->len; i++)
    {
      SpOutboxDocument *document = g_ptr_array_index (documents, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, document->id);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, document->kind);
      json_builder_set_member_name (builder, "filename");
      json_builder_add_string_value (builder, document->filename);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, document->sha256);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Renders the row's e-mail as it is sent: the context of its change, links
 * valid from now. */
static SpMailMessage *
render (SpMailer     *self,
        SpOutboxRow  *row,
        GPtrArray    *documents,
        GDateTime    *now,
        GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) expire = NULL;
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autofree SpMailLink *links = g_new0 (SpMailLink, MAX (documents->len, 1));
  guint n_links = 0;
  SpMailContext context;
  JsonNode *root;
  SpMailMessage *message;

  if (!json_parser_load_from_data (parser, row->context, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) || !sp_mail_context_from_json (json_node_get_object (root), &context))
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "E-mail %" G_GINT64_FORMAT " has no context", row->id);
      return NULL;
    }

  if (self->links != NULL)
    {
      expire = g_date_time_add_days (now, sp_links_get_lifetime_days (self->links));
      for (guint i = 0; i < documents->len; i++)
        {
          SpOutboxDocument *document = g_ptr_array_index (documents, i);
          char *url = sp_links_url (self->links, document->id, g_date_time_to_unix (expire));

          if (url == NULL)
            continue;
          g_ptr_array_add (urls, url);
          links[n_links].label = document->filename;
          links[n_links].url = url;
          n_links++;
        }
    }

  message = sp_mail_render (row->status, &context, links, n_links, expire);
  if (message == NULL)
    g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "Status %d sends no e-mail", (int) row->status);
  return message;
}

/* payload: {outbox}, queued with the row (sp_db_outbox_queue()) or by the sweep.
 *
 * Exactly once, as far as SMTP allows: the row is locked (SKIP LOCKED) for
 * this job's transaction, so no two workers send it at once, and it is
 * marked sent in that transaction right after the server's 250 to the
 * message, which the runner then commits with the job's end. A failure
 * before the 250 rolls back: the job is retried with back-off and nothing is
 * lost. The one window left for a duplicate is between the 250 and that
 * commit (two statements on a local connection, well under a millisecond):
 * a crash or a lost database connection exactly then sends the e-mail again
 * after the lease, with the same Message-ID, by which mail clients fold it. */
static gboolean
mail_send (SpJob         *job,
           PGconn        *conn,
           GCancellable  *cancellable,
           gpointer       user_data,
           GError       **error)
{
  SpMailer *self = user_data;
  gint64 id = json_object_get_int_member_with_default (job->payload, "outbox", 0);
  g_autoptr(SpOutboxRow) row = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(SpMailMessage) message = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree SpSmtpAttachment *attachments = NULL;
  g_autofree DocumentSource *sources = NULL;
  g_autofree char *sent = NULL;
  g_autoptr(GError) smtp_error = NULL;
  SpOutboxClaim claim;
  SpSmtpMessage smtp = { 0 };

  if (id <= 0)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "Job %" G_GINT64_FORMAT ": no outbox row", job->id);
      return FALSE;
    }
  if (!sp_db_outbox_claim (conn, id, &claim, &row, error))
    return FALSE;
  if (claim == SP_OUTBOX_DONE)
    return TRUE;
  if (claim == SP_OUTBOX_BUSY)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_CONFLICT, "E-mail %" G_GINT64_FORMAT " is being sent by another worker", id);
      return FALSE;
    }

  if (!(documents = sp_db_outbox_documents (conn, row->pratica_id, sp_mail_attachment_kinds (row->status), error))
      || !(message = render (self, row, documents, now, error)))
    return FALSE;

  attachments = g_new0 (SpSmtpAttachment, MAX (documents->len, 1));
  sources = g_new0 (DocumentSource, MAX (documents->len, 1));
  for (guint i = 0; i < documents->len; i++)
    {
      SpOutboxDocument *document = g_ptr_array_index (documents, i);

      sources[i].conn = conn;
      sources[i].document_id = document->id;
      attachments[i].filename = document->filename;
      attachments[i].mime_type = document->mime_type;
      attachments[i].size = document->size;
      attachments[i].read = read_document;
      attachments[i].read_data = &sources[i];
    }

  smtp.recipient = row->recipient;
  smtp.subject = message->subject;
  smtp.text = message->text;
  smtp.html = message->html;
  smtp.message_id = row->message_id;
  smtp.date = now;
  smtp.attachments = attachments;
  smtp.n_attachments = documents->len;

  switch (sp_smtp_send (self->smtp, &smtp, cancellable, &smtp_error))
    {
    case SP_SMTP_SENT:
      sent = attachments_json (documents);
      if (!sp_db_outbox_mark_sent (conn, id, sent, error))
        return FALSE;
      g_debug ("Sent e-mail %" G_GINT64_FORMAT " (%s) with %u attachments", id, row->message_id, documents->len);
      return TRUE;

    case SP_SMTP_REFUSED:
      g_warning ("E-mail %" G_GINT64_FORMAT " refused for good, set aside: %s", id, smtp_error->message);
      return sp_db_outbox_mark_failed (conn, id, smtp_error->message, error);

    case SP_SMTP_RETRY:
    default:
      g_propagate_error (error, g_steal_pointer (&smtp_error));
      return FALSE;
    }
}

static gboolean
mail_sweep (SpJob         *job,
            PGconn        *conn,
            GCancellable  *cancellable,
            gpointer       user_data,
            GError       **error)
{
  guint queued = 0;

  if (!sp_db_outbox_sweep (conn, SWEEP_LIMIT, &queued, error))
    return FALSE;
  if (queued > 0)
    g_message ("Queued the sending of %u e-mails that had no job", queued);
  return TRUE;
}

/**
 * sp_jobs_register_mail:
 * @mailer: (nullable): the dispatcher; when %NULL this process sends no
 *   e-mail (another may)
 *
 * @mailer must outlive @jobs.
 */
void
sp_jobs_register_mail (SpJobs   *jobs,
                       SpMailer *mailer)
{
  if (mailer == NULL)
    {
      g_message ("[mail] smtp-url is empty: e-mails wait in the outbox");
      return;
    }
  sp_jobs_register (jobs, SP_DB_OUTBOX_JOB, mail_send, mailer);
  sp_jobs_register (jobs, SP_DB_OUTBOX_SWEEP, mail_sweep, NULL);
}
