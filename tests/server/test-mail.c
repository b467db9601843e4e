/* test-mail.c: e-mails to citizens through a real SMTP sink: content, attachments, links, outages, restarts */
#define G_LOG_DOMAIN "test-mail"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sp-db-history.h"
#include "sp-smtp.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-mail.h"
#include "sp-test-pg.h"
#include "sp-test-server2.h"

#define WAIT_MS (60 * 1000)

static SpTestEnv *env;
static PGconn *conn;
static SpTestMailSink *sink;
static char *link_secret;

/* Who must never appear in an e-mail: the test data's operators. */
static const char * const operators[] = { "Operatore di Prova", "Seconda Operatrice", SP_TEST_OPERATOR, NULL };

static const SpActor citizen = { "citizen", 0, "Mario Rossi", "cittadino" };

static void
record_change (const char    *pratica_id,
               SpStatus       status,
               SpStatus       previous,
               const SpActor *actor,
               const char    *note)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status_text = g_strdup_printf ("%d", (int) status);

  sp_test_pg_command (conn, "UPDATE pratica SET status = $2::integer WHERE id = $1::uuid",
                      SP_TEST_PG_ARGS (pratica_id, status_text));
  if (!sp_db_record_change (conn, pratica_id, status, previous, "Operazione di prova", actor, note, &error))
    g_error ("sp_db_record_change: %s", error->message);
}

static char *
new_pratica (const char *servizio,
             int         status,
             const char *email)
{
  SpTestPratica pratica = { .servizio = servizio, .status = status, .email = email };

  return sp_test_pratica_insert (conn, &pratica);
}

/* A document of @size random bytes; its SHA-256 in @sha256. */
static char *
insert_document (const char  *pratica_id,
                 const char  *kind,
                 const char  *filename,
                 const char  *mime_type,
                 gsize        size,
                 char       **sha256)
{
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GString) hex = g_string_sized_new (size * 2);
  g_autofree char *size_text = g_strdup_printf ("%" G_GSIZE_FORMAT, size);

  for (gsize i = 0; i < size; i++)
    {
      data[i] = (guint8) g_random_int ();
      g_string_append_printf (hex, "%02x", data[i]);
    }
  *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  return sp_test_pg_value (conn,
                           "INSERT INTO document (pratica_id, kind, filename, mime_type, size, sha256, content_oid)"
                           " VALUES ($1::uuid, $2, $3, $4, $5::bigint, $6, lo_from_bytea (0, decode ($7, 'hex')))"
                           " RETURNING id",
                           SP_TEST_PG_ARGS (pratica_id, kind, filename, mime_type, size_text, *sha256, hex->str));
}

/* Waits until the sink holds @n messages to @recipient; returns their paths. */
static GPtrArray *
wait_for_mail (const char *recipient,
               guint       n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND * sp_test_time_scale ();
  g_autofree char *wanted = g_strdup_printf ("<%s>", recipient);

  for (;;)
    {
      g_autoptr(GPtrArray) all = sp_test_mail_sink_list (sink);
      GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < all->len; i++)
        {
          g_autofree char *to = sp_test_mail_header (g_ptr_array_index (all, i), "To");

          if (g_strcmp0 (to, wanted) == 0)
            g_ptr_array_add (found, g_strdup (g_ptr_array_index (all, i)));
        }
      if (found->len >= n || g_get_monotonic_time () > deadline)
        {
          g_assert_cmpuint (found->len, ==, n);
          return found;
        }
      g_ptr_array_unref (found);
      g_usleep (50 * 1000);
    }
}

static void
assert_no_operator (JsonObject *mail)
{
  const char *parts[] = { "subject", "text", "html", "from" };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    for (guint j = 0; operators[j] != NULL; j++)
      {
        const char *value = json_object_get_string_member_with_default (mail, parts[i], "");

        if (strstr (value, operators[j]) != NULL)
          g_error ("The e-mail's %s names the operator “%s”: %s", parts[i], operators[j], value);
      }
}

