/* sp-admin-versions.c: the verify-versions command: checks every link of the versions' hash chains */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-admin.h"
#include "sp-db-admin.h"
#include "sp-error.h"

gboolean
sp_admin_cmd_verify_versions (SpAdmin      *admin,
                              SpAdminArgs  *args,
                              GError      **error)
{
  const char *pratica_id = sp_admin_args_get_option (args, "pratica");
  g_auto(SpChainReport) report = { 0 };
  gint64 start = g_get_monotonic_time ();
  double seconds;

  if (pratica_id != NULL && !g_uuid_string_is_valid (pratica_id))
    return sp_admin_set_usage_error (error, "--pratica needs a pratica id (a UUID), not “%s”", pratica_id);
  if (!sp_db_admin_verify_versions (admin->db, pratica_id, &report, error))
    return FALSE;
  seconds = (g_get_monotonic_time () - start) / 1e6;

  if (pratica_id != NULL && report.n_versions == 0)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_NOT_FOUND, "Pratica %s has no versions", pratica_id);
      return FALSE;
    }
  if (report.pratica_id != NULL)
    {
      g_print ("Checked %" G_GUINT64_FORMAT " pratiche and %" G_GUINT64_FORMAT " versions in %.1f s,"
               " up to the first broken link:\n"
               "  pratica  %s (%s)\n"
               "  version  %d: %s\n"
               "  stored   %s\n"
               "  expected %s\n",
               report.n_pratiche, report.n_versions, seconds, report.pratica_id,
               report.numero != NULL ? report.numero : "no longer in the pratiche", report.number, report.problem,
               report.stored_hash, report.expected_hash);
      g_set_error (error, SP_ERROR, SP_ERROR_CONFLICT, "The hash chain of pratica %s is broken at version %d",
                   report.pratica_id, report.number);
      return FALSE;
    }
  g_print ("Checked %" G_GUINT64_FORMAT " pratiche and %" G_GUINT64_FORMAT " versions in %.1f s:"
           " every link holds\n", report.n_pratiche, report.n_versions, seconds);
  return TRUE;
}
