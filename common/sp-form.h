#pragma once

#include <json-glib/json-glib.h>

#include "sp-value-format.h"

G_BEGIN_DECLS

/**
 * SpFormField:
 * @path: dotted keys from the root (`richiedente.indirizzo.cap`)
 * @labels: the schema's labels along the path (`Richiedente`, `Indirizzo`, `CAP`)
 * @depth: nesting level, 0 at the root
 * @is_group: a section heading (a `group` field), with no value of its own
 * @value: the value as text; %NULL when missing or masked
 *
 * One line of a form as people read it: the schema's fields in order, with
 * nested groups as sections.
 */
typedef struct
{
  char     *path;
  GStrv     labels;
  guint     depth;
  gboolean  is_group;
  gboolean  sensitive;
  gboolean  masked;
  char     *type;
  char     *value;
} SpFormField;

GPtrArray   *sp_form_flatten          (JsonArray           *schema,
                                       JsonObject          *data,
                                       const char          *data_text,
                                       gboolean             mask_sensitive,
                                       const SpValueFormat *format) G_GNUC_WARN_UNUSED_RESULT;
char        *sp_form_field_label      (const SpFormField   *field) G_GNUC_WARN_UNUSED_RESULT;
char        *sp_form_value_to_text    (JsonNode            *value,
                                       const char          *type,
                                       const SpValueFormat *format) G_GNUC_WARN_UNUSED_RESULT;
char        *sp_form_number_to_text   (const char          *number,
                                       const SpValueFormat *format) G_GNUC_WARN_UNUSED_RESULT;
void         sp_form_fields_to_json   (GPtrArray           *fields,
                                       JsonBuilder         *builder);
GPtrArray   *sp_form_fields_from_json (JsonArray           *array) G_GNUC_WARN_UNUSED_RESULT;
void         sp_form_field_free       (SpFormField         *field);

const char  *sp_form_check_value      (const char          *type,
                                       const char * const  *options,
                                       JsonNode            *value);
gboolean     sp_form_check            (JsonArray           *schema,
                                       JsonObject          *data,
                                       const char          *prefix,
                                       JsonArray           *errors);

G_END_DECLS
