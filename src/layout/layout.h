/* layout — fits a plan's values into a form template: boxes, grids, tables, the weekly grid,
 * shrinking text, and continuation sheets (別紙) for what still does not fit.
 *
 * Input: a template (template/), the bound values (template/bind.h), the fonts to measure with
 * (font/) and line-break rules (text/). Output: pages appended to a pf_doc (doc.h): positioned
 * glyph runs, rules and fills. Nothing is ever cut: text shrinks to the box's minimum size,
 * then the box ends with the template's mark (（別紙に続く）) and the rest is printed on a
 * continuation sheet after the form. Knows nothing of PDF. */
#ifndef PF_LAYOUT_H
#define PF_LAYOUT_H

#include "font/font.h"
#include "layout/doc.h"
#include "template/bind.h"
#include "template/template.h"
#include "text/text.h"
#include "util/util.h"

/* The most pages one document (one render, one person in a batch) may have: a few hundred,
 * far beyond any real plan (a 100,000-character field, the most the reader lets through, takes
 * about 40 continuation sheets). Past it the layout stops with an error (PF_EXIT_INVALID) naming
 * the field being set, so a document's memory is bounded by its pages. */
#define PF_MAX_PAGES 500

/* The shaping of templates' labels, kept from one document to the next (labels are about a
 * third of the text of a form, and the same in every document). One per engine: not shared
 * between threads. */
typedef struct pf_shape_memo pf_shape_memo;
pf_shape_memo *pf_shape_memo_new(void);
void pf_shape_memo_free(pf_shape_memo *memo);

/* Lay out one plan on template `t`, appending its pages (and continuation sheets) to `doc`.
 * The form's title (the template text marked title="yes") becomes the first page's bookmark
 * and, when the document has none yet, its title. `memo` (may be NULL) keeps labels' shaping. */
int pf_layout_form(const pf_template *t, const pf_bound *bd, pf_fontset *fs, pf_text_ctx *tc,
                   pf_shape_memo *memo, pf_doc *doc, pf_error *err);

#endif
