#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SpValueFormat:
 *
 * How values read in one language (an ente's `locale`, such as `it_IT`):
 * *Sì* or *No*, dates as `15/03/2026`, numbers as `1.234,5`. The conventions
 * come from the system's locale data and the app's translations, read once
 * when the format is made; the process's own locale plays no part, so a
 * server running in `C.UTF-8` writes an Italian ente's values in Italian.
 */
typedef struct _SpValueFormat SpValueFormat;

SpValueFormat *sp_value_format_new         (const char          *locale) G_GNUC_WARN_UNUSED_RESULT;
void           sp_value_format_free        (SpValueFormat       *format);
const char    *sp_value_format_get_locale  (const SpValueFormat *format);
void           sp_value_format_set_time_zone (SpValueFormat     *format,
                                            GTimeZone           *time_zone);
char          *sp_value_format_datetime    (const SpValueFormat *format,
                                            GDateTime           *datetime) G_GNUC_WARN_UNUSED_RESULT;
char          *sp_value_format_boolean     (const SpValueFormat *format,
                                            gboolean             value) G_GNUC_WARN_UNUSED_RESULT;
char          *sp_value_format_integer     (const SpValueFormat *format,
                                            gint64               value) G_GNUC_WARN_UNUSED_RESULT;
char          *sp_value_format_double      (const SpValueFormat *format,
                                            double               value) G_GNUC_WARN_UNUSED_RESULT;
char          *sp_value_format_decimal     (const SpValueFormat *format,
                                            const char          *text) G_GNUC_WARN_UNUSED_RESULT;
char          *sp_value_format_date        (const SpValueFormat *format,
                                            const char          *iso_date) G_GNUC_WARN_UNUSED_RESULT;
char          *sp_locale_name_utf8         (const char          *locale) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpValueFormat, sp_value_format_free)

G_END_DECLS
