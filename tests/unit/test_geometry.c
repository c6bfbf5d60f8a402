/* Geometry of every laid-out page of every sample and of each with text of real length in
 * every box (issue 13): no rule runs through a glyph, unless a fill drawn after the rule hides
 * it there (a weekly-grid block over the band lines), and no line of text lies over another.
 * Read from the layout itself, before the PDF. Run from the source tree. */
#include <stdlib.h>

#include "render.h"
#include "util/files.h"
#include "unit.h"

/* the box a glyph inks, roughly: its advance wide, from 0.88 em above the baseline to 0.12 below */
typedef struct box {
    double x0, y0, x1, y1;
} box;

static int hidden(const pf_page *pg, size_t rule, double x, double y)
{
    for (size_t k = rule + 1; k < pg->n_shapes; k++) {
        const pf_graphic *s = &pg->shapes[k];
        if (s->kind == PF_GRAPHIC_FILL && x >= s->x1 && x <= s->x2 && y >= s->y1 && y <= s->y2)
            return 1;
    }
    return 0;
}

/* Rules through glyphs on one page; the first few are printed. */
static size_t crossings(const pf_page *pg, const char *what, size_t page)
{
    size_t n = 0;
    for (size_t r = 0; r < pg->n_runs; r++) {
        const pf_run *run = &pg->runs[r];
        for (size_t g = 0; g < run->n; g++) {
            const pf_placed_glyph *gl = &run->g[g];
            double w = gl->advance * run->size / 1000.0, s = run->size;
            if (w <= 0.2 * s)
                continue;   /* a space, a squeezed bracket */
            box b = {gl->x + 0.1 * s, run->y - 0.78 * s, gl->x + w - 0.1 * s, run->y + 0.02 * s};
            for (size_t k = 0; k < pg->n_shapes; k++) {
                const pf_graphic *sh = &pg->shapes[k];
                if (sh->kind != PF_GRAPHIC_RULE)
                    continue;
                int vertical = sh->x1 == sh->x2, horizontal = sh->y1 == sh->y2;
                double lo, hi, at;
                if (vertical) {
                    lo = sh->y1 < sh->y2 ? sh->y1 : sh->y2, hi = sh->y1 < sh->y2 ? sh->y2 : sh->y1;
                    at = sh->x1;
                    if (at <= b.x0 || at >= b.x1 || hi <= b.y0 || lo >= b.y1)
                        continue;
                    if (hidden(pg, k, at, (b.y0 + b.y1) / 2))
                        continue;
                } else if (horizontal) {
                    lo = sh->x1 < sh->x2 ? sh->x1 : sh->x2, hi = sh->x1 < sh->x2 ? sh->x2 : sh->x1;
                    at = sh->y1;
                    if (at <= b.y0 || at >= b.y1 || hi <= b.x0 || lo >= b.x1)
                        continue;
                    if (hidden(pg, k, (b.x0 + b.x1) / 2, at))
                        continue;
                } else {
                    continue;   /* a diagonal strike-through is meant to cross its cell */
                }
                if (n++ < 3)
                    fprintf(stderr, "  %s page %zu: a rule at %.1f crosses \"%.*s\" (line \"%.40s\")\n",
                            what, page + 1, at, (int)gl->text_len, run->text + gl->text_start,
                            run->text);
                break;
            }
        }
    }
    return n;
}

/* xml with `extra` put before every closing tag named in `tags`: real-length text in every box */
static char *stretched(const char *xml, const char *const *tags, const char *extra)
{
    pf_buf out = {0};
    for (const char *p = xml; *p;) {
        const char *next = NULL, *tag = NULL;
        for (size_t t = 0; tags[t]; t++) {
            const char *at = strstr(p, tags[t]);
            if (at && (!next || at < next))
                next = at, tag = tags[t];
        }
        if (!next) {
            pf_buf_adds(&out, p);
            break;
        }
        pf_buf_add(&out, p, (size_t)(next - p));
        pf_buf_adds(&out, extra);
        pf_buf_adds(&out, tag);
        p = next + strlen(tag);
    }
    return out.data;
}

static box glyph_box(const pf_run *run, const pf_placed_glyph *gl)
{
    double w = gl->advance * run->size / 1000.0, s = run->size;
    return (box){gl->x + 0.05 * s, run->y - 0.8 * s, gl->x + (w > 0 ? w : 0) - 0.05 * s,
                 run->y + 0.05 * s};
}

