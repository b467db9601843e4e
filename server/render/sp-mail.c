/* sp-mail.c: the e-mails to citizens, one per relevant status, translated into the ente's language */
#define G_LOG_DOMAIN "sp-mail"

#include "config.h"

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

/**
 * sp_mail_render:
 * @subject: (out): the subject
 * @body: (out): the plain-text body
 *
 * Returns: %FALSE when @status sends no e-mail (5000, 6000, 8000)
 */
gboolean
sp_mail_render (SpStatus             status,
                const SpMailContext *context,
                char               **subject,
                char               **body)
{
  SpLocaleScope scope;
  g_autofree char *paragraph = NULL;

  sp_locale_push (&scope, context->locale != NULL ? context->locale : "it_IT");
  paragraph = status_paragraph (status, context);

  if (paragraph != NULL)
    {
      *subject = g_strdup_printf (_("%s — application no. %s: %s"), context->ente_name, context->numero,
                                  sp_status_get_label (status));
      *body = g_strdup_printf (_("Dear %s,\n\n%s\n\nKind regards,\n%s\n\n"
                                 "This is an automatic message: please do not reply."),
                               context->applicant_name, paragraph, context->ente_name);
    }

  sp_locale_pop (&scope);
  return paragraph != NULL;
}
