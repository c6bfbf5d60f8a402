/* Unit tests of layout/textset: Japanese line fitting with real fonts — kinsoku at every
 * width, nothing lost or repeated, explicit newlines kept, spacing rules, shrink and overflow. */
#include <stdlib.h>

#include "layout/textset.h"
#include "unit.h"

static pf_lay L;
static pf_error err;

static pf_value *made[64];
static size_t n_made;

/* A value for the test; freed after the layout context (its shaping is cached by pointer). */
static pf_value *val(const char *s)
{
    pf_value *v = calloc(1, sizeof *v);
    if (n_made < 64)
        made[n_made++] = v;
    v->text = pf_xstrdup(s);
    v->len = strlen(s);
    return v;
}

static uint32_t first_cp(const pf_value *v, size_t at)
{
    int32_t cp = pf_utf8_next(v->text, v->len, &at);
    return cp < 0 ? 0 : (uint32_t)cp;
}

static uint32_t last_cp(const pf_value *v, size_t start, size_t end)
{
    uint32_t last = 0;
    while (start < end) {
        int32_t cp = pf_utf8_next(v->text, end, &start);
        if (cp < 0)
            break;
        if (!pf_text_is_variation_selector((uint32_t)cp))
            last = (uint32_t)cp;
    }
    return last;
}

/* At every width from 3 to 40 em: lines cover the text exactly once, in order, and no line
 * starts or ends against the kinsoku rules (except a forced break in an unbreakable run). */
static void kinsoku_at_all_widths(const char *s)
{
    pf_value *v = val(s);
    const pf_shaped *sh = pf_lay_shape(&L, v, 0);
    CHECK(sh != NULL);
    if (!sh)
        return;
    int bad = 0;
    for (int em = 3; em <= 40; em++) {
        pf_line *lines;
        size_t n = pf_lay_fit(sh, 10, em * 10.0, 0, 0, &lines);
        size_t next = 0;
        for (size_t i = 0; i < n; i++) {
            if (lines[i].c0 != next || lines[i].c1 <= lines[i].c0)
                bad++;
            next = lines[i].c1;
            if (i > 0 && sh->c[lines[i].c0].can_break) {
                uint32_t a = first_cp(v, sh->c[lines[i].c0].start);
                uint32_t b = last_cp(v, sh->c[lines[i - 1].c0].start, sh->c[lines[i - 1].c1 - 1].end);
                if (pf_text_no_line_start(a) || pf_text_no_line_end(b)) {
                    fprintf(stderr, "  width %d em: line %zu starts U+%04X after U+%04X\n", em, i, a, b);
                    bad++;
                }
            }
            if (i > 0 && !sh->c[lines[i].c0].can_break && !sh->c[lines[i].c0].mandatory) {
                /* a forced break: allowed only where no opportunity existed in the line */
                for (size_t c = lines[i - 1].c0 + 1; c < lines[i - 1].c1; c++)
                    if (sh->c[c].can_break)
                        bad++;
            }
            if (lines[i].width > em * 10.0 + 0.01 && lines[i].c1 - lines[i].c0 > 1)
                bad++;
        }
        if (next != sh->nc)
            bad++;
        free(lines);
    }
    CHECK(bad == 0);
}

static void run_kinsoku(void)
{
    kinsoku_at_all_widths("グループホームでの生活に慣れてきたので、日中は作業所で働き、休日は地域の活動に参加して楽しみを増やしたい。将来は一般就労にも挑戦したい。（家族）本人のペースで自立した生活を続けてほしい。");
    kinsoku_at_all_widths("「こんにちは。」と言った。「ちょっと待ってー」（きゃっ）、ぁぃぅぇぉっゃゅょ、々ゝ……——。");
    kinsoku_at_all_widths("利用者負担上限額は9,300円、https://example.jp/very/long/path/that/cannot/break/anywhere です。");
    kinsoku_at_all_widths("髙橋 𠮷郎さんと葛\xf3\xa0\x84\x80飾区の﨑さん。「（括弧）」『二重』【隅付き】〔亀甲〕");
}

