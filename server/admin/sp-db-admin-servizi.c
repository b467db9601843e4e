/* sp-db-admin-servizi.c: the admin's statements on servizi */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-db-admin-private.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-json.h"

/**
 * sp_db_admin_save_servizio:
 *
 * Creates the servizio or updates it (by ente and slug). Texts merge with
 * the stored ones, and a definition without a scheda informativa keeps the
 * stored one: partners may have set both through the API.
 */
gboolean
sp_db_admin_save_servizio (PGconn                    *conn,
                           const char                *ente_code,
                           const SpAdminServizioDef  *def,
                           gboolean                  *created,
                           GError                   **error)
{
  g_autofree char *deadline = g_strdup_printf ("%d", def->deadline_days);
  g_autofree char *protocol = sp_json_to_string (def->protocol, NULL);
  g_autofree char *fields = sp_json_to_string (def->fields, NULL);
  g_autofree char *steps = sp_json_to_string (def->steps, NULL);
  g_autofree char *texts = sp_json_to_string (def->texts, NULL);
  g_autofree char *scheda = def->scheda_informativa != NULL
                            ? sp_json_to_string (def->scheda_informativa, NULL) : NULL;
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "INSERT INTO servizio (ente_id, slug, name, description, active,"
                       "   protocol_required, protocol_provider, protocol_config, deadline_days,"
                       "   signed_response_required, field_schema, steps, texts, scheda_informativa)"
                       " SELECT e.id, $2, $3, $4, $5::boolean, $6::boolean, $7, $8::jsonb, $9::integer,"
                       "   $10::boolean, $11::jsonb, $12::jsonb, $13::jsonb, $14::jsonb"
                       " FROM ente e WHERE e.code = $1"
                       " ON CONFLICT (ente_id, slug) DO UPDATE SET"
                       "   name = EXCLUDED.name,"
                       "   description = EXCLUDED.description,"
                       "   active = EXCLUDED.active,"
                       "   protocol_required = EXCLUDED.protocol_required,"
                       "   protocol_provider = EXCLUDED.protocol_provider,"
                       "   protocol_config = EXCLUDED.protocol_config,"
                       "   deadline_days = EXCLUDED.deadline_days,"
                       "   signed_response_required = EXCLUDED.signed_response_required,"
                       "   field_schema = EXCLUDED.field_schema,"
                       "   steps = EXCLUDED.steps,"
                       "   texts = servizio.texts || EXCLUDED.texts,"
                       "   scheda_informativa = COALESCE (EXCLUDED.scheda_informativa, servizio.scheda_informativa),"
                       "   updated_at = now ()"
                       " RETURNING (xmax = 0) AS created",
                       14, SP_DB_PARAMS (ente_code, def->slug, def->name, def->description,
                                         def->active ? "true" : "false",
                                         def->protocol_required ? "true" : "false",
                                         def->protocol_provider, protocol, deadline,
                                         def->signed_response_required ? "true" : "false",
                                         fields, steps, texts, scheda),
                       error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No ente “%s” (see ente-list)", ente_code);
      return FALSE;
    }
  if (created != NULL)
    *created = sp_db_get_bool (result, 0, 0);
  return TRUE;
}

typedef struct
{
  const char               *ente_code;
  const SpAdminServizioDef *def;
  gboolean                  created;
} SaveData;

static gboolean
save_tx (PGconn   *conn,
         gpointer  data,
         GError  **error)
{
  SaveData *save = data;

  return sp_db_admin_save_servizio (conn, save->ente_code, save->def, &save->created, error);
}

static gpointer
save_cb (PGconn   *conn,
         gpointer  data,
         GError  **error)
{
  return GINT_TO_POINTER (sp_db_admin_transaction (conn, save_tx, data, error));
}

gboolean
sp_db_admin_servizio_save (SpDb                      *db,
                           const char                *ente_code,
                           const SpAdminServizioDef  *def,
                           gboolean                  *created,
                           GError                   **error)
{
  SaveData data = { ente_code, def, FALSE };

  if (sp_db_run_sync (db, save_cb, &data, error) == NULL)
    return FALSE;
  if (created != NULL)
    *created = data.created;
  return TRUE;
}

static gpointer
list_cb (PGconn   *conn,
         gpointer  data,
         GError  **error)
{
  const char *ente_code = data;
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "SELECT e.code AS ente, s.slug, s.name,"
                       "  CASE WHEN s.active THEN 'yes' ELSE 'no' END AS active,"
                       "  CASE WHEN s.protocol_required THEN s.protocol_provider ELSE 'none' END AS protocol,"
                       "  s.deadline_days AS days,"
                       "  jsonb_array_length (s.field_schema) AS fields,"
                       "  jsonb_array_length (s.steps) AS steps,"
                       "  (SELECT count(*) FROM pratica p WHERE p.servizio_id = s.id) AS pratiche"
                       " FROM servizio s JOIN ente e ON e.id = s.ente_id"
                       " WHERE $1::text IS NULL OR e.code = $1"
                       " ORDER BY e.code, s.slug",
                       1, SP_DB_PARAMS (ente_code), error);
  return result != NULL ? sp_db_admin_table_new (result) : NULL;
}

SpAdminTable *
sp_db_admin_servizio_list (SpDb        *db,
                           const char  *ente_code,
                           GError     **error)
{
  return sp_db_run_sync (db, list_cb, (gpointer) ente_code, error);
}
