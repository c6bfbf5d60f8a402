/* template — parsing templates/<form>.xml into pf_template. See template.h.
 *
 * Templates are files of the installation, not user input, but they are read with the same
 * care: no network, no entities, and every problem is an error that names file and line. */
#include "template/template.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xml.h"

typedef struct reader {
    const char *path;
    pf_error *err;
    pf_template *t;
} reader;

static int fail(reader *r, xmlNode *n, const char *ja, const char *en)
{
    return pf_error_set(r->err, PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN, r->path,
                        n ? (int)xmlGetLineNo(n) : 0, "テンプレート", "template", ja, en);
}

static int is(xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static char *attr(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = pf_xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

static char *content(xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent(n);
    char *s = pf_xstrdup(v ? (const char *)v : "");
    if (v)
        xmlFree(v);
    return s;
}

/* A number attribute; absent leaves *out unchanged. */
static int num(reader *r, xmlNode *n, const char *name, double *out)
{
    char *v = attr(n, name);
    if (!v)
        return 0;
    char *end;
    double d = strtod(v, &end);
    int bad = end == v || *end || !isfinite(d) || d < -1000 || d > 10000;
    free(v);
    if (bad) {
        char ja[200], en[200];
        snprintf(ja, sizeof ja, "属性 %s が数値ではありません", name);
        snprintf(en, sizeof en, "attribute %s is not a number", name);
        return fail(r, n, ja, en);
    }
    *out = d;
    return 0;
}

static int style_attrs(reader *r, xmlNode *n, const char *prefix, pf_style *s)
{
    char key[64];
#define KEY(k) (snprintf(key, sizeof key, "%s%s", prefix, k), key)
    char *v;
    if ((v = attr(n, KEY("font")))) {
        snprintf(s->font, sizeof s->font, "%s", v);
        free(v);
    }
    if (num(r, n, KEY("size"), &s->size) || num(r, n, KEY("min-size"), &s->min_size) ||
        num(r, n, KEY("line-height"), &s->line_height) || num(r, n, KEY("pad"), &s->pad) ||
        num(r, n, KEY("fill"), &s->fill))
        return r->err->status;
    if ((v = attr(n, KEY("align")))) {
        s->align = strcmp(v, "center") == 0   ? PF_ALIGN_CENTER
                   : strcmp(v, "right") == 0  ? PF_ALIGN_RIGHT
                   : strcmp(v, "distribute") == 0 ? PF_ALIGN_DISTRIBUTE
                                              : PF_ALIGN_LEFT;
        free(v);
    }
    if ((v = attr(n, KEY("valign")))) {
        s->valign = strcmp(v, "middle") == 0   ? PF_VALIGN_MIDDLE
                    : strcmp(v, "bottom") == 0 ? PF_VALIGN_BOTTOM
                                               : PF_VALIGN_TOP;
        free(v);
    }
    if ((v = attr(n, KEY("wrap")))) {
        s->nowrap = strcmp(v, "no") == 0;
        free(v);
    }
#undef KEY
    if (s->min_size < PF_MIN_TEXT_SIZE)
        s->min_size = PF_MIN_TEXT_SIZE;  /* a floor no template lowers: see template.h */
    if (s->min_size > s->size)
        s->min_size = s->size;
    return 0;
}

static pf_style label_default(const pf_style *base)
{
    pf_style s = *base;
    s.align = PF_ALIGN_DISTRIBUTE;
    s.valign = PF_VALIGN_MIDDLE;
    s.fill = 0.92;
    s.pad = 0.6;  /* labels are short and their cells narrow: less padding than values */
    s.line_height = 1.15;  /* a heading of two lines is set close, as printed forms set them */
    return s;
}

static int geometry(reader *r, xmlNode *n, pf_element *e, int need_h)
{
    e->h = -1;
    if (num(r, n, "x", &e->x) || num(r, n, "y", &e->y) || num(r, n, "w", &e->w) ||
        num(r, n, "h", &e->h))
        return r->err->status;
    if (need_h && e->h < 0)
        return fail(r, n, "h（高さ）がありません", "missing h (height)");
    double h = e->h < 0 ? 0 : e->h;
    if (e->x < 0 || e->y < 0 || e->w <= 0 || e->x + e->w > r->t->page_w + 0.01 ||
        e->y + h > r->t->page_h + 0.01)
        return fail(r, n, "枠がページの外にはみ出しています", "box lies outside the page");
    return 0;
}

static int grid_row(reader *r, xmlNode *row, pf_element *e)
{
    for (xmlNode *c = row->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!is(c, "label") && !is(c, "value"))
            return fail(r, c, "grid の row には label と value だけが入ります",
                        "a grid row holds only label and value");
        PF_GROW(e->cells, e->n_cells, e->cap_cells);
        pf_cell *cell = &e->cells[e->n_cells++];
        memset(cell, 0, sizeof *cell);
        cell->is_label = is(c, "label");
        cell->row = e->n_rows;
        cell->line = (int)xmlGetLineNo(c);
        cell->when = attr(c, "when");
        cell->style = cell->is_label ? e->label_style : e->style;
        double span = 1;
        if (num(r, c, "span", &span) || style_attrs(r, c, "", &cell->style))
            return r->err->status;
        cell->span = span < 1 ? 1 : (int)span;
        if (cell->is_label)
            cell->text = content(c);
        else
            cell->bind = attr(c, "bind"), cell->maps_to = attr(c, "maps-to"),
            cell->choices = attr(c, "choices"), cell->ruby = attr(c, "ruby"),
            cell->signature = attr(c, "signature");
        cell->ruby_size = 6;   /* フリガナ: smaller than the 7 pt floor of other text */
        if (num(r, c, "ruby-size", &cell->ruby_size))
            return r->err->status;
    }
    e->n_rows++;
    return 0;
}

static int parse_cols(reader *r, xmlNode *n, pf_element *e)
{
    char *v = attr(n, "cols");
    if (!v)
        return fail(r, n, "cols（列幅）がありません", "missing cols (column widths)");
    double total = 0;
    for (char *p = v, *end; *p;) {
        double d = strtod(p, &end);
        if (end == p || d <= 0) {
            free(v);
            return fail(r, n, "cols の値が正しくありません", "bad cols value");
        }
        e->cols = pf_xrealloc(e->cols, (e->n_cols + 1) * sizeof *e->cols);
        e->cols[e->n_cols++] = d;
        total += d;
        p = end;
        while (*p == ' ')
            p++;
    }
    free(v);
    if (total > e->w + 0.01)
        return fail(r, n, "列幅の合計が w を超えています", "columns are wider than w");
    return 0;
}

static int table_col(reader *r, xmlNode *c, pf_element *e, const char *group)
{
    PF_GROW(e->columns, e->n_columns, e->cap_columns);
    pf_column *col = &e->columns[e->n_columns++];
    memset(col, 0, sizeof *col);
    col->style = e->style;
    col->label = attr(c, "label");
    col->line = (int)xmlGetLineNo(c);
    col->bind = attr(c, "bind");
    col->maps_to = attr(c, "maps-to");
    col->strike = attr(c, "strike");
    char *merge = attr(c, "merge");
    col->merge = merge != NULL;
    free(merge);
    col->choices = attr(c, "choices");
    col->group = group ? pf_xstrdup(group) : NULL;
    if (num(r, c, "w", &col->w) || style_attrs(r, c, "", &col->style))
        return r->err->status;
    if (col->w <= 0 || !col->label || !col->bind)
        return fail(r, c, "col には w, label, bind が必要です", "col needs w, label and bind");
    return 0;
}

static int linkage(reader *r, xmlNode *n, pf_element *e)
{
    e->priority_label = attr(n, "priority-label");
    e->need_label = attr(n, "need-label");
    e->informal_label = attr(n, "informal-label");
    e->other_label = attr(n, "other-label");
    e->priority_w = 12, e->need_w = 60, e->informal_w = 40, e->other_w = 40;
    e->provider_min_w = 20;
    e->priority_style = e->style;
    e->priority_style.size = 10;
    e->priority_style.align = PF_ALIGN_CENTER, e->priority_style.valign = PF_VALIGN_MIDDLE;
    if (num(r, n, "priority-w", &e->priority_w) || num(r, n, "need-w", &e->need_w) ||
        num(r, n, "informal-w", &e->informal_w) || num(r, n, "other-w", &e->other_w) ||
        num(r, n, "provider-min-w", &e->provider_min_w) ||
        style_attrs(r, n, "priority-", &e->priority_style))
        return r->err->status;
    if (!e->priority_label || !e->need_label || !e->informal_label || !e->other_label ||
        e->provider_min_w <= 0 ||
        e->priority_w + e->need_w + e->informal_w + e->other_w > e->w - e->provider_min_w)
        return fail(r, n, "linkage には4つの見出し（*-label）と、事業所の列が入る幅が必要です",
                    "linkage needs its four labels and room for provider columns");
    return 0;
}

/* The shade mark stands across the columns after the one bound to shade-mark-after: a column of
 * the table, or of a linkage one of its two fixed columns (the others are the plan's providers),
 * and never the last, which would leave the mark no room. */
static int shade_mark_after(reader *r, xmlNode *n, const pf_element *e)
{
    const char *key = e->shade_mark_after;
    if (!key)
        return 0;
    if (e->kind == PF_EL_LINKAGE) {
        if (strcmp(key, PF_LINKAGE_PRIORITY_KEY) == 0 || strcmp(key, PF_LINKAGE_NEED_KEY) == 0)
            return 0;
    } else {
        for (size_t i = 0; i + 1 < e->n_columns; i++)
            if (strcmp(e->columns[i].bind, key) == 0)
                return 0;
    }
    return pf_error_setf(r->err, PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN, r->path,
                         (int)xmlGetLineNo(n), "テンプレート", "template",
                         "shade-mark-after=\"%s\" はこの表の列（最後の列を除く）ではありません",
                         "shade-mark-after=\"%s\" is not a column of this table (before its last)",
                         key);
}

static int table(reader *r, xmlNode *n, pf_element *e)
{
    e->shade_key = attr(n, "shade-key");
    char *fill_rows = attr(n, "fill-rows");
    e->fill_rows = fill_rows && strcmp(fill_rows, "yes") == 0;
    free(fill_rows);
    e->shade_mark = attr(n, "shade-mark");
    e->shade_mark_after = attr(n, "shade-mark-after");
    e->shade = 0.85;
    e->mark_style = e->style;  /* 未反映: bold and centred over the row's shade */
    snprintf(e->mark_style.font, sizeof e->mark_style.font, "gothic");
    e->mark_style.size = 11;
    e->mark_style.align = PF_ALIGN_CENTER, e->mark_style.valign = PF_VALIGN_MIDDLE;
    if (num(r, n, "shade", &e->shade) || style_attrs(r, n, "shade-mark-", &e->mark_style))
        return r->err->status;
    e->header_h = 10, e->min_row_h = 10, e->bottom = r->t->page_h - 10, e->continue_y = e->y;
    if (num(r, n, "header-h", &e->header_h) || num(r, n, "min-row-h", &e->min_row_h) ||
        num(r, n, "bottom", &e->bottom) || num(r, n, "continue-y", &e->continue_y))
        return r->err->status;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (is(c, "col")) {
            if (table_col(r, c, e, NULL))
                return r->err->status;
        } else if (is(c, "group")) {
            char *label = attr(c, "label");
            for (xmlNode *g = c->children; g; g = g->next)
                if (is(g, "col") && table_col(r, g, e, label)) {
                    free(label);
                    return r->err->status;
                }
            free(label);
        } else if (c->type == XML_ELEMENT_NODE) {
            return fail(r, c, "table には col と group だけが入ります",
                        "a table holds only col and group");
        }
    }
    double total = 0;
    for (size_t i = 0; i < e->n_columns; i++)
        total += e->columns[i].w;
    if (e->kind == PF_EL_LINKAGE)
        return linkage(r, n, e) || shade_mark_after(r, n, e) ? r->err->status : 0;
    if (e->n_columns == 0 || total > e->w + 0.01 || e->bottom > r->t->page_h)
        return fail(r, n, "table の指定が正しくありません（col, 幅, bottom）",
                    "bad table (columns, widths or bottom)");
    return shade_mark_after(r, n, e);
}

