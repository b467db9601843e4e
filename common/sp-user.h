#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  SP_ROLE_INVALID,
  SP_ROLE_OPERATORE,
  SP_ROLE_AUDITOR,
  SP_ROLE_ADMIN,
} SpRole;

/**
 * SpUser:
 *
 * The signed-in account as the API describes it (`GET /auth/me`).
 */
typedef struct
{
  char    *username;
  char    *full_name;
  SpRole   role;
  char    *ente_code;
  char    *ente_name;
  GStrv    servizi;     /* slugs of the enabled services */
} SpUser;

const char  *sp_role_to_string   (SpRole       role);
SpRole       sp_role_from_string (const char  *name);

SpUser      *sp_user_new         (void) G_GNUC_WARN_UNUSED_RESULT;
void         sp_user_free        (SpUser      *user);
SpUser      *sp_user_from_json   (JsonObject  *object,
                                  GError     **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_user_to_json     (const SpUser *user,
                                  JsonBuilder  *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpUser, sp_user_free)

G_END_DECLS
