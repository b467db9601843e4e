/* test-take-charge.c: taking a pratica in charge: the change, its iter, version and e-mail, refusals and the race */
#define G_LOG_DOMAIN "test-take-charge"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "sp-pratica.h"
#include "sp-status.h"
#include "sp-take-charge.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"
#include "sp-test-race.h"

#define PRATICHE "/api/v1.0/operator/pratiche"
#define SERVIZIO_NO_PROTOCOL "senza-protocollo"
#define RACE_SERVIZIO "gara"
#define RACE_OPERATORS 50
#define RACE_PRATICHE 100

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


static gint64
int_member (JsonObject *object,
            const char *member)
{
  return object != NULL ? json_object_get_int_member_with_default (object, member, -1) : -1;
}


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
take_charge (const char *pratica_id,
             const char *token)
{
  g_autofree char *path = g_strdup_printf (PRATICHE "/%s/take-charge", pratica_id);

  return sp_test_request (env, "POST", path, token, NULL, NULL, 0);
}

/* Version 1 as the submission writes it: the pratica as it is, chained to
 * nothing. */
static void
add_first_version (const char *pratica_id)
{
  g_assert_cmpint (sp_test_version_append (conn, pratica_id, "Invio", "Mario Rossi", "cittadino"), ==, 1);
}

/* Recomputes every link of the pratica's chain (sportello-admin
 * verify-versions). Returns the versions. */
static guint64
verify_chain (const char *pratica_id)
{
  return sp_test_versions_verify (env, pratica_id);
}

typedef struct
{
  gint64 iter;
  gint64 versions;
  gint64 outbox;
  char  *status;
  char  *assigned_to;
} Trail;

static void
trail_clear (Trail *trail)
{
  g_free (trail->status);
  g_free (trail->assigned_to);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Trail, trail_clear)

static void
read_trail (const char *pratica_id,
            Trail      *trail)
{
  g_autoptr(PGresult) result = sp_test_pg_exec (conn,
    "SELECT (SELECT count (*) FROM iter WHERE pratica_id = p.id), (SELECT count (*) FROM version WHERE pratica_id = p.id),"
    "       (SELECT count (*) FROM outbox WHERE pratica_id = p.id), p.status, a.username"
    " FROM pratica p LEFT JOIN account a ON a.id = p.assigned_to WHERE p.id = $1::uuid",
    SP_TEST_PG_ARGS (pratica_id));

  g_assert_cmpint (PQntuples (result), ==, 1);
  trail->iter = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  trail->versions = g_ascii_strtoll (PQgetvalue (result, 0, 1), NULL, 10);
  trail->outbox = g_ascii_strtoll (PQgetvalue (result, 0, 2), NULL, 10);
  trail->status = g_strdup (PQgetvalue (result, 0, 3));
  trail->assigned_to = PQgetisnull (result, 0, 4) ? NULL : g_strdup (PQgetvalue (result, 0, 4));
}

/* A refused request changed nothing. */
static void
assert_unchanged (const char  *pratica_id,
                  const Trail *before)
{
  g_auto(Trail) after = { 0 };

  read_trail (pratica_id, &after);
  g_assert_cmpint (after.iter, ==, before->iter);
  g_assert_cmpint (after.versions, ==, before->versions);
  g_assert_cmpint (after.outbox, ==, before->outbox);
  g_assert_cmpstr (after.status, ==, before->status);
  g_assert_cmpstr (after.assigned_to, ==, before->assigned_to);
}

