/* fuzz_generate — libFuzzer target whose input drives a bundle generator (gen.c): realistic
 * bundles of real sizes (long names, fields of tens of thousands of characters, dozens of
 * needs, spans and goals), mutated structurally, through the same path as fuzz_render. Built
 * and run by `make fuzz-generate`; build/fuzz/gen_xml turns an input into its XML. */
#include <stdint.h>

#include "gen.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pf_buf xml = {0};
    pf_gen_bundle(data, size, &xml);
    fuzz_pipeline(fuzz_engine(), xml.data, xml.len);
    pf_buf_free(&xml);
    return 0;
}
