/* sp-pratica-list-model.c: the dashboard's rows, a GListModel fetched from the server page by page */
#define G_LOG_DOMAIN "sp-pratica-list-model"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-client-dashboard.h"
#include "sp-pratica-list-model.h"

/*
 * SpPraticaListModel holds the rows of one query (bucket, search, sort) as
 * far as they have been fetched. The first page comes on a query change or a
 * reload; the next one when the view asks for a row within PREFETCH_ROWS of
 * the end, so a bucket of a million pratiche opens as fast as one of ten and
 * scrolling fetches ahead of the user. Sorting and searching happen on the
 * server (keyset paging): the model never reorders anything.
 *
 * One request at a time: a query change or a reload cancels the request in
 * flight, and a reply that arrives after its request was cancelled is dropped.
 * A reload keeps the old rows on screen until the new first page replaces
 * them; a query change clears them at once, since they no longer match.
 */

#define DEFAULT_PAGE_SIZE 50
#define PREFETCH_ROWS 20

struct _SpPraticaListModel
{
  GObject        parent_instance;

  SpClient      *client;
  SpBucket       bucket;
  char          *search;          /* NULL for none */
  SpSortKey      sort;
  gboolean       descending;
  guint          page_size;

  GPtrArray     *items;           /* of SpPraticaSummary */
  char          *next_cursor;     /* NULL: no more pages (or nothing loaded) */
  gboolean       loaded;          /* a first page of this query arrived */
  gboolean       has_counts;
  gint64         counts[SP_N_BUCKETS];
  GError        *error;           /* the last request's, until the next one */

  GCancellable  *cancellable;     /* the request in flight, if any */
  guint          load_more_id;    /* an idle that fetches the next page */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SpPraticaListModel, sp_pratica_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_PAGE_SIZE,
  PROP_LOADING,
  PROP_LOADED,
  PROP_COMPLETE,
  PROP_ERROR,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  COUNTS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  SpPraticaListModel *self;
  GCancellable       *cancellable;
  gboolean            first_page;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->self);
  g_object_unref (fetch->cancellable);
  g_free (fetch);
}

static void fetch_page (SpPraticaListModel *self,
                        gboolean            first_page);

static GType
sp_pratica_list_model_get_item_type (GListModel *model)
{
  return SP_TYPE_PRATICA_SUMMARY;
}

static guint
sp_pratica_list_model_get_n_items (GListModel *model)
{
  return SP_PRATICA_LIST_MODEL (model)->items->len;
}

static gboolean
load_more_cb (gpointer user_data)
{
  SpPraticaListModel *self = user_data;

  self->load_more_id = 0;
  if (self->next_cursor != NULL && self->cancellable == NULL && self->error == NULL)
    fetch_page (self, FALSE);
  return G_SOURCE_REMOVE;
}

static gpointer
sp_pratica_list_model_get_item (GListModel *model,
                                guint       position)
{
  SpPraticaListModel *self = SP_PRATICA_LIST_MODEL (model);

  if (position >= self->items->len)
    return NULL;

  /* The view reached the last rows: fetch the next page, outside of its
   * layout. A failed page waits for sp_pratica_list_model_load_more(). */
  if (position + PREFETCH_ROWS >= self->items->len
      && self->next_cursor != NULL && self->cancellable == NULL
      && self->error == NULL && self->load_more_id == 0)
    self->load_more_id = g_idle_add_full (G_PRIORITY_DEFAULT, load_more_cb, self, NULL);

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = sp_pratica_list_model_get_item_type;
  iface->get_n_items = sp_pratica_list_model_get_n_items;
  iface->get_item = sp_pratica_list_model_get_item;
}

