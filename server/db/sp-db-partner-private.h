#pragma once

/* What the partner API's database files share: one partner call on one
 * pratica, and how it finds that pratica. Private to server/db/. */

#include "sp-db-partner-api.h"
#include "sp-db-query.h"

G_BEGIN_DECLS

/* One partner call on one pratica. */
typedef struct
{
  SpPrincipal      *principal;
  char             *pratica;     /* UUID, per-ente number or the partner's own id */
  SpEvent           event;
  SpPartnerAction  *action;
  JsonNode         *entries;     /* protocolli */
  char             *entries_text; /* protocolli, as the partner wrote them */
} PartnerCall;

void         sp_partner_call_free       (PartnerCall         *call);
void         sp_partner_call_run        (SpDb                *db,
                                         gpointer             source_tag,
                                         SpDbFunc             func,
                                         PartnerCall         *call,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
SpDbQuery   *sp_partner_find_query_new  (PartnerCall         *call,
                                         gboolean             for_update) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_partner_found_check     (PGresult            *found,
                                         GError             **error);

G_END_DECLS
