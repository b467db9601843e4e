/* test-models.c: the models shared by client and server (SpUser, SpProtocolConfig, SpPraticaSummary, names of people) */
#define G_LOG_DOMAIN "test-models"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-error.h"
#include "sp-json.h"
#include "sp-person.h"
#include "sp-pratica.h"
#include "sp-protocol-config.h"
#include "sp-user.h"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = sp_json_parse_object (text, strlen (text), &error);

  g_assert_no_error (error);
  return object;
}

/* Serialises what @builder holds and parses it back, as the wire does. */
static JsonObject *
through_the_wire (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = sp_json_to_string (root, NULL);

  return parse_object (text);
}

static void
test_role_names (void)
{
  g_assert_cmpstr (sp_role_to_string (SP_ROLE_OPERATORE), ==, "operatore");
  g_assert_cmpstr (sp_role_to_string (SP_ROLE_AUDITOR), ==, "auditor");
  g_assert_cmpstr (sp_role_to_string (SP_ROLE_ADMIN), ==, "admin");
  g_assert_null (sp_role_to_string (SP_ROLE_INVALID));
  g_assert_null (sp_role_to_string ((SpRole) 42));

  g_assert_cmpint (sp_role_from_string ("operatore"), ==, SP_ROLE_OPERATORE);
  g_assert_cmpint (sp_role_from_string ("auditor"), ==, SP_ROLE_AUDITOR);
  g_assert_cmpint (sp_role_from_string ("admin"), ==, SP_ROLE_ADMIN);
  g_assert_cmpint (sp_role_from_string ("Operatore"), ==, SP_ROLE_INVALID);
  g_assert_cmpint (sp_role_from_string ("partner"), ==, SP_ROLE_INVALID);
  g_assert_cmpint (sp_role_from_string (""), ==, SP_ROLE_INVALID);
  g_assert_cmpint (sp_role_from_string (NULL), ==, SP_ROLE_INVALID);
}

static void
test_user_round_trip (void)
{
  const char *servizi[] = { "certificato-residenza", "scia-edilizia", NULL };
  g_autoptr(SpUser) user = sp_user_new ();
  g_autoptr(SpUser) back = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  user->username = g_strdup ("op.prova");
  user->full_name = g_strdup ("Niccolò D'Àrco \"il Moro\"");
  user->role = SP_ROLE_OPERATORE;
  user->ente_code = g_strdup ("c_a001");
  user->ente_name = g_strdup ("Comune di Prova");
  user->servizi = g_strdupv ((char **) servizi);

  sp_user_to_json (user, builder);
  object = through_the_wire (builder);

  /* The shape the API documents for /auth/me and login. */
  g_assert_cmpstr (json_object_get_string_member (object, "username"), ==, "op.prova");
  g_assert_cmpstr (json_object_get_string_member (object, "role"), ==, "operatore");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "ente"), "code"), ==, "c_a001");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "servizi")), ==, 2);

  back = sp_user_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpstr (back->username, ==, user->username);
  g_assert_cmpstr (back->full_name, ==, user->full_name);
  g_assert_cmpint (back->role, ==, user->role);
  g_assert_cmpstr (back->ente_code, ==, user->ente_code);
  g_assert_cmpstr (back->ente_name, ==, user->ente_name);
  g_assert_true (g_strv_equal ((const char * const *) back->servizi, servizi));
}

static void
test_user_minimal (void)
{
  g_autoptr(JsonObject) object = parse_object ("{\"username\":\"audit.prova\",\"role\":\"auditor\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SpUser) user = sp_user_from_json (object, &error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonObject) written = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (user->username, ==, "audit.prova");
  g_assert_cmpstr (user->full_name, ==, "audit.prova");
  g_assert_cmpint (user->role, ==, SP_ROLE_AUDITOR);
  g_assert_null (user->ente_code);
  g_assert_nonnull (user->servizi);
  g_assert_cmpuint (g_strv_length (user->servizi), ==, 0);

  /* Writing a user without ente gives nulls, not a crash. */
  sp_user_to_json (user, builder);
  written = through_the_wire (builder);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (written, "servizi")), ==, 0);
}