/* The path of the first download link in @text (https://host:port/d/…). */
static char *
link_path (const char *text,
           guint       index)
{
  const char *at = text;

  for (guint i = 0; i <= index; i++)
    {
      at = strstr (at, "/d/");
      g_assert_nonnull (at);
      if (i < index)
        at += 3;
    }
  return g_strndup (at, strcspn (at, " \n\r\t\"<>"));
}

/* A link as the server would sign it, made here with GLib's own HMAC. */
static char *
forge_link (const char *document_id,
            gint64      expires)
{
  guint8 token[16 + 8 + 32];
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) link_secret, strlen (link_secret));
  static const char domain[] = "sportello document link v1";
  gsize mac_length = 32;
  g_autofree char *base64 = NULL;
  guint n = 0;

  for (const char *p = document_id; *p != '\0'; p++)
    if (*p != '-')
      {
        token[n++] = (guint8) (g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]));
        p++;
      }
  for (guint i = 0; i < 8; i++)
    token[16 + i] = (guint8) ((guint64) expires >> (56 - 8 * i));
  g_hmac_update (hmac, (const guchar *) domain, sizeof domain);
  g_hmac_update (hmac, token, 24);
  g_hmac_get_digest (hmac, token + 24, &mac_length);
  base64 = g_base64_encode (token, sizeof token);
  g_strdelimit (base64, "+", '-');
  g_strdelimit (base64, "/", '_');
  *strchr (base64, '=') = '\0';
  return g_strconcat ("/d/", base64, NULL);
}

static void
assert_page (const char *path,
             guint       status,
             const char *italian)
{
  g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", path, NULL, NULL, NULL, 0);

  sp_test_assert_status (response, status);
  g_assert_cmpstr (response->content_type, ==, "text/html");
  if (strstr (sp_test_response_text (response), italian) == NULL)
    g_error ("%s: the page does not say “%s”: %s", path, italian, sp_test_response_text (response));
}

static void
assert_download (const char *path,
                 const char *sha256,
                 gsize       size)
{
  g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", path, NULL, NULL, NULL, 0);
  g_autofree char *got = NULL;

  sp_test_assert_status (response, 200);
  got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, response->body);
  g_assert_cmpuint (g_bytes_get_size (response->body), ==, size);
  g_assert_cmpstr (got, ==, sha256);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "X-Content-SHA256"), ==, sha256);
}

/* The submission's e-mail with the modulo, then the registration's with the
 * protocol number; the links of the first work, and fail altered or expired. */
