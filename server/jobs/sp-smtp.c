/* sp-smtp.c: one e-mail over SMTP with libcurl: STARTTLS, AUTH, MIME with streamed attachments */
#define G_LOG_DOMAIN "sp-smtp"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "sp-error.h"
#include "sp-smtp.h"

/* What the read callback asks of the document at a time. */
#define READ_CHUNK          (1024 * 1024)
#define CONNECT_TIMEOUT_S   10
/* Raw bytes per RFC 2047 encoded word: 60 characters of base64. */
#define ENCODED_WORD_BYTES  45
/* Characters of an RFC 2231 value per continuation (filename*0*=…). */
#define PARAMETER_SECTION   60

struct _SpSmtp
{
  char  *url;
  char  *from;          /* the header, its display name encoded */
  char  *from_address;  /* the envelope's */
  char  *username;      /* nullable */
  char  *password;      /* nullable */
  char  *ca_file;       /* nullable */
  long   use_ssl;
  int    timeout_seconds;
};

/* Each worker thread's handle: its connection cache keeps the SMTP
 * connection open between messages. */
static GPrivate thread_handle = G_PRIVATE_INIT ((GDestroyNotify) curl_easy_cleanup);

static CURL *
get_handle (void)
{
  CURL *curl = g_private_get (&thread_handle);

  if (curl == NULL)
    {
      curl = curl_easy_init ();
      g_private_set (&thread_handle, curl);
    }
  else
    /* Keeps the connection, forgets the last message's options. */
    curl_easy_reset (curl);
  return curl;
}

static gboolean
is_header_safe (const char *text)
{
  return text != NULL && strpbrk (text, "\r\n") == NULL;
}

/* An address alone: something@somewhere, no spaces, brackets or controls. */
static gboolean
is_address (const char *address)
{
  const char *at = address != NULL ? strchr (address, '@') : NULL;

  if (at == NULL || at == address || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = address; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || (guchar) *p >= 0x7f || strchr ("<>(),;:\"[]\\", *p) != NULL)
      return FALSE;
  return TRUE;
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

/* RFC 2047: UTF-8 text as base64 encoded words, split between characters. */
static char *
encode_words (const char *text)
{
  GString *out;
  const char *p = text;

  if (is_ascii (text))
    return g_strdup (text);
  out = g_string_new (NULL);
  while (*p != '\0')
    {
      const char *end = p;
      g_autofree char *base64 = NULL;

      while (*end != '\0')
        {
          const char *next = g_utf8_next_char (end);

          if (next - p > ENCODED_WORD_BYTES)
            break;
          end = next;
        }
      base64 = g_base64_encode ((const guchar *) p, end - p);
      g_string_append_printf (out, "%s=?UTF-8?B?%s?=", out->len > 0 ? " " : "", base64);
      p = end;
    }
  return g_string_free (out, FALSE);
}

/* RFC 5322 date, in English whatever the locale. */
static char *
format_date (GDateTime *date)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) utc = g_date_time_to_utc (date);

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d +0000",
                          days[g_date_time_get_day_of_week (utc) - 1], g_date_time_get_day_of_month (utc),
                          months[g_date_time_get_month (utc) - 1], g_date_time_get_year (utc),
                          g_date_time_get_hour (utc), g_date_time_get_minute (utc), g_date_time_get_second (utc));
}

/* A file name for Content-Disposition: printable ASCII, no quotes. */
static char *
safe_filename (const char *filename)
{
  g_autofree char *ascii = g_str_to_ascii (filename != NULL ? filename : "documento", "C");

  for (char *p = ascii; *p != '\0'; p++)
    if ((guchar) *p < ' ' || *p == '"' || *p == '\\' || *p == '/' || (guchar) *p >= 0x7f)
      *p = '_';
  return g_strdup (*ascii != '\0' ? ascii : "documento");
}

