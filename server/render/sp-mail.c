/* sp-mail.c: the e-mails to citizens, one per relevant status, translated into the ente's language */
#define G_LOG_DOMAIN "sp-mail"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sp-locale.h"
#include "sp-mail.h"

static char *
status_paragraph (SpStatus             status,
                  const SpMailContext *context)
{
  switch (status)
    {
    case SP_STATUS_SUBMITTED:
      return g_strdup_printf (_("we have received your application no. %s for “%s”. The completed form is attached.\n\n"
                                "This message only confirms receipt: it is not the outcome of your application."),
                              context->numero, context->servizio_name);
    case SP_STATUS_REGISTERED:
      return g_strdup_printf (_("your application no. %s for “%s” has been registered with protocol number %s."),
                              context->numero, context->servizio_name,
                              context->protocol_number != NULL ? context->protocol_number : "—");
    case SP_STATUS_PENDING:
      return g_strdup_printf (_("your application no. %s for “%s” has been taken in charge by our offices."),
                              context->numero, context->servizio_name);
    case SP_STATUS_PENDING_AFTER_INTEGRATION:
      return g_strdup_printf (_("the documents you added to application no. %s for “%s” have been received and "
                                "the application has been taken in charge again."),
                              context->numero, context->servizio_name);
    case SP_STATUS_REQUEST_INTEGRATION:
      return g_strdup_printf (_("to go on with your application no. %s for “%s” we need more information:\n\n%s"),
                              context->numero, context->servizio_name,
                              context->text != NULL ? context->text : "");
    case SP_STATUS_COMPLETE:
    case SP_STATUS_CANCELLED:
      return g_strdup_printf (_("the outcome of your application no. %s for “%s” is ready. "
                                "You find the response attached."),
                              context->numero, context->servizio_name);
    case SP_STATUS_WITHDRAWN:
      return g_strdup_printf (_("your application no. %s for “%s” has been withdrawn."),
                              context->numero, context->servizio_name);
    case SP_STATUS_INVALID:
    case SP_STATUS_PROCESSING:
    case SP_STATUS_COMPLETE_WAITING:
    case SP_STATUS_CANCELLED_WAITING:
    default:
      return NULL;
    }
}

void
sp_mail_message_free (SpMailMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->subject);
  g_free (message->text);
  g_free (message->html);
  g_free (message);
}

/* The documents each e-mail attaches (DESIGN.md §6). */
static const char * const modulo_kinds[] = { "modulo", NULL };
static const char * const outcome_kinds[] = { "risposta", "allegato", NULL };
static const char * const no_kinds[] = { NULL };

/**
 * sp_mail_attachment_kinds:
 *
 * Returns: (transfer none): the kinds of the pratica's documents that the
 *   e-mail of @status attaches: the modulo at 2000, the response and the
 *   operator's file at 7000 and 9000, none otherwise
 */
const char * const *
sp_mail_attachment_kinds (SpStatus status)
{
  switch (status)
    {
    case SP_STATUS_SUBMITTED:
      return modulo_kinds;
    case SP_STATUS_COMPLETE:
    case SP_STATUS_CANCELLED:
      return outcome_kinds;
    case SP_STATUS_INVALID:
    case SP_STATUS_REGISTERED:
    case SP_STATUS_PENDING:
    case SP_STATUS_REQUEST_INTEGRATION:
    case SP_STATUS_PENDING_AFTER_INTEGRATION:
    case SP_STATUS_PROCESSING:
    case SP_STATUS_COMPLETE_WAITING:
    case SP_STATUS_CANCELLED_WAITING:
    case SP_STATUS_WITHDRAWN:
    default:
      return no_kinds;
    }
}

/* Paragraphs (split at blank lines) as HTML, lines kept. */
static void
append_html_paragraphs (GString    *html,
                        const char *text)
{
  g_auto(GStrv) paragraphs = g_strsplit (text, "\n\n", -1);

  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (paragraphs[i], -1);
      g_auto(GStrv) lines = g_strsplit (escaped, "\n", -1);
      g_autofree char *joined = g_strjoinv ("<br>\n", lines);

      if (*paragraphs[i] != '\0')
        g_string_append_printf (html, "<p>%s</p>\n", joined);
    }
}

/**
 * sp_mail_render:
 * @links: (array length=n_links) (nullable): download links of the documents
 * @links_expire: (nullable): until when the links work
 *
 * Renders the e-mail of @status in the ente's language, as plain text and
 * HTML saying the same.
 *
 * Returns: (transfer full) (nullable): the e-mail, or %NULL when @status
 *   sends none (5000, 6000, 8000)
 */
