/* text/chars — per-character data: the JLReq kinsoku sets, the spacing classes and the CJK
 * test. Pure functions of a code point; the only ICU used is its property lookup (no objects).
 *
 * The punctuation JLReq names is kept in one sorted table, so the kinsoku sets and the
 * spacing classes cannot drift apart. Everything not in the table gets its class from
 * general properties (CJK ranges, East Asian Width, script). */
#include "text/text.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uscript.h>

enum {
    NO_START = 1, /* 行頭禁則 */
    NO_END = 2,   /* 行末禁則 */
    HANG = 4,     /* may hang into the margin (ぶら下げ) */
    DERIVE = -1   /* class not fixed by the table: derive it from properties */
};

typedef struct punct {
    uint32_t lo, hi;
    int flags;
    int cls; /* a pf_char_class, or DERIVE */
} punct;

/* Sorted by code point, ranges disjoint: punct_find is a bsearch. */
static const punct table[] = {
    {0x0021, 0x0021, NO_START, DERIVE},                  /* ! */
    {0x0028, 0x0028, NO_END, DERIVE},                    /* ( */
    {0x0029, 0x0029, NO_START, DERIVE},                  /* ) */
    {0x002C, 0x002C, NO_START, DERIVE},                  /* , */
    {0x002E, 0x002E, NO_START, DERIVE},                  /* . */
    {0x003A, 0x003B, NO_START, DERIVE},                  /* : ; */
    {0x003F, 0x003F, NO_START, DERIVE},                  /* ? */
    {0x005B, 0x005B, NO_END, DERIVE},                    /* [ */
    {0x005D, 0x005D, NO_START, DERIVE},                  /* ] */
    {0x007B, 0x007B, NO_END, DERIVE},                    /* { */
    {0x007D, 0x007D, NO_START, DERIVE},                  /* } */
    {0x2010, 0x2010, NO_START, DERIVE},                  /* ‐ cl-03 */
    {0x2013, 0x2013, NO_START, DERIVE},                  /* – cl-03 */
    {0x2018, 0x2018, NO_END, PF_CC_OPENING},             /* ‘ */
    {0x2019, 0x2019, NO_START, PF_CC_CLOSING},           /* ’ */
    {0x201C, 0x201C, NO_END, PF_CC_OPENING},             /* “ */
    {0x201D, 0x201D, NO_START, PF_CC_CLOSING},           /* ” */
    {0x203C, 0x203C, NO_START, DERIVE},                  /* ‼ cl-04 */
    {0x2047, 0x2049, NO_START, DERIVE},                  /* ⁇ ⁈ ⁉ cl-04 */
    {0x2985, 0x2985, NO_END, PF_CC_OPENING},             /* ⦅ */
    {0x2986, 0x2986, NO_START, PF_CC_CLOSING},           /* ⦆ */
    {0x3001, 0x3002, NO_START | HANG, PF_CC_CLOSING},    /* 、。 cl-07, cl-06 */
    {0x3005, 0x3005, NO_START, DERIVE},                  /* 々 cl-09 */
    {0x3008, 0x3008, NO_END, PF_CC_OPENING},             /* 〈 */
    {0x3009, 0x3009, NO_START, PF_CC_CLOSING},           /* 〉 */
    {0x300A, 0x300A, NO_END, PF_CC_OPENING},             /* 《 */
    {0x300B, 0x300B, NO_START, PF_CC_CLOSING},           /* 》 */
    {0x300C, 0x300C, NO_END, PF_CC_OPENING},             /* 「 */
    {0x300D, 0x300D, NO_START, PF_CC_CLOSING},           /* 」 */
    {0x300E, 0x300E, NO_END, PF_CC_OPENING},             /* 『 */
    {0x300F, 0x300F, NO_START, PF_CC_CLOSING},           /* 』 */
    {0x3010, 0x3010, NO_END, PF_CC_OPENING},             /* 【 */
    {0x3011, 0x3011, NO_START, PF_CC_CLOSING},           /* 】 */
    {0x3014, 0x3014, NO_END, PF_CC_OPENING},             /* 〔 */
    {0x3015, 0x3015, NO_START, PF_CC_CLOSING},           /* 〕 */
    {0x3016, 0x3016, NO_END, PF_CC_OPENING},             /* 〖 */
    {0x3017, 0x3017, NO_START, PF_CC_CLOSING},           /* 〗 */
    {0x3018, 0x3018, NO_END, PF_CC_OPENING},             /* 〘 */
    {0x3019, 0x3019, NO_START, PF_CC_CLOSING},           /* 〙 */
    {0x301C, 0x301C, NO_START, DERIVE},                  /* 〜 cl-03 */
    {0x301D, 0x301D, NO_END, PF_CC_OPENING},             /* 〝 */
    {0x301F, 0x301F, NO_START, PF_CC_CLOSING},           /* 〟 */
    {0x303B, 0x303B, NO_START, DERIVE},                  /* 〻 cl-09 */
    {0x3041, 0x3041, NO_START, DERIVE},                  /* ぁ cl-11 small kana ... */
    {0x3043, 0x3043, NO_START, DERIVE},                  /* ぃ */
    {0x3045, 0x3045, NO_START, DERIVE},                  /* ぅ */
    {0x3047, 0x3047, NO_START, DERIVE},                  /* ぇ */
    {0x3049, 0x3049, NO_START, DERIVE},                  /* ぉ */
    {0x3063, 0x3063, NO_START, DERIVE},                  /* っ */
    {0x3083, 0x3083, NO_START, DERIVE},                  /* ゃ */
    {0x3085, 0x3085, NO_START, DERIVE},                  /* ゅ */
    {0x3087, 0x3087, NO_START, DERIVE},                  /* ょ */
    {0x308E, 0x308E, NO_START, DERIVE},                  /* ゎ */
    {0x3095, 0x3096, NO_START, DERIVE},                  /* ゕゖ */
    {0x309B, 0x309C, NO_START, DERIVE},                  /* ゛゜ (spacing sound marks) */
    {0x309D, 0x309E, NO_START, DERIVE},                  /* ゝゞ cl-09 */
    {0x30A0, 0x30A0, NO_START, DERIVE},                  /* ゠ cl-03 */
    {0x30A1, 0x30A1, NO_START, DERIVE},                  /* ァ */
    {0x30A3, 0x30A3, NO_START, DERIVE},                  /* ィ */
    {0x30A5, 0x30A5, NO_START, DERIVE},                  /* ゥ */
    {0x30A7, 0x30A7, NO_START, DERIVE},                  /* ェ */
    {0x30A9, 0x30A9, NO_START, DERIVE},                  /* ォ */
    {0x30C3, 0x30C3, NO_START, DERIVE},                  /* ッ */
    {0x30E3, 0x30E3, NO_START, DERIVE},                  /* ャ */
    {0x30E5, 0x30E5, NO_START, DERIVE},                  /* ュ */
    {0x30E7, 0x30E7, NO_START, DERIVE},                  /* ョ */
    {0x30EE, 0x30EE, NO_START, DERIVE},                  /* ヮ */
    {0x30F5, 0x30F6, NO_START, DERIVE},                  /* ヵヶ */
    {0x30FB, 0x30FB, NO_START, PF_CC_MIDDLE},            /* ・ cl-05 */
    {0x30FC, 0x30FC, NO_START, DERIVE},                  /* ー cl-10 */
    {0x30FD, 0x30FE, NO_START, DERIVE},                  /* ヽヾ cl-09 */
    {0x31F0, 0x31FF, NO_START, DERIVE},                  /* ㇰ..ㇿ small katakana for Ainu */
    {0xFF01, 0xFF01, NO_START, DERIVE},                  /* ！ */
    {0xFF08, 0xFF08, NO_END, PF_CC_OPENING},             /* （ */
    {0xFF09, 0xFF09, NO_START, PF_CC_CLOSING},           /* ） */
    {0xFF0C, 0xFF0C, NO_START | HANG, PF_CC_CLOSING},    /* ， (公用文's 、) */
    {0xFF0E, 0xFF0E, NO_START | HANG, PF_CC_CLOSING},    /* ． (公用文's 。) */
    {0xFF1A, 0xFF1B, NO_START, PF_CC_MIDDLE},            /* ：； */
    {0xFF1F, 0xFF1F, NO_START, DERIVE},                  /* ？ */
    {0xFF3B, 0xFF3B, NO_END, PF_CC_OPENING},             /* ［ */
    {0xFF3D, 0xFF3D, NO_START, PF_CC_CLOSING},           /* ］ */
    {0xFF5B, 0xFF5B, NO_END, PF_CC_OPENING},             /* ｛ */
    {0xFF5D, 0xFF5D, NO_START, PF_CC_CLOSING},           /* ｝ */
    {0xFF5E, 0xFF5E, NO_START, DERIVE},                  /* ～ (often typed for 〜) */
    {0xFF5F, 0xFF5F, NO_END, PF_CC_OPENING},             /* ｟ */
    {0xFF60, 0xFF60, NO_START, PF_CC_CLOSING},           /* ｠ */
    /* Half-width forms are already half a character wide, so they keep a derived class. */
    {0xFF61, 0xFF61, NO_START | HANG, DERIVE},           /* ｡ */
    {0xFF62, 0xFF62, NO_END, DERIVE},                    /* ｢ */
    {0xFF63, 0xFF63, NO_START, DERIVE},                  /* ｣ */
    {0xFF64, 0xFF64, NO_START | HANG, DERIVE},           /* ､ */
    {0xFF65, 0xFF65, NO_START, DERIVE},                  /* ･ */
    {0xFF67, 0xFF70, NO_START, DERIVE},                  /* ｧ..ｯ ｰ */
    {0xFF9E, 0xFF9F, NO_START, DERIVE},                  /* ﾞﾟ */
    {0x1B132, 0x1B132, NO_START, DERIVE},                /* small こ */
    {0x1B150, 0x1B152, NO_START, DERIVE},                /* small ゐゑを */
    {0x1B155, 0x1B155, NO_START, DERIVE},                /* small コ */
    {0x1B164, 0x1B167, NO_START, DERIVE},                /* small ヰヱヲン */
};

