/* test_text — src/text: line breaks against kinsoku traps, character classes, era dates, yen.
 *
 * The kinsoku sets below are written out independently of src/text/chars.c on purpose: a
 * test that asked the module which characters are prohibited would pass whatever the module
 * got wrong. */
#include "text/text.h"

#include <stdlib.h>

#include "unit.h"

static pf_text_ctx *ctx;

/* ---- Independent reference data ---------------------------------------------------------- */

/* JLReq cl-02..07, cl-09..11 as the brief lists them, plus half-width forms. */
static const char no_start_chars[] =
    "）」』】〕〉》］｝’”，、。．・：；？！‐〜ゝゞヽヾ々〻ー"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "｡｣､･ｧｨｩｪｫｬｭｮｯｰ";
/* JLReq cl-01. */
static const char no_end_chars[] = "（「『【〔〈《［｛‘“｢";

static int in_set(const char *set, uint32_t cp)
{
    size_t len = strlen(set);
    for (size_t i = 0; i < len;)
        if ((uint32_t)pf_utf8_next(set, len, &i) == cp)
            return 1;
    return 0;
}

static uint32_t decode_at(const char *s, size_t len, size_t pos)
{
    size_t i = pos;
    int32_t cp = pf_utf8_next(s, len, &i);
    return cp < 0 ? 0xFFFFFFFF : (uint32_t)cp;
}

static uint32_t decode_before(const char *s, size_t len, size_t pos)
{
    size_t i = pos - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return decode_at(s, len, i);
}

