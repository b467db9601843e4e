#pragma once

/* Database work on one pratica for an operator: detail, documents, take charge. */

#include "sp-db.h"
#include "sp-modulo-source.h"
#include "sp-pratica-detail.h"
#include "sp-principal.h"
#include "sp-take-charge.h"

G_BEGIN_DECLS

typedef struct
{
  char    *filename;
  char    *mime_type;
  char    *sha256;
  gint64   size;            /* streamed (sp_db_document_read()), unless @modulo is to be drawn */
  GBytes  *content;         /* nullable: the drawn modulo */
  SpModuloSource *modulo;  /* nullable: a modulo to draw on the CPU workers, for a reader who may not see it all */
} SpDocumentContent;

/**
 * SpTakeChargeResult:
 *
 * What taking charge came to: done, or refused for a reason, with what the
 * operator needs to understand it: the pratica's number and status, who has
 * it (so the operator can ask them), the ente's language for the message.
 */
typedef struct
{
  gboolean             taken;
  SpTakeChargeRefusal  refusal;             /* !taken */
  char                *numero;              /* !taken */
  SpStatus             status;              /* !taken */
  char                *assignee_username;   /* !taken; nullable */
  char                *assignee_name;       /* !taken; nullable */
  char                *locale;              /* !taken: the ente's */
} SpTakeChargeResult;

void         sp_take_charge_result_free   (SpTakeChargeResult *result);
void         sp_document_content_free     (SpDocumentContent *content);
gboolean     sp_pratica_id_is_valid       (const char        *id);

void         sp_db_pratica_detail_async   (SpDb                *db,
                                           SpPrincipal         *principal,
                                           const char          *pratica_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
SpPraticaDetail *sp_db_pratica_detail_finish (SpDb             *db,
                                           GAsyncResult        *result,
                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_db_document_content_async (SpDb                *db,
                                           SpPrincipal         *principal,
                                           const char          *pratica_id,
                                           const char          *document_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
SpDocumentContent *sp_db_document_content_finish (SpDb         *db,
                                           GAsyncResult        *result,
                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_db_take_charge_async      (SpDb                *db,
                                           SpPrincipal         *principal,
                                           const char          *pratica_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
SpTakeChargeResult *sp_db_take_charge_finish (SpDb             *db,
                                           GAsyncResult        *result,
                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDocumentContent, sp_document_content_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpTakeChargeResult, sp_take_charge_result_free)

G_END_DECLS
