/* test-dashboard.c: the operators' dashboard: buckets for every status, counts, parameters and cursors */
#define G_LOG_DOMAIN "test-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-dashboard.h"
#include "sp-db-dashboard-sql.h"
#include "sp-pratica.h"
#include "sp-status.h"
#include "sp-test-dashboard.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

/* One environment for the whole binary: starting PostgreSQL takes a while. */
static SpTestEnv *env;
static PGconn *conn;
static GHashTable *tokens;      /* username → session token */

/* Members that may be missing (after a failed request) without a critical. */
static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  return object != NULL ? json_object_get_string_member_with_default (object, member, NULL) : NULL;
}

static gint64
int_member (JsonObject *object,
            const char *member)
{
  return object != NULL ? json_object_get_int_member_with_default (object, member, -1) : -1;
}

static JsonObject *
element_object (JsonArray *array,
                guint      index)
{
  JsonNode *node = array != NULL && index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const SpStatus all_statuses[] = {
  2000, 3000, 4000, 4100, 4500, 5000, 6000, 7000, 8000, 9000, 20000,
};

static const char *
token_for (const char *username)
{
  char *token = g_hash_table_lookup (tokens, username);

  if (token == NULL)
    {
      token = sp_test_login (env, username, SP_TEST_PASSWORD);
      g_hash_table_insert (tokens, g_strdup (username), token);
    }
  return token;
}

static SpTestResponse *
get (const char *path,
     const char *token)
{
  return sp_test_request (env, "GET", path, token, NULL, NULL, 0);
}

/* ———— Buckets ———— */

typedef struct
{
  char       *id;
  int         status;
  const char *assignee;    /* username, or NULL */
  const char *servizio;
} Fixture;

static void
fixture_free (Fixture *fixture)
{
  g_free (fixture->id);
  g_free (fixture);
}

static GPtrArray *membership_fixtures;

static void
insert_membership_fixtures (void)
{
  const char *assignees[] = { SP_TEST_OPERATOR, SP_TEST_OPERATOR2, NULL };
  const char *servizi[] = { SP_TEST_SERVIZIO_INTERNAL, SP_TEST_SERVIZIO_EXTERNAL };

  if (membership_fixtures != NULL)
    return;
  membership_fixtures = g_ptr_array_new_with_free_func ((GDestroyNotify) fixture_free);
  for (guint s = 0; s < G_N_ELEMENTS (all_statuses); s++)
    for (guint a = 0; a < G_N_ELEMENTS (assignees); a++)
      for (guint v = 0; v < G_N_ELEMENTS (servizi); v++)
        {
          SpTestPratica spec = {
            .servizio = servizi[v], .status = all_statuses[s], .assigned_to = assignees[a],
            .protocol_number = all_statuses[s] != 2000 ? "2026/0001234" : NULL,
            .cognome = "Appartenenza", .nome = "Secchio",
          };
          Fixture *fixture = g_new0 (Fixture, 1);

          fixture->id = sp_test_pratica_insert (conn, &spec);
          fixture->status = all_statuses[s];
          fixture->assignee = assignees[a];
          fixture->servizio = servizi[v];
          g_ptr_array_add (membership_fixtures, fixture);
        }
}

/* op.solo: enabled for the internal service only. op.altrove: of the other
 * ente, and (a misconfiguration the server must not honour) linked to a
 * service of SP_TEST_ENTE too. */
static void
create_scoped_operators (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  sp_test_operator_create (conn, SP_TEST_ENTE, "op.solo", "Operatore Solo Residenza", SP_TEST_SERVIZIO_INTERNAL);
  sp_test_pg_command (conn,
                      "INSERT INTO account_servizio (account_id, servizio_id)"
                      " SELECT a.id, s.id FROM account a, servizio s JOIN ente e ON e.id = s.ente_id"
                      " WHERE a.username = $1 AND e.code = $2 AND s.slug = $3",
                      SP_TEST_PG_ARGS (SP_TEST_OTHER_OPERATOR, SP_TEST_ENTE, SP_TEST_SERVIZIO_EXTERNAL));
}

static gboolean
viewer_sees_servizio (const char *viewer,
                      const char *servizio)
{
  if (g_str_equal (viewer, SP_TEST_OPERATOR) || g_str_equal (viewer, SP_TEST_OPERATOR2))
    return TRUE;
  if (g_str_equal (viewer, "op.solo"))
    return g_str_equal (servizio, SP_TEST_SERVIZIO_INTERNAL);
  return FALSE;
}

static void
test_bucket_definitions (void)
{
  /* common/'s sp_bucket_contains() says what DESIGN.md §3 says, for every
   * status code. */
  for (guint s = 0; s < G_N_ELEMENTS (all_statuses); s++)
    for (guint b = 0; b < SP_N_BUCKETS; b++)
      for (guint mine = 0; mine < 2; mine++)
        for (guint assigned = mine; assigned < 2; assigned++)
          {
            if (sp_bucket_contains (b, all_statuses[s], mine, assigned)
                != sp_test_design_bucket_contains (b, all_statuses[s], mine, assigned))
              g_test_message ("bucket %s, status %d, mine %u, assigned %u", sp_bucket_to_string (b),
                              all_statuses[s], mine, assigned);
            g_assert_cmpint (sp_bucket_contains (b, all_statuses[s], mine, assigned), ==,
                             sp_test_design_bucket_contains (b, all_statuses[s], mine, assigned));
          }
}

/* ———— The buckets' SQL, as the server makes it of common/'s table ———— */

#define ME        "11"
#define COLLEAGUE "12"

/* (VALUES …) p (status, assigned_to): every status, of mine, of a colleague
 * and of nobody (@nobody: NULL in pratica, 0 in pratica_count). */
static char *
every_status_and_assignee (const char *nobody)
{
  const char *assignees[] = { ME, COLLEAGUE, nobody };
  GString *values = g_string_new ("(VALUES ");

  for (guint s = 0; s < G_N_ELEMENTS (all_statuses); s++)
    for (guint a = 0; a < G_N_ELEMENTS (assignees); a++)
      g_string_append_printf (values, "%s(%d, %s::bigint)", s + a > 0 ? ", " : "", all_statuses[s], assignees[a]);
  g_string_append (values, ") p (status, assigned_to)");
  return g_string_free (values, FALSE);
}

static gboolean
row_contains (SpBucket  bucket,
              PGresult *result,
              int       row)
{
  const char *assigned_to = PQgetisnull (result, row, 1) ? "0" : PQgetvalue (result, row, 1);

  return sp_bucket_contains (bucket, (SpStatus) atoi (PQgetvalue (result, row, 0)), g_str_equal (assigned_to, ME),
                             !g_str_equal (assigned_to, "0"));
}

/* Every bucket × every status × whose: PostgreSQL, given the server's
 * condition on pratica and on pratica_count, says what sp_bucket_contains()
 * says; and the counts the server makes of them count the same. */
static void
test_bucket_sql (void)
{
  const struct { const SpDbBucketColumns *columns; const char *nobody; } forms[] = {
    { &sp_db_pratica_bucket_columns, "NULL" },
    { &sp_db_count_bucket_columns, "0" },
  };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      g_autofree char *rows = every_status_and_assignee (forms[f].nobody);
      g_autoptr(SpDbQuery) counts = sp_db_query_new ("SELECT ");
      g_autoptr(PGresult) counted = NULL;
      g_autoptr(GError) error = NULL;

      for (guint b = 0; b < SP_N_BUCKETS; b++)
        {
          g_autoptr(SpDbQuery) query = sp_db_query_new ("SELECT p.status, p.assigned_to, ");
          g_autofree char *condition = sp_db_bucket_condition (query, b, forms[f].columns, ME);
          g_autoptr(PGresult) result = NULL;

          sp_db_query_append_printf (query, "(%s) FROM %s", condition, rows);
          result = sp_db_query_exec (conn, query, &error);
          g_assert_no_error (error);
          g_assert_cmpint (PQntuples (result), ==, G_N_ELEMENTS (all_statuses) * 3);
          for (int row = 0; row < PQntuples (result); row++)
            if (g_str_equal (PQgetvalue (result, row, 2), "t") != row_contains (b, result, row))
              sp_test_problem (problems, "%s, status %s, assigned to %s: SQL “%s” says %s", sp_bucket_to_string (b),
                               PQgetvalue (result, row, 0), PQgetvalue (result, row, 1), condition,
                               PQgetvalue (result, row, 2));
        }

      /* pratica_count's n is 1 for each row here: the sums are counts. */
      sp_db_append_bucket_counts (counts, forms[f].columns, ME);
      sp_db_query_append_printf (counts, " FROM (SELECT *, 1 AS n FROM %s) p", rows);
      counted = sp_db_query_exec (conn, counts, &error);
      g_assert_no_error (error);
      for (guint b = 0; b < SP_N_BUCKETS; b++)
        {
          gint64 expected = 0;

          for (guint s = 0; s < G_N_ELEMENTS (all_statuses); s++)
            expected += sp_bucket_contains (b, all_statuses[s], TRUE, TRUE)
                        + sp_bucket_contains (b, all_statuses[s], FALSE, TRUE)
                        + sp_bucket_contains (b, all_statuses[s], FALSE, FALSE);
          if (g_ascii_strtoll (PQgetvalue (counted, 0, (int) b), NULL, 10) != expected)
            sp_test_problem (problems, "%s counted on %s: %s, not %" G_GINT64_FORMAT, sp_bucket_to_string (b),
                             forms[f].nobody, PQgetvalue (counted, 0, (int) b), expected);
        }
    }
  sp_test_assert_no_problems (problems);
}

