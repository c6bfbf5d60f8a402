/* text/breaks — line-break opportunities for a UTF-8 paragraph.
 *
 * ICU's line iterator (ja@lb=strict) proposes the breaks; each soft break is then checked
 * against our own JLReq kinsoku rules and dropped if it violates one. ICU strict already
 * follows them nearly everywhere, but its tailorings have shifted between versions (UAX #14
 * changed quotation and East Asian rules in 2023), and a form printed with 。 at the start of
 * a line is wrong whatever the reason. We only ever drop breaks, never add them.
 *
 * ICU reads the UTF-8 directly through a UText, so the boundaries it reports are already
 * byte offsets: no UTF-16 copy, no offset mapping, and a boundary can never fall inside a
 * multi-byte character or between the halves of a surrogate pair. */
#include "text/text.h"
#include "text/text_ctx.h"

#include <stdint.h>
#include <stdlib.h>

#include <unicode/uchar.h>
#include <unicode/utext.h>

/* ---- UTF-8 helpers: the input is validated first, so decoding cannot fail ---------------- */

static uint32_t cp_at(const char *s, size_t len, size_t pos, size_t *end)
{
    size_t i = pos;
    int32_t cp = pf_utf8_next(s, len, &i);
    *end = i;
    return cp < 0 ? 0 : (uint32_t)cp;
}

static uint32_t cp_before(const char *s, size_t len, size_t pos, size_t *start)
{
    size_t i = pos;
    do
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
    *start = i;
    size_t end;
    return cp_at(s, len, i, &end);
}

static int check_utf8(const char *s, size_t len, pf_error *err)
{
    for (size_t i = 0; i < len;) {
        size_t at = i;
        if (pf_utf8_next(s, len, &i) < 0)
            return pf_error_setf(err, PF_EXIT_INVALID, PF_CODE_XML_ENCODING, NULL, 0, NULL, NULL,
                                 "文字コードが UTF-8 として正しくありません（%zu バイト目）",
                                 "malformed UTF-8 at byte %zu", at);
    }
    return 0;
}

/* ---- The rules ICU is checked against ------------------------------------------------- */

/* Breaks that would split what is drawn as one character: CR LF, a base and its variation
 * selector (葛󠄀 = U+845B U+E0100) or combining mark, a ZWJ sequence. These apply to
 * mandatory breaks too. */
static int splits_cluster(uint32_t prev, uint32_t next)
{
    if (prev == '\r' && next == '\n')
        return 1;
    if (pf_text_is_variation_selector(next) || prev == 0x200D)
        return 1;
    int lb = u_getIntPropertyValue((UChar32)next, UCHAR_LINE_BREAK);
    return lb == U_LB_COMBINING_MARK || lb == U_LB_ZWJ;
}

/* ——, ……, ‥‥ (JLReq cl-08) stay whole. ― U+2015 is what many Japanese IMEs type for —. */
static int inseparable(uint32_t prev, uint32_t next)
{
    int dash_p = prev == 0x2014 || prev == 0x2015, dash_n = next == 0x2014 || next == 0x2015;
    if (dash_p && dash_n)
        return 1;
    return prev == next && (prev == 0x2025 || prev == 0x2026);
}

static int is_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

static int is_numeral_sep(uint32_t cp)
{
    return cp == ',' || cp == '.' || cp == ':' || cp == 0xFF0C || cp == 0xFF0E || cp == 0xFF1A;
}

/* Inside 9,300 / 12:30 / 3.5 (full-width digits too: ９，３００ must not split either).
 * Only the side after the separator needs a look further back; a break before the
 * separator is already refused because , . : cannot start a line. */
static int inside_numeral(const char *s, size_t len, size_t prev_start, uint32_t prev,
                          uint32_t next)
{
    if (is_digit(prev) && is_digit(next))
        return 1;
    if (!is_numeral_sep(prev) || !is_digit(next) || prev_start == 0)
        return 0;
    size_t unused;
    return is_digit(cp_before(s, len, prev_start, &unused));
}

static int after_newline(const char *s, size_t len, size_t pos, uint32_t prev)
{
    switch (prev) {
    case '\n': case 0x0B: case 0x0C: case 0x85: case 0x2028: case 0x2029:
        return 1;
    case '\r':
        return pos >= len || s[pos] != '\n';
    default:
        return 0;
    }
}

/* Decides one break ICU proposed at s[pos] (0 < pos < len); *mandatory may be raised,
 * never lowered. */
static int keep_break(const char *s, size_t len, size_t pos, int *mandatory)
{
    if (((unsigned char)s[pos] & 0xC0) == 0x80)
        return 0;
    size_t prev_start, next_end;
    uint32_t prev = cp_before(s, len, pos, &prev_start);
    uint32_t next = cp_at(s, len, pos, &next_end);
    if (splits_cluster(prev, next))
        return 0;
    if (after_newline(s, len, pos, prev))
        *mandatory = 1;
    if (*mandatory)
        return 1;
    if (pf_text_no_line_start(next) || pf_text_no_line_end(prev))
        return 0;
    if (inseparable(prev, next))
        return 0;
    if (pf_text_class(prev) == PF_CC_LATIN && pf_text_class(next) == PF_CC_LATIN)
        return 0;
    return !inside_numeral(s, len, prev_start, prev, next);
}

int pf_text_break_allowed(const char *s, size_t len, size_t pos)
{
    if (pos == 0 || pos >= len)
        return 0;
    int mandatory = 0;
    return keep_break(s, len, pos, &mandatory);
}

/* ---- Driving ICU ------------------------------------------------------------------------ */

static int is_hard(int32_t status)
{
    return status >= UBRK_LINE_HARD && status < UBRK_LINE_HARD_LIMIT;
}

static void collect(UBreakIterator *it, const char *s, size_t len, pf_break **out, size_t *n)
{
    size_t cap = 0;
    ubrk_first(it);
    for (int32_t p = ubrk_next(it); p != UBRK_DONE && (size_t)p < len; p = ubrk_next(it)) {
        int mandatory = is_hard(ubrk_getRuleStatus(it));
        if (!keep_break(s, len, (size_t)p, &mandatory))
            continue;
        PF_GROW(*out, *n, cap);
        (*out)[(*n)++] = (pf_break){(size_t)p, mandatory};
    }
}

int pf_text_breaks(pf_text_ctx *ctx, const char *s, size_t len, pf_break **out, size_t *n,
                   pf_error *err)
{
    *out = NULL;
    *n = 0;
    if (len > INT32_MAX)
        return pf_error_set(err, PF_EXIT_INVALID, PF_CODE_FIELD_TOO_LONG, NULL, 0, NULL, NULL,
                            "文章が長すぎます", "paragraph too long");
    int rc = check_utf8(s, len, err);
    if (rc)
        return rc;
    if (len == 0)
        return 0;
    UErrorCode st = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, s, (int64_t)len, &st);
    /* The iterator keeps its own shallow clone of `ut`, still pointing into s; it is
     * re-pointed by the next call before it is used again, so closing ours here is safe. */
    ubrk_setUText(ctx->line, &ut, &st);
    if (U_SUCCESS(st))
        collect(ctx->line, s, len, out, n);
    utext_close(&ut);
    if (U_FAILURE(st))
        return pf_icu_fail(err, st, "ICU の行分割に失敗しました", "ICU line breaking failed");
    return 0;
}
