/* sp-db-admin-demo.c: loads the demo data set in one transaction, the bulk rows as JSON record sets, the moduli as binary */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-db-admin-private.h"
#include "sp-db-util.h"
#include "sp-error.h"

static gpointer
time_zone_cb (PGconn   *conn,
              gpointer  data,
              GError  **error)
{
  g_autoptr(PGresult) result = sp_db_exec (conn, "SELECT current_setting ('TimeZone')", 0, NULL, error);

  return result != NULL ? g_strdup (sp_db_get (result, 0, 0)) : NULL;
}

/**
 * sp_db_admin_time_zone:
 *
 * Returns: the session time zone, in which to_json() writes timestamps
 */
char *
sp_db_admin_time_zone (SpDb    *db,
                       GError **error)
{
  return sp_db_run_sync (db, time_zone_cb, NULL, error);
}

/* Each statement inserts one JSON array ($1) of rows and returns how many it inserted. */
static const struct
{
  const char *what;
  gsize       offset;
  gsize       count;
  const char *sql;
} bulk[] = {
  { "citizens", G_STRUCT_OFFSET (SpAdminDemo, citizens), G_STRUCT_OFFSET (SpAdminDemoCounts, n_citizens),
    "INSERT INTO citizen (codice_fiscale, nome, cognome, email)"
    " SELECT x.codice_fiscale, x.nome, x.cognome, x.email"
    " FROM jsonb_to_recordset ($1::jsonb) AS x (codice_fiscale text, nome text, cognome text, email text)"
    " ON CONFLICT (codice_fiscale) DO NOTHING" },
  { "pratiche", G_STRUCT_OFFSET (SpAdminDemo, pratiche), G_STRUCT_OFFSET (SpAdminDemoCounts, n_pratiche),
    "INSERT INTO pratica (id, ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
    "   applicant_cognome, applicant_email, data, status, assigned_to, submitted_at, updated_at,"
    "   protocol_number, protocol_date, protocol_entries, outcome, motivation, concluded_at,"
    "   taken_at, partner_id, external_id)"
    " SELECT x.id, e.id, s.id, x.numero, c.id, x.cf, x.nome, x.cognome, x.email, x.data, x.status, a.id,"
    "   x.submitted_at, x.updated_at, x.protocol_number, x.protocol_date, x.protocol_entries,"
    "   x.outcome, x.motivation, x.concluded_at, x.taken_at, p.id, x.external_id"
    " FROM jsonb_to_recordset ($1::jsonb) AS x (id uuid, ente text, servizio text, numero text, cf text,"
    "   nome text, cognome text, email text, data jsonb, status integer, assigned_to text,"
    "   submitted_at timestamptz, updated_at timestamptz, protocol_number text, protocol_date timestamptz,"
    "   protocol_entries jsonb, outcome text, motivation text, concluded_at timestamptz, taken_at timestamptz,"
    "   partner text,"
    "   external_id text)"
    " JOIN ente e ON e.code = x.ente"
    " JOIN servizio s ON s.ente_id = e.id AND s.slug = x.servizio"
    " JOIN citizen c ON c.codice_fiscale = x.cf"
    " LEFT JOIN account a ON a.username = x.assigned_to"
    " LEFT JOIN partner p ON p.slug = x.partner" },
  { "iter", G_STRUCT_OFFSET (SpAdminDemo, iter), G_STRUCT_OFFSET (SpAdminDemoCounts, n_iter),
    "INSERT INTO iter (pratica_id, status, previous_status, at, actor_kind, actor_account_id, actor_name, note)"
    " SELECT x.pratica_id, x.status, x.previous_status, x.at, x.actor_kind, a.id, x.actor_name, x.note"
    " FROM jsonb_to_recordset ($1::jsonb) AS x (pratica_id uuid, status integer, previous_status integer,"
    "   at timestamptz, actor_kind text, actor_username text, actor_name text, note text)"
    " LEFT JOIN account a ON a.username = x.actor_username"
    " ORDER BY x.at, x.pratica_id" },
  { "protocol register", G_STRUCT_OFFSET (SpAdminDemo, protocols), G_STRUCT_OFFSET (SpAdminDemoCounts, n_protocols),
    "INSERT INTO protocol_register (ente_id, year, number, direction, registered_at, pratica_id)"
    " SELECT e.id, x.year, x.number, x.direction, x.registered_at, x.pratica_id"
    " FROM jsonb_to_recordset ($1::jsonb) AS x (ente text, year integer, number integer, direction text,"
    "   registered_at timestamptz, pratica_id uuid)"
    " JOIN ente e ON e.code = x.ente" },
  { "counters", G_STRUCT_OFFSET (SpAdminDemo, counters), 0,
    "INSERT INTO pratica_counter (ente_id, year, last)"
    " SELECT e.id, x.year, x.last"
    " FROM jsonb_to_recordset ($1::jsonb) AS x (ente text, year integer, last integer)"
    " JOIN ente e ON e.code = x.ente"
    " ON CONFLICT (ente_id, year) DO UPDATE SET last = greatest (pratica_counter.last, EXCLUDED.last)" },
};

/* After the documents, which the snapshots list (those of the pratica by the
 * version's time: the response from the conclusion on): each version in order, made
 * and chained by the database (version_append() and version_snapshot(), as
 * for the server's versions); returns how many it appended. */
