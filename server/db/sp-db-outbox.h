#pragma once

/* The e-mail outbox: messages queued in the transaction of the change they
 * tell, and sent by one `mail-send` job each (server/jobs/sp-jobs-mail.c). */

#include <libpq-fe.h>

#include "sp-status.h"

G_BEGIN_DECLS

/* The job kinds. */
#define SP_DB_OUTBOX_JOB    "mail-send"
#define SP_DB_OUTBOX_SWEEP  "mail-sweep"

/* Attempts of one e-mail before it is set aside: with the jobs' back-off
 * (1, 2, 4 … s, at most an hour apart), a week of an unreachable SMTP server. */
#define SP_DB_OUTBOX_MAX_ATTEMPTS 180

/**
 * SpOutboxRow:
 *
 * A queued e-mail, as its sender needs it.
 */
typedef struct
{
  gint64     id;
  char      *pratica_id;
  SpStatus   status;
  char      *recipient;
  char      *message_id;
  char      *context;       /* JSON object text, see sp_mail_context_to_json() */
  GDateTime *created_at;
} SpOutboxRow;

/**
 * SpOutboxClaim:
 * @SP_OUTBOX_CLAIMED: the row is this transaction's until it ends
 * @SP_OUTBOX_DONE: sent or set aside already: nothing to do
 * @SP_OUTBOX_BUSY: another transaction holds it (a worker whose lease
 *   expired is still sending it): try later
 */
typedef enum
{
  SP_OUTBOX_CLAIMED,
  SP_OUTBOX_DONE,
  SP_OUTBOX_BUSY,
} SpOutboxClaim;

/**
 * SpOutboxDocument:
 *
 * A document an e-mail attaches and links to.
 */
typedef struct
{
  char   *id;
  char   *kind;
  char   *filename;
  char   *mime_type;
  gint64  size;
  char   *sha256;
} SpOutboxDocument;

void         sp_outbox_row_free          (SpOutboxRow          *row);
void         sp_outbox_document_free     (SpOutboxDocument     *document);

gboolean     sp_db_outbox_queue          (PGconn               *conn,
                                          const char           *pratica_id,
                                          gint64                iter_id,
                                          SpStatus              status,
                                          const char           *text,
                                          gboolean              commit,
                                          GError              **error);
gboolean     sp_db_outbox_claim          (PGconn               *conn,
                                          gint64                id,
                                          SpOutboxClaim        *claim,
                                          SpOutboxRow         **row,
                                          GError              **error);
GPtrArray   *sp_db_outbox_documents      (PGconn               *conn,
                                          const char           *pratica_id,
                                          const char * const   *kinds,
                                          GError              **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_db_outbox_mark_sent      (PGconn               *conn,
                                          gint64                id,
                                          const char           *attachments,
                                          GError              **error);
gboolean     sp_db_outbox_mark_failed    (PGconn               *conn,
                                          gint64                id,
                                          const char           *reason,
                                          GError              **error);
gboolean     sp_db_outbox_sweep          (PGconn               *conn,
                                          guint                 limit,
                                          guint                *n_queued,
                                          GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpOutboxRow, sp_outbox_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpOutboxDocument, sp_outbox_document_free)

G_END_DECLS
