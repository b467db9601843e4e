/* main.c: the entry point of the sportello desktop app */
#define G_LOG_DOMAIN "sportello"

#include "config.h"

#include "sp-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SpApplication) application = NULL;

  sp_application_init_i18n ();

  application = sp_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
