#pragma once

/* A document's download, streamed from the database as it is sent: the one
 * way documents leave the server over HTTP (the operator's download and the
 * citizens' signed links alike). */

#include "sp-db-document-read.h"
#include "sp-request.h"

G_BEGIN_DECLS

void         sp_document_set_headers   (SpRequest            *request,
                                        const char           *filename,
                                        const char           *sha256);
void         sp_document_stream_reply  (SpRequest            *request,
                                        const char           *document_id,
                                        const SpDocumentHead *head);

G_END_DECLS
