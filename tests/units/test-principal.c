/* test-principal.c: who is calling: what each kind may see of a pratica, and the scope's SQL condition */
#define G_LOG_DOMAIN "test-principal"

#include "config.h"

#include "sp-db-scope.h"
#include "sp-principal.h"

#define OPERATOR_ID  11
#define COLLEAGUE_ID 12
#define SERVIZIO     101   /* the operator's */
#define OTHER        202   /* another service of the ente, or another ente's */

static const gint64 operator_servizi[] = { SERVIZIO, 103 };

static SpPrincipal *
new_operator (void)
{
  return sp_principal_new_account (SP_PRINCIPAL_OPERATORE, OPERATOR_ID, "op.prova", "Operatore di Prova", 1,
                                   operator_servizi, G_N_ELEMENTS (operator_servizi));
}

static void
test_view_pratica (void)
{
  const gint64 ente_servizi[] = { SERVIZIO, 103, OTHER };
  g_autoptr(SpPrincipal) operator = new_operator ();
  g_autoptr(SpPrincipal) admin = sp_principal_new_account (SP_PRINCIPAL_ADMIN, COLLEAGUE_ID, "adm", NULL, 1,
                                                           operator_servizi, 1);
  g_autoptr(SpPrincipal) auditor = sp_principal_new_account (SP_PRINCIPAL_AUDITOR, 13, "audit.prova", NULL, 1,
                                                             ente_servizi, G_N_ELEMENTS (ente_servizi));
  g_autoptr(SpPrincipal) partner = sp_principal_new_partner (7, "partner-prova", "Partner di prova", operator_servizi, 1);
  g_autoptr(SpPrincipal) system = sp_principal_new_system ("protocol");
  g_autoptr(SpPrincipal) anonymous = sp_principal_new_anonymous ();
  const struct
  {
    SpPrincipal   *principal;
    gint64         servizio;
    gint64         assigned_to;
    SpPraticaView  view;
  } cases[] = {
    { operator, SERVIZIO, OPERATOR_ID, SP_PRATICA_VIEW_FULL },      /* the assignee */
    { operator, SERVIZIO, COLLEAGUE_ID, SP_PRATICA_VIEW_PUBLIC },   /* a colleague's */
    { operator, SERVIZIO, 0, SP_PRATICA_VIEW_PUBLIC },              /* nobody's yet */
    { operator, OTHER, OPERATOR_ID, SP_PRATICA_VIEW_NONE },         /* not its service, even if assigned */
    { admin, SERVIZIO, COLLEAGUE_ID, SP_PRATICA_VIEW_FULL },
    { admin, SERVIZIO, OPERATOR_ID, SP_PRATICA_VIEW_PUBLIC },
    { auditor, OTHER, 0, SP_PRATICA_VIEW_FULL },                    /* every field (DESIGN.md §1) */
    { auditor, 999, 0, SP_PRATICA_VIEW_NONE },                      /* not of its ente */
    { partner, SERVIZIO, OPERATOR_ID, SP_PRATICA_VIEW_FULL },       /* what it sent */
    { partner, OTHER, 0, SP_PRATICA_VIEW_NONE },                    /* not granted */
    { system, 999, 0, SP_PRATICA_VIEW_FULL },
    { anonymous, SERVIZIO, 0, SP_PRATICA_VIEW_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, sp_principal_get_name (cases[i].principal));
      g_assert_cmpint (sp_principal_view_pratica (cases[i].principal, cases[i].servizio, cases[i].assigned_to),
                       ==, cases[i].view);
    }
}

static void
test_kinds (void)
{
  g_autoptr(SpPrincipal) operator = new_operator ();
  g_autoptr(SpPrincipal) anonymous = sp_principal_new_anonymous ();
  g_autoptr(SpPrincipal) partner = sp_principal_new_partner (7, "partner-prova", "Partner di prova", NULL, 0);

  g_assert_true (sp_principal_is_allowed (operator, SP_PRINCIPAL_OPERATOR));
  g_assert_true (sp_principal_is_allowed (operator, SP_PRINCIPAL_ACCOUNT));
  g_assert_false (sp_principal_is_allowed (operator, SP_PRINCIPAL_AUDITOR | SP_PRINCIPAL_PARTNER));
  g_assert_true (sp_principal_is_allowed (anonymous, SP_PRINCIPAL_ANYONE));
  g_assert_false (sp_principal_is_allowed (anonymous, SP_PRINCIPAL_ACCOUNT));
  g_assert_false (sp_principal_is_allowed (partner, SP_PRINCIPAL_ACCOUNT));
  g_assert_cmpstr (sp_principal_get_name (anonymous), ==, "-");
  g_assert_cmpstr (sp_principal_get_full_name (operator), ==, "Operatore di Prova");
  g_assert_cmpstr (sp_principal_kind_to_string (sp_principal_get_kind (partner)), ==, "partner");
  g_assert_cmpint (sp_principal_get_partner_id (partner), ==, 7);
  g_assert_cmpint (sp_principal_get_account_id (operator), ==, OPERATOR_ID);
}

/* The scope takes the next parameter number and binds the services once,
 * whatever the column it is asked about. */
static void
test_scope_condition (void)
{
  g_autoptr(SpPrincipal) operator = new_operator ();
  g_autoptr(SpPrincipal) system = sp_principal_new_system ("outbox");
  g_autoptr(SpPrincipal) anonymous = sp_principal_new_anonymous ();
  g_autoptr(SpDbQuery) query = sp_db_query_new ("SELECT 1 WHERE ");
  g_autoptr(SpDbScope) scope = NULL;
  g_autoptr(SpDbScope) all = NULL;
  g_autoptr(SpDbScope) none = NULL;
  g_autofree char *on_pratica = NULL;
  g_autofree char *on_servizio = NULL;
  g_autofree char *everything = NULL;
  g_autofree char *nothing = NULL;

  sp_db_query_param (query, "pratica-id", "uuid");
  sp_db_query_param (query, "document-id", "uuid");
  scope = sp_db_scope_new_in (operator, query);
  on_pratica = sp_db_scope_condition (scope, "p.servizio_id");
  on_servizio = sp_db_scope_condition (scope, "sv.id");
  g_assert_cmpuint (sp_db_query_get_n_params (query), ==, 3);
  g_assert_cmpstr (sp_db_query_get_params (query)[2], ==, "{101,103}");
  g_assert_cmpstr (on_pratica, ==, "p.servizio_id = ANY ($3::bigint[])");
  g_assert_cmpstr (on_servizio, ==, "sv.id = ANY ($3::bigint[])");

  all = sp_db_scope_new_in (system, query);
  none = sp_db_scope_new_in (anonymous, query);
  everything = sp_db_scope_condition (all, "p.servizio_id");
  nothing = sp_db_scope_condition (none, "p.servizio_id");
  g_assert_cmpuint (sp_db_query_get_n_params (query), ==, 3);
  g_assert_cmpstr (everything, ==, "TRUE");
  g_assert_cmpstr (nothing, ==, "FALSE");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/principal/view-pratica", test_view_pratica);
  g_test_add_func ("/sportello/principal/kinds", test_kinds);
  g_test_add_func ("/sportello/principal/scope-condition", test_scope_condition);

  return g_test_run ();
}
