/* test-db-query.c: the statement builder's parameter numbering, the scope and the buckets' SQL written with it */
#define G_LOG_DOMAIN "test-db-query"

#include "config.h"

#include "sp-db-dashboard-sql.h"
#include "sp-db-query.h"
#include "sp-db-scope.h"
#include "sp-principal.h"
#include "sp-status.h"

static const gint64 operator_servizi[] = { 101, 103 };

/* Parameters are numbered in the order they are added; the same value of
 * the same type is one parameter; another type makes another. */
static void
test_numbering (void)
{
  g_autoptr(SpDbQuery) query = sp_db_query_new ("SELECT 1 FROM pratica p WHERE p.id = ");
  const char *id;

  sp_db_query_append_param (query, "a5a1c3c0-0000-4000-8000-000000000001", "uuid");
  id = sp_db_query_param (query, "42", "bigint");
  g_assert_cmpstr (id, ==, "$2::bigint");
  sp_db_query_append_printf (query, " AND p.assigned_to = %s AND p.status < ", id);
  sp_db_query_append_param (query, "42", "integer");
  sp_db_query_append (query, " AND p.servizio_id <> ");
  sp_db_query_append_param (query, "42", "bigint");
  sp_db_query_append (query, " AND p.protocol_number IS NOT DISTINCT FROM ");
  sp_db_query_append_param (query, NULL, "text");
  sp_db_query_append (query, " AND p.note IS NOT DISTINCT FROM ");
  sp_db_query_append_param (query, NULL, "text");

  g_assert_cmpstr (sp_db_query_get_sql (query), ==,
                   "SELECT 1 FROM pratica p WHERE p.id = $1::uuid AND p.assigned_to = $2::bigint"
                   " AND p.status < $3::integer AND p.servizio_id <> $2::bigint"
                   " AND p.protocol_number IS NOT DISTINCT FROM $4::text"
                   " AND p.note IS NOT DISTINCT FROM $4::text");
  g_assert_cmpuint (sp_db_query_get_n_params (query), ==, 4);
  g_assert_cmpstr (sp_db_query_get_params (query)[0], ==, "a5a1c3c0-0000-4000-8000-000000000001");
  g_assert_cmpstr (sp_db_query_get_params (query)[1], ==, "42");
  g_assert_cmpstr (sp_db_query_get_params (query)[2], ==, "42");
  g_assert_null (sp_db_query_get_params (query)[3]);
}

/* The builder keeps its own copy of each value. */
static void
test_values_copied (void)
{
  g_autoptr(SpDbQuery) query = sp_db_query_new (NULL);
  g_autofree char *value = g_strdup ("rossi%");

  sp_db_query_append (query, "SELECT ");
  sp_db_query_append_param (query, value, "text");
  value[0] = 'X';
  g_assert_cmpstr (sp_db_query_get_params (query)[0], ==, "rossi%");
  g_assert_cmpstr (sp_db_query_get_sql (query), ==, "SELECT $1::text");
}

/* The scope takes the next number in the statement, once, whatever the
 * column it is asked about; the system and the anonymous take none. */
static void
test_scope_in_query (void)
{
  g_autoptr(SpPrincipal) operator = sp_principal_new_account (SP_PRINCIPAL_OPERATORE, 11, "op.prova", NULL, 1,
                                                              operator_servizi, G_N_ELEMENTS (operator_servizi));
  g_autoptr(SpPrincipal) system = sp_principal_new_system ("outbox");
  g_autoptr(SpPrincipal) anonymous = sp_principal_new_anonymous ();
  g_autoptr(SpDbQuery) query = sp_db_query_new ("SELECT 1 FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id WHERE p.id = ");
  g_autoptr(SpDbScope) scope = NULL;
  g_autoptr(SpDbScope) all = NULL;
  g_autoptr(SpDbScope) none = NULL;

  sp_db_query_append_param (query, "a5a1c3c0-0000-4000-8000-000000000001", "uuid");
  scope = sp_db_scope_new_in (operator, query);
  all = sp_db_scope_new_in (system, query);
  none = sp_db_scope_new_in (anonymous, query);
  g_assert_cmpuint (sp_db_query_get_n_params (query), ==, 2);
  sp_db_query_append (query, " AND ");
  sp_db_scope_append (scope, query, "p.servizio_id");
  sp_db_query_append (query, " AND ");
  sp_db_scope_append (scope, query, "sv.id");
  sp_db_query_append (query, " AND ");
  sp_db_scope_append (all, query, "p.servizio_id");
  sp_db_query_append (query, " AND NOT ");
  sp_db_scope_append (none, query, "p.servizio_id");

  g_assert_cmpstr (sp_db_query_get_sql (query), ==,
                   "SELECT 1 FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id WHERE p.id = $1::uuid"
                   " AND p.servizio_id = ANY ($2::bigint[]) AND sv.id = ANY ($2::bigint[]) AND TRUE AND NOT FALSE");
  g_assert_cmpuint (sp_db_query_get_n_params (query), ==, 2);
  g_assert_cmpstr (sp_db_query_get_params (query)[1], ==, "{101,103}");
}