static int overlap(box a, box b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/* Glyphs of two different lines that overlap (text over text: フリガナ on a name, a mark over a
 * value); the first few are printed. */
static size_t text_over_text(const pf_page *pg, const char *what, size_t page)
{
    size_t n = 0;
    for (size_t r = 0; r < pg->n_runs; r++)
        for (size_t q = r + 1; q < pg->n_runs; q++) {
            const pf_run *a = &pg->runs[r], *b = &pg->runs[q];
            if (!a->n || !b->n)
                continue;
            box ra = glyph_box(a, &a->g[0]), rb = glyph_box(b, &b->g[0]);
            ra.x1 = glyph_box(a, &a->g[a->n - 1]).x1, rb.x1 = glyph_box(b, &b->g[b->n - 1]).x1;
            if (!overlap(ra, rb))
                continue;
            for (size_t i = 0; i < a->n; i++)
                for (size_t j = 0; j < b->n; j++)
                    if (a->g[i].advance > 200 && b->g[j].advance > 200 &&
                        overlap(glyph_box(a, &a->g[i]), glyph_box(b, &b->g[j]))) {
                        if (n++ < 3)
                            fprintf(stderr, "  %s page %zu: \"%.30s\" over \"%.30s\"\n", what,
                                    page + 1, a->text, b->text);
                        i = a->n;
                        break;
                    }
        }
    return n;
}

static void check_xml(pf_engine *e, const char *path, const char *xml, size_t len)
{
    pf_error err = {0};
    pf_bundle *b = pf_bundle_read(e->schema, path, xml, len, &err);
    if (!b)
        fprintf(stderr, "%s: %s\n", path, err.msg_en);
    CHECK(b != NULL);
    if (b) {
        pf_doc doc = {0};
        CHECK(pf_preflight(e, b, PF_FORM_ALL, &doc, &err) == 0);
        size_t n = 0, over = 0;
        for (size_t p = 0; p < doc.n_pages; p++) {
            n += crossings(doc.pages[p], path, p);
            over += text_over_text(doc.pages[p], path, p);
        }
        if (n)
            fprintf(stderr, "FAIL %s: %zu glyphs crossed by a rule\n", path, n);
        if (over)
            fprintf(stderr, "FAIL %s: %zu lines over another\n", path, over);
        CHECK(n == 0);
        CHECK(over == 0);
        pf_doc_free(&doc);
        pf_bundle_free(b);
    }
}

static void check_bundle(pf_engine *e, const char *path)
{
    char *xml;
    size_t len;
    pf_error err = {0};
    CHECK(pf_read_file(path, &xml, &len, &err) == 0);
    if (err.status)
        return;
    check_xml(e, path, xml, len);
    /* and with text of the length consultants write (150–300 characters) in every box */
    static const char *const tags[] = {"</notes>", "</wishes>", "</policy>",
                                       "</issue>", "</role>", "</support>", "</aim>",
                                       "</provision>", "</issues>", "</overall>", "</cause>",
                                       "</next>", "</implementation>", "</satisfaction>", NULL};
    const char *extra = "本人の体調や気持ちの変化に合わせて、関係機関と相談しながら無理のない範囲で"
                        "支援の内容と量を調整する。家族の意向も確認し、月1回の面談で振り返りを行い、"
                        "必要があれば計画を見直す。（令和6年9月・18日/月・9:30～15:30）";
    char *long_xml = stretched(xml, tags, extra);
    char *name = pf_xasprintf("%s (long texts)", path);
    check_xml(e, name, long_xml, strlen(long_xml));
    free(name);
    free(long_xml);
    free(xml);
}

/* fill-rows (issue 13): an individual plan's goal table runs down to its bottom (171 mm in
 * individual-support-plan.xml) in ruled empty rows, not ending under its one goal. */
static void test_full_page(pf_engine *e)
{
    char *xml;
    size_t len;
    pf_error err = {0};
    if (pf_read_file("samples/a-san.xml", &xml, &len, &err))
        return;
    pf_bundle *b = pf_bundle_read(e->schema, "a-san.xml", xml, len, &err);
    free(xml);
    CHECK(b != NULL);
    if (!b)
        return;
    pf_doc doc = {0};
    CHECK(pf_preflight(e, b, PF_FORM_ISP, &doc, &err) == 0);
    double lowest = 0;   /* the lowest horizontal rule above the signature block (180 mm) */
    const pf_page *pg = doc.n_pages ? doc.pages[0] : NULL;
    for (size_t k = 0; pg && k < pg->n_shapes; k++) {
        const pf_graphic *s = &pg->shapes[k];
        double y = s->y1 / (72.0 / 25.4);
        if (s->kind == PF_GRAPHIC_RULE && s->y1 == s->y2 && y < 178 && y > lowest)
            lowest = y;
    }
    CHECK(lowest > 160);
    if (lowest <= 160)
        fprintf(stderr, "  the goal table ends at %.0f mm\n", lowest);
    pf_doc_free(&doc);
    pf_bundle_free(b);
}

void run_tests(void)
{
    pf_engine e;
    pf_error err = {0};
    CHECK(pf_engine_open(&e, ".", 1, NULL, &err) == 0);
    if (!err.status) {
        check_bundle(&e, "samples/a-san.xml");
        check_bundle(&e, "samples/child.xml");
        check_bundle(&e, "samples/overflow.xml");
        check_bundle(&e, "tests/cases/ok-stress-adult.xml");
        check_bundle(&e, "tests/cases/ok-stress-child.xml");
        check_bundle(&e, "tests/cases/ok-overlap-weekly.xml");
        check_bundle(&e, "tests/cases/ok-crowded-weekly.xml");
        check_bundle(&e, "tests/cases/ok-attack13-weekly.xml");
        test_full_page(&e);
    }
    pf_engine_close(&e);
}
