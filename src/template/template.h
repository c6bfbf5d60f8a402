/* template — a form as data: reads templates/<form>.xml into a pf_template.
 *
 * A template says everything about a form's look: page size, where each label and box stands
 * (millimetres from the top-left corner), which value of the plan goes in which box (a binding
 * key such as "plan.wishes"), fonts, sizes, alignment, and which parts apply to which kind of
 * plan ("when": adult, child, draft, final). The engine (layout/) draws any template; a
 * municipality's variant is a new template file, not new C. */
#ifndef PF_TEMPLATE_H
#define PF_TEMPLATE_H

#include <stddef.h>

#include "util/util.h"

/* The readable floor: text shrinks to fit its box down to a template's min-size, never below
 * this (on an A4 form read at arm's length, smaller is not read); what still does not fit
 * continues on the 別紙. Only ruby (フリガナ) is set smaller. */
#define PF_MIN_TEXT_SIZE 7.0

enum { PF_ALIGN_LEFT, PF_ALIGN_CENTER, PF_ALIGN_RIGHT, PF_ALIGN_DISTRIBUTE };
enum { PF_VALIGN_TOP, PF_VALIGN_MIDDLE, PF_VALIGN_BOTTOM };

typedef struct pf_style {
    char font[16];          /* font role: mincho, gothic */
    double size, min_size;  /* points */
    double line_height;     /* times the size */
    double pad;             /* mm inside the box */
    int align, valign;
    int nowrap;             /* shrink to stay on one line before wrapping (dates) */
    double fill;            /* background gray, 1 = none */
} pf_style;

typedef enum {
    PF_EL_TEXT,     /* a fixed label at a place */
    PF_EL_BOX,      /* a labelled value box: label cell (label-w wide) + value cell */
    PF_EL_GRID,     /* rows of label/value cells */
    PF_EL_TABLE,    /* one row per item (need), growing, repeated header on new pages */
    PF_EL_WEEKLY,   /* the 週間計画表 grid */
    PF_EL_LINKAGE   /* the 連携シート: a table whose columns are the providers of the plan */
} pf_el_kind;

typedef struct pf_cell {
    int is_label;
    char *text;             /* label text */
    char *bind;             /* value key, for value cells */
    char *maps_to;          /* printed instead, marked, when `bind` is empty */
    char *choices;          /* "有,無": print every option, circle the one the value names */
    char *ruby;             /* a key printed small in a band of its own above the value
                               (フリガナ over 利用者氏名), or NULL */
    double ruby_size;       /* points */
    char *signature;        /* the cell is also an empty PDF signature field of this name
                               ("consent"), or NULL */
    char *when;
    int span;               /* columns taken */
    int row;
    int line;               /* in the template file */
    pf_style style;
} pf_cell;

typedef struct pf_column {
    double w;
    char *label;
    char *group;            /* header text over several columns, or NULL */
    char *bind;
    char *maps_to;          /* the comprehensive plan's field printed when `bind` is empty */
    char *strike;           /* a key: when its value is not empty, the cell is struck through */
    int merge;              /* merge="yes": rows in a run of one value share one cell (項目) */
    char *choices;          /* "有,無": print every option, circle the one the value names */
    int line;               /* in the template file */
    pf_style style;
} pf_column;

/* The keys of a linkage sheet's two fixed columns (its other columns are the plan's providers). */
#define PF_LINKAGE_PRIORITY_KEY "need.priority"
#define PF_LINKAGE_NEED_KEY "need.issue"

typedef struct pf_element {
    pf_el_kind kind;
    int line;               /* in the template file */
    char *when;
    enum {
        PF_ON_FIRST,        /* the page itself (a table's first page) */
        PF_ON_EVERY,        /* repeat="yes": also the continuation pages of its table */
        PF_ON_CONTINUED,    /* repeat="only": the continuation pages alone */
        PF_ON_LAST          /* repeat="last": the page where the table ends (a signature block
                             * after the last goal row, not on page 1 when goals go on) */
    } repeat;
    int is_title;           /* this text names the form (別紙 heading, PDF title) */
    double x, y, w, h;      /* mm */
    pf_style style;         /* value style */
    pf_style label_style;
    char *text;             /* PF_EL_TEXT */
    char *label;            /* PF_EL_BOX */
    double label_w;
    char *bind;
    char *maps_to;          /* the comprehensive plan's field printed when `bind` is empty */
    /* grid */
    double *cols;
    size_t n_cols;
    double row_h;
    pf_cell *cells;
    size_t n_cells, cap_cells;
    int n_rows;
    /* table */
    pf_column *columns;
    size_t n_columns, cap_columns;
    double header_h, bottom, continue_y, min_row_h;
    int fill_rows;          /* the table runs down to `bottom` in ruled empty rows */
    char *shade_key;        /* rows whose value under this key is not empty are shaded … */
    double shade;
    char *shade_mark;       /* … and marked with this text, set in mark_style, across the */
    char *shade_mark_after; /* columns after the one bound to this key (NULL: the whole row) */
    pf_style mark_style;
    /* linkage: the fixed columns' labels and widths; provider columns share the rest */
    char *priority_label, *need_label, *informal_label, *other_label;
    double priority_w, need_w, informal_w, other_w;
    double provider_min_w;      /* a provider's column at least; more providers go to `other` */
    pf_style priority_style;    /* the priority column's values */
    /* weekly */
    char *day_labels[7];
    char *activity_label;
    char *time_label;
    double time_w, activity_w;
    int first_hour, band_hours;
    pf_style block_style;       /* a span's block: its fill and its text */
    double block_rule, block_inset; /* the block's frame (pt), its gap to the day's rules (mm) */
    double frame_rule;          /* the grid's outer frame (pt) */
    pf_style activity_style, time_style;  /* 主な日常生活上の活動; the hour labels */
} pf_element;

