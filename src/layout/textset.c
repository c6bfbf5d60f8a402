/* layout/textset — one value into one rectangle. See textset.h. */
#include "layout/textset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS 0.01

/* ---- shaping into clusters --------------------------------------------------------------- */

static uint32_t cp_at(const char *s, size_t len, size_t i)
{
    int32_t cp = pf_utf8_next(s, len, &i);
    return cp < 0 ? 0 : (uint32_t)cp;
}

/* The last base character of s[start, end): variation selectors are skipped. */
static uint32_t last_base(const char *s, size_t start, size_t end)
{
    uint32_t last = 0;
    for (size_t i = start; i < end;) {
        int32_t cp = pf_utf8_next(s, end, &i);
        if (cp < 0)
            break;
        if (!pf_text_is_variation_selector((uint32_t)cp))
            last = (uint32_t)cp;
    }
    return last;
}

static int is_latin(uint32_t cp) { return pf_text_class(cp) == PF_CC_LATIN; }

/* JLReq spacing before cluster b that follows cluster a (1/1000 em). */
static int32_t spacing(const pf_shaped *sh, const char *s, const pf_cluster *a,
                       const pf_cluster *b)
{
    uint32_t pa = last_base(s, a->start, a->end), nb = cp_at(s, b->end, b->start);
    int32_t extra = 0;
    /* 和欧間: a quarter em between kana/kanji and Latin letters or digits. */
    if ((pf_text_is_cjk(pa) && is_latin(nb)) || (is_latin(pa) && pf_text_is_cjk(nb)))
        extra += 250;
    pf_char_class ca = pf_text_class(pa), cb = pf_text_class(nb);
    int a_full = a->width >= 900, b_full = b->width >= 900;
    (void)sh;
    /* 約物: a closing mark followed by more punctuation loses its blank right half (。」→ half);
     * an opening bracket after punctuation loses its blank left half (」「 → both half). */
    if (a_full && ca == PF_CC_CLOSING && (cb == PF_CC_CLOSING || cb == PF_CC_OPENING))
        extra -= 500;
    if (b_full && cb == PF_CC_OPENING && (ca == PF_CC_OPENING || ca == PF_CC_CLOSING))
        extra -= 500;
    return extra;
}

static int glyph_error(pf_lay *L, const pf_value *v, size_t offset)
{
    size_t i = offset;
    int32_t cp = pf_utf8_next(v->text, v->len, &i);
    int32_t vs = i < v->len ? pf_utf8_next(v->text, v->len, &i) : -1;
    /* the code point, not the character: messages carry no personal data */
    char code[48];
    if (vs >= 0 && pf_text_is_variation_selector((uint32_t)vs))
        snprintf(code, sizeof code, "U+%04X U+%04X", (unsigned)cp, (unsigned)vs);
    else
        snprintf(code, sizeof code, "U+%04X", (unsigned)(cp < 0 ? 0xFFFD : cp));
    const pf_value_part *p = pf_value_part_at(v, offset);
    const char *file = p && p->field_en && strcmp(p->field_en, "label") == 0 ? L->template_path
                                                                             : L->file;
    L->err->status = 0;
    return pf_error_setf(L->err, PF_EXIT_INVALID, PF_CODE_CHAR_NOT_PRINTABLE, file, p ? p->line : 0,
                         p ? p->field_ja : NULL, p ? p->field_en : NULL,
                         "文字 %s を印字できるフォントがありません（fonts/chain.conf）",
                         "no font can print the character %s (fonts/chain.conf)", code);
}

static void add_clusters(pf_shaped *sh, size_t *cap, const pf_glyphs *gl, size_t g_from,
                         const char *s, size_t p0, size_t p1, int mandatory)
{
    for (size_t k = g_from; k < gl->n;) {
        uint32_t cl = gl->g[k].cluster;
        size_t k1 = k;
        int32_t w = 0;
        while (k1 < gl->n && gl->g[k1].cluster == cl)
            w += gl->g[k1++].advance;
        PF_GROW(sh->c, sh->nc, *cap);
        pf_cluster *c = &sh->c[sh->nc++];
        memset(c, 0, sizeof *c);
        c->start = cl;
        c->end = k1 < gl->n ? gl->g[k1].cluster : (uint32_t)p1;
        c->g0 = (uint32_t)k, c->g1 = (uint32_t)k1;
        c->width = w;
        c->mandatory = mandatory && k == g_from;
        k = k1;
    }
    (void)s, (void)p0;
}

