#pragma once

#include <json-glib/json-glib.h>

#include "sp-status.h"

G_BEGIN_DECLS

/**
 * SpMailContext:
 *
 * What an e-mail to a citizen may say about a pratica. There is no operator
 * in it on purpose: e-mails never name who acted.
 */
typedef struct
{
  const char *locale;           /* the ente's, e.g. it_IT */
  const char *ente_name;
  const char *servizio_name;
  const char *numero;
  const char *applicant_name;
  const char *protocol_number;  /* nullable */
  const char *text;             /* nullable: the integration request, the motivation */
} SpMailContext;

/**
 * SpMailLink:
 * @label: what the link is (the document's file name)
 * @url: the signed link
 */
typedef struct
{
  const char *label;
  const char *url;
} SpMailLink;

/**
 * SpMailMessage:
 *
 * An e-mail as rendered: its subject, and its body as plain text and HTML.
 */
typedef struct
{
  char *subject;
  char *text;
  char *html;
} SpMailMessage;

void         sp_mail_message_free       (SpMailMessage        *message);
SpMailMessage *sp_mail_render           (SpStatus              status,
                                         const SpMailContext  *context,
                                         const SpMailLink     *links,
                                         guint                 n_links,
                                         GDateTime            *links_expire) G_GNUC_WARN_UNUSED_RESULT;
const char * const *sp_mail_attachment_kinds (SpStatus          status);
char        *sp_mail_context_to_json    (const SpMailContext  *context) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_mail_context_from_json  (JsonObject           *object,
                                         SpMailContext        *context);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpMailMessage, sp_mail_message_free)

G_END_DECLS
