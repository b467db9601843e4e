/* sp-admin-main.c: sportello-admin, the ente administrator's command line: global options and the command table */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "sp-admin.h"
#include "sp-config.h"
#include "sp-error.h"

#define DEFAULT_CONFIG "/etc/sportello/server.conf"

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2 };

static const SpAdminOption no_options[] = { { NULL } };

static const SpAdminOption ente_create_options[] = {
  { "place", TRUE }, { "locale", TRUE }, { NULL } };

static const SpAdminOption ente_filter_options[] = {
  { "ente", TRUE }, { NULL } };

static const SpAdminOption account_create_options[] = {
  { "ente", TRUE }, { "role", TRUE }, { "name", TRUE }, { "email", TRUE },
  { "servizi", TRUE }, { "password-stdin", FALSE }, { NULL } };

static const SpAdminOption password_options[] = {
  { "password-stdin", FALSE }, { NULL } };

static const SpAdminOption partner_create_options[] = {
  { "name", TRUE }, { "password-stdin", FALSE }, { "generate-password", FALSE },
  { "cert-fingerprint", TRUE }, { "cert", TRUE }, { "servizi", TRUE }, { "create", TRUE }, { NULL } };

static const SpAdminOption partner_grant_options[] = {
  { "servizi", TRUE }, { "create", TRUE }, { NULL } };

static const SpAdminOption partner_password_options[] = {
  { "password-stdin", FALSE }, { "generate-password", FALSE }, { NULL } };

static const SpAdminOption partner_cert_options[] = {
  { "cert-fingerprint", TRUE }, { "cert", TRUE }, { NULL } };

static const SpAdminOption generate_options[] = {
  { "servizi", TRUE }, { "operators", TRUE }, { "ente", TRUE }, { "moduli", TRUE }, { "password-stdin", FALSE },
  { NULL } };

static const SpAdminOption load_demo_options[] = {
  { "signing-ca", TRUE }, { "signing-key", TRUE }, { NULL } };

static const SpAdminOption verify_versions_options[] = {
  { "pratica", TRUE }, { NULL } };

