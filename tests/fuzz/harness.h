/* harness — what the fuzz targets share: the engine loaded once per process (as a batch worker
 * does; that one process-wide pointer is the harness's, not planform's), and the whole path a
 * bundle takes, with the checks that make a wrong answer a finding and not only a crash. */
#ifndef PF_FUZZ_HARNESS_H
#define PF_FUZZ_HARNESS_H

#include <stddef.h>

#include "render.h"

/* The engine on the data directory planform was built with (templates/, fonts/). */
pf_engine *fuzz_engine(void);

/* XML → model → check → layout → PDF in memory, all forms, as `render` and `batch` do; then
 * the consistency rules, the monitoring schedule and draft-isp on what was read. A status
 * other than 0 or 1 (the input is invalid), an error without a message or a PDF that is not one
 * aborts: bad input must never look like a broken installation. */
void fuzz_pipeline(pf_engine *e, const char *xml, size_t len);

/* Abort with a message: libFuzzer keeps the input as a crash. */
_Noreturn void fuzz_fail(const char *what, const pf_error *err);

#endif
