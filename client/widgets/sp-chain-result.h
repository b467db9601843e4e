/* sp-chain-result.h: what the server's check of a pratica's hash chain found, above the audit's versions */
#pragma once

#include <adwaita.h>

#include "sp-client.h"

G_BEGIN_DECLS

#define SP_TYPE_CHAIN_RESULT (sp_chain_result_get_type ())

G_DECLARE_FINAL_TYPE (SpChainResult, sp_chain_result, SP, CHAIN_RESULT, AdwBin)

void        sp_chain_result_check        (SpChainResult *self,
                                          SpClient      *client,
                                          const char    *pratica_id);
void        sp_chain_result_clear        (SpChainResult *self);
gboolean    sp_chain_result_get_checking (SpChainResult *self);
const char *sp_chain_result_get_text     (SpChainResult *self);

G_END_DECLS