static int is_ascii_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit_any(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static int is_sep(uint32_t c)
{
    return c == ',' || c == '.' || c == ':' || c == 0xFF0C || c == 0xFF0E || c == 0xFF1A;
}

static int is_dashdots(uint32_t c)
{
    return c == 0x2014 || c == 0x2015 || c == 0x2025 || c == 0x2026;
}

/* ---- Line-break checks ------------------------------------------------------------------- */

static pf_break *breaks_of(const char *s, size_t *n)
{
    pf_break *b = NULL;
    pf_error err = {0};
    CHECK(pf_text_breaks(ctx, s, strlen(s), &b, n, &err) == 0);
    CHECK(err.status == 0);
    return b;
}

/* Every rule a soft break must satisfy, checked from the raw bytes. */
static void check_one_break(const char *s, size_t len, const pf_break *b)
{
    size_t p = b->pos;
    CHECK(p > 0 && p < len);
    if (!(p > 0 && p < len))
        return;
    CHECK(((unsigned char)s[p] & 0xC0) != 0x80); /* never inside a character */
    uint32_t prev = decode_before(s, len, p), next = decode_at(s, len, p);
    CHECK(!pf_text_is_variation_selector(next));
    CHECK(!(next >= 0xDC00 && next <= 0xDFFF)); /* (cannot happen in UTF-8; belt and braces) */
    CHECK(!(prev == '\r' && next == '\n'));
    if (b->mandatory) {
        CHECK(prev == '\n' || prev == '\r' || prev == 0x2028 || prev == 0x2029 || prev == 0x0B ||
              prev == 0x0C || prev == 0x85);
        return;
    }
    if (in_set(no_start_chars, next) || in_set(no_end_chars, prev))
        fprintf(stderr, "  kinsoku violated in \"%s\" at byte %zu\n", s, p);
    CHECK(!in_set(no_start_chars, next));
    CHECK(!in_set(no_end_chars, prev));
    CHECK(!(is_dashdots(prev) && prev == next));
    CHECK(!(is_ascii_alnum(prev) && is_ascii_alnum(next)));
    CHECK(!(is_digit_any(prev) && is_digit_any(next)));
    if (is_sep(prev) && is_digit_any(next) && p >= 2)
        CHECK(!is_digit_any(decode_before(s, len, p - (prev < 0x80 ? 1 : 3))));
}

static void check_breaks(const char *s)
{
    size_t n = 0, len = strlen(s);
    pf_break *b = breaks_of(s, &n);
    for (size_t i = 0; i < n; i++) {
        check_one_break(s, len, &b[i]);
        if (i > 0)
            CHECK(b[i].pos > b[i - 1].pos);
    }
    free(b);
}

static const char *const traps[] = {
    "「こんにちは。」と言った。",
    "、ちょっと待ってー、",
    "（家族）本人の…",
    "(家族)本人の希望は「自分で買い物に行きたい」。",
    "利用者負担上限額は9,300円です。",
    "９，３００円と１２：３０",
    "……や——、それから――と‥‥",
    "https://example.jp/very/long/path?query=1&x=2",
    "𠮷野家の𠮷田さん",
    "葛󠄀飾区の葛󠄀西さん",
    "葛󠄀󠄀",
    "12:30から3.5時間、A4サイズで",
    "キャッシュ・フローとシステムエンジニアリング",
    "ァィゥェォッャュョヮヵヶㇰㇱㇲ",
    "いすゞ自動車の佐々木さん、ゝゞヽヾ々〻",
    "【重要】『計画』〔注〕〈案〉《別紙》［参考］｛追記｝‘single’“double”",
    "ｶﾞｯｺｳﾆｲｸ｡ｿｼﾃ､｢ﾊｲ｣",
    "本当？　本当！　はい：いいえ；それ・これ",
    "〜ここから〜まで‐続く",
    "ICUのline breakingをJLReqにあわせるtest",
    "週3回（月・水・金）の通所、各6時間。送迎あり〈片道30分〉。",
    "a\nb",
    "あ\r\nい\rう\xe2\x80\xa8え",
    "本人の希望を尊重し、地域での自立した生活を目指す。",
};

static void test_trap_strings(void)
{
    for (size_t i = 0; i < sizeof traps / sizeof traps[0]; i++)
        check_breaks(traps[i]);
}

/* The safety net on its own, without ICU: offer it every byte position of every trap string
 * (as a newer ICU might) and check each one it lets through. */
static void test_rules_without_icu(void)
{
    for (size_t i = 0; i < sizeof traps / sizeof traps[0]; i++) {
        const char *s = traps[i];
        size_t len = strlen(s);
        for (size_t p = 0; p <= len; p++) {
            if (!pf_text_break_allowed(s, len, p))
                continue;
            uint32_t prev = decode_before(s, len, p);
            int hard = prev == '\n' || prev == '\r' || prev == 0x2028;
            check_one_break(s, len, &(pf_break){p, hard, hard, hard});
        }
    }
    /* And it does allow the ordinary breaks. */
    CHECK(pf_text_break_allowed("本人", 6, 3));
    CHECK(pf_text_break_allowed("と「", 6, 3));
    CHECK(pf_text_break_allowed("。本", 6, 3));
    CHECK(pf_text_break_allowed("a b", 3, 2));
    CHECK(!pf_text_break_allowed("本人", 6, 0) && !pf_text_break_allowed("本人", 6, 6));
    CHECK(!pf_text_break_allowed("本人", 6, 4));
}

/* Exact expectations where JLReq leaves no choice. */
static void expect_breaks(const char *s, const size_t *want, size_t nwant)
{
    size_t n = 0;
    pf_break *b = breaks_of(s, &n);
    CHECK(n == nwant);
    int same = n == nwant;
    for (size_t i = 0; same && i < n; i++)
        same = b[i].pos == want[i];
    if (!same) {
        fprintf(stderr, "  breaks of \"%s\":", s);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, " %zu%s", b[i].pos, b[i].mandatory ? "!" : "");
        fprintf(stderr, "\n");
    }
    CHECK(same);
    free(b);
}

static void test_exact_breaks(void)
{
    /* ち ょ っ と 待 っ て ー: not before ょ っ っ ー. */
    expect_breaks("ちょっと待ってー", (const size_t[]){9, 12, 18}, 3);
    /* Ordinary ideographs break between every pair. */
    expect_breaks("本人の希望", (const size_t[]){3, 6, 9, 12}, 4);
    /* 𠮷 is 4 bytes (a surrogate pair in UTF-16); offsets stay in bytes. */
    expect_breaks("𠮷野家", (const size_t[]){4, 7}, 2);
    /* 葛󠄀 = 3 + 4 bytes; never at 3, between the base and its selector. */
    expect_breaks("葛󠄀飾区", (const size_t[]){7, 10}, 2);
    /* 「 cannot end a line, 。」 cannot start one: 「こ|ん|に|ち|は。」|と... */
    expect_breaks("「こんにちは。」と", (const size_t[]){6, 9, 12, 15, 24}, 5);
    /* 3か月, 6ヶ月: never between the counter's か and 月 after a number */
    CHECK(!pf_text_break_allowed("3か月", 7, 4));
    CHECK(!pf_text_break_allowed("6ヶ月", 7, 4));
    /* 9,300円: nothing inside the number. */
    {
        size_t n = 0;
        pf_break *b = breaks_of("9,300円", &n);
        for (size_t i = 0; i < n; i++)
            CHECK(b[i].pos >= 5);
        free(b);
    }
}