static gboolean
italian_installed (void)
{
  locale_t it = newlocale (LC_MESSAGES_MASK, "it_IT.UTF-8", (locale_t) 0);

  if (it == (locale_t) 0)
    return FALSE;
  freelocale (it);
  return TRUE;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/* A refusal names its cause: the problem type, the reason, the pratica's
 * number and status, who has it (or nobody), and says it in Italian. */
static void
assert_refused (SpTestResponse *response,
                const char     *pratica_id,
                const char     *slug,
                const char     *reason,
                const char     *assignee,        /* username, or NULL for nobody */
                const char     *italian_detail)  /* "%s" stands for the numero */
{
  g_autofree char *numero = sp_test_pg_value (conn, "SELECT numero FROM pratica WHERE id = $1::uuid",
                                              SP_TEST_PG_ARGS (pratica_id));
  g_autofree char *status = sp_test_pg_value (conn, "SELECT status FROM pratica WHERE id = $1::uuid",
                                              SP_TEST_PG_ARGS (pratica_id));
  g_autofree char *full_name = NULL;
  JsonObject *problem;
  JsonObject *pratica;
  JsonObject *assigned;

  g_test_message ("HTTP %u %s", response->status, sp_test_response_text (response));
  sp_test_assert_problem (response, 409, slug);
  problem = sp_test_response_object (response);
  g_assert_cmpstr (string_member (problem, "reason"), ==, reason);
  pratica = object_member (problem, "pratica");
  g_assert_nonnull (pratica);
  g_assert_cmpstr (string_member (pratica, "numero"), ==, numero);
  g_assert_cmpint (int_member (pratica, "status"), ==, g_ascii_strtoll (status, NULL, 10));

  assigned = object_member (problem, "assigned_to");
  if (assignee == NULL)
    g_assert_false (json_object_has_member (problem, "assigned_to"));
  else
    {
      full_name = sp_test_pg_value (conn, "SELECT full_name FROM account WHERE username = $1", SP_TEST_PG_ARGS (assignee));
      g_assert_nonnull (assigned);
      g_assert_cmpstr (string_member (assigned, "username"), ==, assignee);
      g_assert_cmpstr (string_member (assigned, "full_name"), ==, full_name);
    }

  if (italian_installed ())
    {
      g_autoptr(GString) expected = g_string_new (italian_detail);
      g_autofree char *title = NULL;

      g_string_replace (expected, "%s", numero, 1);
      g_assert_cmpstr (string_member (problem, "detail"), ==, expected->str);
      /* The type's title, in Italian too. */
      g_assert_nonnull (string_member (problem, "title"));
      title = g_strdup (string_member (problem, "title"));
      g_assert_cmpstr (title, ==, g_str_equal (slug, "already-taken") ? "Già presa in carico da un collega"
                                  : g_str_equal (slug, "conflict") ? "Conflitto con lo stato attuale"
                                  : "Cambio di stato non consentito");
    }
  else
    g_test_message ("it_IT.UTF-8 is not installed here: the language of the problem is not checked");
}

static void
test_success (void)
{
  const char *data = "{\"motivo\": \"Uso \\\"bollo\\\" — è così\", \"data_nascita\": \"1980-01-01\","
                     " \"indirizzo\": {\"via\": \"Via Roma 1\", \"cap\": \"00100\"}, \"importo\": 12.5,"
                     " \"allegati\": [1, \"due\", {\"tre\": null}]}";
  SpTestPratica spec = {
    .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = 3000, .protocol_number = "2026/0004321",
    .cognome = "Verdi", .nome = "Giuseppe", .email = "giuseppe.verdi@example.org", .data = data,
  };
  g_autofree char *id = sp_test_pratica_insert (conn, &spec);
  g_autoptr(SpTestResponse) response = NULL;
  g_autoptr(PGresult) pratica = NULL;
  g_autoptr(PGresult) iter = NULL;
  g_autoptr(PGresult) version = NULL;
  g_autoptr(PGresult) outbox = NULL;
  g_autofree char *operator_id = g_strdup_printf ("%" G_GINT64_FORMAT, sp_test_account_id (conn, SP_TEST_OPERATOR));
  g_autofree char *first_hash = NULL;
  g_autofree char *numero = NULL;

  add_first_version (id);
  first_hash = sp_test_pg_value (conn, "SELECT hash FROM version WHERE pratica_id = $1::uuid", SP_TEST_PG_ARGS (id));

  response = take_charge (id, token_for (SP_TEST_OPERATOR));
  sp_test_assert_status (response, 204);
  g_assert_cmpuint (g_bytes_get_size (response->body), ==, 0);

  /* The pratica: In carico, assigned to the operator. */
  pratica = sp_test_pg_exec (conn, "SELECT status, assigned_to, numero FROM pratica WHERE id = $1::uuid",
                             SP_TEST_PG_ARGS (id));
  g_assert_cmpstr (PQgetvalue (pratica, 0, 0), ==, "4000");
  g_assert_cmpstr (PQgetvalue (pratica, 0, 1), ==, operator_id);
  numero = g_strdup (PQgetvalue (pratica, 0, 2));

  /* One iter row: 3000 → 4000 by the operator. */
  iter = sp_test_pg_exec (conn,
                          "SELECT id, status, previous_status, actor_kind, actor_account_id, actor_name FROM iter"
                          " WHERE pratica_id = $1::uuid ORDER BY at, id", SP_TEST_PG_ARGS (id));
  g_assert_cmpint (PQntuples (iter), ==, 1);
  g_assert_cmpstr (PQgetvalue (iter, 0, 1), ==, "4000");
  g_assert_cmpstr (PQgetvalue (iter, 0, 2), ==, "3000");
  g_assert_cmpstr (PQgetvalue (iter, 0, 3), ==, "operator");
  g_assert_cmpstr (PQgetvalue (iter, 0, 4), ==, operator_id);
  g_assert_cmpstr (PQgetvalue (iter, 0, 5), ==, "Operatore di Prova");

  /* Version 2, "Presa in carico", chained to version 1. */
  version = sp_test_pg_exec (conn,
                             "SELECT operation, status, actor_account_id, actor_role, previous_hash,"
                             "       snapshot->>'status', snapshot->>'assigned_to', snapshot->'protocol'->>'number',"
                             "       (snapshot->'data')::jsonb = (SELECT data FROM pratica WHERE id = $1::uuid)"
                             " FROM version WHERE pratica_id = $1::uuid AND number = 2",
                             SP_TEST_PG_ARGS (id));
  g_assert_cmpint (PQntuples (version), ==, 1);
  if (PQntuples (version) == 1)
    {
      g_assert_cmpstr (PQgetvalue (version, 0, 0), ==, "Presa in carico");
      g_assert_cmpstr (PQgetvalue (version, 0, 1), ==, "4000");
      g_assert_cmpstr (PQgetvalue (version, 0, 2), ==, operator_id);
      g_assert_cmpstr (PQgetvalue (version, 0, 3), ==, "operatore");
      g_assert_cmpstr (PQgetvalue (version, 0, 4), ==, first_hash);
      g_assert_cmpstr (PQgetvalue (version, 0, 5), ==, "4000");
      g_assert_cmpstr (PQgetvalue (version, 0, 6), ==, SP_TEST_OPERATOR);
      g_assert_cmpstr (PQgetvalue (version, 0, 7), ==, "2026/0004321");
      g_assert_cmpstr (PQgetvalue (version, 0, 8), ==, "t");
    }
  g_assert_cmpuint (verify_chain (id), ==, 2);

  /* One e-mail, for the 4000 iter row, to the applicant; it names nobody of
   * the office, in the ente's language (it_IT). */
  outbox = sp_test_pg_exec (conn, "SELECT status, recipient, subject, body, iter_id, sent_at IS NULL FROM outbox"
                                  " WHERE pratica_id = $1::uuid", SP_TEST_PG_ARGS (id));
  g_assert_cmpint (PQntuples (outbox), ==, 1);
  if (PQntuples (outbox) == 1)
    {
      const char *subject = PQgetvalue (outbox, 0, 2);
      const char *body = PQgetvalue (outbox, 0, 3);

      g_test_message ("subject: %s\n%s", subject, body);
      g_assert_cmpstr (PQgetvalue (outbox, 0, 0), ==, "4000");
      g_assert_cmpstr (PQgetvalue (outbox, 0, 1), ==, "giuseppe.verdi@example.org");
      g_assert_cmpstr (PQgetvalue (outbox, 0, 4), ==, PQgetvalue (iter, 0, 0));
      g_assert_cmpstr (PQgetvalue (outbox, 0, 5), ==, "t");
      g_assert_nonnull (strstr (subject, numero));
      g_assert_nonnull (strstr (body, numero));
      for (guint i = 0; i < 2; i++)
        {
          const char *text = i == 0 ? subject : body;

          g_assert_null (strstr (text, "Operatore di Prova"));
          g_assert_null (strstr (text, SP_TEST_OPERATOR));
          g_assert_null (strstr (text, "Operatore"));
        }
      if (italian_installed ())
        {
          g_assert_nonnull (strstr (subject, "pratica n."));
          g_assert_nonnull (strstr (subject, "In carico"));
          g_assert_true (g_str_has_prefix (body, "Gentile Verdi Giuseppe"));
          g_assert_nonnull (strstr (body, "presa in carico"));
          g_assert_null (strstr (body, "Dear"));
        }
      else
        g_test_message ("it_IT.UTF-8 is not installed here: the language of the e-mail is not checked");
    }

  /* The dashboard follows: Da gestire for the operator, gone from Da assegnare. */
  {
    g_autofree char *path = g_strdup_printf (PRATICHE "?bucket=da_gestire&q=%s", numero);
    g_autoptr(SpTestResponse) mine = sp_test_request (env, "GET", path, token_for (SP_TEST_OPERATOR), NULL, NULL, 0);
    JsonArray *items;

    sp_test_assert_status (mine, 200);
    items = array_member (sp_test_response_object (mine), "items");
    g_assert_nonnull (items);
    g_assert_cmpuint (items != NULL ? json_array_get_length (items) : 0, ==, 1);
  }
  {
    g_autofree char *diff = sp_test_pratica_count_diff (conn);

    g_assert_null (diff);
  }
}

static void
test_service_without_protocol (void)
{
  SpTestPratica spec = { .servizio = SERVIZIO_NO_PROTOCOL, .status = 2000 };
  g_autofree char *id = sp_test_pratica_insert (conn, &spec);
  g_autoptr(SpTestResponse) response = take_charge (id, token_for (SP_TEST_OPERATOR));
  g_autofree char *previous = NULL;

  /* 2000 → 4000 directly: the service needs no protocol. */
  sp_test_assert_status (response, 204);
  previous = sp_test_pg_value (conn, "SELECT previous_status FROM iter WHERE pratica_id = $1::uuid AND status = 4000",
                               SP_TEST_PG_ARGS (id));
  g_assert_cmpstr (previous, ==, "2000");
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM outbox WHERE pratica_id = $1::uuid AND status = 4000",
                                   SP_TEST_PG_ARGS (id)), ==, 1);
  g_assert_cmpuint (verify_chain (id), ==, 1);
}

