/* gen_xml — the bundle fuzz_generate renders for an input: `gen_xml INPUT [OUT.xml]` writes the
 * XML (to standard output without OUT). For turning a crash of fuzz_generate into a regression
 * file that `make test` replays with planform itself (tests/fuzz/regressions/), and for large
 * realistic seeds for fuzz_render. */
#include <stdio.h>
#include <stdlib.h>

#include "util/files.h"
#include "gen.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: gen_xml INPUT [OUT.xml]\n");
        return 2;
    }
    pf_error err = {0};
    char *data = NULL;
    size_t len = 0;
    if (pf_read_file(argv[1], &data, &len, &err)) {
        pf_error_print(&err);
        return err.status;
    }
    pf_buf xml = {0};
    pf_gen_bundle((const unsigned char *)data, len, &xml);
    int rc = pf_write_file_atomic(argc == 3 ? argv[2] : "-", xml.data, xml.len, 0644, &err);
    if (rc)
        pf_error_print(&err);
    pf_buf_free(&xml);
    free(data);
    return rc;
}