static void test_mandatory(void)
{
    size_t n = 0;
    pf_break *b = breaks_of("a\nb", &n);
    CHECK(n == 1);
    CHECK(n >= 1 && b[0].pos == 2 && b[0].mandatory);
    free(b);

    /* CR LF is one newline; a lone CR and U+2028 are newlines too. */
    b = breaks_of("あ\r\nい\rう\xe2\x80\xa8え", &n);
    size_t want[] = {5, 9, 15};
    CHECK(n == 3);
    for (size_t i = 0; i < n && i < 3; i++)
        CHECK(b[i].pos == want[i] && b[i].mandatory);
    free(b);

    /* A newline before a closing bracket still breaks: explicit lines win over kinsoku. */
    b = breaks_of("あ\n」", &n);
    CHECK(n == 1 && b[0].pos == 4 && b[0].mandatory);
    free(b);

    /* Soft breaks are not mandatory; the end of the text is not listed. */
    b = breaks_of("本人\n", &n);
    CHECK(n == 1 && b[0].pos == 3 && !b[0].mandatory);
    free(b);
}

static void test_break_edges(void)
{
    size_t n = 99;
    pf_break *b = breaks_of("", &n);
    CHECK(n == 0 && b == NULL);
    b = breaks_of("本", &n);
    CHECK(n == 0);
    free(b);

    pf_error err = {0};
    const char bad[] = "あ\xff い";
    CHECK(pf_text_breaks(ctx, bad, sizeof bad - 1, &b, &n, &err) == PF_EXIT_INVALID);
    CHECK(err.status == PF_EXIT_INVALID && b == NULL && n == 0);

    /* Not NUL-terminated: only len bytes are read ("本人" of "本人の"). */
    b = NULL;
    err = (pf_error){0};
    CHECK(pf_text_breaks(ctx, "本人の", 6, &b, &n, &err) == 0);
    CHECK(n == 1 && b[0].pos == 3);
    free(b);

    /* The same context serves many calls with different lengths. */
    for (size_t i = 0; i < 50; i++)
        check_breaks(traps[i % (sizeof traps / sizeof traps[0])]);
}

/* ---- Classes --------------------------------------------------------------------------- */

