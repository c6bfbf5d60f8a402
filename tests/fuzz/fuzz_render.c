/* fuzz_render — libFuzzer target over the raw bytes of a bundle: XML → model → check → layout →
 * PDF in memory, then check, schedule and draft-isp (harness.c). Built and run by
 * `make fuzz-render` (clang, -fsanitize=fuzzer,address,undefined), with inputs up to 1 MB. */
#include <stdint.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_pipeline(fuzz_engine(), (const char *)data, size);
    return 0;
}
