/* sp-pdf-writer.c: A4 pages of flowing text for Sportello's PDFs, drawn with cairo and pango */
#define G_LOG_DOMAIN "sp-pdf"

#include "config.h"

#include <cairo-pdf.h>

#include "sp-error.h"
#include "sp-pdf-writer.h"

#define FOOTER 28.0

struct _SpPdfWriter
{
  GByteArray      *pdf;
  cairo_surface_t *surface;
  cairo_t         *cr;
  PangoLayout     *layout;
  SpPdfFooterFunc  footer;
  gconstpointer    footer_data;
  double           y;
  int              page;
};

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * sp_pdf_writer_new:
 * @title: the document's title (metadata)
 * @created_at: (nullable): the creation date; %NULL for now. A fixed date
 *   makes the same content render to the same bytes.
 * @footer: writes the footer of each page
 *
 * Starts a PDF on A4 pages, at the top of the first one.
 *
 * Returns: (transfer full): the writer, to end with sp_pdf_writer_finish()
 */
SpPdfWriter *
sp_pdf_writer_new (const char      *title,
                   GDateTime       *created_at,
                   SpPdfFooterFunc  footer,
                   gconstpointer    footer_data)
{
  SpPdfWriter *writer = g_new0 (SpPdfWriter, 1);

  writer->pdf = g_byte_array_new ();
  writer->surface = cairo_pdf_surface_create_for_stream (write_cb, writer->pdf, SP_PDF_PAGE_WIDTH, SP_PDF_PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (writer->surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (writer->surface, CAIRO_PDF_METADATA_CREATOR, "Sportello " PACKAGE_VERSION);
  if (created_at != NULL)
    {
      /* cairo takes ISO 8601 without fractions of a second. */
      g_autoptr(GDateTime) utc = g_date_time_to_utc (created_at);
      g_autofree char *date = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      cairo_pdf_surface_set_metadata (writer->surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
    }
  writer->cr = cairo_create (writer->surface);
  writer->layout = pango_cairo_create_layout (writer->cr);
  writer->footer = footer;
  writer->footer_data = footer_data;
  writer->y = SP_PDF_MARGIN;
  writer->page = 1;
  return writer;
}

static void
set_text (SpPdfWriter *writer,
          const char  *font,
          double       width,
          const char  *text)
{
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);

  pango_layout_set_font_description (writer->layout, description);
  pango_layout_set_width (writer->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (writer->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (writer->layout, text, -1);
}

static double
text_height (SpPdfWriter *writer)
{
  int height;

  pango_layout_get_size (writer->layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static void
draw_text_at (SpPdfWriter *writer,
              double       x,
              double       y)
{
  cairo_move_to (writer->cr, x, y);
  pango_cairo_show_layout (writer->cr, writer->layout);
}

/* The footer has a layout of its own: it is drawn at page breaks, while the
 * text being laid out waits in the writer's layout. */
static void
draw_footer (SpPdfWriter *writer)
{
  g_autofree char *text = writer->footer (writer->footer_data, writer->page);
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (writer->cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 7.5");

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) ((SP_PDF_PAGE_WIDTH - 2 * SP_PDF_MARGIN) * PANGO_SCALE));
  pango_layout_set_text (layout, text, -1);
  cairo_set_source_rgb (writer->cr, 0.4, 0.4, 0.4);
  cairo_move_to (writer->cr, SP_PDF_MARGIN, SP_PDF_PAGE_HEIGHT - SP_PDF_MARGIN + 8);
  pango_cairo_show_layout (writer->cr, layout);
  cairo_set_source_rgb (writer->cr, 0, 0, 0);
}

/* Starts a new page when @height does not fit in what is left of this one. */
static void
make_room (SpPdfWriter *writer,
           double       height)
{
  if (writer->y + height <= SP_PDF_PAGE_HEIGHT - SP_PDF_MARGIN - FOOTER)
    return;
  draw_footer (writer);
  cairo_show_page (writer->cr);
  writer->page++;
  writer->y = SP_PDF_MARGIN;
}

/**
 * sp_pdf_writer_block:
 * @x: where the block starts, from the left margin
 *
 * A paragraph that takes the width from @x to the right margin.
 */
void
sp_pdf_writer_block (SpPdfWriter *writer,
                     double       x,
                     const char  *font,
                     const char  *text,
                     double       space_after)
{
  double height;

  set_text (writer, font, SP_PDF_PAGE_WIDTH - 2 * SP_PDF_MARGIN - x, text);
  height = text_height (writer);
  make_room (writer, height);
  draw_text_at (writer, SP_PDF_MARGIN + x, writer->y);
  writer->y += height + space_after;
}

void
sp_pdf_writer_paragraph (SpPdfWriter *writer,
                         const char  *font,
                         const char  *text,
                         double       space_after)
{
  sp_pdf_writer_block (writer, 0, font, text, space_after);
}

/**
 * sp_pdf_writer_heading:
 *
 * A section's title, kept on the page of what follows it.
 */
void
sp_pdf_writer_heading (SpPdfWriter *writer,
                       guint        depth,
                       const char  *font,
                       const char  *text)
{
  writer->y += 4;
  set_text (writer, font, SP_PDF_PAGE_WIDTH - 2 * SP_PDF_MARGIN - depth * SP_PDF_INDENT, text);
  make_room (writer, text_height (writer) + 20);
  draw_text_at (writer, SP_PDF_MARGIN + depth * SP_PDF_INDENT, writer->y);
  writer->y += text_height (writer) + 5;
}

void
sp_pdf_writer_rule (SpPdfWriter *writer)
{
  cairo_set_line_width (writer->cr, 0.6);
  cairo_move_to (writer->cr, SP_PDF_MARGIN, writer->y);
  cairo_line_to (writer->cr, SP_PDF_PAGE_WIDTH - SP_PDF_MARGIN, writer->y);
  cairo_stroke (writer->cr);
  writer->y += 10;
}

void
sp_pdf_writer_space (SpPdfWriter *writer,
                     double       points)
{
  writer->y += points;
}

/**
 * sp_pdf_writer_label_value:
 * @value: (nullable): shown as a dash when missing
 *
 * A label on the left, its value on the right; a long value goes on over as
 * many pages as it needs, line by line.
 */
void
sp_pdf_writer_label_value (SpPdfWriter *writer,
                           guint        depth,
                           double       label_width,
                           const char  *label,
                           const char  *value)
{
  double value_x = SP_PDF_MARGIN + label_width;
  g_autoptr(PangoLayout) value_layout = pango_layout_copy (writer->layout);
  g_autoptr(PangoFontDescription) bold = pango_font_description_from_string ("Sans Bold 9");
  PangoLayoutIter *iter;
  double label_height, top;

  pango_layout_set_font_description (value_layout, bold);
  pango_layout_set_width (value_layout, (int) ((SP_PDF_PAGE_WIDTH - SP_PDF_MARGIN - value_x) * PANGO_SCALE));
  pango_layout_set_wrap (value_layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (value_layout, value != NULL ? value : "—", -1);

  set_text (writer, "Sans 9", label_width - depth * SP_PDF_INDENT - 8, label);
  label_height = text_height (writer);
  make_room (writer, label_height);
  cairo_set_source_rgb (writer->cr, 0.3, 0.3, 0.3);
  draw_text_at (writer, SP_PDF_MARGIN + depth * SP_PDF_INDENT, writer->y);
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

#define CELL_PADDING 3.0

/**
 * sp_pdf_writer_row:
 * @cells: (array length=n_cells): the cells, left to right from the margin
 * @background: (nullable): the rgb the row is drawn on
 *
 * A row of a table: each cell wraps in its width, and a row taller than
 * what is left of the page goes on over the next, line by line, so a long
 * value is never cut. A thin rule closes the row.
 */
void
sp_pdf_writer_row (SpPdfWriter     *writer,
                   const char      *font,
                   const SpPdfCell *cells,
                   guint            n_cells,
                   const double    *background)
{
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);
  g_autoptr(GPtrArray) layouts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree PangoLayoutIter **iters = g_new0 (PangoLayoutIter *, n_cells);
  double row_width = 0;
  gboolean more = TRUE;

  for (guint i = 0; i < n_cells; i++)
    {
      PangoLayout *layout = pango_layout_copy (writer->layout);

      pango_layout_set_font_description (layout, description);
      pango_layout_set_width (layout, (int) ((cells[i].width - 2 * CELL_PADDING) * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_text (layout, cells[i].text != NULL ? cells[i].text : "", -1);
      g_ptr_array_add (layouts, layout);
      iters[i] = pango_layout_get_iter (layout);
      row_width += cells[i].width;
    }

  writer->y += CELL_PADDING;
  for (guint line = 0; more; line++)
    {
      double height = 0;

      /* The line's height: the tallest of the cells that still have a line. */
      for (guint i = 0; i < n_cells; i++)
        if (iters[i] != NULL)
          {
            PangoRectangle extents;

            pango_layout_iter_get_line_extents (iters[i], NULL, &extents);
            height = MAX (height, (double) extents.height / PANGO_SCALE);
          }
      make_room (writer, height);
      if (background != NULL)
        {
          cairo_set_source_rgb (writer->cr, background[0], background[1], background[2]);
          cairo_rectangle (writer->cr, SP_PDF_MARGIN, writer->y - (line == 0 ? CELL_PADDING : 0), row_width,
                           height + (line == 0 ? CELL_PADDING : 0) + 0.5);
          cairo_fill (writer->cr);
        }

      more = FALSE;
      for (guint i = 0; i < n_cells; i++)
        {
          double cell_x = SP_PDF_MARGIN + CELL_PADDING;
          PangoRectangle extents;

          for (guint j = 0; j < i; j++)
            cell_x += cells[j].width;
          if (iters[i] == NULL)
            continue;
          pango_layout_iter_get_line_extents (iters[i], NULL, &extents);
          cairo_set_source_rgb (writer->cr, cells[i].rgb[0], cells[i].rgb[1], cells[i].rgb[2]);
          cairo_move_to (writer->cr, cell_x,
                         writer->y + (double) (pango_layout_iter_get_baseline (iters[i]) - extents.y) / PANGO_SCALE);
          pango_cairo_show_layout_line (writer->cr, pango_layout_iter_get_line_readonly (iters[i]));
          if (pango_layout_iter_next_line (iters[i]))
            more = TRUE;
          else
            g_clear_pointer (&iters[i], pango_layout_iter_free);
        }
      writer->y += height;
    }
  cairo_set_source_rgb (writer->cr, 0.8, 0.8, 0.8);
  writer->y += CELL_PADDING;
  cairo_set_line_width (writer->cr, 0.4);
  cairo_move_to (writer->cr, SP_PDF_MARGIN, writer->y);
  cairo_line_to (writer->cr, SP_PDF_MARGIN + row_width, writer->y);
  cairo_stroke (writer->cr);
  cairo_set_source_rgb (writer->cr, 0, 0, 0);
}

/**
 * sp_pdf_writer_finish:
 *
 * Draws the last page's footer and ends the PDF; frees @writer.
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set
 */
GBytes *
sp_pdf_writer_finish (SpPdfWriter  *writer,
                      GError      **error)
{
  g_autoptr(GByteArray) pdf = writer->pdf;
  cairo_status_t status;

  draw_footer (writer);
  g_object_unref (writer->layout);
  cairo_destroy (writer->cr);
  cairo_surface_finish (writer->surface);
  status = cairo_surface_status (writer->surface);
  cairo_surface_destroy (writer->surface);
  g_free (writer);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "Cannot draw the PDF: %s", cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}
