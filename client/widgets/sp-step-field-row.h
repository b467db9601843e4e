/* sp-step-field-row.h: one field of a service's processing step in Elabora, to fill in */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sp-processing.h"

G_BEGIN_DECLS

#define SP_TYPE_STEP_FIELD_ROW (sp_step_field_row_get_type ())

G_DECLARE_FINAL_TYPE (SpStepFieldRow, sp_step_field_row, SP, STEP_FIELD_ROW, AdwActionRow)

GtkWidget  *sp_step_field_row_new        (const SpStepField *field) G_GNUC_WARN_UNUSED_RESULT;
const char *sp_step_field_row_get_key    (SpStepFieldRow    *self);
JsonNode   *sp_step_field_row_get_value  (SpStepFieldRow    *self,
                                          char             **number,
                                          char             **problem) G_GNUC_WARN_UNUSED_RESULT;
void        sp_step_field_row_set_value  (SpStepFieldRow    *self,
                                          JsonNode          *value,
                                          const char        *number);
void        sp_step_field_row_set_error  (SpStepFieldRow    *self,
                                          const char        *message);
GtkWidget  *sp_step_field_row_get_input  (SpStepFieldRow    *self);

G_END_DECLS
