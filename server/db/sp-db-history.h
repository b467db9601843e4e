#pragma once

/* A pratica's history, written in the transaction of each change: the iter
 * row, the hash-chained version and the citizen's e-mail. */

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

#include "sp-db-prepared.h"
#include "sp-principal.h"
#include "sp-status.h"

G_BEGIN_DECLS

/**
 * SpActor:
 * @kind: citizen, operator, partner or system
 * @account_id: the operator's account, 0 otherwise
 * @name: who, as the iter shows it
 * @role: the role at the time (operatore, auditor, partner, sistema, cittadino)
 * @partner_at: (nullable): a partner's own time of the change (ISO 8601);
 *   the iter's time is when the server received it
 * @partner_detail: (nullable): a partner's `{operatore, responsabile,
 *   struttura}`, as JSON text
 */
typedef struct
{
  const char *kind;
  gint64      account_id;
  const char *name;
  const char *role;
  const char *partner_at;
  const char *partner_detail;
} SpActor;

SpActor      sp_actor_for_account  (const SpPrincipal *principal);

/**
 * SpDbHistorySet:
 * @statement: the statement, to send once sp_db_history_set_end() gave it
 *
 * The iter rows and versions of changes to different pratiche, as one
 * statement (sp_db_history_set_init()): the one definition of what a change
 * leaves in the history, for one change as for a batch.
 */
typedef struct
{
  SpDbStatement  statement;
  /*< private >*/
  JsonBuilder   *changes;
  char          *json;
  const char    *params[1];
  guint          n_changes;
} SpDbHistorySet;

void         sp_db_history_set_init  (SpDbHistorySet       *self);
void         sp_db_history_set_add   (SpDbHistorySet       *self,
                                      const char           *pratica_id,
                                      SpStatus              status,
                                      SpStatus              previous_status,
                                      const char           *operation,
                                      const SpActor        *actor,
                                      const char           *note);
void         sp_db_history_set_end   (SpDbHistorySet       *self);
gboolean     sp_db_history_set_is_empty (const SpDbHistorySet *self);
gboolean     sp_db_history_set_check (const SpDbHistorySet *self,
                                      PGresult             *result,
                                      GError              **error);
void         sp_db_history_set_clear (SpDbHistorySet       *self);
gboolean     sp_db_change_is_history_only  (SpStatus              status,
                                    SpStatus              previous_status);

gboolean     sp_db_version_append  (PGconn         *conn,
                                    const char     *pratica_id,
                                    const char     *operation,
                                    const SpActor  *actor,
                                    const char     *note,
                                    GError        **error);
gboolean     sp_db_record_change   (PGconn         *conn,
                                    const char     *pratica_id,
                                    SpStatus        status,
                                    SpStatus        previous_status,
                                    const char     *operation,
                                    const SpActor  *actor,
                                    const char     *note,
                                    GError        **error);
gboolean     sp_db_record_change_commit (PGconn    *conn,
                                    const char     *pratica_id,
                                    SpStatus        status,
                                    SpStatus        previous_status,
                                    const char     *operation,
                                    const SpActor  *actor,
                                    const char     *note,
                                    GError        **error);

G_END_DECLS
