/* test-pratica-history-ui.c: what the detail page records of a pratica's history: the protocol register, changes made by others shown live */
#define G_LOG_DOMAIN "test-pratica-history-ui"

#include "config.h"

#include <adwaita.h>

#include "sp-api.h"
#include "sp-test-http.h"
#include "sp-test-pratica-page.h"
#include "sp-test-ui.h"

/*
 * The real SpPraticaPage and SpClient against a real sportello-server
 * (sp-test-pratica-page.c). Run under Xvfb; screenshots go to
 * $SPORTELLO_SCREENSHOT_DIR.
 */

static SpTestEnv *env;
static SpTestPratiche *pratiche;

/* The register's row named @name, and the text of its pill named @pill. */
static const char *
register_pill (GtkWidget  *list,
               const char *name,
               const char *pill)
{
  GtkWidget *row = sp_test_ui_find_named (list, name);

  g_assert_nonnull (row);
  return sp_test_pratica_named_text (row, pill);
}

static const char *
register_subtitle (GtkWidget  *list,
                   const char *name)
{
  GtkWidget *row = sp_test_ui_find_named (list, name);

  g_assert_true (ADW_IS_ACTION_ROW (row));
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* A pratica with rows of the internal register and entries a partner sent,
 * of every shape, one of them its main number: all listed, in order. */
static char *
insert_registered_by_partner (void)
{
  g_autofree char *version = NULL;
  g_autofree char *rows = NULL;
  char *id = sp_test_sql (env,
                          "INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
                          "   applicant_cognome, applicant_email, data, status, submitted_at, protocol_number,"
                          "   protocol_date, protocol_entries)"
                          " SELECT ente_id, servizio_id, '2026-000140', citizen_id, applicant_cf, applicant_nome,"
                          "   applicant_cognome, applicant_email, data, 3000, '2026-02-03 08:55:00+01', 'EDIL/2026/88',"
                          "   '2026-02-03 09:00:00+01', '[\"EDIL/2026/88\"]'"
                          " FROM pratica WHERE id = '%s' RETURNING id",
                          pratiche->concluded_id);

  version = sp_test_sql (env, "SELECT version_append ('%s', 'Invio', NULL, 'Partner di prova', 'partner', NULL,"
                              " '2026-02-03 09:00:00+01')", id);
  g_free (sp_test_sql (env, "UPDATE pratica SET protocol_entries = protocol_entries || $j$["
                            "{\"numero\": \"PG/2026/0000007\", \"data\": \"2026-03-05\"},"
                            " {\"numero\": \"PG/2026/0000009\", \"aoo\": \"AOO1\"}, 42,"
                            " {\"dettagli\": {\"aoo\": \"AOO1\", \"livelli\": [1, [2]]}}, true]$j$::jsonb"
                            " WHERE id = '%s' RETURNING id", id));
  g_free (version);
  version = sp_test_sql (env, "SELECT version_append ('%s', 'Protocolli', NULL, 'Partner di prova', 'partner', NULL,"
                              " '2026-03-05 10:12:00+01')", id);
  /* One more with no version that says who sent it. */
  g_free (sp_test_sql (env, "UPDATE pratica SET protocol_entries = protocol_entries || '[\"PG/2026/0000010\"]'"
                            " WHERE id = '%s' RETURNING id", id));
  rows = sp_test_sql (env, "INSERT INTO protocol_register (ente_id, year, number, direction, registered_at, pratica_id)"
                           " SELECT ente_id, 2026, n, d, t::timestamptz, id FROM pratica,"
                           " (VALUES (41, 'arrivo', '2026-02-03 09:01:00+01'), (42, 'risposta', '2026-02-20 11:05:00+01'))"
                           "   AS r (n, d, t)"
                           " WHERE id = '%s' RETURNING pratica_id", id);
  return id;
}

static void
test_protocol_register (void)
{
  g_autoptr(SpClient) client = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  static const char *const titles[] = {
    "N. 2026/0000041", "N. 2026/0000042", "N. EDIL/2026/88", "N. PG/2026/0000007", "N. PG/2026/0000009",
    "42", "{\"dettagli\": {\"aoo\": \"AOO1\", \"livelli\": [1, [2]]}}", "true", "N. PG/2026/0000010",
  };
  SpPraticaPage *page;
  GtkWindow *window;
  GtkWidget *list;
  GtkWidget *content;
  GtkAdjustment *adjustment;
  double y = 0;

  if (sp_test_pratica_skip ())
    return;

  id = insert_registered_by_partner ();
  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = GTK_WINDOW (gtk_window_new ());
  page = sp_pratica_page_new (client, id);
  gtk_window_set_default_size (window, 1100, 760);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  SP_TEST_UI_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (page)));
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (sp_test_pratica_state (page), "loading") != 0);
  g_assert_cmpstr (sp_test_pratica_state (page), ==, "content");

  /* Every registration, the register's first, then the partner's in order. */
  list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "protocols_list");
  sp_test_ui_collect_type (list, ADW_TYPE_ACTION_ROW, rows);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (titles));
  for (guint i = 0; i < MIN (rows->len, G_N_ELEMENTS (titles)); i++)
    g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), ==, titles[i]);
  g_assert_null (sp_test_ui_find_named (list, "no-protocols"));
  g_assert_null (sp_test_ui_find_named (list, "main-only"));

  /* The register's: date, time and direction. */
  g_assert_cmpstr (register_subtitle (list, "2026/0000041"), ==, "03/02/2026 09:01 · Registro interno");
  g_assert_cmpstr (register_pill (list, "2026/0000041", "direction"), ==, "Arrivo");
  g_assert_cmpstr (register_pill (list, "2026/0000042", "direction"), ==, "Risposta");
  g_assert_null (sp_test_ui_find_named (sp_test_ui_find_named (list, "2026/0000041"), "main"));

  /* The partner's: who sent it, its date or when it came, the main number. */
  g_assert_cmpstr (register_pill (list, "EDIL/2026/88", "main"), ==, "Principale");
  g_assert_cmpstr (register_pill (list, "EDIL/2026/88", "origin"), ==, "Esterno");
  g_assert_cmpstr (register_subtitle (list, "EDIL/2026/88"), ==,
                   "Ricevuto il 03/02/2026 09:00 · Registrato dal partner Partner di prova");
  g_assert_cmpstr (register_subtitle (list, "PG/2026/0000007"), ==,
                   "Data 05/03/2026 · Registrato dal partner Partner di prova");
  g_assert_null (sp_test_ui_find_named (sp_test_ui_find_named (list, "PG/2026/0000007"), "main"));
  g_assert_cmpstr (register_subtitle (list, "PG/2026/0000009"), ==,
                   "Ricevuto il 05/03/2026 10:12 · Registrato dal partner Partner di prova\n"
                   "Come inviato: {\"aoo\": \"AOO1\", \"numero\": \"PG/2026/0000009\"}");
  /* What has no number is shown as sent, said to be unrecognised. */
  g_assert_cmpstr (register_subtitle (list, "external-5"), ==,
                   "Voce in un formato non riconosciuto · Ricevuto il 05/03/2026 10:12"
                   " · Registrato dal partner Partner di prova");
  g_assert_cmpstr (register_pill (list, "external-7", "origin"), ==, "Esterno");
  g_assert_cmpstr (register_subtitle (list, "PG/2026/0000010"), ==, "Protocollo esterno");

  /* The register in view, at the app's default size, once laid out. */
  content = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (content));
  SP_TEST_UI_WAIT_UNTIL (gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment));
  g_assert_true (gtk_widget_translate_coordinates (list, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (content)),
                                                   0, 0, NULL, &y));
  gtk_adjustment_set_value (adjustment, y - 90);
  sp_test_ui_spin (100);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-register.png");
  sp_test_pratica_close (window);

  /* A main number no registration carries is listed all the same. */
  window = sp_test_pratica_open (client, pratiche->registered_id, 760, &page);
  list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "protocols_list");
  g_assert_null (sp_test_ui_find_named (list, "no-protocols"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (sp_test_ui_find_named (list, "main-only"))),
                   ==, "N. PG/2026/0000457");
  g_assert_cmpstr (register_pill (list, "main-only", "main"), ==, "Principale");
  sp_test_pratica_close (window);
}