/* RFC 2231 / RFC 5987 attr-char: what stays as it is in an extended value. */
static gboolean
is_attribute_char (guchar c)
{
  return g_ascii_isalnum (c) || (c < 0x80 && strchr ("!#$&+-.^_`|~", c) != NULL);
}

/* Appends `; name="ascii"` and, when @utf8 is not that, the RFC 2231 form
 * `name*=UTF-8''…` before it (in continuations name*0*=, name*1*= … when
 * long), each parameter on a folded line: mail programs that know RFC 2231
 * show the real name, the others the ASCII fallback. */
static void
append_file_parameter (GString    *header,
                       const char *name,
                       const char *utf8,
                       const char *ascii)
{
  g_autoptr(GString) encoded = NULL;
  guint section = 0;
  gsize start = 0;

  if (g_str_equal (utf8, ascii))
    {
      g_string_append_printf (header, ";\r\n %s=\"%s\"", name, ascii);
      return;
    }

  encoded = g_string_new ("UTF-8''");
  for (const guchar *p = (const guchar *) utf8; *p != '\0'; p++)
    if (is_attribute_char (*p))
      g_string_append_c (encoded, (char) *p);
    else
      g_string_append_printf (encoded, "%%%02X", *p);

  if (encoded->len <= PARAMETER_SECTION + strlen ("UTF-8''"))
    g_string_append_printf (header, ";\r\n %s*=%s", name, encoded->str);
  else
    while (start < encoded->len)
      {
        gsize end = MIN (start + PARAMETER_SECTION, encoded->len);

        /* Never split a %XX. */
        if (end < encoded->len && end >= 1 && encoded->str[end - 1] == '%')
          end -= 1;
        else if (end < encoded->len && end >= 2 && encoded->str[end - 2] == '%')
          end -= 2;
        g_string_append_printf (header, ";\r\n %s*%u*=%.*s", name, section++, (int) (end - start),
                                encoded->str + start);
        start = end;
      }
  /* The fallback after the extended form: both are valid (RFC 2231), and
   * parsers that see the two as one parameter (Python's e-mail package)
   * keep the first. */
  g_string_append_printf (header, ";\r\n %s=\"%s\"", name, ascii);
}

/**
 * sp_smtp_attachment_headers:
 * @filename: (nullable): the file's name, UTF-8
 * @mime_type: its media type (`type/subtype`)
 * @content_type: (out) (transfer full): the Content-Type value, with `name`
 * @content_disposition: (out) (transfer full): the Content-Disposition
 *   header line, with `filename`
 *
 * The headers of an attachment: the name as RFC 2231 `filename*=UTF-8''…`
 * when it is not plain ASCII, and always as an ASCII fallback
 * (`filename="…"`); likewise `name` in Content-Type. Folded after each
 * parameter, so no line is long.
 */
