#pragma once

/* Every fuzz target defines the libFuzzer entry point. Built without libFuzzer,
 * sp-fuzz-replay.c gives it a main() that replays a corpus as TAP. */

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

G_END_DECLS