static void
test_submitted (void)
{
  const char *email = "mario.rossi.submitted@example.org";
  g_autofree char *pratica = new_pratica (SP_TEST_SERVIZIO_INTERNAL, 2000, email);
  g_autofree char *sha256 = NULL;
  g_autofree char *document = insert_document (pratica, "modulo", "modulo-di-prova.pdf", "application/pdf",
                                               150 * 1024, &sha256);
  g_autofree char *numero = sp_test_pg_value (conn, "SELECT numero FROM pratica WHERE id = $1::uuid",
                                              SP_TEST_PG_ARGS (pratica));
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autofree char *protocol = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *link = NULL;
  g_autofree char *altered = NULL;
  g_autofree char *expired = NULL;
  g_autofree char *unknown = NULL;
  JsonArray *attachments;
  JsonObject *attachment;
  const char *text;

  sp_test_pg_command (conn, "BEGIN", 0, NULL);
  record_change (pratica, SP_STATUS_SUBMITTED, SP_STATUS_INVALID, &citizen, NULL);
  sp_test_pg_command (conn, "COMMIT", 0, NULL);

  paths = wait_for_mail (email, 2);
  first = sp_test_mail_parse (g_ptr_array_index (paths, 0));
  second = sp_test_mail_parse (g_ptr_array_index (paths, 1));
  /* The registration's e-mail is queued after the submission's is. */
  if (strstr (json_object_get_string_member (first, "subject"), "Protocollata") != NULL)
    {
      JsonObject *swap = first;

      first = second;
      second = swap;
    }

  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (first, "recipients"), 0), ==, email);
  g_assert_cmpstr (json_object_get_string_member (first, "from"), ==, SP_TEST_MAIL_FROM);
  g_assert_cmpstr (json_object_get_string_member (first, "auto_submitted"), ==, "auto-generated");
  g_assert_cmpstr (json_object_get_string_member (first, "content_type"), ==, "multipart/mixed");
  g_assert_nonnull (strstr (json_object_get_string_member (first, "subject"), numero));
  g_assert_nonnull (strstr (json_object_get_string_member (first, "subject"), "Acquisita"));
  g_assert_nonnull (strstr (json_object_get_string_member (first, "subject"), SP_TEST_ENTE_NAME));
  text = json_object_get_string_member (first, "text");
  g_assert_nonnull (strstr (text, "Gentile Rossi Mario,"));
  g_assert_nonnull (strstr (text, "non è l'esito"));
  g_assert_nonnull (strstr (json_object_get_string_member (first, "html"), "Gentile Rossi Mario,"));
  assert_no_operator (first);
  message_id = sp_test_pg_value (conn, "SELECT message_id FROM outbox WHERE pratica_id = $1::uuid AND status = 2000",
                                 SP_TEST_PG_ARGS (pratica));
  g_assert_cmpstr (json_object_get_string_member (first, "message_id"), ==, message_id);

  attachments = json_object_get_array_member (first, "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
  attachment = json_array_get_object_element (attachments, 0);
  g_assert_cmpstr (json_object_get_string_member (attachment, "filename"), ==, "modulo-di-prova.pdf");
  g_assert_cmpstr (json_object_get_string_member (attachment, "content_type"), ==, "application/pdf");
  g_assert_cmpstr (json_object_get_string_member (attachment, "disposition"), ==, "attachment");
  g_assert_cmpstr (json_object_get_string_member (attachment, "sha256"), ==, sha256);

  /* The registration's e-mail: the protocol number, nothing attached. */
  protocol = sp_test_pg_value (conn, "SELECT protocol_number FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (pratica));
  g_assert_nonnull (protocol);
  g_assert_nonnull (strstr (json_object_get_string_member (second, "subject"), "Protocollata"));
  g_assert_nonnull (strstr (json_object_get_string_member (second, "text"), protocol));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (second, "attachments")), ==, 0);
  assert_no_operator (second);
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM outbox WHERE pratica_id = $1::uuid AND sent_at IS NOT NULL"
                                   " AND attachments @> jsonb_build_array (jsonb_build_object ('id', $2::text))",
                                   SP_TEST_PG_ARGS (pratica, document)), ==, 1);

  /* The link in the text and in the HTML is the same, and works. */
  link = link_path (text, 0);
  g_assert_nonnull (strstr (json_object_get_string_member (first, "html"), link));
  assert_download (link, sha256, 150 * 1024);

  /* One character changed anywhere: refused, with a page in Italian. */
  altered = g_strdup (link);
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  assert_page (altered, 403, "Il link non è valido");
  altered[10] = link[10];
  altered[strlen (altered) - 1] = altered[strlen (altered) - 1] == 'A' ? 'B' : 'A';
  assert_page (altered, 403, "Il link non è valido");
  assert_page ("/d/corto", 403, "Il link non è valido");

  /* Signed with the server's secret, but past its expiry. */
  expired = forge_link (document, g_get_real_time () / G_USEC_PER_SEC - 60);
  assert_page (expired, 410, "Il link è scaduto");
  /* A forged link with the right secret proves the format; a document that
   * does not exist is a page too. */
  g_free (expired);
  expired = forge_link (document, g_get_real_time () / G_USEC_PER_SEC + 3600);
  assert_download (expired, sha256, 150 * 1024);
  unknown = forge_link ("00000000-0000-4000-8000-000000000000", g_get_real_time () / G_USEC_PER_SEC + 3600);
  assert_page (unknown, 404, "Documento non disponibile");
}

