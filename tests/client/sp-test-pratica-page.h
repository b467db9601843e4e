#pragma once

/* What the "Dettaglio pratica" UI tests share: the app in Italian under Xvfb
 * against a real sportello-server whose database has the pratiche of
 * sp-test-pratiche.c, and helpers to open the page and read what it shows. */

#include <adwaita.h>

#include "sp-client.h"
#include "sp-pratica-page.h"
#include "sp-test-env.h"
#include "sp-test-pratiche.h"

G_BEGIN_DECLS

void            sp_test_pratica_ui_init         (int            *argc,
                                                 char         ***argv);
int             sp_test_pratica_ui_run          (void);
gboolean        sp_test_pratica_ui_have_display (void);
SpTestEnv      *sp_test_pratica_ui_env          (void);
SpTestPratiche *sp_test_pratica_ui_pratiche     (void);

gboolean        sp_test_pratica_skip            (void);
const char     *sp_test_pratica_state           (SpPraticaPage   *page);
const char     *sp_test_pratica_label           (SpPraticaPage   *page,
                                                 const char      *name);
GtkWindow      *sp_test_pratica_open            (SpClient        *client,
                                                 const char      *pratica_id,
                                                 int              height,
                                                 SpPraticaPage  **page_out);
void            sp_test_pratica_close           (GtkWindow       *window);
guint           sp_test_pratica_count_rows      (GtkWidget       *list);
GtkWidget      *sp_test_pratica_nth_row         (GtkWidget       *list,
                                                 guint            n);
const char     *sp_test_pratica_named_text      (GtkWidget       *root,
                                                 const char      *name);

G_END_DECLS