void
sp_smtp_attachment_headers (const char  *filename,
                            const char  *mime_type,
                            char       **content_type,
                            char       **content_disposition)
{
  g_autofree char *ascii = safe_filename (filename);
  const char *utf8 = filename != NULL && *filename != '\0' && g_utf8_validate (filename, -1, NULL)
                     && is_header_safe (filename) ? filename : ascii;
  GString *type = g_string_new (NULL);
  GString *disposition = g_string_new ("Content-Disposition: attachment");

  /* A media type that is not a plain token/token is not sent as given. */
  if (mime_type == NULL || strchr (mime_type, '/') == NULL
      || strspn (mime_type, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&^_.+-/")
         != strlen (mime_type))
    mime_type = "application/octet-stream";
  g_string_append (type, mime_type);
  append_file_parameter (type, "name", utf8, ascii);
  append_file_parameter (disposition, "filename", utf8, ascii);
  *content_type = g_string_free (type, FALSE);
  *content_disposition = g_string_free (disposition, FALSE);
}

static gsize global_init = 0;

/**
 * sp_smtp_new:
 *
 * Checks the [mail] configuration: a bad value is an error here, at start,
 * rather than an e-mail that never leaves.
 */
SpSmtp *
sp_smtp_new (const SpConfig  *config,
             GError         **error)
{
  g_autoptr(SpSmtp) self = g_new0 (SpSmtp, 1);
  const char *from = config->mail_from;
  const char *open_bracket = strchr (from, '<');
  const char *close_bracket = open_bracket != NULL ? strchr (open_bracket, '>') : NULL;

  if (g_once_init_enter (&global_init))
    {
      if (curl_global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
        g_error ("Cannot initialize libcurl");
      g_once_init_leave (&global_init, 1);
    }

  if (!g_str_has_prefix (config->mail_smtp_url, "smtp://") && !g_str_has_prefix (config->mail_smtp_url, "smtps://"))
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION,
                   "[mail] smtp-url: “%s” is not an smtp:// or smtps:// URL", config->mail_smtp_url);
      return NULL;
    }
  self->url = g_strdup (config->mail_smtp_url);

  if (open_bracket != NULL && close_bracket != NULL && close_bracket[1] == '\0')
    {
      g_autofree char *name = g_strstrip (g_strndup (from, open_bracket - from));
      g_autofree char *encoded = encode_words (name);

      self->from_address = g_strndup (open_bracket + 1, close_bracket - open_bracket - 1);
      self->from = *name != '\0' ? g_strdup_printf ("%s <%s>", encoded, self->from_address)
                                 : g_strdup_printf ("<%s>", self->from_address);
    }
  else
    {
      self->from_address = g_strdup (from);
      self->from = g_strdup (from);
    }
  if (!is_address (self->from_address) || !is_header_safe (from))
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION,
                   "[mail] from: “%s” is not an address (Name <user@host> or user@host)", from);
      return NULL;
    }

  if (g_str_equal (config->mail_starttls, "required"))
    self->use_ssl = CURLUSESSL_ALL;
  else if (g_str_equal (config->mail_starttls, "optional"))
    self->use_ssl = CURLUSESSL_TRY;
  else if (g_str_equal (config->mail_starttls, "off"))
    self->use_ssl = CURLUSESSL_NONE;
  else
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION,
                   "[mail] starttls: “%s” is not required, optional or off", config->mail_starttls);
      return NULL;
    }

  if (*config->mail_username != '\0')
    {
      g_autofree char *password = NULL;

      if (*config->mail_password_file == '\0')
        {
          g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION,
                               "[mail] username needs [mail] password-file");
          return NULL;
        }
      if (!g_file_get_contents (config->mail_password_file, &password, NULL, error))
        {
          g_prefix_error (error, "[mail] password-file: ");
          return NULL;
        }
      self->username = g_strdup (config->mail_username);
      self->password = g_strdup (g_strchomp (password));
    }
  if (*config->mail_ca_file != '\0')
    self->ca_file = g_strdup (config->mail_ca_file);
  self->timeout_seconds = config->mail_timeout_seconds;
  return g_steal_pointer (&self);
}

void
sp_smtp_free (SpSmtp *self)
{
  if (self == NULL)
    return;
  g_free (self->url);
  g_free (self->from);
  g_free (self->from_address);
  g_free (self->username);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->ca_file);
  g_free (self);
}

/* An attachment being read into the message. */
typedef struct
{
  const SpSmtpAttachment  *attachment;
  gint64                   offset;
  GBytes                  *chunk;
  gint64                   chunk_offset;
  GError                  *error;
} Stream;

