#pragma once

/* The responses the tests receive, recorded for tests/check-responses.py.
 *
 * When SPORTELLO_TEST_RESPONSES names a directory, every response read by
 * sp_test_send() is appended to DIR/<program>.jsonl, one JSON object a line:
 * test, method, path (without query), status, content_type, and body (JSON
 * bodies only; others record their size). sp_test_env_stop() then validates
 * them against data/openapi.json with SPORTELLO_TEST_PYTHON. */

#include <libsoup/soup.h>

#include "sp-test-http.h"

G_BEGIN_DECLS

void   sp_test_responses_record  (SoupMessage     *message,
                                  SpTestResponse  *response);
char  *sp_test_responses_check   (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