static void
test_user_bad_input (void)
{
  const char *bad[] = {
    "{}",
    "{\"role\":\"operatore\"}",
    "{\"username\":\"\",\"role\":\"operatore\"}",
    "{\"username\":7,\"role\":\"operatore\"}",
    "{\"username\":null,\"role\":\"operatore\"}",
    "{\"username\":[\"op\"],\"role\":\"operatore\"}",
    "{\"username\":\"op.prova\"}",
    "{\"username\":\"op.prova\",\"role\":\"superuser\"}",
    "{\"username\":\"op.prova\",\"role\":3}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) object = parse_object (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(SpUser) user = sp_user_from_json (object, &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (user);
      g_assert_error (error, SP_ERROR, SP_ERROR_VALIDATION);
    }
}

/* Input from the network must never trip a g_return_if_fail(): the test
 * environment makes criticals fatal, so run each case in a subprocess. */
static void
test_user_odd_members (void)
{
  if (g_test_subprocess ())
    {
      const char *odd[] = {
        "{\"username\":\"op\",\"role\":\"operatore\",\"ente\":\"c_a001\"}",
        "{\"username\":\"op\",\"role\":\"operatore\",\"ente\":{\"code\":1,\"name\":[]}}",
        "{\"username\":\"op\",\"role\":\"operatore\",\"servizi\":\"scia\"}",
        "{\"username\":\"op\",\"role\":\"operatore\",\"servizi\":[1,null,true,\"scia\"]}",
        "{\"username\":\"op\",\"role\":\"operatore\",\"servizi\":[{\"slug\":\"x\"},[\"y\"],\"scia\"]}",
        "{\"username\":\"op\",\"role\":\"operatore\",\"full_name\":{}}",
        "{\"username\":\"op\",\"role\":{\"name\":\"operatore\"}}",
        "{\"username\":\"op\",\"role\":[\"operatore\"]}",
      };

      /* Criticals are fatal even when run by hand without G_DEBUG. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
        {
          g_autoptr(JsonObject) object = parse_object (odd[i]);
          g_autoptr(GError) error = NULL;
          g_autoptr(SpUser) user = NULL;

          g_printerr ("case: %s\n", odd[i]);
          user = sp_user_from_json (object, &error);
          /* Either refused or read with the odd members ignored. */
          if (user == NULL)
            g_assert_error (error, SP_ERROR, SP_ERROR_VALIDATION);
          else
            for (guint j = 0; user->servizi[j] != NULL; j++)
              g_assert_cmpstr (user->servizi[j], ==, "scia");
        }
      return;
    }

  /* A soft failure, so the tests after this one still run and report. */
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (!g_test_trap_has_passed ())
    g_test_fail_printf ("non-scalar members of untrusted JSON tripped a critical or an assertion "
                        "(the child's stderr is above)");
}

static SpProtocolEntry *
entry_new (const char *key,
           const char *label,
           const char *value)
{
  SpProtocolEntry *entry = g_new0 (SpProtocolEntry, 1);

  entry->key = g_strdup (key);
  entry->label = g_strdup (label);
  entry->value = g_strdup (value);
  return entry;
}

static void
assert_entries_equal (GPtrArray *a,
                      GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const SpProtocolEntry *x = g_ptr_array_index (a, i);
      const SpProtocolEntry *y = g_ptr_array_index (b, i);

      g_assert_cmpstr (x->key, ==, y->key);
      g_assert_cmpstr (x->label, ==, y->label);
      g_assert_cmpstr (x->value, ==, y->value);
    }
}