static const SpAdminCommand commands[] = {
  { "migrate", "", "Apply the database migrations",
    NULL,
    0, 0, no_options, sp_admin_cmd_migrate },
  { "ente-create", "CODE NAME [--place PLACE] [--locale it_IT]", "Create an ente",
    "CODE is the IPA code (letters, digits, _; e.g. c_h501). --place is the place name\n"
    "documents are signed with (default: NAME without \"Comune di \"); --locale defaults to it_IT.",
    2, 2, ente_create_options, sp_admin_cmd_ente_create },
  { "ente-list", "", "List the enti",
    NULL,
    0, 0, no_options, sp_admin_cmd_ente_list },
  { "servizio-import", "ENTE_CODE FILE.json", "Create or update (by slug) a servizio from JSON",
    "FILE.json: {slug, name, description, active, protocol_required, protocol_provider\n"
    "(internal|external), protocol: {arrivo, risposta: [{key, label, value}]}, deadline_days,\n"
    "signed_response_required, fields: [{key, label, type, required, sensitive, options, fields, help}],\n"
    "steps: [{key, title, only_if_approved, fields}], texts: {step: text}, scheda_informativa: {data, metadata}}.\n"
    "Types: text, textarea, date, number, email, checkbox, select (with options), group (with fields);\n"
    "a step's fields: text, number, date (YYYY-MM-DD), choice (with options, strings) or checkbox.\n"
    "The same slug in the ente updates the servizio: texts are merged, the scheda informativa is kept\n"
    "when the file has none. An invalid file changes nothing. Examples: data/demo/servizi/.",
    2, 2, no_options, sp_admin_cmd_servizio_import },
  { "servizio-list", "[ENTE_CODE]", "List the servizi",
    NULL,
    0, 1, no_options, sp_admin_cmd_servizio_list },
  { "account-create",
    "USERNAME --ente CODE --role operatore|auditor|admin --name \"FULL NAME\" [--email E]"
    " [--servizi slug1,slug2] [--password-stdin]",
    "Create an operator, auditor or admin account",
    "Without --password-stdin a password is generated and printed once (\"Password for USERNAME: …\");\n"
    "with it, one line is read from standard input (at least 10 characters).\n"
    "--servizi: slugs of the servizi of the ente the account is enabled for.",
    1, 1, account_create_options, sp_admin_cmd_account_create },
  { "account-list", "[--ente CODE]", "List the accounts",
    NULL,
    0, 0, ente_filter_options, sp_admin_cmd_account_list },
  { "account-set-servizi", "USERNAME slug1,slug2", "Set the servizi an account is enabled for",
    "Replaces the list; an empty list (\"\") disables every servizio.",
    2, 2, no_options, sp_admin_cmd_account_set_servizi },
  { "password-reset", "USERNAME [--password-stdin]",
    "Set a new password, revoke the sessions and unlock the account",
    "Without --password-stdin a password is generated and printed once. The account's sessions\n"
    "are revoked and its lock cleared.",
    1, 1, password_options, sp_admin_cmd_password_reset },
  { "account-unlock", "USERNAME", "Clear the failed logins and the lock of an account",
    NULL,
    1, 1, no_options, sp_admin_cmd_account_unlock },
  { "partner-create",
    "SLUG --name NAME [--password-stdin | --generate-password]"
    " [--cert-fingerprint HEX64 | --cert FILE.pem] [--servizi ENTE:slug,...] [--create ENTE:slug,...]",
    "Create a partner with HTTP Basic and/or client-certificate credentials",
    "At least one credential: a Basic password (from standard input, or generated and printed\n"
    "once) and/or a client certificate, by the SHA-256 of its DER encoding or read from a PEM file.\n"
    "--servizi: the servizi the partner sees; --create: those it may create pratiche of\n"
    "(POST …/pratica/offline/create); both as ENTE:slug lists.",
    1, 1, partner_create_options, sp_admin_cmd_partner_create },
  { "partner-grant", "SLUG [--servizi ENTE:slug,...] [--create ENTE:slug,...]",
    "Set the servizi a partner sees and those it may create pratiche of",
    "Replaces the grants (no option: none). The partner reaches its new grants at its next request.",
    1, 1, partner_grant_options, sp_admin_cmd_partner_grant },
  { "partner-password", "SLUG [--password-stdin | --generate-password]",
    "Set or rotate a partner's HTTP Basic password, and clear its lock",
    "Without --password-stdin a password is generated and printed once. The old password stops\n"
    "working at once (the server's cache is keyed by the stored hash).",
    1, 1, partner_password_options, sp_admin_cmd_partner_password },
  { "partner-cert-add", "SLUG --cert FILE.pem | --cert-fingerprint HEX64",
    "Register a client certificate for a partner",
    "By the SHA-256 of its DER encoding, or read from a PEM file. A partner may hold several at once\n"
    "(to rotate them); the certificate must also chain to the server's [server] partner-ca.",
    1, 1, partner_cert_options, sp_admin_cmd_partner_cert_add },
  { "partner-cert-revoke", "SLUG --cert FILE.pem | --cert-fingerprint HEX64",
    "Revoke a partner's client certificate",
    "It opens nothing from the next request on; the record stays.",
    1, 1, partner_cert_options, sp_admin_cmd_partner_cert_revoke },
  { "load-demo", "[--signing-ca CA.pem --signing-key CA.key]",
    "Load the demo data set (enti, servizi, accounts, partner, pratiche)",
    "Loads data/demo (compiled in): enti c_l999 (Roccaverde) and c_m998 (Valfiorita), their servizi,\n"
    "the accounts mario.rossi, giulia.bianchi, anna.verdi, luca.neri and the partner edilconnect\n"
    "(passwords in data/demo/README.md), and 300 pratiche with iter, versions, protocol numbers and\n"
    "their modulo PDF (rendered at submission, listed by every version), in one transaction. Does\n"
    "nothing when the demo is already loaded. Concluded pratiche have the operator's response file\n"
    "(a decision PDF; for servizi with signed_response_required a .p7m signed with OpenSSL CMS as\n"
    "the operator) and the response PDF, drawn as Concludi draws it. The signers' certificates are\n"
    "issued by the CA of --signing-ca/--signing-key (give the server the same CA as [documents]\n"
    "signers-ca-file, as build-aux/demo does), else by a throw-away CA. The texts are translated\n"
    "from $SPORTELLO_LOCALEDIR when set (e.g. <build>/po), else from the installed catalog.",
    0, 0, load_demo_options, sp_admin_cmd_load_demo },
  { "generate", "N [--servizi 200] [--operators 500] [--ente CODE] [--moduli 2000] [--password-stdin]",
    "Generate N pratiche of benchmark data",
    "Creates or reuses ente CODE (default bench) with servizi bench-0001…, operators CODE.op0001…\n"
    "(op0001 handles every servizio, the others a 25th of them) and CODE.auditor, all with one password\n"
    "(printed, or --password-stdin); about N/4 citizens; N pratiche of the last year in every status,\n"
    "with iter, versions (submission and current state, hash-chained) and internal protocol numbers.\n"
    "--moduli: how many of the most recently submitted pratiche get their modulo PDF, rendered on one\n"
    "thread per processor and listed in their versions (0: none; a few ms of CPU and ~25 KB each).\n"
    "One transaction; for N >= 100000 the secondary indexes and foreign keys of the bulk tables are\n"
    "dropped and rebuilt inside it, which locks the pratiche: run it while the servers are idle.",
    1, 1, generate_options, sp_admin_cmd_generate },
  { "verify-versions", "[--pratica ID]", "Check the hash chain of every pratica's versions",
    "Walks the versions of every pratica (or of the pratica with id ID) in order and recomputes\n"
    "each link as the database writes it (server/sql/0005_version_chain.sql): numbers without\n"
    "gaps, each previous hash that of the version before, each hash SHA-256 of the previous hash\n"
    "and the canonical snapshot. Prints how many pratiche and versions it checked; at the first\n"
    "broken link it prints the pratica, the version and the stored and expected hash, and exits 1.\n"
    "Reads in batches, in one consistent snapshot, while the servers keep working.",
    0, 0, verify_versions_options, sp_admin_cmd_verify_versions },
};