static int weekly(reader *r, xmlNode *n, pf_element *e)
{
    char *days = attr(n, "days");
    int k = 0;
    if (days) {
        char *save = NULL;
        for (char *d = strtok_r(days, ",", &save); d && k < 7; d = strtok_r(NULL, ",", &save))
            e->day_labels[k++] = pf_xstrdup(d);
        free(days);
    }
    e->activity_label = attr(n, "activity-label");
    e->time_label = attr(n, "time-label");
    double first = 6, band = 2;
    e->time_w = 12, e->activity_w = 60, e->header_h = 8;
    e->frame_rule = 0.8;
    /* a span's block: shaded, framed, set off the day's rules, its text small and centred */
    e->block_style = e->style;
    e->block_style.size = 7, e->block_style.min_size = PF_MIN_TEXT_SIZE, e->block_style.line_height = 1.2;
    e->block_style.pad = 0.5, e->block_style.fill = 0.94;
    e->block_style.align = PF_ALIGN_CENTER, e->block_style.valign = PF_VALIGN_MIDDLE;
    e->block_rule = 0.6, e->block_inset = 0;  /* on the day's rules */
    e->activity_style = e->style;
    e->activity_style.size = 7.5, e->activity_style.min_size = PF_MIN_TEXT_SIZE;
    e->activity_style.line_height = 1.2, e->activity_style.pad = 0.8;
    e->time_style = e->style;
    e->time_style.size = 7, e->time_style.min_size = PF_MIN_TEXT_SIZE, e->time_style.pad = 0.6;
    e->time_style.align = PF_ALIGN_LEFT;
    if (num(r, n, "first-hour", &first) || num(r, n, "band-hours", &band) ||
        num(r, n, "time-w", &e->time_w) || num(r, n, "activity-w", &e->activity_w) ||
        num(r, n, "header-h", &e->header_h) || num(r, n, "frame-rule", &e->frame_rule) ||
        num(r, n, "block-rule", &e->block_rule) || num(r, n, "block-inset", &e->block_inset) ||
        style_attrs(r, n, "block-", &e->block_style) ||
        style_attrs(r, n, "activity-", &e->activity_style) ||
        style_attrs(r, n, "time-", &e->time_style))
        return r->err->status;
    e->first_hour = (int)first, e->band_hours = (int)band;
    if (k != 7 || !e->activity_label || e->band_hours < 1 || 24 % e->band_hours)
        return fail(r, n, "weekly には7つの曜日（days）と activity-label が必要です",
                    "weekly needs seven days and an activity-label");
    return 0;
}

