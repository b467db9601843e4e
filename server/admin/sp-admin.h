#pragma once

/* sportello-admin: the command table, the argument parser and the helpers the commands share. */

#include <glib.h>

#include "sp-db.h"

G_BEGIN_DECLS

/* Usage errors end the program with exit code 2, every other error with 1. */
#define SP_ADMIN_USAGE_ERROR (sp_admin_usage_error_quark ())
GQuark sp_admin_usage_error_quark (void);

typedef struct
{
  SpDb *db;
} SpAdmin;

/**
 * SpAdminArgs:
 *
 * The parsed arguments of one command: positional arguments in order and the
 * options by name (without the leading dashes; flags map to "").
 */
typedef struct
{
  GPtrArray  *positional;
  GHashTable *options;
} SpAdminArgs;

typedef gboolean (*SpAdminCommandFunc) (SpAdmin      *admin,
                                        SpAdminArgs  *args,
                                        GError      **error);

typedef struct
{
  const char *name;        /* without "--" */
  gboolean    has_value;
} SpAdminOption;

typedef struct
{
  const char          *name;
  const char          *synopsis;
  const char          *summary;
  const char          *details;   /* for COMMAND --help; nullable */
  guint                min_args;
  guint                max_args;
  const SpAdminOption *options;   /* terminated by { NULL } */
  SpAdminCommandFunc   func;
} SpAdminCommand;

/* sp-admin-args.c */
SpAdminArgs *sp_admin_args_parse          (const SpAdminCommand *command,
                                           int                   argc,
                                           char                **argv,
                                           GError              **error);
void         sp_admin_args_free           (SpAdminArgs          *args);
const char  *sp_admin_args_get            (SpAdminArgs          *args,
                                           guint                 index);
const char  *sp_admin_args_get_option     (SpAdminArgs          *args,
                                           const char           *name);
gboolean     sp_admin_args_has_option     (SpAdminArgs          *args,
                                           const char           *name);
GStrv        sp_admin_split_list          (const char           *list) G_GNUC_WARN_UNUSED_RESULT;
char        *sp_admin_read_password       (gboolean              from_stdin,
                                           gboolean             *generated,
                                           GError              **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_admin_set_usage_error     (GError              **error,
                                           const char           *format,
                                           ...) G_GNUC_PRINTF (2, 3);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAdminArgs, sp_admin_args_free)

/* The commands, one group per file. */
gboolean sp_admin_cmd_migrate              (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_ente_create          (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_ente_list            (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_servizio_import      (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_servizio_list        (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_account_create       (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_account_list         (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_account_set_servizi  (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_password_reset       (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_account_unlock       (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_partner_create       (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_partner_grant        (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_partner_password     (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_partner_cert_add     (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_partner_cert_revoke  (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_load_demo            (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_generate             (SpAdmin *admin, SpAdminArgs *args, GError **error);
gboolean sp_admin_cmd_verify_versions      (SpAdmin *admin, SpAdminArgs *args, GError **error);

G_END_DECLS
