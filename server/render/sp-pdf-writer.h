#pragma once

/* What Sportello's PDFs are drawn with: A4 pages of paragraphs, rules and
 * label/value lines that flow over as many pages as they need, with a
 * footer on each. Private to server/render/. */

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* A4 in points, with 2 cm margins. */
#define SP_PDF_PAGE_WIDTH   595.28
#define SP_PDF_PAGE_HEIGHT  841.89
#define SP_PDF_MARGIN       56.7
#define SP_PDF_INDENT       14.0

typedef struct _SpPdfWriter SpPdfWriter;

/**
 * SpPdfFooterFunc:
 * @page: the page's number, from 1
 *
 * Returns: (transfer full): the footer of that page
 */
typedef char *(*SpPdfFooterFunc) (gconstpointer  data,
                                  int            page);

SpPdfWriter *sp_pdf_writer_new         (const char      *title,
                                        GDateTime       *created_at,
                                        SpPdfFooterFunc  footer,
                                        gconstpointer    footer_data) G_GNUC_WARN_UNUSED_RESULT;
GBytes      *sp_pdf_writer_finish      (SpPdfWriter  *writer,
                                        GError      **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_pdf_writer_paragraph   (SpPdfWriter  *writer,
                                        const char   *font,
                                        const char   *text,
                                        double        space_after);
void         sp_pdf_writer_block       (SpPdfWriter  *writer,
                                        double        x,
                                        const char   *font,
                                        const char   *text,
                                        double        space_after);
void         sp_pdf_writer_heading     (SpPdfWriter  *writer,
                                        guint         depth,
                                        const char   *font,
                                        const char   *text);
void         sp_pdf_writer_rule        (SpPdfWriter  *writer);
void         sp_pdf_writer_space       (SpPdfWriter  *writer,
                                        double        points);
/**
 * SpPdfCell:
 * @text: what the cell says
 * @width: its width in points, its padding included
 * @rgb: the colour of its text
 *
 * A cell of a row of sp_pdf_writer_row().
 */
typedef struct
{
  const char *text;
  double      width;
  double      rgb[3];
} SpPdfCell;

void         sp_pdf_writer_row         (SpPdfWriter     *writer,
                                        const char      *font,
                                        const SpPdfCell *cells,
                                        guint            n_cells,
                                        const double    *background);
void         sp_pdf_writer_label_value (SpPdfWriter  *writer,
                                        guint         depth,
                                        double        label_width,
                                        const char   *label,
                                        const char   *value);

G_END_DECLS
