/* sp-pratica-list-model.h: the dashboard's rows, a GListModel fetched from the server page by page */
#pragma once

#include <gio/gio.h>

#include "sp-client.h"
#include "sp-dashboard.h"
#include "sp-pratica.h"

G_BEGIN_DECLS

#define SP_TYPE_PRATICA_LIST_MODEL (sp_pratica_list_model_get_type ())

G_DECLARE_FINAL_TYPE (SpPraticaListModel, sp_pratica_list_model, SP, PRATICA_LIST_MODEL, GObject)

SpPraticaListModel *sp_pratica_list_model_new            (SpClient           *client) G_GNUC_WARN_UNUSED_RESULT;
SpClient           *sp_pratica_list_model_get_client     (SpPraticaListModel *self);
void                sp_pratica_list_model_set_client     (SpPraticaListModel *self,
                                                          SpClient           *client);
void                sp_pratica_list_model_set_query      (SpPraticaListModel *self,
                                                          SpBucket            bucket,
                                                          const char         *search,
                                                          SpSortKey           sort,
                                                          gboolean            descending);
SpBucket            sp_pratica_list_model_get_bucket     (SpPraticaListModel *self);
const char         *sp_pratica_list_model_get_search     (SpPraticaListModel *self);
SpSortKey           sp_pratica_list_model_get_sort       (SpPraticaListModel *self);
gboolean            sp_pratica_list_model_get_descending (SpPraticaListModel *self);
guint               sp_pratica_list_model_get_page_size  (SpPraticaListModel *self);
void                sp_pratica_list_model_set_page_size  (SpPraticaListModel *self,
                                                          guint               page_size);
void                sp_pratica_list_model_reload         (SpPraticaListModel *self);
void                sp_pratica_list_model_clear          (SpPraticaListModel *self);
gboolean            sp_pratica_list_model_load_more      (SpPraticaListModel *self);
gboolean            sp_pratica_list_model_get_loading    (SpPraticaListModel *self);
gboolean            sp_pratica_list_model_get_loaded     (SpPraticaListModel *self);
gboolean            sp_pratica_list_model_get_complete   (SpPraticaListModel *self);
const GError       *sp_pratica_list_model_get_error      (SpPraticaListModel *self);
gboolean            sp_pratica_list_model_get_counts     (SpPraticaListModel *self,
                                                          gint64              counts[SP_N_BUCKETS]);
SpPraticaSummary   *sp_pratica_list_model_find           (SpPraticaListModel *self,
                                                          const char         *pratica_id,
                                                          guint              *position);

G_END_DECLS
