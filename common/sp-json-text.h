#pragma once

/* JSON written as text, for what json-glib cannot write: a number exactly as
 * it was typed or stored (json-glib holds it as a double or a gint64, which
 * rounds 19.99 to 19.989999999999998 and wraps 10^20). The values go one
 * after another into a GString; the commas between them are put in by
 * these functions. */

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean  sp_json_number_is_valid   (const char  *text,
                                     gsize        length);
void      sp_json_text_begin_object (GString     *out);
void      sp_json_text_end_object   (GString     *out);
void      sp_json_text_member       (GString     *out,
                                     const char  *name);
void      sp_json_text_add_string   (GString     *out,
                                     const char  *text);
void      sp_json_text_add_number   (GString     *out,
                                     const char  *number);
void      sp_json_text_add_node     (GString     *out,
                                     JsonNode    *node);

G_END_DECLS