static const char versions_sql[] =
  "SELECT count (version_append (x.pratica_id, x.operation, x.account_id, x.actor_name, x.actor_role, x.note,"
  "   x.created_at, version_snapshot (x.data, x.status, x.assigned_to, x.protocol_number, x.protocol_date,"
  "                                   x.protocol_entries, x.outcome, x.motivation, version_documents (x.pratica_id, x.created_at))))"
  " FROM (SELECT r.*, a.id AS account_id"
  "       FROM jsonb_to_recordset ($1::jsonb) AS r (pratica_id uuid, number integer, operation text,"
  "         actor_username text, actor_name text, actor_role text, created_at timestamptz, note text,"
  "         data jsonb, status integer, assigned_to text, protocol_number text, protocol_date timestamptz,"
  "         protocol_entries jsonb, outcome text, motivation text)"
  "       LEFT JOIN account a ON a.username = r.actor_username"
  "       ORDER BY r.created_at, r.pratica_id, r.number) x";

/* After the documents it names: the work the concluded pratiche were
 * concluded from, as Salva leaves it. */
static const char processing_sql[] =
  "INSERT INTO pratica_processing (pratica_id, esito, motivazione, risposta_id, saved_at, saved_by)"
  " SELECT x.pratica_id, x.esito, x.motivazione, x.risposta_id, x.saved_at, a.id"
  " FROM jsonb_to_recordset ($1::jsonb) AS x (pratica_id uuid, esito text, motivazione text, risposta_id uuid,"
  "   saved_at timestamptz, saved_by text)"
  " JOIN account a ON a.username = x.saved_by";

typedef struct
{
  const SpAdminDemo *demo;
  SpAdminDemoCounts *counts;
} LoadData;

static gboolean
load_bulk (PGconn             *conn,
           const SpAdminDemo  *demo,
           SpAdminDemoCounts  *counts,
           GError            **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (bulk); i++)
    {
      const char *rows = G_STRUCT_MEMBER (const char *, demo, bulk[i].offset);
      g_autoptr(PGresult) result = sp_db_exec (conn, bulk[i].sql, 1, SP_DB_PARAMS (rows), error);

      if (result == NULL)
        {
          g_prefix_error (error, "Loading the %s: ", bulk[i].what);
          return FALSE;
        }
      if (bulk[i].count != 0)
        G_STRUCT_MEMBER (guint64, counts, bulk[i].count) = g_ascii_strtoull (PQcmdTuples (result), NULL, 10);
    }
  return TRUE;
}

static gboolean
load_tx (PGconn   *conn,
         gpointer  data,
         GError  **error)
{
  LoadData *load = data;
  const SpAdminDemo *demo = load->demo;
  g_autoptr(PGresult) versions = NULL;
  g_autoptr(PGresult) processing = NULL;

  for (guint i = 0; i < demo->enti->len; i++)
    if (!sp_db_admin_insert_ente (conn, g_ptr_array_index (demo->enti, i), error))
      return FALSE;
  for (guint i = 0; i < demo->servizi->len; i++)
    if (!sp_db_admin_save_servizio (conn, g_ptr_array_index (demo->servizi_ente, i),
                                    g_ptr_array_index (demo->servizi, i), NULL, error))
      return FALSE;
  for (guint i = 0; i < demo->accounts->len; i++)
    if (!sp_db_admin_insert_account (conn, g_ptr_array_index (demo->accounts, i), error))
      return FALSE;
  for (guint i = 0; i < demo->partners->len; i++)
    if (!sp_db_admin_insert_partner (conn, g_ptr_array_index (demo->partners, i), error))
      return FALSE;
  load->counts->n_servizi = demo->servizi->len;
  load->counts->n_accounts = demo->accounts->len;

  if (!load_bulk (conn, demo, load->counts, error)
      || !sp_db_admin_insert_documents (conn, (SpAdminDocument * const *) demo->documents->pdata,
                                        demo->documents->len, error))
    return FALSE;
  load->counts->n_documents = demo->documents->len;
  if (!(processing = sp_db_exec (conn, processing_sql, 1, SP_DB_PARAMS (demo->processing), error)))
    {
      g_prefix_error (error, "Loading the saved work: ");
      return FALSE;
    }
  if (!(versions = sp_db_exec (conn, versions_sql, 1, SP_DB_PARAMS (demo->versions), error)))
    {
      g_prefix_error (error, "Loading the versions: ");
      return FALSE;
    }
  load->counts->n_versions = sp_db_get_int64 (versions, 0, 0);
  return TRUE;
}

static gpointer
load_cb (PGconn   *conn,
         gpointer  data,
         GError  **error)
{
  return GINT_TO_POINTER (sp_db_admin_transaction (conn, load_tx, data, error));
}

/**
 * sp_db_admin_demo_load:
 *
 * Writes everything or nothing.
 */
gboolean
sp_db_admin_demo_load (SpDb               *db,
                       const SpAdminDemo  *demo,
                       SpAdminDemoCounts  *counts,
                       GError            **error)
{
  LoadData data = { demo, counts };

  return sp_db_run_sync (db, load_cb, &data, error) != NULL;
}
