#pragma once

/* The definition of a servizio as servizio-import and load-demo read it from JSON. */

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SpAdminServizioDef:
 *
 * A validated servizio definition. The JSON members are normalised: every
 * field carries `required` and `sensitive`, every step `only_if_approved`,
 * the protocol configuration both lists.
 */
typedef struct
{
  char     *slug;
  char     *name;
  char     *description;
  gboolean  active;
  gboolean  protocol_required;
  char     *protocol_provider;         /* internal | external */
  int       deadline_days;
  gboolean  signed_response_required;
  JsonNode *protocol;                  /* {"arrivo": […], "risposta": […]} */
  JsonNode *fields;                    /* array */
  JsonNode *steps;                     /* array */
  JsonNode *texts;                     /* object */
  JsonNode *scheda_informativa;        /* object {data, metadata} or NULL */
} SpAdminServizioDef;

SpAdminServizioDef *sp_admin_servizio_def_from_json  (JsonNode            *root,
                                                      GError             **error) G_GNUC_WARN_UNUSED_RESULT;
SpAdminServizioDef *sp_admin_servizio_def_from_data  (const char          *data,
                                                      gsize                length,
                                                      const char          *source,
                                                      GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void                sp_admin_servizio_def_free       (SpAdminServizioDef  *def);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAdminServizioDef, sp_admin_servizio_def_free)

G_END_DECLS
