/* sp-admin-demo-moduli.c: the modulo of every demo pratica, rendered as the server renders it at submission */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-admin-demo-private.h"
#include "sp-admin-modulo.h"
#include "sp-json.h"

static SpAdminModulo *
modulo_new (SpDemoPratica *pratica,
            guint          index)
{
  g_autofree char *document_id = sp_admin_modulo_uuid (pratica->id, "modulo");
  SpAdminModulo *modulo = sp_admin_modulo_new (document_id, pratica->id);
  const SpAdminEnte *ente = pratica->ente->def;
  const SpDemoPerson *citizen = pratica->citizen;

  modulo->ente_name = g_strdup (ente->name);
  modulo->place_name = g_strdup (ente->place_name);
  modulo->locale = g_strdup (ente->locale);
  modulo->servizio_name = g_strdup (pratica->servizio->name);
  modulo->numero = g_strdup (pratica->numero);
  modulo->submitted_at = g_date_time_new_from_unix_utc (pratica->submitted);
  modulo->applicant_nome = g_strdup (citizen->nome);
  modulo->applicant_cognome = g_strdup (citizen->cognome);
  modulo->applicant_cf = g_strdup (citizen->codice_fiscale);
  modulo->applicant_email = g_strdup (citizen->email);
  /* As text: the threads parse their own copy, and the data changes later on. */
  modulo->field_schema = sp_json_to_string (pratica->servizio->fields, NULL);
  modulo->data = sp_json_to_string (pratica->data, NULL);
  modulo->user_data = GUINT_TO_POINTER (index);
  return modulo;
}

/**
 * sp_demo_moduli_render:
 *
 * Renders the modulo of every pratica (numbered already, its data as
 * submitted) on one thread per processor, and adds them to the demo's
 * documents in the order of the pratiche. The document ids derive from the
 * pratica ids, so from the seed; the PDF's creation date is the submission,
 * so the bytes are the same from run to run as well.
 */
gboolean
sp_demo_moduli_render (SpDemoBuild  *build,
                       GError      **error)
{
  g_autoptr(SpAdminModuloPool) pool = sp_admin_modulo_pool_new (g_get_num_processors (), error);
  g_autoptr(GPtrArray) documents = NULL;
  GPtrArray *pratiche = build->pratiche;

  if (pool == NULL)
    return FALSE;
  documents = g_ptr_array_new_full (pratiche->len, (GDestroyNotify) sp_admin_document_free);
  g_ptr_array_set_size (documents, pratiche->len);
  for (guint i = 0; i < pratiche->len; i++)
    sp_admin_modulo_pool_push (pool, modulo_new (g_ptr_array_index (pratiche, i), i));

  for (guint n = 0; n < pratiche->len; n++)
    {
      g_autoptr(SpAdminModulo) modulo = sp_admin_modulo_pool_pop (pool);

      if (modulo->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&modulo->error));
          return FALSE;
        }
      documents->pdata[GPOINTER_TO_UINT (modulo->user_data)] = g_steal_pointer (&modulo->document);
    }

  for (guint i = 0; i < pratiche->len; i++)
    g_ptr_array_add (build->demo->documents, g_steal_pointer (&documents->pdata[i]));
  return TRUE;
}