static int punct_cmp(const void *key, const void *elem)
{
    uint32_t cp = *(const uint32_t *)key;
    const punct *p = elem;
    return cp < p->lo ? -1 : cp > p->hi ? 1 : 0;
}

static const punct *punct_find(uint32_t cp)
{
    return bsearch(&cp, table, sizeof table / sizeof table[0], sizeof table[0], punct_cmp);
}

int pf_text_no_line_start(uint32_t cp)
{
    const punct *p = punct_find(cp);
    return p && (p->flags & NO_START);
}

int pf_text_no_line_end(uint32_t cp)
{
    const punct *p = punct_find(cp);
    return p && (p->flags & NO_END);
}

int pf_text_can_hang(uint32_t cp)
{
    const punct *p = punct_find(cp);
    return p && (p->flags & HANG);
}

int pf_text_is_variation_selector(uint32_t cp)
{
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

int pf_text_is_cjk(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        {0x2E80, 0x2FDF},   /* CJK and Kangxi radicals */
        {0x3005, 0x3007},   /* 々〆〇 */
        {0x3031, 0x3035},   /* vertical kana repeat marks */
        {0x303B, 0x303C},   /* 〻〼 */
        {0x3041, 0x309F},   /* hiragana, ゛゜ゝゞゟ */
        {0x30A1, 0x30FA},   /* katakana (not ゠, not ・) */
        {0x30FC, 0x30FF},   /* ーヽヾヿ */
        {0x31C0, 0x31FF},   /* CJK strokes, small katakana ext */
        {0x3400, 0x4DBF},   /* ext A */
        {0x4E00, 0x9FFF},   /* unified ideographs */
        {0xF900, 0xFAFF},   /* compatibility ideographs (朗 U+F929 ...) */
        {0xFF66, 0xFF9F},   /* half-width katakana */
        {0x1B000, 0x1B16F}, /* kana supplement, ext A, small kana ext */
        {0x20000, 0x3FFFF}, /* ext B and beyond, compatibility supplement (𠮷 U+20BB7) */
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return 1;
    return 0;
}

static int is_wide(uint32_t cp)
{
    int w = u_getIntPropertyValue((UChar32)cp, UCHAR_EAST_ASIAN_WIDTH);
    return w == U_EA_WIDE || w == U_EA_FULLWIDTH;
}

/* Latin letters and digits in their ordinary (not full-width) forms: the "欧" of 和欧間.
 * Full-width ＡＢＣ１２３ are set like ideographs, so they are excluded. */
static int is_latin(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    if (is_wide(cp) || !u_isalnum((UChar32)cp))
        return 0;
    UErrorCode st = U_ZERO_ERROR;
    return uscript_getScript((UChar32)cp, &st) == USCRIPT_LATIN && U_SUCCESS(st);
}

static int is_space(uint32_t cp)
{
    return cp == '\t' || u_charType((UChar32)cp) == U_SPACE_SEPARATOR;
}

pf_char_class pf_text_class(uint32_t cp)
{
    const punct *p = punct_find(cp);
    if (p && p->cls != DERIVE)
        return (pf_char_class)p->cls;
    if (is_space(cp))
        return PF_CC_SPACE;
    if (is_latin(cp))
        return PF_CC_LATIN;
    if (pf_text_is_cjk(cp) || is_wide(cp))
        return PF_CC_IDEOGRAPHIC;
    return PF_CC_OTHER;
}

/* ---- file names ------------------------------------------------------------------------- */

static int file_name_char_ok(UChar32 c, int first)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               (c && strchr("_+=@,", (int)c)) || ((c == '.' || c == '-') && !first);
    int8_t t = u_charType(c);
    return t != U_CONTROL_CHAR && t != U_FORMAT_CHAR && t != U_SPACE_SEPARATOR &&
           t != U_LINE_SEPARATOR && t != U_PARAGRAPH_SEPARATOR && t != U_UNASSIGNED &&
           t != U_PRIVATE_USE_CHAR && t != U_SURROGATE;
}

