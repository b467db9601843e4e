#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode    *sp_json_parse                 (const char   *data,
                                            gsize         length,
                                            GError      **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject  *sp_json_parse_object          (const char   *data,
                                            gsize         length,
                                            GError      **error) G_GNUC_WARN_UNUSED_RESULT;
char        *sp_json_to_string             (JsonNode     *node,
                                            gsize        *length) G_GNUC_WARN_UNUSED_RESULT;
const char  *sp_json_require_string        (JsonObject   *object,
                                            const char   *member,
                                            GError      **error);
const char  *sp_json_get_string            (JsonObject   *object,
                                            const char   *member,
                                            const char   *fallback);
gint64       sp_json_get_int               (JsonObject   *object,
                                            const char   *member,
                                            gint64        fallback);
gboolean     sp_json_get_bool              (JsonObject   *object,
                                            const char   *member,
                                            gboolean      fallback);
const char  *sp_json_array_get_string      (JsonArray    *array,
                                            guint         index);
gboolean     sp_json_is_strict             (const char   *data,
                                            gsize         length);
char        *sp_json_canonicalize          (JsonNode     *node) G_GNUC_WARN_UNUSED_RESULT;
void         sp_json_builder_add_string_or_null (JsonBuilder *builder,
                                                 const char  *member,
                                                 const char  *value);

G_END_DECLS