static int element(reader *r, xmlNode *n, pf_tpage *page)
{
    PF_GROW(page->els, page->n, page->cap);
    pf_element *e = &page->els[page->n++];
    memset(e, 0, sizeof *e);
    e->line = (int)xmlGetLineNo(n);
    e->when = attr(n, "when");
    char *rep = attr(n, "repeat");
    e->repeat = !rep                       ? PF_ON_FIRST
              : strcmp(rep, "yes") == 0    ? PF_ON_EVERY
              : strcmp(rep, "only") == 0   ? PF_ON_CONTINUED
              : strcmp(rep, "last") == 0   ? PF_ON_LAST
                                           : PF_ON_FIRST;
    free(rep);
    char *title = attr(n, "title");
    e->is_title = title && strcmp(title, "yes") == 0;
    free(title);
    e->style = r->t->base;
    e->label_style = label_default(&r->t->base);
    if (is(n, "weekly"))
        e->label_style.align = PF_ALIGN_CENTER;  /* the day headings: centred, not spread */
    if (style_attrs(r, n, "", &e->style) || style_attrs(r, n, "label-", &e->label_style))
        return r->err->status;
    if (is(n, "text")) {
        e->kind = PF_EL_TEXT;
        e->text = content(n);
        e->bind = attr(n, "bind");
        e->maps_to = attr(n, "maps-to");
        return geometry(r, n, e, 1);
    }
    if (is(n, "box")) {
        e->kind = PF_EL_BOX;
        e->label = attr(n, "label");
        e->bind = attr(n, "bind");
        e->maps_to = attr(n, "maps-to");
        if (num(r, n, "label-w", &e->label_w) || geometry(r, n, e, 1))
            return r->err->status;
        if (!e->bind || (e->label && e->label_w <= 0) || e->label_w >= e->w)
            return fail(r, n, "box には bind と label-w が必要です", "box needs bind and label-w");
        return 0;
    }
    if (is(n, "grid")) {
        e->kind = PF_EL_GRID;
        e->row_h = 8;
        if (geometry(r, n, e, 0) || num(r, n, "row-h", &e->row_h) || parse_cols(r, n, e))
            return r->err->status;
        for (xmlNode *c = n->children; c; c = c->next) {
            if (is(c, "row")) {
                if (grid_row(r, c, e))
                    return r->err->status;
            } else if (c->type == XML_ELEMENT_NODE) {
                return fail(r, c, "grid には row だけが入ります", "a grid holds only rows");
            }
        }
        e->h = e->row_h * e->n_rows;
        if (e->y + e->h > r->t->page_h)
            return fail(r, n, "枠がページの外にはみ出しています", "grid lies outside the page");
        return 0;
    }
    if (is(n, "table")) {
        e->kind = PF_EL_TABLE;
        return geometry(r, n, e, 0) || table(r, n, e) ? r->err->status : 0;
    }
    if (is(n, "linkage")) {
        e->kind = PF_EL_LINKAGE;
        return geometry(r, n, e, 0) || table(r, n, e) ? r->err->status : 0;
    }
    if (is(n, "weekly")) {
        e->kind = PF_EL_WEEKLY;
        return geometry(r, n, e, 1) || weekly(r, n, e) ? r->err->status : 0;
    }
    char ja[200], en[200];
    snprintf(ja, sizeof ja, "知らない要素 <%s> です", (const char *)n->name);
    snprintf(en, sizeof en, "unknown element <%s>", (const char *)n->name);
    return fail(r, n, ja, en);
}

