/* sp-db-partner-create.c: SQL of the partner API's offline/create: a pratica checked, numbered and recorded, idempotent on the partner's id */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-history.h"
#include "sp-db-modulo.h"
#include "sp-db-partner-api.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-form.h"
#include "sp-json.h"

void
sp_partner_create_free (SpPartnerCreate *create)
{
  if (create == NULL)
    return;
  g_free (create->external_id);
  g_free (create->request);
  g_free (create->servizio);
  g_free (create->ente);
  g_free (create->codice_fiscale);
  g_free (create->nome);
  g_free (create->cognome);
  g_free (create->email);
  g_free (create->protocollo_principale);
  g_clear_pointer (&create->dati, json_object_unref);
  g_free (create->dati_text);
  g_free (create);
}

void
sp_partner_created_free (SpPartnerCreated *created)
{
  if (created == NULL)
    return;
  g_free (created->id);
  g_free (created->numero);
  g_clear_pointer (&created->field_errors, json_array_unref);
  g_free (created);
}

typedef struct
{
  SpPrincipal      *principal;
  SpPartnerCreate  *create;
} CreateCall;

static void
create_call_free (CreateCall *call)
{
  g_clear_pointer (&call->principal, sp_principal_unref);
  sp_partner_create_free (call->create);
  g_free (call);
}

static SpPartnerCreated *
created_new (PGresult *row,
             gboolean  created)
{
  SpPartnerCreated *result = g_new0 (SpPartnerCreated, 1);

  result->created = created;
  result->id = g_strdup (sp_db_get (row, 0, 0));
  result->numero = g_strdup (sp_db_get (row, 0, 1));
  result->status = (SpStatus) sp_db_get_int64 (row, 0, 2);
  return result;
}

/* The modulo, drawn from the pratica as just written and stored in the same
 * transaction: the citizen's e-mail of 2000 attaches it, and its sender may
 * run as soon as this commits. The drawing holds the connection for the few
 * milliseconds it takes (a partner's create is rare next to its reads). */
static gboolean
store_modulo (PGconn      *conn,
              const char  *pratica_id,
              GError     **error)
{
  g_autoptr(SpModuloSource) source = sp_db_modulo_source (conn, pratica_id, error);
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *document_id = NULL;

  if (source == NULL || !(pdf = sp_modulo_source_render (source, error)))
    return FALSE;
  filename = sp_modulo_source_filename (source);
  document_id = sp_db_modulo_store (conn, pratica_id, filename, pdf, error);
  return document_id != NULL;
}

/* Creates a pratica for a partner (an SpDbFunc), all in one transaction:
 * the number, the citizen, the pratica, its modulo, then its submission
 * (2000: iter, version 1, e-mail) and, with a main protocol number for a
 * service that needs one, its registration (3000) as `protocollata` would.
 * Requests with the same id are taken one at a time (an advisory lock on
 * the id), so that concurrent retries make one pratica. */