static int shape_paragraph(pf_lay *L, pf_shaped *sh, size_t *cap_c, pf_glyphs *gl,
                           const pf_value *v, size_t p0, size_t p1, int mandatory)
{
    size_t first_cluster = sh->nc, g_from = gl->n;
    if (p1 == p0) {  /* an empty line the user typed: keep it */
        PF_GROW(sh->c, sh->nc, *cap_c);
        sh->c[sh->nc++] = (pf_cluster){(uint32_t)p0, (uint32_t)p0, (uint32_t)gl->n,
                                       (uint32_t)gl->n, 0, 0, 1, (uint8_t)mandatory, (uint8_t)mandatory,
                                       (uint8_t)mandatory};
        return 0;
    }
    size_t bad = 0;
    if (pf_shape(L->fs, sh->chain, v->text + p0, p1 - p0, gl, &bad, L->err))
        return L->err->status == PF_EXIT_INVALID ? glyph_error(L, v, p0 + bad) : L->err->status;
    for (size_t k = g_from; k < gl->n; k++)
        gl->g[k].cluster += (uint32_t)p0;
    add_clusters(sh, cap_c, gl, g_from, v->text, p0, p1, mandatory);
    pf_break *br = NULL;
    size_t nb = 0;
    if (pf_text_breaks(L->tc, v->text + p0, p1 - p0, &br, &nb, L->err)) {
        /* text/ knows the bytes, not where they came from */
        const pf_value_part *p = pf_value_part_at(v, p0);
        return pf_error_locate(L->err, L->file, p ? p->line : 0, p ? p->field_ja : NULL,
                               p ? p->field_en : NULL);
    }
    size_t b = 0;
    for (size_t c = first_cluster; c < sh->nc; c++) {
        while (b < nb && br[b].pos + p0 < sh->c[c].start)
            b++;
        if (b < nb && br[b].pos + p0 == sh->c[c].start)
            sh->c[c].can_break = 1, sh->c[c].phrase = (uint8_t)br[b].phrase,
            sh->c[c].word = (uint8_t)br[b].word;
        if (c > first_cluster)
            sh->c[c].extra = spacing(sh, v->text, &sh->c[c - 1], &sh->c[c]);
    }
    free(br);
    return 0;
}

/* ---- labels' shaping, kept across documents -------------------------------------------- */

struct pf_shape_memo {
    struct kept_label {
        pf_shaped sh;           /* sh.text: the template's string (the key) */
        char *copy;             /* the text as it was shaped, checked on every hit, so that a
                                   string that is not the template's cannot be mistaken */
    } **kept;                   /* each its own allocation: pointers handed out stay valid */
    size_t n, cap;
};

pf_shape_memo *pf_shape_memo_new(void)
{
    return pf_xcalloc(1, sizeof(pf_shape_memo));
}

void pf_shape_memo_free(pf_shape_memo *memo)
{
    if (!memo)
        return;
    for (size_t i = 0; i < memo->n; i++) {
        free(memo->kept[i]->sh.g);
        free(memo->kept[i]->sh.c);
        free(memo->kept[i]->copy);
        free(memo->kept[i]);
    }
    free(memo->kept);
    free(memo);
}

static const pf_shaped *memo_find(const pf_shape_memo *memo, const pf_value *v, int chain)
{
    for (size_t i = 0; i < memo->n; i++)
        if (memo->kept[i]->sh.text == v->stable && memo->kept[i]->sh.chain == chain &&
            strcmp(memo->kept[i]->copy, v->text) == 0)
            return &memo->kept[i]->sh;
    return NULL;
}

