#pragma once

/* What the "Elabora" UI tests share: the app in Italian, in Rome's time,
 * under Xvfb against a real sportello-server with the services of the
 * server's Elabora tests (sp-test-elabora.c), and helpers to open the
 * detail and Elabora, to drive its steps, fields and upload as the user
 * does, and to read what the server keeps. */

#include <adwaita.h>

#include "sp-application.h"
#include "sp-client.h"
#include "sp-elabora-page.h"
#include "sp-pratica-page.h"
#include "sp-response-upload.h"
#include "sp-step-field-row.h"
#include "sp-test-elabora.h"

G_BEGIN_DECLS

/* The environment */
void              sp_test_elabora_ui_init             (int            *argc,
                                                       char         ***argv);
int               sp_test_elabora_ui_run              (void);
gboolean          sp_test_elabora_ui_skip             (void);
SpTestElabora    *sp_test_elabora_ui_fixture          (void);
SpApplication    *sp_test_elabora_ui_application      (void);
const char       *sp_test_elabora_ui_files_dir        (void);
GFile            *sp_test_elabora_ui_make_file        (const char     *name,
                                                       gsize           size,
                                                       gboolean        sparse) G_GNUC_WARN_UNUSED_RESULT;

/* What the server keeps */
gint64            sp_test_elabora_ui_count            (const char     *sql,
                                                       const char     *pratica_id);
JsonObject       *sp_test_elabora_ui_server_detail    (const char     *pratica_id,
                                                       SpTestResponse **response);
const char       *sp_test_elabora_ui_processing       (JsonObject     *detail,
                                                       const char     *member);

/* The detail, and Elabora in its place */
GtkWindow        *sp_test_elabora_ui_open_detail      (SpClient       *client,
                                                       const char     *pratica_id,
                                                       int             width,
                                                       SpPraticaPage **page_out);
const char       *sp_test_elabora_ui_detail_state     (SpPraticaPage  *page);
void              sp_test_elabora_ui_wait_detail_status (SpPraticaPage *page,
                                                         int            status);
SpElaboraPage    *sp_test_elabora_ui_of               (SpPraticaPage  *page);
SpElaboraPage    *sp_test_elabora_ui_open             (SpPraticaPage  *page);

/* Elabora's steps and fields */
void              sp_test_elabora_ui_press            (SpElaboraPage  *elabora,
                                                       const char     *button);
void              sp_test_elabora_ui_assert_step      (SpElaboraPage  *elabora,
                                                       const char     *name,
                                                       const char     *counter,
                                                       const char     *title);
SpStepFieldRow   *sp_test_elabora_ui_field_row        (SpElaboraPage  *elabora,
                                                       const char     *path);
const char       *sp_test_elabora_ui_field_error      (SpElaboraPage  *elabora,
                                                       const char     *path);
void              sp_test_elabora_ui_type_into        (SpElaboraPage  *elabora,
                                                       const char     *path,
                                                       const char     *text);
const char       *sp_test_elabora_ui_typed            (SpElaboraPage  *elabora,
                                                       const char     *path);
void              sp_test_elabora_ui_choose           (SpElaboraPage  *elabora,
                                                       const char     *path,
                                                       guint           position);
void              sp_test_elabora_ui_tick             (SpElaboraPage  *elabora,
                                                       const char     *path,
                                                       gboolean        active);
void              sp_test_elabora_ui_set_motivation   (SpElaboraPage  *elabora,
                                                       const char     *text);
const char       *sp_test_elabora_ui_shown_error      (SpElaboraPage  *elabora,
                                                       const char     *label);

/* The response's upload */
SpResponseUpload *sp_test_elabora_ui_upload_of        (SpElaboraPage  *elabora);
gpointer          sp_test_elabora_ui_upload_child     (SpElaboraPage  *elabora,
                                                       const char     *name);
const char       *sp_test_elabora_ui_upload_error     (SpElaboraPage  *elabora);
void              sp_test_elabora_ui_choose_file      (SpElaboraPage  *elabora,
                                                       GFile          *file,
                                                       const char     *screenshot);
void              sp_test_elabora_ui_wait_uploaded    (SpElaboraPage  *elabora);

G_END_DECLS