/* The outcome: the response and the operator's file attached (not the file
 * it replaced), their links working (the file is several chunks long); the
 * operator never named. */
static void
test_outcome (void)
{
  const char *email = "anna.bianchi.outcome@example.org";
  g_autofree char *pratica = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, 5000, email);
  g_autofree char *risposta_sha = NULL;
  g_autofree char *allegato_sha = NULL;
  g_autofree char *risposta = insert_document (pratica, "risposta", "Determinazione-perché.pdf", "application/pdf",
                                               80 * 1024, &risposta_sha);
  g_autofree char *replaced_sha = NULL;
  g_autofree char *replaced = insert_document (pratica, "allegato", "relazione sostituita.bin",
                                               "application/octet-stream", 1024, &replaced_sha);
  g_autofree char *allegato = insert_document (pratica, "allegato", "relazione tecnica è.bin",
                                               "application/octet-stream", 3 * 1024 * 1024 + 17, &allegato_sha);
  SpActor operator = { "operator", sp_test_account_id (conn, SP_TEST_OPERATOR), "Operatore di Prova", "operatore" };
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(JsonObject) mail = NULL;
  JsonArray *attachments;
  const char *text;

  /* The operator's second file replaced the first: only it is attached. */
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT document_supersede ($1::uuid)", SP_TEST_PG_ARGS (allegato)), ==, 1);
  sp_test_pg_command (conn, "BEGIN", 0, NULL);
  record_change (pratica, SP_STATUS_COMPLETE, SP_STATUS_PROCESSING, &operator, "Requisiti soddisfatti.");
  sp_test_pg_command (conn, "COMMIT", 0, NULL);

  paths = wait_for_mail (email, 1);
  mail = sp_test_mail_parse (g_ptr_array_index (paths, 0));
  g_assert_nonnull (strstr (json_object_get_string_member (mail, "subject"), "Accettata"));
  assert_no_operator (mail);
  attachments = json_object_get_array_member (mail, "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attachments, 0), "sha256"), ==,
                   risposta_sha);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attachments, 1), "sha256"), ==,
                   allegato_sha);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (attachments, 1), "size"), ==,
                   3 * 1024 * 1024 + 17);
  /* The names as they were, through RFC 2231 (Python's parser reads them). */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attachments, 0), "filename"), ==,
                   "Determinazione-perché.pdf");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attachments, 1), "filename"), ==,
                   "relazione tecnica è.bin");
  {
    g_autofree char *raw = NULL;

    g_assert_true (g_file_get_contents (g_ptr_array_index (paths, 0), &raw, NULL, NULL));
    g_assert_nonnull (strstr (raw, " filename=\"Determinazione-perche.pdf\""));
    g_assert_nonnull (strstr (raw, " filename*=UTF-8''Determinazione-perch%C3%A9.pdf;"));
    g_assert_nonnull (strstr (raw, " name*=UTF-8''Determinazione-perch%C3%A9.pdf;"));
    g_assert_nonnull (strstr (raw, " filename*=UTF-8''relazione%20tecnica%20%C3%A8.bin"));
  }

  text = json_object_get_string_member (mail, "text");
  {
    g_autofree char *first = link_path (text, 0);
    g_autofree char *second = link_path (text, 1);

    assert_download (first, risposta_sha, 80 * 1024);
    assert_download (second, allegato_sha, 3 * 1024 * 1024 + 17);
    /* Streamed as the operator's download is (sp-document-stream.c): the
     * same headers, the name in RFC 5987 form. */
    {
      g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", second, NULL, NULL, NULL, 0);
      const char *disposition = soup_message_headers_get_one (response->headers, "Content-Disposition");

      g_test_message ("Content-Disposition: %s", disposition);
      g_assert_nonnull (strstr (disposition, "filename*=UTF-8''relazione%20tecnica%20%C3%A8.bin"));
      g_assert_cmpstr (soup_message_headers_get_one (response->headers, "X-Content-Type-Options"), ==, "nosniff");
      g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Cache-Control"), ==, "private, no-store");
    }
  }
  g_assert_null (strstr (text, "sostituita"));
  (void) risposta;
  (void) allegato;
  (void) replaced;
}