/* Phrase-aware fitting (issue 13), at every width from 3 to 40 em: a line ends where a phrase
 * does, or inside a phrase only when that phrase alone is wider than the line; and no
 * paragraph ends on a line of one or two characters when the line before could give it a
 * phrase and both still fit. */
static void phrases_at_all_widths(const char *s)
{
    pf_value *v = val(s);
    const pf_shaped *sh = pf_lay_shape(&L, v, 0);
    CHECK(sh != NULL);
    if (!sh)
        return;
    int cut = 0, widow = 0;
    for (int em = 3; em <= 40; em++) {
        double width = em * 10.0;
        pf_line *lines;
        size_t n = pf_lay_fit(sh, 10, width, 0, 0, &lines);
        for (size_t i = 0; i + 1 < n; i++) {
            size_t e = lines[i].c1;
            if (e >= sh->nc || sh->c[e].phrase || sh->c[e].mandatory)
                continue;
            /* cut inside a phrase: only if that phrase (from its start) is wider than a line */
            size_t p = e;
            while (p > 0 && !sh->c[p].phrase && !sh->c[p].mandatory)
                p--;
            double w = 0;
            for (size_t j = p; j < sh->nc && (j == p || (!sh->c[j].phrase && !sh->c[j].mandatory)); j++)
                w += (j > p ? sh->c[j].extra : 0) + sh->c[j].width;
            if (w * 10 / 1000.0 <= width + 0.01 && p > lines[i].c0)
                cut++;
        }
        if (n >= 2) {
            const pf_line *last = &lines[n - 1], *before = &lines[n - 2];
            if (last->c1 - last->c0 <= 2) {
                for (size_t p = before->c1 - 1; p > before->c0; p--)
                    if (sh->c[p].phrase) {
                        double w = 0;
                        for (size_t j = p; j < last->c1; j++)
                            w += (j > p ? sh->c[j].extra : 0) + sh->c[j].width;
                        widow += w * 10 / 1000.0 <= width + 0.01;
                        break;
                    }
            }
        }
        free(lines);
    }
    CHECK(cut == 0);
    CHECK(widow == 0);
}

/* Every line that ends inside a word (pf_cluster.word) does so only because that word, from its
 * start, is wider than the line. */
static void words_at_all_widths(const char *s)
{
    pf_value *v = val(s);
    const pf_shaped *sh = pf_lay_shape(&L, v, 0);
    CHECK(sh != NULL);
    if (!sh)
        return;
    int cut = 0;
    for (int em = 2; em <= 30; em++) {
        pf_line *lines;
        size_t n = pf_lay_fit(sh, 10, em * 10.0, 0, 0, &lines);
        for (size_t i = 0; i + 1 < n; i++) {
            size_t e = lines[i].c1, p = e;
            if (sh->c[e].word || sh->c[e].mandatory)
                continue;
            while (p > lines[i].c0 && !sh->c[p].word)
                p--;
            double w = 0;
            for (size_t j = p; j < sh->nc && (j == p || !sh->c[j].word); j++)
                w += (j > p ? sh->c[j].extra : 0) + sh->c[j].width;
            if (p > lines[i].c0 && w * 10 / 1000.0 <= em * 10.0 + 0.01) {
                fprintf(stderr, "FAIL %s at %d em: line %zu cut inside a word\n", s, em, i);
                cut++;
            }
        }
        free(lines);
    }
    CHECK(cut == 0);
}

