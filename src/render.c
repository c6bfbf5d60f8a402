/* render — the pipeline from XML bytes to PDF bytes. See render.h. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "layout/layout.h"
#include "pdf/pdf.h"
#include "template/bind.h"
#include "template/fingerprint.h"

const char *pf_default_datadir(void)
{
    const char *d = getenv("PLANFORM_DATA");
    return d && *d ? d : PF_DATADIR;
}

int pf_engine_need(pf_engine *e, unsigned forms, pf_error *err)
{
    if (!e->template_schema)
        return pf_error_set(err, PF_EXIT_RESOURCE, PF_CODE_DATA_BROKEN, NULL, 0, NULL, NULL,
                            "帳票を作るにはテンプレート用に開いたエンジンが必要です",
                            "forms need an engine opened for rendering (templates)");
    for (size_t k = 0; k < PF_N_FORMS; k++) {
        const pf_form_kind *f = &pf_form_kinds[k];
        if (!(forms & (1u << k)))
            continue;
        for (int v = 0; v < 2; v++) {
            if (e->forms[k][v])
                continue;
            if (v == 1 && !f->templates[1]) {
                e->forms[k][1] = e->forms[k][0];   /* one template for both: owned by [0] */
                continue;
            }
            char *path = pf_xasprintf("%s/templates/%s.xml", e->datadir, f->templates[v]);
            pf_template *t = pf_template_load(path, e->template_schema, err);
            free(path);
            /* its keys: those the form's binder provides, every variant */
            if (t && pf_template_check_keys(t, pf_form_provides, f, err)) {
                pf_template_free(t);
                t = NULL;
            }
            if (!t)
                return err->status;
            e->forms[k][v] = t;
        }
    }
    return 0;
}

int pf_engine_open(pf_engine *e, const char *datadir, int for_render,
                   const pf_read_options *reading, pf_error *err)
{
    return pf_engine_open_forms(e, datadir, for_render ? PF_FORM_ALL : 0, reading, err);
}

int pf_engine_open_forms(pf_engine *e, const char *datadir, unsigned forms,
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
    if (!forms)
        return 0;
    char *language = pf_xasprintf("%s/templates/template.xsd", e->datadir);
    e->template_schema = pf_template_schema_load(language, err);
    free(language);
    if (e->template_schema)
        pf_engine_need(e, forms, err);
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
    pf_template_schema_free(e->template_schema);
    for (size_t k = 0; k < PF_N_FORMS; k++) {
        if (e->forms[k][1] != e->forms[k][0])
            pf_template_free(e->forms[k][1]);
        pf_template_free(e->forms[k][0]);
    }
    pf_fontset_free(e->fonts);
    pf_text_ctx_free(e->text);
    pf_shape_memo_free(e->labels);
    free(e->datadir);
    memset(e, 0, sizeof *e);
}

int pf_validate(pf_engine *e, const char *name, const char *xml, size_t len, unsigned forms,
                pf_error *err)
{
    if (!e->fonts)  /* a schema-only engine cannot tell whether render would succeed */
        return pf_error_set(err, PF_EXIT_RESOURCE, PF_CODE_DATA_BROKEN, NULL, 0, NULL, NULL,
                            "validate には描画用に開いたエンジンが必要です（フォント、テンプレート）",
                            "validate needs an engine opened for rendering (fonts, templates)");
    /* the templates before the bundle: a broken one is the error, whatever the bundle */
    if (pf_engine_need(e, forms, err))
        return err->status;
    pf_bundle *b = pf_bundle_read(e->schema, name, xml, len, err);
    if (!b)
        return err->status;
    pf_doc doc = {0};
    int rc = pf_preflight(e, b, forms, &doc, err);
    pf_doc_free(&doc);
    pf_bundle_free(b);
    return rc;
}

/* The first goal or review that names a need or goal that does not exist, as an error: its
 * form could not print what it serves or reviews. */