static void test_classes(void)
{
    CHECK(pf_text_class(0x672C) == PF_CC_IDEOGRAPHIC); /* 本 */
    CHECK(pf_text_class(0x3042) == PF_CC_IDEOGRAPHIC); /* あ */
    CHECK(pf_text_class(0x30FC) == PF_CC_IDEOGRAPHIC); /* ー */
    CHECK(pf_text_class(0x20BB7) == PF_CC_IDEOGRAPHIC); /* 𠮷 */
    CHECK(pf_text_class(0xFF21) == PF_CC_IDEOGRAPHIC); /* Ａ */
    CHECK(pf_text_class(0xFF01) == PF_CC_IDEOGRAPHIC); /* ！ */
    CHECK(pf_text_class('A') == PF_CC_LATIN);
    CHECK(pf_text_class('7') == PF_CC_LATIN);
    CHECK(pf_text_class(0xE9) == PF_CC_LATIN); /* é */
    CHECK(pf_text_class(0x300C) == PF_CC_OPENING);
    CHECK(pf_text_class(0xFF08) == PF_CC_OPENING);
    CHECK(pf_text_class(0x201C) == PF_CC_OPENING);
    CHECK(pf_text_class(0x300D) == PF_CC_CLOSING);
    CHECK(pf_text_class(0x3001) == PF_CC_CLOSING);
    CHECK(pf_text_class(0x3002) == PF_CC_CLOSING);
    CHECK(pf_text_class(0xFF0C) == PF_CC_CLOSING);
    CHECK(pf_text_class(0xFF0E) == PF_CC_CLOSING);
    CHECK(pf_text_class(0x2019) == PF_CC_CLOSING);
    CHECK(pf_text_class(0x30FB) == PF_CC_MIDDLE);
    CHECK(pf_text_class(0xFF1A) == PF_CC_MIDDLE);
    CHECK(pf_text_class(0xFF1B) == PF_CC_MIDDLE);
    CHECK(pf_text_class(' ') == PF_CC_SPACE);
    CHECK(pf_text_class(0x3000) == PF_CC_SPACE);
    CHECK(pf_text_class('(') == PF_CC_OTHER);
    CHECK(pf_text_class(0xE0100) == PF_CC_OTHER);

    CHECK(pf_text_is_cjk(0x845B) && pf_text_is_cjk(0x20BB7) && pf_text_is_cjk(0xF929));
    CHECK(pf_text_is_cjk(0x3005) && pf_text_is_cjk(0x30AB) && pf_text_is_cjk(0x3093));
    CHECK(pf_text_is_cjk(0x2A6D6) && pf_text_is_cjk(0x3402));
    CHECK(!pf_text_is_cjk('A') && !pf_text_is_cjk(0x3002) && !pf_text_is_cjk(0x30FB));
    CHECK(!pf_text_is_cjk(0xFF21));

    CHECK(pf_text_is_variation_selector(0xFE00) && pf_text_is_variation_selector(0xFE0F));
    CHECK(pf_text_is_variation_selector(0xE0100) && pf_text_is_variation_selector(0xE01EF));
    CHECK(!pf_text_is_variation_selector(0xFDFF) && !pf_text_is_variation_selector(0xE01F0));
    CHECK(!pf_text_is_variation_selector(0x845B));

    /* The exported sets agree with the independent lists above. */
    const char *sets[] = {no_start_chars, no_end_chars};
    for (int k = 0; k < 2; k++) {
        size_t len = strlen(sets[k]);
        for (size_t i = 0; i < len;) {
            uint32_t cp = (uint32_t)pf_utf8_next(sets[k], len, &i);
            CHECK(k == 0 ? pf_text_no_line_start(cp) : pf_text_no_line_end(cp));
            CHECK(k == 0 ? !pf_text_no_line_end(cp) : !pf_text_no_line_start(cp));
        }
    }
    CHECK(!pf_text_no_line_start(0x3042) && !pf_text_no_line_end(0x3042));
    CHECK(pf_text_can_hang(0x3002) && pf_text_can_hang(0x3001) && !pf_text_can_hang(0x300D));
}

/* ---- Dates and yen ------------------------------------------------------------------------ */

static void check_date(int y, int m, int d, const char *want)
{
    char out[PF_TEXT_DATE_MAX];
    pf_error err = {0};
    int rc = pf_text_era_date(ctx, y, m, d, out, sizeof out, &err);
    CHECK(rc == 0);
    if (rc)
        fprintf(stderr, "  %d-%d-%d: %s\n", y, m, d, err.msg_en);
    CHECK_STR(out, want);
}

static void check_bad_date(int y, int m, int d)
{
    char out[PF_TEXT_DATE_MAX] = "x";
    pf_error err = {0};
    CHECK(pf_text_era_date(ctx, y, m, d, out, sizeof out, &err) == PF_EXIT_INVALID);
    CHECK(err.status == PF_EXIT_INVALID && out[0] == 0);
}

static void test_era_dates(void)
{
    check_date(2024, 4, 10, "令和6年4月10日");
    check_date(2019, 5, 1, "令和元年5月1日");
    check_date(2019, 4, 30, "平成31年4月30日");
    check_date(1989, 1, 8, "平成元年1月8日");
    check_date(1989, 1, 7, "昭和64年1月7日");
    check_date(2024, 2, 29, "令和6年2月29日");
    check_date(1926, 12, 25, "昭和元年12月25日");
    check_date(1926, 12, 24, "大正15年12月24日");
    check_date(2020, 1, 1, "令和2年1月1日");
    check_date(1912, 7, 30, "大正元年7月30日");
    check_date(1912, 7, 29, "明治45年7月29日");
    /* Year and month: the era in force on the 1st. */
    check_date(2024, 7, 0, "令和6年7月");
    check_date(2019, 5, 0, "令和元年5月");
    check_date(2019, 4, 0, "平成31年4月");
    check_date(1989, 1, 0, "昭和64年1月");
    check_date(1926, 12, 0, "大正15年12月");

    check_bad_date(2023, 2, 29);
    check_bad_date(2024, 4, 31);
    check_bad_date(2024, 13, 1);
    check_bad_date(2024, 0, 1);
    check_bad_date(2024, 1, 32);
    check_bad_date(0, 1, 1);

    /* Too small a buffer is an error, never a cut-off date. */
    char small[10];
    pf_error err = {0};
    CHECK(pf_text_era_date(ctx, 2024, 4, 10, small, sizeof small, &err) != 0);
    CHECK(small[0] == 0);

    /* The context is reused: a bad date leaves it usable. */
    check_date(2024, 4, 10, "令和6年4月10日");
}

