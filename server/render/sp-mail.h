#pragma once

#include <glib.h>

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

gboolean     sp_mail_render        (SpStatus             status,
                                    const SpMailContext *context,
                                    char               **subject,
                                    char               **body);

G_END_DECLS
