#pragma once

/* CSV files for the spreadsheets Italian offices use: RFC 4180 (CRLF line
 * ends, fields with a separator, a quote or a line end between double
 * quotes, quotes doubled), with the semicolon as separator (Excel with
 * Italian settings uses the comma as decimal separator) and a UTF-8 byte
 * order mark (without which Excel reads Windows-1252 and garbles accents).
 * Text a spreadsheet would run as a formula (=, +, -, @ first) gets an
 * apostrophe before it (CSV injection). */

#include <glib.h>

G_BEGIN_DECLS

#define SP_CSV_SEPARATOR ';'

void sp_csv_begin        (GString    *csv);
void sp_csv_append_field (GString    *csv,
                          const char *value,
                          gboolean    text);
void sp_csv_end_record   (GString    *csv);

G_END_DECLS