const pf_shaped *pf_lay_shape(pf_lay *L, const pf_value *v, int chain)
{
    pf_shape_memo *memo = v->stable ? L->memo : NULL;
    if (memo) {
        const pf_shaped *kept = memo_find(memo, v, chain);
        if (kept)
            return kept;
    }
    for (size_t i = 0; i < L->n_cache; i++)
        if (L->cache[i]->text == v->text && L->cache[i]->chain == chain)
            return L->cache[i];
    pf_shaped sh = {v->text, chain, NULL, 0, NULL, 0};
    pf_glyphs gl = {0};
    size_t cap_c = 0, p0 = 0;
    int paragraph = 0, rc = 0;
    while (rc == 0 && p0 <= v->len) {
        size_t p1 = p0;
        while (p1 < v->len && v->text[p1] != '\n' && v->text[p1] != '\r')
            p1++;
        rc = shape_paragraph(L, &sh, &cap_c, &gl, v, p0, p1, paragraph > 0);
        paragraph++;
        if (p1 >= v->len)
            break;
        p0 = p1 + (v->text[p1] == '\r' && p1 + 1 < v->len && v->text[p1 + 1] == '\n' ? 2 : 1);
    }
    if (rc) {
        free(gl.g);
        free(sh.c);
        return NULL;
    }
    sh.g = gl.g, sh.ng = gl.n;
    if (memo) {
        /* a label: kept by the engine for the documents after this one */
        sh.text = v->stable;
        struct kept_label *k = pf_xmalloc(sizeof *k);
        *k = (struct kept_label){sh, pf_xstrdup(v->text)};
        PF_GROW(memo->kept, memo->n, memo->cap);
        memo->kept[memo->n++] = k;
        return &k->sh;
    }
    PF_GROW(L->cache, L->n_cache, L->cap_cache);
    pf_shaped *kept = pf_xmalloc(sizeof *kept);
    *kept = sh;
    L->cache[L->n_cache++] = kept;
    L->cached_clusters += sh.nc;
    return kept;
}

/* ---- lines ------------------------------------------------------------------------------- */

/* Width in points of clusters [c0, c1) set on one line (the first one's spacing dropped). */
static double line_width(const pf_shaped *sh, size_t c0, size_t c1, double k)
{
    double x = 0;
    for (size_t j = c0; j < c1; j++)
        x += ((j > c0 ? sh->c[j].extra : 0) + sh->c[j].width) * k;
    return x;
}

/* Whether the phrase that starts at cluster p is wider than a whole line: then starting a new
 * line with it gains nothing, and the line is filled up to a plain break instead. */
static int phrase_wider_than_line(const pf_shaped *sh, size_t p, double k, double width)
{
    double x = sh->c[p].width * k;
    for (size_t j = p + 1; j < sh->nc && !sh->c[j].mandatory && !sh->c[j].phrase; j++) {
        x += (sh->c[j].extra + sh->c[j].width) * k;
        if (x > width + EPS)
            return 1;
    }
    return x > width + EPS;
}

/* A paragraph's last line of one or two characters (…過ごした／い。) takes a phrase or more
 * from the line before when all of that still fits on one line. */
static void rebalance_last_lines(const pf_shaped *sh, pf_line *lines, size_t n, double k,
                                 double width)
{
    for (size_t j = 1; j < n; j++) {
        pf_line *last = &lines[j], *before = &lines[j - 1];
        int ends_paragraph = last->c1 >= sh->nc || sh->c[last->c1].mandatory;
        if (!ends_paragraph || last->c1 - last->c0 > 2 || sh->c[last->c0].mandatory ||
            before->c1 != last->c0)
            continue;
        for (size_t p = last->c0 - 1; p > before->c0; p--) {
            if (!sh->c[p].phrase)
                continue;
            double w = line_width(sh, p, last->c1, k);
            if (w > width + EPS)
                break;   /* earlier phrases make it wider still */
            before->c1 = last->c0 = p;
            before->width = line_width(sh, before->c0, p, k);
            last->width = w;
            break;
        }
    }
}

size_t pf_lay_fit(const pf_shaped *sh, double size, double width, size_t from, size_t max_lines,
                  pf_line **lines)
{
    size_t n = 0, cap = 0;
    *lines = NULL;
    double k = size / 1000.0;
    size_t i = from;
    while (i < sh->nc && (max_lines == 0 || n < max_lines)) {
        size_t start = i, last_break = 0, last_phrase = 0, last_word = 0;
        double x = sh->c[i].width * k, at_break = 0, at_phrase = 0, at_word = 0;
        i++;
        while (i < sh->nc && !sh->c[i].mandatory) {
            double add = (sh->c[i].extra + sh->c[i].width) * k;
            if (sh->c[i].can_break) {
                last_break = i, at_break = x;
                if (sh->c[i].phrase)
                    last_phrase = i, at_phrase = x;
                if (sh->c[i].word)
                    last_word = i, at_word = x;
            }
            if (x + add > width + EPS)
                break;
            x += add;
            i++;
        }
        if (i < sh->nc && !sh->c[i].mandatory) {
            /* 追い出し: back to the last phrase that began on this line; where the phrase is
             * wider than a line anyway, to the last word in it (ワークセンター|あおばで), and
             * to a plain break only where there is none */
            if (last_phrase > start && !phrase_wider_than_line(sh, last_phrase, k, width))
                i = last_phrase, x = at_phrase;
            else if (last_word > start)
                i = last_word, x = at_word;
            else if (last_break > start)
                i = last_break, x = at_break;
        }
        PF_GROW(*lines, n, cap);
        (*lines)[n++] = (pf_line){start, i, x};
    }
    rebalance_last_lines(sh, *lines, n, k, width);
    return n;
}

