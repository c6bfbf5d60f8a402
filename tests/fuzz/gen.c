/* gen — fuzz bytes to a plan bundle. See gen.h. */
#include "gen.h"

#include <string.h>
#include <uchar.h>

#define MAX_PLANS 4
#define MAX_ISPS 8

/* Realistic text: the tables long fields are drawn from. */
static const char32_t HIRAGANA[] = U"あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよ"
                                   U"らりるれろわをんがぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽ";
static const char32_t KATAKANA[] = U"アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨ"
                                   U"ラリルレロワヲンガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴ";
static const char32_t KANJI[] = U"日中作業所働工賃週安定通習得生活支援計画相談利用者本人家族地域参加楽増将来一般"
                                U"就労挑戦自立続福祉障害児童放課後等健康服薬管理医療機関連携目標達成期間評価留"
                                U"意事項状況確認手順書対応混乱休憩場所事前送迎朝夕食入浴就寝起床学校友遊言葉気"
                                U"持伝困担当職員記録共有見直相手順番待規則守集団個別長期短期継続変更必要性満足"
                                U"髙﨑橋邊齋藤渡辺山田花子佐々木鈴高誠和恵田中";
/* Kept off a line's start (closing brackets, small kana, 、。) or end (opening brackets). */
static const char32_t KINSOKU[] = U"、。，．・：；？！ー…‥っゃゅょぁぃぅぇぉッャュョァィゥェォ々ゝゞ"
                                  U"）」』】〕〉》］｝〟（「『【〔〈《［｛〝—〜";