/* Writes a message whose only attachment has the headers of @filename, and
 * reads it back with Python's e-mail parser (tests/harness/eml-to-json.py). */
static char *
parsed_filename (const char *filename,
                 char      **disposition_out)
{
  g_autofree char *type = NULL;
  g_autofree char *disposition = NULL;
  g_autofree char *eml = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) mail = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *attachments;
  char *name;
  int fd;

  sp_smtp_attachment_headers (filename, "application/pdf", &type, &disposition);
  eml = g_strdup_printf ("From: <a@example.org>\r\nTo: <b@example.org>\r\nSubject: prova\r\nMIME-Version: 1.0\r\n"
                         "Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n"
                         "--XX\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nTesto.\r\n"
                         "--XX\r\nContent-Type: %s\r\n%s\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                         "JVBERi0xLjQK\r\n--XX--\r\n", type, disposition);
  fd = g_file_open_tmp ("sportello-mail-XXXXXX.eml", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, eml, -1, &error));
  mail = sp_test_mail_parse (path);
  g_unlink (path);
  attachments = json_object_get_array_member (mail, "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
  name = g_strdup (json_object_get_string_member (json_array_get_object_element (attachments, 0), "filename"));
  if (disposition_out != NULL)
    *disposition_out = g_steal_pointer (&disposition);
  return name;
}

/* The headers of an attachment: an ASCII name for every mail program, the
 * UTF-8 one in RFC 2231 form for those that know it, folded, in sections
 * when long; Python's parser gets the real name back every time. */
static void
test_attachment_names (void)
{
  g_autofree char *type = NULL;
  g_autofree char *disposition = NULL;
  const char *names[] = {
    "risposta.pdf",
    "Determinazione-perché.pdf",
    "Relazione \"finale\"; prot. 12/2026.pdf",
    "Determinazione dirigenziale n. 123 del 2 marzo 2026 — perché la richiesta è accolta, "
    "con le motivazioni dell'ufficio tecnico comunale.pdf",
    "日本語の書類.pdf",
  };

  sp_smtp_attachment_headers ("Determinazione-perché.pdf", "application/pdf", &type, &disposition);
  g_assert_cmpstr (type, ==, "application/pdf;\r\n name*=UTF-8''Determinazione-perch%C3%A9.pdf;\r\n"
                              " name=\"Determinazione-perche.pdf\"");
  g_assert_cmpstr (disposition, ==, "Content-Disposition: attachment;\r\n"
                                     " filename*=UTF-8''Determinazione-perch%C3%A9.pdf;\r\n"
                                     " filename=\"Determinazione-perche.pdf\"");
  g_clear_pointer (&type, g_free);
  g_clear_pointer (&disposition, g_free);

  /* Plain ASCII: no extended form. */
  sp_smtp_attachment_headers ("risposta.pdf", "application/pdf", &type, &disposition);
  g_assert_cmpstr (disposition, ==, "Content-Disposition: attachment;\r\n filename=\"risposta.pdf\"");
  g_clear_pointer (&type, g_free);
  g_clear_pointer (&disposition, g_free);

  /* A media type that is not one is not sent as given. */
  sp_smtp_attachment_headers ("a.pdf", "application/pdf\r\nX-Injected: 1", &type, &disposition);
  g_assert_cmpstr (type, ==, "application/octet-stream;\r\n name=\"a.pdf\"");
  g_clear_pointer (&type, g_free);
  g_clear_pointer (&disposition, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *header = NULL;
      g_autofree char *parsed = parsed_filename (names[i], &header);
      g_auto(GStrv) lines = g_strsplit (header, "\r\n", -1);

      g_test_message ("%s", header);
      g_assert_cmpstr (parsed, ==, names[i]);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          g_assert_cmpuint (strlen (lines[j]), <=, 998);
          for (const char *p = lines[j]; *p != '\0'; p++)
            g_assert_cmpuint ((guchar) *p, <, 0x80);
        }
    }
}

