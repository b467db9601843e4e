/* sp-admin-generate.c: the generate command: benchmark-scale data (servizi, operators, citizens, pratiche) */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include <stdio.h>

#include "sp-admin.h"
#include "sp-admin-demo.h"
#include "sp-crypto.h"
#include "sp-db-admin.h"
#include "sp-json.h"

/* The form of every generated servizio; the generated data follows it. */
static const char field_schema[] =
  "[{\"key\":\"richiedente\",\"label\":\"Richiedente\",\"type\":\"group\",\"required\":true,\"sensitive\":false,"
  "  \"fields\":[{\"key\":\"nome\",\"label\":\"Nome\",\"type\":\"text\",\"required\":true,\"sensitive\":false},"
  "            {\"key\":\"cognome\",\"label\":\"Cognome\",\"type\":\"text\",\"required\":true,\"sensitive\":false},"
  "            {\"key\":\"codice_fiscale\",\"label\":\"Codice fiscale\",\"type\":\"text\",\"required\":true,"
  "             \"sensitive\":false}]},"
  " {\"key\":\"oggetto\",\"label\":\"Oggetto della richiesta\",\"type\":\"text\",\"required\":true,\"sensitive\":false},"
  " {\"key\":\"importo\",\"label\":\"Importo (euro)\",\"type\":\"number\",\"required\":false,\"sensitive\":true},"
  " {\"key\":\"data_evento\",\"label\":\"Data dell'evento\",\"type\":\"date\",\"required\":true,\"sensitive\":false},"
  " {\"key\":\"note\",\"label\":\"Note\",\"type\":\"textarea\",\"required\":false,\"sensitive\":false}]";

static const char protocol_config[] =
  "{\"arrivo\":[{\"key\":\"aoo\",\"label\":\"Area organizzativa omogenea (AOO)\",\"value\":\"AOO_BENCH\"},"
  "            {\"key\":\"registro\",\"label\":\"Registro\",\"value\":\"Protocollo generale\"}],"
  " \"risposta\":[{\"key\":\"aoo\",\"label\":\"Area organizzativa omogenea (AOO)\",\"value\":\"AOO_BENCH\"},"
  "             {\"key\":\"registro\",\"label\":\"Registro\",\"value\":\"Protocollo generale\"}]}";

static gboolean
parse_count (const char   *text,
             const char   *what,
             guint64       min,
             guint64       max,
             guint64      *value,
             GError      **error)
{
  if (!g_ascii_string_to_unsigned (text, 10, min, max, value, NULL))
    return sp_admin_set_usage_error (error, "%s must be a whole number between %" G_GUINT64_FORMAT
                                     " and %" G_GUINT64_FORMAT ", not “%s”", what, min, max, text);
  return TRUE;
}

static char *
names_json (const char * const *first,
            const char * const *second)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  g_strv_builder_addv (builder, (const char **) first);
  if (second != NULL)
    g_strv_builder_addv (builder, (const char **) second);
  names = g_strv_builder_end (builder);
  for (guint i = 0; names[i] != NULL; i++)
    json_array_add_string_element (array, names[i]);
  node = json_node_init_array (json_node_alloc (), array);
  return sp_json_to_string (node, NULL);
}

static void
progress_cb (const char *step,
             gint64      rows,
             double      seconds,
             gpointer    user_data)
{
  if (rows >= 0)
    g_print ("  %-34s %10" G_GINT64_FORMAT " rows  %7.1f s\n", step, rows, seconds);
  else
    g_print ("  %-34s %15s  %7.1f s\n", step, "", seconds);
  fflush (stdout);   /* progress, even into a pipe or a file */
}

gboolean
sp_admin_cmd_generate (SpAdmin      *admin,
                       SpAdminArgs  *args,
                       GError      **error)
{
  const char *ente = sp_admin_args_get_option (args, "ente");
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *first_names = NULL;
  g_autofree char *surnames = NULL;
  g_autofree char *prefix = NULL;
  SpAdminGenerateParams params = { 0 };
  SpAdminGenerateStats stats = { 0 };
  guint64 n, n_servizi = 200, n_operators = 500, n_moduli = 2000;
  gboolean generated;
  gint64 start;

  if (ente == NULL)
    ente = "bench";
  if (!g_regex_match_simple ("^[a-z0-9][a-z0-9_]{0,31}$", ente, 0, 0))
    return sp_admin_set_usage_error (error, "--ente: “%s” must be lower-case letters, digits or _ (it prefixes"
                                     " the usernames)", ente);
  if (!parse_count (sp_admin_args_get (args, 0), "N", 1, 50000000, &n, error)
      || (sp_admin_args_has_option (args, "servizi")
          && !parse_count (sp_admin_args_get_option (args, "servizi"), "--servizi", 1, 10000, &n_servizi, error))
      || (sp_admin_args_has_option (args, "operators")
          && !parse_count (sp_admin_args_get_option (args, "operators"), "--operators", 1, 100000, &n_operators,
                           error))
      || (sp_admin_args_has_option (args, "moduli")
          && !parse_count (sp_admin_args_get_option (args, "moduli"), "--moduli", 0, 50000000, &n_moduli, error)))
    return FALSE;

  if (!sp_demo_lists_load (error))
    return FALSE;
  first_names = names_json (sp_demo_list ("male_names"), sp_demo_list ("female_names"));
  surnames = names_json (sp_demo_list ("surnames"), NULL);

  /* One hash for every generated operator: scrypt is slow on purpose. */
  if (!(password = sp_admin_read_password (sp_admin_args_has_option (args, "password-stdin"), &generated, error))
      || !(hash = sp_crypto_hash_password (password, error)))
    return FALSE;

  params.ente_code = ente;
  params.n_pratiche = n;
  params.n_servizi = n_servizi;
  params.n_operators = n_operators;
  params.password_hash = hash;
  params.field_schema = field_schema;
  params.protocol_config = protocol_config;
  params.first_names = first_names;
  params.surnames = surnames;
  params.n_moduli = MIN (n_moduli, n);

  g_print ("Generating %" G_GUINT64_FORMAT " pratiche over %" G_GUINT64_FORMAT " servizi and %" G_GUINT64_FORMAT
           " operators in ente %s; the %" G_GUINT64_FORMAT " most recent get their modulo PDF\n", n, n_servizi,
           n_operators, ente, params.n_moduli);
  fflush (stdout);
  start = g_get_monotonic_time ();
  if (!sp_db_admin_generate (admin->db, &params, &stats, progress_cb, NULL, error))
    return FALSE;

  prefix = g_strdup_printf ("%s.op", ente);
  g_print ("Done in %.1f s (%.0f pratiche/s)\n", (g_get_monotonic_time () - start) / 1e6,
           n / ((g_get_monotonic_time () - start) / 1e6));
  if (stats.n_moduli > 0)
    g_print ("Rendered %" G_GUINT64_FORMAT " moduli (%.1f MB, %.0f KB each) on %u threads: %.1f s of CPU,"
             " %.1f ms a modulo\n", stats.n_moduli, stats.moduli_bytes / 1e6,
             stats.moduli_bytes / 1e3 / stats.n_moduli, stats.n_threads, stats.render_seconds,
             stats.render_seconds * 1e3 / stats.n_moduli);
  g_print ("Operators %s0001 … %s%04" G_GUINT64_FORMAT " (%s0001 is enabled for every servizio), auditor %s.auditor\n",
           prefix, prefix, n_operators, prefix, ente);
  if (generated)
    g_print ("Password for the generated accounts: %s\n", password);
  return TRUE;
}