static gpointer
partner_create (PGconn   *conn,
                gpointer  data,
                GError  **error)
{
  CreateCall *call = data;
  SpPartnerCreate *create = call->create;
  g_autofree char *partner_id = g_strdup_printf ("%" G_GINT64_FORMAT, sp_principal_get_partner_id (call->principal));
  SpActor actor = { "partner", 0, sp_principal_get_full_name (call->principal), "partner" };
  g_autoptr(PGresult) servizio = NULL;
  g_autoptr(PGresult) locked = NULL;
  g_autoptr(PGresult) existing = NULL;
  g_autoptr(PGresult) citizen = NULL;
  g_autoptr(PGresult) pratica = NULL;
  g_autoptr(JsonNode) schema = NULL;
  g_autofree char *entries = NULL;
  const char *request_hash = NULL;
  SpPartnerCreated *result;
  const char *id;
  SpStatus registered;

  if (!sp_db_begin (conn, error))
    return NULL;

  /* A retry is the same body as jsonb reads it: members in any order,
   * spaced in any way, and every number with its digits (19.99 is not
   * 19.989999999999998, 10^20 not 10^20 + 1, nor 1.10 1.1). */
  if (create->external_id != NULL)
    {
      if (!(locked = sp_db_exec (conn,
                                 "SELECT pg_advisory_xact_lock (hashtextextended ($1 || ':' || $2, 0)),"
                                 "       encode (sha256 (convert_to ($3::jsonb::text, 'UTF8')), 'hex')",
                                 3, SP_DB_PARAMS (partner_id, create->external_id, create->request), error))
          || !(existing = sp_db_exec (conn,
                                      "SELECT id, numero, status, external_request_hash FROM pratica"
                                      " WHERE partner_id = $1::bigint AND external_id = $2",
                                      2, SP_DB_PARAMS (partner_id, create->external_id), error)))
        goto failed;
      request_hash = sp_db_get (locked, 0, 1);
      if (PQntuples (existing) == 1)
        {
          if (g_strcmp0 (sp_db_get (existing, 0, 3), request_hash) != 0)
            {
              g_set_error_literal (error, SP_ERROR, SP_ERROR_CONFLICT,
                                   "This id was used for another pratica, with another body");
              goto failed;
            }
          sp_db_rollback (conn);
          return created_new (existing, FALSE);
        }
    }

  /* The service: granted to the partner for creation, active. */
  servizio = sp_db_exec (conn,
                         "SELECT sv.id, sv.ente_id, sv.protocol_required, sv.field_schema::text, ps.can_create"
                         " FROM servizio sv JOIN ente e ON e.id = sv.ente_id"
                         " JOIN partner_servizio ps ON ps.servizio_id = sv.id AND ps.partner_id = $1::bigint"
                         " WHERE e.code = $2 AND sv.slug = $3 AND sv.active",
                         3, SP_DB_PARAMS (partner_id, create->ente, create->servizio), error);
  if (servizio == NULL)
    goto failed;
  if (PQntuples (servizio) != 1)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such active service granted to the partner");
      goto failed;
    }
  if (!sp_db_get_bool (servizio, 0, 4))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_FORBIDDEN, "The partner may not create pratiche of this service");
      goto failed;
    }

  /* The form data against the service's field schema. */
  if (!(schema = sp_json_parse (sp_db_get (servizio, 0, 3), strlen (sp_db_get (servizio, 0, 3)), error)))
    goto failed;
  {
    g_autoptr(JsonArray) errors = json_array_new ();

    if (!sp_form_check (json_node_get_array (schema), create->dati, "dati", errors))
      {
        sp_db_rollback (conn);
        result = g_new0 (SpPartnerCreated, 1);
        result->field_errors = g_steal_pointer (&errors);
        return result;
      }
  }

  if (create->protocollo_principale != NULL)
    {
      g_autoptr(JsonArray) numbers = json_array_new ();
      g_autoptr(JsonNode) array = NULL;

      json_array_add_string_element (numbers, create->protocollo_principale);
      array = json_node_init_array (json_node_alloc (), numbers);
      entries = sp_json_to_string (array, NULL);
    }

  if (!(citizen = sp_db_exec (conn,
                              "INSERT INTO citizen (codice_fiscale, nome, cognome, email) VALUES ($1, $2, $3, $4)"
                              " ON CONFLICT (codice_fiscale) DO UPDATE"
                              "   SET nome = EXCLUDED.nome, cognome = EXCLUDED.cognome, email = EXCLUDED.email"
                              " RETURNING id",
                              4, SP_DB_PARAMS (create->codice_fiscale, create->nome, create->cognome, create->email),
                              error))
      || !(pratica = sp_db_exec (conn,
                                 "WITH counter AS ("
                                 "  INSERT INTO pratica_counter (ente_id, year, last)"
                                 "  VALUES ($1::bigint, extract (year FROM now () AT TIME ZONE 'Europe/Rome')::integer, 1)"
                                 "  ON CONFLICT (ente_id, year) DO UPDATE SET last = pratica_counter.last + 1"
                                 "  RETURNING year, last)"
                                 " INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf,"
                                 "   applicant_nome, applicant_cognome, applicant_email, data, status,"
                                 "   protocol_number, protocol_date, protocol_entries,"
                                 "   partner_id, external_id, external_request_hash)"
                                 " SELECT $1::bigint, $2::bigint,"
                                 "   counter.year || '-' || CASE WHEN counter.last < 1000000"
                                 "     THEN lpad (counter.last::text, 6, '0') ELSE counter.last::text END,"
                                 "   $3::bigint, $4, $5, $6, $7, $8::jsonb, 2000,"
                                 "   $9::text, CASE WHEN $9::text IS NOT NULL THEN now () END, coalesce ($10::jsonb, '[]'),"
                                 "   $11::bigint, $12::text, $13::text"
                                 " FROM counter"
                                 " RETURNING id, numero, status",
                                 13, SP_DB_PARAMS (sp_db_get (servizio, 0, 1), sp_db_get (servizio, 0, 0),
                                                   sp_db_get (citizen, 0, 0), create->codice_fiscale, create->nome,
                                                   create->cognome, create->email, create->dati_text,
                                                   create->protocollo_principale, entries, partner_id,
                                                   create->external_id,
                                                   request_hash),
                                 error)))
    goto failed;
  id = sp_db_get (pratica, 0, 0);

  if (!store_modulo (conn, id, error)
      || !sp_db_record_change (conn, id, SP_STATUS_SUBMITTED, SP_STATUS_INVALID, "Invio", &actor, NULL, error))
    goto failed;

  result = created_new (pratica, TRUE);
  if (create->protocollo_principale != NULL && sp_db_get_bool (servizio, 0, 2)
      && sp_event_apply (SP_EVENT_PROTOCOLLATA, SP_STATUS_SUBMITTED, TRUE, &registered, NULL))
    {
      g_autofree char *registered_text = g_strdup_printf ("%d", (int) registered);

      if (!sp_db_command (conn, "UPDATE pratica SET status = $2::integer, updated_at = now () WHERE id = $1::uuid",
                          2, SP_DB_PARAMS (id, registered_text), error)
          || !sp_db_record_change (conn, id, registered, SP_STATUS_SUBMITTED, "Protocollazione", &actor,
                                   create->protocollo_principale, error))
        {
          sp_partner_created_free (result);
          goto failed;
        }
      result->status = registered;
    }
  if (!sp_db_commit (conn, error))
    {
      sp_partner_created_free (result);
      goto failed;
    }
  return result;

