/* sp-compare-pdf.c: the comparison of two versions of a pratica as a PDF, drawn with cairo and pango */
#define G_LOG_DOMAIN "sp-pdf"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-audit.h"
#include "sp-compare-pdf.h"
#include "sp-locale.h"
#include "sp-pdf-writer.h"
#include "sp-value-format.h"
#include "sp-version-compare.h"

#define TIME_ZONE      "Europe/Rome"
#define CONTENT_WIDTH  (SP_PDF_PAGE_WIDTH - 2 * SP_PDF_MARGIN)
#define CHANGE_WIDTH   82.0
#define FIELD_WIDTH    120.0
#define VALUE_WIDTH    ((CONTENT_WIDTH - CHANGE_WIDTH - FIELD_WIDTH) / 2)

/* The seed's colour code, dark enough to read on white, and a light tint
 * of it behind the rows that changed; the sign and the word repeat it
 * for whoever prints in black and white. */
typedef struct
{
  const char *sign;
  double      text[3];
  double      tint[3];
} ChangeStyle;

static const ChangeStyle styles[] = {
  [SP_CHANGE_UNCHANGED] = { "=", { 0.0, 0.0, 0.0 }, { 1.0, 1.0, 1.0 } },
  [SP_CHANGE_ADDED] = { "+", { 0.05, 0.45, 0.18 }, { 0.90, 0.97, 0.91 } },
  [SP_CHANGE_CHANGED] = { "≠", { 0.55, 0.38, 0.0 }, { 1.0, 0.96, 0.82 } },
  [SP_CHANGE_REMOVED] = { "−", { 0.70, 0.10, 0.10 }, { 0.99, 0.91, 0.91 } },
};

static SpAuditChange
audit_change (SpChange change)
{
  switch (change)
    {
    case SP_CHANGE_ADDED:
      return SP_AUDIT_CHANGE_ADDED;
    case SP_CHANGE_CHANGED:
      return SP_AUDIT_CHANGE_CHANGED;
    case SP_CHANGE_REMOVED:
      return SP_AUDIT_CHANGE_REMOVED;
    case SP_CHANGE_UNCHANGED:
    default:
      return SP_AUDIT_CHANGE_UNCHANGED;
    }
}

/* The ente's: times read as its offices read them, wherever the server runs. */
/* A value as people read it; a number from its text, exactly as stored. */
static char *
value_text (JsonNode            *value,
            const char          *number,
            const char          *path,
            const SpValueFormat *format)
{
  if (number != NULL)
    return sp_audit_number_to_text (number, path, format);
  return sp_audit_value_to_text (value, path, format);
}

static GTimeZone *
ente_time_zone (void)
{
  GTimeZone *zone = g_time_zone_new_identifier (TIME_ZONE);

  return zone != NULL ? zone : g_time_zone_new_utc ();
}

/**
 * sp_compare_pdf_filename:
 *
 * Returns: (transfer full): `confronto-2026-000123-v3-v4.pdf`
 */
char *
sp_compare_pdf_filename (const SpComparePdf *compare)
{
  return g_strdup_printf ("confronto-%s-v%d-v%d.pdf", compare->numero, compare->from.number, compare->to.number);
}

/* What drawing needs besides the comparison: values read in the ente's
 * language and time zone. */
typedef struct
{
  const SpComparePdf *compare;
  SpValueFormat      *format;
} Render;

static char *
compare_footer (gconstpointer data,
                int           page)
{
  const Render *render = data;
  const SpComparePdf *compare = render->compare;
  g_autofree char *at = sp_value_format_datetime (render->format, compare->created_at);

  /* Translators: the footer of each page of a comparison: the pratica,
   * the two versions, who printed it and when, the page */
  return g_strdup_printf (_("Pratica %s — versions %d and %d — printed by %s on %s — page %d"), compare->numero,
                          compare->from.number, compare->to.number, compare->auditor, at, page);
}

static void
draw_side (SpPdfWriter            *writer,
           const Render           *render,
           const char             *label,
           const SpComparePdfSide *side)
{
  g_autofree char *at = sp_value_format_datetime (render->format, side->at);
  /* Translators: one side of a comparison: version, operation, who (role), when */
  g_autofree char *text = g_strdup_printf (_("version %d · %s · %s (%s) · %s"), side->number, side->operation,
                                           side->user, side->role != NULL ? side->role : "—", at);

  sp_pdf_writer_label_value (writer, 0, FIELD_WIDTH, label, text);
}