void pf_lay_draw_line(pf_lay *L, pf_page *pg, const pf_value *v, const pf_shaped *sh,
                      const pf_line *ln, double size, double x, double y, double width,
                      int align)
{
    (void)L;
    if (ln->c1 <= ln->c0)
        return;
    const pf_cluster *c = sh->c;
    size_t ng = c[ln->c1 - 1].g1 - c[ln->c0].g0;
    if (ng == 0)
        return;
    double k = size / 1000.0, off = 0, dist = 0;
    /* 均等割り spreads the words before a bracket, never the bracketed part: 「長 期 目 標（内容・
     * 期間等）」, not 「長 期 目 標 （ 内 容 ・ 期 間 等 ）」; a label that is all bracket is centred */
    size_t spread_end = ln->c1;
    if (align == PF_ALIGN_DISTRIBUTE)
        for (size_t j = ln->c0; j < ln->c1; j++) {
            size_t at = c[j].start;
            int32_t cp = pf_utf8_next(v->text, v->len, &at);
            if (cp == 0xFF08 || cp == '(' || cp == 0x3010 || cp == 0x300C || cp == 0x300E ||
                cp == 0x3014 || cp == 0xFF3B) {
                spread_end = j;
                break;
            }
        }
    if (align == PF_ALIGN_DISTRIBUTE && spread_end - ln->c0 < 2)
        align = PF_ALIGN_CENTER;
    if (align == PF_ALIGN_CENTER)
        off = (width - ln->width) / 2;
    else if (align == PF_ALIGN_RIGHT)
        off = width - ln->width;
    else if (align == PF_ALIGN_DISTRIBUTE && ln->width < width) {
        /* 均等割り, but no wider than a full em between characters: a short label in a wide
         * cell is spread to that and centred, not flung to the cell's two ends. */
        double gaps = (double)(spread_end - ln->c0 - 1);
        dist = (width - ln->width) / gaps;
        if (dist > size)
            dist = size;
        off = (width - ln->width - dist * gaps) / 2;
    }
    pf_run run = {0};
    run.size = size;
    run.y = y;
    run.text_len = c[ln->c1 - 1].end - c[ln->c0].start;
    run.text = pf_xstrndup(v->text + c[ln->c0].start, run.text_len);
    run.g = pf_xcalloc(ng, sizeof *run.g);
    double pen = x + (off > 0 ? off : 0);
    for (size_t j = ln->c0; j < ln->c1; j++) {
        for (uint32_t gi = c[j].g0; gi < c[j].g1; gi++) {
            const pf_glyph *g = &sh->g[gi];
            pf_placed_glyph *p = &run.g[run.n++];
            p->gid = g->gid;
            p->font = g->font;
            p->advance = g->advance;
            p->x = pen + g->x_offset * k;
            if (gi == c[j].g0) {
                p->text_start = c[j].start - c[ln->c0].start;
                p->text_len = c[j].end - c[j].start;
            }
            /* The space after a character (和欧間, 均等割り, or a squeeze when negative) becomes
             * part of its declared width: the glyphs then abut, and no PDF reader mistakes the
             * space for a word break when the text is copied. */
            if (gi + 1 == c[j].g1 && j + 1 < ln->c1)
                p->advance += (int32_t)lround(c[j + 1].extra +
                                              (j + 1 < spread_end ? dist * 1000.0 / size : 0));
            pen += p->advance * k;
        }
    }
    pf_page_add_run(pg, &run);
}

/* ---- boxes ------------------------------------------------------------------------------- */

static double baseline(double top, double size, double lh)
{
    return top + (lh - size) / 2 + size * 0.88;
}

static int chain_of(pf_lay *L, const pf_style *st)
{
    int c = pf_fontset_chain(L->fs, st->font);
    return c < 0 ? 0 : c;
}

