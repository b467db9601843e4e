#pragma once

/* Database work on one pratica for an operator: detail, documents, take charge. */

#include "sp-db.h"
#include "sp-pratica-detail.h"

G_BEGIN_DECLS

/**
 * SpPraticaRequest:
 *
 * Which pratica, and who asks: every query checks that the pratica's service
 * is one the operator is enabled for, and answers "not found" otherwise.
 */
typedef struct
{
  gint64  account_id;
  char   *account_name;
  char   *pratica_id;
  char   *document_id;   /* documents only */
} SpPraticaRequest;

typedef struct
{
  char    *filename;
  char    *mime_type;
  char    *sha256;
  GBytes  *content;
} SpDocumentContent;

/**
 * SpTakeChargeResult:
 *
 * What taking charge came to: done, or already taken by a colleague (who, so
 * the operator can ask them).
 */
typedef struct
{
  gboolean  taken;
  char     *assignee_username;   /* !taken */
  char     *assignee_name;       /* !taken */
} SpTakeChargeResult;

void         sp_take_charge_result_free   (SpTakeChargeResult *result);

SpPraticaRequest *sp_pratica_request_new  (gint64             account_id,
                                           const char        *account_name,
                                           const char        *pratica_id,
                                           const char        *document_id) G_GNUC_WARN_UNUSED_RESULT;
void         sp_pratica_request_free      (SpPraticaRequest  *request);
void         sp_document_content_free     (SpDocumentContent *content);
gboolean     sp_pratica_id_is_valid       (const char        *id);

gpointer     sp_db_pratica_detail         (PGconn            *conn,
                                           gpointer           request,
                                           GError           **error);
gpointer     sp_db_document_content       (PGconn            *conn,
                                           gpointer           request,
                                           GError           **error);
gpointer     sp_db_take_charge            (PGconn            *conn,
                                           gpointer           request,
                                           GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDocumentContent, sp_document_content_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpTakeChargeResult, sp_take_charge_result_free)

G_END_DECLS
