/* libplanform's public API (include/planform.h), through the header alone: engines, validate,
 * render (forms, password), check's findings, errors as structs, bad arguments, and one engine
 * per thread rendering at the same time. Built against each build's objects, so it runs under
 * ASan/UBSan too (every list and error freed). tests/install.sh builds programs against the
 * installed library. */
#include "planform.h"

#include <pthread.h>
#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"


/* `s` with the first `from` replaced by `to` (malloc'd). */
static char *replaced(const char *s, size_t len, const char *from, const char *to, size_t *out_len)
{
    const char *at = strstr(s, from);
    if (!at)
        return NULL;
    size_t head = (size_t)(at - s), nf = strlen(from), nt = strlen(to);
    *out_len = len - nf + nt;
    char *r = malloc(*out_len + 1);
    memcpy(r, s, head);
    memcpy(r + head, to, nt);
    memcpy(r + head + nt, at + nf, len - head - nf);
    r[*out_len] = 0;
    return r;
}

static int has(const unsigned char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, needle, k) == 0)
            return 1;
    return 0;
}

/* Whether qpdf opens the PDF with `password` (NULL: none). */
static int qpdf_opens(const unsigned char *pdf, size_t len, const char *password)
{
    qpdf_data q = qpdf_init();
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    int ok = !(qpdf_read_memory(q, "api", (const char *)pdf, len, password) & QPDF_ERRORS);
    if (qpdf_has_error(q))
        qpdf_get_error(q);  /* handled: qpdf would complain of an error nobody read */
    qpdf_cleanup(&q);
    return ok;
}

typedef struct job {
    const char *xml;
    size_t len;
    unsigned char *pdf;
    size_t pdf_len;
    int rc;
} job;

/* One thread, one engine: opened, used, closed here. */
static void *render_job(void *arg)
{
    job *j = arg;
    planform_engine *e = planform_open(NULL, 0, NULL);
    j->rc = e ? planform_render(e, "a-san.xml", j->xml, j->len, NULL, NULL, &j->pdf, &j->pdf_len,
                                NULL)
              : -1;
    planform_close(e);
    return NULL;
}

