/* sp-risposta.c: the response PDF of a concluded pratica, on the ente's letterhead, drawn with cairo and pango */
#define G_LOG_DOMAIN "sp-pdf"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-locale.h"
#include "sp-pdf-writer.h"
#include "sp-person.h"
#include "sp-risposta.h"
#include "sp-status.h"

#define LABEL_WIDTH     120.0
#define ADDRESS_X       260.0
#define TIME_ZONE       "Europe/Rome"

static void
attachment_free (SpRispostaAttachment *attachment)
{
  g_free (attachment->filename);
  g_free (attachment->signer);
  g_free (attachment);
}

SpRisposta *
sp_risposta_new (void)
{
  SpRisposta *risposta = g_new0 (SpRisposta, 1);

  risposta->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_free);
  return risposta;
}

void
sp_risposta_free (SpRisposta *risposta)
{
  if (risposta == NULL)
    return;
  g_free (risposta->locale);
  g_free (risposta->ente_name);
  g_free (risposta->place_name);
  g_free (risposta->servizio_name);
  g_free (risposta->numero);
  g_clear_pointer (&risposta->submitted_at, g_date_time_unref);
  g_free (risposta->protocol_number);
  g_clear_pointer (&risposta->protocol_date, g_date_time_unref);
  g_free (risposta->applicant_nome);
  g_free (risposta->applicant_cognome);
  g_free (risposta->applicant_email);
  g_free (risposta->motivazione);
  g_ptr_array_unref (risposta->attachments);
  g_clear_pointer (&risposta->date, g_date_time_unref);
  g_free (risposta);
}

/**
 * sp_risposta_add_attachment:
 * @signer: (nullable): who signed it, for a verified `.p7m`
 */
void
sp_risposta_add_attachment (SpRisposta *risposta,
                            const char *filename,
                            const char *signer)
{
  SpRispostaAttachment *attachment = g_new0 (SpRispostaAttachment, 1);

  attachment->filename = g_strdup (filename);
  attachment->signer = g_strdup (signer);
  g_ptr_array_add (risposta->attachments, attachment);
}

/**
 * sp_risposta_filename:
 *
 * Returns: the name the response is saved under, `risposta-<numero>.pdf`
 */
char *
sp_risposta_filename (SpRisposta *risposta)
{
  return g_strdup_printf ("risposta-%s.pdf", risposta->numero);
}

static char *
local_date (GDateTime  *when,
            const char *format)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (TIME_ZONE);
  g_autoptr(GDateTime) local = NULL;

  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (when, zone);
  return g_date_time_format (local, format);
}

static char *
risposta_footer (gconstpointer data,
                 int           page)
{
  const SpRisposta *risposta = data;

  /* Translators: the footer of each page of the response: the ente, the
   * application's number and the page number */
  return g_strdup_printf (_("%s — response to application no. %s — page %d"), risposta->ente_name, risposta->numero,
                          page);
}

static void
draw_letterhead (SpPdfWriter      *writer,
                 const SpRisposta *risposta)
{
  g_autofree char *applicant = sp_person_format_name (risposta->applicant_cognome, risposta->applicant_nome);
  /* Translators: the salutation before the addressee of a letter */
  g_autofree char *address = g_strdup_printf ("%s\n%s\n%s", C_("letter", "To"), applicant,
                                              risposta->applicant_email != NULL ? risposta->applicant_email : "");

  sp_pdf_writer_paragraph (writer, "Sans Bold 14", risposta->ente_name, 2);
  if (risposta->place_name != NULL && *risposta->place_name != '\0')
    sp_pdf_writer_paragraph (writer, "Sans 9", risposta->place_name, 10);
  sp_pdf_writer_rule (writer);
  sp_pdf_writer_space (writer, 12);
  sp_pdf_writer_block (writer, ADDRESS_X, "Sans 10", g_strchomp (address), 24);
}

