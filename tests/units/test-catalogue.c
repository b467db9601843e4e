/* test-catalogue.c: values kept between requests only while changes are heard, dropped at each change */
#include "config.h"

#include "sp-catalogue.h"

static void
store_string (SpCatalogue      *catalogue,
              SpCatalogueToken  token,
              const char       *key,
              const char       *value)
{
  sp_catalogue_store (catalogue, token, key, g_strdup (value), g_free);
}

/* Before the listener hears changes, and after it lost them, nothing is kept. */
static void
test_not_live (void)
{
  g_autoptr(SpCatalogue) catalogue = sp_catalogue_new (60);

  store_string (catalogue, sp_catalogue_begin (catalogue), "a", "1");
  g_assert_null (sp_catalogue_lookup (catalogue, "a"));

  sp_catalogue_set_live (catalogue, TRUE);
  store_string (catalogue, sp_catalogue_begin (catalogue), "a", "1");
  g_assert_cmpstr (sp_catalogue_lookup (catalogue, "a"), ==, "1");

  /* The connection lost: what was kept may miss changes. */
  sp_catalogue_set_live (catalogue, FALSE);
  g_assert_null (sp_catalogue_lookup (catalogue, "a"));
  store_string (catalogue, sp_catalogue_begin (catalogue), "a", "2");
  g_assert_cmpuint (sp_catalogue_get_size (catalogue), ==, 0);

  /* Connected again: kept again, from scratch. */
  sp_catalogue_set_live (catalogue, TRUE);
  g_assert_null (sp_catalogue_lookup (catalogue, "a"));
  store_string (catalogue, sp_catalogue_begin (catalogue), "a", "3");
  g_assert_cmpstr (sp_catalogue_lookup (catalogue, "a"), ==, "3");
}

/* A change drops everything; a value read before it is not kept after it. */
static void
test_changes (void)
{
  g_autoptr(SpCatalogue) catalogue = sp_catalogue_new (60);
  SpCatalogueToken before;

  sp_catalogue_set_live (catalogue, TRUE);
  store_string (catalogue, sp_catalogue_begin (catalogue), "a", "1");
  store_string (catalogue, sp_catalogue_begin (catalogue), "b", "2");
  g_assert_cmpuint (sp_catalogue_get_size (catalogue), ==, 2);

  before = sp_catalogue_begin (catalogue);
  sp_catalogue_changed (catalogue);
  g_assert_null (sp_catalogue_lookup (catalogue, "a"));
  g_assert_null (sp_catalogue_lookup (catalogue, "b"));

  /* Read while the change happened: it may be the old value. */
  store_string (catalogue, before, "a", "old");
  g_assert_null (sp_catalogue_lookup (catalogue, "a"));

  store_string (catalogue, sp_catalogue_begin (catalogue), "a", "new");
  g_assert_cmpstr (sp_catalogue_lookup (catalogue, "a"), ==, "new");
}

/* Changes come from the listener's thread. */
static gpointer
change_thread (gpointer data)
{
  for (int i = 0; i < 1000; i++)
    sp_catalogue_changed (data);
  return NULL;
}

static void
test_changes_from_another_thread (void)
{
  g_autoptr(SpCatalogue) catalogue = sp_catalogue_new (60);
  SpCatalogueToken token;
  GThread *thread;

  sp_catalogue_set_live (catalogue, TRUE);
  token = sp_catalogue_begin (catalogue);
  thread = g_thread_new ("changes", change_thread, catalogue);
  for (int i = 0; i < 1000; i++)
    {
      store_string (catalogue, sp_catalogue_begin (catalogue), "a", "x");
      sp_catalogue_lookup (catalogue, "a");
    }
  g_thread_join (thread);
  /* The loop's last store may follow the thread's last change: one more
   * change drops whatever the loop left. */
  sp_catalogue_changed (catalogue);
  g_assert_null (sp_catalogue_lookup (catalogue, "a"));
  store_string (catalogue, token, "b", "stale");
  g_assert_null (sp_catalogue_lookup (catalogue, "b"));
}

/* Even without a change, a value is read again after the maximum age. */
static void
test_max_age (void)
{
  g_autoptr(SpCatalogue) catalogue = sp_catalogue_new (1);

  sp_catalogue_set_live (catalogue, TRUE);
  store_string (catalogue, sp_catalogue_begin (catalogue), "a", "1");
  g_assert_cmpstr (sp_catalogue_lookup (catalogue, "a"), ==, "1");
  g_usleep (1100 * 1000);
  g_assert_null (sp_catalogue_lookup (catalogue, "a"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/catalogue/not-live", test_not_live);
  g_test_add_func ("/catalogue/changes", test_changes);
  g_test_add_func ("/catalogue/changes-from-another-thread", test_changes_from_another_thread);
  g_test_add_func ("/catalogue/max-age", test_max_age);
  return g_test_run ();
}
