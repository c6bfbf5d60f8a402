/* harness — see harness.h. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/schedule.h"

_Noreturn void fuzz_fail(const char *what, const pf_error *err)
{
    fprintf(stderr, "fuzz: %s\n", what);
    if (err && err->status)
        pf_error_print(err);
    abort();
}

pf_engine *fuzz_engine(void)
{
    static pf_engine engine;
    static int ready;
    if (!ready) {
        pf_error err = {0};
        if (pf_engine_open(&engine, NULL, 1, NULL, &err))
            fuzz_fail("the engine does not open", &err);
        ready = 1;
    }
    return &engine;
}

/* A status planform answers bad input with must say what is wrong. */
static void expect_refusal(const char *stage, const pf_error *err, int allowed)
{
    char what[160];
    if (err->status != PF_EXIT_INVALID && err->status != allowed) {
        snprintf(what, sizeof what, "%s: status %d for bad input", stage, err->status);
        fuzz_fail(what, err);
    }
    if (!err->msg_ja[0] || !err->msg_en[0]) {
        snprintf(what, sizeof what, "%s: an error with no message", stage);
        fuzz_fail(what, err);
    }
}

void fuzz_pipeline(pf_engine *e, const char *xml, size_t len)
{
    pf_error err = {0};
    unsigned char *pdf = NULL;
    size_t pdf_len = 0;
    pf_render_info info = {0};
    int rc = pf_render_named(e, "fuzz.xml", xml, len, PF_FORM_ALL, &pdf, &pdf_len, &info, &err);
    if (rc)
        expect_refusal("render", &err, PF_EXIT_INVALID);
    else if (pdf_len < 16 || memcmp(pdf, "%PDF-", 5) != 0 || !info.person)
        fuzz_fail("render: succeeded without a PDF", NULL);
    free(pdf);
    pf_render_info_free(&info);

    /* what `check`, `schedule` and `draft-isp` do with the same bundle */
    pf_error err2 = {0};
    pf_bundle *b = pf_bundle_read(e->schema, "fuzz.xml", xml, len, &err2);
    if (!b)
        return;
    pf_findings fs = {0};
    pf_check(b, 20250101, &fs);
    pf_findings_free(&fs);
    for (size_t i = 0; i < b->n_plans; i++) {
        pf_due *due = NULL;
        pf_schedule(b, &b->plans[i], 20250101, &due);
        free(due);
    }
    const char *provider = NULL;
    for (size_t i = 0; i < b->n_plans && !provider; i++)
        for (size_t k = 0; k < b->plans[i].n_needs && !provider; k++)
            for (size_t s = 0; s < b->plans[i].needs[k].n_services && !provider; s++)
                provider = b->plans[i].needs[k].services[s].provider_id.s;
    if (provider) {
        char *draft = NULL;
        size_t draft_len = 0;
        pf_error err3 = {0};
        if (pf_draft_isp(b, xml, len, provider, NULL, &draft, &draft_len, &err3) == 0) {
            /* the draft is a bundle again: read it back */
            pf_error err4 = {0};
            pf_bundle *again = pf_bundle_read(e->schema, "draft.xml", draft, draft_len, &err4);
            pf_bundle_free(again);
        } else {
            expect_refusal("draft-isp", &err3, PF_EXIT_USAGE);
        }
        free(draft);
    }
    pf_bundle_free(b);
}