/* The partial indexes of 0002_dashboard.sql hold one bucket's rows: the
 * server's condition of that bucket must be their predicate, or the
 * planner could not use them. */
static void
test_bucket_sql_indexes (void)
{
  g_autoptr(PGresult) indexes = sp_test_pg_exec (conn, "SELECT c.relname, pg_get_expr (i.indpred, i.indrelid)"
                                                       " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                                                       " WHERE i.indrelid = 'pratica'::regclass AND i.indpred IS NOT NULL"
                                                       "   AND c.relname LIKE 'pratica_unassigned_%'", 0, NULL);

  g_assert_cmpint (PQntuples (indexes), >=, 7);
  for (int row = 0; row < PQntuples (indexes); row++)
    {
      g_autoptr(SpDbQuery) query = sp_db_query_new (NULL);
      g_autofree char *condition = sp_db_bucket_condition (query, SP_BUCKET_DA_ASSEGNARE, &sp_db_pratica_bucket_columns, ME);
      g_autoptr(GString) predicate = g_string_new (PQgetvalue (indexes, row, 1));
      g_autoptr(GString) unqualified = g_string_new (condition);

      g_string_replace (predicate, "(", "", 0);
      g_string_replace (predicate, ")", "", 0);
      g_string_replace (unqualified, "p.", "", 0);
      g_test_message ("%s: %s", PQgetvalue (indexes, row, 0), PQgetvalue (indexes, row, 1));
      g_assert_cmpstr (unqualified->str, ==, predicate->str);
    }
}

