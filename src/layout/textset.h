/* layout/textset — setting one value into a rectangle: shaping (cached), Japanese line
 * breaking with kinsoku and spacing (和欧間, 約物 squeeze, 均等割り), shrinking, and the split
 * point when text must continue elsewhere. Internal to layout/. */
#ifndef PF_TEXTSET_H
#define PF_TEXTSET_H

#include "font/font.h"
#include "layout/layout.h"
#include "layout/doc.h"
#include "template/bind.h"
#include "template/template.h"
#include "text/text.h"

#define PF_PT_PER_MM (72.0 / 25.4)

typedef struct pf_cluster {
    uint32_t start, end;        /* bytes of the value */
    uint32_t g0, g1;            /* glyphs [g0, g1) */
    int32_t width;              /* 1/1000 em */
    int32_t extra;              /* spacing before this cluster, 1/1000 em (和欧間 > 0, squeeze < 0) */
    uint8_t can_break;          /* a line may start here */
    uint8_t mandatory;          /* a line must start here (explicit newline) */
    uint8_t phrase;             /* a phrase starts here: where a line preferably starts */
    uint8_t word;               /* a word starts here (pf_break.word): where a phrase wider than
                                 * a line preferably breaks */
} pf_cluster;

typedef struct pf_shaped {
    const char *text;           /* key: the value's text pointer */
    int chain;
    pf_glyph *g;
    size_t ng;
    pf_cluster *c;
    size_t nc;
} pf_shaped;

typedef struct pf_line {
    size_t c0, c1;              /* clusters [c0, c1) */
    double width;               /* natural width in points */
} pf_line;

/* A text continued on the 別紙: the label it is printed under and the part that did not fit (a
 * copy, with its parts). Each entry is its own allocation, so a pointer to one stays valid while
 * more are added: setting a continuation sheet's heading may itself add one. */
typedef struct pf_overflow {
    char *label;
    pf_value rest;
} pf_overflow;

/* Everything a layout pass shares: a context passed down, never global. */
typedef struct pf_lay {
    pf_fontset *fs;
    pf_text_ctx *tc;
    pf_error *err;
    const char *file;           /* for messages about values */
    const char *template_path;  /* for messages about labels */
    pf_shape_memo *memo;        /* labels' shaping across documents (may be NULL) */
    pf_shaped **cache;          /* each entry its own allocation: pointers handed out stay valid */
    size_t n_cache, cap_cache;
    size_t cached_clusters;     /* in the cache, all entries together */
    /* continuation entries (別紙) collected while laying out the form, in order */
    pf_overflow **over;
    size_t n_over, cap_over;
    struct pf_label {
        const char *src;        /* the template's string */
        pf_value *v;
    } *labels;
    size_t n_labels, cap_labels;
    const char *mark;           /* （別紙に続く） */
} pf_lay;

/* Shape a value (cached by its text pointer and chain). NULL + err on a character no font has.
 * The result stays valid, whatever is shaped after it, until pf_lay_forget or pf_lay_free. */
const pf_shaped *pf_lay_shape(pf_lay *L, const pf_value *v, int chain);

/* Free the shaping of values (not of labels, which the memo keeps) once the cache holds more
 * than PF_LAY_CACHE_KEEP clusters (about 3 MB); the caller holds no pf_shaped pointer. The form
 * calls it after each element, table row and continued text: an ordinary form keeps every
 * value's shaping (some are set twice), one with long fields holds one element's at a time, not
 * every long field's at once. */
#define PF_LAY_CACHE_KEEP 65536
void pf_lay_forget(pf_lay *L);

/* Drop the continuation entries after the first `keep` (freeing them). */
void pf_lay_drop_over(pf_lay *L, size_t keep);

/* Break shaped text into lines of at most `width` points at `size`, starting at cluster `from`;
 * at most `max_lines` (0: all). Returns the number of lines; *lines is malloc'd. */
size_t pf_lay_fit(const pf_shaped *sh, double size, double width, size_t from, size_t max_lines,
                  pf_line **lines);

/* Draw a line with its left edge at x, baseline y, aligned in `width`. */
void pf_lay_draw_line(pf_lay *L, pf_page *pg, const pf_value *v, const pf_shaped *sh,
                      const pf_line *ln, double size, double x, double y, double width,
                      int align);

/* Set `v` into the box (points, top-left) with style `st`: shrink, then overflow to the 別紙
 * under `label`. Returns 0 or the error status. */
/* The largest size, from st->size down to st->min_size in the steps pf_lay_box takes, at which
 * v fits on one line of a box w wide (st->min_size when none does): for a column of short
 * values (dates) set at one size. */
double pf_lay_one_line_size(pf_lay *L, const pf_value *v, const pf_style *st, double w);
int pf_lay_box(pf_lay *L, pf_page *pg, const pf_value *v, const pf_style *st, double x, double y,
               double w, double h, const char *label);

/* Height in points that `v` needs at the style's size in a box `w` points wide. */
int pf_lay_height(pf_lay *L, const pf_value *v, const pf_style *st, double w, double *h);

/* Send the whole of `v` to the continuation sheet under `label` (copied): for a place too small
 * to hold even a line of it, which shows a mark instead. */
void pf_lay_continue(pf_lay *L, const pf_value *v, const char *label);

/* A template string as a value (for labels), owned by L and reported against the template.
 * Values must outlive the layout: shaping is cached by their text pointer. */
const pf_value *pf_lay_label(pf_lay *L, const char *text, int line);
/* A string built during layout (a heading), copied into a value L owns. */
const pf_value *pf_lay_text(pf_lay *L, const char *text);

void pf_lay_free(pf_lay *L);

#endif
