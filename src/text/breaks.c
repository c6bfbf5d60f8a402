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
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
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
    if (inside_numeral(s, len, prev_start, prev, next))
        return 0;
    /* 3か月, 6ヶ月: the counter stays whole even where a line must break inside a phrase
     * (a box's last line before the 別紙 read 「3か」 and the sheet 「月ごと」) */
    size_t unused;
    return !((prev == 0x304B || prev == 0x30F6 || prev == 0x30F5 || prev == 0x30AB) &&
             next == 0x6708 && prev_start > 0 && is_digit(cp_before(s, len, prev_start, &unused)));
}

/* ---- Phrases ------------------------------------------------------------------------------ */

enum { SCRIPT_OTHER, SCRIPT_HAN, SCRIPT_HIRAGANA, SCRIPT_KATAKANA };

static int script_of(uint32_t cp)
{
    if (cp == 0x3005 || cp == 0x3006 || cp == 0x30F6 || cp == 0x30F5)  /* 々 〆 ヶ ヵ */
        return SCRIPT_HAN;
    if (cp == 0x30FC)  /* ー belongs to the kana word it lengthens */
        return SCRIPT_KATAKANA;
    switch (u_getIntPropertyValue((UChar32)cp, UCHAR_SCRIPT)) {
    case USCRIPT_HAN: return SCRIPT_HAN;
    case USCRIPT_HIRAGANA: return SCRIPT_HIRAGANA;
    case USCRIPT_KATAKANA: return SCRIPT_KATAKANA;
    default: return SCRIPT_OTHER;
    }
}

static int is_range_mark(uint32_t cp)
{
    return cp == 0xFF5E || cp == 0x301C || cp == '~' || cp == '-' || cp == 0x2013 || cp == 0x2212;
}

/* 年, 月, 週, 日, 毎: the words a frequency begins with (年2回, 月1回, 週5日, 毎3か月). */
static int is_period_word(uint32_t cp)
{
    return cp == 0x5E74 || cp == 0x6708 || cp == 0x9031 || cp == 0x65E5 || cp == 0x6BCE;
}

/* Whether s[..pos) ends with an era name (令和6年: the era stays with its year). */
static int after_era(const char *s, size_t pos)
{
    static const char *const eras[] = {"令和", "平成", "昭和", "大正", "明治"};
    for (size_t i = 0; i < sizeof eras / sizeof eras[0]; i++) {
        size_t n = strlen(eras[i]);
        if (pos >= n && memcmp(s + pos - n, eras[i], n) == 0)
            return 1;
    }
    return 0;
}

/* Whether s[from, to) is two or more kanji and nothing else. */
static int kanji_word(const char *s, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to;) {
        size_t end;
        if (script_of(cp_at(s, to, i, &end)) != SCRIPT_HAN)
            return 0;
        i = end, n++;
    }
    return n >= 2;
}

/* Whether a break the phrase model proposes at s[pos] (already an allowed break) keeps words
 * whole: see pf_text_breaks. The model (BudouX) cuts kanji compounds and proper nouns it has
 * not seen (提供|事業|者|名, ひだ|まり) and numbers from their counters; a reader does not.
 * [seg0, pos) and [pos, seg1) are the model's phrases on either side: between two kanji the
 * break stands only where both are words of two kanji or more (優先|順位, not 事業|者|名). */
static int keeps_words(const char *s, size_t len, size_t pos, size_t seg0, size_t seg1)
{
    size_t prev_start, next_end, unused;
    uint32_t prev = cp_before(s, len, pos, &prev_start);
    uint32_t next = cp_at(s, len, pos, &next_end);
    uint32_t prev2 = prev_start > 0 ? cp_before(s, len, prev_start, &unused) : 0;
    int sp = script_of(prev), sn = script_of(next);
    if (sp == SCRIPT_HAN && sn == SCRIPT_HAN)
        return kanji_word(s, seg0, pos) && kanji_word(s, pos, seg1);  /* 優先|順位; 事業|者 */
    if (sp != SCRIPT_OTHER && sp == sn)
        return 0;                                   /* ひだ|まり, グループ|ホーム */
    if (prev == 0x30FB || prev == 0xFF65)
        return 0;                                   /* 月・|水・|金, 内容・|期間 */
    if (is_digit(prev) && sn != SCRIPT_OTHER)
        return 0;                                   /* 22|日, 3|か月 */
    if (sp == SCRIPT_HAN && is_digit(next) &&
        (is_digit(prev2) || after_era(s, pos) || is_period_word(prev)))
        return 0;                                   /* 6年|9月, 令和|6年, 年|2回, 週|5日 */
    if ((prev == '/' || prev == 0xFF0F) && (is_digit(next) || sn != SCRIPT_OTHER) &&
        (is_digit(prev2) || script_of(prev2) == SCRIPT_HAN))
        return 0;                                   /* 18日/|月 */
    if (is_range_mark(prev) && is_digit(next) && is_digit(prev2))
        return 0;                                   /* 9:30～|15:30 */
    return 1;
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
        (*out)[(*n)++] = (pf_break){(size_t)p, mandatory, mandatory, mandatory};
    }
}