static void
test_protocol_provider_names (void)
{
  SpProtocolProvider provider = SP_PROTOCOL_PROVIDER_EXTERNAL;

  g_assert_cmpstr (sp_protocol_provider_to_string (SP_PROTOCOL_PROVIDER_INTERNAL), ==, "internal");
  g_assert_cmpstr (sp_protocol_provider_to_string (SP_PROTOCOL_PROVIDER_EXTERNAL), ==, "external");
  g_assert_true (sp_protocol_provider_from_string ("internal", &provider));
  g_assert_cmpint (provider, ==, SP_PROTOCOL_PROVIDER_INTERNAL);
  g_assert_true (sp_protocol_provider_from_string ("external", &provider));
  g_assert_cmpint (provider, ==, SP_PROTOCOL_PROVIDER_EXTERNAL);
  g_assert_false (sp_protocol_provider_from_string ("Internal", &provider));
  g_assert_false (sp_protocol_provider_from_string ("", &provider));
  g_assert_false (sp_protocol_provider_from_string (NULL, &provider));
  g_assert_cmpint (provider, ==, SP_PROTOCOL_PROVIDER_EXTERNAL);
}

static void
test_protocol_round_trip (void)
{
  g_autoptr(SpProtocolConfig) config = sp_protocol_config_new ();
  g_autoptr(SpProtocolConfig) back = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  config->servizio_slug = g_strdup ("certificato-residenza");
  config->servizio_name = g_strdup ("Certificato di residenza");
  config->protocol_required = TRUE;
  config->provider = SP_PROTOCOL_PROVIDER_EXTERNAL;
  g_ptr_array_add (config->arrivo, entry_new ("codice_amministrazione", "Codice amministrazione", "c_a001"));
  g_ptr_array_add (config->arrivo, entry_new ("aoo", "AOO", "AOO_GEN"));
  g_ptr_array_add (config->arrivo, entry_new ("classificazione", "Classificazione", "3.1 — Anagrafe \"residenza\""));
  g_ptr_array_add (config->risposta, entry_new ("registro", "Registro", "PG"));

  sp_protocol_config_to_json (config, builder);
  object = through_the_wire (builder);

  /* The shape of GET /operator/protocol-config. */
  g_assert_cmpstr (json_object_get_string_member (object, "servizio"), ==, "certificato-residenza");
  g_assert_cmpstr (json_object_get_string_member (object, "provider"), ==, "external");
  g_assert_true (json_object_get_boolean_member (object, "protocol_required"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (object, "protocol"), "arrivo")), ==, 3);

  back = sp_protocol_config_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->servizio_slug, ==, config->servizio_slug);
  g_assert_cmpstr (back->servizio_name, ==, config->servizio_name);
  g_assert_cmpint (back->protocol_required, ==, TRUE);
  g_assert_cmpint (back->provider, ==, SP_PROTOCOL_PROVIDER_EXTERNAL);
  assert_entries_equal (back->arrivo, config->arrivo);
  assert_entries_equal (back->risposta, config->risposta);
}