static void
test_waiting_for_protocol (void)
{
  SpTestPratica spec = { .servizio = SP_TEST_SERVIZIO_EXTERNAL, .status = 2000 };
  g_autofree char *id = sp_test_pratica_insert (conn, &spec);
  g_auto(Trail) before = { 0 };
  g_autoptr(SpTestResponse) response = NULL;

  read_trail (id, &before);
  response = take_charge (id, token_for (SP_TEST_OPERATOR));
  assert_refused (response, id, "conflict", "waiting-protocol", NULL,
                  "La pratica %s è in attesa di protocollazione: potrà essere presa in carico dopo la registrazione "
                  "del protocollo.");
  assert_unchanged (id, &before);
}

/* A colleague has it: the answer names them, with the pratica's status, so
 * the operator knows whom to ask without another request. */
static void
test_already_taken (void)
{
  const SpStatus statuses[] = { 4000, 4100, 4500, 5000 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      SpTestPratica spec = {
        .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = statuses[i], .assigned_to = SP_TEST_OPERATOR2,
        .protocol_number = "2026/0000010",
      };
      g_autofree char *id = sp_test_pratica_insert (conn, &spec);
      g_auto(Trail) before = { 0 };
      g_autoptr(SpTestResponse) response = NULL;

      read_trail (id, &before);
      response = take_charge (id, token_for (SP_TEST_OPERATOR));
      g_test_message ("a colleague's pratica in %d", statuses[i]);
      assert_refused (response, id, "already-taken", "taken-by-colleague", SP_TEST_OPERATOR2,
                      "La pratica %s è già in carico a Seconda Operatrice.");
      assert_unchanged (id, &before);
      /* E-mails never name the operator; the problem is for colleagues only. */
    }
}