static void
draw_body (SpPdfWriter      *writer,
           const SpRisposta *risposta)
{
  g_autofree char *subject = g_strdup_printf (_("Re: outcome of application no. %s — %s"), risposta->numero,
                                              risposta->servizio_name);
  g_autofree char *submitted = local_date (risposta->submitted_at, "%d/%m/%Y");
  g_autofree char *reference = NULL;
  g_autoptr(GString) attachments = g_string_new (NULL);
  SpStatus outcome = risposta->accepted ? SP_STATUS_COMPLETE : SP_STATUS_CANCELLED;

  if (risposta->protocol_number != NULL && risposta->protocol_date != NULL)
    {
      g_autofree char *registered = local_date (risposta->protocol_date, "%d/%m/%Y");

      reference = g_strdup_printf (_("Your application of %s, registered with protocol no. %s of %s."), submitted,
                                   risposta->protocol_number, registered);
    }
  else
    reference = g_strdup_printf (_("Your application of %s."), submitted);

  sp_pdf_writer_paragraph (writer, "Sans Bold 11", subject, 6);
  sp_pdf_writer_paragraph (writer, "Sans 9", reference, 14);
  sp_pdf_writer_paragraph (writer, "Sans 10",
                           risposta->accepted ? _("We inform you that your application has been accepted.")
                                              : _("We inform you that your application has been rejected."),
                           12);

  sp_pdf_writer_label_value (writer, 0, LABEL_WIDTH, _("Outcome"), sp_status_get_label (outcome));
  sp_pdf_writer_label_value (writer, 0, LABEL_WIDTH, _("Motivation"),
                             risposta->motivazione != NULL && *risposta->motivazione != '\0'
                             ? risposta->motivazione : NULL);
  for (guint i = 0; i < risposta->attachments->len; i++)
    {
      const SpRispostaAttachment *attachment = g_ptr_array_index (risposta->attachments, i);

      if (attachments->len > 0)
        g_string_append_c (attachments, '\n');
      if (attachment->signer != NULL)
        /* Translators: an attached file and who signed it digitally */
        g_string_append_printf (attachments, _("%s (digitally signed by %s)"), attachment->filename, attachment->signer);
      else
        g_string_append (attachments, attachment->filename);
    }
  sp_pdf_writer_label_value (writer, 0, LABEL_WIDTH, _("Attachments"), attachments->len > 0 ? attachments->str : NULL);
}

static void
draw_closing (SpPdfWriter      *writer,
              const SpRisposta *risposta)
{
  g_autofree char *date = local_date (risposta->date, "%d/%m/%Y");
  const char *place = risposta->place_name != NULL && *risposta->place_name != '\0'
                      ? risposta->place_name : risposta->ente_name;
  g_autofree char *place_date = g_strdup_printf ("%s, %s", place, date);
  g_autofree char *signature = g_strdup_printf ("%s\n%s", risposta->ente_name, _("The office in charge"));

  sp_pdf_writer_space (writer, 18);
  sp_pdf_writer_paragraph (writer, "Sans 10", place_date, 24);
  sp_pdf_writer_block (writer, ADDRESS_X, "Sans 10", signature, 0);
}

/**
 * sp_risposta_render:
 *
 * Draws the response in the ente's language: the letterhead, the applicant
 * ("Spett.le Cognome Nome"), the outcome, the motivation, the attachments,
 * place and date. CPU work, for a thread that holds no database connection.
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set
 */
GBytes *
sp_risposta_render (SpRisposta  *risposta,
                    GError     **error)
{
  g_autofree char *title = sp_risposta_filename (risposta);
  SpLocaleScope scope;
  SpPdfWriter *writer;
  GBytes *pdf;

  sp_locale_push (&scope, risposta->locale != NULL ? risposta->locale : "it_IT");
  writer = sp_pdf_writer_new (title, risposta->date, risposta_footer, risposta);
  draw_letterhead (writer, risposta);
  draw_body (writer, risposta);
  draw_closing (writer, risposta);
  pdf = sp_pdf_writer_finish (writer, error);
  sp_locale_pop (&scope);
  return pdf;
}

static char *
provvedimento_footer (gconstpointer data,
                      int           page)
{
  const SpRisposta *risposta = data;

  /* Translators: the footer of each page of a final decision: the ente, the
   * application's number and the page number */
  return g_strdup_printf (_("%s — decision on application no. %s — page %d"), risposta->ente_name, risposta->numero,
                          page);
}