static void
set_error (SpPraticaListModel *self,
           GError             *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* Ends the request in flight, if any, without waiting for it. */
static void
cancel_fetch (SpPraticaListModel *self)
{
  g_clear_handle_id (&self->load_more_id, g_source_remove);
  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Forgets the rows, the cursor and the state of the previous query. */
static void
remove_all (SpPraticaListModel *self)
{
  guint removed = self->items->len;
  gboolean was_loaded = self->loaded;

  g_clear_pointer (&self->next_cursor, g_free);
  self->loaded = FALSE;
  if (removed > 0)
    {
      g_ptr_array_set_size (self->items, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  if (was_loaded)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
    }
}

static void
apply_page (SpPraticaListModel *self,
            SpDashboardResult  *page,
            gboolean            first_page)
{
  guint position = first_page ? 0 : self->items->len;
  guint removed = first_page ? self->items->len : 0;
  gboolean was_complete = sp_pratica_list_model_get_complete (self);
  gboolean was_loaded = self->loaded;
  guint added = page->items->len;

  if (first_page)
    g_ptr_array_set_size (self->items, 0);
  g_ptr_array_extend_and_steal (self->items, g_steal_pointer (&page->items));
  g_free (self->next_cursor);
  self->next_cursor = g_steal_pointer (&page->next_cursor);
  self->loaded = TRUE;

  if (page->has_counts)
    {
      self->has_counts = TRUE;
      memcpy (self->counts, page->counts, sizeof self->counts);
      g_signal_emit (self, signals[COUNTS_CHANGED], 0);
    }

  if (removed > 0 || added > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  if (!was_loaded)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  if (was_complete != sp_pratica_list_model_get_complete (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fetch = user_data;
  SpPraticaListModel *self = fetch->self;
  g_autoptr(SpDashboardResult) page = NULL;
  g_autoptr(GError) error = NULL;

  page = sp_client_list_pratiche_finish (SP_CLIENT (object), result, &error);

  /* A newer query or reload superseded this request. */
  if (g_cancellable_is_cancelled (fetch->cancellable) || fetch->cancellable != self->cancellable)
    {
      fetch_free (fetch);
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));
  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  if (page != NULL)
    apply_page (self, page, fetch->first_page);
  else
    {
      g_debug ("Cannot load a page of %s: %s", sp_bucket_to_string (self->bucket), error->message);
      /* Rows that might be stale stay only when more rows were asked for. */
      if (fetch->first_page)
        remove_all (self);
      set_error (self, g_steal_pointer (&error));
    }
  g_object_thaw_notify (G_OBJECT (self));

  fetch_free (fetch);
}

static void
fetch_page (SpPraticaListModel *self,
            gboolean            first_page)
{
  Fetch *fetch;

  cancel_fetch (self);
  if (self->client == NULL || !sp_client_is_signed_in (self->client))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  set_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_thaw_notify (G_OBJECT (self));

  fetch = g_new0 (Fetch, 1);
  fetch->self = g_object_ref (self);
  fetch->cancellable = g_object_ref (self->cancellable);
  fetch->first_page = first_page;

  sp_client_list_pratiche_async (self->client, self->bucket, self->search, self->sort, self->descending,
                                 first_page ? NULL : self->next_cursor, self->page_size,
                                 self->cancellable, fetch_cb, fetch);
}

static void
sp_pratica_list_model_dispose (GObject *object)
{
  SpPraticaListModel *self = SP_PRATICA_LIST_MODEL (object);

  cancel_fetch (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sp_pratica_list_model_parent_class)->dispose (object);
}

static void
sp_pratica_list_model_finalize (GObject *object)
{
  SpPraticaListModel *self = SP_PRATICA_LIST_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_free (self->search);
  g_free (self->next_cursor);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (sp_pratica_list_model_parent_class)->finalize (object);
}

static void
sp_pratica_list_model_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SpPraticaListModel *self = SP_PRATICA_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, sp_pratica_list_model_get_loading (self));
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, sp_pratica_list_model_get_complete (self));
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_pratica_list_model_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SpPraticaListModel *self = SP_PRATICA_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      sp_pratica_list_model_set_client (self, g_value_get_object (value));
      break;

    case PROP_PAGE_SIZE:
      sp_pratica_list_model_set_page_size (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_pratica_list_model_class_init (SpPraticaListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sp_pratica_list_model_dispose;
  object_class->finalize = sp_pratica_list_model_finalize;
  object_class->get_property = sp_pratica_list_model_get_property;
  object_class->set_property = sp_pratica_list_model_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, SP_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL, 1, 500, DEFAULT_PAGE_SIZE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A request is in flight. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The first page of the current query arrived. */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Every row of the query is in the model. */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The error of the last request, with a message for the user. */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SpPraticaListModel::counts-changed:
   *
   * A first page brought the counts of the buckets (sp_pratica_list_model_get_counts()).
   */
  signals[COUNTS_CHANGED] =
    g_signal_new ("counts-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sp_pratica_list_model_init (SpPraticaListModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->bucket = SP_BUCKET_DA_GESTIRE;
  self->sort = SP_SORT_SUBMITTED;
  self->page_size = DEFAULT_PAGE_SIZE;
}

SpPraticaListModel *
sp_pratica_list_model_new (SpClient *client)
{
  g_return_val_if_fail (client == NULL || SP_IS_CLIENT (client), NULL);

  return g_object_new (SP_TYPE_PRATICA_LIST_MODEL, "client", client, NULL);
}

SpClient *
sp_pratica_list_model_get_client (SpPraticaListModel *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), NULL);
  return self->client;
}

/**
 * sp_pratica_list_model_set_client:
 *
 * A new client (a new session) empties the model; sp_pratica_list_model_reload()
 * fetches the first page.
 */
void
sp_pratica_list_model_set_client (SpPraticaListModel *self,
                                  SpClient           *client)
{
  g_return_if_fail (SP_IS_PRATICA_LIST_MODEL (self));
  g_return_if_fail (client == NULL || SP_IS_CLIENT (client));

  if (self->client == client)
    return;
  sp_pratica_list_model_clear (self);
  g_set_object (&self->client, client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * sp_pratica_list_model_set_query:
 * @search: (nullable): the search text; empty or white space for none
 *
 * Shows another bucket, search or order: the rows go at once and the first
 * page of the new query is fetched. Nothing happens if nothing changed.
 */
void
sp_pratica_list_model_set_query (SpPraticaListModel *self,
                                 SpBucket            bucket,
                                 const char         *search,
                                 SpSortKey           sort,
                                 gboolean            descending)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (SP_IS_PRATICA_LIST_MODEL (self));
  g_return_if_fail (bucket < SP_N_BUCKETS);
  g_return_if_fail (sort < SP_N_SORT_KEYS);

  if (search != NULL)
    {
      stripped = g_strstrip (g_strdup (search));
      if (*stripped == '\0')
        g_clear_pointer (&stripped, g_free);
    }

  if (self->bucket == bucket && g_strcmp0 (self->search, stripped) == 0
      && self->sort == sort && self->descending == !!descending
      && (self->loaded || self->cancellable != NULL))
    return;

  self->bucket = bucket;
  g_free (self->search);
  self->search = g_steal_pointer (&stripped);
  self->sort = sort;
  self->descending = !!descending;

  g_object_freeze_notify (G_OBJECT (self));
  cancel_fetch (self);
  remove_all (self);
  fetch_page (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
}

SpBucket
sp_pratica_list_model_get_bucket (SpPraticaListModel *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), SP_BUCKET_DA_GESTIRE);
  return self->bucket;
}

/**
 * sp_pratica_list_model_get_search:
 *
 * Returns: (nullable): the search of the current query, trimmed
 */
const char *
sp_pratica_list_model_get_search (SpPraticaListModel *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), NULL);
  return self->search;
}

SpSortKey
sp_pratica_list_model_get_sort (SpPraticaListModel *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), SP_SORT_SUBMITTED);
  return self->sort;
}

