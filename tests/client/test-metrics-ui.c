/* test-metrics-ui.c: the "Metriche di utilizzo" page in Italian against a real server: figures, chart, filters, processing times */
#define G_LOG_DOMAIN "test-metrics-ui"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>

#include "sp-application.h"
#include "sp-area-chart.h"
#include "sp-duration-chart.h"
#include "sp-metrics-page.h"
#include "sp-test-env.h"
#include "sp-test-pg.h"
#include "sp-test-ui.h"
#include "sp-window.h"

/*
 * The real SpWindow signed in through its login page, against a real
 * sportello-server. main() inserts by SQL 48 pratiche of the operator's two
 * services, submitted over the last 40 days (a few in the last hour), some
 * taken in charge and concluded, in and past their deadline; the figures
 * shown are checked against counts of the database.
 *
 * Screenshots go to $SPORTELLO_SCREENSHOT_DIR.
 */

#define child(widget, type, name) sp_test_ui_template_child ((widget), (type), (name))
#define WAIT_UNTIL(expr) SP_TEST_UI_WAIT_UNTIL (expr)

#define N_PRATICHE 48

static SpTestEnv *env;
static PGconn *conn;
static SpApplication *application;
static gboolean have_display;
static char *xdg_dir;

/* The operator's services, as account_servizio says. */
#define IN_SCOPE(column) SP_TEST_IN_SCOPE_OF (column, SP_TEST_OPERATOR)

static gboolean
skip_without_server (void)
{
  if (!have_display)
    {
      g_test_skip ("No display: run under Xvfb");
      return TRUE;
    }
  if (env == NULL)
    {
      g_test_skip ("The test server did not start");
      return TRUE;
    }
  return FALSE;
}

static void
close_window (SpWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  sp_test_ui_spin (50);
}

static gboolean
stack_page_visible (SpWindow   *window,
                    const char *name)
{
  AdwViewStack *view_stack = child (window, SP_TYPE_WINDOW, "view_stack");

  return adw_view_stack_page_get_visible (adw_view_stack_get_page (view_stack,
                                                                   adw_view_stack_get_child_by_name (view_stack, name)));
}

/* Signs in, shows the page and waits for its figures and chart. */
static SpMetricsPage *
open_metrics (SpWindow **window)
{
  AdwViewStack *view_stack;
  SpMetricsPage *page;

  *window = sp_test_ui_open_signed_in (env, GTK_APPLICATION (application), SP_TEST_OPERATOR, 0);
  view_stack = child (*window, SP_TYPE_WINDOW, "view_stack");
  g_assert_true (stack_page_visible (*window, "metrics"));
  adw_view_stack_set_visible_child_name (view_stack, "metrics");
  page = SP_METRICS_PAGE (adw_view_stack_get_child_by_name (view_stack, "metrics"));
  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (child (page, SP_TYPE_METRICS_PAGE, "stack")), "content") == 0
              && sp_area_chart_get_chart (child (page, SP_TYPE_METRICS_PAGE, "area_chart")) != NULL
              && !gtk_spinner_get_spinning (child (page, SP_TYPE_METRICS_PAGE, "chart_spinner")));
  return page;
}

static SpAreaChart *
chart_of (SpMetricsPage *page)
{
  return child (page, SP_TYPE_METRICS_PAGE, "area_chart");
}

/* Chooses @position in one of the page's drop-downs and waits for the chart. */
static void
choose (SpMetricsPage *page,
        const char    *dropdown,
        guint          position)
{
  const SpMetricsChart *before = sp_area_chart_get_chart (chart_of (page));

  gtk_drop_down_set_selected (child (page, SP_TYPE_METRICS_PAGE, dropdown), position);
  WAIT_UNTIL (sp_area_chart_get_chart (chart_of (page)) != before
              && !gtk_spinner_get_spinning (child (page, SP_TYPE_METRICS_PAGE, "chart_spinner")));
}

