/* sp-pratica-page-live.c: an open pratica read again now and then, so that what others do to it shows by itself */
#define G_LOG_DOMAIN "sp-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-client-pratica.h"
#include "sp-pratica-page-private.h"

/*
 * A colleague takes the pratica in charge, a partner's system moves it on,
 * the protocol register numbers it: the page shows it within the interval
 * of the `pratica-refresh-seconds` setting, without a spinner and without
 * touching what is shown when nothing changed. It waits while the operator
 * works on the pratica (Elabora, taking charge) or another load runs.
 */

/* What is compared: the numbers of the saved work as stored, so that 19.99
 * saved again as 19.990 is a change. */
static char *
detail_text (SpPraticaDetail *detail)
{
  return sp_pratica_detail_to_text (detail, NULL);
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SpPraticaPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpPraticaDetail) detail = sp_client_get_pratica_finish (SP_CLIENT (object), result, &error);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  SpStatus old_status;
  SpStatus new_status;
  AdwToast *toast;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->live_cancellable);
  /* Errors show when the operator reloads (F5); here, the next check may do. */
  if (detail == NULL)
    {
      g_debug ("Cannot check pratica %s for changes: %s", self->pratica_id, error->message);
      return;
    }
  /* Something else started meanwhile: its answer is the newer one. */
  if (self->detail == NULL || self->cancellable != NULL || self->taking != NULL || self->elabora_page != NULL)
    return;

  before = detail_text (self->detail);
  after = detail_text (detail);
  if (g_str_equal (before, after))
    return;

  old_status = sp_pratica_summary_get_data (self->detail->summary)->status;
  new_status = sp_pratica_summary_get_data (detail->summary)->status;
  if (new_status != old_status)
    {
      g_autofree char *title = g_strdup_printf (_("Updated: the application is now “%s”"),
                                                sp_status_get_label (new_status));

      toast = adw_toast_new (title);
    }
  else
    toast = adw_toast_new (_("This application was updated"));
  sp_pratica_page_show_detail (self, g_steal_pointer (&detail));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
check_cb (gpointer user_data)
{
  SpPraticaPage *self = user_data;

  if (self->detail == NULL || self->cancellable != NULL || self->taking != NULL || self->elabora_page != NULL
      || self->live_cancellable != NULL || self->client == NULL || !sp_client_is_signed_in (self->client))
    return G_SOURCE_CONTINUE;

  self->live_cancellable = g_cancellable_new ();
  sp_client_get_pratica_async (self->client, self->pratica_id, self->live_cancellable, checked_cb,
                               g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
map_cb (GtkWidget     *widget,
        SpPraticaPage *self)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  int seconds = g_settings_get_int (settings, "pratica-refresh-seconds");

  if (self->live_id == 0 && seconds > 0)
    self->live_id = g_timeout_add_seconds (seconds, check_cb, self);
}

/* Stops the checks: the page is hidden or going away. */
void
sp_pratica_page_live_stop (SpPraticaPage *self)
{
  g_clear_handle_id (&self->live_id, g_source_remove);
  g_cancellable_cancel (self->live_cancellable);
  g_clear_object (&self->live_cancellable);
}

static void
unmap_cb (GtkWidget     *widget,
          SpPraticaPage *self)
{
  sp_pratica_page_live_stop (self);
}

/* Checks for changes while the page is shown. */
void
sp_pratica_page_live_init (SpPraticaPage *self)
{
  g_signal_connect (self, "map", G_CALLBACK (map_cb), self);
  g_signal_connect (self, "unmap", G_CALLBACK (unmap_cb), self);
}
