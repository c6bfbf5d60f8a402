/* text — the Japanese-text knowledge the layout needs, independent of fonts and PDF:
 * where a line may break (ICU ja@lb=strict plus our own JLReq kinsoku check), the character
 * classes that drive spacing (和欧間, 約物), and the two value formats every form shares: era
 * dates (ICU's Japanese calendar) and yen amounts.
 *
 * Text is UTF-8 throughout and is never normalised (people's names must come out as written): every offset
 * this module returns is a byte offset into exactly the string it was given.
 *
 * A pf_text_ctx holds the ICU objects, which are expensive to open and cheap to reuse. It is
 * not thread-safe: one context per thread. */
#ifndef PF_TEXT_H
#define PF_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

typedef struct pf_text_ctx pf_text_ctx;

/* Opens the ICU objects. NULL (and `err` filled, PF_EXIT_RESOURCE) if ICU or its data fails. */
pf_text_ctx *pf_text_ctx_new(pf_error *err);
void pf_text_ctx_free(pf_text_ctx *ctx);

/* ---- Line breaking ---------------------------------------------------------------------- */

/* A position where a new line may start: a byte offset with 0 < pos < len. `mandatory` is set
 * after an explicit newline (LF, CR, CR LF, NEL, VT, FF, U+2028, U+2029). */
typedef struct pf_break {
    size_t pos;
    int mandatory;
    int phrase;     /* also between two phrases (文節): where a line preferably breaks */
    int word;       /* a phrase break, or where the script changes inside a phrase and no word,
                     * number or counter is cut (ワークセンター|あおばで): where a phrase wider
                     * than the line preferably breaks */
} pf_break;

/* Line-break opportunities in the UTF-8 paragraph s[0..len), in increasing order. *out is
 * allocated (free() it; NULL when there are none), *n is the count. ICU's ja@lb=strict
 * iterator proposes; every soft break is then checked against the JLReq rules (see
 * pf_text_no_line_start and friends), so the rules hold whatever ICU version is installed.
 * A break never falls inside a character, between a base and its variation selector or
 * combining mark, inside CR LF, ——, ……, ‥‥, a grouped numeral (9,300 12:30 3.5) or a Latin
 * word.
 *
 * Each break also says whether it falls between two phrases (`phrase`): ICU's phrase breaking
 * for Japanese (ja@lw=phrase) proposes, and our rules keep a phrase whole where the model cuts
 * what a reader sees as one word: a run of kanji (提供事業者名, 児発管), of hiragana or of
 * katakana; a number with its counter or unit (22日, 3か月); a date or a span (令和6年9月,
 * 18日/月, 9:30～15:30); an enumeration with ・ (月・水・金). The layout breaks at phrase breaks
 * and falls back to the others only where one phrase is wider than the line. Mandatory breaks
 * are phrase breaks. Returns 0, or PF_EXIT_INVALID for malformed UTF-8 (or over 2 GiB: ICU's
 * limit). */
int pf_text_breaks(pf_text_ctx *ctx, const char *s, size_t len, pf_break **out, size_t *n,
                   pf_error *err);

/* Whether our own rules alone (no ICU) permit a line to start at s[pos]: the check every
 * ICU break passes through. True after a newline; false at 0, at len, inside a character
 * and wherever a rule above forbids it. s must be valid UTF-8. For the layout's last resort
 * (a line with no ICU break that must still be cut) and for tests. */
int pf_text_break_allowed(const char *s, size_t len, size_t pos);

/* ---- Character classes ------------------------------------------------------------------ */

typedef enum {
    PF_CC_OTHER,
    PF_CC_IDEOGRAPHIC, /* kanji, kana, full-width forms and other wide characters not below */
    PF_CC_LATIN,       /* Latin letters and digits that are not full-width (ASCII, é, ...) */
    PF_CC_OPENING,     /* （「『【〔〈《［｛‘“ 〘〖〝｟⦅ */
    PF_CC_CLOSING,     /* ）」』】〕〉》］｝’” 〙〗〟｠⦆ and 、，。． */
    PF_CC_MIDDLE,      /* ・：； */
    PF_CC_SPACE        /* space separators (U+0020, U+3000, U+00A0, ...) and tab */
} pf_char_class;