static void check_yen(long v, const char *want)
{
    char out[PF_TEXT_YEN_MAX];
    pf_text_yen(v, out, sizeof out);
    CHECK_STR(out, want);
}

static void test_yen(void)
{
    check_yen(0, "0円");
    check_yen(9300, "9,300円");
    check_yen(1234567, "1,234,567円");
    check_yen(999, "999円");
    check_yen(1000, "1,000円");
    check_yen(37200, "37,200円");
    check_yen(-4600, "-4,600円");
    char big[PF_TEXT_YEN_MAX];
    pf_text_yen(-9223372036854775807L - 1, big, sizeof big);
    CHECK_STR(big, "-9,223,372,036,854,775,808円");
    char tiny[5] = "xxxx";
    pf_text_yen(9300, tiny, sizeof tiny);
    CHECK_STR(tiny, "");
}

/* The phrase breaks of s, as "a|b|c" (the text cut at every break marked `phrase`). */
static char *phrases(const char *s)
{
    size_t n = 0, from = 0;
    pf_break *b = breaks_of(s, &n);
    pf_buf out = {0};
    for (size_t i = 0; i < n; i++)
        if (b[i].phrase) {
            pf_buf_add(&out, s + from, b[i].pos - from);
            pf_buf_adds(&out, "|");
            from = b[i].pos;
        }
    pf_buf_adds(&out, s + from);
    free(b);
    return out.data;
}

/* Phrase breaking (issue 13): the examples a reader found cut inside words and names, each
 * with where it may break now; and a sentence the model splits into its phrases. */
static void test_phrases(void)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"グループホームひだまりで暮らしたい", "グループホーム|ひだまりで|暮らしたい"},
        {"（児発管 田中）", "（児発管 |田中）"},
        {"ワークセンターあおば", "ワークセンター|あおば"},
        {"月・水・金 9:30～15:30（22日/月）", "月・水・金 |9:30～15:30|（22日/月）"},
        {"（令和6年9月）", "（令和6年9月）"},
        {"18日/月", "18日/月"},
        {"送迎と連絡（年2回）", "送迎と|連絡|（年2回）"},
        {"解決すべき課題（本人のニーズ）", "解決|すべき|課題|（本人の|ニーズ）"},
        {"提供事業者名（担当者名・電話）", "提供|事業者名|（担当者名・電話）"},
        {"優先順位", "優先|順位"},
        {"モニタリング期間（開始年月）", "モニタリング|期間|（開始年月）"},
        {"今日は自由が丘で焼き鳥を食べます。", "今日は|自由が丘で|焼き鳥を|食べます。"},
        {"一人で過ごしたい。", "一人で|過ごしたい。"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = phrases(cases[i].text);
        CHECK_STR(got, cases[i].want);
        free(got);
    }
    /* a mandatory break is a phrase break too */
    size_t n = 0;
    pf_break *b = breaks_of("本人\n家族", &n);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found |= b[i].mandatory && b[i].phrase && b[i].pos == 7;
    CHECK(found);
    free(b);
}

void run_tests(void)
{
    pf_error err = {0};
    ctx = pf_text_ctx_new(&err);
    CHECK(ctx != NULL);
    if (!ctx) {
        pf_error_print(&err);
        return;
    }
    test_trap_strings();
    test_rules_without_icu();
    test_exact_breaks();
    test_phrases();
    test_mandatory();
    test_break_edges();
    test_classes();
    test_era_dates();
    test_yen();
    pf_text_ctx_free(ctx);
}
