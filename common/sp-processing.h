#pragma once

/* Elabora (DESIGN.md §7): a service's own processing steps, the operator's
 * saved work on a pratica, and the rules that check it — shared by the
 * server, which enforces them, and the client, which shows them. */

#include <json-glib/json-glib.h>

#include "sp-json-tape.h"

G_BEGIN_DECLS

#define SP_ESITO_ACCEPTED "accepted"
#define SP_ESITO_REJECTED "rejected"

/* The longest motivation and text value accepted, in characters. */
#define SP_PROCESSING_MAX_TEXT 10000

typedef enum
{
  SP_STEP_FIELD_INVALID,
  SP_STEP_FIELD_TEXT,
  SP_STEP_FIELD_NUMBER,
  SP_STEP_FIELD_DATE,      /* "YYYY-MM-DD" */
  SP_STEP_FIELD_CHOICE,    /* one of its options */
  SP_STEP_FIELD_CHECKBOX,  /* true or false */
} SpStepFieldType;

/**
 * SpStepField:
 * @options: (nullable): the values a choice allows, in order
 */
typedef struct
{
  char            *key;
  char            *label;
  SpStepFieldType  type;
  gboolean         required;
  GStrv            options;
} SpStepField;

/**
 * SpStep:
 * @only_if_approved: the step is skipped when the outcome is a rejection
 * @fields: (element-type SpStepField)
 *
 * One of a service's own processing steps, after *Esito* and *Risposta*.
 */
typedef struct
{
  char      *key;
  char      *title;
  gboolean   only_if_approved;
  GPtrArray *fields;
} SpStep;

/**
 * SpProcessing:
 * @esito: (nullable): %SP_ESITO_ACCEPTED or %SP_ESITO_REJECTED
 * @motivazione: (nullable): the motivation
 * @risposta: (nullable): the id of the document chosen as the response file
 * @steps: `{step_key: {field_key: value}}`, never %NULL
 * @saved_at: (nullable): the last "Salva"
 * @saved_by: (nullable): who saved it (full name)
 * @numbers: the text of the numbers among the values of @steps, as typed
 *   or stored (sp_processing_set_number()): json-glib holds `19.99` as a
 *   double and wraps `100000000000000000000`
 *
 * The operator's work on a pratica, as saved (or as sent to be saved).
 */
typedef struct
{
  char       *esito;
  char       *motivazione;
  char       *risposta;
  JsonObject *steps;
  GDateTime  *saved_at;
  char       *saved_by;
  GHashTable *numbers;
} SpProcessing;

const char      *sp_step_field_type_to_string   (SpStepFieldType  type);
SpStepFieldType  sp_step_field_type_from_string (const char      *text);
void             sp_step_free                   (SpStep          *step);
GPtrArray       *sp_steps_from_json             (JsonArray       *array,
                                                 GError         **error) G_GNUC_WARN_UNUSED_RESULT;
void             sp_steps_to_json               (GPtrArray       *steps,
                                                 JsonBuilder     *builder);
gboolean         sp_step_applies                (const SpStep    *step,
                                                 const char      *esito);

SpProcessing    *sp_processing_new              (void) G_GNUC_WARN_UNUSED_RESULT;
void             sp_processing_free             (SpProcessing    *processing);
SpProcessing    *sp_processing_from_json        (JsonObject      *object,
                                                 GPtrArray       *steps,
                                                 JsonArray       *field_errors) G_GNUC_WARN_UNUSED_RESULT;
void             sp_processing_to_json          (SpProcessing    *processing,
                                                 JsonBuilder     *builder);
void             sp_processing_append_json      (SpProcessing    *processing,
                                                 gboolean         with_saved,
                                                 GString         *out);
void             sp_processing_set_number       (SpProcessing    *processing,
                                                 const char      *step,
                                                 const char      *field,
                                                 const char      *number);
const char      *sp_processing_get_number       (SpProcessing    *processing,
                                                 const char      *step,
                                                 const char      *field);
void             sp_processing_read_numbers     (SpProcessing    *processing,
                                                 const SpJsonTape *tape,
                                                 guint32          steps);
gboolean         sp_processing_check_complete   (SpProcessing    *processing,
                                                 GPtrArray       *steps,
                                                 JsonArray       *field_errors);
void             sp_field_errors_add            (JsonArray       *field_errors,
                                                 const char      *field,
                                                 const char      *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpProcessing, sp_processing_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpStep, sp_step_free)

G_END_DECLS