static void run_phrases(void)
{
    phrases_at_all_widths("グループホームでの生活に慣れてきたので、日中は作業所で働き、休日は地域の活動に参加して楽しみを増やしたい。将来は一般就労にも挑戦したい。（家族）本人のペースで自立した生活を続けてほしい。");
    phrases_at_all_widths("月・水・金 9:30～15:30（22日/月） ワークセンターあおば（担当 佐藤 03-1234-5678）");
    phrases_at_all_widths("休日は一人で静かに過ごしたい。");
    /* a phrase wider than the line is cut where the strict rules allow: nothing is lost */
    pf_value *v = val("障害福祉サービス受給者証番号");
    const pf_shaped *sh = pf_lay_shape(&L, v, 0);
    pf_line *lines;
    size_t n = sh ? pf_lay_fit(sh, 10, 40, 0, 0, &lines) : 0;
    CHECK(n >= 3);
    if (n)
        CHECK(lines[n - 1].c1 == sh->nc);
    if (sh)
        free(lines);
    /* a phrase wider than the line breaks where its script changes (a word), not inside a
     * word narrower than the line: 「障害福祉サービス／受給者証番号」, never 「…サービ／ス…」 */
    words_at_all_widths("障害福祉サービス受給者証番号");
    words_at_all_widths("グループホームひだまりとワークセンターあおばで連絡帳を共有し、手順書をそろえる。");
}

/* 均等割り (issue 13): a label's words are spread, its bracketed part set close after them; a
 * label that is all bracket is centred, not spread. Read from the glyphs' pen positions. */
static void distribute_case(const char *label, size_t bracket_at, int expect_spread)
{
    pf_value *v = val(label);
    const pf_shaped *sh = pf_lay_shape(&L, v, 0);
    CHECK(sh != NULL);
    if (!sh)
        return;
    pf_line *lines;
    size_t n = pf_lay_fit(sh, 8, 1e9, 0, 1, &lines);
    pf_doc doc = {0};
    pf_page *pg = pf_doc_add_page(&doc, 800, 600);
    pf_lay_draw_line(&L, pg, v, sh, &lines[0], 8, 10, 100, 200, PF_ALIGN_DISTRIBUTE);
    CHECK(n == 1 && pg->n_runs == 1);
    if (pg->n_runs == 1) {
        const pf_run *r = &pg->runs[0];
        int spread_before = 0, spread_after = 0;
        for (size_t i = 0; i + 1 < r->n; i++) {
            double gap = r->g[i + 1].x - r->g[i].x;   /* pen to pen */
            int wide = gap > 8 * 1.05;                 /* more than one em: spread */
            if (i + 1 < bracket_at)
                spread_before |= wide;
            else
                spread_after |= wide;
        }
        CHECK(spread_before == expect_spread);
        CHECK(!spread_after);
    }
    free(lines);
    pf_doc_free(&doc);
}

static void run_distribute(void)
{
    distribute_case("長期目標（内容・期間等）", 4, 1);   /* 長 期 目 標（内容・期間等） */
    distribute_case("（保護者署名）", 0, 0);            /* all bracket: centred */
    distribute_case("利用者氏名", 5, 1);
}

static void run_newlines(void)
{
    pf_value *v = val("一行目\n\n三行目");
    const pf_shaped *sh = pf_lay_shape(&L, v, 0);
    CHECK(sh != NULL);
    pf_line *lines;
    size_t n = pf_lay_fit(sh, 10, 500, 0, 0, &lines);
    CHECK(n == 3);  /* the empty line the user typed is kept */
    free(lines);
}

static void run_spacing(void)
{
    /* 和欧間 between kanji and digits; 。」 squeezed */
    pf_value *v = val("週5日。」");
    const pf_shaped *sh = pf_lay_shape(&L, v, 0);
    CHECK(sh && sh->nc == 5);
    if (sh && sh->nc == 5) {
        CHECK(sh->c[1].extra == 250);   /* 週|5 */
        CHECK(sh->c[2].extra == 250);   /* 5|日 */
        CHECK(sh->c[4].extra == -500);  /* 。|」 */
    }
}

static void run_missing_glyph(void)
{
    pf_value *v = val("あ😀");
    v->parts = calloc(1, sizeof *v->parts);
    v->parts[0] = (pf_value_part){0, v->len, 12, "利用者氏名", "name"};
    v->n_parts = 1;
    pf_error e2 = {0};
    pf_error *saved = L.err;
    L.err = &e2;
    CHECK(pf_lay_shape(&L, v, 0) == NULL);
    CHECK(e2.status == PF_EXIT_INVALID && e2.line == 12);
    CHECK(strstr(e2.msg_en, "U+1F600") != NULL);
    CHECK_STR(e2.field_ja, "利用者氏名");
    L.err = saved;
}