/* One's own open pratica: "already yours", not "taken by" oneself. */
static void
test_already_yours (void)
{
  const SpStatus statuses[] = { 4000, 4100, 4500, 5000 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      SpTestPratica spec = {
        .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = statuses[i], .assigned_to = SP_TEST_OPERATOR,
        .protocol_number = "2026/0000011",
      };
      g_autofree char *id = sp_test_pratica_insert (conn, &spec);
      g_auto(Trail) before = { 0 };
      g_autoptr(SpTestResponse) response = NULL;

      read_trail (id, &before);
      response = take_charge (id, token_for (SP_TEST_OPERATOR));
      g_test_message ("one's own pratica in %d", statuses[i]);
      assert_refused (response, id, "conflict", "already-yours", SP_TEST_OPERATOR,
                      "La pratica %s è già in carico a te.");
      g_assert_null (strstr (sp_test_response_text (response), "è già in carico a Operatore di Prova"));
      assert_unchanged (id, &before);
    }
}

/* Concluded, by oneself or a colleague, waiting for the outcome's protocol
 * or not: "concluded", with its status, never "already taken". */
static void
test_concluded (void)
{
  const struct { SpStatus status; const char *assignee; const char *label; } cases[] = {
    { 7000, SP_TEST_OPERATOR, "Accettata" },
    { 9000, SP_TEST_OPERATOR, "Rifiutata" },
    { 6000, SP_TEST_OPERATOR, "Accettata (in attesa di protocollazione dell'esito)" },
    { 8000, SP_TEST_OPERATOR2, "Rifiutata (in attesa di protocollazione dell'esito)" },
    { 7000, SP_TEST_OPERATOR2, "Accettata" },
    { 9000, NULL, "Rifiutata" },     /* rejected by a partner before anybody took it */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SpTestPratica spec = {
        .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = cases[i].status, .assigned_to = cases[i].assignee,
        .protocol_number = "2026/0000012",
      };
      g_autofree char *id = sp_test_pratica_insert (conn, &spec);
      g_autofree char *detail = g_strdup_printf ("La pratica %%s è conclusa (%s): non può più essere presa in carico.",
                                                 cases[i].label);
      g_auto(Trail) before = { 0 };
      g_autoptr(SpTestResponse) response = NULL;

      read_trail (id, &before);
      response = take_charge (id, token_for (SP_TEST_OPERATOR));
      g_test_message ("pratica in %d handled by %s", cases[i].status, cases[i].assignee);
      assert_refused (response, id, "transition-not-allowed", "concluded", cases[i].assignee, detail);
      assert_unchanged (id, &before);
    }
}