static guint
chart_total (const SpMetricsChart *chart)
{
  guint total = 0;

  for (guint i = 0; i < chart->starts->len; i++)
    total += sp_metrics_chart_get_total (chart, i);
  return total;
}

/* The pratiche in scope submitted within the chart's buckets, with @filter. */
static gint64
count_in_chart (const SpMetricsChart *chart,
                const char           *filter)
{
  g_autofree char *from = g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (chart->starts, gint64, 0));
  g_autofree char *to = g_strdup_printf ("%" G_GINT64_FORMAT, chart->to);
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM pratica p WHERE p.submitted_at >= to_timestamp ($1::bigint)"
                                          " AND p.submitted_at < to_timestamp ($2::bigint) AND " IN_SCOPE ("p.servizio_id")
                                          "%s", filter);

  return sp_test_pg_int (conn, sql, SP_TEST_PG_ARGS (from, to));
}

static char *
figure_text (SpMetricsPage *page,
             const char    *name)
{
  GtkWidget *card = sp_test_ui_find_named (child (page, SP_TYPE_METRICS_PAGE, "figures_box"), name);

  g_assert_nonnull (card);
  return sp_test_ui_collect_text (card);
}

static void
assert_figure (SpMetricsPage *page,
               const char    *name,
               const char    *sql)
{
  g_autofree char *text = figure_text (page, name);
  g_autofree char *expected = g_strdup_printf ("%'" G_GINT64_FORMAT, sp_test_pg_int (conn, sql, 0, NULL));

  if (strstr (text, expected) == NULL)
    g_error ("The figure “%s” says “%s”, not %s", name, text, expected);
}

/* An operator enabled for no service: zeros and words, no chart. */
static void
test_no_services (void)
{
  SpWindow *window;
  AdwViewStack *view_stack;
  SpMetricsPage *page;
  g_autofree char *active = NULL;

  if (skip_without_server ())
    return;

  sp_test_pg_command (conn, "INSERT INTO account (ente_id, username, full_name, role, password_hash)"
                            " SELECT ente_id, 'op.vuoto', 'Operatore Senza Servizi', 'operatore', password_hash"
                            " FROM account WHERE username = '" SP_TEST_OPERATOR "' ON CONFLICT DO NOTHING", 0, NULL);
  window = sp_test_ui_open_signed_in (env, GTK_APPLICATION (application), "op.vuoto", 0);
  view_stack = child (window, SP_TYPE_WINDOW, "view_stack");
  adw_view_stack_set_visible_child_name (view_stack, "metrics");
  page = SP_METRICS_PAGE (adw_view_stack_get_child_by_name (view_stack, "metrics"));
  WAIT_UNTIL (sp_area_chart_get_chart (chart_of (page)) != NULL
              && g_strcmp0 (gtk_stack_get_visible_child_name (child (page, SP_TYPE_METRICS_PAGE, "stack")), "content") == 0);
  g_assert_cmpuint (sp_area_chart_get_chart (chart_of (page))->series->len, ==, 0);
  g_assert_nonnull (strstr (gtk_label_get_text (child (page, SP_TYPE_METRICS_PAGE, "chart_caption")),
                            "Nessun servizio da mostrare"));
  active = figure_text (page, "active-services");
  g_assert_nonnull (strstr (active, "0"));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "metrics-no-services.png");
  close_window (window);
}

/* Sends @keyval to @widget's key controller, as a key press would. */
static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  return handled;
}

/* Operators see the page; auditors do not. */
static void
test_roles (void)
{
  SpWindow *window;

  if (skip_without_server ())
    return;

  window = sp_test_ui_open_signed_in (env, GTK_APPLICATION (application), SP_TEST_AUDITOR, 0);
  g_assert_false (stack_page_visible (window, "metrics"));
  close_window (window);
}

