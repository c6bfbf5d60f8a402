/* render — the pipeline from XML bytes to PDF bytes. See render.h. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "layout/layout.h"
#include "pdf/pdf.h"
#include "template/bind.h"

const char *pf_default_datadir(void)
{
    const char *d = getenv("PLANFORM_DATA");
    return d && *d ? d : PF_DATADIR;
}

int pf_engine_open(pf_engine *e, const char *datadir, int for_render,
                   const pf_read_options *reading, pf_error *err)
{
    memset(e, 0, sizeof *e);
    e->datadir = pf_xstrdup(datadir ? datadir : pf_default_datadir());
    char *xsd = pf_xasprintf("%s/templates/plan.xsd", e->datadir);
    e->schema = pf_schema_load(xsd, err);
    free(xsd);
    if (!e->schema)
        return err->status;
    if (reading)
        pf_schema_set_options(e->schema, reading);
    if (!for_render)
        return 0;
    struct {
        const char *file;
        pf_template **slot;
    } forms[] = {{"service-use-plan", &e->plan_form},
                 {"individual-support-plan", &e->isp_form},
                 {"child-support-plan", &e->child_isp_form},
                 {"linkage", &e->linkage_form},
                 {"monitoring", &e->monitoring_form},
                 {"evaluation", &e->evaluation_form}};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0] && !err->status; i++) {
        char *path = pf_xasprintf("%s/templates/%s.xml", e->datadir, forms[i].file);
        *forms[i].slot = pf_template_load(path, err);
        free(path);
    }
    char *chain = pf_xasprintf("%s/fonts/chain.conf", e->datadir);
    if (!err->status)
        e->fonts = pf_fontset_load(chain, err);
    if (e->fonts)
        e->text = pf_text_ctx_new(err);
    e->labels = pf_shape_memo_new();
    free(chain);
    return err->status;
}

void pf_engine_close(pf_engine *e)
{
    pf_schema_free(e->schema);
    pf_template_free(e->plan_form);
    pf_template_free(e->isp_form);
    pf_template_free(e->child_isp_form);
    pf_template_free(e->linkage_form);
    pf_template_free(e->monitoring_form);
    pf_template_free(e->evaluation_form);
    pf_fontset_free(e->fonts);
    pf_text_ctx_free(e->text);
    pf_shape_memo_free(e->labels);
    free(e->datadir);
    memset(e, 0, sizeof *e);
}

int pf_validate(pf_engine *e, const char *name, const char *xml, size_t len, pf_error *err)
{
    pf_bundle *b = pf_bundle_read(e->schema, name, xml, len, err);
    if (!b)
        return err->status;
    pf_bundle_free(b);
    return 0;
}

unsigned pf_forms_parse(const char *names)
{
    static const struct {
        const char *name;
        unsigned bits;
    } known[] = {{"plan", PF_FORM_PLAN},         {"isp", PF_FORM_ISP},
                 {"linkage", PF_FORM_LINKAGE},   {"monitoring", PF_FORM_MONITORING},
                 {"evaluation", PF_FORM_EVALUATION}, {"all", PF_FORM_ALL}};
    unsigned bits = 0;
    const char *p = names;
    while (*p) {
        size_t n = strcspn(p, ",");
        unsigned one = 0;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (strlen(known[i].name) == n && strncmp(p, known[i].name, n) == 0)
                one = known[i].bits;
        if (!one)
            return 0;
        bits |= one;
        p += n + (p[n] == ',');
    }
    return bits;
}

/* The first goal or review that names a need or goal that does not exist, as an error: its
 * form could not print what it serves or reviews. */
static int refuse_broken_links(const pf_bundle *b, pf_error *err)
{
    pf_findings fs = {0};
    pf_check(b, 0, &fs);
    for (size_t i = 0; i < fs.n && !err->status; i++)
        if (strcmp(fs.f[i].rule, "goal-need-missing") == 0 ||
            strcmp(fs.f[i].rule, "review-need-missing") == 0 ||
            strcmp(fs.f[i].rule, "review-goal-missing") == 0)
        {
            const char *field = strcmp(fs.f[i].rule, "review-goal-missing") == 0 ? "goal" : "need";
            pf_error_set(err, PF_EXIT_INVALID, PF_CODE_BROKEN_LINK, b->file, fs.f[i].line,
                         pf_field_ja(field), field, fs.f[i].msg_ja, fs.f[i].msg_en);
        }
    pf_findings_free(&fs);
    return err->status;
}

/* A form asked for by name (not the default "all") that the bundle has none of: exit 1 naming
 * it, rather than a PDF without that form (or without any page at all). */
static int missing_form(const pf_bundle *b, unsigned forms, pf_error *err)
{
    if (forms == PF_FORM_ALL)
        return 0;
    static const struct {
        unsigned bit;
        const char *ja, *en;
    } names[] = {{PF_FORM_ISP, "個別支援計画", "individual support plan"},
                 {PF_FORM_MONITORING, "モニタリング報告書", "monitoring report"},
                 {PF_FORM_EVALUATION, "モニタリング（評価）", "evaluation"}};
    size_t have[] = {b->n_isps, b->n_monitorings, b->n_evaluations};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(forms & names[i].bit) || have[i] > 0)
            continue;
        char *ja = pf_xasprintf("この計画データには%sがありません（--form）", names[i].ja);
        char *en = pf_xasprintf("this bundle has no %s (--form)", names[i].en);
        pf_error_set(err, PF_EXIT_INVALID, PF_CODE_FORM_NOT_IN_BUNDLE, b->file, 0, NULL, NULL, ja,
                     en);
        free(ja);
        free(en);
        return err->status;
    }
    return 0;
}