/**
 * sp_risposta_provvedimento_filename:
 *
 * Returns: the name of the decision sp_risposta_render_provvedimento()
 *   draws, `provvedimento-<numero>.pdf`
 */
char *
sp_risposta_provvedimento_filename (SpRisposta *risposta)
{
  return g_strdup_printf ("provvedimento-%s.pdf", risposta->numero);
}

/**
 * sp_risposta_render_provvedimento:
 *
 * Draws the office's final decision on the application (the *provvedimento*
 * an operator uploads as the response file, signed when the service wants
 * it): the ente, the application, the outcome and its motivation, place and
 * date. The demo data set gives it to its concluded pratiche; the response
 * PDF (sp_risposta_render()) lists it as its attachment. Names nobody: the
 * citizen receives it.
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set
 */
GBytes *
sp_risposta_render_provvedimento (SpRisposta  *risposta,
                                  GError     **error)
{
  g_autofree char *title = sp_risposta_provvedimento_filename (risposta);
  g_autofree char *applicant = sp_person_format_name (risposta->applicant_cognome, risposta->applicant_nome);
  g_autofree char *submitted = local_date (risposta->submitted_at, "%d/%m/%Y");
  g_autofree char *application = NULL;
  g_autofree char *date = local_date (risposta->date, "%d/%m/%Y");
  g_autofree char *place_date = NULL;
  const char *place;
  SpLocaleScope scope;
  SpPdfWriter *writer;
  GBytes *pdf;

  sp_locale_push (&scope, risposta->locale != NULL ? risposta->locale : "it_IT");
  place = risposta->place_name != NULL && *risposta->place_name != '\0' ? risposta->place_name : risposta->ente_name;
  place_date = g_strdup_printf ("%s, %s", place, date);
  /* Translators: application number, service, applicant, submission date */
  application = g_strdup_printf (_("Application no. %s — %s, submitted by %s on %s."), risposta->numero,
                                 risposta->servizio_name, applicant, submitted);
  writer = sp_pdf_writer_new (title, risposta->date, provvedimento_footer, risposta);
  sp_pdf_writer_paragraph (writer, "Sans Bold 14", risposta->ente_name, 2);
  if (risposta->place_name != NULL && *risposta->place_name != '\0')
    sp_pdf_writer_paragraph (writer, "Sans 9", risposta->place_name, 10);
  sp_pdf_writer_rule (writer);
  sp_pdf_writer_space (writer, 18);
  sp_pdf_writer_paragraph (writer, "Sans Bold 13", _("Final decision"), 10);
  sp_pdf_writer_paragraph (writer, "Sans 10", application, 12);
  sp_pdf_writer_paragraph (writer, "Sans 10",
                           risposta->accepted
                           ? _("Having examined the application and its documents, the office in charge grants it.")
                           : _("Having examined the application and its documents, the office in charge rejects it."),
                           12);
  sp_pdf_writer_label_value (writer, 0, LABEL_WIDTH, _("Motivation"),
                             risposta->motivazione != NULL && *risposta->motivazione != '\0'
                             ? risposta->motivazione : NULL);
  sp_pdf_writer_space (writer, 18);
  sp_pdf_writer_paragraph (writer, "Sans 10", place_date, 24);
  sp_pdf_writer_block (writer, ADDRESS_X, "Sans 10", _("The official in charge of the procedure"), 0);
  pdf = sp_pdf_writer_finish (writer, error);
  sp_locale_pop (&scope);
  return pdf;
}

/**
 * sp_risposta_render_work: (SpWorkFunc)
 * @risposta: an #SpRisposta, not changed
 *
 * sp_risposta_render() for sp_workers_run_async().
 *
 * Returns: (transfer full): the PDF as #GBytes
 */
gpointer
sp_risposta_render_work (gpointer       risposta,
                         GCancellable  *cancellable,
                         GError       **error)
{
  return sp_risposta_render (risposta, error);
}
