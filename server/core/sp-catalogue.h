#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SpCatalogue:
 *
 * What a server process keeps between requests of what rarely changes (a
 * partner's account, the services a partner sees), and drops whenever the
 * database announces a change of it (LISTEN, 0012_catalogue_notify.sql).
 * Nothing is kept while that announcement cannot be heard.
 *
 * Lookups and stores happen on the main thread; sp_catalogue_changed() and
 * sp_catalogue_set_live() may come from any thread.
 */
typedef struct _SpCatalogue SpCatalogue;

/* What to hand back to sp_catalogue_store(): the catalogue as it was when
 * the value started to be read. */
typedef guint64 SpCatalogueToken;

SpCatalogue      *sp_catalogue_new        (int                max_age_seconds);
void              sp_catalogue_free       (SpCatalogue       *self);
void              sp_catalogue_set_live   (SpCatalogue       *self,
                                           gboolean           live);
void              sp_catalogue_changed    (SpCatalogue       *self);
SpCatalogueToken  sp_catalogue_begin      (SpCatalogue       *self);
gconstpointer     sp_catalogue_lookup     (SpCatalogue       *self,
                                           const char        *key);
void              sp_catalogue_store      (SpCatalogue       *self,
                                           SpCatalogueToken   token,
                                           const char        *key,
                                           gpointer           value,
                                           GDestroyNotify     destroy);
guint             sp_catalogue_get_size   (SpCatalogue       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCatalogue, sp_catalogue_free)

G_END_DECLS