static void
draw_heading (SpPdfWriter  *writer,
              const Render *render,
              const guint  *counts)
{
  const SpComparePdf *compare = render->compare;
  g_autofree char *title = g_strdup_printf (_("Comparison of versions — pratica %s"), compare->numero);
  g_autofree char *summary = NULL;

  sp_pdf_writer_paragraph (writer, "Sans Bold 13", title, 4);
  /* Translators: under the title of a comparison: applicant · service */
  summary = g_strdup_printf (_("%s · %s"), compare->applicant, compare->servizio);
  sp_pdf_writer_paragraph (writer, "Sans 9", summary, 10);
  sp_pdf_writer_rule (writer);
  draw_side (writer, render, _("Old value"), &compare->from);
  draw_side (writer, render, _("New value"), &compare->to);
  sp_pdf_writer_space (writer, 6);

  /* The legend, with how many fields changed in each way. */
  {
    g_autoptr(GString) legend = g_string_new (NULL);
    static const SpChange order[] = { SP_CHANGE_ADDED, SP_CHANGE_CHANGED, SP_CHANGE_REMOVED, SP_CHANGE_UNCHANGED };

    for (guint i = 0; i < G_N_ELEMENTS (order); i++)
      g_string_append_printf (legend, "%s%s %s: %u", i > 0 ? "    " : "", styles[order[i]].sign,
                              sp_audit_change_get_label (audit_change (order[i])), counts[order[i]]);
    sp_pdf_writer_paragraph (writer, "Sans 9", legend->str, 8);
  }
}

/**
 * sp_compare_pdf_render:
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set
 */
GBytes *
sp_compare_pdf_render (const SpComparePdf  *compare,
                       GError             **error)
{
  g_autofree char *title = sp_compare_pdf_filename (compare);
  g_autoptr(SpValueFormat) format = sp_value_format_new (compare->locale);
  g_autoptr(GTimeZone) zone = ente_time_zone ();
  Render render = { compare, format };
  guint counts[SP_CHANGE_REMOVED + 1] = { 0 };
  SpLocaleScope scope;
  SpPdfWriter *writer;
  GBytes *pdf;

  for (guint i = 0; i < compare->fields->len; i++)
    counts[((SpCompareField *) g_ptr_array_index (compare->fields, i))->change]++;

  sp_value_format_set_time_zone (format, zone);
  sp_locale_push (&scope, compare->locale != NULL ? compare->locale : "it_IT");
  writer = sp_pdf_writer_new (title, compare->created_at, compare_footer, &render);
  draw_heading (writer, &render, counts);
  {
    const SpPdfCell header[] = {
      { C_("audit column", "Change"), CHANGE_WIDTH, { 0.3, 0.3, 0.3 } },
      { _("Field"), FIELD_WIDTH, { 0.3, 0.3, 0.3 } },
      { _("Old value"), VALUE_WIDTH, { 0.3, 0.3, 0.3 } },
      { _("New value"), VALUE_WIDTH, { 0.3, 0.3, 0.3 } },
    };

    sp_pdf_writer_row (writer, "Sans Bold 8.5", header, G_N_ELEMENTS (header), NULL);
  }
  for (guint i = 0; i < compare->fields->len; i++)
    {
      SpCompareField *field = g_ptr_array_index (compare->fields, i);
      const ChangeStyle *style = &styles[field->change];
      g_autofree char *change = g_strdup_printf ("%s %s", style->sign,
                                                 sp_audit_change_get_label (audit_change (field->change)));
      g_autofree char *label = g_strjoinv (" › ", field->labels);
      g_autofree char *old_text = value_text (field->old_value, field->old_number, field->path, format);
      g_autofree char *new_text = value_text (field->new_value, field->new_number, field->path, format);
      const SpPdfCell cells[] = {
        { change, CHANGE_WIDTH, { style->text[0], style->text[1], style->text[2] } },
        { label, FIELD_WIDTH, { 0, 0, 0 } },
        { *old_text != '\0' ? old_text : "—", VALUE_WIDTH, { style->text[0], style->text[1], style->text[2] } },
        { *new_text != '\0' ? new_text : "—", VALUE_WIDTH, { style->text[0], style->text[1], style->text[2] } },
      };

      sp_pdf_writer_row (writer, "Sans 8.5", cells, G_N_ELEMENTS (cells),
                         field->change != SP_CHANGE_UNCHANGED ? style->tint : NULL);
    }
  pdf = sp_pdf_writer_finish (writer, error);
  sp_locale_pop (&scope);
  return pdf;
}