SpMailMessage *
sp_mail_render (SpStatus             status,
                const SpMailContext *context,
                const SpMailLink    *links,
                guint                n_links,
                GDateTime           *links_expire)
{
  SpLocaleScope scope;
  g_autofree char *paragraph = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *links_intro = NULL;
  g_autofree char *subject_html = NULL;
  g_autofree char *ente_html = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GString) html = NULL;
  SpMailMessage *message;

  sp_locale_push (&scope, context->locale != NULL ? context->locale : "it_IT");
  paragraph = status_paragraph (status, context);
  if (paragraph == NULL)
    {
      sp_locale_pop (&scope);
      return NULL;
    }

  message = g_new0 (SpMailMessage, 1);
  message->subject = g_strdup_printf (_("%s — application no. %s: %s"), context->ente_name, context->numero,
                                      sp_status_get_label (status));
  greeting = g_strdup_printf (_("Dear %s,"), context->applicant_name);
  if (n_links > 0 && links_expire != NULL)
    {
      g_autofree char *date = g_date_time_format (links_expire, "%d/%m/%Y");

      links_intro = g_strdup_printf (_("You can also download the documents from these links until %s:"), date);
    }

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s\n\n%s\n\n", greeting, paragraph);
  if (links_intro != NULL)
    {
      g_string_append_printf (text, "%s\n", links_intro);
      for (guint i = 0; i < n_links; i++)
        g_string_append_printf (text, "- %s: %s\n", links[i].label, links[i].url);
      g_string_append_c (text, '\n');
    }
  g_string_append_printf (text, "%s\n%s\n\n%s", _("Kind regards,"), context->ente_name,
                          _("This is an automatic message: please do not reply."));

  subject_html = g_markup_escape_text (message->subject, -1);
  ente_html = g_markup_escape_text (context->ente_name, -1);
  html = g_string_new (NULL);
  g_string_append_printf (html,
                          "<!DOCTYPE html>\n<html lang=\"%.2s\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<title>%s</title>\n</head>\n"
                          "<body style=\"font-family: sans-serif; line-height: 1.4; color: #222; max-width: 40em\">\n",
                          context->locale != NULL ? context->locale : "it", subject_html);
  append_html_paragraphs (html, greeting);
  append_html_paragraphs (html, paragraph);
  if (links_intro != NULL)
    {
      append_html_paragraphs (html, links_intro);
      g_string_append (html, "<ul>\n");
      for (guint i = 0; i < n_links; i++)
        {
          g_autofree char *label = g_markup_escape_text (links[i].label, -1);
          g_autofree char *url = g_markup_escape_text (links[i].url, -1);

          g_string_append_printf (html, "<li><a href=\"%s\">%s</a></li>\n", url, label);
        }
      g_string_append (html, "</ul>\n");
    }
  g_string_append_printf (html, "<p>%s<br>\n%s</p>\n", _("Kind regards,"), ente_html);
  g_string_append_printf (html, "<p style=\"color: #666; font-size: small\">%s</p>\n</body>\n</html>\n",
                          _("This is an automatic message: please do not reply."));

  sp_locale_pop (&scope);
  message->text = g_string_free (g_steal_pointer (&text), FALSE);
  message->html = g_string_free (g_steal_pointer (&html), FALSE);
  return message;
}

/* The members of the context, in the outbox row's `context`. */
#define CONTEXT_MEMBERS(X) \
  X (locale) X (ente_name) X (servizio_name) X (numero) X (applicant_name) X (protocol_number) X (text)

/**
 * sp_mail_context_to_json:
 *
 * Returns: the context as a JSON object's text, kept with the queued e-mail
 *   so that it is rendered at sending as it was when the change was recorded
 */
char *
sp_mail_context_to_json (const SpMailContext *context)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
#define ADD(member) \
  if (context->member != NULL) \
    { \
      json_builder_set_member_name (builder, #member); \
      json_builder_add_string_value (builder, context->member); \
    }
  CONTEXT_MEMBERS (ADD)
#undef ADD
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * sp_mail_context_from_json:
 * @context: (out): its strings belong to @object
 *
 * Returns: %FALSE if a member the e-mails need is missing
 */
gboolean
sp_mail_context_from_json (JsonObject    *object,
                           SpMailContext *context)
{
  memset (context, 0, sizeof *context);
#define GET(member) \
  context->member = json_object_get_string_member_with_default (object, #member, NULL);
  CONTEXT_MEMBERS (GET)
#undef GET
  return context->ente_name != NULL && context->servizio_name != NULL && context->numero != NULL
         && context->applicant_name != NULL;
}
