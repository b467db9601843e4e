/* fuzz-decoders.c: fuzz target for the decoders of outside input (JSON bodies, cursors, models, forms) */
#define G_LOG_DOMAIN "fuzz"

#include "config.h"

#include "sp-dashboard.h"
#include "sp-form.h"
#include "sp-fuzz-replay.h"
#include "sp-json.h"
#include "sp-json-tape.h"
#include "sp-pratica-detail.h"
#include "sp-processing.h"
#include "sp-protocol-config.h"
#include "sp-user.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static SpValueFormat *italian;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(JsonNode) node = sp_json_parse ((const char *) data, size, NULL);
  g_autoptr(SpJsonTape) tape = sp_json_tape_new ((const char *) data, size, 128, NULL);

  /* Form values as partners send them, read as numbers and dates. */
  if (italian == NULL)
    italian = sp_value_format_new ("it_IT");
  g_free (sp_value_format_decimal (italian, text));
  g_free (sp_value_format_date (italian, text));

  /* Cursors come back from clients in the query string. */
  for (guint key = 0; key < SP_N_SORT_KEYS; key++)
    {
      g_auto(GStrv) cursor = sp_cursor_decode (text, key, FALSE, NULL);
    }

  /* The tape reads less than RFC 8259 allows (sp-json-tape.h), never more. */
  g_assert_true (tape == NULL || sp_json_is_strict ((const char *) data, size));

  /* What is stored as sent: every value's text is a JSON text of its own,
   * the root's all of it but white space. */
  for (guint32 i = 0; tape != NULL && i < tape->n_nodes; i++)
    {
      guint32 start, end;

      sp_json_tape_span (tape, i, &start, &end);
      g_assert_true (start < end && end <= size);
      g_assert_true (sp_json_is_strict ((const char *) data + start, end - start));
      if (i == 0)
        g_assert_true (strspn (text, " \t\r\n") == start);
    }

  if (node == NULL)
    return 0;

  g_free (sp_json_canonicalize (node));

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(SpUser) user = sp_user_from_json (object, NULL);
      g_autoptr(SpProtocolConfig) config = sp_protocol_config_from_json (object, NULL);
      g_autoptr(SpPraticaDetail) detail = sp_pratica_detail_from_json_text (object, (const char *) data, size, NULL);
      g_autoptr(SpPraticaSummary) summary = sp_pratica_summary_from_json (object, NULL);
      JsonNode *schema = json_object_get_member (object, "fields");
      JsonNode *steps = json_object_get_member (object, "steps");

      /* The detail as the server writes it, numbers as read: JSON still. */
      if (detail != NULL)
        {
          gsize length = 0;
          g_autofree char *written = sp_pratica_detail_to_text (detail, &length);

          g_assert_true (sp_json_is_strict (written, length));
        }

      /* A service definition and form data, as a partner or the admin sends them. */
      if (schema != NULL && JSON_NODE_HOLDS_ARRAY (schema))
        {
          JsonNode *values = json_object_get_member (object, "dati");
          gsize length = 0;
          const char *values_text = tape != NULL ? sp_json_tape_member_text (tape, 0, "dati", &length) : NULL;
          g_autofree char *dati = values_text != NULL ? g_strndup (values_text, length) : NULL;
          g_autoptr(GPtrArray) fields = sp_form_flatten (json_node_get_array (schema),
                                                         values != NULL && JSON_NODE_HOLDS_OBJECT (values)
                                                           ? json_node_get_object (values) : NULL,
                                                         dati, TRUE, italian);
        }

      /* Elabora's saved work (PUT …/processing), checked against a service's steps. */
      if (steps != NULL && JSON_NODE_HOLDS_ARRAY (steps))
        {
          g_autoptr(GPtrArray) definitions = sp_steps_from_json (json_node_get_array (steps), NULL);
          JsonNode *body = json_object_get_member (object, "processing");

          if (definitions != NULL)
            {
              g_autoptr(JsonArray) errors = json_array_new ();
              g_autoptr(SpProcessing) work = sp_processing_from_json (body != NULL && JSON_NODE_HOLDS_OBJECT (body)
                                                                        ? json_node_get_object (body) : object,
                                                                      definitions, errors);

              sp_processing_check_complete (work, definitions, errors);
            }
        }
    }
  return 0;
}