/* The phrase iterator reads a paragraph in windows of about this many bytes (some 1,000
 * Japanese characters), each ending at a line-break opportunity: ICU 72's dictionary engine,
 * which ja@lw=phrase uses, takes time quadratic in the length of an unbroken run of kanji or
 * kana (a 20,000-character field took 1.5 s, twenty fields of 100,000 more than ten minutes).
 * A window's last position is not marked as a phrase start, so a break there is only taken as
 * any other allowed break would be; no real paragraph is that long. */
#define PHRASE_WINDOW 3000

/* Mark the breaks that fall between phrases in s[w0, w1): where the phrase iterator has a
 * boundary too and the boundary keeps words whole. Both lists ascend, so one pass. */
static void mark_window(UBreakIterator *it, const char *s, size_t len, size_t w0, size_t w1,
                        pf_break *br, size_t n, size_t k, UErrorCode *st)
{
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, s + w0, (int64_t)(w1 - w0), st);
    /* the iterator keeps a shallow clone of `ut`, re-pointed before it is used again */
    ubrk_setUText(it, &ut, st);
    utext_close(&ut);
    if (U_FAILURE(*st))
        return;
    size_t before = w0;
    ubrk_first(it);
    for (int32_t q = ubrk_next(it); q != UBRK_DONE && w0 + (size_t)q < w1 && k < n;
         q = ubrk_next(it)) {
        size_t p = w0 + (size_t)q;
        int32_t after = ubrk_following(it, q);   /* the end of the next phrase */
        ubrk_isBoundary(it, q);                  /* back to q for the walk */
        size_t seg1 = after == UBRK_DONE ? w1 : w0 + (size_t)after;
        while (k < n && br[k].pos < p)
            k++;
        if (k < n && br[k].pos == p && keeps_words(s, len, p, before, seg1))
            br[k].phrase = 1;
        before = p;
    }
}

static void mark_phrases(UBreakIterator *it, const char *s, size_t len, pf_break *br, size_t n,
                         UErrorCode *st)
{
    size_t w0 = 0, k = 0;
    while (w0 < len && U_SUCCESS(*st)) {
        /* the window ends at the last break within PHRASE_WINDOW bytes, else at the first
         * break after them (or the paragraph's end) */
        size_t k1 = k;
        while (k1 < n && br[k1].pos <= w0)
            k1++;
        size_t end = k1;
        while (end + 1 < n && br[end + 1].pos - w0 <= PHRASE_WINDOW)
            end++;
        size_t w1 = len - w0 <= PHRASE_WINDOW || end >= n ? len : br[end].pos;
        mark_window(it, s, len, w0, w1, br, n, k1, st);
        w0 = w1;
        k = k1;
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
    if (U_SUCCESS(st) && *n)
        mark_phrases(ctx->phrase, s, len, *out, *n, &st);
    for (size_t k = 0; U_SUCCESS(st) && k < *n; k++) {
        pf_break *b = &(*out)[k];
        if (b->phrase || b->mandatory || b->pos == 0 || b->pos >= len) {
            b->word = 1;
            continue;
        }
        size_t unused;
        int sp = script_of(cp_before(s, len, b->pos, &unused));
        int sn = script_of(cp_at(s, len, b->pos, &unused));
        /* a script boundary that keeps words (no kanji pair is one: seg0 = seg1 = pos) */
        b->word = sp != sn && keeps_words(s, len, b->pos, b->pos, b->pos);
    }
    if (U_FAILURE(st))
        return pf_icu_fail(err, st, "ICU の行分割に失敗しました", "ICU line breaking failed");
    return 0;
}
