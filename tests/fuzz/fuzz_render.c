/* fuzz_render — libFuzzer target over the whole path: XML → model → check → layout → PDF, in
 * memory. Built and run by `make fuzz` (clang, -fsanitize=fuzzer,address,undefined).
 *
 * The engine (schema, templates, fonts, ICU) is loaded once, as a batch worker does; that one
 * process-wide pointer is the harness's, not planform's. */
#include <stdint.h>
#include <stdlib.h>

#include "check/check.h"
#include "render.h"

static pf_engine engine;
static int engine_ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine_ready) {
        pf_error err = {0};
        if (pf_engine_open(&engine, NULL, 1, NULL, &err)) {
            pf_error_print(&err);
            abort();
        }
        engine_ready = 1;
    }
    pf_error err = {0};
    unsigned char *pdf = NULL;
    size_t len = 0;
    pf_render(&engine, "fuzz.xml", (const char *)data, size, PF_FORM_ALL, &pdf, &len, &err);
    free(pdf);
    /* the consistency rules and the schedule see the same bundles */
    pf_error err2 = {0};
    pf_bundle *b = pf_bundle_read(engine.schema, "fuzz.xml", (const char *)data, size, &err2);
    if (b) {
        pf_findings fs = {0};
        pf_check(b, 20250101, &fs);
        pf_findings_free(&fs);
        pf_bundle_free(b);
    }
    return 0;
}