/* Queues @n e-mails (taking charge of @n pratiche of the external service);
 * returns their recipients. */
static GPtrArray *
queue_mails (const char *tag,
             guint       n)
{
  GPtrArray *emails = g_ptr_array_new_with_free_func (g_free);

  sp_test_pg_command (conn, "BEGIN", 0, NULL);
  for (guint i = 0; i < n; i++)
    {
      char *email = g_strdup_printf ("cittadino.%s.%u@example.org", tag, i);
      g_autofree char *pratica = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, 3000, email);

      record_change (pratica, SP_STATUS_PENDING, SP_STATUS_REGISTERED, &citizen, NULL);
      g_ptr_array_add (emails, email);
    }
  sp_test_pg_command (conn, "COMMIT", 0, NULL);
  return emails;
}

/* Each of @emails got exactly one message, with its row's Message-ID. */
static void
assert_each_once (GPtrArray *emails)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND * sp_test_time_scale ();
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint found = 0;

  for (guint i = 0; i < emails->len; i++)
    g_hash_table_add (wanted, g_strdup_printf ("<%s>", (char *) g_ptr_array_index (emails, i)));
  while (found < emails->len && g_get_monotonic_time () < deadline)
    {
      g_clear_pointer (&all, g_ptr_array_unref);
      g_hash_table_remove_all (seen);
      found = 0;
      all = sp_test_mail_sink_list (sink);
      for (guint i = 0; i < all->len; i++)
        {
          char *to = sp_test_mail_header (g_ptr_array_index (all, i), "To");

          if (to != NULL && g_hash_table_contains (wanted, to))
            {
              guint count = GPOINTER_TO_UINT (g_hash_table_lookup (seen, to));

              g_hash_table_replace (seen, to, GUINT_TO_POINTER (count + 1));
              found++;
            }
          else
            g_free (to);
        }
      if (found < emails->len)
        g_usleep (100 * 1000);
    }
  g_assert_cmpuint (found, ==, emails->len);
  g_assert_cmpuint (g_hash_table_size (seen), ==, emails->len);
}

/* The SMTP server away: nothing is lost, the e-mails wait with back-off and
 * leave once it is back, each once. */
static void
test_sink_down (void)
{
  g_autoptr(GPtrArray) emails = NULL;
  g_autofree char *before = sp_test_pg_value (conn, "SELECT coalesce (max (id), 0) FROM outbox", 0, NULL);
  gint64 deadline;

  sp_test_mail_sink_stop (sink);
  emails = queue_mails ("down", 12);

  /* Every one tried and failed at least once. */
  deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (sp_test_pg_int (conn, "SELECT count (*) FROM job j JOIN outbox o ON j.dedupe_key = 'outbox ' || o.id"
                         " WHERE o.id > $1::bigint AND j.attempts >= 1 AND j.last_error IS NOT NULL",
                         SP_TEST_PG_ARGS (before)) < 12
         && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM outbox WHERE id > $1::bigint AND sent_at IS NULL",
                                   SP_TEST_PG_ARGS (before)), ==, 12);
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM job j JOIN outbox o ON j.dedupe_key = 'outbox ' || o.id"
                                   " WHERE o.id > $1::bigint AND j.state = 'queued' AND j.run_at > now ()",
                                   SP_TEST_PG_ARGS (before)), >=, 1);

  sp_test_mail_sink_restart (sink);
  assert_each_once (emails);
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM outbox WHERE id > $1::bigint AND sent_at IS NULL",
                                   SP_TEST_PG_ARGS (before)), ==, 0);
}

