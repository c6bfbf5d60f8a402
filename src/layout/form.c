/* layout/form — walks a template's pages and elements and lays each out: labels, boxes,
 * grids, the needs table (growing rows, header repeated on new pages), the weekly grid, and
 * finally the continuation sheets (別紙). See layout.h. */
#include "layout/layout.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/textset.h"
#include "template/fingerprint.h"

#define MM PF_PT_PER_MM

typedef struct form {
    pf_lay *L;
    const pf_template *t;
    const pf_bound *bd;
    pf_doc *doc;
    double pw, ph;              /* page size, points */
    const pf_element *title;    /* the text that names the form */
    const pf_continuation *cont;
    int headings;               /* continuation sheets' headings set so far */
    int short_blocks;           /* weekly blocks too short for their label, marked ※1, ※2 … */
} form;

/* A new page, unless the document already has PF_MAX_PAGES: then NULL and an error naming the
 * text that needs the page (`why` at byte `at`: its field and line), else the bundle. Every
 * loop that adds pages ends here, so a document can never grow without bound. */
static pf_page *new_page(form *f, const pf_value *why, size_t at)
{
    if (f->doc->n_pages < PF_MAX_PAGES)
        return pf_doc_add_page(f->doc, f->pw, f->ph);
    const pf_value_part *p = why ? pf_value_part_at(why, at) : NULL;
    if (p && p->field_en && strcmp(p->field_en, "label") == 0)
        p = NULL;  /* a template's own text: the bundle is what is too long */
    pf_error_setf(f->L->err, PF_EXIT_INVALID, PF_CODE_TOO_MANY_PAGES, f->L->file, p ? p->line : 0,
                  p ? p->field_ja : "計画データ", p ? p->field_en : "bundle",
                  "文書が長すぎます（1文書 %d ページまで）",
                  "the document is longer than the limit of %d pages", PF_MAX_PAGES);
    return NULL;
}

static void frame(pf_page *pg, double x, double y, double w, double h, double width)
{
    pf_page_rule(pg, x, y, x + w, y, width);
    pf_page_rule(pg, x, y + h, x + w, y + h, width);
    pf_page_rule(pg, x, y, x, y + h, width);
    pf_page_rule(pg, x + w, y, x + w, y + h, width);
}

static const pf_value *value(form *f, const pf_values *row, const char *key)
{
    const pf_value *v = row ? pf_values_get(row, key) : NULL;
    return v ? v : pf_values_get(&f->bd->top, key);
}

/* A label or value cell: fill, frame, text. */
static int cell(form *f, pf_page *pg, const pf_value *v, const pf_style *st, double x, double y,
                double w, double h, const char *label)
{
    if (st->fill < 1)
        pf_page_fill(pg, x, y, w, h, st->fill);
    frame(pg, x, y, w, h, f->t->rule);
    return pf_lay_box(f->L, pg, v, st, x, y, w, h, label);
}

/* A value with ruby (フリガナ over 利用者氏名): the ruby in a band of its own across the top of
 * the cell, the value below it; neither can reach into the other's band, however long either
 * is (a long one shrinks, then continues on the 別紙, in its own band). The value's top padding
 * lies in the band, under the ruby's baseline. */
static int ruby_cell(form *f, pf_page *pg, const pf_value *v, const pf_value *ruby,
                     const pf_cell *c, double x, double y, double w, double h, const char *label)
{
    const pf_style *st = &c->style;
    if (st->fill < 1)
        pf_page_fill(pg, x, y, w, h, st->fill);
    frame(pg, x, y, w, h, f->t->rule);
    pf_style rs = *st;
    rs.size = rs.min_size = c->ruby_size;
    rs.valign = PF_VALIGN_BOTTOM;
    rs.nowrap = 1;
    rs.pad = 0.3;
    rs.line_height = 1.0;   /* one line of ruby: no leading */
    double band = c->ruby_size * 1.15 + 2 * rs.pad * MM;
    double pad = st->pad * MM;
    if (band + pad >= h) {
        /* a cell too low for both (ruby-size="20" in an 8 mm row): the value keeps two thirds,
         * and the ruby is set small enough for its band, not drawn above the cell */
        band = h / 3;
        double fits = (band - 2 * rs.pad * MM) / 1.15;
        if (fits < rs.size)
            rs.size = rs.min_size = fits > 1 ? fits : 1;
    }
    if (pf_lay_box(f->L, pg, ruby, &rs, x, y, w, band, label))
        return f->L->err->status;
    /* the value's box begins in the band, so that its top padding lies under the ruby */
    return pf_lay_box(f->L, pg, v, st, x, y + band - pad, w, h - band + pad, label);
}

/* A choice (有・無; 達成・一部達成・未達成): every option printed side by side, the one the
 * value names circled, so the form reads as the paper one where the writer circles a word. */
/* The width of a ring 1.6 em high that clears a word `width` wide and an em high: the word's
 * corners (half an em above and below its middle, with the glyphs' own margin 0.45 em) lie
 * inside an ellipse whose half-width is 1.21 times the word's half-width, and a little more
 * keeps the pen off the first and last strokes (一 and 成 of 一部達成 were cut). */
static double ring_width(double width, double size)
{
    return width * 1.21 + size * 0.3;
}

static int choice_cell(form *f, pf_page *pg, const pf_value *v, const char *choices,
                       const pf_style *cell_style, double x, double y, double w, double h)
{
    if (cell_style->fill < 1)
        pf_page_fill(pg, x, y, w, h, cell_style->fill);
    frame(pg, x, y, w, h, f->t->rule);
    size_t n = 1;
    for (const char *c = choices; *c; c++)
        n += *c == ',';
    /* Engine, not look: the options share the cell side by side, each centred on one line with
     * just room for its ring; the ring is sized from the word it circles (an em wider, 1.5 em
     * high, a 0.7 pt pen), as a writer's pen circles it, on any form. */
    pf_style st = *cell_style;
    st.align = PF_ALIGN_CENTER, st.valign = PF_VALIGN_MIDDLE, st.pad = 0.3, st.nowrap = 1;
    double ow = w / (double)n;
    /* One size for all the options: the largest at which each word and its ring (an em wider)
     * fit in its share of the cell, so that no ring cuts the word it circles (一部達成). */
    const int chain = pf_fontset_chain(f->L->fs, st.font);
    double size = st.size;
    for (const char *q = choices; *q;) {
        size_t len = strcspn(q, ",");
        char *opt = pf_xstrndup(q, len);
        const pf_shaped *sh = pf_lay_shape(f->L, pf_lay_text(f->L, opt), chain < 0 ? 0 : chain);
        free(opt);
        if (!sh)
            return f->L->err->status;
        double em_width = 0;   /* the word's width at 1 pt */
        for (size_t k = 0; k < sh->nc; k++)
            em_width += (k ? sh->c[k].extra : 0) + sh->c[k].width;
        em_width /= 1000.0;
        while (size > st.min_size + 0.01 && ring_width(em_width * size, size) > ow - 1)
            size -= 0.5;
        q += len + (q[len] == ',');
    }
    st.size = size, st.min_size = size < st.min_size ? size : st.min_size;
    const char *p = choices;
    for (size_t i = 0; i < n; i++) {
        size_t len = strcspn(p, ",");
        char *opt = pf_xstrndup(p, len);
        const pf_value *ov = pf_lay_text(f->L, opt);
        int chosen = v && v->len == len && memcmp(v->text, p, len) == 0;
        free(opt);
        double ox = x + ow * (double)i;
        if (pf_lay_box(f->L, pg, ov, &st, ox, y, ow, h, NULL))
            return f->L->err->status;
        if (chosen) {
            const pf_shaped *sh = pf_lay_shape(f->L, ov, pf_fontset_chain(f->L->fs, st.font));
            pf_line *line;
            if (!sh)
                return f->L->err->status;
            pf_lay_fit(sh, st.size, 1e9, 0, 1, &line);
            double ew = ring_width(line[0].width, st.size), eh = st.size * 1.6;
            if (ew > ow - 1)
                ew = ow - 1;
            if (eh > h - 1)
                eh = h - 1;
            free(line);
            pf_page_ellipse(pg, ox + (ow - ew) / 2, y + (h - eh) / 2, ew, eh, 0.7);
        }
        p += len + (p[len] == ',');
    }
    return 0;
}