static gboolean verbose;
static gboolean show_help;
static gboolean show_version;
static char *last_warning;

static void
print_raw_cb (const char *string)
{
  fputs (string, stdout);
}

static void
print_raw_err_cb (const char *string)
{
  fputs (string, stderr);
}

/* Quiet by default: library chatter stays out of a command's output, but the
 * last warning is kept to explain a failure (e.g. why the database is unreachable). */
static GLogWriterOutput
log_writer_cb (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;

  if (level & G_LOG_LEVEL_WARNING)
    {
      g_free (last_warning);
      last_warning = g_strdup (message);
    }
  if (verbose || (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)))
    fprintf (stderr, "sportello-admin: %s\n", message != NULL ? message : "");
  return G_LOG_WRITER_HANDLED;
}

static void
print_help (void)
{
  g_print ("Usage: sportello-admin [--config FILE | --database CONNINFO] COMMAND [ARGS]\n\n"
           "Administers a Sportello installation: enti, servizi, accounts, partners, demo data.\n\n"
           "Global options:\n"
           "  --config FILE        server configuration to read [database] conninfo from\n"
           "                       (default " DEFAULT_CONFIG ")\n"
           "  --database CONNINFO  libpq connection string; overrides the configuration\n"
           "  --verbose            show the log messages\n"
           "  --help, --version\n\n"
           "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-20s %s\n", commands[i].name, commands[i].summary);
  g_print ("\n'sportello-admin COMMAND --help' shows the arguments of a command.\n"
           "Exit status: 0 success, 1 error, 2 usage error.\n");
}

static const SpAdminCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

static gboolean
wants_help (int    argc,
            char **argv)
{
  for (int i = 0; i < argc && !g_str_equal (argv[i], "--"); i++)
    if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
      return TRUE;
  return FALSE;
}