/* A continuation sheet (別紙): what it says, and its look. Every default is written here once
 * (template.xsd documents them): a 12 mm margin; a heading 10 mm high with the title in gothic
 * 14 pt (down to 8) over half the page and, at the right, the name box (a 30 mm label cell
 * shaded 0.92 and an 80 mm value cell, 10 pt, at least 8 mm high, growing to three lines);
 * then each continued text under a 7 mm label cell (gothic 9 pt, shaded 0.92) in 10 pt, set
 * 2 mm in, 4 mm between texts. */
static int continuation(reader *r, xmlNode *n, pf_continuation *c)
{
    const pf_template *t = r->t;
    c->when = attr(n, "when");
    c->title = attr(n, "title");
    c->mark = attr(n, "mark");
    c->person_label = attr(n, "person-label");
    c->person_bind = attr(n, "person-bind");
    c->line = (int)xmlGetLineNo(n);
    if (!c->title || !c->mark)
        return fail(r, n, "continuation には title と mark が必要です",
                    "continuation needs title and mark");
    c->margin = 12, c->heading_h = 10, c->title_w = t->page_w / 2;
    c->title_style = t->base;
    snprintf(c->title_style.font, sizeof c->title_style.font, "gothic");
    c->title_style.size = 14, c->title_style.min_size = 8, c->title_style.pad = 0;
    c->name_label_w = 30, c->name_w = 80, c->name_h = 8, c->name_lines = 3;
    c->name_style = t->base;
    c->name_style.size = 10, c->name_style.fill = 0.92;
    c->name_style.align = PF_ALIGN_LEFT, c->name_style.valign = PF_VALIGN_MIDDLE;
    c->label_h = 7, c->label_gap = 1.5;
    c->label_style = t->base;
    snprintf(c->label_style.font, sizeof c->label_style.font, "gothic");
    c->label_style.size = 9, c->label_style.pad = 1, c->label_style.fill = 0.92;
    c->label_style.valign = PF_VALIGN_MIDDLE;
    c->text_style = t->base;
    c->text_style.size = 10;
    c->indent = 2, c->gap = 4;
    double lines = c->name_lines;
    if (num(r, n, "margin", &c->margin) || num(r, n, "heading-h", &c->heading_h) ||
        num(r, n, "title-w", &c->title_w) || num(r, n, "name-label-w", &c->name_label_w) ||
        num(r, n, "name-w", &c->name_w) || num(r, n, "name-h", &c->name_h) ||
        num(r, n, "name-lines", &lines) || num(r, n, "label-h", &c->label_h) ||
        num(r, n, "label-gap", &c->label_gap) || num(r, n, "indent", &c->indent) ||
        num(r, n, "gap", &c->gap) || style_attrs(r, n, "title-", &c->title_style) ||
        style_attrs(r, n, "name-", &c->name_style) ||
        style_attrs(r, n, "label-", &c->label_style) || style_attrs(r, n, "", &c->text_style))
        return r->err->status;
    c->name_lines = lines < 1 ? 1 : (int)lines;
    /* a sheet must hold its heading, one label and one line of text: else every text would
     * take a sheet of its own */
    double inner_w = t->page_w - 2 * c->margin, pt_mm = 25.4 / 72;
    double first = c->heading_h + c->gap + c->label_h + c->label_gap +
                   c->text_style.size * c->text_style.line_height * pt_mm;
    if (inner_w <= 2 * c->indent || c->title_w > inner_w ||
        c->name_label_w + c->name_w > inner_w || first > t->page_h - 2 * c->margin)
        return fail(r, n, "別紙（continuation）の見出し・見出し欄・1行がページに収まりません",
                    "the continuation sheet's heading, a label and a line do not fit on the page");
    return 0;
}

