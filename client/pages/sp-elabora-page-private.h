/* sp-elabora-page-private.h: what the parts of SpElaboraPage share */
#pragma once

#include <json-glib/json-glib.h>

#include "sp-elabora-page.h"
#include "sp-pratica-detail.h"
#include "sp-processing.h"
#include "sp-response-upload.h"

G_BEGIN_DECLS

/* The names of the steps in step_stack; a service's own step is "step:" + its key. */
#define SP_ELABORA_ESITO     "esito"
#define SP_ELABORA_RISPOSTA  "risposta"
#define SP_ELABORA_SUMMARY   "riepilogo"

struct _SpElaboraPage
{
  AdwBin            parent_instance;

  SpClient         *client;
  char             *pratica_id;
  SpPraticaDetail  *detail;
  GCancellable     *cancellable;     /* of the load, save or conclusion in progress */
  GHashTable       *rows;            /* "steps.<step>.<field>" → SpStepFieldRow */
  GHashTable       *reached;         /* the steps the work has reached, by name */
  char             *current;         /* the step shown */
  gboolean          dirty;           /* changed since loaded or saved */
  gboolean          filling;         /* values set by the page, not by the user */
  gboolean          close_after_save;
  gboolean          concluding;      /* the save in progress goes on to conclude */
  GtkWidget        *summary_box;     /* the content of "riepilogo" */

  AdwWindowTitle   *window_title;
  GtkWidget        *save_button;
  GtkSpinner       *header_spinner;
  AdwToastOverlay  *toast_overlay;
  GtkStack         *stack;
  GtkSpinner       *spinner;
  AdwStatusPage    *error_page;
  GtkLabel         *step_counter;
  GtkLabel         *step_title;
  GtkLevelBar      *step_bar;
  GtkLabel         *saved_label;
  GtkStack         *step_stack;
  GtkWidget        *accept_row;
  GtkWidget        *reject_row;
  GtkCheckButton   *accept_check;
  GtkCheckButton   *reject_check;
  GtkLabel         *esito_error;
  GtkWidget        *motivazione_frame;
  GtkTextView      *motivazione_view;
  GtkLabel         *motivazione_error;
  SpResponseUpload *response_upload;
  GtkWidget        *back_button;
  GtkWidget        *next_button;
  GtkWidget        *conclude_button;
};

/* sp-elabora-steps.c */
void          sp_elabora_page_build_steps   (SpElaboraPage *self);
void          sp_elabora_page_fill          (SpElaboraPage *self);
const char   *sp_elabora_page_esito         (SpElaboraPage *self);
GPtrArray    *sp_elabora_page_order         (SpElaboraPage *self) G_GNUC_WARN_UNUSED_RESULT;
char         *sp_elabora_page_step_title    (SpElaboraPage *self,
                                             const char    *name) G_GNUC_WARN_UNUSED_RESULT;
SpProcessing *sp_elabora_page_collect       (SpElaboraPage *self,
                                             JsonArray     *problems) G_GNUC_WARN_UNUSED_RESULT;
JsonArray    *sp_elabora_page_check         (SpElaboraPage *self,
                                             const char    *name) G_GNUC_WARN_UNUSED_RESULT;
char         *sp_elabora_page_show_errors   (SpElaboraPage *self,
                                             JsonArray     *errors,
                                             const char    *name) G_GNUC_WARN_UNUSED_RESULT;
char         *sp_elabora_page_resume_step   (SpElaboraPage *self) G_GNUC_WARN_UNUSED_RESULT;
void          sp_elabora_page_build_summary (SpElaboraPage *self);

G_END_DECLS