/* Global options come before the command; returns the index of the command. */
static int
parse_global (int     argc,
              char  **argv,
              char  **config,
              char  **database,
              GError **error)
{
  int i;

  for (i = 1; i < argc && g_str_has_prefix (argv[i], "-"); i++)
    {
      const char *arg = argv[i];
      char **target = NULL;
      const char *name = NULL;

      if (g_str_equal (arg, "--verbose") || g_str_equal (arg, "-v"))
        {
          verbose = TRUE;
          continue;
        }
      if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          show_help = TRUE;
          continue;
        }
      if (g_str_equal (arg, "--version"))
        {
          show_version = TRUE;
          continue;
        }
      if (g_str_has_prefix (arg, "--config"))
        target = config, name = "--config";
      else if (g_str_has_prefix (arg, "--database"))
        target = database, name = "--database";

      if (target == NULL || (arg[strlen (name)] != '\0' && arg[strlen (name)] != '='))
        {
          sp_admin_set_usage_error (error, "unknown option %s (see --help)", arg);
          return -1;
        }
      g_free (*target);
      if (arg[strlen (name)] == '=')
        *target = g_strdup (arg + strlen (name) + 1);
      else if (i + 1 < argc)
        *target = g_strdup (argv[++i]);
      else
        {
          *target = NULL;
          sp_admin_set_usage_error (error, "%s needs a value", name);
          return -1;
        }
    }
  if (*config != NULL && *database != NULL)
    {
      sp_admin_set_usage_error (error, "give either --config or --database, not both");
      return -1;
    }
  return i;
}

static char *
resolve_conninfo (const char  *config_path,
                  const char  *database,
                  GError     **error)
{
  g_autoptr(SpConfig) config = NULL;

  if (database != NULL)
    return g_strdup (database);
  if (config_path == NULL)
    config_path = DEFAULT_CONFIG;
  if (!(config = sp_config_load (config_path, error)))
    {
      g_prefix_error (error, "Cannot read %s (give --config FILE or --database CONNINFO): ", config_path);
      return NULL;
    }
  return g_strdup (config->database);
}

/* One line on stderr: libpq's multi-line messages are folded. */
static int
report (GError *error)
{
  const char *text = error->message;
  g_autoptr(GRegex) breaks = g_regex_new ("\\s*\\n\\s*", 0, 0, NULL);
  g_autofree char *line = NULL;

  if (g_error_matches (error, SP_ERROR, SP_ERROR_UNAVAILABLE) && last_warning != NULL)
    text = last_warning;
  line = g_regex_replace_literal (breaks, text, -1, 0, " ", 0, NULL);
  fprintf (stderr, "sportello-admin: %s\n", g_strchomp (line));
  return error->domain == SP_ADMIN_USAGE_ERROR ? EXIT_USAGE : EXIT_ERROR;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *database = NULL;
  g_autofree char *conninfo = NULL;
  g_autoptr(SpAdminArgs) args = NULL;
  g_autoptr(SpDb) db = NULL;
  const SpAdminCommand *command;
  SpAdmin admin = { NULL };
  int first;

  setlocale (LC_ALL, "");
  /* The moduli of load-demo and generate are drawn in each ente's language (sp-locale.c). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SPORTELLO_LOCALEDIR") != NULL ? g_getenv ("SPORTELLO_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_set_print_handler (print_raw_cb);
  g_set_printerr_handler (print_raw_err_cb);
  g_log_set_writer_func (log_writer_cb, NULL, NULL);

  if ((first = parse_global (argc, argv, &config, &database, &error)) < 0)
    return report (error);
  if (show_version)
    {
      g_print ("sportello-admin %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }
  if (show_help || (first < argc && g_str_equal (argv[first], "help")))
    {
      print_help ();
      return EXIT_OK;
    }
  if (first >= argc)
    {
      fprintf (stderr, "sportello-admin: no command given (see --help)\n");
      return EXIT_USAGE;
    }
  if (!(command = find_command (argv[first])))
    {
      fprintf (stderr, "sportello-admin: unknown command “%s” (see --help)\n", argv[first]);
      return EXIT_USAGE;
    }
  if (wants_help (argc - first - 1, argv + first + 1))
    {
      g_print ("Usage: sportello-admin %s %s\n\n%s.\n", command->name, command->synopsis, command->summary);
      if (command->details != NULL)
        g_print ("\n%s\n", command->details);
      return EXIT_OK;
    }

  if (!(args = sp_admin_args_parse (command, argc - first - 1, argv + first + 1, &error))
      || !(conninfo = resolve_conninfo (config, database, &error)))
    return report (error);

  /* Server NOTICEs (e.g. "relation already exists, skipping") are not for the administrator. */
  if (!verbose)
    g_setenv ("PGOPTIONS", "-c client_min_messages=warning", FALSE);
  db = sp_db_new (conninfo, 1, NULL);
  admin.db = db;
  if (!command->func (&admin, args, &error))
    return report (error);
  g_clear_pointer (&last_warning, g_free);
  return EXIT_OK;
}