failed:
  sp_db_rollback (conn);
  return NULL;
}

/**
 * sp_db_partner_create_async:
 * @create: (transfer full): the request
 *
 * Creates a pratica of a service the partner may create (404 when it is not
 * granted, 403 when only to read), or finds the one an identical earlier
 * request with the same id made (409 when that request differed).
 */
void
sp_db_partner_create_async (SpDb                *db,
                            SpPrincipal         *principal,
                            SpPartnerCreate     *create,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  CreateCall *call = g_new0 (CreateCall, 1);

  call->principal = sp_principal_ref (principal);
  call->create = create;
  g_task_set_source_tag (task, sp_db_partner_create_async);
  sp_db_task_run (db, SP_DB_RETRY, task, partner_create, call, (GDestroyNotify) create_call_free,
                  (GDestroyNotify) sp_partner_created_free);
}

/* Returns: (transfer full): the pratica, or the field errors of `dati` */
SpPartnerCreated *
sp_db_partner_create_finish (SpDb          *db,
                             GAsyncResult  *result,
                             GError       **error)
{
  return sp_db_task_finish (result, sp_db_partner_create_async, error);
}

/* Appends a partner's protocol entries verbatim (an SpDbFunc), and applies
 * the main-number rule (sp_protocol_entries_main_number()): a pratica
 * without a main number takes it, and one waiting for it moves on as with
 * evento protocollata. A version records the entries as the partner. */
