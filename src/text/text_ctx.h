/* text/text_ctx — the inside of pf_text_ctx, shared by the files of src/text only. */
#ifndef PF_TEXT_CTX_H
#define PF_TEXT_CTX_H

#include <unicode/ubrk.h>
#include <unicode/ucal.h>
#include <unicode/udat.h>

struct pf_text_ctx {
    UBreakIterator *line; /* ja@lb=strict; re-pointed at each paragraph by pf_text_breaks */
    UDateFormat *era;     /* pattern "G" on the Japanese calendar: prints only the era name */
    UCalendar *cal;       /* a Japanese calendar of the same type as era's, for the fields */
};

#endif