/* The headline figures, and the chart of the last 7 days by day. */
static void
test_figures_and_chart (void)
{
  SpWindow *window;
  SpMetricsPage *page;
  const SpMetricsChart *chart;
  g_autofree char *description = NULL;
  g_autofree char *legend = NULL;

  if (skip_without_server ())
    return;

  page = open_metrics (&window);
  assert_figure (page, "active-services", "SELECT count (*) FROM servizio sv WHERE sv.active AND " IN_SCOPE ("sv.id"));
  assert_figure (page, "open", "SELECT count (*) FROM pratica p WHERE p.status NOT IN (6000, 7000, 8000, 9000, 20000)"
                               " AND " IN_SCOPE ("p.servizio_id"));
  assert_figure (page, "overdue", "SELECT count (*) FROM pratica p WHERE p.status NOT IN (6000, 7000, 8000, 9000, 20000)"
                                  " AND p.deadline_at < now () AND " IN_SCOPE ("p.servizio_id"));
  assert_figure (page, "year", "SELECT count (*) FROM pratica p WHERE " IN_SCOPE ("p.servizio_id")
                               " AND extract (year FROM p.submitted_at AT TIME ZONE 'Europe/Rome')"
                               "     = extract (year FROM now () AT TIME ZONE 'Europe/Rome')");

  chart = sp_area_chart_get_chart (chart_of (page));
  g_assert_cmpint (chart->window, ==, SP_METRICS_WINDOW_7D);
  g_assert_cmpuint (chart->starts->len, ==, 7);
  g_assert_cmpuint (chart->series->len, ==, 2);
  g_assert_cmpint (chart_total (chart), ==, count_in_chart (chart, ""));
  g_assert_cmpuint (chart_total (chart), >, 0);

  legend = sp_test_ui_collect_text (child (page, SP_TYPE_METRICS_PAGE, "legend_box"));
  for (guint s = 0; s < chart->series->len; s++)
    g_assert_nonnull (strstr (legend, ((SpMetricsSeries *) g_ptr_array_index (chart->series, s))->name));

  /* In words for screen readers, in Italian. */
  description = sp_area_chart_describe (chart_of (page));
  g_assert_nonnull (strstr (description, "pratiche presentate"));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "metrics-7d.png");

  /* The pointer on the last day: its line, and each service's count. */
  sp_area_chart_set_hover (chart_of (page), (int) chart->starts->len - 1);
  {
    g_autofree char *tooltip = sp_area_chart_describe_bucket (chart_of (page), chart->starts->len - 1);
    g_autofree char *total = g_strdup_printf ("Totale: %u", sp_metrics_chart_get_total (chart, chart->starts->len - 1));

    g_assert_nonnull (strstr (tooltip, total));
  }
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "metrics-hover.png");

  /* The keyboard moves the mark too: a day back, to the first, away. */
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (chart_of (page))));
  g_assert_true (press_key (GTK_WIDGET (chart_of (page)), GDK_KEY_Left));
  g_assert_cmpint (sp_area_chart_get_hover (chart_of (page)), ==, (int) chart->starts->len - 2);
  g_assert_true (press_key (GTK_WIDGET (chart_of (page)), GDK_KEY_Home));
  g_assert_cmpint (sp_area_chart_get_hover (chart_of (page)), ==, 0);
  g_assert_true (press_key (GTK_WIDGET (chart_of (page)), GDK_KEY_Escape));
  g_assert_cmpint (sp_area_chart_get_hover (chart_of (page)), ==, -1);
  g_assert_false (press_key (GTK_WIDGET (chart_of (page)), GDK_KEY_Escape));
  close_window (window);
}