static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  n_items,
         void   *data)
{
  Stream *stream = data;
  gsize wanted = size * n_items, available, n;
  gsize chunk_length = stream->chunk != NULL ? g_bytes_get_size (stream->chunk) : 0;

  if (stream->offset >= stream->attachment->size)
    return 0;
  if (stream->chunk == NULL || stream->offset < stream->chunk_offset
      || stream->offset >= stream->chunk_offset + (gint64) chunk_length)
    {
      g_clear_pointer (&stream->chunk, g_bytes_unref);
      stream->chunk = stream->attachment->read (stream->attachment->read_data, stream->offset,
                                                MIN (READ_CHUNK, stream->attachment->size - stream->offset),
                                                &stream->error);
      if (stream->chunk == NULL)
        return CURL_READFUNC_ABORT;
      chunk_length = g_bytes_get_size (stream->chunk);
      stream->chunk_offset = stream->offset;
      if (chunk_length == 0)
        {
          g_set_error (&stream->error, SP_ERROR, SP_ERROR_INTERNAL,
                       "The document “%s” is shorter than its size", stream->attachment->filename);
          return CURL_READFUNC_ABORT;
        }
    }
  available = chunk_length - (gsize) (stream->offset - stream->chunk_offset);
  n = MIN (wanted, available);
  memcpy (buffer, (const guint8 *) g_bytes_get_data (stream->chunk, NULL) + (stream->offset - stream->chunk_offset), n);
  stream->offset += n;
  return n;
}

static int
seek_cb (void       *data,
         curl_off_t  offset,
         int         origin)
{
  Stream *stream = data;

  if (origin != SEEK_SET || offset < 0 || offset > stream->attachment->size)
    return CURL_SEEKFUNC_CANTSEEK;
  stream->offset = offset;
  return CURL_SEEKFUNC_OK;
}

static int
progress_cb (void       *data,
             curl_off_t  dl_total,
             curl_off_t  dl_now,
             curl_off_t  ul_total,
             curl_off_t  ul_now)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

static void
add_text_part (curl_mime  *alternative,
               const char *text,
               const char *type)
{
  curl_mimepart *part = curl_mime_addpart (alternative);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  /* Text on the wire ends its lines with CRLF (RFC 5322): quoted-printable
   * keeps those as line breaks, where a bare LF would become "=0A". */
  g_autofree char *canonical = g_strjoinv ("\r\n", lines);

  curl_mime_data (part, canonical, CURL_ZERO_TERMINATED);
  curl_mime_type (part, type);
  curl_mime_encoder (part, "quoted-printable");
}

/* What went wrong, and whether trying again can help. Only a recipient that
 * the server refuses for good (5xx to RCPT) is final: anything else — the
 * server away, busy, a 4xx, our AUTH or sender refused (a configuration to
 * fix) — is retried, so that no e-mail is lost. */
static SpSmtpResult
classify (CURL        *curl,
          CURLcode     code,
          const char  *detail,
          GError     **error)
{
  long response = 0;

  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &response);
  g_set_error (error, SP_ERROR, SP_ERROR_UNAVAILABLE, "SMTP: %s%s%s (%ld)", curl_easy_strerror (code),
               *detail != '\0' ? ": " : "", detail, response);
  if (code == CURLE_SEND_ERROR && response >= 500 && response < 600 && g_str_has_prefix (detail, "RCPT failed"))
    return SP_SMTP_REFUSED;
  return SP_SMTP_RETRY;
}

/**
 * sp_smtp_send:
 *
 * Sends @message; returns once the server has answered the end of its data.
 * Attachments are read while they are sent, a chunk at a time.
 */
