/* Unit tests of render's preflight (render.h): pf_validate gives render's error word for word,
 * pf_preflight judges only the forms it is asked for, and an engine opened without fonts
 * cannot claim a bundle renders. Run from the source tree (tests/run.sh does). */
#include <stdlib.h>

#include "render.h"
#include "util/files.h"
#include "unit.h"

static int same_error(const pf_error *a, const pf_error *b)
{
    return a->status == b->status && a->line == b->line && strcmp(a->file, b->file) == 0 &&
           strcmp(a->field_ja, b->field_ja) == 0 && strcmp(a->field_en, b->field_en) == 0 &&
           strcmp(a->msg_ja, b->msg_ja) == 0 && strcmp(a->msg_en, b->msg_en) == 0;
}

/* validate and render of one file on one engine: same status, same error. */
static void agree(pf_engine *e, const char *path, int want)
{
    char *xml;
    size_t len;
    pf_error rerr = {0}, verr = {0};
    CHECK(pf_read_file(path, &xml, &len, &rerr) == 0);
    if (rerr.status)
        return;
    unsigned char *pdf = NULL;
    size_t pdf_len = 0;
    int r = pf_render(e, path, xml, len, PF_FORM_ALL, &pdf, &pdf_len, &rerr);
    int v = pf_validate(e, path, xml, len, PF_FORM_ALL, &verr);
    CHECK(r == want);
    CHECK(v == want);
    CHECK(same_error(&rerr, &verr));
    CHECK((r == 0) == (pdf != NULL));
    free(pdf);
    free(xml);
}

static void test_schema_only_engine(void)
{
    pf_engine e;
    pf_error err = {0};
    CHECK(pf_engine_open(&e, NULL, 0, NULL, &err) == 0);
    const char *xml = "<bundle/>";
    CHECK(pf_validate(&e, "t.xml", xml, strlen(xml), PF_FORM_ALL, &err) == PF_EXIT_RESOURCE);
    CHECK(strstr(err.msg_en, "opened for rendering") != NULL);
    pf_engine_close(&e);
}

static void test_agreement(pf_engine *e)
{
    agree(e, "samples/a-san.xml", 0);
    agree(e, "tests/cases/bad-emoji-in-name.xml", PF_EXIT_INVALID);
    agree(e, "tests/cases/bad-ivs-no-font.xml", PF_EXIT_INVALID);
    agree(e, "tests/cases/bad-goal-need-missing.xml", PF_EXIT_INVALID);
    agree(e, "tests/cases/bad-review-goal-missing.xml", PF_EXIT_INVALID);
    agree(e, "tests/cases/bad-unknown-element.xml", PF_EXIT_INVALID);
    /* an engine that refused a bundle judges the next one afresh */
    agree(e, "samples/child.xml", 0);
    agree(e, "tests/cases/ok-tab-in-text.xml", 0);
}

/* The emoji is in the monitoring record only: the forms that do not print it pass, the
 * monitoring form stops at it, naming field and line. */
static void test_forms(pf_engine *e)
{
    char *xml;
    size_t len;
    pf_error err = {0};
    const char *path = "tests/cases/bad-emoji-in-monitoring.xml";
    CHECK(pf_read_file(path, &xml, &len, &err) == 0);
    if (err.status)
        return;
    pf_bundle *b = pf_bundle_read(e->schema, path, xml, len, &err);
    CHECK(b != NULL);
    if (b) {
        pf_doc doc = {0};
        CHECK(pf_preflight(e, b, PF_FORM_PLAN | PF_FORM_ISP | PF_FORM_EVALUATION, &doc, &err) == 0);
        CHECK(doc.n_pages > 0);
        pf_doc_free(&doc);
        pf_doc none = {0};
        CHECK(pf_preflight(e, b, PF_FORM_MONITORING, &none, &err) == PF_EXIT_INVALID);
        CHECK(err.line == 217);
        CHECK_STR(err.field_en, "satisfaction");
        CHECK(strstr(err.msg_en, "U+1F600") != NULL);
        pf_doc_free(&none);
        pf_bundle_free(b);
    }
    free(xml);
}

void run_tests(void)
{
    test_schema_only_engine();
    pf_engine e;
    pf_error err = {0};
    CHECK(pf_engine_open(&e, NULL, 1, NULL, &err) == 0);
    if (err.status) {
        pf_engine_close(&e);
        return;
    }
    test_agreement(&e);
    test_forms(&e);
    pf_engine_close(&e);
}