/* A continuation sheet (別紙): a heading (title and the person's name box), then each continued
 * text under its label. Lengths in mm; the defaults are written once, in template.c. */
typedef struct pf_continuation {
    char *when;
    char *title;            /* 別紙 */
    char *mark;             /* （別紙に続く） */
    char *person_label;     /* 利用者氏名 / 児童氏名 */
    char *person_bind;      /* person.name */
    double margin;          /* the sheet's margin on every side */
    double heading_h, title_w;  /* the heading's height; the title's width */
    pf_style title_style;
    double name_label_w, name_w, name_h;  /* the name box: label cell, value cell, least height */
    int name_lines;         /* the name box grows to this many lines */
    pf_style name_style;    /* both cells; its fill is the label cell's */
    double label_h, label_gap;  /* a continued text's label cell, and the space under it */
    pf_style label_style;
    pf_style text_style;    /* the continued texts */
    double indent, gap;     /* texts' indent; space after the heading and after each text */
    int line;               /* in the template file */
} pf_continuation;

typedef struct pf_tpage {
    pf_element *els;
    size_t n, cap;
} pf_tpage;

typedef struct pf_template {
    char *path;
    char *id;               /* service-use-plan */
    double page_w, page_h;  /* mm */
    pf_style base;
    double rule;            /* the rules of every cell (pt) */
    /* each page's number in its form, n/N (the 別紙 counted with the form they continue):
     * where its box stands (mm) and its size; number_w 0: no numbers */
    double number_x, number_y, number_w, number_size;
    /* the form's version fingerprint on each of its pages, 「版 3F7A-19C2」
     * (template/fingerprint.h): where its box stands (mm) and its size; fingerprint_w 0: none */
    double fingerprint_x, fingerprint_y, fingerprint_w, fingerprint_size;
    /* continuation sheets (別紙): the first variant whose `when` holds */
    pf_continuation conts[4];
    size_t n_conts;
    char *mapped_mark;      /* prefix of a value taken from the サービス等利用計画 */
    pf_tpage *pages;
    size_t n_pages, cap_pages;
} pf_template;

/* The template language, templates/template.xsd, loaded once per engine. */
typedef struct pf_template_schema pf_template_schema;
pf_template_schema *pf_template_schema_load(const char *xsd_path, pf_error *err);
void pf_template_schema_free(pf_template_schema *s);

/* Read a template and check it against the language: errors name the template file and line
 * (PF_EXIT_RESOURCE): an unknown element or attribute, a value of the wrong kind, a box outside
 * the page, a required attribute missing. */
pf_template *pf_template_load(const char *path, const pf_template_schema *schema, pf_error *err);
void pf_template_free(pf_template *t);

/* Every binding key the template names (bind, maps-to, strike, shade-key, person-bind), in
 * every `when` variant whichever bundle will be rendered: `provides(ctx, key)` says whether the
 * form's binder provides the key (registry.h, pf_form_provides). A key it does not is an error
 * (PF_EXIT_RESOURCE) naming the template file, the line and the key. */
int pf_template_check_keys(const pf_template *t, int (*provides)(const void *ctx, const char *key),
                           const void *ctx, pf_error *err);

/* The continuation-sheet settings for a plan with `flags` (NULL if the template has none). */
const pf_continuation *pf_template_continuation(const pf_template *t, const char *flags);

/* Does `when` ("child final", NULL = always) hold for the set of flags `flags` ("adult draft")? */
int pf_when_holds(const char *when, const char *flags);

#endif