static void
test_bucket_membership (void)
{
  const char *viewers[] = { SP_TEST_OPERATOR, SP_TEST_OPERATOR2, "op.solo", SP_TEST_OTHER_OPERATOR };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  create_scoped_operators ();
  insert_membership_fixtures ();

  for (guint v = 0; v < G_N_ELEMENTS (viewers); v++)
    for (guint b = 0; b < SP_N_BUCKETS; b++)
      {
        g_autoptr(SpTestPaged) paged = sp_test_dashboard_page_through (env, token_for (viewers[v]), b, SP_SORT_SUBMITTED, FALSE, NULL, 500,
                                               NULL, NULL);
        g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);

        if (paged->failed_status != 0)
          {
            sp_test_problem (problems, "%s, %s: %s", viewers[v], sp_bucket_to_string (b), paged->failure);
            continue;
          }
        for (guint i = 0; i < paged->ids->len; i++)
          g_hash_table_add (listed, paged->ids->pdata[i]);

        for (guint i = 0; i < membership_fixtures->len; i++)
          {
            const Fixture *f = membership_fixtures->pdata[i];
            gboolean mine = g_strcmp0 (f->assignee, viewers[v]) == 0;
            gboolean expected = viewer_sees_servizio (viewers[v], f->servizio)
                                && sp_test_design_bucket_contains (b, f->status, mine, f->assignee != NULL);
            gboolean common = viewer_sees_servizio (viewers[v], f->servizio)
                              && sp_bucket_contains (b, f->status, mine, f->assignee != NULL);
            gboolean got = g_hash_table_contains (listed, f->id);

            if (got != expected || got != common)
              sp_test_problem (problems, "viewer %s, bucket %s: status %d assigned to %s, %s: listed %s, DESIGN says %s,"
                       " sp_bucket_contains() says %s", viewers[v], sp_bucket_to_string (b), f->status,
                       f->assignee != NULL ? (mine ? "me" : "a colleague") : "nobody", f->servizio,
                       got ? "yes" : "no", expected ? "yes" : "no", common ? "yes" : "no");
          }
      }
  sp_test_assert_no_problems (problems);
}

