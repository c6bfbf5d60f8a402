/* Unit tests of bundle/: the reader gives the model exactly as written (no normalization,
 * lines remembered), and every kind of bad input an error with file, line and field. */
#include <stdlib.h>

#include "bundle/bundle.h"
#include "util/files.h"
#include "unit.h"

static pf_schema *schema;

static pf_bundle *read_string(const char *xml, pf_error *err)
{
    memset(err, 0, sizeof *err);
    return pf_bundle_read(schema, "t.xml", xml, strlen(xml), err);
}

static void test_sample(void)
{
    char *xml;
    size_t len;
    pf_error err = {0};
    CHECK(pf_read_file("samples/a-san.xml", &xml, &len, &err) == 0);
    pf_bundle *b = pf_bundle_read(schema, "a-san.xml", xml, len, &err);
    int name_line = 1;  /* where <name> stands in the sample (found, not written down) */
    for (const char *c = xml, *at = strstr(xml, "<name>"); at && c < at; c++)
        name_line += *c == '\n';
    free(xml);
    CHECK(b != NULL);
    if (!b)
        return;
    CHECK_STR(b->person.name.s, "髙橋 \xf0\xa0\xae\xb7郎");  /* 髙, space, U+20BB7 𠮷 */
    CHECK(b->person.name.line == name_line);
    CHECK(b->person.copay_limit.present && b->person.copay_limit.value == 9300);
    CHECK(b->n_plans == 1);
    const pf_plan *p = &b->plans[0];
    CHECK(p->final && !p->child);
    CHECK(p->created.year == 2024 && p->created.month == 4 && p->created.day == 10);
    CHECK(p->monitoring_start.year == 2024 && p->monitoring_start.month == 7 &&
          p->monitoring_start.day == 0);
    CHECK(p->n_needs == 5);
    for (size_t i = 0; i < p->n_needs; i++)
        CHECK(p->needs[i].priority.value == (long)i + 1);
    CHECK_STR(p->needs[0].id.s, "need-work");
    CHECK(p->needs[3].n_services == 1 && p->needs[3].services[0].informal);
    CHECK_STR(p->needs[0].services[0].provider_id.s, "aoba");
    CHECK(p->weekly.n_spans == 3);
    CHECK(p->weekly.spans[0].days == (PF_DAY_MON | PF_DAY_TUE | PF_DAY_WED | PF_DAY_THU | PF_DAY_FRI));
    CHECK(p->weekly.spans[0].start == 570 && p->weekly.spans[0].end == 930);
    CHECK(p->weekly.spans[2].start == 17 * 60 && p->weekly.spans[2].end == 9 * 60);
    pf_bundle_free(b);
}

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bundle xmlns=\"urn:planform:bundle:1\" version=\"1\">\n"
#define PERSON(x) "<person>\n<name>試験 太郎</name>\n" x "</person>\n"
#define PLAN(x)                                                                          \
    "<service-use-plan id=\"p\" status=\"draft\">\n<agency>A</agency>\n<planner>B</planner>\n" \
    "<created>2024-04-10</created>\n<monitoring start=\"2024-07\">毎月</monitoring>\n"       \
    "<wishes>w</wishes>\n<policy>p</policy>\n<long-term-goal>l</long-term-goal>\n"         \
    "<short-term-goal>s</short-term-goal>\n<needs>\n" x "</needs>\n</service-use-plan>\n"
#define NEED(id, prio) "<need id=\"" id "\" priority=\"" prio "\">\n<issue>i</issue>\n<goal>g</goal>\n<target>2024-09</target>\n</need>\n"
#define TAIL "</bundle>\n"

static void expect_error(const char *xml, int line, const char *field_en, const char *in_msg)
{
    pf_error err;
    pf_bundle *b = read_string(xml, &err);
    CHECK(b == NULL);
    pf_bundle_free(b);
    CHECK(err.status == PF_EXIT_INVALID);
    CHECK_STR(err.file, "t.xml");
    if (err.line != line)
        fprintf(stderr, "  line %d, want %d (%s)\n", err.line, line, err.msg_en);
    CHECK(err.line == line);
    if (field_en)
        CHECK_STR(err.field_en, field_en);
    if (in_msg && !strstr(err.msg_ja, in_msg) && !strstr(err.msg_en, in_msg)) {
        fprintf(stderr, "  message lacks \"%s\": %s / %s\n", in_msg, err.msg_ja, err.msg_en);
        CHECK(0);
    }
    CHECK(err.msg_ja[0] && err.msg_en[0]);
}

