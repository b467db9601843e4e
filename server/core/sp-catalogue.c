/* sp-catalogue.c: values kept between requests until the database announces that they changed */
#define G_LOG_DOMAIN "sp-server"

#include "config.h"

#include "sp-catalogue.h"

/* The most values kept: one per partner and kind, so far below. */
#define MAX_ENTRIES 4096

typedef struct
{
  gpointer        value;
  GDestroyNotify  destroy;
  gint64          stored_us;
} Entry;

struct _SpCatalogue
{
  GMutex      lock;          /* generation and live */
  guint64     generation;    /* moved on by every change; even while not live */
  gboolean    live;
  gint64      max_age_us;
  guint64     seen;          /* the generation of entries (main thread) */
  GHashTable *entries;       /* key → Entry (main thread) */
};

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  if (entry->destroy != NULL)
    entry->destroy (entry->value);
  g_free (entry);
}

/**
 * sp_catalogue_new:
 * @max_age_seconds: how long a value is kept at most, even without a change
 */
SpCatalogue *
sp_catalogue_new (int max_age_seconds)
{
  SpCatalogue *self = g_new0 (SpCatalogue, 1);

  g_mutex_init (&self->lock);
  self->generation = 2;
  self->max_age_us = (gint64) max_age_seconds * G_USEC_PER_SEC;
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  return self;
}

void
sp_catalogue_free (SpCatalogue *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->entries);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * sp_catalogue_set_live:
 * @live: whether changes are heard from now on
 *
 * Called when the connection that hears the changes is made (%TRUE) or lost
 * (%FALSE). Either way, what was kept is dropped: changes may have been
 * missed meanwhile.
 */
void
sp_catalogue_set_live (SpCatalogue *self,
                       gboolean     live)
{
  g_mutex_lock (&self->lock);
  self->live = live;
  self->generation += 2;
  g_mutex_unlock (&self->lock);
}

/* The database announced a change: everything kept is dropped. */
void
sp_catalogue_changed (SpCatalogue *self)
{
  g_mutex_lock (&self->lock);
  self->generation += 2;
  g_mutex_unlock (&self->lock);
}

/* The current generation, odd (never stored) while changes are not heard. */
static guint64
current (SpCatalogue *self)
{
  guint64 generation;

  g_mutex_lock (&self->lock);
  generation = self->live ? self->generation : self->generation + 1;
  g_mutex_unlock (&self->lock);
  return generation;
}

/* Drops the entries of an older generation. */
static guint64
refresh (SpCatalogue *self)
{
  guint64 generation = current (self);

  if (generation != self->seen)
    {
      g_hash_table_remove_all (self->entries);
      self->seen = generation;
    }
  return generation;
}

/**
 * sp_catalogue_begin:
 *
 * Returns: the token to store a value read from now on with
 */
SpCatalogueToken
sp_catalogue_begin (SpCatalogue *self)
{
  return current (self);
}

/**
 * sp_catalogue_lookup:
 *
 * Returns: (transfer none) (nullable): the value kept under @key, valid
 *   until the next call on @self
 */
gconstpointer
sp_catalogue_lookup (SpCatalogue *self,
                     const char  *key)
{
  Entry *entry;

  refresh (self);
  entry = g_hash_table_lookup (self->entries, key);
  if (entry == NULL)
    return NULL;
  if (g_get_monotonic_time () - entry->stored_us > self->max_age_us)
    {
      g_hash_table_remove (self->entries, key);
      return NULL;
    }
  return entry->value;
}

/**
 * sp_catalogue_store:
 * @token: what sp_catalogue_begin() returned before @value was read
 * @value: (transfer full): the value
 *
 * Keeps @value under @key, unless the catalogue changed since @token (the
 * value may predate the change) or changes are not heard: then @value is
 * destroyed at once.
 */
void
sp_catalogue_store (SpCatalogue      *self,
                    SpCatalogueToken  token,
                    const char       *key,
                    gpointer          value,
                    GDestroyNotify    destroy)
{
  Entry *entry;

  if (token % 2 != 0 || refresh (self) != token
      || (g_hash_table_size (self->entries) >= MAX_ENTRIES && !g_hash_table_contains (self->entries, key)))
    {
      if (destroy != NULL)
        destroy (value);
      return;
    }
  entry = g_new0 (Entry, 1);
  entry->value = value;
  entry->destroy = destroy;
  entry->stored_us = g_get_monotonic_time ();
  g_hash_table_replace (self->entries, g_strdup (key), entry);
}

/* How many values are kept (for the tests). */
guint
sp_catalogue_get_size (SpCatalogue *self)
{
  refresh (self);
  return g_hash_table_size (self->entries);
}
