/* layout/doc — a laid-out document: what the layout hands to the PDF writer.
 *
 * Pages of fills, rules and glyph runs, in points, origin at the top-left corner, y downwards.
 * Each glyph run is one line of text with its glyphs already positioned and, for each glyph,
 * the characters it prints (for the PDF's ToUnicode and copy-paste). Nothing here knows what a
 * plan or a need is, nor how a PDF is written. The document owns everything it points at. */
#ifndef PF_DOC_H
#define PF_DOC_H

#include <stddef.h>
#include <stdint.h>

typedef struct pf_placed_glyph {
    uint32_t gid;
    uint16_t font;          /* fontset index */
    int32_t advance;        /* 1/1000 em: the width the PDF declares, including any space the
                               layout puts after the glyph (和欧間, 均等割り; negative for 約物
                               squeeze), so that glyphs abut and copied text has no false spaces */
    double x;               /* pen position, points */
    uint32_t text_start;    /* the characters this glyph prints: run->text[text_start..+text_len) */
    uint32_t text_len;
} pf_placed_glyph;

typedef struct pf_run {
    double size;            /* points */
    double y;               /* baseline */
    pf_placed_glyph *g;
    size_t n;
    char *text;             /* the line's characters, exactly as in the input */
    size_t text_len;
} pf_run;

/* A rule (line) or a filled rectangle. Shapes are drawn in the order they were added, so a
 * fill covers the rules drawn before it (a weekly-grid block hides the band lines behind it);
 * all text is drawn above all shapes. */
typedef struct pf_graphic {
    enum { PF_GRAPHIC_RULE, PF_GRAPHIC_FILL, PF_GRAPHIC_ELLIPSE } kind;
    double x1, y1, x2, y2;  /* rule: end points; fill, ellipse: x, y, x + w, y + h */
    double width;           /* rule width */
    double gray;            /* fill: 0 black … 1 white */
} pf_graphic;

/* A box that is also an empty signature field of the PDF (a consent box): where it is and what
 * it is called. The layout knows the box ("consent"); the form's name ("plan", "isp-2") is
 * set by whoever lays out several forms into one document, so that names are unique in it. */
#define PF_SIGNATURE_NAME_MAX 32
typedef struct pf_signature_box {
    char form[PF_SIGNATURE_NAME_MAX];   /* "" until named */
    char box[PF_SIGNATURE_NAME_MAX];
    double x, y, w, h;                  /* points, from the top-left corner */
} pf_signature_box;

typedef struct pf_page {
    double width, height;
    pf_graphic *shapes;
    size_t n_shapes, cap_shapes;
    pf_run *runs;
    size_t n_runs, cap_runs;
    pf_signature_box *signatures;
    size_t n_signatures, cap_signatures;
    char *bookmark;         /* outline entry starting at this page, or NULL */
} pf_page;

/* The version fingerprint of one form of the document (template/fingerprint.h): the PDF
 * writer stores every form's full digest in the document information. */
typedef struct pf_doc_version {
    size_t page;            /* the form's first page, from 0 */
    char *form;             /* the template's id: service-use-plan */
    char *item;             /* the id of what it prints (the plan's, the individual plan's), or "" */
    char hex[65];           /* the SHA-256, 64 upper-case hex digits */
} pf_doc_version;

typedef struct pf_doc {
    pf_page **pages;        /* each its own allocation: a page pointer stays valid while pages
                               are added after it (the layout holds one while it adds more) */
    size_t n_pages, cap_pages;
    char *title;            /* document information: title */
    char *subject;
    pf_doc_version *versions;   /* one per form, in page order */
    size_t n_versions, cap_versions;
} pf_doc;

pf_page *pf_doc_add_page(pf_doc *d, double width, double height);
void pf_page_rule(pf_page *p, double x1, double y1, double x2, double y2, double width);
void pf_page_fill(pf_page *p, double x, double y, double w, double h, double gray);
/* An ellipse inside the rectangle, stroked (a circled choice). */
void pf_page_ellipse(pf_page *p, double x, double y, double w, double h, double width);
/* A signature box named `box` (cut to PF_SIGNATURE_NAME_MAX - 1 bytes). */
void pf_page_signature(pf_page *p, const char *box, double x, double y, double w, double h);
/* Takes ownership of run->g and run->text. */
void pf_page_add_run(pf_page *p, pf_run *run);
void pf_doc_free(pf_doc *d);

#endif