/* Every window has every bucket; the filters by service and status. */
static void
test_windows_and_filters (void)
{
  const struct { SpMetricsWindow window; guint n_buckets; SpMetricsBucket bucket; const char *screenshot; } windows[] = {
    { SP_METRICS_WINDOW_5M, 5, SP_METRICS_BUCKET_MINUTE, NULL },
    { SP_METRICS_WINDOW_1H, 60, SP_METRICS_BUCKET_MINUTE, "metrics-1h.png" },
    { SP_METRICS_WINDOW_1D, 24, SP_METRICS_BUCKET_HOUR, "metrics-1d.png" },
    { SP_METRICS_WINDOW_30D, 30, SP_METRICS_BUCKET_DAY, NULL },
    { SP_METRICS_WINDOW_90D, 90, SP_METRICS_BUCKET_DAY, "metrics-90d.png" },
  };
  SpWindow *window;
  SpMetricsPage *page;
  const SpMetricsChart *chart;
  g_autofree char *servizio = NULL;
  GListModel *services;

  if (skip_without_server ())
    return;

  page = open_metrics (&window);
  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      choose (page, "window_dropdown", windows[i].window);
      chart = sp_area_chart_get_chart (chart_of (page));
      g_assert_cmpint (chart->window, ==, windows[i].window);
      g_assert_cmpint (chart->bucket, ==, windows[i].bucket);
      g_assert_cmpuint (chart->starts->len, ==, windows[i].n_buckets);
      g_assert_cmpint (chart_total (chart), ==, count_in_chart (chart, ""));
      if (windows[i].screenshot != NULL)
        sp_test_ui_save_screenshot (GTK_WIDGET (window), windows[i].screenshot);
    }

  /* One service: the first after "Tutti i servizi". */
  services = gtk_drop_down_get_model (child (page, SP_TYPE_METRICS_PAGE, "service_dropdown"));
  g_assert_cmpuint (g_list_model_get_n_items (services), ==, 3);
  choose (page, "service_dropdown", 1);
  chart = sp_area_chart_get_chart (chart_of (page));
  g_assert_cmpuint (chart->series->len, ==, 1);
  servizio = g_strdup (((SpMetricsSeries *) g_ptr_array_index (chart->series, 0))->servizio);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (services), 1), ==,
                   ((SpMetricsSeries *) g_ptr_array_index (chart->series, 0))->name);
  {
    g_autofree char *filter = g_strdup_printf (" AND p.servizio_id = (SELECT id FROM servizio WHERE slug = '%s')", servizio);

    g_assert_cmpint (chart_total (chart), ==, count_in_chart (chart, filter));
  }
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "metrics-one-service.png");

  /* Both services again, only those now in charge (4000, the third status). */
  choose (page, "service_dropdown", 0);
  choose (page, "status_dropdown", 3);
  chart = sp_area_chart_get_chart (chart_of (page));
  g_assert_cmpuint (chart->series->len, ==, 2);
  g_assert_cmpint (chart_total (chart), ==, count_in_chart (chart, " AND p.status = 4000"));
  g_assert_cmpint (chart_total (chart), <, count_in_chart (chart, ""));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "metrics-in-charge.png");
  close_window (window);
}

/* The table and the bars of the processing times, in light and dark. */
static void
test_processing (void)
{
  SpWindow *window;
  SpMetricsPage *page;
  GtkGrid *grid;
  g_autofree char *table = NULL;
  g_autofree char *days = NULL;
  g_autofree char *median = NULL;
  GtkAdjustment *scroll;

  if (skip_without_server ())
    return;

  page = open_metrics (&window);
  grid = child (page, SP_TYPE_METRICS_PAGE, "processing_grid");
  WAIT_UNTIL (sp_test_ui_find_named (GTK_WIDGET (grid), SP_TEST_SERVIZIO_INTERNAL) != NULL);
  table = sp_test_ui_collect_text (GTK_WIDGET (grid));
  g_assert_nonnull (strstr (table, "Entro il termine"));
  /* When the server computed them, in the ente's time. */
  g_assert_true (g_str_has_prefix (gtk_label_get_text (child (page, SP_TYPE_METRICS_PAGE, "processing_computed")),
                                   "Aggiornati alle "));

  /* The internal service's median days to conclusion, as PostgreSQL makes
   * it (rounded as the server sends it), as the app writes it. */
  days = sp_test_pg_value (conn, "SELECT round ((percentile_cont (0.5) WITHIN GROUP (ORDER BY extract (epoch FROM"
                                 "   p.concluded_at - p.submitted_at) / 86400))::numeric, 2)"
                                 " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id"
                                 " WHERE sv.slug = '" SP_TEST_SERVIZIO_INTERNAL "'"
                                 "   AND p.concluded_at >= now () - interval '90 days'", 0, NULL);
  g_assert_nonnull (days);
  median = g_strdup_printf ("%.1f / ", g_ascii_strtod (days, NULL));
  if (strstr (table, median) == NULL)
    g_error ("The table does not show the median %s: %s", median, table);

  scroll = gtk_scrolled_window_get_vadjustment (child (page, SP_TYPE_METRICS_PAGE, "scrolled_window"));
  gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "metrics-processing.png");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "metrics-processing-dark.png");
  gtk_adjustment_set_value (scroll, 0);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "metrics-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  close_window (window);
}