/* Where a block of n lines starts inside a box of height h. */
static double block_top(const pf_style *st, double y, double h, double total)
{
    if (st->valign == PF_VALIGN_MIDDLE)
        return y + (h - total) / 2;
    if (st->valign == PF_VALIGN_BOTTOM)
        return y + h - total;
    return y;
}

static void draw_lines(pf_lay *L, pf_page *pg, const pf_value *v, const pf_shaped *sh,
                       const pf_line *lines, size_t n, const pf_style *st, double size,
                       double x, double y, double w, double h)
{
    double lh = size * st->line_height, top = block_top(st, y, h, lh * (double)n);
    /* 均等割り only for a label that fits on one line; longer ones are set ragged. */
    int align = st->align == PF_ALIGN_DISTRIBUTE && n > 1 ? PF_ALIGN_LEFT : st->align;
    for (size_t i = 0; i < n; i++)
        pf_lay_draw_line(L, pg, v, sh, &lines[i], size, x, baseline(top + lh * (double)i, size, lh),
                         w, align);
}

/* Text that does not fit even at the minimum size: the lines that fit, the last one ending in
 * the continuation mark, and the rest kept for the continuation sheet. */
static int overflow(pf_lay *L, pf_page *pg, const pf_value *v, const pf_shaped *sh,
                    const pf_style *st, double x, double y, double w, double h, const char *label)
{
    double size = st->min_size, lh = size * st->line_height;
    /* a box lower than one line (or, after padding, of no height at all: a ten-minute block
     * of the weekly grid) still shows one line */
    double rows = floor((h + EPS) / lh);
    size_t fit = rows < 1 ? 1 : (size_t)rows;
    const pf_value *markv = pf_lay_label(L, L->mark, 0);
    const pf_shaped *msh = pf_lay_shape(L, markv, sh->chain);
    if (!msh)
        return L->err->status;
    pf_line *mline, *lines, *last;
    pf_lay_fit(msh, size, 1e9, 0, 1, &mline);
    size_t n = pf_lay_fit(sh, size, w, 0, fit, &lines);
    pf_lay_fit(sh, size, w - mline[0].width, lines[n - 1].c0, 1, &last);
    int split = last[0].c1 < sh->nc;
    if (split)  /* the last line is drawn below, with the mark after it */
        lines[n - 1].c1 = lines[n - 1].c0;
    draw_lines(L, pg, v, sh, lines, n, st, size, x, y, w, h);
    if (split) {
        /* the last line and its mark are aligned as one: centred or right-aligned text keeps
         * its mark beside it, never over it */
        double top = block_top(st, y, h, lh * (double)n), both = last[0].width + mline[0].width;
        double off = st->align == PF_ALIGN_CENTER ? (w - both) / 2
                   : st->align == PF_ALIGN_RIGHT  ? w - both : 0;
        if (off < 0)
            off = 0;
        double base = baseline(top + lh * (double)(n - 1), size, lh);
        pf_lay_draw_line(L, pg, v, sh, &last[0], size, x + off, base, last[0].width,
                         PF_ALIGN_LEFT);
        pf_lay_draw_line(L, pg, markv, msh, &mline[0], size, x + off + last[0].width, base,
                         mline[0].width, PF_ALIGN_LEFT);
        pf_overflow *o = pf_xmalloc(sizeof *o);
        o->label = pf_xstrdup(label ? label : "");
        pf_value_slice(v, sh->c[last[0].c1].start, v->len, &o->rest);
        PF_GROW(L->over, L->n_over, L->cap_over);
        L->over[L->n_over++] = o;
    }
    free(mline);
    free(lines);
    free(last);
    return 0;
}

void pf_lay_continue(pf_lay *L, const pf_value *v, const char *label)
{
    pf_overflow *o = pf_xmalloc(sizeof *o);
    o->label = pf_xstrdup(label ? label : "");
    pf_value_slice(v, 0, v->len, &o->rest);
    PF_GROW(L->over, L->n_over, L->cap_over);
    L->over[L->n_over++] = o;
}