static const char32_t LATIN[] = U"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                U"éèêëàâäçñöüßÉÀÇŁłŒœøåÅ";
static const char32_t FULLWIDTH[] = U"０１２３４５６７８９ＡＢＣＤＥＦａｂｃ！？＃％＆（）－＝";
/* Whole units: names' variant kanji, one with its ideographic variation sequence. */
static const char *const NAMES[] = {
    "髙橋 𠮷郎", "﨑山 葛󠄀太", "山田 花子", "渡邊 齋藤", "José García", "Zoë Müller-Łukasiewicz",
    "佐々木 恵", "𠮷田", "葛󠄀城", "髙﨑", "Ngô Văn", "田中 太郎", "ｱｲｳｴｵ",
};
/* Sentences as the samples have them. */
static const char *const PHRASES[] = {
    "日中は作業所で働き、工賃を得たい。",
    "週5日安定して通所し、作業工程を一つ習得する。",
    "こだわり行動が出た時は手順書に沿って対応する。",
    "（家族）本人のペースで自立した生活を続けてほしい。",
    "予定の変更は前日までに視覚的に伝える。",
    "月〜金 9:30〜15:30",
    "担当 佐藤 03-1234-5678",
    "「手伝って」と伝える。",
    "服薬カレンダーを使い、朝と夜の薬を自分で飲む。",
    "人混みでの混乱に備え、休憩場所を事前に確認する。",
    "22日/月",
    "Group home \"Hidamari\" & <day care>",
    "長期休暇中 9:00〜15:00（5日/月）",
    "https://example.jp/very/long/path/without/any/break/opportunity/at/all/0123456789",
};
/* Units repeated to make a long run with few or no break opportunities. */
static const char *const RUNS[] = {
    "a", "あ", "一", "ー", "…", "」", "（", "—", "0", "Ｗ", "𠮷", "葛󠄀", "、", " ", "　", "\n",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct gen {
    const uint8_t *p;
    size_t n, i;
    uint64_t rng;
    size_t budget;          /* characters of text still to give out */
    int fault_at, points;   /* the fault point that goes wrong (-1: none), points passed */
    pf_buf *out;
    int n_plans, needs[MAX_PLANS], child[MAX_PLANS];
    int n_isps, isp_goals[MAX_ISPS], isp_ids[MAX_ISPS];
} gen;

static unsigned byte(gen *g)
{
    return g->i < g->n ? g->p[g->i++] : 0;
}

static unsigned u16(gen *g)
{
    unsigned hi = byte(g);
    return hi << 8 | byte(g);
}

/* 0..n-1 */
static unsigned below(gen *g, unsigned n)
{
    return n <= 256 ? byte(g) % n : u16(g) % n;
}

/* Mostly 0..few, sometimes up to max. */
static int count(gen *g, int few, int max)
{
    unsigned b = byte(g);
    if (b < 224)
        return (int)(b % (unsigned)(few + 1));
    return (int)(below(g, (unsigned)max + 1));
}

static uint64_t rnd(gen *g)  /* splitmix64 */
{
    uint64_t z = (g->rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static int fault(gen *g)
{
    return g->points++ == g->fault_at;
}

static void put(gen *g, const char *s)
{
    pf_buf_adds(g->out, s);
}

/* One character of content, escaped for an element or an attribute value. */
static void put_cp(gen *g, uint32_t cp)
{
    switch (cp) {
    case '<': put(g, "&lt;"); break;
    case '>': put(g, "&gt;"); break;
    case '&': put(g, "&amp;"); break;
    case '"': put(g, "&quot;"); break;
    default: pf_utf8_put(g->out, cp);
    }
}

/* A UTF-8 unit, escaped; returns its code points. */
static size_t put_unit(gen *g, const char *s)
{
    size_t i = 0, len = strlen(s), n = 0;
    while (i < len) {
        int32_t cp = pf_utf8_next(s, len, &i);
        if (cp < 0)
            break;
        put_cp(g, (uint32_t)cp);
        n++;
    }
    return n;
}

static uint32_t pick(gen *g, const char32_t *table, size_t size)
{
    return table[rnd(g) % (size - 1)];  /* size counts the terminating 0 */
}
#define PICK(g, t) pick((g), (t), COUNT(t))

/* How long a text is: mostly short, sometimes a paragraph, now and then far longer than any
 * form holds (the fields that once crashed were 22,000 characters). */
static size_t length(gen *g)
{
    unsigned b = byte(g);
    size_t n;
    if (b < 200)
        n = b % 48;
    else if (b < 244)
        n = 48 + (b - 200) * 24 + byte(g) % 24;
    else if (b < 253)
        n = 1000 + u16(g) % 9000;
    else
        n = 10000 + u16(g) % 50000;
    if (n > g->budget)
        n = g->budget;
    g->budget -= n;
    return n;
}

/* A character from the mix of an ordinary Japanese paragraph. */
static void mixed_char(gen *g)
{
    unsigned r = (unsigned)(rnd(g) % 100);
    if (r < 35)
        put_cp(g, PICK(g, KANJI));
    else if (r < 70)
        put_cp(g, PICK(g, HIRAGANA));
    else if (r < 80)
        put_cp(g, PICK(g, KATAKANA));
    else if (r < 90)
        put_cp(g, PICK(g, KINSOKU));
    else if (r < 94)
        put_cp(g, PICK(g, LATIN));
    else if (r < 96)
        put_cp(g, PICK(g, FULLWIDTH));
    else if (r < 98)
        put_cp(g, r & 1 ? ' ' : 0x3000);
    else
        put_cp(g, '\n');
}

/* Text content: a style, a length and a seed from the bytes, the characters from the seed. */
static void text(gen *g)
{
    unsigned style = byte(g) % 9;
    size_t n = length(g);
    g->rng = (uint64_t)u16(g) << 16 ^ (uint64_t)g->i * 0x100000001B3u;
    if (fault(g)) {  /* a control character, or one no font has */
        put(g, byte(g) & 1 ? "&#1;" : "😀");
        return;
    }
    size_t k = 0;
    switch (style) {
    case 0: /* sentences */
        while (k < n)
            k += put_unit(g, PHRASES[rnd(g) % COUNT(PHRASES)]);
        break;
    case 1: /* a run of one unit: no break opportunity, or nothing but punctuation */
    {
        const char *u = RUNS[byte(g) % COUNT(RUNS)];
        while (k < n)
            k += put_unit(g, u);
        break;
    }
    case 2: /* brackets and small kana crowding line ends */
        for (; k < n; k++)
            put_cp(g, rnd(g) % 3 ? PICK(g, KINSOKU) : PICK(g, HIRAGANA));
        break;
    case 3: /* Latin words, some very long (an address, a URL) */
        while (k < n) {
            size_t w = rnd(g) % 16 == 0 ? 200 + rnd(g) % 800 : 1 + rnd(g) % 12;
            for (size_t j = 0; j < w && k < n; j++, k++)
                put_cp(g, PICK(g, LATIN));
            if (k++ < n)
                put_cp(g, rnd(g) % 8 ? ' ' : '-');
        }
        break;
    case 4: /* lines: short, empty, or only spaces */
        while (k < n) {
            size_t w = rnd(g) % 40;
            for (size_t j = 0; j < w && k < n; j++, k++)
                rnd(g) % 6 ? mixed_char(g) : put_cp(g, rnd(g) & 1 ? ' ' : 0x3000);
            put_cp(g, '\n');
            k++;
        }
        break;
    case 5: /* names and their variant kanji */
        while (k < n) {
            k += put_unit(g, NAMES[rnd(g) % COUNT(NAMES)]);
            if (rnd(g) & 1)
                put_cp(g, ' '), k++;
        }
        break;
    case 6: /* steered by the input itself, one byte a character */
        for (; k < n && g->i < g->n; k++) {
            unsigned b = byte(g);
            const char32_t *t[] = {HIRAGANA, KANJI, KINSOKU, LATIN};
            size_t sizes[] = {COUNT(HIRAGANA), COUNT(KANJI), COUNT(KINSOKU), COUNT(LATIN)};
            put_cp(g, b >= 252 ? (b == 255 ? '\n' : ' ') : t[b & 3][(b >> 2) % (sizes[b & 3] - 1)]);
        }
        break;
    default: /* an ordinary paragraph */
        for (; k < n; k++)
            mixed_char(g);
    }
}

static void element(gen *g, const char *name)
{
    pf_buf_printf(g->out, "<%s>", name);
    text(g);
    pf_buf_printf(g->out, "</%s>", name);
}

static void optional(gen *g, const char *name)
{
    if (byte(g) % 4)
        element(g, name);
}

/* YYYY-MM-DD (day ≤ 28: always a date), or a day that does not exist when faulty. */
static void date(gen *g)
{
    unsigned y = 2020 + below(g, 10), m = 1 + below(g, 12), d = 1 + below(g, 28);
    if (fault(g))
        m = 2, d = 30;
    pf_buf_printf(g->out, "%04u-%02u-%02u", y, m, d);
}

static void month(gen *g)
{
    unsigned y = 2020 + below(g, 10), m = 1 + below(g, 12);
    pf_buf_printf(g->out, "%04u-%02u", y, fault(g) ? 13 : m);
}

/* HH:MM, 00:00 to 24:00, mostly on the quarter hour. */
static unsigned minutes(gen *g)
{
    unsigned b = byte(g);
    return b < 200 ? (b % 97) * 15 : u16(g) % 1441;
}

static void put_time(gen *g, unsigned t)
{
    pf_buf_printf(g->out, "%02u:%02u", t / 60, t % 60);
}

static void person(gen *g)
{
    put(g, "<person><name>");
    if (byte(g) % 2)
        put_unit(g, NAMES[byte(g) % COUNT(NAMES)]);
    else
        text(g);  /* a name of any length: the one that crashed had 38 characters */
    put(g, "</name>");
    optional(g, "kana");
    static const char *const cats[] = {"区分1", "区分2", "区分3", "区分4", "区分5", "区分6", "非該当"};
    unsigned b = byte(g);
    if (b % 2)
        pf_buf_printf(g->out, "<support-category>%s</support-category>", cats[b / 2 % 7]);
    static const char *const numbers[] = {"recipient-number", "community-number", "day-number"};
    for (int k = 0; k < 3; k++)
        if (byte(g) % 2) {
            unsigned v = u16(g) * 61027u;  /* ten digits; nine when faulty */
            pf_buf_printf(g->out, fault(g) ? "<%s>%09u</%s>" : "<%s>%010u</%s>", numbers[k],
                          v % 1000000000u, numbers[k]);
        }
    if (byte(g) % 2)
        pf_buf_printf(g->out, "<copay-limit>%u</copay-limit>", u16(g) * 153u % 10000001u);
    put(g, "</person>");
}

/* A provider id from a small pool, so that plans, services and ISPs name the same ones. */
static void provider_id(gen *g)
{
    pf_buf_printf(g->out, "prov%u", byte(g) % 12);
}

static void service(gen *g)
{
    static const char *const cats[] = {"障害福祉サービス", "障害児通所支援", "医療", "地域生活支援事業",
                                       "インフォーマルサービス"};
    unsigned b = byte(g);
    pf_buf_printf(g->out, "<service category=\"%s\"%s>", cats[b % 5],
                  b % 5 == 4 ? " informal=\"true\"" : "");
    element(g, "kind");
    optional(g, "content");
    optional(g, "amount");
    if (byte(g) % 4) {
        put(g, "<provider");
        if (byte(g) % 4) {
            put(g, " id=\"");
            provider_id(g);
            put(g, "\"");
        }
        put(g, ">");
        text(g);
        put(g, "</provider>");
    }
    optional(g, "contact");
    put(g, "</service>");
}

static void need(gen *g, int plan, int k)
{
    /* priorities are unique in a plan: k + 1, or a duplicate when faulty */
    pf_buf_printf(g->out, "<need id=\"n%d-%d\" priority=\"%d\">", plan, k, fault(g) && k ? k : k + 1);
    element(g, "issue");
    element(g, "goal");
    put(g, "<target>");
    byte(g) % 2 ? month(g) : date(g);
    put(g, "</target>");
    for (int s = count(g, 2, 8); s > 0; s--)
        service(g);
    optional(g, "role");
    if (byte(g) % 2) {
        put(g, "<evaluation>");
        month(g);
        put(g, "</evaluation>");
    }
    optional(g, "notes");
    put(g, "</need>");
}

static void weekly(gen *g)
{
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    put(g, "<weekly>");
    for (int s = count(g, 4, 80); s > 0; s--) {
        unsigned mask = 1 + byte(g) % 127, start = minutes(g), end = minutes(g);
        if (end == start && !fault(g))  /* a span of no length is refused */
            end = (start + 15) % 1440;
        put(g, "<span days=\"");
        for (int d = 0, first = 1; d < 7; d++)
            if (mask & 1u << d) {
                pf_buf_printf(g->out, "%s%s", first ? "" : " ", days[d]);
                first = 0;
            }
        put(g, "\" start=\"");
        put_time(g, start);
        put(g, "\" end=\"");
        put_time(g, end);
        put(g, "\">");
        text(g);
        put(g, "</span>");
    }
    for (int a = count(g, 3, 30); a > 0; a--) {
        put(g, "<activity start=\"");
        put_time(g, minutes(g));
        put(g, "\"");
        if (byte(g) % 4 == 0) {
            put(g, " end=\"");
            put_time(g, minutes(g));
            put(g, "\"");
        }
        put(g, ">");
        text(g);
        put(g, "</activity>");
    }
    optional(g, "other-services");
    optional(g, "whole-life");
    put(g, "</weekly>");
}

static void consent(gen *g)
{
    if (byte(g) % 2 == 0)
        return;
    put(g, "<consent");
    if (byte(g) % 4) {
        put(g, " name=\"");
        put_unit(g, NAMES[byte(g) % COUNT(NAMES)]);
        put(g, "\"");
    }
    if (byte(g) % 4) {
        put(g, " date=\"");
        date(g);
        put(g, "\"");
    }
    put(g, "/>");
}

static void plan(gen *g, int p)
{
    unsigned b = byte(g);
    g->child[p] = b & 1;
    pf_buf_printf(g->out, "<service-use-plan id=\"plan%d\" status=\"%s\"%s>", p,
                  b & 2 ? "draft" : "final", g->child[p] ? " kind=\"child\"" : "");
    element(g, "agency");
    element(g, "planner");
    put(g, "<created>");
    date(g);
    put(g, "</created><monitoring start=\"");
    month(g);
    put(g, "\"");
    unsigned every = byte(g) % 16;
    if (every >= 1 && every <= 12)
        pf_buf_printf(g->out, " every=\"%u\"", every);
    put(g, ">");
    text(g);
    put(g, "</monitoring>");
    if (byte(g) % 2) {
        put(g, "<start>");
        month(g);
        put(g, "</start>");
    }
    consent(g);
    element(g, "wishes");
    element(g, "policy");
    element(g, "long-term-goal");
    element(g, "short-term-goal");
    put(g, "<needs>");
    g->needs[p] = 1 + count(g, 5, 98);
    for (int k = 0; k < g->needs[p]; k++)
        need(g, p, k);
    put(g, "</needs>");
    if (byte(g) % 4)
        weekly(g);
    put(g, "</service-use-plan>");
}

/* A goal's elements come in any order (xs:all): the bytes choose it. */
static void goal(gen *g, int isp, int k, int plan)
{
    static const char *const cats[] = {"本人支援", "家族支援", "移行支援", "地域支援・地域連携"};
    static const char *const domains[] = {"健康・生活", "運動・感覚", "認知・行動", "言語・コミュニケーション",
                                          "人間関係・社会性"};
    int need = (int)byte(g) % g->needs[plan];
    pf_buf_printf(g->out, "<goal id=\"g%d-%d\" need=\"n%d-%d\" priority=\"%u\"", isp, k, plan,
                  fault(g) ? g->needs[plan] + 1 : need, 1 + byte(g) % 99);
    unsigned b = byte(g);
    if (b & 1)
        pf_buf_printf(g->out, " category=\"%s\"", cats[b / 2 % 4]);
    if (b & 8) {  /* bits 3 to 7 choose the domains */
        put(g, " domains=\"");
        for (int d = 0, first = 1; d < 5; d++)
            if (b >> (3 + d) & 1) {
                pf_buf_printf(g->out, "%s%s", first ? "" : " ", domains[d]);
                first = 0;
            }
        put(g, "\"");
    }
    put(g, ">");
    static const char *const parts[] = {"aim", "role", "support", "period", "staff", "notes"};
    unsigned first = byte(g) % 6;
    for (unsigned j = 0; j < 6; j++)
        optional(g, parts[(first + j) % 6]);
    if (byte(g) % 4 == 0) {
        put(g, "<target>");
        month(g);
        put(g, "</target>");
    }
    put(g, "</goal>");
}

static void isp(gen *g, int i)
{
    int p = (int)byte(g) % g->n_plans;
    pf_buf_printf(g->out, "<individual-support-plan id=\"isp%d\" plan=\"plan%d\" provider=\"", i, p);
    provider_id(g);
    pf_buf_printf(g->out, "\"%s>", g->child[p] ? " kind=\"child\"" : "");
    element(g, "office");
    element(g, "service-type");
    element(g, "manager");
    put(g, "<created>");
    date(g);
    put(g, "</created>");
    if (byte(g) % 2) {
        put(g, "<period start=\"");
        date(g);
        put(g, "\" end=\"");
        date(g);
        put(g, "\"/>");
    }
    static const char *const opt[] = {"wishes", "policy", "long-term-goal", "short-term-goal",
                                      "standard-time"};
    for (size_t k = 0; k < COUNT(opt); k++)
        optional(g, opt[k]);
    put(g, "<goals>");
    g->isp_goals[i] = 1 + count(g, 3, 40);
    for (int k = 0; k < g->isp_goals[i]; k++)
        goal(g, i, k, p);
    put(g, "</goals>");
    consent(g);
    if (byte(g) % 2) {
        put(g, "<delivered date=\"");
        date(g);
        put(g, "\"/>");
    }
    put(g, "</individual-support-plan>");
}

static void monitoring(gen *g, int m)
{
    int p = (int)byte(g) % g->n_plans;
    pf_buf_printf(g->out, "<monitoring-report id=\"mon%d\" plan=\"plan%d\"><date>", m, p);
    date(g);
    put(g, "</date>");
    element(g, "overall");
    consent(g);
    put(g, "<reviews>");
    /* one review per need at most (unique), starting anywhere */
    int n = 1 + count(g, 3, g->needs[p] - 1), from = (int)byte(g) % g->needs[p];
    if (n > g->needs[p])
        n = g->needs[p];
    for (int k = 0; k < n; k++) {
        pf_buf_printf(g->out, "<review need=\"n%d-%d\">", p, (from + k) % g->needs[p]);
        static const char *const parts[] = {"provision", "satisfaction", "achievement", "issues",
                                            "notes"};
        for (size_t j = 0; j < COUNT(parts); j++)
            optional(g, parts[j]);
        unsigned b = byte(g);
        pf_buf_printf(g->out, "<change type=\"%s\" amount=\"%s\" weekly=\"%s\"/>",
                      b & 1 ? "有" : "無", b & 2 ? "有" : "無", b & 4 ? "有" : "無");
        put(g, "</review>");
    }
    put(g, "</reviews></monitoring-report>");
}

static void evaluation(gen *g, int v)
{
    int i = (int)byte(g) % g->n_isps;
    pf_buf_printf(g->out, "<evaluation id=\"ev%d\" isp=\"isp%d\"><date>", v, i);
    date(g);
    put(g, "</date>");
    optional(g, "overall");
    optional(g, "satisfaction");
    optional(g, "family");
    put(g, "<goal-reviews>");
    static const char *const achieved[] = {"達成", "一部達成", "未達成"};
    for (int k = count(g, 2, g->isp_goals[i] - 1); k >= 0; k--) {
        pf_buf_printf(g->out, "<goal-review goal=\"g%d-%d\">", i,
                      (int)byte(g) % g->isp_goals[i] + (fault(g) ? 100 : 0));
        optional(g, "implementation");
        pf_buf_printf(g->out, "<achieved>%s</achieved>", achieved[byte(g) % 3]);
        optional(g, "cause");
        optional(g, "next");
        put(g, "</goal-review>");
    }
    pf_buf_printf(g->out, "</goal-reviews><change>%s</change>", byte(g) % 2 ? "有" : "無");
    if (byte(g) % 2) {
        put(g, "<next-date>");
        date(g);
        put(g, "</next-date>");
    }
    optional(g, "notes");
    consent(g);
    put(g, "</evaluation>");
}

void pf_gen_bundle(const uint8_t *data, size_t size, pf_buf *out)
{
    gen g = {.p = data, .n = size, .budget = PF_GEN_BUDGET, .out = out};
    unsigned b = byte(&g);
    g.fault_at = b % 16 == 15 ? (int)(b / 16) * 16 + (int)byte(&g) % 16 : -1;
    /* most bundles the size of a real one, some far bigger: inputs a second or more each would
     * leave little time for the rest */
    unsigned size_class = byte(&g) % 8;
    g.budget = size_class < 5 ? PF_GEN_BUDGET / 30 : size_class < 7 ? PF_GEN_BUDGET / 5 : PF_GEN_BUDGET;
    put(&g, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<bundle xmlns=\"urn:planform:bundle:1\" version=\"1\">");
    person(&g);
    g.n_plans = 1 + count(&g, 1, MAX_PLANS - 1);
    for (int p = 0; p < g.n_plans; p++)
        plan(&g, p);
    /* ISPs, monitoring reports and evaluations with their goal reviews */
    g.n_isps = count(&g, 3, MAX_ISPS);
    for (int i = 0; i < g.n_isps; i++)
        isp(&g, i);
    for (int m = count(&g, 2, 6) - 1; m >= 0; m--)
        monitoring(&g, m);
    for (int v = g.n_isps ? count(&g, 2, 6) - 1 : -1; v >= 0; v--)
        evaluation(&g, v);
    if (fault(&g))
        put(&g, "<unknown/>");
    put(&g, "</bundle>\n");
}
