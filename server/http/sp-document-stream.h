#pragma once

/* A document's download, streamed from the database as it is sent. */

#include "sp-request.h"

G_BEGIN_DECLS

void         sp_document_stream_reply  (SpRequest   *request,
                                        const char  *content_type,
                                        guint32      oid,
                                        gint64       size);

G_END_DECLS
