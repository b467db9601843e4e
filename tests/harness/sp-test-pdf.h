#pragma once

/* What a PDF the server made says and looks like, with poppler-utils
 * (installed by build-aux/setup). */

#include <glib.h>

G_BEGIN_DECLS

char *sp_test_pdf_text (GBytes     *pdf) G_GNUC_WARN_UNUSED_RESULT;
char *sp_test_pdf_png  (GBytes     *pdf,
                        const char *name) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
