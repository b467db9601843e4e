/* sp-pdf.c: the modulo PDF (the compiled form of a pratica), drawn with cairo and pango */
#define G_LOG_DOMAIN "sp-pdf"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-error.h"
#include "sp-form.h"
#include "sp-locale.h"
#include "sp-pdf-writer.h"
#include "sp-pdf.h"
#include "sp-person.h"

#define LABEL_WIDTH  190.0

static char *
modulo_footer (gconstpointer data,
               int           page)
{
  const SpModulo *modulo = data;

  /* Translators: the footer of each page of the modulo: the ente, the
   * application's number and the page number */
  return g_strdup_printf (_("%s — application no. %s — page %d"), modulo->ente_name, modulo->numero, page);
}

static void
draw_modulo (SpPdfWriter    *writer,
             const SpModulo *modulo,
             GPtrArray      *fields)
{
  g_autofree char *title = g_strdup_printf (_("Application form — %s"), modulo->servizio_name);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (modulo->time_zone != NULL ? modulo->time_zone : "Europe/Rome");
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *submitted = NULL;
  g_autofree char *applicant = sp_person_format_name (modulo->applicant_cognome, modulo->applicant_nome);

  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (modulo->submitted_at, zone);
  submitted = g_date_time_format (local, "%d/%m/%Y %H:%M");

  sp_pdf_writer_paragraph (writer, "Sans Bold 14", modulo->ente_name, 2);
  if (modulo->place_name != NULL && *modulo->place_name != '\0')
    sp_pdf_writer_paragraph (writer, "Sans 9", modulo->place_name, 10);
  sp_pdf_writer_rule (writer);
  sp_pdf_writer_paragraph (writer, "Sans Bold 12", title, 10);

  sp_pdf_writer_label_value (writer, 0, LABEL_WIDTH, _("Application no."), modulo->numero);
  sp_pdf_writer_label_value (writer, 0, LABEL_WIDTH, _("Submitted on"), submitted);
  sp_pdf_writer_label_value (writer, 0, LABEL_WIDTH, _("Applicant"), applicant);
  sp_pdf_writer_label_value (writer, 0, LABEL_WIDTH, _("Codice fiscale"), modulo->applicant_cf);
  sp_pdf_writer_label_value (writer, 0, LABEL_WIDTH, _("E-mail"), modulo->applicant_email);
  sp_pdf_writer_space (writer, 6);
  sp_pdf_writer_rule (writer);

  for (guint i = 0; i < fields->len; i++)
    {
      const SpFormField *field = g_ptr_array_index (fields, i);
      const char *label = field->labels[field->depth];

      if (field->is_group)
        sp_pdf_writer_heading (writer, field->depth, "Sans Bold 10", label);
      else
        sp_pdf_writer_label_value (writer, field->depth, LABEL_WIDTH, label, field->value);
    }
}

/**
 * sp_pdf_render_modulo:
 *
 * Draws the modulo on A4 pages, in the ente's language, with every field of
 * the schema (empty ones shown as a dash) and nested groups as sections.
 *
 * Returns: (transfer full): the PDF
 */
GBytes *
sp_pdf_render_modulo (const SpModulo  *modulo,
                      GError         **error)
{
  SpLocaleScope scope;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(SpValueFormat) format = sp_value_format_new (modulo->locale);
  SpPdfWriter *writer;
  GBytes *pdf;

  sp_locale_push (&scope, sp_value_format_get_locale (format));
  /* The values as the detail shows them, in the ente's language: a checkbox reads "Sì". */
  fields = sp_form_flatten (modulo->schema, modulo->data, modulo->data_text, modulo->mask_sensitive, format);
  writer = sp_pdf_writer_new (modulo->numero, modulo->created_at, modulo_footer, modulo);
  draw_modulo (writer, modulo, fields);
  pdf = sp_pdf_writer_finish (writer, error);
  sp_locale_pop (&scope);
  return pdf;
}