static void test_errors(void)
{
    pf_error err;
    pf_bundle *ok = read_string(HEAD PERSON("") PLAN(NEED("a", "1")) TAIL, &err);
    CHECK(ok != NULL);
    pf_bundle_free(ok);
    /* malformed XML: libxml2's line */
    expect_error(HEAD PERSON("<kana>x</kan>\n") PLAN(NEED("a", "1")) TAIL, 5, "bundle", "XML");
    /* an element the format does not have */
    expect_error(HEAD PERSON("<nickname>x</nickname>\n") PLAN(NEED("a", "1")) TAIL, 5, "nickname",
                 "not expected");
    /* 9 digits: the Japanese field name */
    expect_error(HEAD PERSON("<recipient-number>123456789</recipient-number>\n") PLAN(NEED("a", "1")) TAIL,
                 5, "recipient-number", "10桁");
    {
        read_string(HEAD PERSON("<recipient-number>123456789</recipient-number>\n") PLAN(NEED("a", "1")) TAIL, &err);
        CHECK_STR(err.field_ja, "障害福祉サービス受給者証番号");
        /* personal data stays out of messages unless asked for (--verbose) */
        CHECK(!strstr(err.msg_ja, "123456789") && !strstr(err.msg_en, "123456789"));
        pf_read_options verbose = {PF_MAX_INPUT, 1}, quiet = {PF_MAX_INPUT, 0};
        pf_schema_set_options(schema, &verbose);
        read_string(HEAD PERSON("<recipient-number>123456789</recipient-number>\n") PLAN(NEED("a", "1")) TAIL, &err);
        CHECK(strstr(err.msg_en, "123456789") != NULL);
        pf_schema_set_options(schema, &quiet);
    }
    /* dates that do not exist */
    {
        char *xml = pf_xstrdup(HEAD PERSON("") PLAN(NEED("a", "1")) TAIL);
        memcpy(strstr(xml, "2024-04-10"), "2023-02-29", 10);
        expect_error(xml, 9, "created", "not a date that exists");
        read_string(xml, &err);
        CHECK(!strstr(err.msg_ja, "2023-02-29") && !strstr(err.msg_en, "2023-02-29"));
        free(xml);
    }
    expect_error(HEAD PERSON("") PLAN("<need id=\"a\" priority=\"1\">\n<issue>i</issue>\n<goal>g</goal>\n<target>2024-13</target>\n</need>\n") TAIL,
                 19, "target", "存在しない日付");
    /* duplicate need id, duplicate priority */
    expect_error(HEAD PERSON("") PLAN(NEED("a", "1") NEED("a", "2")) TAIL, 21, "need", "Duplicate");
    expect_error(HEAD PERSON("") PLAN(NEED("a", "1") NEED("b", "1")) TAIL, 21, "need", "Duplicate");
    /* a DOCTYPE is refused before parsing: no entity is ever expanded or loaded */
    expect_error("<?xml version=\"1.0\"?>\n<!DOCTYPE bundle [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                 "<bundle xmlns=\"urn:planform:bundle:1\" version=\"1\"><person><name>&x;</name></person></bundle>",
                 2, "bundle", "DOCTYPE");
    {
        read_string("<?xml version=\"1.0\"?>\n<!DOCTYPE bundle [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                    "<bundle xmlns=\"urn:planform:bundle:1\" version=\"1\"><person><name>&x;</name></person></bundle>", &err);
        CHECK(strstr(err.msg_en, "root:") == NULL && strstr(err.msg_ja, "root:") == NULL);
    }
    /* a C1 control character */
    expect_error(HEAD PERSON("<kana>ア\xc2\x85イ</kana>\n") PLAN(NEED("a", "1")) TAIL, 5, "kana", "U+0085");
    /* a span of no length */
    expect_error(HEAD PERSON("") "<service-use-plan id=\"p\" status=\"draft\">\n<agency>A</agency>\n<planner>B</planner>\n"
                 "<created>2024-04-10</created>\n<monitoring start=\"2024-07\">毎月</monitoring>\n"
                 "<wishes>w</wishes>\n<policy>p</policy>\n<long-term-goal>l</long-term-goal>\n"
                 "<short-term-goal>s</short-term-goal>\n<needs>\n" NEED("a", "1") "</needs>\n"
                 "<weekly>\n<span days=\"mon\" start=\"09:00\" end=\"09:00\">x</span>\n</weekly>\n</service-use-plan>\n" TAIL,
                 23, "span", "same time");
    /* a missing required element: <issue> */
    expect_error(HEAD PERSON("") PLAN("<need id=\"a\" priority=\"1\">\n<goal>g</goal>\n<target>2024-09</target>\n</need>\n") TAIL,
                 17, "goal", "Expected is ( issue )");
}

void run_tests(void)
{
    pf_error err = {0};
    schema = pf_schema_load("templates/plan.xsd", &err);
    CHECK(schema != NULL);
    if (!schema) {
        pf_error_print(&err);
        return;
    }
    test_sample();
    test_errors();
    pf_schema_free(schema);
}