/* NFC of s[0..len) appended to out; on any ICU failure the text as it is. */
static void nfc_append(const char *s, size_t len, pf_buf *out)
{
    UErrorCode ec = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&ec);
    UChar *u = NULL, *v = NULL;
    char *o = NULL;
    int32_t ulen = 0, vlen = 0, olen = 0;
    if (U_SUCCESS(ec) && len < (size_t)INT32_MAX / 4) {
        u = pf_xmalloc((len + 1) * sizeof *u);
        u_strFromUTF8(u, (int32_t)len + 1, &ulen, s, (int32_t)len, &ec);
        if (U_SUCCESS(ec)) {
            v = pf_xmalloc((size_t)(ulen * 3 + 1) * sizeof *v);
            vlen = unorm2_normalize(nfc, u, ulen, v, ulen * 3 + 1, &ec);
        }
        if (U_SUCCESS(ec)) {
            o = pf_xmalloc((size_t)vlen * 3 + 1);
            u_strToUTF8(o, vlen * 3 + 1, &olen, v, vlen, &ec);
        }
    } else {
        ec = U_ILLEGAL_ARGUMENT_ERROR;
    }
    if (U_SUCCESS(ec))
        pf_buf_add(out, o, (size_t)olen);
    else
        pf_buf_add(out, s, len);
    free(u);
    free(v);
    free(o);
}