static int layout_all(pf_engine *e, const pf_bundle *b, unsigned forms, pf_doc *doc,
                      pf_error *err)
{
    if (missing_form(b, forms, err))
        return err->status;
    for (size_t i = 0; (forms & PF_FORM_PLAN) && i < b->n_plans; i++) {
        pf_bound *bd = pf_bind_plan(b, &b->plans[i], e->text, err);
        if (!bd)
            return err->status;
        int rc = pf_layout_form(e->plan_form, bd, e->fonts, e->text, e->labels, doc, err);
        pf_bound_free(bd);
        if (rc)
            return rc;
    }
    for (size_t i = 0; (forms & PF_FORM_ISP) && i < b->n_isps; i++) {
        const pf_template *t = b->isps[i].child ? e->child_isp_form : e->isp_form;
        pf_bound *bd = pf_bind_isp(b, &b->isps[i], t, e->text, err);
        if (!bd)
            return err->status;
        int rc = pf_layout_form(t, bd, e->fonts, e->text, e->labels, doc, err);
        pf_bound_free(bd);
        if (rc)
            return rc;
    }
    for (size_t i = 0; (forms & PF_FORM_LINKAGE) && i < b->n_plans; i++) {
        pf_bound *bd = pf_bind_linkage(b, &b->plans[i], e->text, err);
        if (!bd)
            return err->status;
        int rc = pf_layout_form(e->linkage_form, bd, e->fonts, e->text, e->labels, doc, err);
        pf_bound_free(bd);
        if (rc)
            return rc;
    }
    for (size_t i = 0; (forms & PF_FORM_MONITORING) && i < b->n_monitorings; i++) {
        pf_bound *bd = pf_bind_monitoring(b, &b->monitorings[i], e->text, err);
        if (!bd)
            return err->status;
        int rc = pf_layout_form(e->monitoring_form, bd, e->fonts, e->text, e->labels, doc, err);
        pf_bound_free(bd);
        if (rc)
            return rc;
    }
    for (size_t i = 0; (forms & PF_FORM_EVALUATION) && i < b->n_evaluations; i++) {
        pf_bound *bd = pf_bind_evaluation(b, &b->evaluations[i], e->evaluation_form, e->text, err);
        if (!bd)
            return err->status;
        int rc = pf_layout_form(e->evaluation_form, bd, e->fonts, e->text, e->labels, doc, err);
        pf_bound_free(bd);
        if (rc)
            return rc;
    }
    return 0;
}

int pf_render(pf_engine *e, const char *name, const char *xml, size_t len, unsigned forms,
              unsigned char **pdf, size_t *pdf_len, pf_error *err)
{
    return pf_render_named(e, name, xml, len, forms, pdf, pdf_len, NULL, err);
}

void pf_render_info_drop_print(pf_render_info *info)
{
    for (size_t i = 0; i < info->n_marks; i++)
        free(info->marks[i].title);
    free(info->marks);
    info->marks = NULL, info->n_marks = 0;
    pf_font_glyphs_free(info->glyphs, info->n_glyphs);
    info->glyphs = NULL, info->n_glyphs = 0;
}

void pf_render_info_free(pf_render_info *info)
{
    pf_render_info_drop_print(info);
    free(info->person);
    free(info->plan);
    memset(info, 0, sizeof *info);
}

static void fill_info(pf_render_info *info, const pf_bundle *b, const pf_doc *doc)
{
    info->person = pf_xstrdup(b->person.name.s ? b->person.name.s : "");
    info->plan = pf_xstrdup(b->n_plans && b->plans[0].id.s ? b->plans[0].id.s : "");
    info->pages = doc->n_pages;
    for (size_t i = 0; i < doc->n_pages; i++)
        if (doc->pages[i]->bookmark)
            info->n_marks++;
    info->marks = pf_xcalloc(info->n_marks + 1, sizeof *info->marks);
    size_t k = 0;
    for (size_t i = 0; i < doc->n_pages; i++)
        if (doc->pages[i]->bookmark)
            info->marks[k++] = (struct pf_form_mark){i, pf_xstrdup(doc->pages[i]->bookmark)};
}

int pf_render_named(pf_engine *e, const char *name, const char *xml, size_t len, unsigned forms,
                    unsigned char **pdf, size_t *pdf_len, pf_render_info *info, pf_error *err)
{
    *pdf = NULL;
    *pdf_len = 0;
    pf_bundle *b = pf_bundle_read(e->schema, name, xml, len, err);
    if (!b)
        return err->status;
    pf_doc doc = {0};
    int rc = refuse_broken_links(b, err);
    if (rc == 0)
        rc = layout_all(e, b, forms, &doc, err);
    if (rc == 0) {
        doc.subject = b->person.name.s ? pf_xstrdup(b->person.name.s) : NULL;
        rc = pf_pdf_write(&doc, e->fonts, pdf, pdf_len, info ? &info->glyphs : NULL,
                          info ? &info->n_glyphs : NULL, err);
    }
    if (rc == 0 && info)
        fill_info(info, b, &doc);
    pf_doc_free(&doc);
    pf_bundle_free(b);
    return rc;
}
