#pragma once

/* Database work of the partner API (DESIGN.md §5): the services a partner
 * sees, their schede informative and texts, and what partners do to pratiche. */

#include "sp-db.h"
#include "sp-principal.h"
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
gboolean     sp_db_partner_status_finish    (SpDb                *db,
                                             GAsyncResult        *result,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPartnerAction, sp_partner_action_free)

G_END_DECLS