static int unknown_key(form *f, const pf_element *e, const char *key)
{
    return pf_error_setf(f->L->err, PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN, f->t->path, e->line,
                         "テンプレート",
                         "template", "知らない値 bind=\"%s\" です", "unknown binding \"%s\"",
                         key ? key : "");
}

static int el_text(form *f, pf_page *pg, const pf_element *e)
{
    const pf_value *v = e->bind ? value(f, NULL, e->bind) : pf_lay_label(f->L, e->text, e->line);
    if (!v)
        return unknown_key(f, e, e->bind);
    if (e->style.fill < 1)
        pf_page_fill(pg, e->x * MM, e->y * MM, e->w * MM, e->h * MM, e->style.fill);
    return pf_lay_box(f->L, pg, v, &e->style, e->x * MM, e->y * MM, e->w * MM, e->h * MM,
                      e->text);
}

static int el_box(form *f, pf_page *pg, const pf_element *e)
{
    const pf_value *v = value(f, NULL, e->bind);
    if (!v)
        return unknown_key(f, e, e->bind);
    double x = e->x * MM, y = e->y * MM, lw = e->label_w * MM, w = e->w * MM, h = e->h * MM;
    if (e->label && cell(f, pg, pf_lay_label(f->L, e->label, e->line), &e->label_style, x, y, lw,
                         h, e->label))
        return f->L->err->status;
    return cell(f, pg, v, &e->style, x + lw, y, w - lw, h, e->label);
}

