/* unit.h — the smallest test harness: CHECK counts, main() prints the tally.
 *
 * Each tests/unit/test_*.c is its own program: it defines `void run_tests(void)` and includes
 * this header once. tests/run.sh runs every program and adds up their "unit: N passed, N failed"
 * lines. */
#ifndef PF_UNIT_H
#define PF_UNIT_H

#include <stdio.h>
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

void run_tests(void);

int main(void)
{
    run_tests();
    printf("unit: %d passed, %d failed\n", unit_passed, unit_failed);
    return unit_failed ? 1 : 0;
}

#endif