/* The buckets' conditions keep the form the partial indexes of
 * 0002_dashboard.sql are made for ("assigned_to IS NULL AND status < 6000"),
 * and a bucket that does not look at the assignee adds no parameter. */
static void
test_bucket_sql (void)
{
  const struct { SpBucket bucket; const char *pratica; const char *count; guint n_params; } cases[] = {
    { SP_BUCKET_DA_GESTIRE, "p.assigned_to = $1::bigint AND p.status < 6000", "assigned_to = $1::bigint AND status < 6000", 1 },
    { SP_BUCKET_DA_ASSEGNARE, "p.assigned_to IS NULL AND p.status < 6000", "assigned_to = 0 AND status < 6000", 0 },
    { SP_BUCKET_CONCLUSE, "p.assigned_to = $1::bigint AND p.status >= 6000", "assigned_to = $1::bigint AND status >= 6000", 1 },
    { SP_BUCKET_TUTTE, "TRUE", "TRUE", 0 },
  };
  g_autoptr(SpDbQuery) counts = sp_db_query_new ("SELECT ");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpDbQuery) query = sp_db_query_new (NULL);
      g_autofree char *pratica = sp_db_bucket_condition (query, cases[i].bucket, &sp_db_pratica_bucket_columns, "11");
      g_autofree char *count = sp_db_bucket_condition (query, cases[i].bucket, &sp_db_count_bucket_columns, "11");

      g_assert_cmpstr (pratica, ==, cases[i].pratica);
      g_assert_cmpstr (count, ==, cases[i].count);
      g_assert_cmpuint (sp_db_query_get_n_params (query), ==, cases[i].n_params);
    }

  sp_db_append_bucket_counts (counts, &sp_db_count_bucket_columns, "11");
  g_assert_cmpstr (sp_db_query_get_sql (counts), ==,
                   "SELECT coalesce (sum (n) FILTER (WHERE assigned_to = $1::bigint AND status < 6000), 0) AS n0,"
                   " coalesce (sum (n) FILTER (WHERE assigned_to = 0 AND status < 6000), 0) AS n1,"
                   " coalesce (sum (n) FILTER (WHERE assigned_to = $1::bigint AND status >= 6000), 0) AS n2,"
                   " coalesce (sum (n), 0) AS n3");
  g_assert_cmpuint (sp_db_query_get_n_params (counts), ==, 1);
}

/* The SQL says "concluded" as a range of codes: it must hold the concluded
 * statuses and no other. */
static void
test_concluded_range (void)
{
  guint n_statuses;
  const SpStatus *statuses = sp_status_all (&n_statuses);
  SpStatus first = sp_status_get_first_concluded ();

  g_assert_cmpint (first, ==, SP_STATUS_COMPLETE_WAITING);
  for (guint i = 0; i < n_statuses; i++)
    g_assert_cmpint (sp_status_is_concluded (statuses[i]), ==, statuses[i] >= first);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/db-query/numbering", test_numbering);
  g_test_add_func ("/sportello/db-query/values-copied", test_values_copied);
  g_test_add_func ("/sportello/db-query/scope", test_scope_in_query);
  g_test_add_func ("/sportello/db-query/bucket-sql", test_bucket_sql);
  g_test_add_func ("/sportello/db-query/concluded-range", test_concluded_range);

  return g_test_run ();
}