static void
test_bucket_row_shape (void)
{
  g_autofree char *path = NULL;
  g_autoptr(SpTestResponse) response = NULL;
  SpTestPratica spec = {
    .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = 3000, .protocol_number = "2026/0077777",
    .codice_fiscale = "FGRMRA70A41F205X", .nome = "Maria", .cognome = "Forma", .email = "maria.forma@example.org",
  };
  g_autofree char *id = sp_test_pratica_insert (conn, &spec);
  g_autofree char *numero = sp_test_pg_value (conn, "SELECT numero FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (id));
  JsonArray *items;
  JsonObject *row = NULL;

  path = sp_test_dashboard_path (SP_BUCKET_DA_ASSEGNARE, SP_SORT_NUMERO, FALSE, numero, 10, NULL);
  response = get (path, token_for (SP_TEST_OPERATOR));
  sp_test_assert_status (response, 200);
  items = array_member (sp_test_response_object (response), "items");
  g_assert_nonnull (items);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    if (g_strcmp0 (string_member (element_object (items, i), "id"), id) == 0)
      row = element_object (items, i);
  g_assert_nonnull (row);
  if (row == NULL)
    return;

  g_assert_cmpstr (string_member (row, "numero"), ==, numero);
  g_assert_cmpint (int_member (row, "status"), ==, 3000);
  g_assert_cmpstr (string_member (row, "status_key"), ==, "registered");
  g_assert_cmpstr (string_member (row, "protocol_number"), ==, "2026/0077777");
  g_assert_cmpstr (string_member (object_member (row, "applicant"), "codice_fiscale"),
                   ==, "FGRMRA70A41F205X");
  g_assert_cmpstr (string_member (object_member (row, "servizio"), "slug"),
                   ==, SP_TEST_SERVIZIO_INTERNAL);
  g_assert_true (json_node_is_null (json_object_get_member (row, "assigned_to")));
  g_assert_cmpstr (string_member (row, "take_charge"), ==,
                   sp_take_charge_block_to_string (SP_TAKE_CHARGE_ALLOWED));
  /* The deadline: submission plus the service's 30 days. */
  {
    g_autoptr(GDateTime) submitted = g_date_time_new_from_iso8601 (string_member (row, "submitted_at"), NULL);
    g_autoptr(GDateTime) deadline = g_date_time_new_from_iso8601 (string_member (row, "deadline_at"), NULL);

    g_assert_nonnull (submitted);
    g_assert_nonnull (deadline);
    if (submitted != NULL && deadline != NULL)
      g_assert_cmpint (g_date_time_difference (deadline, submitted), ==, 30 * G_TIME_SPAN_DAY);
  }
}

/* ———— Counts ———— */

/* For every bucket: the count on the first page equals the rows paged through. */
static void
check_counts_match_paging (const char *viewer,
                           const char *search,
                           GPtrArray  *problems)
{
  gint64 counts[SP_N_BUCKETS];
  gboolean have_counts = FALSE;

  for (guint b = 0; b < SP_N_BUCKETS; b++)
    {
      g_autoptr(SpTestPaged) paged = sp_test_dashboard_page_through (env, token_for (viewer), b, SP_SORT_NUMERO, FALSE, search, 37, NULL, NULL);

      if (paged->failed_status != 0)
        {
          sp_test_problem (problems, "%s, %s, q=%s: %s", viewer, sp_bucket_to_string (b), search, paged->failure);
          continue;
        }
      if (!paged->has_counts)
        {
          sp_test_problem (problems, "%s, %s, q=%s: no counts on the first page", viewer, sp_bucket_to_string (b), search);
          continue;
        }
      /* The counts do not depend on the bucket asked for. */
      if (have_counts)
        for (guint c = 0; c < SP_N_BUCKETS; c++)
          if (counts[c] != paged->counts[c])
            sp_test_problem (problems, "%s, q=%s: count of %s is %" G_GINT64_FORMAT " asking for %s but %" G_GINT64_FORMAT
                     " asking for another bucket", viewer, search, sp_bucket_to_string (c), paged->counts[c],
                     sp_bucket_to_string (b), counts[c]);
      memcpy (counts, paged->counts, sizeof counts);
      have_counts = TRUE;

      if (paged->counts[b] != (gint64) paged->ids->len)
        sp_test_problem (problems, "%s, %s, q=%s: count %" G_GINT64_FORMAT ", rows paged through %u", viewer,
                 sp_bucket_to_string (b), search, paged->counts[b], paged->ids->len);
      {
        g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

        for (guint i = 0; i < paged->ids->len; i++)
          if (!g_hash_table_add (seen, paged->ids->pdata[i]))
            sp_test_problem (problems, "%s, %s, q=%s: %s listed twice", viewer, sp_bucket_to_string (b), search,
                     (const char *) paged->ids->pdata[i]);
      }
    }
}

static void
test_counts_match_paging (void)
{
  const char *viewers[] = { SP_TEST_OPERATOR, SP_TEST_OPERATOR2, "op.solo", SP_TEST_OTHER_OPERATOR };
  const char *searches[] = { NULL, "appartenenza", "ROSSI", "residenza", "2026-5", "zzz-nessuno" };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  create_scoped_operators ();
  insert_membership_fixtures ();
  for (guint v = 0; v < G_N_ELEMENTS (viewers); v++)
    for (guint q = 0; q < G_N_ELEMENTS (searches); q++)
      check_counts_match_paging (viewers[v], searches[q], problems);
  sp_test_assert_no_problems (problems);
}

typedef struct
{
  SpTestEnv  *env;
  guint       seed;
  guint       ops;
  guint       deadlocks;
  guint       failures;
  char       *failure;
} Churn;

static gboolean
churn_exec (PGconn     *c,
            Churn      *churn,
            const char *sql,
            int         n,
            const char * const *params)
{
  g_autoptr(PGresult) result = PQexecParams (c, sql, n, NULL, params, NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (result);
  const char *state;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return TRUE;
  state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  if (g_strcmp0 (state, "40P01") == 0)
    churn->deadlocks++;
  else if (churn->failure == NULL)
    {
      churn->failures++;
      churn->failure = g_strdup_printf ("%s: %s", sql, PQerrorMessage (c));
    }
  else
    churn->failures++;
  PQclear (PQexec (c, "ROLLBACK"));
  return FALSE;
}

/* Random single-row changes from one connection: inserts, status and
 * assignee updates, service moves and deletes of its own rows. */
static gpointer
churn_thread (gpointer data)
{
  Churn *churn = data;
  g_autoptr(PGconn) c = sp_test_pg_connect (churn->env);
  g_autoptr(GRand) rand = g_rand_new_with_seed (churn->seed);
  g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func (g_free);
  const char *assignees[] = { SP_TEST_OPERATOR, SP_TEST_OPERATOR2, NULL };
  const char *servizi[] = { SP_TEST_SERVIZIO_INTERNAL, SP_TEST_SERVIZIO_EXTERNAL };

  for (guint i = 0; i < churn->ops; i++)
    {
      guint what = mine->len < 5 ? 0 : (guint) g_rand_int_range (rand, 0, 6);
      g_autofree char *status = g_strdup_printf ("%d", all_statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (all_statuses))]);
      const char *assignee = assignees[g_rand_int_range (rand, 0, G_N_ELEMENTS (assignees))];
      const char *servizio = servizi[g_rand_int_range (rand, 0, 2)];
      const char *target = mine->len > 0 ? mine->pdata[g_rand_int_range (rand, 0, (gint32) mine->len)] : NULL;

      switch (what)
        {
        case 0:
          {
            g_autoptr(PGresult) result = PQexecParams (c,
              "INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
              "  applicant_cognome, applicant_email, status, assigned_to)"
              " SELECT s.ente_id, s.id, '2026-C' || lpad (nextval ('sp_test_numero')::text, 7, '0'),"
              "  (SELECT min (id) FROM citizen), 'CHRCHR80A01H501A', 'Churn', 'Churn', 'churn@example.org',"
              "  $2::integer, (SELECT id FROM account WHERE username = $3)"
              " FROM servizio s JOIN ente e ON e.id = s.ente_id WHERE e.code = '" SP_TEST_ENTE "' AND s.slug = $1"
              " RETURNING id",
              3, NULL, SP_TEST_PG_PARAMS (servizio, status, assignee), NULL, NULL, 0);

            if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) == 1)
              g_ptr_array_add (mine, g_strdup (PQgetvalue (result, 0, 0)));
            else
              {
                churn->failures++;
                if (churn->failure == NULL)
                  churn->failure = g_strdup (PQerrorMessage (c));
              }
          }
          break;
        case 1:
          churn_exec (c, churn, "UPDATE pratica SET status = $2::integer WHERE id = $1::uuid",
                      SP_TEST_PG_ARGS (target, status));
          break;
        case 2:
          churn_exec (c, churn, "UPDATE pratica SET assigned_to = (SELECT id FROM account WHERE username = $2)"
                                " WHERE id = $1::uuid", SP_TEST_PG_ARGS (target, assignee));
          break;
        case 3:
          churn_exec (c, churn, "UPDATE pratica SET servizio_id = (SELECT s.id FROM servizio s JOIN ente e"
                                "   ON e.id = s.ente_id WHERE e.code = '" SP_TEST_ENTE "' AND s.slug = $2)"
                                " WHERE id = $1::uuid", SP_TEST_PG_ARGS (target, servizio));
          break;
        case 4:
          /* Several changes in one transaction, some rolled back. */
          if (churn_exec (c, churn, "BEGIN", 0, NULL)
              && churn_exec (c, churn, "UPDATE pratica SET status = $2::integer, assigned_to = NULL WHERE id = $1::uuid",
                             SP_TEST_PG_ARGS (target, status)))
            churn_exec (c, churn, g_rand_boolean (rand) ? "COMMIT" : "ROLLBACK", 0, NULL);
          break;
        case 5:
        default:
          if (churn_exec (c, churn, "DELETE FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (target)))
            g_ptr_array_remove (mine, (gpointer) target);
          break;
        }
    }
  return NULL;
}