/* A partner's system concludes a pratica while the operator looks at it: the
 * page shows the new status, the partner's step in the iter and the
 * response, without F5 (the pratica-refresh-seconds setting). */
static void
test_live_partner_change (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SpClient) client = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(SpTestResponse) response = NULL;
  g_autofree char *id = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *text = NULL;
  SpPraticaPage *page;
  GtkWindow *window;
  GtkWidget *iter_list;
  g_autofree char *iter_before = NULL;

  if (sp_test_pratica_skip ())
    return;

  id = sp_test_sql (env,
                    "INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
                    "                     applicant_cognome, applicant_email, data, status, submitted_at,"
                    "                     protocol_number, protocol_date, partner_id, external_id)"
                    " SELECT s.ente_id, s.id, '2026-000190', c.id, c.codice_fiscale, c.nome, c.cognome, c.email,"
                    "        '{}'::jsonb, 4000, '2026-03-12 09:41+01', 'SUE/2026/0000190', '2026-03-12 10:00+01',"
                    "        (SELECT id FROM partner WHERE slug = '" SP_TEST_PARTNER "'), 'LIVE-190'"
                    " FROM servizio s JOIN ente e ON e.id = s.ente_id,"
                    "      (SELECT * FROM citizen ORDER BY id LIMIT 1) c"
                    " WHERE e.code = '" SP_TEST_ENTE "' AND s.slug = '" SP_TEST_SERVIZIO_EXTERNAL "'"
                    " RETURNING id");
  g_assert_nonnull (id);

  g_settings_set_int (settings, "pratica-refresh-seconds", 1);
  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = sp_test_pratica_open (client, id, 900, &page);
  g_assert_cmpstr (sp_test_pratica_label (page, "status_label"), ==, sp_status_get_label (SP_STATUS_PENDING));
  iter_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "iter_list");
  iter_before = sp_test_ui_collect_text (iter_list);

  /* The partner's system says accettata, over its own API. */
  message = sp_test_message_new (env, "POST", SP_API_PREFIX "/" SP_TEST_PARTNER "/pratica/LIVE-190/status", NULL,
                                 "application/json",
                                 "{\"evento\": \"accettata\", \"operatore\": \"Mario Bianchi\","
                                 " \"responsabile\": \"Anna Verdi\", \"struttura\": \"SUE\","
                                 " \"timestamp\": \"2026-03-20T10:15:00+01:00\","
                                 " \"note\": \"Conforme al regolamento edilizio.\"}", -1);
  pair = g_strdup_printf ("%s:%s", SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  basic = g_strdup_printf ("Basic %s", encoded);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", basic);
  response = sp_test_send (sp_test_env_get_session (env), message);
  g_assert_cmpuint (response->status, ==, 204);

  /* No F5: the page finds out by itself, within a few seconds (6000: the
   * response waits for the partner's protocol number). */
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (sp_test_pratica_label (page, "status_label"), sp_status_get_label (SP_STATUS_COMPLETE_WAITING)) == 0);
  text = sp_test_ui_collect_text (iter_list);
  g_assert_cmpstr (iter_before, !=, text);
  g_assert_nonnull (strstr (text, "Partner di prova (operatore Mario Bianchi"));
  g_free (text);
  text = sp_test_ui_collect_text (GTK_WIDGET (page));
  g_assert_nonnull (strstr (text, "Mario Bianchi"));
  g_assert_nonnull (strstr (text, "Conforme al regolamento edilizio."));
  g_assert_nonnull (strstr (text, "risposta-2026-000190.pdf"));
  sp_test_ui_spin (300);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-live-partner.png");
  sp_test_pratica_close (window);
  g_settings_reset (settings, "pratica-refresh-seconds");
}

int
main (int   argc,
      char *argv[])
{
  sp_test_pratica_ui_init (&argc, &argv);
  env = sp_test_pratica_ui_env ();
  pratiche = sp_test_pratica_ui_pratiche ();

  g_test_add_func ("/sportello/client/pratica/protocol-register", test_protocol_register);
  g_test_add_func ("/sportello/client/pratica/live-partner-change", test_live_partner_change);

  return sp_test_pratica_ui_run ();
}
