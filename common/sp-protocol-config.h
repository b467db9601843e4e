#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  SP_PROTOCOL_PROVIDER_INTERNAL,
  SP_PROTOCOL_PROVIDER_EXTERNAL,
} SpProtocolProvider;

/**
 * SpProtocolEntry:
 *
 * One key/value of the *Arrivo* or *Risposta* configuration
 * (e.g. `{"key": "aoo", "label": "AOO", "value": "AOO_GEN"}`).
 */
typedef struct
{
  char *key;
  char *label;
  char *value;
} SpProtocolEntry;

/**
 * SpProtocolConfig:
 *
 * The protocol configuration of one service, as the *Configurazione di
 * protocollo* page shows it.
 */
typedef struct
{
  char               *servizio_slug;
  char               *servizio_name;
  gboolean            protocol_required;
  SpProtocolProvider  provider;
  GPtrArray          *arrivo;     /* of SpProtocolEntry */
  GPtrArray          *risposta;   /* of SpProtocolEntry */
} SpProtocolConfig;

const char       *sp_protocol_provider_to_string (SpProtocolProvider provider);
gboolean          sp_protocol_provider_from_string (const char         *name,
                                                    SpProtocolProvider *provider);

SpProtocolConfig *sp_protocol_config_new         (void) G_GNUC_WARN_UNUSED_RESULT;
void              sp_protocol_config_free        (SpProtocolConfig *config);
gboolean          sp_protocol_config_set_entries (SpProtocolConfig *config,
                                                  JsonNode         *protocol,
                                                  GError          **error);
SpProtocolConfig *sp_protocol_config_from_json   (JsonObject       *object,
                                                  GError          **error) G_GNUC_WARN_UNUSED_RESULT;
const char       *sp_protocol_entries_main_number (JsonArray      *entries);
const char       *sp_protocol_entry_get_number   (JsonNode         *entry);
void              sp_protocol_config_to_json     (const SpProtocolConfig *config,
                                                  JsonBuilder            *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpProtocolConfig, sp_protocol_config_free)

G_END_DECLS