pf_char_class pf_text_class(uint32_t cp);

/* CJK ideographs (URO, ext A, ext B and beyond in U+20000–U+3FFFF, compatibility ideographs,
 * radicals), kana (including half-width and the kana supplements), iteration marks 々〻ゝゞヽヾ
 * and 〆〇: the characters on the Japanese side of 和欧間. */
int pf_text_is_cjk(uint32_t cp);
/* U+FE00–FE0F and U+E0100–E01EF (ideographic variation sequences use the latter). */
int pf_text_is_variation_selector(uint32_t cp);

/* JLReq kinsoku sets, exported so the layout can do 追い出し / ぶら下げ with the same data.
 * No line start (行頭禁則, cl-02..07, cl-09..11): closing brackets, hyphens ‐〜, ？！, ・：；,
 * 。．, 、，, iteration marks, ー, small kana (full- and half-width; the ASCII equivalents
 * ) ] } , . : ; ? ! too). No line end (行末禁則, cl-01): opening brackets, ASCII ( [ { too. */
int pf_text_no_line_start(uint32_t cp);
int pf_text_no_line_end(uint32_t cp);
/* Punctuation that may hang into the margin (ぶら下げ): 。、 and their 公用文 forms ．，
 * (and half-width ｡､). */
int pf_text_can_hang(uint32_t cp);

/* ---- File names ------------------------------------------------------------------------- */

/* A piece of a file name made from people's data, appended to `out`: the text in NFC (so that
 * two spellings that look the same give one name; only names of files are normalised, never
 * what a form prints), with what no file system, shell or file list should see replaced by _:
 * control and format characters (bidi overrides, zero-width ones), separators and spaces,
 * ASCII other than letters, digits and - _ . + = @ , and a leading dot or hyphen (a
 * name that starts with - reads as an option to a shell command). At most `max_bytes`,
 * cut on a character boundary; "_" if nothing is left. */
void pf_text_file_name_part(const char *s, size_t max_bytes, pf_buf *out);

/* ---- Values every form shares ----------------------------------------------------------- */

/* Enough for any era date this module writes (era names are at most a few kanji). */
#define PF_TEXT_DATE_MAX 64

/* A Gregorian date printed in the Japanese era, Arabic digits, no padding, the first year as
 * 元年: 2024-04-10 → 令和6年4月10日, 2019-05-01 → 令和元年5月1日. The era name and the era
 * boundaries come from ICU's Japanese calendar.
 *
 * day == 0 prints year and month only (2024-07 → 令和6年7月), in the era in force on the 1st
 * of that month: a year-month names the period that begins on the 1st, so it is printed as a
 * document dated that 1st would print it. Only two months straddle an era change (2019's
 * change fell on 5月1日): 1926-12 → 大正15年12月 and 1989-01 → 昭和64年1月.
 *
 * Writes NUL-terminated UTF-8 into out (cap >= PF_TEXT_DATE_MAX is always enough).
 * Returns 0, or PF_EXIT_INVALID for a date that does not exist (2023-02-29, month 13, year
 * outside 1..9999) or a too-small buffer. */
int pf_text_era_date(pf_text_ctx *ctx, int year, int month, int day, char *out, size_t cap,
                     pf_error *err);

/* Yen with thousands grouping: 9300 → "9,300円", 0 → "0円", -500 → "-500円". Always
 * NUL-terminated; an empty string if cap is too small (PF_TEXT_YEN_MAX is always enough), so
 * a truncated amount or half a 円 is never printed. */
#define PF_TEXT_YEN_MAX 40
void pf_text_yen(long yen, char *out, size_t cap);

#endif