int pf_lay_box(pf_lay *L, pf_page *pg, const pf_value *v, const pf_style *st, double x, double y,
               double w, double h, const char *label)
{
    if (!v || v->len == 0)
        return 0;
    const pf_shaped *sh = pf_lay_shape(L, v, chain_of(L, st));
    if (!sh)
        return L->err->status;
    double pad = st->pad * PF_PT_PER_MM;
    x += pad, y += pad, w -= 2 * pad, h -= 2 * pad;
    /* A short value (a date) that should stay on one line first shrinks to do so; only if it
     * cannot, it wraps like any text. */
    for (int one_line = st->nowrap; one_line >= 0; one_line--) {
        for (double size = st->size; size >= st->min_size - EPS; size -= 0.5) {
            /* Lines well past what the box holds are not broken: a long text costs a box's
             * worth of work at each size, not its whole length. (`cap` lines mean "too many".) */
            double rows = floor((h + EPS) / (size * st->line_height));
            size_t cap = (rows < 0 ? 0 : rows > 1e6 ? 1000000 : (size_t)rows) + 2;
            pf_line *lines;
            size_t n = pf_lay_fit(sh, size, w, 0, cap, &lines);
            if (n < cap && (double)n * size * st->line_height <= h + EPS &&
                (!one_line || n == 1)) {
                draw_lines(L, pg, v, sh, lines, n, st, size, x, y, w, h);
                free(lines);
                return 0;
            }
            free(lines);
        }
    }
    return overflow(L, pg, v, sh, st, x, y, w, h, label);
}

double pf_lay_one_line_size(pf_lay *L, const pf_value *v, const pf_style *st, double w)
{
    if (!v || v->len == 0)
        return st->size;
    const pf_shaped *sh = pf_lay_shape(L, v, chain_of(L, st));
    if (!sh)
        return st->size;   /* the error comes when the cell is drawn */
    w -= 2 * st->pad * PF_PT_PER_MM;
    for (double size = st->size; size >= st->min_size - EPS; size -= 0.5) {
        pf_line *lines;
        size_t n = pf_lay_fit(sh, size, w, 0, 2, &lines);
        free(lines);
        if (n == 1)
            return size;
    }
    return st->min_size;
}

int pf_lay_height(pf_lay *L, const pf_value *v, const pf_style *st, double w, double *h)
{
    *h = 0;
    if (!v || v->len == 0)
        return 0;
    const pf_shaped *sh = pf_lay_shape(L, v, chain_of(L, st));
    if (!sh)
        return L->err->status;
    double pad = st->pad * PF_PT_PER_MM;
    pf_line *lines;
    size_t n = pf_lay_fit(sh, st->size, w - 2 * pad, 0, 0, &lines);
    free(lines);
    *h = (double)n * st->size * st->line_height + 2 * pad;
    return 0;
}

static const pf_value *new_label(pf_lay *L, const char *src, const char *text, int line)
{
    PF_GROW(L->labels, L->n_labels, L->cap_labels);
    pf_value *v = pf_xcalloc(1, sizeof *v);
    v->text = pf_xstrdup(text);
    v->len = strlen(v->text);
    v->parts = pf_xcalloc(1, sizeof *v->parts);
    v->parts[0] = (pf_value_part){0, v->len, line, "テンプレートの見出し", "label"};
    v->n_parts = v->cap_parts = 1;
    v->stable = src;
    L->labels[L->n_labels].src = src;
    L->labels[L->n_labels++].v = v;
    return v;
}

const pf_value *pf_lay_label(pf_lay *L, const char *text, int line)
{
    if (!text)
        text = "";
    for (size_t i = 0; i < L->n_labels; i++)
        if (L->labels[i].src == text)
            return L->labels[i].v;
    return new_label(L, text, text, line);
}

const pf_value *pf_lay_text(pf_lay *L, const char *text)
{
    return new_label(L, NULL, text, 0);
}

static void cache_free(pf_lay *L)
{
    for (size_t i = 0; i < L->n_cache; i++) {
        free(L->cache[i]->g);
        free(L->cache[i]->c);
        free(L->cache[i]);
    }
    L->n_cache = 0;
    L->cached_clusters = 0;
}

void pf_lay_forget(pf_lay *L)
{
    if (L->cached_clusters > PF_LAY_CACHE_KEEP)
        cache_free(L);
}

void pf_lay_drop_over(pf_lay *L, size_t keep)
{
    for (; L->n_over > keep; L->n_over--) {
        pf_overflow *o = L->over[L->n_over - 1];
        free(o->label);
        pf_value_free(&o->rest);
        free(o);
    }
}

void pf_lay_free(pf_lay *L)
{
    cache_free(L);
    free(L->cache);
    pf_lay_drop_over(L, 0);
    free(L->over);
    for (size_t i = 0; i < L->n_labels; i++) {
        pf_value_free(L->labels[i].v);
        free(L->labels[i].v);
    }
    free(L->labels);
}
