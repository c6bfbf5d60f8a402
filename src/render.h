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
#include "font/font.h"
#include "layout/layout.h"
#include "pdf/pdf.h"
#include "template/template.h"
#include "text/text.h"
#include "util/util.h"

typedef struct pf_engine {
    char *datadir;              /* holds templates/ and fonts/ */
    pf_schema *schema;
    pf_template *plan_form;     /* templates/service-use-plan.xml */
    pf_template *isp_form;      /* templates/individual-support-plan.xml */
    pf_template *child_isp_form;/* templates/child-support-plan.xml */
    pf_template *linkage_form;  /* templates/linkage.xml */
    pf_template *monitoring_form; /* templates/monitoring.xml */
    pf_template *evaluation_form; /* templates/evaluation.xml */
    pf_fontset *fonts;
    pf_text_ctx *text;
    pf_shape_memo *labels;      /* templates' labels, shaped once */
} pf_engine;

/* Where templates/ and fonts/ are: $PLANFORM_DATA, else the source tree planform was built in. */
const char *pf_default_datadir(void);

/* Load the schema, and with `for_render` the templates, fonts and ICU objects too. `reading`
 * sets the input size limit and whether messages may quote values (NULL: the defaults). */
int pf_engine_open(pf_engine *e, const char *datadir, int for_render,
                   const pf_read_options *reading, pf_error *err);
void pf_engine_close(pf_engine *e);

/* Read and validate; the bundle is freed again. */
int pf_validate(pf_engine *e, const char *name, const char *xml, size_t len, pf_error *err);

/* Which forms `render` prints. */
enum {
    PF_FORM_PLAN = 1 << 0,      /* サービス等利用計画 and 週間計画表 */
    PF_FORM_ISP = 1 << 1,       /* every 個別支援計画 */
    PF_FORM_LINKAGE = 1 << 2,   /* 連携シート, one per plan */
    PF_FORM_MONITORING = 1 << 3,/* モニタリング報告書, one per record */
    PF_FORM_EVALUATION = 1 << 4,/* 個別支援計画のモニタリング（評価）, one per evaluation */
    PF_FORM_ALL = 31
};

/* "plan", "isp", "linkage", "monitoring", "evaluation", "all" (comma-separated) → PF_FORM_*
 * bits; 0 if unknown. */
unsigned pf_forms_parse(const char *names);

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
/* Free what only a print file needs (marks, glyphs), keeping the names: a batch keeps the info
 * of every job until the end, and must not keep every document's glyph lists with it. */
void pf_render_info_drop_print(pf_render_info *info);

/* pf_render, filling `info` too (when not NULL). */
int pf_render_named(pf_engine *e, const char *name, const char *xml, size_t len, unsigned forms,
                    unsigned char **pdf, size_t *pdf_len, pf_render_info *info, pf_error *err);

#endif