static int form(reader *r, xmlNode *root)
{
    pf_template *t = r->t;
    if (!is(root, "form"))
        return fail(r, root, "ルート要素は <form> です", "the root element must be <form>");
    t->id = attr(root, "id");
    t->mapped_mark = attr(root, "mapped-mark");
    t->page_w = 297, t->page_h = 210;
    t->base = (pf_style){"mincho", 9, PF_MIN_TEXT_SIZE, 1.35, 1.2, PF_ALIGN_LEFT, PF_VALIGN_TOP, 0, 1};
    /* fields: font, size, min_size, line_height, pad, align, valign, nowrap, fill */
    t->rule = 0.4;
    if (num(r, root, "page-w", &t->page_w) || num(r, root, "page-h", &t->page_h))
        return r->err->status;
    /* the page number: in the bottom margin, at the right, 7 pt */
    t->number_w = 30, t->number_x = t->page_w - 10 - t->number_w, t->number_y = t->page_h - 7;
    t->number_size = PF_MIN_TEXT_SIZE;
    /* the fingerprint: in the bottom margin too, at the left, where no form puts anything */
    t->fingerprint_x = 10, t->fingerprint_y = t->page_h - 7, t->fingerprint_w = 40;
    t->fingerprint_size = PF_MIN_TEXT_SIZE;
    if (num(r, root, "fingerprint-x", &t->fingerprint_x) ||
        num(r, root, "fingerprint-y", &t->fingerprint_y) ||
        num(r, root, "fingerprint-w", &t->fingerprint_w) ||
        num(r, root, "fingerprint-size", &t->fingerprint_size))
        return r->err->status;
    if (num(r, root, "rule", &t->rule) || num(r, root, "number-x", &t->number_x) ||
        num(r, root, "number-y", &t->number_y) || num(r, root, "number-w", &t->number_w) ||
        num(r, root, "number-size", &t->number_size) ||
        style_attrs(r, root, "", &t->base))
        return r->err->status;
    if (!t->id || t->page_w < 50 || t->page_h < 50 || t->page_w > 2000 || t->page_h > 2000)
        return fail(r, root, "form には id と正しいページの大きさが必要です",
                    "form needs an id and a sane page size");
    for (xmlNode *n = root->children; n; n = n->next) {
        if (is(n, "continuation")) {
            if (t->n_conts == sizeof t->conts / sizeof t->conts[0])
                return fail(r, n, "continuation が多すぎます", "too many continuation elements");
            if (continuation(r, n, &t->conts[t->n_conts++]))
                return r->err->status;
        } else if (is(n, "page")) {
            PF_GROW(t->pages, t->n_pages, t->cap_pages);
            pf_tpage *p = &t->pages[t->n_pages++];
            memset(p, 0, sizeof *p);
            for (xmlNode *c = n->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && element(r, c, p))
                    return r->err->status;
        } else if (n->type == XML_ELEMENT_NODE) {
            return fail(r, n, "form には continuation と page だけが入ります",
                        "a form holds only continuation and page");
        }
    }
    if (t->n_conts == 0 || t->n_pages == 0)
        return fail(r, root, "continuation（別紙の指定）と page が必要です",
                    "a form needs a continuation element and at least one page");
    return 0;
}

