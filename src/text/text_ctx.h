/* text/text_ctx — the inside of pf_text_ctx, shared by the files of src/text only. */
#ifndef PF_TEXT_CTX_H
#define PF_TEXT_CTX_H

#include <unicode/ubrk.h>
#include <unicode/ucal.h>
#include <unicode/udat.h>

#include "util/util.h"

struct pf_text_ctx {
    UBreakIterator *line; /* ja@lb=strict; re-pointed at each paragraph by pf_text_breaks */
    UBreakIterator *phrase; /* ja@lw=phrase (ICU's BudouX model): where phrases end */
    UDateFormat *era;     /* pattern "G" on the Japanese calendar: prints only the era name */
    UCalendar *cal;       /* a Japanese calendar of the same type as era's, for the fields */
};

/* An ICU failure as a pf_error. U_MEMORY_ALLOCATION_ERROR is the system's: exit 4 "out of
 * memory", never a broken ICU. Anything else is ICU's data or build (exit 3), named with
 * u_errorName. `what_ja`/`what_en` say what failed ("ICU の行分割を開けません"). */
int pf_icu_fail(pf_error *err, UErrorCode st, const char *what_ja, const char *what_en);

#endif
