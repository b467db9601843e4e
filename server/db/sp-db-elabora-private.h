#pragma once

/* What the database calls of Elabora share: the check that the caller may
 * work on the pratica now. Private to server/db/. */

#include <libpq-fe.h>

#include "sp-db-elabora.h"
#include "sp-db-pratica-private.h"
#include "sp-processing.h"
#include "sp-status.h"

G_BEGIN_DECLS

/**
 * SpElaboraPratica:
 *
 * The pratica as Elabora needs it, read by sp_db_elabora_gate().
 */
typedef struct
{
  SpStatus   status;
  gboolean   protocol_required;
  gboolean   signed_response_required;
  char      *locale;      /* the ente's, for the messages people read */
  GPtrArray *steps;       /* of SpStep */
  char      *data;        /* the pratica's data as JSON text */
} SpElaboraPratica;

/**
 * SpElaboraCall:
 *
 * One database call of Elabora: the pratica and its caller, and what the
 * call brings (each call uses its own members; they are freed with it).
 */
typedef struct
{
  SpPraticaRequest *request;
  JsonObject       *body;       /* saving */
  char             *steps;      /* saving: the body's steps as written */
  SpUploadedFile   *file;       /* storing an upload */
  SpRisposta       *risposta;   /* concluding */
  GBytes           *pdf;        /* concluding */
} SpElaboraCall;

void              sp_elabora_pratica_free  (SpElaboraPratica  *pratica);
void              sp_db_elabora_run        (SpDb                *db,
                                            SpDbRetry            retry,
                                            gpointer             source_tag,
                                            SpDbFunc             func,
                                            SpPrincipal         *principal,
                                            const char          *pratica_id,
                                            SpElaboraCall       *call,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
SpElaboraPratica *sp_db_elabora_gate       (PGconn            *conn,
                                            SpPraticaRequest  *request,
                                            gboolean           lock,
                                            GError           **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean          sp_db_processing_load    (PGconn            *conn,
                                            const char        *pratica_id,
                                            GPtrArray         *steps,
                                            const char        *data,
                                            const char        *outcome,
                                            const char        *motivation,
                                            SpProcessing     **processing,
                                            gint64            *revision,
                                            GError           **error);
gboolean          sp_db_elabora_check_risposta (PGconn        *conn,
                                            SpElaboraPratica  *pratica,
                                            const char        *pratica_id,
                                            const char        *risposta,
                                            JsonArray         *field_errors,
                                            GError           **error);
char             *sp_db_elabora_message    (const char        *locale,
                                            const char        *message) G_GNUC_WARN_UNUSED_RESULT;

/* sp-db-conclude.c: the response of a concluded pratica, read and stored
 * (by an operator's conclusion, and by a partner's accettata or rifiutata) */
gboolean          sp_db_risposta_load      (PGconn            *conn,
                                            const char        *pratica_id,
                                            gboolean           accepted,
                                            const char        *motivazione,
                                            const char        *document_id,
                                            SpRisposta        *risposta,
                                            GError           **error);
gboolean          sp_db_risposta_store     (PGconn            *conn,
                                            const char        *pratica_id,
                                            const char        *filename,
                                            GBytes            *pdf,
                                            GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpElaboraPratica, sp_elabora_pratica_free)

G_END_DECLS