static void
test_withdrawn (void)
{
  const char *assignees[] = { NULL, SP_TEST_OPERATOR, SP_TEST_OPERATOR2 };

  for (guint i = 0; i < G_N_ELEMENTS (assignees); i++)
    {
      SpTestPratica spec = {
        .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = 20000, .assigned_to = assignees[i],
        .protocol_number = "2026/0000013",
      };
      g_autofree char *id = sp_test_pratica_insert (conn, &spec);
      g_auto(Trail) before = { 0 };
      g_autoptr(SpTestResponse) response = NULL;

      read_trail (id, &before);
      response = take_charge (id, token_for (SP_TEST_OPERATOR));
      g_test_message ("withdrawn pratica, assigned to %s", assignees[i]);
      assert_refused (response, id, "transition-not-allowed", "withdrawn", assignees[i],
                      "La pratica %s è stata ritirata: non può più essere presa in carico.");
      assert_unchanged (id, &before);
    }
}

static void
test_every_status (void)
{
  guint n;
  const SpStatus *statuses = sp_status_all (&n);

  g_assert_cmpuint (n, ==, 11);
  for (guint i = 0; i < n; i++)
    {
      SpTestPratica spec = {
        .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = statuses[i], .protocol_number = "2026/0000020",
      };
      g_autofree char *id = sp_test_pratica_insert (conn, &spec);
      gboolean allowed = statuses[i] == 2000 || statuses[i] == 3000 || statuses[i] == 4000;
      g_auto(Trail) before = { 0 };
      g_autoptr(SpTestResponse) response = NULL;

      /* common/ agrees: the transitions table of DESIGN.md §3. */
      g_assert_cmpint (sp_take_charge_check (statuses[i], FALSE, TRUE, TRUE) == SP_TAKE_CHARGE_ALLOWED, ==, allowed);

      read_trail (id, &before);
      response = take_charge (id, token_for (SP_TEST_OPERATOR));
      g_test_message ("unassigned pratica in %d: HTTP %u", statuses[i], response->status);
      if (allowed)
        {
          g_auto(Trail) after = { 0 };

          sp_test_assert_status (response, 204);
          read_trail (id, &after);
          g_assert_cmpstr (after.status, ==, "4000");
          g_assert_cmpstr (after.assigned_to, ==, SP_TEST_OPERATOR);
          g_assert_cmpint (after.iter, ==, before.iter + 1);
          g_assert_cmpint (after.versions, ==, before.versions + 1);
          /* One e-mail per status change: none when it stays 4000. */
          g_assert_cmpint (after.outbox, ==, before.outbox + (statuses[i] != 4000 ? 1 : 0));
        }
      else
        {
          const char *reason = statuses[i] == 20000 ? "withdrawn"
                               : sp_status_is_concluded (statuses[i]) ? "concluded" : "status";

          sp_test_assert_problem (response, 409, "transition-not-allowed");
          g_assert_cmpstr (string_member (sp_test_response_object (response), "reason"), ==, reason);
          g_assert_cmpint (sp_take_charge_refusal (statuses[i], FALSE, FALSE, TRUE, TRUE), ==,
                           sp_take_charge_refusal_from_string (reason));
          assert_unchanged (id, &before);
        }
    }
}

