/* render — the pipeline, start to end: XML → validated plan model → bound values for each
 * plan → laid-out pages on the form template → PDF bytes.
 *
 * A pf_engine holds what is loaded once and reused for every document: the schema, the
 * templates, the fonts and the ICU objects. It is the one context struct of the program; a
 * batch gives each worker its own. */
#ifndef PF_RENDER_H
#define PF_RENDER_H

#include <stddef.h>

#include "bundle/bundle.h"
#include "bundle/diff.h"
#include "font/font.h"
#include "layout/layout.h"
#include "pdf/pdf.h"
#include "template/registry.h"
#include "template/template.h"
#include "text/text.h"
#include "util/util.h"

typedef struct pf_engine {
    char *datadir;              /* holds templates/ and fonts/ */
    pf_schema *schema;
    pf_template_schema *template_schema; /* templates/template.xsd, the template language */
    /* each form's templates, as the registry (template/registry.h) lists them: [k][0] for
     * adults, [k][1] for children (the same template when the form has one); NULL until
     * loaded (pf_engine_need) */
    pf_template *forms[PF_N_FORMS][2];
    pf_fontset *fonts;
    pf_text_ctx *text;
    pf_shape_memo *labels;      /* templates' labels, shaped once */
    int no_signature_fields;    /* render: consent boxes are not also PDF signature fields
                                   (--no-signature-fields); set after pf_engine_open */
} pf_engine;

/* Where templates/ and fonts/ are: $PLANFORM_DATA, else the directory compiled in (PF_DATADIR:
 * the source tree for the builds made in it, PREFIX/share/planform for an installed one). */
const char *pf_default_datadir(void);

/* Load the schema, and with `for_render` every template, the fonts and ICU objects too.
 * `reading` sets the input size limit and whether messages may quote values (NULL: the
 * defaults). A long-lived engine (the library, a service) opens this way: all it may need is
 * loaded and checked once, at the start. */
int pf_engine_open(pf_engine *e, const char *datadir, int for_render,
                   const pf_read_options *reading, pf_error *err);
/* The same for a command that knows which forms it prints: `forms` (PF_FORM_* bits) 0 is
 * pf_engine_open without for_render; otherwise the engine is opened for rendering with only
 * those forms' templates loaded (render --form plan loads one template of six, a tenth of a
 * process's time). Others are loaded when first needed (pf_engine_need) and then kept. */
int pf_engine_open_forms(pf_engine *e, const char *datadir, unsigned forms,
                         const pf_read_options *reading, pf_error *err);
/* Load the templates of `forms` the engine does not have yet (checked against the template
 * language and the keys their form's binder provides), in the registry's order; a template
 * that fails is not kept, so it fails again the next time. pf_render, pf_validate and
 * pf_preflight call it themselves. The engine must be opened for rendering. */
int pf_engine_need(pf_engine *e, unsigned forms, pf_error *err);
void pf_engine_close(pf_engine *e);

/* Read the bundle and run render's preflight on the chosen forms (PF_FORM_*), writing nothing;
 * the bundle and the laid-out pages are freed again. 0 means pf_render of the same bytes and
 * forms succeeds, short of a failure to write (PF_EXIT_IO) or of memory; otherwise `err` holds the
 * error render would give, word for word. The engine must be opened with `for_render`. */
int pf_validate(pf_engine *e, const char *name, const char *xml, size_t len, unsigned forms,
                pf_error *err);

/* Which forms `render` prints: PF_FORM_* bits and pf_forms_parse, template/registry.h. */

/* Every rule that can stop a render of `forms` of a read bundle, in the order render meets
 * them: links (a goal naming a need its plan lacks, a review naming a need or goal that does
 * not exist), a form asked for by name that the bundle has none of, then each form bound and
 * laid out into `doc` (which the caller frees with pf_doc_free, also on error), which walks
 * every printed character and variation sequence through the font chain of the box it is set
 * in and stops at PF_MAX_PAGES. Render is this and then only the PDF writer; validate is this
 * alone. The layout is the rule: a separate walk would be a second copy of which value is set
 * in which font chain under which template condition, and the page count exists only once the
 * text is set. */
int pf_preflight(pf_engine *e, const pf_bundle *b, unsigned forms, pf_doc *doc, pf_error *err);

/* Render the chosen forms of the bundle into one PDF (malloc'd in *pdf). A goal that names a
 * need its plan does not have is an error here too: its form could not say what it serves. */
int pf_render(pf_engine *e, const char *name, const char *xml, size_t len, unsigned forms,
              unsigned char **pdf, size_t *pdf_len, pf_error *err);

/* What a batch needs to know of a rendered bundle: names for its file, and where each form
 * starts (for the print file's outline). */
typedef struct pf_render_info {
    char *person;           /* the person's name as given */
    char *plan;             /* the first plan's id */
    struct pf_form_mark {
        size_t page;
        char *title;
    } *marks;
    size_t n_marks;
    pf_font_glyphs *glyphs; /* each font's glyph per CID, for a print file's shared fonts */
    size_t n_glyphs;
    size_t pages;           /* pages of the PDF */
} pf_render_info;

void pf_render_info_free(pf_render_info *info);

/* pf_render, filling `info` too (when not NULL). */
int pf_render_named(pf_engine *e, const char *name, const char *xml, size_t len, unsigned forms,
                    unsigned char **pdf, size_t *pdf_len, pf_render_info *info, pf_error *err);

/* The 変更箇所一覧 of `diff -o`: the changes from `old` to `new` (whose bundle `b` names the
 * person), with each version's file and the fingerprint of its first サービス等利用計画 (else
 * its first form) in the header, as one PDF (malloc'd in *pdf). */
int pf_render_changes(pf_engine *e, const pf_bundle *b, const pf_changes *cs,
                      const pf_diff_version *old, const pf_diff_version *new, unsigned char **pdf,
                      size_t *pdf_len, pf_error *err);

#endif