/* 48 pratiche over 40 days, one every 20 hours from now back, a few in
 * the last hour; every third taken in charge, every fourth concluded. */
static void
insert_fixtures (void)
{
  for (guint i = 0; i < N_PRATICHE; i++)
    {
      SpTestPratica spec = { .servizio = i % 3 == 0 ? SP_TEST_SERVIZIO_EXTERNAL : SP_TEST_SERVIZIO_INTERNAL,
                             .status = i % 4 == 0 ? 7000 : i % 3 == 0 ? 4000 : 2000 };
      g_autofree char *id = sp_test_pratica_insert (conn, &spec);
      g_autofree char *hours = g_strdup_printf ("%u", i < 4 ? 0 : i * 20);
      g_autofree char *minutes = g_strdup_printf ("%u", i < 4 ? 5 + i * 13 : 0);

      sp_test_pg_command (conn, "UPDATE pratica SET submitted_at = now () - $2::integer * interval '1 hour'"
                                "                                 - $3::integer * interval '1 minute',"
                                " deadline_at = now () - $2::integer * interval '1 hour' + interval '10 days',"
                                " taken_at = CASE WHEN status >= 4000 THEN now () - $2::integer * interval '50 minutes' END,"
                                " concluded_at = CASE WHEN status >= 7000 THEN now () - $2::integer * interval '20 minutes' END"
                                " WHERE id = $1::uuid", SP_TEST_PG_ARGS (id, hours, minutes));
    }
  /* The processing times over days are the job's: computed again now. */
  sp_test_job_run (conn, "metrics-processing");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("LC_ALL", "it_IT.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");
  sp_application_init_i18n ();

  g_test_init (&argc, &argv, NULL);

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *config = NULL;

    xdg_dir = g_dir_make_tmp ("sp-metrics-ui-XXXXXX", &error);
    g_assert_no_error (error);
    config = g_build_filename (xdg_dir, "config", NULL);
    g_assert_cmpint (g_mkdir (config, 0700), ==, 0);
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  }

  have_display = gtk_init_check ();
  if (have_display)
    {
      g_autoptr(GError) error = NULL;

      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      application = sp_application_new ();
      g_application_set_flags (G_APPLICATION (application),
                               G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
      g_assert_no_error (error);
      env = sp_test_env_start ();
      if (env != NULL)
        {
          conn = sp_test_pg_connect (env);
          insert_fixtures ();
        }
    }

  g_test_add_func ("/sportello/client/metrics/roles", test_roles);
  g_test_add_func ("/sportello/client/metrics/figures-and-chart", test_figures_and_chart);
  g_test_add_func ("/sportello/client/metrics/windows-and-filters", test_windows_and_filters);
  g_test_add_func ("/sportello/client/metrics/processing", test_processing);
  g_test_add_func ("/sportello/client/metrics/no-services", test_no_services);

  status = g_test_run ();

  if (conn != NULL)
    PQfinish (conn);
  if (env != NULL)
    sp_test_env_stop (env);
  g_clear_object (&application);
  g_spawn_sync (NULL, (char *[]) { (char *) "rm", (char *) "-rf", xdg_dir, NULL }, NULL, G_SPAWN_SEARCH_PATH,
                NULL, NULL, NULL, NULL, NULL, NULL);
  g_free (xdg_dir);
  return status;
}
