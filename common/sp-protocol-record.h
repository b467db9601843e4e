#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SpProtocolOrigin:
 * @SP_PROTOCOL_ORIGIN_INTERNAL: a row of the ente's own register (`internal`)
 * @SP_PROTOCOL_ORIGIN_EXTERNAL: an entry a partner sent (`external`), from
 *   `pratica.protocol_entries`
 *
 * Who registered a protocol entry of a pratica (DESIGN.md §4).
 */
typedef enum
{
  SP_PROTOCOL_ORIGIN_INTERNAL,
  SP_PROTOCOL_ORIGIN_EXTERNAL,
} SpProtocolOrigin;

/**
 * SpProtocolRecord:
 *
 * One registration of a pratica: a row of the internal register, or an
 * entry a partner sent, kept as it came (@raw) with what it says read out
 * of it (@number, @date) when it has that shape.
 */
typedef struct
{
  SpProtocolOrigin  origin;
  char             *number;         /* nullable for an external entry without one */
  GDateTime        *registered_at;  /* internal: registered; external: received (nullable) */
  char             *direction;      /* internal: arrivo, risposta; external: NULL */
  char             *date;           /* external: its `data`, as the partner wrote it (nullable) */
  char             *registered_by;  /* external: the partner that sent it (nullable) */
  char             *raw;            /* external: the entry's JSON text as stored */
  gboolean          main;           /* its number is the pratica's main protocol number */
} SpProtocolRecord;

const char       *sp_protocol_origin_to_string    (SpProtocolOrigin        origin);
SpProtocolRecord *sp_protocol_record_new_external (const char             *raw) G_GNUC_WARN_UNUSED_RESULT;
void              sp_protocol_record_free         (SpProtocolRecord       *record);
gboolean          sp_protocol_record_is_plain     (const SpProtocolRecord *record);
void              sp_protocol_records_to_json     (GPtrArray              *records,
                                                   JsonBuilder            *builder);
void              sp_protocol_records_from_json   (JsonArray              *array,
                                                   GPtrArray              *records);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpProtocolRecord, sp_protocol_record_free)

G_END_DECLS