/* The server stopped and started again while it sends: each e-mail once. */
static void
test_server_restart (void)
{
  g_autoptr(GPtrArray) emails = NULL;
  g_autofree char *before = sp_test_pg_value (conn, "SELECT coalesce (max (id), 0) FROM outbox", 0, NULL);
  gint64 deadline;

  /* The sanitized server is slow per e-mail: fewer, still most sent after the restart. */
  guint n = sp_test_sanitized () ? 40 : 150;

  emails = queue_mails ("restart", n);
  deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (sp_test_pg_int (conn, "SELECT count (*) FROM outbox WHERE id > $1::bigint AND sent_at IS NOT NULL",
                         SP_TEST_PG_ARGS (before)) < 10
         && g_get_monotonic_time () < deadline)
    g_usleep (5 * 1000);
  sp_test_env_restart_server (env);
  g_test_message ("restarted with %" G_GINT64_FORMAT " of %u sent",
                  sp_test_pg_int (conn, "SELECT count (*) FROM outbox WHERE id > $1::bigint AND sent_at IS NOT NULL",
                                  SP_TEST_PG_ARGS (before)), n);
  assert_each_once (emails);
}

/* A recipient that the SMTP server refuses for good is set aside at once. */
static void
test_refused (void)
{
  g_autofree char *pratica = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, 3000, "nessuno@" SP_TEST_REFUSED_DOMAIN);
  g_autofree char *outbox = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  g_autofree char *error = NULL;

  sp_test_pg_command (conn, "BEGIN", 0, NULL);
  record_change (pratica, SP_STATUS_PENDING, SP_STATUS_REGISTERED, &citizen, NULL);
  sp_test_pg_command (conn, "COMMIT", 0, NULL);
  outbox = sp_test_pg_value (conn, "SELECT id FROM outbox WHERE pratica_id = $1::uuid", SP_TEST_PG_ARGS (pratica));
  while (sp_test_pg_int (conn, "SELECT count (*) FROM outbox WHERE id = $1::bigint AND failed_at IS NOT NULL",
                         SP_TEST_PG_ARGS (outbox)) == 0
         && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  error = sp_test_pg_value (conn, "SELECT last_error FROM outbox WHERE id = $1::bigint AND sent_at IS NULL",
                            SP_TEST_PG_ARGS (outbox));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "550"));
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT attempts FROM job WHERE dedupe_key = 'outbox ' || $1 AND state = 'done'",
                                   SP_TEST_PG_ARGS (outbox)), ==, 1);
}

/* A bad [mail] value stops the server with a clear message. */
static void
test_bad_config (void)
{
  g_autofree char *config = sp_test_env_copy_config (env, "bad-mail.conf", "mail", "starttls", "sometimes", NULL);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             sp_test_env_get_server_bin (), "--config", config, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (server, NULL, NULL, NULL, &err, &error));
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 1);
  g_assert_nonnull (strstr (err, "[mail] starttls: “sometimes” is not required, optional or off"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  env = sp_test_env_start ();
  sink = sp_test_mail_sink_start (env, TRUE);
  link_secret = sp_test_mail_configure (env, sink);
  sp_test_env_set_config (env, "jobs", "sweep-seconds", "1");
  sp_test_env_set_config (env, "database", "jobs-pool-size", "3");
  sp_test_env_restart_server (env);
  conn = sp_test_pg_connect (env);

  g_test_add_func ("/sportello/mail/submitted", test_submitted);
  g_test_add_func ("/sportello/mail/outcome", test_outcome);
  g_test_add_func ("/sportello/mail/attachment-names", test_attachment_names);
  g_test_add_func ("/sportello/mail/sink-down", test_sink_down);
  g_test_add_func ("/sportello/mail/server-restart", test_server_restart);
  g_test_add_func ("/sportello/mail/refused", test_refused);
  g_test_add_func ("/sportello/mail/bad-config", test_bad_config);

  status = g_test_run ();
  PQfinish (conn);
  sp_test_mail_sink_free (sink);
  sp_test_env_stop (env);
  g_free (link_secret);
  return status;
}
