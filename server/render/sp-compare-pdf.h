#pragma once

/* The comparison of two versions of a pratica as a PDF (DESIGN.md §7,
 * Audit): what an auditor files or hands to a judge. Every field listed,
 * with both values in full and how it changed, in the seed's colours and in
 * words. */

#include <glib.h>

G_BEGIN_DECLS

/**
 * SpComparePdfSide:
 * @number: the version
 * @operation: what made it (*Salvataggio*)
 * @user, @role: who, with the role they had then
 * @at: when
 */
typedef struct
{
  int          number;
  const char  *operation;
  const char  *user;
  const char  *role;
  GDateTime   *at;
} SpComparePdfSide;

/**
 * SpComparePdf:
 * @locale: the ente's language
 * @numero, @applicant, @servizio: the pratica
 * @auditor: who asked for the PDF
 * @fields: (element-type SpCompareField): the comparison (sp_version_compare())
 * @created_at: when the PDF is drawn (also its creation date)
 */
typedef struct
{
  const char        *locale;
  const char        *numero;
  const char        *applicant;
  const char        *servizio;
  const char        *auditor;
  SpComparePdfSide   from;
  SpComparePdfSide   to;
  GPtrArray         *fields;
  GDateTime         *created_at;
} SpComparePdf;

char   *sp_compare_pdf_filename (const SpComparePdf  *compare) G_GNUC_WARN_UNUSED_RESULT;
GBytes *sp_compare_pdf_render   (const SpComparePdf  *compare,
                                 GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