struct pf_template_schema {
    xmlSchemaPtr schema;
};

pf_template_schema *pf_template_schema_load(const char *xsd_path, pf_error *err)
{
    xmlSchemaPtr x = pf_xml_schema_load(xsd_path, PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN,
                                        "テンプレート言語のスキーマ", "the template schema", err);
    if (!x)
        return NULL;
    pf_template_schema *s = pf_xcalloc(1, sizeof *s);
    s->schema = x;
    return s;
}

void pf_template_schema_free(pf_template_schema *s)
{
    if (!s)
        return;
    xmlSchemaFree(s->schema);
    free(s);
}

/* The template against template.xsd: the first error, with its line. */
static int validate(reader *r, const pf_template_schema *s, xmlDoc *doc)
{
    pf_xml_first c = {0};
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(s->schema);
    int valid = -1;
    if (vc) {
        xmlSchemaSetValidStructuredErrors(vc, pf_xml_collect, &c);
        valid = xmlSchemaValidateDoc(vc, doc);
        xmlSchemaFreeValidCtxt(vc);
    }
    if (!vc || c.sys)
        return pf_error_errno(r->err, PF_EXIT_IO, PF_CODE_IO_ERROR, r->path, 0, c.sys ? c.sys : ENOMEM,
                              "テンプレートを検証できません", "cannot check the template");
    if (valid == 0)
        return 0;
    char *en = pf_xasprintf("the template does not follow the template language (template.xsd): %s",
                            c.set ? c.msg : "invalid");
    /* libxml2 says what is wrong only in English: quoted in both lines */
    char *ja = pf_xasprintf("テンプレートがテンプレート言語（template.xsd）に合っていません：%s",
                            c.set ? c.msg : "invalid");
    pf_error_set(r->err, PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN, r->path, c.line, "テンプレート",
                 "template", ja, en);
    free(ja);
    free(en);
    return r->err->status;
}