gboolean
sp_pratica_list_model_get_descending (SpPraticaListModel *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), FALSE);
  return self->descending;
}

guint
sp_pratica_list_model_get_page_size (SpPraticaListModel *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), DEFAULT_PAGE_SIZE);
  return self->page_size;
}

/**
 * sp_pratica_list_model_set_page_size:
 *
 * The rows asked for per request, from the next request on.
 */
void
sp_pratica_list_model_set_page_size (SpPraticaListModel *self,
                                     guint               page_size)
{
  g_return_if_fail (SP_IS_PRATICA_LIST_MODEL (self));
  g_return_if_fail (page_size >= 1 && page_size <= 500);

  if (self->page_size == page_size)
    return;
  self->page_size = page_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
}

/**
 * sp_pratica_list_model_reload:
 *
 * Fetches the first page of the current query again, with fresh counts; the
 * rows on screen stay until it replaces them.
 */
void
sp_pratica_list_model_reload (SpPraticaListModel *self)
{
  g_return_if_fail (SP_IS_PRATICA_LIST_MODEL (self));

  fetch_page (self, TRUE);
}

/**
 * sp_pratica_list_model_clear:
 *
 * Cancels any request and forgets the rows and the counts (sign-out).
 */
void
sp_pratica_list_model_clear (SpPraticaListModel *self)
{
  g_return_if_fail (SP_IS_PRATICA_LIST_MODEL (self));

  g_object_freeze_notify (G_OBJECT (self));
  cancel_fetch (self);
  remove_all (self);
  set_error (self, NULL);
  if (self->has_counts)
    {
      self->has_counts = FALSE;
      memset (self->counts, 0, sizeof self->counts);
      g_signal_emit (self, signals[COUNTS_CHANGED], 0);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * sp_pratica_list_model_load_more:
 *
 * Fetches the next page now, also after an error.
 *
 * Returns: whether a request started (or one is already in flight)
 */
gboolean
sp_pratica_list_model_load_more (SpPraticaListModel *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), FALSE);

  if (self->cancellable != NULL)
    return TRUE;
  if (!self->loaded)
    {
      fetch_page (self, TRUE);
      return self->cancellable != NULL;
    }
  if (self->next_cursor == NULL)
    return FALSE;
  fetch_page (self, FALSE);
  return self->cancellable != NULL;
}

