/* sp-pratica-page-private.h: what the parts of SpPraticaPage share */
#pragma once

#include <adwaita.h>

#include "sp-elabora-page.h"
#include "sp-form-view.h"
#include "sp-pratica-detail.h"
#include "sp-pratica-page.h"

G_BEGIN_DECLS

struct _SpPraticaPage
{
  AdwBin           parent_instance;

  SpClient        *client;
  char            *pratica_id;
  GCancellable    *cancellable;
  GCancellable    *taking;              /* of "Prendi in carico" while it runs */
  SpPraticaDetail *detail;
  GHashTable      *document_rows;       /* "modulo:"/"document:" + id → SpDocumentRow */
  SpElaboraPage   *elabora_page;        /* shown instead of detail_box while open */
  guint            live_id;             /* the periodic check for changes, while shown */
  GCancellable    *live_cancellable;    /* of that check while it runs */

  GtkWidget       *detail_box;
  AdwWindowTitle  *window_title;
  GtkSpinner      *header_spinner;
  GtkWidget       *take_charge_button;
  GtkWidget       *elabora_button;
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  AdwStatusPage   *error_page;
  GtkWidget       *error_back_button;
  GtkWidget       *error_retry_button;
  GtkLabel        *title_label;
  GtkLabel        *status_label;
  GtkLabel        *servizio_label;
  GtkLabel        *applicant_label;
  GtkLabel        *cf_label;
  GtkLabel        *submitted_label;
  GtkLabel        *deadline_label;
  GtkLabel        *assignee_label;
  AdwPreferencesGroup *outcome_group;
  GtkListBox      *outcome_list;
  GtkListBox      *modulo_list;
  GtkWidget       *protocol_warning;
  GtkListBox      *protocols_list;
  GtkListBox      *iter_list;
  SpFormView      *form_view;
  GtkListBox      *documents_list;
};

/* sp-pratica-page.c */
void sp_pratica_page_set_busy        (SpPraticaPage  *self,
                                      gboolean        busy);
void sp_pratica_page_show_detail     (SpPraticaPage  *self,
                                      SpPraticaDetail *detail);

/* sp-pratica-page-live.c */
void sp_pratica_page_live_init       (SpPraticaPage  *self);
void sp_pratica_page_live_stop       (SpPraticaPage  *self);

/* sp-pratica-page-actions.c */
void sp_pratica_page_show_actions    (SpPraticaPage  *self);
void sp_pratica_page_close_elabora   (SpPraticaPage  *self);
void sp_pratica_page_install_actions (GtkWidgetClass *widget_class);

G_END_DECLS
