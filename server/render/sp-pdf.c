/* sp-pdf.c: the modulo PDF (the compiled form of a pratica), drawn with cairo and pango */
#define G_LOG_DOMAIN "sp-pdf"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "sp-error.h"
#include "sp-form.h"
#include "sp-locale.h"
#include "sp-pdf.h"
#include "sp-person.h"

/* A4 in points, with 2 cm margins. */
#define PAGE_WIDTH   595.28
#define PAGE_HEIGHT  841.89
#define MARGIN       56.7
#define INDENT       14.0
#define LABEL_WIDTH  190.0
#define FOOTER       28.0

typedef struct
{
  cairo_t        *cr;
  PangoLayout    *layout;
  const SpModulo *modulo;
  GPtrArray      *fields;
  double          y;
  int             page;
} Writer;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
set_text (Writer     *writer,
          const char *font,
          double      width,
          const char *text)
{
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);

  pango_layout_set_font_description (writer->layout, description);
  pango_layout_set_width (writer->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (writer->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (writer->layout, text, -1);
}

static double
text_height (Writer *writer)
{
  int height;

  pango_layout_get_size (writer->layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static void
draw_text_at (Writer *writer,
              double  x,
              double  y)
{
  cairo_move_to (writer->cr, x, y);
  pango_cairo_show_layout (writer->cr, writer->layout);
}

/* The footer has a layout of its own: it is drawn at page breaks, while the
 * text being laid out waits in the writer's layout. */
static void
draw_footer (Writer *writer)
{
  g_autofree char *text = g_strdup_printf (_("%s — application no. %s — page %d"),
                                           writer->modulo->ente_name, writer->modulo->numero, writer->page);
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (writer->cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 7.5");

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) ((PAGE_WIDTH - 2 * MARGIN) * PANGO_SCALE));
  pango_layout_set_text (layout, text, -1);
  cairo_set_source_rgb (writer->cr, 0.4, 0.4, 0.4);
  cairo_move_to (writer->cr, MARGIN, PAGE_HEIGHT - MARGIN + 8);
  pango_cairo_show_layout (writer->cr, layout);
  cairo_set_source_rgb (writer->cr, 0, 0, 0);
}

/* Starts a new page when @height does not fit in what is left of this one. */
static void
make_room (Writer *writer,
           double  height)
{
  if (writer->y + height <= PAGE_HEIGHT - MARGIN - FOOTER)
    return;
  draw_footer (writer);
  cairo_show_page (writer->cr);
  writer->page++;
  writer->y = MARGIN;
}

static void
paragraph (Writer     *writer,
           const char *font,
           const char *text,
           double      space_after)
{
  double height;

  set_text (writer, font, PAGE_WIDTH - 2 * MARGIN, text);
  height = text_height (writer);
  make_room (writer, height);
  draw_text_at (writer, MARGIN, writer->y);
  writer->y += height + space_after;
}

static void
rule (Writer *writer)
{
  cairo_set_line_width (writer->cr, 0.6);
  cairo_move_to (writer->cr, MARGIN, writer->y);
  cairo_line_to (writer->cr, PAGE_WIDTH - MARGIN, writer->y);
  cairo_stroke (writer->cr);
  writer->y += 10;
}

/* A label on the left, its value on the right; a long value goes on over as
 * many pages as it needs, line by line. */
static void
label_value (Writer     *writer,
             guint       depth,
             const char *label,
             const char *value)
{
  double value_x = MARGIN + LABEL_WIDTH;
  g_autoptr(PangoLayout) value_layout = pango_layout_copy (writer->layout);
  g_autoptr(PangoFontDescription) bold = pango_font_description_from_string ("Sans Bold 9");
  PangoLayoutIter *iter;
  double label_height, top;

  pango_layout_set_font_description (value_layout, bold);
  pango_layout_set_width (value_layout, (int) ((PAGE_WIDTH - MARGIN - value_x) * PANGO_SCALE));
  pango_layout_set_wrap (value_layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (value_layout, value != NULL ? value : "—", -1);

  set_text (writer, "Sans 9", LABEL_WIDTH - depth * INDENT - 8, label);
  label_height = text_height (writer);
  make_room (writer, label_height);
  cairo_set_source_rgb (writer->cr, 0.3, 0.3, 0.3);
  draw_text_at (writer, MARGIN + depth * INDENT, writer->y);
  cairo_set_source_rgb (writer->cr, 0, 0, 0);

  top = writer->y;
  iter = pango_layout_get_iter (value_layout);
  do
    {
      PangoRectangle extents;
      double height;

      pango_layout_iter_get_line_extents (iter, NULL, &extents);
      height = (double) extents.height / PANGO_SCALE;
      make_room (writer, height);
      cairo_move_to (writer->cr, value_x,
                     writer->y + (double) (pango_layout_iter_get_baseline (iter) - extents.y) / PANGO_SCALE);
      pango_cairo_show_layout_line (writer->cr, pango_layout_iter_get_line_readonly (iter));
      writer->y += height;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  /* The label may be taller than a one-line value. */
  if (writer->y < top + label_height)
    writer->y = top + label_height;
  writer->y += 5;
}

static void
draw_modulo (Writer *writer)
{
  const SpModulo *modulo = writer->modulo;
  g_autofree char *title = g_strdup_printf (_("Application form — %s"), modulo->servizio_name);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (modulo->time_zone != NULL ? modulo->time_zone : "Europe/Rome");
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *submitted = NULL;
  g_autofree char *applicant = sp_person_format_name (modulo->applicant_cognome, modulo->applicant_nome);

  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (modulo->submitted_at, zone);
  submitted = g_date_time_format (local, "%d/%m/%Y %H:%M");

  paragraph (writer, "Sans Bold 14", modulo->ente_name, 2);
  if (modulo->place_name != NULL && *modulo->place_name != '\0')
    paragraph (writer, "Sans 9", modulo->place_name, 10);
  rule (writer);
  paragraph (writer, "Sans Bold 12", title, 10);

  label_value (writer, 0, _("Application no."), modulo->numero);
  label_value (writer, 0, _("Submitted on"), submitted);
  label_value (writer, 0, _("Applicant"), applicant);
  label_value (writer, 0, _("Codice fiscale"), modulo->applicant_cf);
  label_value (writer, 0, _("E-mail"), modulo->applicant_email);
  writer->y += 6;
  rule (writer);

  for (guint i = 0; i < writer->fields->len; i++)
    {
      const SpFormField *field = g_ptr_array_index (writer->fields, i);
      const char *label = field->labels[field->depth];

      if (field->is_group)
        {
          writer->y += 4;
          set_text (writer, "Sans Bold 10", PAGE_WIDTH - 2 * MARGIN, label);
          make_room (writer, text_height (writer) + 20);
          draw_text_at (writer, MARGIN + field->depth * INDENT, writer->y);
          writer->y += text_height (writer) + 5;
        }
      else
        label_value (writer, field->depth, label, field->value);
    }
  draw_footer (writer);
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
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  SpLocaleScope scope;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(SpValueFormat) format = sp_value_format_new (modulo->locale);
  Writer writer = { NULL };

  surface = cairo_pdf_surface_create_for_stream (write_cb, pdf, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, modulo->numero);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Sportello " PACKAGE_VERSION);
  if (modulo->created_at != NULL)
    {
      /* cairo takes ISO 8601 without fractions of a second. */
      g_autoptr(GDateTime) utc = g_date_time_to_utc (modulo->created_at);
      g_autofree char *date = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
    }

  sp_locale_push (&scope, sp_value_format_get_locale (format));
  /* The values as the detail shows them, in the ente's language: a checkbox reads "Sì". */
  fields = sp_form_flatten (modulo->schema, modulo->data, modulo->mask_sensitive, format);
  writer.fields = fields;
  writer.cr = cairo_create (surface);
  writer.layout = pango_cairo_create_layout (writer.cr);
  writer.modulo = modulo;
  writer.y = MARGIN;
  writer.page = 1;
  draw_modulo (&writer);
  g_object_unref (writer.layout);
  cairo_destroy (writer.cr);
  sp_locale_pop (&scope);

  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "Cannot draw the PDF: %s", cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}