static void
test_scope (void)
{
  SpTestPratica other_ente = { .ente = SP_TEST_OTHER_ENTE, .servizio = SP_TEST_SERVIZIO_OTHER, .status = 3000,
                               .protocol_number = "2026/0000030" };
  SpTestPratica external = { .servizio = SP_TEST_SERVIZIO_EXTERNAL, .status = 3000, .protocol_number = "2026/0000031" };
  g_autofree char *other_id = sp_test_pratica_insert (conn, &other_ente);
  g_autofree char *external_id = sp_test_pratica_insert (conn, &external);
  const struct { const char *who; const char *id; } cases[] = {
    { SP_TEST_OPERATOR, other_id },         /* another ente's pratica */
    { "tc.solo", external_id },             /* a service the operator is not enabled for */
    { SP_TEST_OTHER_OPERATOR, external_id },/* another ente, even linked to the service by mistake */
  };

  sp_test_operator_create (conn, SP_TEST_ENTE, "tc.solo", "Operatore Solo Residenza", SP_TEST_SERVIZIO_INTERNAL);
  sp_test_pg_command (conn,
                      "INSERT INTO account_servizio (account_id, servizio_id)"
                      " SELECT a.id, s.id FROM account a, servizio s JOIN ente e ON e.id = s.ente_id"
                      " WHERE a.username = $1 AND e.code = $2 AND s.slug = $3 ON CONFLICT DO NOTHING",
                      SP_TEST_PG_ARGS (SP_TEST_OTHER_OPERATOR, SP_TEST_ENTE, SP_TEST_SERVIZIO_EXTERNAL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Trail) before = { 0 };
      g_autoptr(SpTestResponse) response = NULL;

      read_trail (cases[i].id, &before);
      response = take_charge (cases[i].id, token_for (cases[i].who));
      g_test_message ("%s on %s", cases[i].who, cases[i].id);
      sp_test_assert_problem (response, 404, "not-found");
      assert_unchanged (cases[i].id, &before);
    }
}

static void
test_roles (void)
{
  SpTestPratica spec = { .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = 3000, .protocol_number = "2026/0000040" };
  g_autofree char *id = sp_test_pratica_insert (conn, &spec);
  g_autofree char *auditor = sp_test_login (env, SP_TEST_AUDITOR, SP_TEST_PASSWORD);
  g_auto(Trail) before = { 0 };

  read_trail (id, &before);
  {
    g_autoptr(SpTestResponse) as_auditor = take_charge (id, auditor);
    g_autoptr(SpTestResponse) anonymous = take_charge (id, NULL);
    g_autofree char *path = g_strdup_printf (PRATICHE "/%s/take-charge", id);
    g_autoptr(SpTestResponse) get = sp_test_request (env, "GET", path, token_for (SP_TEST_OPERATOR), NULL, NULL, 0);

    sp_test_assert_problem (as_auditor, 403, "forbidden");
    g_assert_cmpuint (anonymous->status, ==, 401);
    sp_test_assert_problem (get, 405, "method-not-allowed");
  }
  assert_unchanged (id, &before);
}