static void
test_protocol_defaults (void)
{
  g_autoptr(JsonObject) object = parse_object ("{\"servizio\":\"scia\",\"name\":\"SCIA\",\"provider\":\"internal\","
                                               "\"protocol\":{\"arrivo\":[{\"key\":\"aoo\"}]}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProtocolConfig) config = sp_protocol_config_from_json (object, &error);
  const SpProtocolEntry *entry;

  g_assert_no_error (error);
  g_assert_false (config->protocol_required);
  g_assert_cmpuint (config->arrivo->len, ==, 1);
  g_assert_cmpuint (config->risposta->len, ==, 0);
  entry = g_ptr_array_index (config->arrivo, 0);
  g_assert_cmpstr (entry->label, ==, "aoo");    /* label defaults to the key */
  g_assert_cmpstr (entry->value, ==, "");
}

static void
test_protocol_set_entries_replaces (void)
{
  g_autoptr(SpProtocolConfig) config = sp_protocol_config_new ();
  g_autoptr(GError) error = NULL;
  const char *first = "{\"arrivo\":[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"b\",\"value\":\"2\"}]}";
  const char *second = "{\"arrivo\":[{\"key\":\"c\",\"value\":\"3\"}],\"risposta\":[]}";
  g_autoptr(JsonNode) one = sp_json_parse (first, strlen (first), &error);
  g_autoptr(JsonNode) two = sp_json_parse (second, strlen (second), &error);

  g_assert_no_error (error);
  g_assert_true (sp_protocol_config_set_entries (config, one, &error));
  g_assert_cmpuint (config->arrivo->len, ==, 2);
  g_assert_true (sp_protocol_config_set_entries (config, two, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (config->arrivo->len, ==, 1);
  g_assert_cmpstr (((SpProtocolEntry *) g_ptr_array_index (config->arrivo, 0))->key, ==, "c");
  g_assert_true (sp_protocol_config_set_entries (config, NULL, &error));
}

static void
test_protocol_bad_input (void)
{
  const char *bad[] = {
    "{\"name\":\"SCIA\",\"provider\":\"internal\"}",
    "{\"servizio\":\"\",\"name\":\"SCIA\",\"provider\":\"internal\"}",
    "{\"servizio\":\"scia\",\"provider\":\"internal\"}",
    "{\"servizio\":\"scia\",\"name\":\"SCIA\"}",
    "{\"servizio\":\"scia\",\"name\":\"SCIA\",\"provider\":\"pec\"}",
    "{\"servizio\":\"scia\",\"name\":\"SCIA\",\"provider\":1}",
    "{\"servizio\":\"scia\",\"name\":\"SCIA\",\"provider\":\"internal\",\"protocol\":[]}",
    "{\"servizio\":\"scia\",\"name\":\"SCIA\",\"provider\":\"internal\",\"protocol\":\"x\"}",
    "{\"servizio\":\"scia\",\"name\":\"SCIA\",\"provider\":\"internal\",\"protocol\":{\"arrivo\":{}}}",
    "{\"servizio\":\"scia\",\"name\":\"SCIA\",\"provider\":\"internal\",\"protocol\":{\"risposta\":\"aoo\"}}",
    "{\"servizio\":\"scia\",\"name\":\"SCIA\",\"provider\":\"internal\",\"protocol\":{\"arrivo\":[\"aoo\"]}}",
    "{\"servizio\":\"scia\",\"name\":\"SCIA\",\"provider\":\"internal\",\"protocol\":{\"arrivo\":[{\"label\":\"AOO\"}]}}",
    "{\"servizio\":\"scia\",\"name\":\"SCIA\",\"provider\":\"internal\",\"protocol\":{\"arrivo\":[{\"key\":5}]}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) object = parse_object (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(SpProtocolConfig) config = sp_protocol_config_from_json (object, &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (config);
      g_assert_error (error, SP_ERROR, SP_ERROR_VALIDATION);
    }
}

/* As for users: odd members from a file or the network are refused or
 * ignored, never a critical. */
static void
test_protocol_odd_members (void)
{
  if (g_test_subprocess ())
    {
      const char *odd[] = {
        "{\"servizio\":\"s\",\"name\":\"S\",\"provider\":\"internal\",\"protocol_required\":\"si\"}",
        "{\"servizio\":\"s\",\"name\":\"S\",\"provider\":{\"name\":\"internal\"}}",
        "{\"servizio\":\"s\",\"name\":\"S\",\"provider\":\"internal\",\"protocol_required\":[]}",
        "{\"servizio\":\"s\",\"name\":\"S\",\"provider\":\"internal\","
        "\"protocol\":{\"arrivo\":[{\"key\":\"aoo\",\"label\":{},\"value\":[1]}]}}",
      };

      /* Criticals are fatal even when run by hand without G_DEBUG. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
        {
          g_autoptr(JsonObject) object = parse_object (odd[i]);
          g_autoptr(GError) error = NULL;
          g_autoptr(SpProtocolConfig) config = NULL;

          g_printerr ("case: %s\n", odd[i]);
          config = sp_protocol_config_from_json (object, &error);
          if (config == NULL)
            g_assert_error (error, SP_ERROR, SP_ERROR_VALIDATION);
        }
      return;
    }

  /* A soft failure, so the tests after this one still run and report. */
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (!g_test_trap_has_passed ())
    g_test_fail_printf ("non-scalar members of untrusted JSON tripped a critical or an assertion "
                        "(the child's stderr is above)");
}

/* One order for the applicant everywhere: surname, then given name. */
static void
test_person_name (void)
{
  const struct
  {
    const char *cognome;
    const char *nome;
    const char *expected;
  } cases[] = {
    { "Rossi", "Mario", "Rossi Mario" },
    { "De Luca", "Anna Maria", "De Luca Anna Maria" },
    { "  Verdi ", "\tGiuseppe\n", "Verdi Giuseppe" },
    { "Bianchi", NULL, "Bianchi" },
    { NULL, "Giulia", "Giulia" },
    { "", " ", "" },
    { NULL, NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = sp_person_format_name (cases[i].cognome, cases[i].nome);

      g_assert_cmpstr (name, ==, cases[i].expected);
    }
}

/* One rule and one wording for what stands in place of a protocol number. */
static void
test_pratica_protocol_state (void)
{
  g_autoptr(SpPraticaSummary) registered = sp_pratica_summary_new ();
  g_autoptr(SpPraticaSummary) waiting = sp_pratica_summary_new ();
  g_autoptr(SpPraticaSummary) not_required = sp_pratica_summary_new ();

  sp_pratica_summary_get_data (registered)->protocol_number = g_strdup ("PG/2026/0000457");
  sp_pratica_summary_get_data (registered)->take_charge =
    sp_take_charge_check (SP_STATUS_REGISTERED, FALSE, TRUE, TRUE);
  g_assert_cmpint (sp_pratica_summary_get_protocol_state (registered), ==, SP_PROTOCOL_REGISTERED);
  g_assert_cmpstr (sp_pratica_summary_get_protocol_text (registered), ==, "PG/2026/0000457");

  /* Its service needs a number and it has none yet: the reason "Prendi in
   * carico" is disabled is worded as the protocol column says it. */
  sp_pratica_summary_get_data (waiting)->take_charge =
    sp_take_charge_check (SP_STATUS_SUBMITTED, FALSE, TRUE, FALSE);
  g_assert_cmpint (sp_pratica_summary_get_protocol_state (waiting), ==, SP_PROTOCOL_WAITING);
  g_assert_cmpstr (sp_pratica_summary_get_protocol_text (waiting), ==, "Waiting for protocol registration");
  g_assert_cmpstr (sp_take_charge_block_get_reason (SP_TAKE_CHARGE_WAITING_PROTOCOL), ==,
                   sp_pratica_summary_get_protocol_text (waiting));

  sp_pratica_summary_get_data (not_required)->take_charge =
    sp_take_charge_check (SP_STATUS_SUBMITTED, FALSE, FALSE, FALSE);
  g_assert_cmpint (sp_pratica_summary_get_data (not_required)->take_charge, ==, SP_TAKE_CHARGE_ALLOWED);
  g_assert_cmpint (sp_pratica_summary_get_protocol_state (not_required), ==, SP_PROTOCOL_NOT_REQUIRED);
  g_assert_cmpstr (sp_pratica_summary_get_protocol_text (not_required), ==, "Not required");
  g_assert_null (sp_take_charge_block_get_reason (SP_TAKE_CHARGE_ALLOWED));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/models/role-names", test_role_names);
  g_test_add_func ("/sportello/models/user/round-trip", test_user_round_trip);
  g_test_add_func ("/sportello/models/user/minimal", test_user_minimal);
  g_test_add_func ("/sportello/models/user/bad-input", test_user_bad_input);
  g_test_add_func ("/sportello/models/user/odd-members", test_user_odd_members);
  g_test_add_func ("/sportello/models/protocol/provider-names", test_protocol_provider_names);
  g_test_add_func ("/sportello/models/protocol/round-trip", test_protocol_round_trip);
  g_test_add_func ("/sportello/models/protocol/defaults", test_protocol_defaults);
  g_test_add_func ("/sportello/models/protocol/set-entries-replaces", test_protocol_set_entries_replaces);
  g_test_add_func ("/sportello/models/protocol/bad-input", test_protocol_bad_input);
  g_test_add_func ("/sportello/models/protocol/odd-members", test_protocol_odd_members);
  g_test_add_func ("/sportello/models/person/name", test_person_name);
  g_test_add_func ("/sportello/models/pratica/protocol-state", test_pratica_protocol_state);

  return g_test_run ();
}
