/* sp-principal.c: who is calling, and what of a pratica they may see */
#define G_LOG_DOMAIN "sp-principal"

#include "config.h"

#include "sp-principal.h"

/* Immutable once built, so worker threads may read it while a request holds it. */
struct _SpPrincipal
{
  SpPrincipalKind  kind;
  gint64           account_id;   /* operators and auditors; 0 otherwise */
  gint64           partner_id;   /* partners; 0 otherwise */
  gint64           ente_id;      /* operators and auditors; 0 otherwise */
  char            *name;         /* username, partner or job name; "-" when anonymous */
  char            *full_name;    /* nullable */
  GArray          *servizi;      /* of gint64: the services whose pratiche it may see */
};

static SpPrincipal *
principal_new (SpPrincipalKind  kind,
               const char      *name,
               const gint64    *servizi,
               gsize            n_servizi)
{
  SpPrincipal *self = g_atomic_rc_box_new0 (SpPrincipal);

  self->kind = kind;
  self->name = g_strdup (name);
  self->servizi = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) n_servizi);
  if (n_servizi > 0)
    g_array_append_vals (self->servizi, servizi, (guint) n_servizi);
  return self;
}

SpPrincipal *
sp_principal_new_anonymous (void)
{
  return principal_new (SP_PRINCIPAL_ANONYMOUS, "-", NULL, 0);
}

/**
 * sp_principal_new_system:
 * @job_name: the job, for the logs and the iter
 *
 * A job of the server itself: it sees every pratica of every ente.
 */
SpPrincipal *
sp_principal_new_system (const char *job_name)
{
  g_return_val_if_fail (job_name != NULL, NULL);
  return principal_new (SP_PRINCIPAL_SYSTEM, job_name, NULL, 0);
}

/**
 * sp_principal_new_account:
 * @kind: %SP_PRINCIPAL_OPERATORE, %SP_PRINCIPAL_ADMIN or %SP_PRINCIPAL_AUDITOR
 * @servizi: (array length=n_servizi): the services of @ente_id whose pratiche
 *   the account may see: those it is enabled for (operators), all of the
 *   ente's (auditors)
 */
SpPrincipal *
sp_principal_new_account (SpPrincipalKind  kind,
                          gint64           account_id,
                          const char      *username,
                          const char      *full_name,
                          gint64           ente_id,
                          const gint64    *servizi,
                          gsize            n_servizi)
{
  SpPrincipal *self;

  g_return_val_if_fail ((kind & SP_PRINCIPAL_ACCOUNT) != 0 && (kind & (kind - 1)) == 0, NULL);
  g_return_val_if_fail (username != NULL, NULL);

  self = principal_new (kind, username, servizi, n_servizi);
  self->account_id = account_id;
  self->full_name = g_strdup (full_name);
  self->ente_id = ente_id;
  return self;
}

/**
 * sp_principal_new_partner:
 * @slug: the partner's slug, its `{partner}` in the API's paths (the name)
 * @name: its display name (the full name), as the iter shows it
 * @servizi: (array length=n_servizi): the services granted to the partner
 */
SpPrincipal *
sp_principal_new_partner (gint64        partner_id,
                          const char   *slug,
                          const char   *name,
                          const gint64 *servizi,
                          gsize         n_servizi)
{
  SpPrincipal *self;

  g_return_val_if_fail (slug != NULL, NULL);

  self = principal_new (SP_PRINCIPAL_PARTNER, slug, servizi, n_servizi);
  self->partner_id = partner_id;
  self->full_name = g_strdup (name);
  return self;
}

SpPrincipal *
sp_principal_ref (SpPrincipal *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

static void
principal_clear (gpointer data)
{
  SpPrincipal *self = data;

  g_free (self->name);
  g_free (self->full_name);
  g_array_unref (self->servizi);
}

void
sp_principal_unref (SpPrincipal *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, principal_clear);
}

SpPrincipalKind
sp_principal_get_kind (const SpPrincipal *self)
{
  return self->kind;
}

gint64
sp_principal_get_account_id (const SpPrincipal *self)
{
  return self->account_id;
}

gint64
sp_principal_get_partner_id (const SpPrincipal *self)
{
  return self->partner_id;
}

gint64
sp_principal_get_ente_id (const SpPrincipal *self)
{
  return self->ente_id;
}

/* Returns: the username, the partner's or the job's name; "-" when anonymous */
const char *
sp_principal_get_name (const SpPrincipal *self)
{
  return self->name;
}

const char *
sp_principal_get_full_name (const SpPrincipal *self)
{
  return self->full_name != NULL ? self->full_name : self->name;
}

/**
 * sp_principal_get_servizi:
 *
 * Returns: (array length=n_servizi): the ids of the services whose pratiche
 *   the principal may see; meaningless when sp_principal_sees_all()
 */
const gint64 *
sp_principal_get_servizi (const SpPrincipal *self,
                          gsize             *n_servizi)
{
  *n_servizi = self->servizi->len;
  return (const gint64 *) (gpointer) self->servizi->data;
}

/* Returns: whether the principal's scope is every pratica (system jobs) */
gboolean
sp_principal_sees_all (const SpPrincipal *self)
{
  return self->kind == SP_PRINCIPAL_SYSTEM;
}

/* Returns: whether the principal is of one of @kinds (an OR of SpPrincipalKind) */
gboolean
sp_principal_is_allowed (const SpPrincipal *self,
                         guint              kinds)
{
  return (self->kind & kinds) != 0;
}

const char *
sp_principal_kind_to_string (SpPrincipalKind kind)
{
  switch (kind)
    {
    case SP_PRINCIPAL_ANONYMOUS:
      return "anonymous";
    case SP_PRINCIPAL_OPERATORE:
      return "operatore";
    case SP_PRINCIPAL_ADMIN:
      return "admin";
    case SP_PRINCIPAL_AUDITOR:
      return "auditor";
    case SP_PRINCIPAL_PARTNER:
      return "partner";
    case SP_PRINCIPAL_SYSTEM:
      return "system";
    default:
      return "unknown";
    }
}

static gboolean
in_scope (const SpPrincipal *self,
          gint64             servizio_id)
{
  if (sp_principal_sees_all (self))
    return TRUE;
  for (guint i = 0; i < self->servizi->len; i++)
    if (g_array_index (self->servizi, gint64, i) == servizio_id)
      return TRUE;
  return FALSE;
}

/**
 * sp_principal_view_pratica:
 * @servizio_id: the pratica's service
 * @assigned_to: the account the pratica is assigned to, 0 when nobody
 *
 * The one rule of what a principal may see of a pratica; the detail page, the
 * modulo PDF and every export ask it. Operators see the values of sensitive
 * fields only of the pratiche assigned to them; auditors see every field
 * (DESIGN.md §1); partners see what they sent; system jobs see everything.
 *
 * Returns: what @self may see of the pratica
 */
SpPraticaView
sp_principal_view_pratica (const SpPrincipal *self,
                           gint64             servizio_id,
                           gint64             assigned_to)
{
  if (self->kind == SP_PRINCIPAL_ANONYMOUS || !in_scope (self, servizio_id))
    return SP_PRATICA_VIEW_NONE;
  if ((self->kind & SP_PRINCIPAL_OPERATOR) != 0)
    return assigned_to != 0 && assigned_to == self->account_id ? SP_PRATICA_VIEW_FULL : SP_PRATICA_VIEW_PUBLIC;
  return SP_PRATICA_VIEW_FULL;
}
