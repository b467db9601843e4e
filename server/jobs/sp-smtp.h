#pragma once

/* Sending one e-mail over SMTP with libcurl: STARTTLS, AUTH, MIME
 * (multipart/alternative plain text and HTML, attachments streamed as they
 * are read). One connection per worker thread, kept between messages. */

#include <gio/gio.h>

#include "sp-config.h"

G_BEGIN_DECLS

typedef struct _SpSmtp SpSmtp;

/**
 * SpSmtpReadFunc:
 * @offset: where to read from, in the file
 * @length: at most this many bytes
 *
 * Returns: (transfer full): the bytes (fewer at the end), %NULL with @error
 */
typedef GBytes *(*SpSmtpReadFunc) (gpointer   user_data,
                                   gint64     offset,
                                   gsize      length,
                                   GError   **error);

/**
 * SpSmtpAttachment:
 * @size: the file's size, as the read function will give it
 */
typedef struct
{
  const char      *filename;
  const char      *mime_type;
  gint64           size;
  SpSmtpReadFunc   read;
  gpointer         read_data;
} SpSmtpAttachment;

typedef struct
{
  const char              *recipient;
  const char              *subject;
  const char              *text;
  const char              *html;
  const char              *message_id;
  GDateTime               *date;
  const SpSmtpAttachment  *attachments;
  guint                    n_attachments;
} SpSmtpMessage;

/**
 * SpSmtpResult:
 * @SP_SMTP_SENT: the server answered 250 to the message
 * @SP_SMTP_RETRY: not sent; trying later may work (server away, 4xx)
 * @SP_SMTP_REFUSED: the server refused it for good (5xx to the recipient)
 */
typedef enum
{
  SP_SMTP_SENT,
  SP_SMTP_RETRY,
  SP_SMTP_REFUSED,
} SpSmtpResult;

SpSmtp      *sp_smtp_new              (const SpConfig        *config,
                                       GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_smtp_free             (SpSmtp                *self);
SpSmtpResult sp_smtp_send             (SpSmtp                *self,
                                       const SpSmtpMessage   *message,
                                       GCancellable          *cancellable,
                                       GError               **error);
void         sp_smtp_attachment_headers (const char           *filename,
                                         const char           *mime_type,
                                         char                **content_type,
                                         char                **content_disposition);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpSmtp, sp_smtp_free)

G_END_DECLS