void run_tests(void)
{
    CHECK_STR(planform_version(), PLANFORM_VERSION);

    /* a data directory that does not hold the templates: exit 3's status, naming the file */
    planform_error *err = NULL;
    planform_engine *none = planform_open("tests/cases", 0, &err);
    CHECK(none == NULL);
    CHECK(err && err->status == PLANFORM_RESOURCE);
    CHECK(err && strstr(err->file, "tests/cases/templates/") != NULL);
    CHECK(err && err->message_en[0] && err->message_ja[0]);
    CHECK_STR(err ? err->code : NULL, "template-broken");  /* the --json code */
    planform_error_free(err);

    err = (planform_error *)1;  /* set to NULL on success */
    planform_engine *e = planform_open(NULL, 0, &err);
    CHECK(e != NULL);
    CHECK(err == NULL);
    if (!e)
        return;
    size_t len = 0;
    char *xml = unit_read("samples/a-san.xml", &len);
    CHECK(xml && len > 1000);
    if (!xml) {
        planform_close(e);
        return;
    }

    /* validate */
    CHECK(planform_validate(e, "a-san.xml", xml, len, NULL, &err) == 0 && err == NULL);
    size_t bad_len;
    char *bad = unit_read("tests/cases/bad-recipient-9-digits.xml", &bad_len);
    CHECK(planform_validate(e, "bad.xml", bad, bad_len, NULL, &err) == PLANFORM_INVALID);
    CHECK(err && err->status == PLANFORM_INVALID && err->line > 0);
    CHECK_STR(err ? err->file : NULL, "bad.xml");
    CHECK_STR(err ? err->field_en : NULL, "recipient-number");
    CHECK(err && strstr(err->field_ja, "受給者証番号") != NULL);
    CHECK(err && err->message_ja[0] && err->message_en[0] && err->sys_errno == 0);
    planform_error_free(err);
    CHECK(planform_validate(e, NULL, bad, bad_len, NULL, NULL) == PLANFORM_INVALID);  /* err optional */
    free(bad);
    /* validate's forms are render's: chosen ones pass, an unknown name is a usage error */
    CHECK(planform_validate(e, "a-san.xml", xml, len, "plan,isp", &err) == 0 && err == NULL);
    CHECK(planform_validate(e, "a-san.xml", xml, len, "plans", &err) == PLANFORM_USAGE);
    CHECK(err && strstr(err->message_en, "forms are plan") != NULL);
    planform_error_free(err);

    /* render: every form, one form, a form the bundle lacks, an unknown form */
    unsigned char *pdf = NULL, *plan_pdf = NULL;
    size_t pdf_len = 0, plan_len = 0;
    CHECK(planform_render(e, "a-san.xml", xml, len, NULL, NULL, &pdf, &pdf_len, &err) == 0);
    CHECK(err == NULL && pdf && pdf_len > 1000 && memcmp(pdf, "%PDF-", 5) == 0);
    CHECK(pdf && qpdf_opens(pdf, pdf_len, NULL));
    CHECK(planform_render(e, "a-san.xml", xml, len, "plan", NULL, &plan_pdf, &plan_len, NULL) == 0);
    CHECK(plan_pdf && plan_len > 1000 && plan_len < pdf_len);
    planform_free(plan_pdf);
    size_t child_len;
    char *child = unit_read("samples/child.xml", &child_len);
    unsigned char *nothing = (unsigned char *)1;
    size_t nothing_len = 1;
    CHECK(planform_render(e, "child.xml", child, child_len, "evaluation", NULL, &nothing,
                          &nothing_len, &err) == PLANFORM_INVALID);
    CHECK(nothing == NULL && nothing_len == 0);
    CHECK(err && strstr(err->message_en, "evaluation") != NULL);
    planform_error_free(err);
    free(child);
    CHECK(planform_render(e, "a-san.xml", xml, len, "plan,nope", NULL, &nothing, &nothing_len,
                          &err) == PLANFORM_USAGE);
    CHECK(err && err->status == PLANFORM_USAGE && strstr(err->message_en, "plan, isp") != NULL);
    planform_error_free(err);

    /* encrypted: qpdf opens it with the password only */
    unsigned char *enc = NULL;
    size_t enc_len = 0;
    CHECK(planform_render(e, "a-san.xml", xml, len, NULL, "秘密 pass", &enc, &enc_len, &err) == 0);
    CHECK(enc && has(enc, enc_len, "/Encrypt") && !has(pdf, pdf_len, "/Encrypt"));
    CHECK(enc && qpdf_opens(enc, enc_len, "秘密 pass"));
    CHECK(enc && !qpdf_opens(enc, enc_len, "wrong"));
    planform_free(enc);

    /* check: silent on the sample; a goal naming a missing need is an error finding */
    planform_findings *fs = NULL;
    CHECK(planform_check(e, "a-san.xml", xml, len, "2024-08-01", &fs, &err) == 0 && err == NULL);
    CHECK(fs && planform_findings_count(fs) == 0 && planform_finding_at(fs, 0) == NULL);
    planform_findings_free(fs);
    size_t r_len;
    char *r = replaced(xml, len, "need=\"need-work\" priority=\"1\">",
                       "need=\"need-nowhere\" priority=\"1\">", &r_len);
    CHECK(r != NULL);
    CHECK(r && planform_check(e, "r.xml", r, r_len, "2024-08-01", &fs, &err) == 0);
    int found = 0;
    for (size_t i = 0; r && i < planform_findings_count(fs); i++) {
        const planform_finding *f = planform_finding_at(fs, i);
        if (strcmp(f->rule, "goal-need-missing") == 0) {
            found++;
            CHECK(f->severity == PLANFORM_ERROR && f->line > 0);
            CHECK_STR(f->file, "r.xml");
            CHECK(f->message_ja[0] && strstr(f->message_en, "need-nowhere") != NULL);
        }
    }
    CHECK(found == 1);
    planform_findings_free(fs);
    /* ... and render refuses it */
    CHECK(r && planform_render(e, "r.xml", r, r_len, NULL, NULL, &nothing, &nothing_len, &err) ==
                   PLANFORM_INVALID);
    planform_error_free(err);
    free(r);
    fs = (planform_findings *)1;
    CHECK(planform_check(e, "a-san.xml", xml, len, "2024-02-30", &fs, &err) == PLANFORM_USAGE);
    CHECK(fs == NULL && err && strstr(err->message_en, "date") != NULL);
    planform_error_free(err);
    CHECK(planform_check(e, "a-san.xml", xml, len, NULL, &fs, NULL) == 0);  /* today */
    planform_findings_free(fs);

    /* bad arguments are PLANFORM_USAGE, never a crash */
    CHECK(planform_validate(NULL, "x", xml, len, NULL, NULL) == PLANFORM_USAGE);
    CHECK(planform_validate(e, "x", NULL, 0, NULL, &err) == PLANFORM_USAGE);
    CHECK(err && err->status == PLANFORM_USAGE);
    planform_error_free(err);
    CHECK(planform_render(e, "x", xml, len, NULL, NULL, NULL, NULL, NULL) == PLANFORM_USAGE);
    CHECK(planform_check(e, "x", xml, len, NULL, NULL, NULL) == PLANFORM_USAGE);
    CHECK(planform_findings_count(NULL) == 0 && planform_finding_at(NULL, 0) == NULL);
    planform_findings_free(NULL);
    planform_error_free(NULL);
    planform_close(NULL);

    /* the input size limit */
    CHECK(planform_set_max_input(e, 0) == PLANFORM_USAGE);
    CHECK(planform_set_max_input(e, 1000) == 0);
    CHECK(planform_validate(e, "a-san.xml", xml, len, NULL, &err) == PLANFORM_INVALID);
    CHECK(err && strstr(err->message_en, "1000 bytes") != NULL);
    planform_error_free(err);
    CHECK(planform_set_max_input(e, 16u << 20) == 0);
    CHECK(planform_validate(e, "a-san.xml", xml, len, NULL, NULL) == 0);

    /* two threads, an engine each, at the same time: both PDFs as one engine alone makes */
    job jobs[2] = {{xml, len, NULL, 0, -1}, {xml, len, NULL, 0, -1}};
    pthread_t t[2];
    int started = 0;
    for (int i = 0; i < 2; i++)
        started += pthread_create(&t[i], NULL, render_job, &jobs[i]) == 0;
    CHECK(started == 2);
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < started; i++) {
        CHECK(jobs[i].rc == 0);
        CHECK(jobs[i].pdf_len == pdf_len && jobs[i].pdf &&
              memcmp(jobs[i].pdf, pdf, pdf_len) == 0);
        planform_free(jobs[i].pdf);
    }

    planform_free(pdf);
    free(xml);
    planform_close(e);
}