static void
test_malformed_id (void)
{
  const char *ids[] = {
    "not-a-uuid", "123", "00000000-0000-0000-0000-000000000000", "%27%3B%20DROP%20TABLE%20pratica%3B--",
    "6f1d0f7c-5b1e-4c1a-9a57-0c6a1d0e9b1", "6f1d0f7c-5b1e-4c1a-9a57-0c6a1d0e9b11x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(SpTestResponse) response = take_charge (ids[i], token_for (SP_TEST_OPERATOR));

      g_test_message ("POST .../%s/take-charge", ids[i]);
      sp_test_assert_problem (response, 404, "not-found");
    }

  /* libsoup refuses a NUL in the path by itself (400): a client error anyway. */
  {
    g_autoptr(SpTestResponse) response = take_charge ("%00", token_for (SP_TEST_OPERATOR));

    g_assert_cmpuint (response->status, ==, 400);
  }
}

/* DESIGN.md §7 and §11: of many operators confirming at once, exactly one
 * takes each pratica; the others are told it is taken. */
static void
test_race (void)
{
  g_autoptr(GPtrArray) race_tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) usernames = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GString) id_array = g_string_new ("{");
  g_autoptr(SpTestRace) race = NULL;
  g_autoptr(PGresult) assigned = NULL;
  g_autofree char *outbox_before = NULL;
  g_autofree char *diff = NULL;
  SpTestPratica spec = { .servizio = RACE_SERVIZIO, .status = 3000, .protocol_number = "2026/0000050" };
  gint64 start;

  sp_test_servizio_create (conn, SP_TEST_ENTE, RACE_SERVIZIO, "Servizio della gara", TRUE);
  for (guint i = 0; i < RACE_OPERATORS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Operatore di gara %u", i);
      char *username = g_strdup_printf ("gara.op%02u", i);

      sp_test_operator_create (conn, SP_TEST_ENTE, username, name, RACE_SERVIZIO);
      g_ptr_array_add (usernames, username);
    }
  ids = sp_test_pratiche_insert (conn, &spec, RACE_PRATICHE);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (id_array, "%s%s", i > 0 ? "," : "", (const char *) ids->pdata[i]);
  g_string_append_c (id_array, '}');
  g_ptr_array_add (ids, NULL);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < RACE_OPERATORS; i++)
    g_ptr_array_add (race_tokens, sp_test_login (env, usernames->pdata[i], SP_TEST_PASSWORD));
  g_ptr_array_add (race_tokens, NULL);
  g_test_message ("%u logins: %.1f s", RACE_OPERATORS, (g_get_monotonic_time () - start) / 1e6);

  outbox_before = sp_test_pg_value (conn, "SELECT count (*) FROM outbox", 0, NULL);
  race = sp_test_race_run (env, (const char * const *) race_tokens->pdata, (const char * const *) ids->pdata, 1234);
  g_test_message ("%u requests in %.2f s (%.0f/s); 204 p95 %.1f ms, 409 p95 %.1f ms", race->n_requests, race->seconds,
                  race->n_requests / race->seconds, sp_test_percentile (race->ok_ms, 0.95),
                  sp_test_percentile (race->taken_ms, 0.95));
  for (guint i = 0; i < MIN (race->other->len, 10); i++)
    g_test_message ("unexpected: %s", (const char *) race->other->pdata[i]);

  g_assert_cmpuint (race->n_requests, ==, RACE_OPERATORS * RACE_PRATICHE);
  g_assert_cmpuint (race->n_ok, ==, RACE_PRATICHE);
  g_assert_cmpuint (race->n_taken, ==, (RACE_OPERATORS - 1) * RACE_PRATICHE);
  g_assert_cmpuint (race->n_other, ==, 0);
  g_assert_cmpuint (race->n_double_wins, ==, 0);
  g_assert_cmpuint (g_hash_table_size (race->winners), ==, RACE_PRATICHE);

  /* Each pratica is assigned to the operator who got the 204. */
  assigned = sp_test_pg_exec (conn,
                              "SELECT p.id, a.username, p.status FROM pratica p LEFT JOIN account a ON a.id = p.assigned_to"
                              " WHERE p.id = ANY ($1::uuid[])", SP_TEST_PG_ARGS (id_array->str));
  g_assert_cmpint (PQntuples (assigned), ==, RACE_PRATICHE);
  for (int row = 0; row < PQntuples (assigned); row++)
    {
      guint winner = GPOINTER_TO_UINT (g_hash_table_lookup (race->winners, PQgetvalue (assigned, row, 0)));

      g_assert_cmpstr (PQgetvalue (assigned, row, 2), ==, "4000");
      g_assert_cmpuint (winner, >, 0);
      if (winner > 0)
        g_assert_cmpstr (PQgetvalue (assigned, row, 1), ==, usernames->pdata[winner - 1]);
    }

  /* Exactly one of everything per pratica. */
  g_assert_cmpint (sp_test_pg_int (conn,
                                   "SELECT count (*) FROM (SELECT pratica_id FROM iter WHERE pratica_id = ANY ($1::uuid[])"
                                   " AND status = 4000 GROUP BY 1 HAVING count (*) = 1) x",
                                   SP_TEST_PG_ARGS (id_array->str)), ==, RACE_PRATICHE);
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM iter WHERE pratica_id = ANY ($1::uuid[])",
                                   SP_TEST_PG_ARGS (id_array->str)), ==, RACE_PRATICHE);
  g_assert_cmpint (sp_test_pg_int (conn,
                                   "SELECT count (*) FROM (SELECT pratica_id FROM version WHERE pratica_id = ANY ($1::uuid[])"
                                   " AND operation = 'Presa in carico' GROUP BY 1 HAVING count (*) = 1) x",
                                   SP_TEST_PG_ARGS (id_array->str)), ==, RACE_PRATICHE);
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM version WHERE pratica_id = ANY ($1::uuid[])",
                                   SP_TEST_PG_ARGS (id_array->str)), ==, RACE_PRATICHE);
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) - $1::bigint FROM outbox", SP_TEST_PG_ARGS (outbox_before)),
                   ==, RACE_PRATICHE);
  g_assert_cmpint (sp_test_pg_int (conn,
                                   "SELECT count (DISTINCT pratica_id) FROM outbox WHERE pratica_id = ANY ($1::uuid[])"
                                   " AND status = 4000", SP_TEST_PG_ARGS (id_array->str)), ==, RACE_PRATICHE);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (verify_chain (ids->pdata[i * 20]), ==, 1);

  diff = sp_test_pratica_count_diff (conn);
  if (diff != NULL)
    g_test_message ("pratica_count against the pratiche:\n%s", diff);
  g_assert_null (diff);

  /* And the dashboard agrees: none left to assign in the service. */
  {
    g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", PRATICHE "?bucket=da_assegnare",
                                                          race_tokens->pdata[0], NULL, NULL, 0);
    JsonObject *counts;

    sp_test_assert_status (response, 200);
    counts = object_member (sp_test_response_object (response), "counts");
    g_assert_nonnull (counts);
    if (counts != NULL)
      {
        g_assert_cmpint (int_member (counts, "da_assegnare"), ==, 0);
        g_assert_cmpint (int_member (counts, "tutte"), ==, RACE_PRATICHE);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/sportello/take-charge/success", test_success);
  g_test_add_func ("/sportello/take-charge/service-without-protocol", test_service_without_protocol);
  g_test_add_func ("/sportello/take-charge/waiting-for-protocol", test_waiting_for_protocol);
  g_test_add_func ("/sportello/take-charge/already-taken", test_already_taken);
  g_test_add_func ("/sportello/take-charge/already-yours", test_already_yours);
  g_test_add_func ("/sportello/take-charge/concluded", test_concluded);
  g_test_add_func ("/sportello/take-charge/withdrawn", test_withdrawn);
  g_test_add_func ("/sportello/take-charge/every-status", test_every_status);
  g_test_add_func ("/sportello/take-charge/scope", test_scope);
  g_test_add_func ("/sportello/take-charge/roles", test_roles);
  g_test_add_func ("/sportello/take-charge/malformed-id", test_malformed_id);
  g_test_add_func ("/sportello/take-charge/race", test_race);

  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sp_test_servizio_create (conn, SP_TEST_ENTE, SERVIZIO_NO_PROTOCOL, "Servizio senza protocollo", FALSE);
  sp_test_pg_command (conn,
                      "INSERT INTO account_servizio (account_id, servizio_id)"
                      " SELECT a.id, s.id FROM account a JOIN servizio s ON s.ente_id = a.ente_id"
                      " WHERE a.username IN ($1, $2) AND s.slug = $3",
                      SP_TEST_PG_ARGS (SP_TEST_OPERATOR, SP_TEST_OPERATOR2, SERVIZIO_NO_PROTOCOL));

  status = g_test_run ();

  g_hash_table_unref (tokens);
  g_clear_pointer (&conn, PQfinish);
  sp_test_env_stop (env);
  return status;
}
