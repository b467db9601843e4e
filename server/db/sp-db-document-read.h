#pragma once

/* A document's bytes read a chunk at a time, so that neither an e-mail's
 * attachment nor a download holds a whole file in memory. */

#include <libpq-fe.h>

#include "sp-db.h"

G_BEGIN_DECLS

/* What one read asks for at most. */
#define SP_DB_DOCUMENT_CHUNK (1024 * 1024)

/**
 * SpDocumentHead:
 *
 * What a download needs before the bytes.
 */
typedef struct
{
  char   *filename;
  char   *mime_type;
  gint64  size;
  char   *sha256;
} SpDocumentHead;

void         sp_document_head_free       (SpDocumentHead      *head);

GBytes      *sp_db_document_read         (PGconn              *conn,
                                          const char          *document_id,
                                          gint64               offset,
                                          gsize                length,
                                          GError             **error) G_GNUC_WARN_UNUSED_RESULT;

void            sp_db_document_head_async        (SpDb                *db,
                                                  const char          *document_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
SpDocumentHead *sp_db_document_head_finish       (SpDb                *db,
                                                  GAsyncResult        *result,
                                                  GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void            sp_db_document_read_chunk_async  (SpDb                *db,
                                                  const char          *document_id,
                                                  gint64               offset,
                                                  gsize                length,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GBytes         *sp_db_document_read_chunk_finish (SpDb                *db,
                                                  GAsyncResult        *result,
                                                  GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDocumentHead, sp_document_head_free)

G_END_DECLS