static int el_grid(form *f, pf_page *pg, const pf_element *e)
{
    size_t col = 0;
    int row = -1;
    const char *last_label = NULL;
    for (size_t i = 0; i < e->n_cells; i++) {
        const pf_cell *c = &e->cells[i];
        if (!pf_when_holds(c->when, f->bd->flags))
            continue;
        if (c->row != row)
            row = c->row, col = 0;
        double x = e->x, w = 0;
        for (size_t k = 0; k < col && k < e->n_cols; k++)
            x += e->cols[k];
        for (int k = 0; k < c->span && col + (size_t)k < e->n_cols; k++)
            w += e->cols[col + (size_t)k];
        col += (size_t)c->span;
        if (w <= 0)
            return pf_error_set(f->L->err, PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN, f->t->path,
                                e->line, "テンプレート",
                                "template", "grid の行のセルが列より多すぎます",
                                "a grid row has more cells than columns");
        const pf_value *v;
        if (c->is_label) {
            v = pf_lay_label(f->L, c->text, e->line);
            last_label = c->text;
        } else if (c->bind) {
            v = value(f, NULL, c->bind);
            if (!v)
                return unknown_key(f, e, c->bind);
        } else {
            v = NULL;  /* an empty box, for a pen */
        }
        double cy = (e->y + e->row_h * row) * MM, ch = e->row_h * MM;
        int rc;
        if (c->choices) {
            rc = choice_cell(f, pg, v, c->choices, &c->style, x * MM, cy, w * MM, ch);
        } else if (c->ruby) {
            const pf_value *ruby = value(f, NULL, c->ruby);
            if (!ruby)
                return unknown_key(f, e, c->ruby);
            rc = ruby_cell(f, pg, v, ruby, c, x * MM, cy, w * MM, ch, last_label);
        } else {
            rc = cell(f, pg, v, &c->style, x * MM, cy, w * MM, ch,
                      c->is_label ? c->text : last_label);
        }
        if (c->signature)  /* a box to sign on paper, or in any PDF application */
            pf_page_signature(pg, c->signature, x * MM, cy, w * MM, ch);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- the needs table --------------------------------------------------------------------- */

/* A column's heading: the template's text, except the linkage sheet's provider columns, which
 * are headed by the plan's own value (its office name): that is data, with its field and line
 * for messages, and not a label whose shaping the engine keeps from document to document. */
static const pf_value *column_label(form *f, const char *label, int line)
{
    for (size_t k = 0; k < f->bd->n_columns; k++)
        if (label == f->bd->columns[k].text)
            return &f->bd->columns[k];
    return pf_lay_label(f->L, label, line);
}

static int table_header(form *f, pf_page *pg, const pf_element *e, double y)
{
    double x = e->x * MM, hh = e->header_h * MM;
    for (size_t i = 0; i < e->n_columns;) {
        const pf_column *c = &e->columns[i];
        if (c->group) {  /* a group label over its columns, their own labels below */
            size_t j = i;
            double gw = 0;
            while (j < e->n_columns && e->columns[j].group &&
                   strcmp(e->columns[j].group, c->group) == 0)
                gw += e->columns[j++].w * MM;
            if (cell(f, pg, pf_lay_label(f->L, c->group, e->line), &e->label_style, x, y, gw,
                     hh / 2, c->group))
                return f->L->err->status;
            for (; i < j; i++) {
                double w = e->columns[i].w * MM;
                if (cell(f, pg, column_label(f, e->columns[i].label, e->line),
                         &e->label_style, x, y + hh / 2, w, hh / 2, e->columns[i].label))
                    return f->L->err->status;
                x += w;
            }
            continue;
        }
        if (cell(f, pg, column_label(f, c->label, e->line), &e->label_style, x, y,
                 c->w * MM, hh, c->label))
            return f->L->err->status;
        x += c->w * MM;
        i++;
    }
    return 0;
}

static int row_height(form *f, const pf_element *e, const pf_values *row, double *h)
{
    *h = e->min_row_h * MM;
    for (size_t i = 0; i < e->n_columns; i++) {
        double need;
        const pf_value *v = value(f, row, e->columns[i].bind);
        if (!v)
            return unknown_key(f, e, e->columns[i].bind);
        if (pf_lay_height(f->L, v, &e->columns[i].style, e->columns[i].w * MM, &need))
            return f->L->err->status;
        if (need > *h)
            *h = need;
    }
    return 0;
}

static int table_row(form *f, pf_page *pg, const pf_element *e, const pf_values *row, double y,
                     double h, const double *col_size)
{
    double x = e->x * MM;
    const pf_value *shade = e->shade_key ? value(f, row, e->shade_key) : NULL;
    int shaded = shade && shade->len;
    if (shaded)
        pf_page_fill(pg, x, y, e->w * MM, h, e->shade);
    const pf_value *first = value(f, row, e->columns[0].bind);
    /* A marked row (未反映): the columns the mark spans are one cell, so no rule runs through
     * the mark; only when they are all empty, as a need nobody covers leaves them. */
    size_t merge_from = e->n_columns;
    if (shaded && e->shade_mark) {
        merge_from = 0;
        for (size_t i = 0; e->shade_mark_after && i < e->n_columns; i++)
            if (strcmp(e->columns[i].bind, e->shade_mark_after) == 0) {
                merge_from = i + 1;
                break;
            }
        for (size_t i = merge_from; i < e->n_columns; i++) {
            const pf_value *cv = value(f, row, e->columns[i].bind);
            if (cv && cv->len)
                merge_from = e->n_columns;
        }
    }
    double merge_x = x;
    for (size_t i = 0; i < e->n_columns; i++) {
        const pf_column *c = &e->columns[i];
        if (i >= merge_from || c->merge) {  /* drawn as one below, or by merged_cells */
            x += c->w * MM;
            continue;
        }
        merge_x = x + c->w * MM;
        const pf_value *strike = c->strike ? value(f, row, c->strike) : NULL;
        if (strike && strike->len) {  /* not applicable to this row: a diagonal line */
            frame(pg, x, y, c->w * MM, h, f->t->rule);
            pf_page_rule(pg, x, y + h, x + c->w * MM, y, f->t->rule);
            x += c->w * MM;
            continue;
        }
        if (c->choices) {
            if (choice_cell(f, pg, value(f, row, c->bind), c->choices, &c->style, x, y,
                            c->w * MM, h))
                return f->L->err->status;
            x += c->w * MM;
            continue;
        }
        char *label = pf_xasprintf("%s（%s %s）", c->label, e->columns[0].label,
                                   first ? first->text : "");
        pf_style st = c->style;
        st.size = col_size[i];
        int rc = cell(f, pg, value(f, row, c->bind), &st, x, y, c->w * MM, h, label);
        free(label);
        if (rc)
            return rc;
        x += c->w * MM;
    }
    if (merge_from < e->n_columns)
        frame(pg, merge_x, y, e->x * MM + e->w * MM - merge_x, h, f->t->rule);
    if (shaded && e->shade_mark) {
        /* across the row, or the columns after the one the template names (template.c checks
         * that it is a column before the last) */
        double x0 = e->x;
        for (size_t i = 0; e->shade_mark_after && i < e->n_columns; i++) {
            x0 += e->columns[i].w;
            if (strcmp(e->columns[i].bind, e->shade_mark_after) == 0)
                break;
        }
        x0 *= MM;
        return pf_lay_box(f->L, pg, pf_lay_label(f->L, e->shade_mark, e->line), &e->mark_style,
                          x0, y, e->x * MM + e->w * MM - x0, h, NULL);
    }
    return 0;
}

static int draw_elements(form *f, pf_page *pg, const pf_tpage *tp, int which,
                         const pf_element **table);

/* Merged columns (merge="yes", 項目): a run of rows of one value is one cell, drawn when the run
 * ends — at a row of another value, at a page break (the next page starts a run of its own, so
 * the value stands on every page it spans), or after the last row. run_row[i] is the run's
 * first row (SIZE_MAX: none open), run_y[i] its top. */
typedef struct runs {
    size_t *row;
    double *y;
} runs;

static int close_runs(form *f, pf_page *pg, const pf_element *e, runs *ru, double y,
                      const double *col_size, const pf_values *next)
{
    double x = e->x * MM;
    for (size_t i = 0; i < e->n_columns; x += e->columns[i].w * MM, i++) {
        const pf_column *c = &e->columns[i];
        if (!c->merge || ru->row[i] == SIZE_MAX)
            continue;
        const pf_value *v = value(f, &f->bd->rows[ru->row[i]], c->bind);
        const pf_value *nv = next ? value(f, next, c->bind) : NULL;
        if (nv && v && nv->len == v->len && memcmp(nv->text, v->text, v->len) == 0)
            continue;  /* the run goes on */
        pf_style st = c->style;
        st.size = col_size[i];
        char *label = pf_xasprintf("%s（%s）", c->label, v ? v->text : "");
        int rc = cell(f, pg, v, &st, x, ru->y[i], c->w * MM, y - ru->y[i], label);
        free(label);
        if (rc)
            return rc;
        ru->row[i] = SIZE_MAX;
    }
    return 0;
}

static void open_runs(const pf_element *e, runs *ru, size_t r, double y)
{
    for (size_t i = 0; i < e->n_columns; i++)
        if (e->columns[i].merge && ru->row[i] == SIZE_MAX)
            ru->row[i] = r, ru->y[i] = y;
}

/* Rows grow with their text; a row that does not fit goes to a new page that repeats the
 * elements marked repeat="yes" and the table header. */
static int table_rows_in(form *f, pf_page **pgp, const pf_tpage *tp, const pf_element *e,
                         const double *col_size, runs *ru)
{
    pf_page *pg = *pgp;
    double y = e->y * MM;
    if (table_header(f, pg, e, y))
        return f->L->err->status;
    y += e->header_h * MM;
    double bottom = e->bottom * MM;
    /* Engine: a row taller than a whole page starts on this one unless less than 0.3 of a page
     * is left here (pagination, not a form's look). */
    for (size_t r = 0; r < f->bd->n_rows; r++) {
        double h;
        if (row_height(f, e, &f->bd->rows[r], &h))
            return f->L->err->status;
        double room_new_page = bottom - (e->continue_y + e->header_h) * MM;
        double room_here = bottom - y;
        int new_page_needed = h > room_here + 0.01;
        if (h > room_new_page) {
            /* Taller than any page: it will shrink, then continue on the 別紙. Use the room
             * left here unless it is too little to be worth a row. */
            new_page_needed = room_here < 0.3 * room_new_page;
            h = new_page_needed ? room_new_page : room_here;
        }
        if (new_page_needed) {
            if (close_runs(f, pg, e, ru, y, col_size, NULL))
                return f->L->err->status;
            pg = new_page(f, value(f, &f->bd->rows[r], e->columns[0].bind), 0);
            if (!pg || draw_elements(f, pg, tp, PF_ON_CONTINUED, NULL))
                return f->L->err->status;
            y = e->continue_y * MM;
            if (table_header(f, pg, e, y))
                return f->L->err->status;
            y += e->header_h * MM;
        }
        if (close_runs(f, pg, e, ru, y, col_size, &f->bd->rows[r]))
            return f->L->err->status;
        open_runs(e, ru, r, y);
        if (table_row(f, pg, e, &f->bd->rows[r], y, h, col_size))
            return f->L->err->status;
        pf_lay_forget(f->L);  /* the row is set: its rests are copies */
        y += h;
    }
    if (close_runs(f, pg, e, ru, y, col_size, NULL))
        return f->L->err->status;
    /* fill-rows: the table runs down to its bottom in ruled empty rows, as the printed forms
     * do, rather than stopping half way down the page */
    while (e->fill_rows && y + e->min_row_h * MM <= bottom + 0.01) {
        double xx = e->x * MM;
        for (size_t i = 0; i < e->n_columns; i++) {
            frame(pg, xx, y, e->columns[i].w * MM, e->min_row_h * MM, f->t->rule);
            xx += e->columns[i].w * MM;
        }
        y += e->min_row_h * MM;
    }
    *pgp = pg;
    return 0;
}

static int table_rows(form *f, pf_page **pgp, const pf_tpage *tp, const pf_element *e,
                      const double *col_size)
{
    size_t n = e->n_columns ? e->n_columns : 1;
    runs ru = {pf_xmalloc(n * sizeof *ru.row), pf_xcalloc(n, sizeof *ru.y)};
    for (size_t i = 0; i < n; i++)
        ru.row[i] = SIZE_MAX;
    int rc = table_rows_in(f, pgp, tp, e, col_size, &ru);
    free(ru.row);
    free(ru.y);
    return rc;
}

/* A column of values kept on one line (wrap="no": dates) is set at one size down the table,
 * the size its longest value needs, rather than each cell at its own (令和6年10月 at 7 pt
 * beside 令和6年7月 at 8). */
static int el_table(form *f, pf_page **pgp, const pf_tpage *tp, const pf_element *e)
{
    double *col_size = pf_xcalloc(e->n_columns ? e->n_columns : 1, sizeof *col_size);
    for (size_t i = 0; i < e->n_columns; i++) {
        const pf_column *c = &e->columns[i];
        col_size[i] = c->style.size;
        for (size_t r = 0; c->style.nowrap && r < f->bd->n_rows; r++) {
            double s = pf_lay_one_line_size(f->L, value(f, &f->bd->rows[r], c->bind), &c->style,
                                            c->w * MM);
            if (s < col_size[i])
                col_size[i] = s;
        }
    }
    int rc = table_rows(f, pgp, tp, e, col_size);
    free(col_size);
    return rc;
}


/* ---- the linkage sheet (連携シート) ---------------------------------------------------------- */

static int column_empty(form *f, const char *key)
{
    for (size_t r = 0; r < f->bd->n_rows; r++) {
        const pf_value *v = value(f, &f->bd->rows[r], key);
        if (v && v->len)
            return 0;
    }
    return 1;
}

/* The table of needs × providers: the template gives the fixed columns, the bound values one
 * column per provider with an individual plan; then it is laid out as any table. */
static int el_linkage(form *f, pf_page **pgp, const pf_tpage *tp, const pf_element *e)
{
    size_t np = f->bd->n_columns, n = np + 4;
    pf_column *cols = pf_xcalloc(n, sizeof *cols);
    /* informal support or other services that no row has keep only a provider's least width:
     * the providers' columns, where the goals are, get the rest */
    double informal_w = e->informal_w, other_w = e->other_w;
    if (np && column_empty(f, pf_cell_keys[np]) && e->provider_min_w < informal_w)
        informal_w = e->provider_min_w;
    if (np && column_empty(f, pf_cell_keys[np + 1]) && e->provider_min_w < other_w)
        other_w = e->provider_min_w;
    double rest = e->w - e->priority_w - e->need_w - informal_w - other_w;
    double provider_w = np ? rest / (double)np : 0;
    informal_w += np ? 0 : rest / 2, other_w += np ? 0 : rest / 2;
    cols[0] = (pf_column){.w = e->priority_w, .label = e->priority_label,
                          .bind = PF_LINKAGE_PRIORITY_KEY, .style = e->priority_style};
    cols[1] = (pf_column){.w = e->need_w, .label = e->need_label, .bind = PF_LINKAGE_NEED_KEY,
                          .style = e->style};
    for (size_t k = 0; k < np; k++)
        cols[2 + k] = (pf_column){.w = provider_w, .label = f->bd->columns[k].text,
                                  .bind = (char *)pf_cell_keys[k], .style = e->style};
    cols[2 + np] = (pf_column){.w = informal_w, .label = e->informal_label,
                               .bind = (char *)pf_cell_keys[np], .style = e->style};
    cols[3 + np] = (pf_column){.w = other_w, .label = e->other_label,
                               .bind = (char *)pf_cell_keys[np + 1], .style = e->style};
    pf_element tbl = *e;
    tbl.kind = PF_EL_TABLE;
    tbl.columns = cols;
    tbl.n_columns = n;
    /* the header grows to hold the longest provider heading at the least size (an office's long
     * name, its service, 個別支援計画 未受領), up to three times the template's height: a
     * heading is not sent to the 別紙 while a row of the table could make room for it */
    pf_style hs = e->label_style;
    hs.size = hs.min_size;
    for (size_t k = 0; k < np; k++) {
        double need;
        if (pf_lay_height(f->L, &f->bd->columns[k], &hs, provider_w * MM, &need)) {
            free(cols);
            return f->L->err->status;
        }
        if (need / MM > tbl.header_h)
            tbl.header_h = need / MM < 3 * e->header_h ? need / MM : 3 * e->header_h;
    }
    int rc = el_table(f, pgp, tp, &tbl);
    free(cols);
    return rc;
}

/* ---- the weekly grid (週間計画表) ---------------------------------------------------------- */

static const char *const hour_labels[24] = {
    "0:00", "1:00", "2:00", "3:00", "4:00", "5:00", "6:00", "7:00", "8:00", "9:00", "10:00",
    "11:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00", "18:00", "19:00", "20:00",
    "21:00", "22:00", "23:00"};

typedef struct grid {
    double x, y, w, h, top, band_h, time_w, day_w, act_x, act_w;
    int first_min, bands;
} grid;

static double grid_y(const grid *g, int offset_min)
{
    return g->top + (double)offset_min / 1440.0 * (g->band_h * g->bands);
}

/* "月・水 16:00～16:15": where a short block stands, for its entry on the 別紙. */
static char *span_where(const pf_element *e, const pf_bound_span *s)
{
    char days[256] = "";
    size_t n = 0;
    for (int d = 0; d < 7; d++)
        if (s->days & (1u << d))
            n += (size_t)snprintf(days + n, n < sizeof days ? sizeof days - n : 0, "%s%s",
                                  n ? "・" : "", e->day_labels[d] ? e->day_labels[d] : "");
    return pf_xasprintf("%s %d:%02d～%d:%02d", days, s->start / 60, s->start % 60, s->end / 60,
                        s->end % 60);
}

/* Where the marked blocks of each day stand: a marked block is drawn higher than its time, and
 * three 3-minute spans in a row (12:00, 12:03, 12:06) had their ※1 ※2 ※3 drawn one over the
 * other. A marked block goes to the first place from its time down that no other marked block
 * of its day holds. */
typedef struct marked {
    struct {
        double x0, x1, y0, y1;
    } *at[7];
    size_t n[7], cap[7];
} marked;

/* Does the block [x0, x1) × [y0, y0 + h) meet taken block i of `day` (side by side in lanes
 * they do not)? */
static int marked_meets(const marked *m, int day, size_t i, double x0, double x1, double y0,
                        double h)
{
    return y0 < m->at[day][i].y1 - 0.01 && m->at[day][i].y0 < y0 + h - 0.01 &&
           x0 < m->at[day][i].x1 - 0.01 && m->at[day][i].x0 < x1 - 0.01;
}

static void marked_place(marked *m, const grid *g, int day, double x0, double x1, double *y0,
                         double *y1)
{
    double h = *y1 - *y0;
    for (int moved = 1; moved;) {  /* down from its time */
        moved = 0;
        for (size_t i = 0; i < m->n[day]; i++)
            if (marked_meets(m, day, i, x0, x1, *y0, h)) {
                *y0 = m->at[day][i].y1;
                moved = 1;
            }
    }
    if (*y0 + h > g->y + g->h) {  /* no room below (5:58, 5:59): up from the grid's end */
        *y0 = g->y + g->h - h;
        for (int moved = 1; moved && *y0 > g->top;) {
            moved = 0;
            for (size_t i = 0; i < m->n[day]; i++)
                if (marked_meets(m, day, i, x0, x1, *y0, h)) {
                    *y0 = m->at[day][i].y0 - h;
                    moved = 1;
                }
        }
    }
    *y1 = *y0 + h;
    PF_GROW(m->at[day], m->n[day], m->cap[day]);
    m->at[day][m->n[day]].x0 = x0;
    m->at[day][m->n[day]].x1 = x1;
    m->at[day][m->n[day]].y0 = *y0;
    m->at[day][m->n[day]].y1 = *y1;
    m->n[day]++;
}

/* Spans of one day that overlap in time (訪問看護 18:00–18:45 during 共同生活援助 17:00–9:00)
 * stand side by side in lanes rather than one over the other: each part of a span on a day is
 * a segment, the segments of a day take the first lane free at their start, and a run of
 * segments that overlap one another shares the day's width between as many lanes as it uses.
 * A segment counts at least as high as a mark (※n), which is what a shorter one is drawn as. */
typedef struct lane {
    int at, of;             /* lane `at` of `of` */
} lane;

typedef struct segment {
    size_t span;
    int day, part;          /* part 0: from the span's start; 1: its part wrapped to the top */
    int from, to;           /* minutes of the grid, `to` at least a mark's height after `from` */
    lane ln;
} segment;

static int segment_order(const void *pa, const void *pb)
{
    const segment *a = pa, *b = pb;
    if (a->day != b->day)
        return a->day - b->day;
    if (a->from != b->from)
        return a->from - b->from;
    return a->span < b->span ? -1 : a->span > b->span;
}

/* The segments in the spans' order, each span's days in order, its main part first. */
static int span_order(const void *pa, const void *pb)
{
    const segment *a = pa, *b = pb;
    if (a->span != b->span)
        return a->span < b->span ? -1 : 1;
    if (a->day != b->day)
        return a->day - b->day;
    return a->part - b->part;
}

/* Lanes for segs[0, n), sorted by segment_order (one day's run after another's), at most
 * `most` at once (each wide enough for a mark): a segment that finds them all taken gets none
 * (ln.at -1) and is listed on the 別紙 instead of drawn. */
static void assign_lanes(segment *segs, size_t n, int most)
{
    size_t run = 0;
    int run_end = -1, used = 0;
    int *lanes_end = pf_xcalloc((size_t)most + 1, sizeof *lanes_end);
    for (size_t i = 0; i <= n; i++) {
        if (i == n || segs[i].day != segs[run].day || segs[i].from >= run_end) {
            for (size_t k = run; k < i; k++)  /* the run ended: its width is shared */
                segs[k].ln.of = used;
            if (i == n)
                break;
            run = i, run_end = -1, used = 0;
        }
        int l = 0;
        while (l < used && lanes_end[l] > segs[i].from)
            l++;
        if (l == used && used < most)
            used++;
        if (l >= used) {
            segs[i].ln.at = -1;  /* every lane taken */
            continue;
        }
        lanes_end[l] = segs[i].to;
        segs[i].ln.at = l;
        if (segs[i].to > run_end)
            run_end = segs[i].to;
    }
    free(lanes_end);
}

/* One block of a span, between its day's rules, in the template's block style; `label` NULL:
 * shaded only (the other part of a span that wraps past the grid's end carries the text).
 * A block too low for a line of its label at the least size is set tight (lines of 1.0, almost
 * no padding); one too low even for that is marked ※n, drawn at least as high as the mark
 * (a ten-minute block would be a sliver), and its label goes to the 別紙 under
 * 「週間計画表 ※n（月・水 16:00～16:15）」. `*mark` is the span's number, 0 until it has one. */
static int weekly_block(form *f, pf_page *pg, const pf_element *e, const grid *g, int day,
                        const lane *ln, int s_off, int e_off, const pf_bound_span *s,
                        const pf_value *label, int *mark, marked *taken)
{
    double inset = e->block_inset * MM, lane_w = g->day_w / ln->of;
    double x = g->x + g->time_w + g->day_w * day + lane_w * ln->at + inset, w = lane_w - 2 * inset;
    double y0 = grid_y(g, s_off), y1 = grid_y(g, e_off);
    const pf_style *bs = &e->block_style;
    pf_style least = *bs, tight = *bs;
    least.size = bs->min_size;
    tight.line_height = 1.0, tight.pad = 0.15;
    tight.size = tight.min_size = bs->min_size;
    double need = 0, tight_line = tight.size + 2 * tight.pad * MM;
    int fits = 1, tight_fits = 1;
    if (label) {
        if (pf_lay_height(f->L, label, &least, w, &need))
            return f->L->err->status;
        fits = y1 - y0 + 0.01 >= least.size * least.line_height + 2 * least.pad * MM;
        tight_fits = y1 - y0 + 0.01 >= tight_line;
        if (ln->of > 1) {
            /* a lane is too narrow for （別紙に続く）: there a label is whole, or marked ※n */
            double tight_need = 0;
            if (pf_lay_height(f->L, label, &tight, w, &tight_need))
                return f->L->err->status;
            fits = fits && need <= y1 - y0 + 0.01;
            tight_fits = tight_fits && tight_need <= y1 - y0 + 0.01;
        }
    }
    if (!fits && !tight_fits && y1 - y0 < tight_line) {
        y1 = y0 + tight_line;                   /* room for the mark */
        marked_place(taken, g, day, x, x + w, &y0, &y1);
    }
    pf_page_fill(pg, x, y0, w, y1 - y0, bs->fill);
    frame(pg, x, y0, w, y1 - y0, e->block_rule);
    if (!label)
        return 0;
    if (fits)
        return pf_lay_box(f->L, pg, label, bs, x, y0, w, y1 - y0, "週間計画表");
    if (tight_fits)
        return pf_lay_box(f->L, pg, label, &tight, x, y0, w, y1 - y0, "週間計画表");
    if (!*mark) {
        *mark = ++f->short_blocks;
        char *where = span_where(e, s);
        char *entry = pf_xasprintf("週間計画表 ※%d（%s）", *mark, where);
        pf_lay_continue(f->L, label, entry);
        free(where);
        free(entry);
    }
    char text[16];
    snprintf(text, sizeof text, "※%d", *mark);
    tight.nowrap = 1;
    return pf_lay_box(f->L, pg, pf_lay_text(f->L, text), &tight, x, y0, w, y1 - y0, "週間計画表");
}

static int weekly_spans(form *f, pf_page *pg, const pf_element *e, const grid *g)
{
    /* the least height of a block that holds one line of its text at the smallest size */
    const pf_style *bs = &e->block_style;
    double line_min = bs->min_size * bs->line_height + 2 * bs->pad * MM;
    /* a mark's height (see weekly_block), in minutes of the grid */
    double per_min = g->band_h * g->bands / 1440.0;
    int mark_min = (int)ceil((bs->min_size + 2 * 0.15 * MM) / per_min);
    size_t n = 0;
    segment *segs = pf_xcalloc(f->bd->n_spans * 14 + 1, sizeof *segs);
    for (size_t i = 0; i < f->bd->n_spans; i++) {
        const pf_bound_span *s = &f->bd->spans[i];
        int len = s->end - s->start;
        if (len <= 0)
            len += 1440;  /* past midnight: 22:00–6:00 */
        int s_off = ((s->start - g->first_min) % 1440 + 1440) % 1440, e_off = s_off + len;
        for (int day = 0; day < 7; day++) {
            if (!(s->days & (1u << day)))
                continue;
            int to = e_off > 1440 ? 1440 : e_off;
            segs[n++] = (segment){i, day, 0, s_off, to - s_off < mark_min ? s_off + mark_min : to,
                                  {0, 1}};
            if (e_off > 1440)
                segs[n++] = (segment){i, day, 1, 0, e_off - 1440 < mark_min ? mark_min
                                                                           : e_off - 1440,
                                      {0, 1}};
        }
    }
    qsort(segs, n, sizeof *segs, segment_order);
    int most = (int)(g->day_w / (9 * MM));   /* lanes of 9 mm at least: room for ※99 */
    assign_lanes(segs, n, most > 1 ? most : 1);
    marked taken = {0};
    /* drawn in the spans' order, so that ※1, ※2 … number them as the input lists them */
    qsort(segs, n, sizeof *segs, span_order);
    int rc = 0, *marks = pf_xcalloc(f->bd->n_spans + 1, sizeof *marks);
    unsigned char *listed = pf_xcalloc(f->bd->n_spans + 1, 1);
    for (size_t k = 0; k < n && rc == 0; k++) {
        const segment *sg = &segs[k];
        size_t i = sg->span;
        const pf_bound_span *s = &f->bd->spans[i];
        int len = s->end - s->start;
        if (len <= 0)
            len += 1440;
        int s_off = ((s->start - g->first_min) % 1440 + 1440) % 1440, e_off = s_off + len;
        /* A span past the grid's end wraps to its top. Both parts carry the text, except a
         * part too low for a line of it: that one is only shaded (the text is in the other). */
        int wraps = e_off > 1440;
        double main_h = grid_y(g, wraps ? 1440 : e_off) - grid_y(g, s_off);
        double wrap_h = wraps ? grid_y(g, e_off - 1440) - grid_y(g, 0) : 0;
        int label_main = !wraps || main_h >= line_min || main_h >= wrap_h;
        int label_wrap = wraps && (wrap_h >= line_min || !label_main);
        if (sg->ln.at < 0) {  /* no lane left beside the others at that time: on the 別紙 */
            if (!listed[i]) {
                listed[i] = 1;
                char *where = span_where(e, s);
                char *entry = pf_xasprintf("週間計画表（%s）", where);
                pf_lay_continue(f->L, &s->label, entry);
                free(where);
                free(entry);
            }
            continue;
        }
        rc = sg->part == 0
                 ? weekly_block(f, pg, e, g, sg->day, &sg->ln, s_off, wraps ? 1440 : e_off, s,
                                label_main ? &s->label : NULL, &marks[i], &taken)
                 : weekly_block(f, pg, e, g, sg->day, &sg->ln, 0, e_off - 1440, s,
                                label_wrap ? &s->label : NULL, &marks[i], &taken);
    }
    for (int day = 0; day < 7; day++)
        free(taken.at[day]);
    free(marks);
    free(listed);
    free(segs);
    return rc;
}

/* An activity's box reaches to its end (without one, two hours) but never into the next
 * activity, and is at least an hour high: the engine's reading of the times, not a form's look. */
static int weekly_activities(form *f, pf_page *pg, const pf_element *e, const grid *g)
{
    for (size_t i = 0; i < f->bd->n_activities; i++) {
        const pf_bound_span *a = &f->bd->activities[i];
        int s_off = ((a->start - g->first_min) % 1440 + 1440) % 1440;
        int e_off = s_off + 60 * 2;
        if (a->end >= 0)
            e_off = s_off + (((a->end - a->start) % 1440 + 1440) % 1440);
        for (size_t k = 0; k < f->bd->n_activities; k++) {  /* up to the next activity */
            int o = ((f->bd->activities[k].start - g->first_min) % 1440 + 1440) % 1440;
            if (o > s_off && o < e_off)
                e_off = o;
        }
        if (e_off > 1440)
            e_off = 1440;
        if (e_off - s_off < 60)
            e_off = s_off + 60 > 1440 ? 1440 : s_off + 60;
        if (pf_lay_box(f->L, pg, &a->label, &e->activity_style, g->act_x, grid_y(g, s_off),
                       g->act_w, grid_y(g, e_off) - grid_y(g, s_off), "主な日常生活上の活動"))
            return f->L->err->status;
    }
    return 0;
}

static int el_weekly(form *f, pf_page *pg, const pf_element *e)
{
    grid g;
    g.x = e->x * MM, g.y = e->y * MM, g.w = e->w * MM, g.h = e->h * MM;
    g.time_w = e->time_w * MM, g.act_w = e->activity_w * MM;
    g.day_w = (g.w - g.time_w - g.act_w) / 7;
    g.act_x = g.x + g.time_w + 7 * g.day_w;
    g.top = g.y + e->header_h * MM;
    g.bands = 24 / e->band_hours;
    g.band_h = (g.h - e->header_h * MM) / g.bands;
    g.first_min = e->first_hour * 60;
    /* header */
    const pf_style hs = e->label_style;
    if (cell(f, pg, e->time_label ? pf_lay_label(f->L, e->time_label, e->line) : NULL, &hs, g.x,
             g.y, g.time_w, g.top - g.y, NULL))
        return f->L->err->status;
    for (int d = 0; d < 7; d++)
        if (cell(f, pg, pf_lay_label(f->L, e->day_labels[d], e->line), &hs,
                 g.x + g.time_w + g.day_w * d, g.y, g.day_w, g.top - g.y, NULL))
            return f->L->err->status;
    if (cell(f, pg, pf_lay_label(f->L, e->activity_label, e->line), &hs, g.act_x, g.y, g.act_w,
             g.top - g.y, NULL))
        return f->L->err->status;
    /* bands and hour labels */
    for (int b = 0; b < g.bands; b++) {
        double y = g.top + g.band_h * b;
        pf_page_rule(pg, g.x, y, g.x + g.w, y, f->t->rule);
        int hour = (e->first_hour + b * e->band_hours) % 24;
        if (pf_lay_box(f->L, pg, pf_lay_label(f->L, hour_labels[hour], e->line), &e->time_style,
                       g.x, y, g.time_w, g.band_h, NULL))
            return f->L->err->status;
    }
    for (int d = 0; d <= 7; d++)
        pf_page_rule(pg, g.x + g.time_w + g.day_w * d, g.top, g.x + g.time_w + g.day_w * d,
                     g.y + g.h, f->t->rule);
    frame(pg, g.x, g.y, g.w, g.h, e->frame_rule);
    return weekly_spans(f, pg, e, &g) || weekly_activities(f, pg, e, &g) ? f->L->err->status : 0;
}

/* ---- pages ------------------------------------------------------------------------------- */

/* Is an element drawn on a page of this kind: PF_ON_FIRST (the template's page), PF_ON_CONTINUED
 * (a page its table went on to) or PF_ON_LAST (where the table ended, after its last row)? */
static int drawn_on(const pf_element *e, int which)
{
    switch (which) {
    case PF_ON_FIRST: return e->repeat == PF_ON_FIRST || e->repeat == PF_ON_EVERY;
    case PF_ON_CONTINUED: return e->repeat == PF_ON_EVERY || e->repeat == PF_ON_CONTINUED;
    default: return e->repeat == PF_ON_LAST;
    }
}

static int draw_elements(form *f, pf_page *pg, const pf_tpage *tp, int which,
                         const pf_element **table)
{
    for (size_t i = 0; i < tp->n; i++) {
        const pf_element *e = &tp->els[i];
        if (!pf_when_holds(e->when, f->bd->flags) || !drawn_on(e, which))
            continue;
        int rc = 0;
        switch (e->kind) {
        case PF_EL_TEXT: rc = el_text(f, pg, e); break;
        case PF_EL_BOX: rc = el_box(f, pg, e); break;
        case PF_EL_GRID: rc = el_grid(f, pg, e); break;
        case PF_EL_WEEKLY: rc = el_weekly(f, pg, e); break;
        case PF_EL_TABLE:
        case PF_EL_LINKAGE:
            if (table)
                *table = e;  /* drawn last: it may add pages */
            break;
        }
        if (rc)
            return rc;
        pf_lay_forget(f->L);  /* the element is set: its rests are copies */
    }
    return 0;
}

/* ---- continuation sheets (別紙) ----------------------------------------------------------- */

/* The heading of a continuation sheet: its title and the person's name. The name's box grows
 * to hold the name, up to three lines; a name longer still is set like any box, ending in the
 * mark, and its rest is continued once, from the first sheet's heading: the later headings would
 * only add the same rest again (and each sheet they head could add another). */
static int cont_heading(form *f, pf_page *pg, double *y)
{
    pf_lay *L = f->L;
    const pf_continuation *c = f->cont;
    size_t entries = L->n_over;
    char *title = pf_xasprintf("%s（%s）", c->title, f->title ? f->title->text : "");
    const pf_value *v = pf_lay_text(L, title);
    free(title);
    double m = c->margin * MM, bottom = m + c->heading_h * MM;
    int rc = pf_lay_box(L, pg, v, &c->title_style, m, m, c->title_w * MM, c->heading_h * MM, NULL);
    if (rc == 0 && c->person_label && c->person_bind) {
        pf_style ns = c->name_style;
        const pf_value *name = value(f, NULL, c->person_bind);
        double lw = c->name_label_w * MM, nw = c->name_w * MM;
        double x = f->pw - m - (c->name_label_w + c->name_w) * MM, h = c->name_h * MM, need = 0;
        double most = c->name_lines * ns.size * ns.line_height + 2 * ns.pad * MM;
        rc = pf_lay_height(L, name, &ns, nw, &need);
        if (need > h)
            h = need < most ? need : most;
        if (rc == 0)
            rc = cell(f, pg, pf_lay_label(L, c->person_label, 0), &ns, x, m, lw, h, NULL);
        ns.fill = 1;  /* the name_style's fill is the label cell's */
        if (rc == 0)
            rc = cell(f, pg, name, &ns, x + lw, m, nw, h, c->person_label);
        if (m + h > bottom)
            bottom = m + h;
    }
    if (f->headings++ > 0)
        pf_lay_drop_over(L, entries);
    *y = bottom + c->gap * MM;
    return rc;
}

/* Each continued text under its label, line after line, on as many sheets as it takes. Setting a
 * sheet's heading or a label may add entries while this walks them: they are taken in turn, and
 * each entry is its own allocation, so `o` stays valid (textset.h, pf_overflow). */
static int continuation(form *f)
{
    pf_lay *L = f->L;
    if (L->n_over == 0)
        return 0;
    const pf_continuation *c = f->cont;
    const pf_style *ls = &c->label_style, bs = c->text_style;
    double m = c->margin * MM, bottom = f->ph - m, width = f->pw - 2 * m, y;
    double label_h = c->label_h * MM, indent = c->indent * MM;
    pf_page *pg = new_page(f, &L->over[0]->rest, 0);
    if (!pg || cont_heading(f, pg, &y))
        return L->err->status;
    double lh = bs.size * bs.line_height;
    for (size_t i = 0; i < L->n_over; i++) {
        const pf_overflow *o = L->over[i];
        const pf_value *v = &o->rest;
        if (y + label_h + lh > bottom) {
            pg = new_page(f, v, 0);
            if (!pg || cont_heading(f, pg, &y))
                return L->err->status;
        }
        /* the box it continues, said so: 「その他留意事項（優先順位 1）（続き）」 */
        char *heading = pf_xasprintf("%s（続き）", o->label);
        int rc = cell(f, pg, pf_lay_text(L, heading), ls, m, y, width, label_h, NULL);
        free(heading);
        if (rc)
            return L->err->status;
        y += label_h + c->label_gap * MM;
        const pf_shaped *sh = pf_lay_shape(L, v, pf_fontset_chain(L->fs, bs.font));
        if (!sh)
            return L->err->status;
        pf_line *lines;
        size_t n = pf_lay_fit(sh, bs.size, width - 2 * indent, 0, 0, &lines);
        for (size_t k = 0; k < n; k++) {
            if (y + lh > bottom) {
                pg = new_page(f, v, sh->c[lines[k].c0].start);
                if (!pg || cont_heading(f, pg, &y)) {
                    free(lines);
                    return L->err->status;
                }
            }
            /* 0.88: the baseline in the line, as textset.c places it (the fonts' ascent) */
            pf_lay_draw_line(L, pg, v, sh, &lines[k], bs.size, m + indent,
                             y + (lh - bs.size) / 2 + bs.size * 0.88, width - 2 * indent,
                             PF_ALIGN_LEFT);
            y += lh;
        }
        free(lines);
        pf_lay_forget(L);  /* this text is set: its shaping is not needed again */
        y += c->gap * MM;
    }
    return 0;
}

/* Each page of this form, its 別紙 included, gets its number in the form: 1/3, 2/3, 3/3. */
static int number_pages(form *f, size_t first)
{
    const pf_template *t = f->t;
    size_t total = f->doc->n_pages - first;
    if (t->number_w <= 0)
        return 0;
    pf_style st = t->base;
    st.size = st.min_size = t->number_size;
    st.align = PF_ALIGN_RIGHT, st.valign = PF_VALIGN_BOTTOM, st.pad = 0, st.nowrap = 1;
    st.line_height = 1.0;
    for (size_t i = 0; i < total; i++) {
        char text[48];
        snprintf(text, sizeof text, "%zu/%zu", i + 1, total);
        if (pf_lay_box(f->L, f->doc->pages[first + i], pf_lay_text(f->L, text), &st,
                       t->number_x * MM, t->number_y * MM, t->number_w * MM,
                       t->number_size * 1.2, NULL))
            return f->L->err->status;
    }
    return 0;
}

/* The form's version fingerprint: 「版 3F7A-19C2」 small in the bottom margin of each of its
 * pages (where the template says), and the full digest kept for the PDF's metadata. */
static int fingerprint_pages(form *f, size_t first)
{
    const pf_template *t = f->t;
    unsigned char digest[PF_FINGERPRINT_LEN];
    if (pf_fingerprint(t, f->bd, digest))
        return pf_error_set(f->L->err, PF_EXIT_IO, PF_CODE_OUT_OF_MEMORY, NULL, 0, NULL, NULL,
                            "版の指紋を計算できません（libcrypto）",
                            "cannot compute the version fingerprint (libcrypto)");
    PF_GROW(f->doc->versions, f->doc->n_versions, f->doc->cap_versions);
    pf_doc_version *v = &f->doc->versions[f->doc->n_versions++];
    v->page = first;
    v->form = pf_xstrdup(t->id);
    v->item = pf_xstrdup(f->bd->item ? f->bd->item : "");
    pf_fingerprint_hex(digest, v->hex);
    if (t->fingerprint_w <= 0)
        return 0;
    char text[32], short_form[10];
    pf_fingerprint_short(digest, short_form);
    snprintf(text, sizeof text, "版 %s", short_form);
    pf_style st = t->base;
    st.size = st.min_size = t->fingerprint_size;
    st.align = PF_ALIGN_LEFT, st.valign = PF_VALIGN_BOTTOM, st.pad = 0, st.nowrap = 1;
    st.line_height = 1.0;
    for (size_t i = first; i < f->doc->n_pages; i++)
        if (pf_lay_box(f->L, f->doc->pages[i], pf_lay_text(f->L, text), &st,
                       t->fingerprint_x * MM, t->fingerprint_y * MM, t->fingerprint_w * MM,
                       t->fingerprint_size * 1.2, NULL))
            return f->L->err->status;
    return 0;
}

int pf_layout_form(const pf_template *t, const pf_bound *bd, pf_fontset *fs, pf_text_ctx *tc,
                   pf_shape_memo *memo, pf_doc *doc, pf_error *err)
{
    pf_lay L = {0};
    L.fs = fs, L.tc = tc, L.memo = memo, L.err = err, L.file = bd->file;
    L.template_path = t->path;
    form f = {&L, t, bd, doc, t->page_w * MM, t->page_h * MM, NULL,
              pf_template_continuation(t, bd->flags), 0, 0};
    if (!f.cont)
        return pf_error_set(err, PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN, t->path, 0,
                            "テンプレート", "template",
                            "この計画に合う continuation（別紙の指定）がありません",
                            "no continuation element applies to this plan");
    L.mark = f.cont->mark;
    for (size_t p = 0; p < t->n_pages && !f.title; p++)
        for (size_t i = 0; i < t->pages[p].n; i++)
            if (t->pages[p].els[i].is_title && pf_when_holds(t->pages[p].els[i].when, bd->flags)) {
                f.title = &t->pages[p].els[i];
                break;
            }
    size_t first_page = doc->n_pages;
    int rc = 0;
    for (size_t p = 0; rc == 0 && p < t->n_pages; p++) {
        pf_page *pg = new_page(&f, NULL, 0);
        const pf_element *table = NULL;
        rc = pg ? draw_elements(&f, pg, &t->pages[p], PF_ON_FIRST, &table) : err->status;
        if (rc == 0 && table)
            rc = table->kind == PF_EL_LINKAGE ? el_linkage(&f, &pg, &t->pages[p], table)
                                              : el_table(&f, &pg, &t->pages[p], table);
        if (rc == 0)  /* pg is now the page where the table ended */
            rc = draw_elements(&f, pg, &t->pages[p], PF_ON_LAST, NULL);
    }
    if (rc == 0)
        rc = continuation(&f);
    if (rc == 0)
        rc = number_pages(&f, first_page);
    if (rc == 0)
        rc = fingerprint_pages(&f, first_page);
    if (rc == 0 && f.title) {
        doc->pages[first_page]->bookmark = pf_xstrdup(f.title->text);
        if (!doc->title)
            doc->title = pf_xstrdup(f.title->text);
    }
    pf_lay_free(&L);
    return rc;
}
