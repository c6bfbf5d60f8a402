/* render — the pipeline from XML bytes to PDF bytes. See render.h. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "layout/layout.h"
#include "pdf/pdf.h"
#include "template/bind.h"

const char *pf_default_datadir(void)
{
    const char *d = getenv("PLANFORM_DATA");
    return d && *d ? d : PF_DATADIR;
}

int pf_engine_open(pf_engine *e, const char *datadir, int for_render, pf_error *err)
{
    memset(e, 0, sizeof *e);
    e->datadir = pf_xstrdup(datadir ? datadir : pf_default_datadir());
    char *xsd = pf_xasprintf("%s/templates/plan.xsd", e->datadir);
    e->schema = pf_schema_load(xsd, err);
    free(xsd);
    if (!e->schema)
        return err->status;
    if (!for_render)
        return 0;
    char *form = pf_xasprintf("%s/templates/service-use-plan.xml", e->datadir);
    char *chain = pf_xasprintf("%s/fonts/chain.conf", e->datadir);
    e->plan_form = pf_template_load(form, err);
    if (e->plan_form)
        e->fonts = pf_fontset_load(chain, err);
    if (e->fonts)
        e->text = pf_text_ctx_new(err);
    free(form);
    free(chain);
    return err->status;
}

void pf_engine_close(pf_engine *e)
{
    pf_schema_free(e->schema);
    pf_template_free(e->plan_form);
    pf_fontset_free(e->fonts);
    pf_text_ctx_free(e->text);
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

int pf_render(pf_engine *e, const char *name, const char *xml, size_t len, unsigned char **pdf,
              size_t *pdf_len, pf_error *err)
{
    *pdf = NULL;
    *pdf_len = 0;
    pf_bundle *b = pf_bundle_read(e->schema, name, xml, len, err);
    if (!b)
        return err->status;
    pf_doc doc = {0};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < b->n_plans; i++) {
        pf_bound *bd = pf_bind_plan(b, &b->plans[i], e->text, err);
        if (!bd) {
            rc = err->status;
            break;
        }
        rc = pf_layout_form(e->plan_form, bd, e->fonts, e->text, &doc, err);
        pf_bound_free(bd);
    }
    if (rc == 0) {
        doc.subject = b->person.name.s ? pf_xstrdup(b->person.name.s) : NULL;
        rc = pf_pdf_write(&doc, e->fonts, pdf, pdf_len, err);
    }
    pf_doc_free(&doc);
    pf_bundle_free(b);
    return rc;
}