pf_template *pf_template_load(const char *path, const pf_template_schema *schema, pf_error *err)
{
    reader r = {path, err, pf_xcalloc(1, sizeof(pf_template))};
    r.t->path = pf_xstrdup(path);
    pf_xml_setup();
    xmlResetLastError();
    errno = 0;
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int e_read = errno;
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        /* Missing, or out of memory or descriptors (the file is fine then: exit 4, the cause
         * named); only a template that opens and still does not parse is broken. */
        int cause = pf_xml_errno(e) ? pf_xml_errno(e) : pf_load_cause(path, e_read);
        if (cause)
            pf_error_errno(err, PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN, path, 0, cause,
                           "テンプレートを読めません", "cannot read the template");
        else
            pf_error_set(err, PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN, path, e ? e->line : 0,
                         "テンプレート",
                         "template", "テンプレートを読めません（XMLとして正しくありません）",
                         "cannot read the template (not well-formed XML)");
    } else {
        if (validate(&r, schema, doc) == 0)
            form(&r, xmlDocGetRootElement(doc));
        xmlFreeDoc(doc);
    }
    if (err->status) {
        pf_template_free(r.t);
        return NULL;
    }
    return r.t;
}

static void free_element(pf_element *e)
{
    free(e->when);
    free(e->text);
    free(e->label);
    free(e->bind);
    free(e->maps_to);
    free(e->cols);
    for (size_t i = 0; i < e->n_cells; i++) {
        free(e->cells[i].text);
        free(e->cells[i].bind);
        free(e->cells[i].maps_to);
        free(e->cells[i].choices);
        free(e->cells[i].ruby);
        free(e->cells[i].signature);
        free(e->cells[i].when);
    }
    free(e->cells);
    for (size_t i = 0; i < e->n_columns; i++) {
        free(e->columns[i].label);
        free(e->columns[i].group);
        free(e->columns[i].bind);
        free(e->columns[i].maps_to);
        free(e->columns[i].strike);
        free(e->columns[i].choices);
    }
    free(e->columns);
    free(e->shade_key);
    free(e->shade_mark);
    free(e->shade_mark_after);
    free(e->priority_label);
    free(e->need_label);
    free(e->informal_label);
    free(e->other_label);
    for (int i = 0; i < 7; i++)
        free(e->day_labels[i]);
    free(e->activity_label);
    free(e->time_label);
}

