/* test-mail-render.c: the citizens' e-mails in Italian, as plain text and HTML, with links and no operator */
#define G_LOG_DOMAIN "test-mail-render"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "sp-mail.h"

static const SpMailContext context = {
  .locale = "it_IT",
  .ente_name = "Comune di <Prova> & Co",
  .servizio_name = "Certificato di residenza",
  .numero = "2026-000123",
  .applicant_name = "Mario Rossi",
  .protocol_number = "2026/0000042",
  .text = "Allegare la planimetria.",
};

/* Every status that sends an e-mail, and its subject's label in Italian. */
static void
test_statuses (void)
{
  static const struct { SpStatus status; const char *label; const char *says; } cases[] = {
    { SP_STATUS_SUBMITTED, "Acquisita", "non è l'esito" },
    { SP_STATUS_REGISTERED, "Protocollata", "2026/0000042" },
    { SP_STATUS_PENDING, "In carico", "presa in carico" },
    { SP_STATUS_REQUEST_INTEGRATION, "Richiesta integrazioni", "Allegare la planimetria." },
    { SP_STATUS_PENDING_AFTER_INTEGRATION, "Presa in carico dopo integrazioni", "nuovamente presa in carico" },
    { SP_STATUS_COMPLETE, "Accettata", "esito" },
    { SP_STATUS_CANCELLED, "Rifiutata", "esito" },
    { SP_STATUS_WITHDRAWN, "Ritirata", "ritirata" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpMailMessage) message = sp_mail_render (cases[i].status, &context, NULL, 0, NULL);

      g_assert_nonnull (message);
      g_assert_nonnull (strstr (message->subject, cases[i].label));
      g_assert_nonnull (strstr (message->subject, "2026-000123"));
      g_assert_true (g_str_has_prefix (message->text, "Gentile Mario Rossi,\n\n"));
      g_assert_nonnull (strstr (message->text, cases[i].says));
      g_assert_nonnull (strstr (message->text, "Cordiali saluti,\nComune di <Prova> & Co"));
      g_assert_nonnull (strstr (message->text, "messaggio automatico"));
      /* The HTML says the same, escaped. */
      g_assert_true (g_str_has_prefix (message->html, "<!DOCTYPE html>\n<html lang=\"it\">"));
      g_assert_nonnull (strstr (message->html, "Comune di &lt;Prova&gt; &amp; Co"));
      g_assert_null (strstr (message->html, "<Prova>"));
      g_assert_null (strstr (message->text, "scaricare"));
    }
  g_assert_null (sp_mail_render (SP_STATUS_PROCESSING, &context, NULL, 0, NULL));
  g_assert_null (sp_mail_render (SP_STATUS_COMPLETE_WAITING, &context, NULL, 0, NULL));
  g_assert_null (sp_mail_render (SP_STATUS_CANCELLED_WAITING, &context, NULL, 0, NULL));
}

static void
test_links (void)
{
  const SpMailLink links[] = {
    { "risposta.pdf", "https://sportello.example.it/d/AAA" },
    { "relazione \"tecnica\".pdf", "https://sportello.example.it/d/B&B" },
  };
  g_autoptr(GDateTime) expire = g_date_time_new_utc (2026, 2, 28, 12, 0, 0);
  g_autoptr(SpMailMessage) message = sp_mail_render (SP_STATUS_COMPLETE, &context, links, 2, expire);

  g_assert_nonnull (strstr (message->text, "validi fino al 28/02/2026:\n"
                                           "- risposta.pdf: https://sportello.example.it/d/AAA\n"
                                           "- relazione \"tecnica\".pdf: https://sportello.example.it/d/B&B\n"));
  g_assert_nonnull (strstr (message->html, "<li><a href=\"https://sportello.example.it/d/AAA\">risposta.pdf</a></li>"));
  g_assert_nonnull (strstr (message->html, "<a href=\"https://sportello.example.it/d/B&amp;B\">"
                                           "relazione &quot;tecnica&quot;.pdf</a>"));
}

static void
test_attachments_and_context (void)
{
  g_autofree char *json = sp_mail_context_to_json (&context);
  g_autoptr(JsonParser) parser = json_parser_new ();
  SpMailContext back;

  g_assert_cmpstrv ((char **) sp_mail_attachment_kinds (SP_STATUS_SUBMITTED), ((const char *[]) { "modulo", NULL }));
  g_assert_cmpstrv ((char **) sp_mail_attachment_kinds (SP_STATUS_COMPLETE),
                    ((const char *[]) { "risposta", "allegato", NULL }));
  g_assert_cmpstrv ((char **) sp_mail_attachment_kinds (SP_STATUS_CANCELLED),
                    ((const char *[]) { "risposta", "allegato", NULL }));
  g_assert_cmpstrv ((char **) sp_mail_attachment_kinds (SP_STATUS_REGISTERED), ((const char *[]) { NULL }));

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  g_assert_true (sp_mail_context_from_json (json_node_get_object (json_parser_get_root (parser)), &back));
  g_assert_cmpstr (back.ente_name, ==, context.ente_name);
  g_assert_cmpstr (back.protocol_number, ==, context.protocol_number);
  g_assert_cmpstr (back.text, ==, context.text);
  g_assert_cmpstr (back.locale, ==, "it_IT");
  /* No operator in the context, by construction. */
  g_assert_null (strstr (json, "operator"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SPORTELLO_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sportello/mail-render/statuses", test_statuses);
  g_test_add_func ("/sportello/mail-render/links", test_links);
  g_test_add_func ("/sportello/mail-render/attachments-and-context", test_attachments_and_context);
  return g_test_run ();
}
