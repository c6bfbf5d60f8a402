/* test_engine — an engine loads only the templates of the forms it is opened for, the others
 * when first needed, and renders the same bytes however it got them (issue 14: render --form X
 * loads X's templates; batch and the service reuse an engine for many documents). Run from the
 * source tree (tests/run.sh does). */
#include "unit.h"

#include "render.h"

static unsigned char *render(pf_engine *e, const char *xml, size_t len, unsigned forms,
                             size_t *n)
{
    pf_error err = {0};
    unsigned char *pdf = NULL;
    *n = 0;
    if (pf_render(e, "a-san.xml", xml, len, forms, &pdf, n, &err)) {
        fprintf(stderr, "render: %s\n", err.msg_en);
        return NULL;
    }
    return pdf;
}

static int same(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
    return a && b && na == nb && memcmp(a, b, na) == 0;
}

/* Loaded for the plan: only its template; the ISP's come with the first ISP rendered. */
static void test_lazy(const char *xml, size_t len)
{
    pf_engine full, lazy;
    pf_error err = {0};
    CHECK(pf_engine_open(&full, ".", 1, NULL, &err) == 0);
    CHECK(pf_engine_open_forms(&lazy, ".", PF_FORM_PLAN, NULL, &err) == 0);
    if (err.status) {
        pf_engine_close(&full);
        pf_engine_close(&lazy);
        return;
    }
    CHECK(lazy.forms[0][0] != NULL);
    for (size_t k = 1; k < PF_N_FORMS; k++)
        CHECK(lazy.forms[k][0] == NULL && lazy.forms[k][1] == NULL);
    for (size_t k = 0; k < PF_N_FORMS; k++)  /* every form but the 変更箇所一覧 (diff only) */
        CHECK(!(PF_FORM_ALL & (1u << k)) || (full.forms[k][0] != NULL && full.forms[k][1] != NULL));

    size_t n1, n2, n3, n4;
    unsigned char *p1 = render(&lazy, xml, len, PF_FORM_PLAN, &n1);
    unsigned char *p2 = render(&full, xml, len, PF_FORM_PLAN, &n2);
    CHECK(same(p1, n1, p2, n2));
    CHECK(lazy.forms[1][0] == NULL);  /* still not loaded: not asked for */
    /* every form now, on the engine that has rendered before: the same bytes as a full one */
    unsigned char *p3 = render(&lazy, xml, len, PF_FORM_ALL, &n3);
    unsigned char *p4 = render(&full, xml, len, PF_FORM_ALL, &n4);
    CHECK(same(p3, n3, p4, n4));
    for (size_t k = 0; k < PF_N_FORMS; k++)
        CHECK(!(PF_FORM_ALL & (1u << k)) || (lazy.forms[k][0] != NULL && lazy.forms[k][1] != NULL));
    /* and the plan again, after all that: the bytes of the first time */
    free(p1);
    p1 = render(&lazy, xml, len, PF_FORM_PLAN, &n1);
    CHECK(same(p1, n1, p2, n2));
    free(p1);
    free(p2);
    free(p3);
    free(p4);
    pf_engine_close(&full);
    pf_engine_close(&lazy);
}

/* A template that fails to load is an error every time it is needed, not once. */
static void test_broken_template(const char *xml, size_t len)
{
    char dir[] = "/tmp/pf-engine-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    char *cmd = pf_xasprintf("cp -r templates fonts '%s'/ && printf '<page' > '%s'/templates/linkage.xml",
                             dir, dir);
    CHECK(system(cmd) == 0);
    free(cmd);
    pf_engine e;
    pf_error err = {0};
    CHECK(pf_engine_open_forms(&e, dir, PF_FORM_PLAN, NULL, &err) == 0);
    if (!err.status) {
        size_t n;
        unsigned char *p = render(&e, xml, len, PF_FORM_PLAN, &n);
        CHECK(p != NULL);
        free(p);
        for (int round = 0; round < 2; round++) {
            pf_error e2 = {0};
            unsigned char *q = NULL;
            size_t nq = 0;
            CHECK(pf_render(&e, "a-san.xml", xml, len, PF_FORM_ALL, &q, &nq, &e2) ==
                  PF_EXIT_RESOURCE);
            CHECK(strstr(e2.file, "linkage.xml") != NULL);
            CHECK(q == NULL);
            CHECK(e.forms[2][0] == NULL);
        }
    }
    pf_engine_close(&e);
    /* opened for every form, the broken template is the engine's error */
    pf_error err2 = {0};
    CHECK(pf_engine_open(&e, dir, 1, NULL, &err2) == PF_EXIT_RESOURCE);
    CHECK(strstr(err2.file, "linkage.xml") != NULL);
    pf_engine_close(&e);
    cmd = pf_xasprintf("rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    free(cmd);
}

/* An engine without templates (check, schedule) cannot render: an error, not a crash. */
static void test_schema_only(const char *xml, size_t len)
{
    pf_engine e;
    pf_error err = {0};
    CHECK(pf_engine_open_forms(&e, ".", 0, NULL, &err) == 0);
    CHECK(e.template_schema == NULL && e.fonts == NULL);
    pf_error e2 = {0};
    unsigned char *q = NULL;
    size_t nq = 0;
    CHECK(pf_render(&e, "a-san.xml", xml, len, PF_FORM_PLAN, &q, &nq, &e2) == PF_EXIT_RESOURCE);
    CHECK(q == NULL);
    pf_engine_close(&e);
}

void run_tests(void)
{
    size_t len;
    char *xml = unit_read("samples/a-san.xml", &len);
    CHECK(xml != NULL);
    if (!xml)
        return;
    test_lazy(xml, len);
    test_broken_template(xml, len);
    test_schema_only(xml, len);
    free(xml);
}