/* CJK compatibility ideographs (﨑 U+FA11 and the rest) decompose canonically to another
 * ideograph: NFC would turn 﨑山 into 崎山, another spelling of a person's name. They are
 * kept as they are, and only the text between them is normalised. */
static int is_compat_ideograph(int32_t cp)
{
    return (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

void pf_text_file_name_part(const char *s, size_t max_bytes, pf_buf *out)
{
    size_t len = strlen(s);
    pf_buf norm = {0};
    size_t run = 0, i = 0;
    while (i < len) {
        size_t at = i;
        int32_t cp = pf_utf8_next(s, len, &i);
        if (cp < 0) {
            i = at + 1;
            continue;
        }
        if (is_compat_ideograph(cp)) {
            nfc_append(s + run, at - run, &norm);
            pf_buf_add(&norm, s + at, i - at);
            run = i;
        }
    }
    nfc_append(s + run, len - run, &norm);
    size_t start = out->len;
    i = 0;
    while (i < norm.len) {
        size_t at = i;
        int32_t cp = pf_utf8_next(norm.data, norm.len, &i);
        if (cp < 0) {
            i = at + 1;  /* not UTF-8: each such byte becomes _ */
            cp = 0;
        }
        int ok = cp > 0 && file_name_char_ok(cp, out->len == start);
        size_t n = ok ? i - at : 1;
        if (out->len - start + n > max_bytes)
            break;
        if (ok)
            pf_buf_add(out, norm.data + at, n);
        else if (!(out->len > start && out->data[out->len - 1] == '_'))
            pf_buf_add(out, "_", 1);  /* a run of unwanted characters is one _ */
    }
    if (out->len == start)
        pf_buf_add(out, "_", 1);
    pf_buf_free(&norm);
}
