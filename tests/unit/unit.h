/* unit.h — the smallest test harness: CHECK counts, main() prints the tally.
 *
 * Each tests/unit/test_*.c is its own program: it defines `void run_tests(void)` and includes
 * this header once. tests/run.sh runs every program and adds up their "unit: N passed, N failed"
 * lines. */
#ifndef PF_UNIT_H
#define PF_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_passed, unit_failed;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (cond) {                                                                    \
            unit_passed++;                                                             \
        } else {                                                                       \
            unit_failed++;                                                             \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);            \
        }                                                                              \
    } while (0)

#define CHECK_STR(got, want)                                                           \
    do {                                                                               \
        const char *g_ = (got), *w_ = (want);                                          \
        if (g_ && w_ && strcmp(g_, w_) == 0) {                                         \
            unit_passed++;                                                             \
        } else {                                                                       \
            unit_failed++;                                                             \
            fprintf(stderr, "FAIL %s:%d: %s\n  got:  %s\n  want: %s\n", __FILE__,      \
                    __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");           \
        }                                                                              \
    } while (0)

/* A test file's bytes (up to 1 MiB), NUL-terminated; NULL if it cannot be read. Free it. */
static inline char *unit_read(const char *path, size_t *len)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc((1 << 20) + 1);
    *len = buf ? fread(buf, 1, 1 << 20, f) : 0;
    if (buf)
        buf[*len] = 0;
    fclose(f);
    return buf;
}

void run_tests(void);

int main(void)
{
    run_tests();
    printf("unit: %d passed, %d failed\n", unit_passed, unit_failed);
    return unit_failed ? 1 : 0;
}

#endif
