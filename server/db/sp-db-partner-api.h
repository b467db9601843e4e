#pragma once

/* Database work of the partner API (DESIGN.md §5): the services a partner
 * sees, their schede informative and texts, and what partners do to pratiche. */

#include <json-glib/json-glib.h>

#include "sp-db.h"
#include "sp-principal.h"
#include "sp-risposta.h"
#include "sp-status.h"

G_BEGIN_DECLS

void         sp_db_partner_services_async   (SpDb                *db,
                                             SpPrincipal         *principal,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GBytes      *sp_db_partner_services_finish  (SpDb                *db,
                                             GAsyncResult        *result,
                                             GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

G_BEGIN_DECLS

/**
 * SpPartnerAction:
 * @operatore, @responsabile, @struttura: who acted on the partner's side
 * @timestamp: the partner's own time of the action (ISO 8601 with offset)
 * @note: (nullable): the note; the motivation of accettata and rifiutata
 * @risposta: (nullable): for accettata and rifiutata, what the response to
 *   the applicant was drawn from (sp_db_partner_risposta_async())
 * @pdf: (nullable): that response
 *
 * Who did what on the partner's side, as the iter and the versions keep it
 * next to the partner's name.
 */
typedef struct
{
  char *operatore;
  char *responsabile;
  char *struttura;
  char *timestamp;
  char *note;
  SpRisposta *risposta;
  GBytes     *pdf;
} SpPartnerAction;

void         sp_partner_action_free         (SpPartnerAction     *action);

void         sp_db_partner_status_async     (SpDb                *db,
                                             SpPrincipal         *principal,
                                             const char          *pratica,
                                             SpEvent              event,
                                             SpPartnerAction     *action,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
void         sp_db_partner_risposta_async   (SpDb                *db,
                                             SpPrincipal         *principal,
                                             const char          *pratica,
                                             SpEvent              event,
                                             const char          *note,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
SpRisposta  *sp_db_partner_risposta_finish  (SpDb                *db,
                                             GAsyncResult        *result,
                                             GError             **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_db_partner_status_finish    (SpDb                *db,
                                             GAsyncResult        *result,
                                             GError             **error);

/**
 * SpPartnerCreate:
 * @external_id: (nullable): the partner's own id of the pratica: the same
 *   id again is the same pratica (idempotent)
 * @request: the request body as the partner wrote it, to tell a retry (the
 *   same body) from another request with the same id
 * @dati: the form data, a JSON object (checked against the field schema)
 * @dati_text: the same as the partner wrote it (what is stored: its
 *   numbers never read into a double)
 *
 * What offline/create asks for.
 */
typedef struct
{
  char       *external_id;
  char       *request;
  char       *servizio;
  char       *ente;
  char       *codice_fiscale;
  char       *nome;
  char       *cognome;
  char       *email;
  char       *protocollo_principale;
  JsonObject *dati;
  char       *dati_text;
} SpPartnerCreate;

/**
 * SpPartnerCreated:
 * @created: a new pratica; %FALSE for the one an earlier identical request made
 * @field_errors: (nullable): when `dati` does not fit the field schema,
 *   `{field, message}` for each problem (nothing was written)
 */
typedef struct
{
  gboolean   created;
  char      *id;
  char      *numero;
  SpStatus   status;
  JsonArray *field_errors;
} SpPartnerCreated;

void         sp_partner_create_free         (SpPartnerCreate     *create);
void         sp_partner_created_free        (SpPartnerCreated    *created);

void         sp_db_partner_create_async     (SpDb                *db,
                                             SpPrincipal         *principal,
                                             SpPartnerCreate     *create,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
SpPartnerCreated *sp_db_partner_create_finish (SpDb              *db,
                                             GAsyncResult        *result,
                                             GError             **error) G_GNUC_WARN_UNUSED_RESULT;

void         sp_db_partner_protocolli_async  (SpDb                *db,
                                              SpPrincipal         *principal,
                                              const char          *pratica,
                                              JsonArray           *entries,
                                              const char          *text,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     sp_db_partner_protocolli_finish (SpDb                *db,
                                              GAsyncResult        *result,
                                              GError             **error);

/**
 * SpServizioWrite:
 * @SP_SERVIZIO_READ_SCHEDA: read the scheda informativa
 * @SP_SERVIZIO_WRITE_SCHEDA: store the scheda informativa (`{data, metadata}`)
 * @SP_SERVIZIO_WRITE_TEXT: store the text of one compilation step
 */
typedef enum
{
  SP_SERVIZIO_READ_SCHEDA,
  SP_SERVIZIO_WRITE_SCHEDA,
  SP_SERVIZIO_WRITE_TEXT,
} SpServizioOp;

void         sp_db_partner_servizio_async   (SpDb                *db,
                                             SpPrincipal         *principal,
                                             const char          *servizio,
                                             const char          *ente,
                                             SpServizioOp         op,
                                             const char          *step,
                                             const char          *value,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GBytes      *sp_db_partner_servizio_finish  (SpDb                *db,
                                             GAsyncResult        *result,
                                             GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPartnerAction, sp_partner_action_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPartnerCreate, sp_partner_create_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPartnerCreated, sp_partner_created_free)

G_END_DECLS