void pf_template_free(pf_template *t)
{
    if (!t)
        return;
    for (size_t p = 0; p < t->n_pages; p++) {
        for (size_t i = 0; i < t->pages[p].n; i++)
            free_element(&t->pages[p].els[i]);
        free(t->pages[p].els);
    }
    free(t->pages);
    free(t->path);
    free(t->id);
    free(t->mapped_mark);
    for (size_t i = 0; i < t->n_conts; i++) {
        free(t->conts[i].when);
        free(t->conts[i].title);
        free(t->conts[i].mark);
        free(t->conts[i].person_label);
        free(t->conts[i].person_bind);
    }
    free(t);
}

const pf_continuation *pf_template_continuation(const pf_template *t, const char *flags)
{
    for (size_t i = 0; i < t->n_conts; i++)
        if (pf_when_holds(t->conts[i].when, flags))
            return &t->conts[i];
    return NULL;
}

/* Every word of `when` must be one of the words of `flags`. */
int pf_when_holds(const char *when, const char *flags)
{
    if (!when)
        return 1;
    const char *p = when;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n == 0)
            break;
        int found = 0;
        for (const char *f = flags; *f && !found;) {
            while (*f == ' ')
                f++;
            size_t m = strcspn(f, " ");
            found = m == n && strncmp(f, p, n) == 0;
            f += m;
        }
        if (!found)
            return 0;
        p += n;
    }
    return 1;
}

/* ---- binding keys ---------------------------------------------------------------------- */

static int key_known(const pf_template *t, const char *key, int line, const char *attr,
                     int (*provides)(const void *ctx, const char *key), const void *ctx,
                     pf_error *err)
{
    if (!key || provides(ctx, key))
        return 0;
    return pf_error_setf(err, PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN, t->path, line,
                         "テンプレート", "template",
                         "%s=\"%s\" はこの様式にない値です（綴りを確認してください）",
                         "%s=\"%s\": this form has no such key (check its spelling)", attr, key);
}

int pf_template_check_keys(const pf_template *t, int (*provides)(const void *ctx, const char *key),
                           const void *ctx, pf_error *err)
{
#define KNOWN(key, line, attr)                                                                  \
    if (key_known(t, key, line, attr, provides, ctx, err))                                     \
        return err->status;
    for (size_t i = 0; i < t->n_conts; i++) {
        KNOWN(t->conts[i].person_bind, t->conts[i].line, "person-bind")
    }
    for (size_t p = 0; p < t->n_pages; p++) {
        for (size_t i = 0; i < t->pages[p].n; i++) {
            const pf_element *e = &t->pages[p].els[i];
            KNOWN(e->bind, e->line, "bind")
            KNOWN(e->maps_to, e->line, "maps-to")
            KNOWN(e->shade_key, e->line, "shade-key")
            for (size_t c = 0; c < e->n_cells; c++) {
                KNOWN(e->cells[c].bind, e->cells[c].line, "bind")
                KNOWN(e->cells[c].maps_to, e->cells[c].line, "maps-to")
                KNOWN(e->cells[c].ruby, e->cells[c].line, "ruby")
            }
            for (size_t c = 0; c < e->n_columns; c++) {
                KNOWN(e->columns[c].bind, e->columns[c].line, "bind")
                KNOWN(e->columns[c].maps_to, e->columns[c].line, "maps-to")
                KNOWN(e->columns[c].strike, e->columns[c].line, "strike")
            }
        }
    }
#undef KNOWN
    return 0;
}
