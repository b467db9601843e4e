/* sp-test-pratiche.c: a few pratiche in the test database, by SQL, for the client's UI tests */
#define G_LOG_DOMAIN "sp-test-pratiche"

#include "config.h"

#include "sp-test-pratiche.h"

#define CF "RSSMRA80A01H501U"

/* Runs one SQL statement made from @format; a failure fails the test. */
char *
sp_test_sql (SpTestEnv  *env,
             const char *format,
             ...)
{
  g_autofree char *statement = NULL;
  va_list args;

  va_start (args, format);
  statement = g_strdup_vprintf (format, args);
  va_end (args);
  return sp_test_env_sql (env, statement);
}

/* A small but real PDF: one A4 page that says @text. */
static GBytes *
make_pdf (const char *text)
{
  GString *pdf = g_string_new ("%PDF-1.4\n");
  g_autofree char *stream = g_strdup_printf ("BT /F1 18 Tf 72 760 Td (%s) Tj ET", text);
  gsize offsets[6] = { 0 };
  gsize xref;

  offsets[1] = pdf->len;
  g_string_append (pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  offsets[2] = pdf->len;
  g_string_append (pdf, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  offsets[3] = pdf->len;
  g_string_append (pdf, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
                        " /Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n");
  offsets[4] = pdf->len;
  g_string_append_printf (pdf, "4 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
                          strlen (stream), stream);
  offsets[5] = pdf->len;
  g_string_append (pdf, "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
  xref = pdf->len;
  g_string_append (pdf, "xref\n0 6\n0000000000 65535 f \n");
  for (guint i = 1; i < 6; i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);

  return g_string_free_to_bytes (pdf);
}

static char *
hex (GBytes *bytes)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GString *text = g_string_sized_new (size * 2);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (text, "%02x", data[i]);
  return g_string_free (text, FALSE);
}

static char *
insert_pratica (SpTestEnv  *env,
                const char *ente,
                const char *servizio,
                const char *numero,
                int         status,
                const char *submitted_at,
                const char *data,
                const char *extra_columns,
                const char *extra_values)
{
  return sp_test_sql (env,
                      "INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
                      "                     applicant_cognome, applicant_email, data, status, submitted_at%s)"
                      " SELECT s.ente_id, s.id, '%s', c.id, c.codice_fiscale, c.nome, c.cognome, c.email,"
                      "        $json$%s$json$::jsonb, %d, '%s'%s"
                      " FROM servizio s JOIN ente e ON e.id = s.ente_id, citizen c"
                      " WHERE e.code = '%s' AND s.slug = '%s' AND c.codice_fiscale = '" CF "'"
                      " RETURNING id",
                      extra_columns, numero, data, status, submitted_at, extra_values, ente, servizio);
}

/* Adds a step to the iter of @pratica_id (0 for no @previous_status). */
void
sp_test_iter_insert (SpTestEnv  *env,
                     const char *pratica_id,
                     int         status,
                     int         previous_status,
                     const char *at,
                     const char *actor_kind,
                     const char *actor_name,
                     const char *note)
{
  g_autofree char *previous = previous_status ? g_strdup_printf ("%d", previous_status) : g_strdup ("NULL");
  g_autofree char *note_sql = note ? g_strdup_printf ("$note$%s$note$", note) : g_strdup ("NULL");

  g_free (sp_test_sql (env,
                       "INSERT INTO iter (pratica_id, status, previous_status, at, actor_kind, actor_name, note)"
                       " VALUES ('%s', %d, %s, '%s', '%s', '%s', %s)",
                       pratica_id, status, previous, at, actor_kind, actor_name, note_sql));
}

/* Inserts a document whose content is the SQL expression @content_sql. */
static char *
insert_document (SpTestEnv  *env,
                 const char *pratica_id,
                 const char *kind,
                 const char *filename,
                 const char *mime_type,
                 const char *signer,
                 const char *content_sql)
{
  g_autofree char *signer_sql = signer ? g_strdup_printf ("'%s'", signer) : g_strdup ("NULL");

  return sp_test_sql (env,
                      "INSERT INTO document (pratica_id, kind, filename, mime_type, size, sha256, content_oid, signer)"
                      " SELECT '%s', '%s', '%s', '%s', length (b), encode (sha256 (b), 'hex'), lo_from_bytea (0, b), %s"
                      " FROM (SELECT %s AS b) x RETURNING id",
                      pratica_id, kind, filename, mime_type, signer_sql, content_sql);
}

/* The form of scia-edilizia with groups three levels deep. */
const char sp_test_nested_schema[] =
  "[{\"key\": \"foglio\", \"label\": \"Foglio catastale\", \"type\": \"text\"},"
  " {\"key\": \"particella\", \"label\": \"Particella\", \"type\": \"text\"},"
  " {\"key\": \"descrizione\", \"label\": \"Descrizione dell'intervento\", \"type\": \"text\"},"
  " {\"key\": \"tecnico\", \"label\": \"Tecnico incaricato\", \"type\": \"group\", \"fields\": ["
  "   {\"key\": \"nome\", \"label\": \"Nome e cognome\", \"type\": \"text\"},"
  "   {\"key\": \"codice_fiscale\", \"label\": \"Codice fiscale\", \"type\": \"text\", \"sensitive\": true},"
  "   {\"key\": \"studio\", \"label\": \"Studio\", \"type\": \"group\", \"fields\": ["
  "     {\"key\": \"denominazione\", \"label\": \"Denominazione\", \"type\": \"text\"},"
  "     {\"key\": \"sede\", \"label\": \"Sede\", \"type\": \"group\", \"fields\": ["
  "       {\"key\": \"via\", \"label\": \"Via\", \"type\": \"text\"},"
  "       {\"key\": \"cap\", \"label\": \"CAP\", \"type\": \"text\"},"
  "       {\"key\": \"comune\", \"label\": \"Comune\", \"type\": \"text\"}]},"
  "     {\"key\": \"pec\", \"label\": \"PEC\", \"type\": \"text\"}]},"
  "   {\"key\": \"albo\", \"label\": \"Iscrizione all'albo\", \"type\": \"text\"}]},"
  " {\"key\": \"asseverazione\", \"label\": \"Asseverazione\", \"type\": \"boolean\"}]";

const char sp_test_long_description[] =
  "Rifacimento completo della copertura del fabbricato principale con sostituzione dell'orditura "
  "lignea, posa di nuovo isolamento termico in fibra di legno da 16 cm, impermeabilizzazione e manto "
  "in coppi di recupero; rifacimento di grondaie e pluviali in rame e adeguamento del parapetto del "
  "terrazzo secondo la normativa vigente. Riferimento: https://example.org/pratiche/edilizia/2026/"
  "scia/000125/allegati/relazione-tecnica-illustrativa-definitiva.pdf";

/**
 * sp_test_pratiche_insert:
 *
 * Inserts the pratiche of #SpTestPratiche, their iter and documents, and
 * gives SP_TEST_SERVIZIO_EXTERNAL the form of sp_test_nested_schema.
 */
SpTestPratiche *
sp_test_pratiche_insert (SpTestEnv *env)
{
  SpTestPratiche *self = g_new0 (SpTestPratiche, 1);
  g_autofree char *pdf_hex = NULL;
  g_autofree char *pdf_sql = NULL;
  g_autofree char *big_sql = NULL;
  g_autofree char *data = NULL;
  g_autofree char *nested_data = NULL;

  self->modulo_pdf = make_pdf ("Modulo di prova: certificato di residenza");
  pdf_hex = hex (self->modulo_pdf);
  pdf_sql = g_strdup_printf ("decode ('%s', 'hex')", pdf_hex);
  /* About 400 kB: several chunks, several progress reports. */
  big_sql = g_strdup_printf ("decode ('%s', 'hex')"
                             " || convert_to (repeat ('%% planimetria 0123456789\n', 16000), 'UTF8')",
                             pdf_hex);

  g_free (sp_test_sql (env, "INSERT INTO citizen (codice_fiscale, nome, cognome, email)"
                            " VALUES ('" CF "', 'Mario', 'Rossi', 'mario.rossi@example.org')"));

  /* Waiting for its protocol number. */
  data = g_strdup ("{\"motivo\": \"Iscrizione del figlio alla scuola dell'infanzia\","
                   " \"data_nascita\": \"1980-01-01\","
                   " \"indirizzo\": {\"via\": \"Via Roma 1\", \"cap\": \"\"}}");
  self->waiting_id = insert_pratica (env, SP_TEST_ENTE, SP_TEST_SERVIZIO_INTERNAL, "2026-000123", 2000,
                                     "2026-03-12 09:41:00+01", data, "", "");
  sp_test_iter_insert (env, self->waiting_id, 2000, 0, "2026-03-12 09:41:00+01", "citizen", "Rossi Mario", NULL);
  self->modulo_id = insert_document (env, self->waiting_id, "modulo", "modulo-2026-000123.pdf",
                                     "application/pdf", NULL, pdf_sql);

  /* Registered, nobody has it yet. */
  self->registered_id = insert_pratica (env, SP_TEST_ENTE, SP_TEST_SERVIZIO_INTERNAL, "2026-000124", 3000,
                                        "2026-03-13 08:15:00+01", data,
                                        ", protocol_number, protocol_date",
                                        ", 'PG/2026/0000457', '2026-03-13 10:02:00+01'");
  sp_test_iter_insert (env, self->registered_id, 2000, 0, "2026-03-13 08:15:00+01", "citizen", "Rossi Mario", NULL);
  sp_test_iter_insert (env, self->registered_id, 3000, 2000, "2026-03-13 10:02:00+01", "system",
                       "Protocollo interno", "Protocollata con il numero PG/2026/0000457");
  g_free (insert_document (env, self->registered_id, "modulo", "modulo-2026-000124.pdf",
                           "application/pdf", NULL, pdf_sql));
  self->allegato_id = insert_document (env, self->registered_id, "allegato", "planimetria catastale.pdf",
                                       "application/pdf", NULL, big_sql);

  /* Concluded, with a deeply nested form, a colleague's. */
  g_free (sp_test_sql (env, "UPDATE servizio SET field_schema = $json$%s$json$::jsonb WHERE slug = '%s'",
                       sp_test_nested_schema, SP_TEST_SERVIZIO_EXTERNAL));
  nested_data = g_strdup_printf ("{\"foglio\": \"12\", \"particella\": \"345\", \"descrizione\": \"%s\","
                                 " \"tecnico\": {\"nome\": \"Giulia Bianchi\", \"codice_fiscale\": \"BNCGLI75C41F205X\","
                                 "   \"studio\": {\"denominazione\": \"Studio tecnico Bianchi\","
                                 "     \"sede\": {\"via\": \"Corso Italia 22\", \"cap\": \"20122\", \"comune\": \"Milano\"},"
                                 "     \"pec\": \"\"},"
                                 "   \"albo\": \"Ordine degli architetti di Milano n. 12345\"},"
                                 " \"asseverazione\": true}",
                                 sp_test_long_description);
  self->concluded_id = insert_pratica (env, SP_TEST_ENTE, SP_TEST_SERVIZIO_EXTERNAL, "2026-000125", 7000,
                                       "2026-02-02 15:30:00+01", nested_data,
                                       ", protocol_number, protocol_date, outcome, motivation, assigned_to,"
                                       "  concluded_at",
                                       ", 'EDIL/2026/88', '2026-02-03 09:00:00+01', 'accepted',"
                                       " 'Intervento conforme al regolamento edilizio comunale.',"
                                       " (SELECT id FROM account WHERE username = '" SP_TEST_OPERATOR2 "'),"
                                       " '2026-02-20 11:00:00+01'");
  sp_test_iter_insert (env, self->concluded_id, 2000, 0, "2026-02-02 15:30:00+01", "citizen", "Rossi Mario", NULL);
  sp_test_iter_insert (env, self->concluded_id, 3000, 2000, "2026-02-03 09:00:00+01", "partner",
                       "Partner di prova", NULL);
  sp_test_iter_insert (env, self->concluded_id, 4000, 3000, "2026-02-04 10:12:00+01", "operator",
                       "Seconda Operatrice", NULL);
  sp_test_iter_insert (env, self->concluded_id, 7000, 4000, "2026-02-20 11:00:00+01", "operator",
                       "Seconda Operatrice", "Intervento conforme al regolamento edilizio comunale.");
  g_free (insert_document (env, self->concluded_id, "modulo", "modulo-2026-000125.pdf",
                           "application/pdf", NULL, pdf_sql));
  g_free (insert_document (env, self->concluded_id, "risposta", "risposta-2026-000125.pdf.p7m",
                           "application/pkcs7-mime", "Seconda Operatrice", pdf_sql));

  /* Of the other ente: not visible to SP_TEST_OPERATOR. */
  self->elsewhere_id = insert_pratica (env, SP_TEST_OTHER_ENTE, SP_TEST_SERVIZIO_OTHER, "2026-000001", 2000,
                                       "2026-03-01 12:00:00+01", "{}", "", "");

  /* Free to take. */
  self->free_id = insert_pratica (env, SP_TEST_ENTE, SP_TEST_SERVIZIO_INTERNAL, "2026-000126", 3000,
                                  "2026-03-14 08:00:00+01", "{}", ", protocol_number, protocol_date",
                                  ", 'PG/2026/0000460', '2026-03-14 09:00:00+01'");

  /* Free to take from its detail page; the test lets a colleague take it first. */
  self->contested_id = insert_pratica (env, SP_TEST_ENTE, SP_TEST_SERVIZIO_INTERNAL, "2026-000128", 3000,
                                       "2026-03-14 08:30:00+01", "{}", ", protocol_number, protocol_date",
                                       ", 'PG/2026/0000461', '2026-03-14 09:10:00+01'");

  /* A service that needs no protocol, for both operators, and a pratica of it
   * just submitted: free to take without a number. */
  g_free (sp_test_sql (env, "INSERT INTO servizio (ente_id, slug, name, protocol_required, field_schema)"
                            " SELECT ente_id, '" SP_TEST_SERVIZIO_UNPROTOCOLLED "', 'Contributo libri di testo', false,"
                            "        field_schema"
                            " FROM servizio WHERE slug = '%s'", SP_TEST_SERVIZIO_INTERNAL));
  g_free (sp_test_sql (env, "INSERT INTO account_servizio (account_id, servizio_id)"
                            " SELECT a.id, s.id FROM account a, servizio s"
                            " WHERE a.username IN ('" SP_TEST_OPERATOR "', '" SP_TEST_OPERATOR2 "')"
                            "   AND s.slug = '" SP_TEST_SERVIZIO_UNPROTOCOLLED "'"));
  self->unprotocolled_id = insert_pratica (env, SP_TEST_ENTE, SP_TEST_SERVIZIO_UNPROTOCOLLED, "2026-000127", 2000,
                                           "2026-03-15 10:00:00+01", data, "", "");
  sp_test_iter_insert (env, self->unprotocolled_id, 2000, 0, "2026-03-15 10:00:00+01", "citizen", "Mario Rossi",
                       NULL);
  return self;
}

void
sp_test_pratiche_free (SpTestPratiche *self)
{
  if (self == NULL)
    return;
  g_free (self->waiting_id);
  g_free (self->registered_id);
  g_free (self->concluded_id);
  g_free (self->elsewhere_id);
  g_free (self->free_id);
  g_free (self->contested_id);
  g_free (self->unprotocolled_id);
  g_free (self->modulo_id);
  g_free (self->allegato_id);
  g_clear_pointer (&self->modulo_pdf, g_bytes_unref);
  g_free (self);
}