static void
test_counts_after_changes (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *diff = NULL;
  Churn churns[4] = { { 0 } };
  GThread *threads[G_N_ELEMENTS (churns)];
  guint deadlocks = 0;

  create_scoped_operators ();
  insert_membership_fixtures ();

  /* Set-based statements: many rows per statement, in every direction. */
  sp_test_pg_command (conn,
                      "INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
                      "  applicant_cognome, applicant_email, status, assigned_to)"
                      " SELECT s.ente_id, s.id, '2026-B' || lpad (g::text, 6, '0'), (SELECT min (id) FROM citizen),"
                      "   'BLKBLK80A01H501B', 'Blocco', 'Massivo', 'blocco@example.org',"
                      "   (ARRAY[2000, 3000, 4000, 4100, 4500, 5000, 6000, 7000, 8000, 9000, 20000])[1 + g % 11],"
                      "   CASE g % 3 WHEN 0 THEN NULL ELSE (SELECT id FROM account WHERE username ="
                      "     CASE g % 3 WHEN 1 THEN '" SP_TEST_OPERATOR "' ELSE '" SP_TEST_OPERATOR2 "' END) END"
                      " FROM servizio s JOIN ente e ON e.id = s.ente_id, generate_series (1, 300) AS g"
                      " WHERE e.code = '" SP_TEST_ENTE "' AND s.slug = CASE WHEN g % 2 = 0 THEN '"
                      SP_TEST_SERVIZIO_INTERNAL "' ELSE '" SP_TEST_SERVIZIO_EXTERNAL "' END", 0, NULL);
  sp_test_pg_command (conn, "UPDATE pratica SET status = 7000 WHERE numero LIKE '2026-B%' AND status = 5000", 0, NULL);
  sp_test_pg_command (conn,
                      "UPDATE pratica SET assigned_to = NULL WHERE numero LIKE '2026-B%' AND assigned_to ="
                      " (SELECT id FROM account WHERE username = '" SP_TEST_OPERATOR2 "') AND status < 5000", 0, NULL);
  sp_test_pg_command (conn,
                      "UPDATE pratica SET servizio_id = (SELECT s.id FROM servizio s JOIN ente e ON e.id = s.ente_id"
                      "   WHERE e.code = '" SP_TEST_ENTE "' AND s.slug = '" SP_TEST_SERVIZIO_INTERNAL "'),"
                      "   assigned_to = (SELECT id FROM account WHERE username = '" SP_TEST_OPERATOR "')"
                      " WHERE numero LIKE '2026-B%' AND numero::text ~ '[05]$'", 0, NULL);
  sp_test_pg_command (conn, "DELETE FROM pratica WHERE numero LIKE '2026-B%' AND numero ~ '[37]$'", 0, NULL);
  /* The words change too: a protocol number given, a name corrected. */
  sp_test_pg_command (conn,
                      "UPDATE pratica SET protocol_number = '2026/' || lpad (substr (numero, 8), 7, '0')"
                      " WHERE numero LIKE '2026-B%' AND protocol_number IS NULL AND numero ~ '[24]$'", 0, NULL);
  sp_test_pg_command (conn, "UPDATE pratica SET applicant_cognome = 'Delfini' WHERE numero LIKE '2026-B%' AND numero ~ '[68]$'",
                      0, NULL);
  sp_test_pg_command (conn, "BEGIN", 0, NULL);
  sp_test_pg_command (conn, "UPDATE pratica SET status = 9000 WHERE numero LIKE '2026-B%'", 0, NULL);
  sp_test_pg_command (conn, "DELETE FROM pratica WHERE numero LIKE '2026-B%' AND numero ~ '[19]$'", 0, NULL);
  sp_test_pg_command (conn, "ROLLBACK", 0, NULL);

  diff = sp_test_pratica_count_diff (conn);
  if (diff != NULL)
    g_test_message ("after set-based changes:\n%s", diff);
  g_assert_null (diff);
  g_clear_pointer (&diff, g_free);
  diff = sp_test_prefix_count_diff (conn);
  if (diff != NULL)
    g_test_message ("prefix counts after set-based changes:\n%s", diff);
  g_assert_null (diff);

  /* Concurrent single-row changes from four connections. */
  for (guint i = 0; i < G_N_ELEMENTS (churns); i++)
    {
      churns[i].env = env;
      churns[i].seed = 4242 + i;
      churns[i].ops = 150;
      threads[i] = g_thread_new ("churn", churn_thread, &churns[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (churns); i++)
    {
      g_thread_join (threads[i]);
      deadlocks += churns[i].deadlocks;
      if (churns[i].failure != NULL)
        g_test_message ("churn %u: %u failures, the first: %s", i, churns[i].failures, churns[i].failure);
      g_assert_cmpuint (churns[i].failures, ==, 0);
      g_free (churns[i].failure);
    }
  g_test_message ("concurrent changes: %u deadlocks (retried by nobody: those changes did not happen)", deadlocks);

  g_clear_pointer (&diff, g_free);
  diff = sp_test_pratica_count_diff (conn);
  if (diff != NULL)
    g_test_message ("after concurrent changes:\n%s", diff);
  g_assert_null (diff);
  g_clear_pointer (&diff, g_free);
  diff = sp_test_prefix_count_diff (conn);
  if (diff != NULL)
    g_test_message ("prefix counts after concurrent changes:\n%s", diff);
  g_assert_null (diff);

  /* And the API's counts follow. */
  check_counts_match_paging (SP_TEST_OPERATOR, NULL, problems);
  check_counts_match_paging (SP_TEST_OPERATOR2, "churn", problems);
  check_counts_match_paging ("op.solo", NULL, problems);
  sp_test_assert_no_problems (problems);
}

/* ———— Parameters ———— */

static void
assert_invalid (const char *query,
                GPtrArray  *problems)
{
  g_autofree char *path = g_strconcat (SP_TEST_PRATICHE, query, NULL);
  g_autoptr(SpTestResponse) response = get (path, token_for (SP_TEST_OPERATOR));
  const char *type = response->json != NULL && JSON_NODE_HOLDS_OBJECT (response->json)
                     ? json_object_get_string_member_with_default (json_node_get_object (response->json), "type", "")
                     : "";

  if (response->status != 400 || g_strcmp0 (response->content_type, "application/problem+json") != 0
      || !g_str_equal (type, "urn:sportello:problem:invalid-input"))
    sp_test_problem (problems, "GET %s: expected 400 invalid-input, got HTTP %u %s", path, response->status,
             sp_test_response_text (response));
}

static void
test_params_invalid (void)
{
  const char *queries[] = {
    "?limit=0", "?limit=501", "?limit=abc", "?limit=-1", "?limit=", "?limit=7.5", "?limit=1e2",
    "?limit=99999999999999999999", "?bucket=nope", "?bucket=", "?bucket=TUTTE", "?sort=nope", "?sort=",
    "?sort=id", "?sort=p.numero", "?order=sideways", "?order=", "?bucket=tutte&sort=numero;DROP%20TABLE%20pratica",
  };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *long_search = NULL;
  g_autofree char *query = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    assert_invalid (queries[i], problems);
  long_search = g_strnfill (101, 'a');
  query = g_strconcat ("?q=", long_search, NULL);
  assert_invalid (query, problems);
  sp_test_assert_no_problems (problems);

  /* The limits themselves are fine. */
  {
    g_autoptr(SpTestResponse) one = get (SP_TEST_PRATICHE "?bucket=tutte&limit=1", token_for (SP_TEST_OPERATOR));
    g_autoptr(SpTestResponse) most = get (SP_TEST_PRATICHE "?bucket=tutte&limit=500", token_for (SP_TEST_OPERATOR));

    sp_test_assert_status (one, 200);
    sp_test_assert_status (most, 200);
  }
}

static char *
encode_cursor (SpSortKey           key,
               const char * const *values)
{
  return sp_cursor_encode (key, FALSE, values);
}

static void
test_params_invalid_cursor (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *huge = g_strnfill (5000, 'A');
  g_autofree char *not_json = g_base64_encode ((const guchar *) "not json", 8);
  g_autofree char *object = g_base64_encode ((const guchar *) "{\"a\":1}", 7);
  g_autofree char *numbers = g_base64_encode ((const guchar *) "[1,2]", 5);
  g_autofree char *too_short = encode_cursor (SP_SORT_NUMERO, (const char *[]) { "2026-000001", NULL });
  g_autofree char *too_long = encode_cursor (SP_SORT_NUMERO, (const char *[]) { "a", "b", "c", "d", NULL });
  g_autofree char *bad_uuid = encode_cursor (SP_SORT_NUMERO, (const char *[]) { "2026-000001", "not-a-uuid", NULL });
  g_autofree char *bad_time = encode_cursor (SP_SORT_SUBMITTED, (const char *[]) { "ieri", "6f1d0f7c-5b1e-4c1a-9a57-0c6a1d0e9b11", NULL });
  g_autofree char *bad_deadline = encode_cursor (SP_SORT_DEADLINE, (const char *[]) { "ieri", "6f1d0f7c-5b1e-4c1a-9a57-0c6a1d0e9b11", NULL });
  g_autofree char *bad_status = encode_cursor (SP_SORT_STATUS, (const char *[]) { "4000abc", "6f1d0f7c-5b1e-4c1a-9a57-0c6a1d0e9b11", NULL });
  g_autofree char *sql_text = encode_cursor (SP_SORT_NUMERO, (const char *[]) { "a'); DROP TABLE pratica; --", "6f1d0f7c-5b1e-4c1a-9a57-0c6a1d0e9b11", NULL });
  struct { const char *sort; const char *cursor; } cases[] = {
    { "numero", "!!!" },
    { "numero", "abc" },
    { "numero", huge },
    { "numero", not_json },
    { "numero", object },
    { "numero", numbers },
    { "numero", too_short },
    { "numero", too_long },
    { "numero", bad_uuid },
    { "submitted_at", bad_time },
    { "deadline", bad_deadline },
    { "status", bad_status },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = g_uri_escape_string (cases[i].cursor, NULL, FALSE);
      g_autofree char *query = g_strdup_printf ("?bucket=tutte&sort=%s&cursor=%s", cases[i].sort, escaped);

      assert_invalid (query, problems);
    }
  sp_test_assert_no_problems (problems);

  /* SQL in a cursor's text value is only data: a page after it, no error. */
  {
    g_autofree char *escaped = g_uri_escape_string (sql_text, NULL, FALSE);
    g_autofree char *path = g_strdup_printf (SP_TEST_PRATICHE "?bucket=tutte&sort=numero&cursor=%s", escaped);
    g_autoptr(SpTestResponse) response = get (path, token_for (SP_TEST_OPERATOR));

    sp_test_assert_status (response, 200);
    g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM pratica", 0, NULL), >, 0);
  }
}

/* A cursor continues the order it came from: with another sort key it must
 * be refused, not silently misread. */
static void
test_params_cursor_from_other_sort (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  char *cursors[SP_N_SORT_KEYS] = { NULL };

  insert_membership_fixtures ();
  for (guint s = 0; s < SP_N_SORT_KEYS; s++)
    {
      g_autofree char *path = sp_test_dashboard_path (SP_BUCKET_TUTTE, s, FALSE, NULL, 2, NULL);
      g_autoptr(SpTestResponse) response = get (path, token_for (SP_TEST_OPERATOR));
      JsonObject *object;

      sp_test_assert_status (response, 200);
      object = sp_test_response_object (response);
      cursors[s] = g_strdup (json_object_get_string_member_with_default (object, "next_cursor", NULL));
      g_assert_nonnull (cursors[s]);
    }

  for (guint from = 0; from < SP_N_SORT_KEYS; from++)
    for (guint to = 0; to < SP_N_SORT_KEYS; to++)
      {
        g_autofree char *path = NULL;
        g_autoptr(SpTestResponse) response = NULL;

        if (from == to || cursors[from] == NULL)
          continue;
        path = sp_test_dashboard_path (SP_BUCKET_TUTTE, to, FALSE, NULL, 2, cursors[from]);
        response = get (path, token_for (SP_TEST_OPERATOR));
        if (response->status != 400)
          sp_test_problem (problems, "cursor of sort %s used with sort %s: HTTP %u (expected 400)%s%s",
                   sp_sort_key_to_string (from), sp_sort_key_to_string (to), response->status,
                   response->status >= 500 ? " " : "", response->status >= 500 ? sp_test_response_text (response) : "");
      }
  for (guint s = 0; s < SP_N_SORT_KEYS; s++)
    g_free (cursors[s]);
  sp_test_assert_no_problems (problems);
}

static void
test_roles_and_scope (void)
{
  g_autofree char *auditor = sp_test_login (env, SP_TEST_AUDITOR, SP_TEST_PASSWORD);
  g_autoptr(SpTestResponse) as_auditor = get (SP_TEST_PRATICHE, auditor);
  g_autoptr(SpTestResponse) anonymous = get (SP_TEST_PRATICHE, NULL);
  g_autoptr(SpTestResponse) bogus = get (SP_TEST_PRATICHE, "bm90LWEtdG9rZW4tYXQtYWxsLW5vdC1hLXRva2VuLWF0LWFsbA");

  sp_test_assert_problem (as_auditor, 403, "forbidden");
  g_assert_cmpuint (anonymous->status, ==, 401);
  g_assert_cmpuint (bogus->status, ==, 401);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* A failed check fails its test and the others still run and report. */
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/sportello/dashboard/buckets/definitions", test_bucket_definitions);
  g_test_add_func ("/sportello/dashboard/buckets/sql", test_bucket_sql);
  g_test_add_func ("/sportello/dashboard/buckets/sql-indexes", test_bucket_sql_indexes);
  g_test_add_func ("/sportello/dashboard/buckets/membership", test_bucket_membership);
  g_test_add_func ("/sportello/dashboard/buckets/row-shape", test_bucket_row_shape);
  g_test_add_func ("/sportello/dashboard/counts/match-paging", test_counts_match_paging);
  g_test_add_func ("/sportello/dashboard/counts/after-changes", test_counts_after_changes);
  g_test_add_func ("/sportello/dashboard/params/invalid", test_params_invalid);
  g_test_add_func ("/sportello/dashboard/params/invalid-cursor", test_params_invalid_cursor);
  g_test_add_func ("/sportello/dashboard/params/cursor-from-other-sort", test_params_cursor_from_other_sort);
  g_test_add_func ("/sportello/dashboard/roles", test_roles_and_scope);

  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  status = g_test_run ();
  g_hash_table_unref (tokens);
  g_clear_pointer (&membership_fixtures, g_ptr_array_unref);
  g_clear_pointer (&conn, PQfinish);
  sp_test_env_stop (env);
  return status;
}
