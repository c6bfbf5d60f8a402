/* Unit tests of check/: the links-only entry render refuses on (and the field it names), the
 * rules as pf_check reports them, and the monitoring schedule. On samples/a-san.xml, changed
 * in memory where a case needs it. */
#include <stdlib.h>

#include "bundle/bundle.h"
#include "check/check.h"
#include "check/schedule.h"
#include "util/files.h"
#include "unit.h"

static pf_schema *schema;
static char *sample;

/* a-san.xml with the first `from` replaced by `to`, read; NULL (and a failed CHECK) if not */
static pf_bundle *variant(const char *from, const char *to)
{
    const char *at = strstr(sample, from);
    CHECK(at != NULL);
    if (!at)
        return NULL;
    pf_buf x = {0};
    pf_buf_add(&x, sample, (size_t)(at - sample));
    pf_buf_adds(&x, to);
    pf_buf_adds(&x, at + strlen(from));
    pf_error err = {0};
    pf_bundle *b = pf_bundle_read(schema, "a.xml", x.data, x.len, &err);
    CHECK(b != NULL);
    pf_buf_free(&x);
    return b;
}

/* The line of the sample holding `needle` (found, not written down: samples change). */
static int line_of(const char *needle)
{
    const char *at = strstr(sample, needle);
    int line = 1;
    for (const char *c = sample; at && c < at; c++)
        line += *c == '\n';
    return at ? line : -1;
}

static const pf_finding *find(const pf_findings *fs, const char *rule)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].rule, rule) == 0)
            return &fs->f[i];
    return NULL;
}

static void test_links(void)
{
    pf_bundle *b = variant("<goal need=\"need-home\"", "<goal need=\"need-gone\"");
    pf_bundle *r = variant("<review need=\"need-home\">", "<review need=\"need-gone\">");
    pf_bundle *g = variant("<goal-review goal=\"aoba-1\">", "<goal-review goal=\"aoba-9\">");
    if (!b || !r || !g)
        goto out;
    pf_findings fs = {0};
    pf_check_links(b, &fs);
    CHECK(fs.n == 1);   /* the links only: the monitoring-missed warnings are not run */
    const pf_finding *f = find(&fs, "goal-need-missing");
    CHECK(f && f->severity == PF_ERROR && f->line == line_of("<goal need=\"need-home\""));
    CHECK_STR(f ? f->field : NULL, "need");
    CHECK_STR(f ? f->need : NULL, "need-gone");
    pf_findings_free(&fs);

    pf_findings rs = {0};
    pf_check_links(r, &rs);
    f = find(&rs, "review-need-missing");
    CHECK(rs.n == 1 && f && f->line == line_of("<review need=\"need-home\">"));
    CHECK_STR(f ? f->field : NULL, "need");
    pf_findings_free(&rs);

    pf_findings gs = {0};
    pf_check_links(g, &gs);
    f = find(&gs, "review-goal-missing");
    CHECK(gs.n == 1 && f);
    CHECK_STR(f ? f->field : NULL, "goal");   /* the goal= attribute, not a need */
    CHECK_STR(f ? f->goal : NULL, "aoba-9");
    pf_findings_free(&gs);

    /* pf_check reports the same link findings, among the others, exactly once */
    pf_findings all = {0};
    pf_check(b, 20250115, &all);
    size_t links = 0;
    for (size_t i = 0; i < all.n; i++)
        links += strcmp(all.f[i].rule, "goal-need-missing") == 0;
    CHECK(links == 1);
    CHECK(find(&all, "monitoring-missed") != NULL);
    CHECK(pf_findings_count(&all, PF_ERROR) == 1);
    for (size_t i = 1; i < all.n; i++)
        CHECK(all.f[i - 1].line <= all.f[i].line);   /* in the order of the input */
    pf_findings_free(&all);
out:
    pf_bundle_free(b);
    pf_bundle_free(r);
    pf_bundle_free(g);
}

static void test_sample_findings(void)
{
    pf_error err = {0};
    pf_bundle *b = pf_bundle_read(schema, "a.xml", sample, strlen(sample), &err);
    CHECK(b != NULL);
    if (!b)
        return;
    pf_findings fs = {0};
    pf_check_links(b, &fs);
    CHECK(fs.n == 0);   /* the sample's links are whole */
    pf_findings_free(&fs);
    pf_findings all = {.quote = 0};
    pf_check(b, 20250115, &all);
    const pf_finding *f = find(&all, "monitoring-missed");
    CHECK(f && f->severity == PF_WARNING && f->line == line_of("<monitoring start="));
    CHECK(f && strstr(f->msg_en, "2024-10") != NULL);
    CHECK_STR(f ? f->plan : NULL, "plan-2024-04");
    CHECK(f && f->field == NULL);
    CHECK(pf_findings_count(&all, PF_ERROR) == 0);
    pf_findings_free(&all);

    /* the schedule: 2024-07 done by mon-2024-07, 2024-10 missed, 2025-01 next */
    pf_due *d = NULL;
    size_t n = pf_schedule(b, &b->plans[0], 20250115, &d);
    CHECK(pf_schedule_every(&b->plans[0]) == 3);
    CHECK(n == 3);
    if (n == 3) {
        CHECK(d[0].year == 2024 && d[0].month == 7 && d[0].status == PF_DUE_DONE && d[0].record);
        CHECK(d[1].year == 2024 && d[1].month == 10 && d[1].status == PF_DUE_MISSED);
        CHECK(d[2].year == 2025 && d[2].month == 1 && d[2].status == PF_DUE_NEXT);
    }
    CHECK(pf_schedule_has(&b->plans[0], 2025, 4) && !pf_schedule_has(&b->plans[0], 2025, 5));
    free(d);
    pf_bundle_free(b);
}

void run_tests(void)
{
    pf_error err = {0};
    size_t len;
    schema = pf_schema_load("templates/plan.xsd", &err);
    CHECK(schema != NULL);
    CHECK(pf_read_file("samples/a-san.xml", &sample, &len, &err) == 0);
    if (!schema || !sample)
        return;
    test_links();
    test_sample_findings();
    free(sample);
    pf_schema_free(schema);
}
