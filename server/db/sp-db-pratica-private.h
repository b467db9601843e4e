#pragma once

/* What the database calls on one pratica share: the request they work on.
 * Private to server/db/. */

#include "sp-db.h"
#include "sp-principal.h"

G_BEGIN_DECLS

/**
 * SpPraticaRequest:
 *
 * Which pratica, and who asks: every query keeps to the principal's scope
 * (sp-db-scope.h) and answers "not found" outside it.
 */
typedef struct
{
  SpPrincipal *principal;
  char        *pratica_id;
  char        *document_id;   /* documents only */
} SpPraticaRequest;

SpPraticaRequest *sp_pratica_request_new  (SpPrincipal       *principal,
                                           const char        *pratica_id,
                                           const char        *document_id) G_GNUC_WARN_UNUSED_RESULT;
void         sp_pratica_request_free      (SpPraticaRequest  *request);
void         sp_db_pratica_run            (SpDb                *db,
                                           gpointer             source_tag,
                                           SpDbFunc             func,
                                           GDestroyNotify       result_free,
                                           SpPrincipal         *principal,
                                           const char          *pratica_id,
                                           const char          *document_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);

G_END_DECLS