SpSmtpResult
sp_smtp_send (SpSmtp               *self,
              const SpSmtpMessage  *message,
              GCancellable         *cancellable,
              GError              **error)
{
  CURL *curl = get_handle ();
  char detail[CURL_ERROR_SIZE] = "";
  g_autofree char *date = format_date (message->date);
  g_autofree char *subject = NULL;
  g_autofree char *recipient = NULL;
  g_autofree Stream *streams = g_new0 (Stream, MAX (message->n_attachments, 1));
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  struct curl_slist *headers = NULL;
  struct curl_slist *recipients = NULL;
  struct curl_slist *inline_header = NULL;
  curl_mime *mime, *alternative;
  curl_mimepart *part;
  SpSmtpResult result = SP_SMTP_SENT;
  CURLcode code;

  if (!is_address (message->recipient))
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "“%s” is not an e-mail address", message->recipient);
      return SP_SMTP_REFUSED;
    }
  if (!is_header_safe (message->subject) || !is_header_safe (message->message_id))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "A header of the e-mail spans lines");
      return SP_SMTP_REFUSED;
    }

  subject = encode_words (message->subject);
  recipient = g_strdup_printf ("<%s>", message->recipient);
  g_ptr_array_add (lines, g_strdup_printf ("Date: %s", date));
  g_ptr_array_add (lines, g_strdup_printf ("From: %s", self->from));
  g_ptr_array_add (lines, g_strdup_printf ("To: %s", recipient));
  g_ptr_array_add (lines, g_strdup_printf ("Subject: %s", subject));
  g_ptr_array_add (lines, g_strdup_printf ("Message-ID: %s", message->message_id));
  g_ptr_array_add (lines, g_strdup ("MIME-Version: 1.0"));
  /* RFC 3834: no vacation replies to an automatic message. */
  g_ptr_array_add (lines, g_strdup ("Auto-Submitted: auto-generated"));
  for (guint i = 0; i < lines->len; i++)
    headers = curl_slist_append (headers, g_ptr_array_index (lines, i));
  recipients = curl_slist_append (recipients, recipient);

  mime = curl_mime_init (curl);
  alternative = curl_mime_init (curl);
  add_text_part (alternative, message->text, "text/plain; charset=UTF-8");
  add_text_part (alternative, message->html, "text/html; charset=UTF-8");
  part = curl_mime_addpart (mime);
  curl_mime_subparts (part, alternative);
  curl_mime_type (part, "multipart/alternative");
  inline_header = curl_slist_append (NULL, "Content-Disposition: inline");
  curl_mime_headers (part, inline_header, 1);

  for (guint i = 0; i < message->n_attachments; i++)
    {
      g_autofree char *content_type = NULL;
      g_autofree char *disposition = NULL;

      /* Content-Disposition given here, libcurl writes none of its own;
       * the name goes into the Content-Type it writes. */
      sp_smtp_attachment_headers (message->attachments[i].filename, message->attachments[i].mime_type,
                                  &content_type, &disposition);
      streams[i].attachment = &message->attachments[i];
      part = curl_mime_addpart (mime);
      curl_mime_type (part, content_type);
      curl_mime_headers (part, curl_slist_append (NULL, disposition), 1);
      curl_mime_encoder (part, "base64");
      curl_mime_data_cb (part, message->attachments[i].size, read_cb, seek_cb, NULL, &streams[i]);
    }

  curl_easy_setopt (curl, CURLOPT_URL, self->url);
  curl_easy_setopt (curl, CURLOPT_USE_SSL, self->use_ssl);
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, self->from_address);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_MIMEPOST, mime);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, (long) CONNECT_TIMEOUT_S);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, (long) self->timeout_seconds);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, cancellable);
  if (self->username != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_USERNAME, self->username);
      curl_easy_setopt (curl, CURLOPT_PASSWORD, self->password);
    }
  if (self->ca_file != NULL)
    curl_easy_setopt (curl, CURLOPT_CAINFO, self->ca_file);

  code = curl_easy_perform (curl);
  if (code != CURLE_OK)
    {
      GError *stream_error = NULL;

      for (guint i = 0; i < message->n_attachments && stream_error == NULL; i++)
        stream_error = streams[i].error;
      if (stream_error != NULL)
        {
          g_propagate_prefixed_error (error, g_error_copy (stream_error), "Cannot read an attachment: ");
          result = SP_SMTP_RETRY;
        }
      else
        result = classify (curl, code, detail, error);
    }

  /* The handle keeps no pointer to what is freed now. */
  curl_easy_reset (curl);
  for (guint i = 0; i < message->n_attachments; i++)
    {
      g_clear_pointer (&streams[i].chunk, g_bytes_unref);
      g_clear_error (&streams[i].error);
    }
  curl_mime_free (mime);
  curl_slist_free_all (headers);
  curl_slist_free_all (recipients);
  return result;
}