gboolean
sp_pratica_list_model_get_loading (SpPraticaListModel *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), FALSE);
  return self->cancellable != NULL;
}

gboolean
sp_pratica_list_model_get_loaded (SpPraticaListModel *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), FALSE);
  return self->loaded;
}

gboolean
sp_pratica_list_model_get_complete (SpPraticaListModel *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), FALSE);
  return self->loaded && self->next_cursor == NULL;
}

/**
 * sp_pratica_list_model_get_error:
 *
 * Returns: (nullable): why the last request failed
 */
const GError *
sp_pratica_list_model_get_error (SpPraticaListModel *self)
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), NULL);
  return self->error;
}

/**
 * sp_pratica_list_model_get_counts:
 * @counts: (out caller-allocates): the pratiche of each bucket, search applied
 *
 * Returns: whether counts were received (zeros otherwise)
 */
gboolean
sp_pratica_list_model_get_counts (SpPraticaListModel *self,
                                  gint64              counts[SP_N_BUCKETS])
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), FALSE);

  memcpy (counts, self->counts, sizeof self->counts);
  return self->has_counts;
}

/**
 * sp_pratica_list_model_find:
 * @position: (out) (optional): where the row is
 *
 * Returns: (transfer none) (nullable): the loaded row of @pratica_id
 */
SpPraticaSummary *
sp_pratica_list_model_find (SpPraticaListModel *self,
                            const char         *pratica_id,
                            guint              *position)
{
  g_return_val_if_fail (SP_IS_PRATICA_LIST_MODEL (self), NULL);
  g_return_val_if_fail (pratica_id != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      SpPraticaSummary *summary = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (sp_pratica_summary_get_id (summary), pratica_id) == 0)
        {
          if (position != NULL)
            *position = i;
          return summary;
        }
    }
  return NULL;
}