static int refuse_broken_links(const pf_bundle *b, pf_error *err)
{
    pf_findings fs = {0};
    pf_check_links(b, &fs);
    if (fs.n) {
        const pf_finding *f = &fs.f[0];
        pf_error_set(err, PF_EXIT_INVALID, PF_CODE_BROKEN_LINK, b->file, f->line,
                     pf_field_ja(f->field), f->field, f->msg_ja, f->msg_en);
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
    for (size_t k = 0; k < PF_N_FORMS; k++) {
        const pf_form_kind *f = &pf_form_kinds[k];
        if (!(forms & (1u << k)) || f->count(b) > 0)
            continue;
        char *ja = pf_xasprintf("この計画データには%sがありません（--form）", f->ja);
        char *en = pf_xasprintf("this bundle has no %s (--form)", f->en);
        pf_error_set(err, PF_EXIT_INVALID, PF_CODE_FORM_NOT_IN_BUNDLE, b->file, 0, NULL, NULL, ja,
                     en);
        free(ja);
        free(en);
        return err->status;
    }
    return 0;
}

/* The signature boxes of a form's pages (from page `first` on) get the form's name, unique in
 * the document: "plan", then "plan-2" for the bundle's second plan (pdf/sigfield makes them
 * fields "plan.consent", "plan-2.consent"); with --no-signature-fields they are dropped. */
static void name_signatures(const pf_engine *e, pf_doc *doc, size_t first, const char *form,
                            size_t item)
{
    for (size_t p = first; p < doc->n_pages; p++) {
        pf_page *pg = doc->pages[p];
        if (e->no_signature_fields)
            pg->n_signatures = 0;
        for (size_t k = 0; k < pg->n_signatures; k++) {
            char *name = pg->signatures[k].form;
            if (item)
                snprintf(name, PF_SIGNATURE_NAME_MAX, "%s-%zu", form, item + 1);
            else
                snprintf(name, PF_SIGNATURE_NAME_MAX, "%s", form);
        }
    }
}

static int layout_all(pf_engine *e, const pf_bundle *b, unsigned forms, pf_doc *doc,
                      pf_error *err)
{
    if (missing_form(b, forms, err))
        return err->status;
    for (size_t k = 0; k < PF_N_FORMS; k++) {
        const pf_form_kind *f = &pf_form_kinds[k];
        for (size_t i = 0; (forms & (1u << k)) && i < f->count(b); i++) {
            const pf_template *t = e->forms[k][f->is_child(b, i) ? 1 : 0];
            pf_bound *bd = f->bind(b, i, t, e->text, err);
            if (!bd)  /* the binder's modules know the field and line, not the file */
                return pf_error_locate(err, b->file, 0, NULL, NULL);
            size_t first = doc->n_pages;
            int rc = pf_layout_form(t, bd, e->fonts, e->text, e->labels, doc, err);
            pf_bound_free(bd);
            if (rc)
                return pf_error_locate(err, b->file, 0, NULL, NULL);
            name_signatures(e, doc, first, f->name, i);
        }
    }
    return 0;
}

int pf_preflight(pf_engine *e, const pf_bundle *b, unsigned forms, pf_doc *doc, pf_error *err)
{
    int rc = pf_engine_need(e, forms, err);
    if (rc == 0)
        rc = refuse_broken_links(b, err);
    if (rc == 0)
        rc = layout_all(e, b, forms, doc, err);
    return rc;
}

int pf_render(pf_engine *e, const char *name, const char *xml, size_t len, unsigned forms,
              unsigned char **pdf, size_t *pdf_len, pf_error *err)
{
    return pf_render_named(e, name, xml, len, forms, pdf, pdf_len, NULL, err);
}

/* Free what only a print file needs (marks, glyphs). */
static void pf_render_info_drop_print(pf_render_info *info)
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
    /* the templates before the bundle: a broken one is the error, whatever the bundle */
    if (pf_engine_need(e, forms, err))
        return err->status;
    pf_bundle *b = pf_bundle_read(e->schema, name, xml, len, err);
    if (!b)
        return err->status;
    pf_doc doc = {0};
    int rc = pf_preflight(e, b, forms, &doc, err);
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

/* "版 3F7A-19C2（サービス等利用計画 plan-2024-04）": the version's plan, else its first form */
static char *version_label(const pf_diff_version *v)
{
    if (!v->n_forms)
        return pf_xstrdup("版 —");
    size_t pick = 0;
    for (size_t i = v->n_forms; i-- > 0;)
        if (strcmp(v->forms[i].form, pf_form_kinds[0].templates[0]) == 0)
            pick = i;  /* the first サービス等利用計画 */
    const char *name = v->forms[pick].form;
    for (size_t k = 0; k < PF_N_FORMS; k++)
        for (int t = 0; t < 2; t++)
            if (pf_form_kinds[k].templates[t] &&
                strcmp(pf_form_kinds[k].templates[t], v->forms[pick].form) == 0)
                name = pf_form_kinds[k].ja;
    const char *hex = v->forms[pick].hex;
    return pf_xasprintf("版 %.4s-%.4s（%s %s）", hex, hex + 4, name, v->forms[pick].item);
}

int pf_render_changes(pf_engine *e, const pf_bundle *b, const pf_changes *cs,
                      const pf_diff_version *old, const pf_diff_version *new, unsigned char **pdf,
                      size_t *pdf_len, pf_error *err)
{
    *pdf = NULL;
    *pdf_len = 0;
    size_t k = 0;
    while (k < PF_N_FORMS && pf_form_kinds[k].bind)
        k++;   /* the changes form: the row without a binder */
    if (k == PF_N_FORMS)
        return pf_error_set(err, PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN, NULL, 0, NULL, NULL,
                            "変更箇所一覧の様式がありません", "no form for the list of changes");
    const pf_template *t = e->forms[k][0];
    char *ov = version_label(old), *nv = version_label(new);
    pf_bound *bd = pf_bind_changes(b, cs, old->file, ov, new->file, nv, e->text, err);
    free(ov);
    free(nv);
    if (!bd)
        return pf_error_locate(err, b->file, 0, NULL, NULL);
    pf_doc doc = {0};
    int rc = pf_layout_form(t, bd, e->fonts, e->text, e->labels, &doc, err);
    pf_bound_free(bd);
    if (rc == 0) {
        doc.subject = b->person.name.s ? pf_xstrdup(b->person.name.s) : NULL;
        rc = pf_pdf_write(&doc, e->fonts, pdf, pdf_len, NULL, NULL, err);
    } else {
        pf_error_locate(err, b->file, 0, NULL, NULL);
    }
    pf_doc_free(&doc);
    return rc;
}
