#pragma once

/* Who is calling: built once per request by the authentication layer and
 * handed to every handler and to every database call that needs scope. */

#include <glib.h>

G_BEGIN_DECLS

/**
 * SpPrincipalKind:
 *
 * The kinds of caller, as bits: a route names the kinds it accepts with an
 * OR of them. Operators are split by role, since routes tell them apart.
 */
typedef enum
{
  SP_PRINCIPAL_ANONYMOUS = 1 << 0,   /* no credentials: public routes only */
  SP_PRINCIPAL_OPERATORE = 1 << 1,   /* an operator with role operatore */
  SP_PRINCIPAL_ADMIN     = 1 << 2,   /* an operator with role admin */
  SP_PRINCIPAL_AUDITOR   = 1 << 3,
  SP_PRINCIPAL_PARTNER   = 1 << 4,   /* a partner system (HTTP Basic or client certificate) */
  SP_PRINCIPAL_SYSTEM    = 1 << 5,   /* a background job of the server itself */
} SpPrincipalKind;

#define SP_PRINCIPAL_OPERATOR  (SP_PRINCIPAL_OPERATORE | SP_PRINCIPAL_ADMIN)
#define SP_PRINCIPAL_ACCOUNT   (SP_PRINCIPAL_OPERATOR | SP_PRINCIPAL_AUDITOR)
#define SP_PRINCIPAL_ANYONE    (SP_PRINCIPAL_ANONYMOUS | SP_PRINCIPAL_ACCOUNT | SP_PRINCIPAL_PARTNER)

/**
 * SpPraticaView:
 * @SP_PRATICA_VIEW_NONE: nothing: the pratica is out of the principal's scope
 * @SP_PRATICA_VIEW_PUBLIC: the pratica without the values of sensitive fields
 * @SP_PRATICA_VIEW_FULL: everything, sensitive values included
 *
 * What a principal may see of one pratica (sp_principal_view_pratica()).
 */
typedef enum
{
  SP_PRATICA_VIEW_NONE,
  SP_PRATICA_VIEW_PUBLIC,
  SP_PRATICA_VIEW_FULL,
} SpPraticaView;

typedef struct _SpPrincipal SpPrincipal;

SpPrincipal    *sp_principal_new_anonymous   (void) G_GNUC_WARN_UNUSED_RESULT;
SpPrincipal    *sp_principal_new_system      (const char         *job_name) G_GNUC_WARN_UNUSED_RESULT;
SpPrincipal    *sp_principal_new_account     (SpPrincipalKind     kind,
                                              gint64              account_id,
                                              const char         *username,
                                              const char         *full_name,
                                              gint64              ente_id,
                                              const gint64       *servizi,
                                              gsize               n_servizi) G_GNUC_WARN_UNUSED_RESULT;
SpPrincipal    *sp_principal_new_partner     (gint64              partner_id,
                                              const char         *slug,
                                              const char         *name,
                                              const gint64       *servizi,
                                              gsize               n_servizi) G_GNUC_WARN_UNUSED_RESULT;
SpPrincipal    *sp_principal_ref             (SpPrincipal        *self);
void            sp_principal_unref           (SpPrincipal        *self);

SpPrincipalKind sp_principal_get_kind        (const SpPrincipal  *self);
gint64          sp_principal_get_account_id  (const SpPrincipal  *self);
gint64          sp_principal_get_partner_id  (const SpPrincipal  *self);
gint64          sp_principal_get_ente_id     (const SpPrincipal  *self);
const char     *sp_principal_get_name        (const SpPrincipal  *self);
const char     *sp_principal_get_full_name   (const SpPrincipal  *self);
const gint64   *sp_principal_get_servizi     (const SpPrincipal  *self,
                                              gsize              *n_servizi);
gboolean        sp_principal_sees_all        (const SpPrincipal  *self);
gboolean        sp_principal_is_allowed      (const SpPrincipal  *self,
                                              guint               kinds);
const char     *sp_principal_kind_to_string  (SpPrincipalKind     kind);

SpPraticaView   sp_principal_view_pratica    (const SpPrincipal  *self,
                                              gint64              servizio_id,
                                              gint64              assigned_to);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPrincipal, sp_principal_unref)

G_END_DECLS
