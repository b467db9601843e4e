#pragma once

/* Moduli for load-demo and generate: rendered by sp_pdf_render_modulo() on a pool of threads. */

#include <glib.h>

#include "sp-db-admin.h"

G_BEGIN_DECLS

/**
 * SpAdminModulo:
 * @document: the caller sets its id and pratica_id; the renderer the rest
 *   (filename `modulo-<numero>.pdf`, the bytes, their SHA-256, created_at
 *   the submission time, which is also the PDF's creation date)
 * @error: why it could not be rendered, if so
 * @user_data: the caller's, untouched
 *
 * One modulo to draw, as the server draws it on submission (the ente's
 * locale, Europe/Rome). Owns its strings; the worker threads parse the JSON.
 */
typedef struct
{
  char            *ente_name;
  char            *place_name;
  char            *locale;
  char            *servizio_name;
  char            *numero;
  GDateTime       *submitted_at;
  char            *applicant_nome;
  char            *applicant_cognome;
  char            *applicant_cf;
  char            *applicant_email;
  char            *field_schema;     /* JSON array */
  char            *data;             /* JSON object, as submitted */
  SpAdminDocument *document;
  GError          *error;
  gint64           render_usec;      /* the CPU time its thread spent on it */
  gpointer         user_data;
} SpAdminModulo;

typedef struct _SpAdminModuloPool SpAdminModuloPool;

SpAdminModulo     *sp_admin_modulo_new            (const char         *document_id,
                                                   const char         *pratica_id) G_GNUC_WARN_UNUSED_RESULT;
void               sp_admin_modulo_free           (SpAdminModulo      *modulo);
char              *sp_admin_modulo_uuid           (const char         *pratica_id,
                                                   const char         *name) G_GNUC_WARN_UNUSED_RESULT;

SpAdminModuloPool *sp_admin_modulo_pool_new       (guint               n_threads,
                                                   GError            **error) G_GNUC_WARN_UNUSED_RESULT;
guint              sp_admin_modulo_pool_get_n_threads (SpAdminModuloPool *self);
void               sp_admin_modulo_pool_push      (SpAdminModuloPool  *self,
                                                   SpAdminModulo      *modulo);
SpAdminModulo     *sp_admin_modulo_pool_pop       (SpAdminModuloPool  *self) G_GNUC_WARN_UNUSED_RESULT;
void               sp_admin_modulo_pool_free      (SpAdminModuloPool  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAdminModulo, sp_admin_modulo_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAdminModuloPool, sp_admin_modulo_pool_free)

G_END_DECLS