/* Continued texts are kept each in its own allocation: a pointer to the first stays valid, and
 * its text whole, while many more boxes overflow after it (the list of them grows many times).
 * This once held a pointer into the growing list: a use-after-free under ASan. */
static void run_overflow_entries_stay(void)
{
    pf_style st = {"mincho", 9, 6, 1.35, 0, PF_ALIGN_LEFT, PF_VALIGN_TOP, 0, 1};
    pf_doc doc = {0};
    pf_page *pg = pf_doc_add_page(&doc, 800, 600);
    pf_value *first = val("一つ目の長い文章は箱に入りきらず、別紙に続く。最後まで残ること。");
    size_t before = L.n_over;
    CHECK(pf_lay_box(&L, pg, first, &st, 0, 0, 40, 12, "一つ目") == 0);
    CHECK(L.n_over == before + 1);
    if (L.n_over != before + 1)
        return;
    const pf_overflow *o = L.over[before];
    char *rest = pf_xstrdup(o->rest.text);
    for (int i = 0; i < 40; i++)
        CHECK(pf_lay_box(&L, pg, val("二つ目以降の文章も箱に入りきらずに別紙へ続いていく。"), &st, 0,
                         0, 40, 12, "次") == 0);
    CHECK(L.n_over == before + 41);
    CHECK(L.over[before] == o);
    CHECK_STR(o->label, "一つ目");
    CHECK_STR(o->rest.text, rest);
    CHECK(strstr(o->rest.text, "最後まで残ること。") != NULL);
    free(rest);
    /* the shaping of values is kept while small, freed once large */
    size_t kept = L.n_cache;
    pf_lay_forget(&L);
    CHECK(kept > 0 && L.n_cache == kept);
    pf_buf big = {0};
    for (int i = 0; i < PF_LAY_CACHE_KEEP / 10 + 1; i++)
        pf_buf_adds(&big, "長い記録を書き続ける。");
    CHECK(pf_lay_shape(&L, val(big.data), 0) != NULL);
    pf_buf_free(&big);
    pf_lay_forget(&L);
    CHECK(L.n_cache == 0 && L.cached_clusters == 0);
    CHECK(pf_lay_shape(&L, first, 0) != NULL);
    pf_lay_drop_over(&L, before);
    CHECK(L.n_over == before);
    pf_doc_free(&doc);
}

/* A page is its own allocation: the layout holds the page it draws on while it adds others. */
static void run_pages_stay(void)
{
    pf_doc doc = {0};
    pf_page *p = pf_doc_add_page(&doc, 100, 100);
    for (int i = 0; i < 100; i++)
        pf_doc_add_page(&doc, 100, 100);
    pf_page_rule(p, 0, 0, 10, 10, 1);
    CHECK(doc.n_pages == 101 && doc.pages[0] == p && doc.pages[0]->n_shapes == 1);
    pf_doc_free(&doc);
}

void run_tests(void)
{
    L.fs = pf_fontset_load("fonts/chain.conf", &err);
    L.tc = pf_text_ctx_new(&err);
    L.err = &err;
    L.mark = "（別紙に続く）";
    CHECK(L.fs && L.tc);
    if (!L.fs || !L.tc) {
        pf_error_print(&err);
        return;
    }
    run_kinsoku();
    run_phrases();
    run_distribute();
    run_newlines();
    run_spacing();
    run_missing_glyph();
    run_overflow_entries_stay();
    run_pages_stay();
    pf_lay_free(&L);
    for (size_t i = 0; i < n_made; i++) {
        pf_value_free(made[i]);
        free(made[i]);
    }
    pf_fontset_free(L.fs);
    pf_text_ctx_free(L.tc);
}
