/* Unit tests of template loading, the look a template leaves out (issue 12, item 4): the
 * continuation sheet (別紙), the weekly grid's blocks, activities and hour labels, the shade mark
 * and the linkage's priority column take the defaults written once in template.c (the values
 * layout/form.c used to hold as constants); an attribute given replaces its default; a
 * shade-mark-after naming no column is refused with the template's file and line. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "template/template.h"
#include "unit.h"

static pf_template_schema *schema;

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

/* Write a template (the form's attributes; its children from line 3) and load it. */
static pf_template *load(const char *attrs, const char *children, pf_error *err)
{
    char path[] = "/tmp/pf-test-template-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<form id=\"t\"%s>\n%s\n</form>\n", attrs,
            children);
    fclose(f);
    memset(err, 0, sizeof *err);
    pf_template *t = pf_template_load(path, schema, err);
    unlink(path);
    return t;
}

static const char *const PAGE =
    "<page>"
    "<table x=\"10\" y=\"10\" w=\"100\" shade-key=\"need.uncovered\" shade-mark=\"未反映\">"
    "<col w=\"20\" label=\"a\" bind=\"need.priority\"/><col w=\"20\" label=\"b\" bind=\"need.issue\"/>"
    "<col w=\"20\" label=\"c\" bind=\"need.notes\"/></table>"
    "<weekly x=\"10\" y=\"100\" w=\"200\" h=\"80\" days=\"月,火,水,木,金,土,日\" activity-label=\"x\"/>"
    "<linkage x=\"10\" y=\"10\" w=\"277\" priority-label=\"p\" need-label=\"n\" informal-label=\"i\""
    " other-label=\"o\"/>"
    "</page>";

static void defaults(void)
{
    pf_error err;
    char children[2048];
    snprintf(children, sizeof children, "<continuation title=\"別紙\" mark=\"（別紙に続く）\"/>%s",
             PAGE);
    pf_template *t = load("", children, &err);
    CHECK(t != NULL);
    if (!t) {
        fprintf(stderr, "  %s:%d: %s\n", err.file, err.line, err.msg_en);
        return;
    }
    CHECK(NEAR(t->rule, 0.4));
    const pf_continuation *c = &t->conts[0];
    CHECK(NEAR(c->margin, 12) && NEAR(c->heading_h, 10) && NEAR(c->title_w, t->page_w / 2));
    CHECK_STR(c->title_style.font, "gothic");
    CHECK(NEAR(c->title_style.size, 14) && NEAR(c->title_style.min_size, 8) &&
          NEAR(c->title_style.pad, 0));
    CHECK(NEAR(c->name_label_w, 30) && NEAR(c->name_w, 80) && NEAR(c->name_h, 8) &&
          c->name_lines == 3);
    CHECK(NEAR(c->name_style.size, 10) && NEAR(c->name_style.fill, 0.92) &&
          c->name_style.valign == PF_VALIGN_MIDDLE);
    CHECK(NEAR(c->label_h, 7) && NEAR(c->label_gap, 1.5));
    CHECK_STR(c->label_style.font, "gothic");
    CHECK(NEAR(c->label_style.size, 9) && NEAR(c->label_style.pad, 1) &&
          NEAR(c->label_style.fill, 0.92));
    CHECK_STR(c->text_style.font, t->base.font);
    CHECK(NEAR(c->text_style.size, 10) && NEAR(c->indent, 2) && NEAR(c->gap, 4));

    const pf_element *tb = &t->pages[0].els[0], *wk = &t->pages[0].els[1],
                     *lk = &t->pages[0].els[2];
    CHECK(tb->shade_mark_after == NULL);  /* the mark across the whole row */
    CHECK_STR(tb->mark_style.font, "gothic");
    CHECK(NEAR(tb->mark_style.size, 11) && tb->mark_style.align == PF_ALIGN_CENTER &&
          tb->mark_style.valign == PF_VALIGN_MIDDLE);
    CHECK(NEAR(wk->block_style.size, 7) && NEAR(wk->block_style.min_size, 7) &&
          NEAR(wk->block_style.line_height, 1.2) && NEAR(wk->block_style.pad, 0.5) &&
          NEAR(wk->block_style.fill, 0.94) && wk->block_style.align == PF_ALIGN_CENTER &&
          wk->block_style.valign == PF_VALIGN_MIDDLE);
    CHECK(NEAR(wk->block_rule, 0.6) && NEAR(wk->block_inset, 0) &&
          NEAR(wk->frame_rule, 0.8));
    CHECK(NEAR(wk->activity_style.size, 7.5) && NEAR(wk->activity_style.min_size, 7) &&
          NEAR(wk->activity_style.line_height, 1.2) && NEAR(wk->activity_style.pad, 0.8));
    CHECK(NEAR(wk->time_style.size, 7) && NEAR(wk->time_style.pad, 0.6) &&
          wk->time_style.align == PF_ALIGN_LEFT);
    CHECK(wk->label_style.align == PF_ALIGN_CENTER);  /* day headings centred */
    CHECK(NEAR(lk->priority_style.size, 10) && lk->priority_style.align == PF_ALIGN_CENTER &&
          lk->priority_style.valign == PF_VALIGN_MIDDLE);
    pf_template_free(t);
}

static void given(void)
{
    pf_error err;
    char children[2048];
    snprintf(children, sizeof children,
             "<continuation title=\"別紙\" mark=\"m\" margin=\"15\" title-size=\"20\" "
             "name-lines=\"2\" label-fill=\"0.8\" size=\"11\" gap=\"6\"/>%s", PAGE);
    pf_template *t = load(" rule=\"0.3\"", children, &err);
    CHECK(t != NULL);
    if (!t)
        return;
    const pf_continuation *c = &t->conts[0];
    CHECK(NEAR(t->rule, 0.3) && NEAR(c->margin, 15) && NEAR(c->title_style.size, 20));
    CHECK(c->name_lines == 2 && NEAR(c->label_style.fill, 0.8) && NEAR(c->text_style.size, 11) &&
          NEAR(c->gap, 6));
    CHECK(NEAR(c->heading_h, 10));  /* the others keep their defaults */
    pf_template_free(t);

    /* the shipped linkage sheet puts its mark after the need column */
    memset(&err, 0, sizeof err);
    t = pf_template_load("templates/linkage.xml", schema, &err);
    CHECK(t != NULL);
    if (t) {
        const pf_element *lk = NULL;
        for (size_t i = 0; i < t->pages[0].n; i++)
            if (t->pages[0].els[i].kind == PF_EL_LINKAGE)
                lk = &t->pages[0].els[i];
        CHECK(lk && lk->shade_mark_after && strcmp(lk->shade_mark_after, "need.issue") == 0);
        pf_template_free(t);
    }
}

static void refused(void)
{
    pf_error err;
    /* after the last column, the mark would have no room */
    pf_template *t = load("",
                          "<continuation title=\"別紙\" mark=\"m\"/>\n<page>\n<table x=\"10\" y=\"10\" "
                          "w=\"100\" shade-mark-after=\"need.notes\">"
                          "<col w=\"20\" label=\"a\" bind=\"need.priority\"/>"
                          "<col w=\"20\" label=\"c\" bind=\"need.notes\"/></table></page>",
                          &err);
    CHECK(t == NULL);
    CHECK(err.status == PF_EXIT_RESOURCE && err.line == 5);
    CHECK(strstr(err.msg_en, "shade-mark-after=\"need.notes\" is not a column") != NULL);
    pf_template_free(t);
    /* a margin that leaves no room for the heading and a line */
    t = load("",
             "<continuation title=\"別紙\" mark=\"m\" margin=\"100\"/>\n"
             "<page><text x=\"1\" y=\"1\" w=\"1\" h=\"1\">a</text></page>",
             &err);
    CHECK(t == NULL);
    CHECK(err.status == PF_EXIT_RESOURCE && err.line == 3);
    CHECK(strstr(err.msg_en, "do not fit on the page") != NULL);
    pf_template_free(t);
}

void run_tests(void)
{
    pf_error err = {0};
    schema = pf_template_schema_load("templates/template.xsd", &err);
    CHECK(schema != NULL);
    if (!schema)
        return;
    defaults();
    given();
    refused();
    pf_template_schema_free(schema);
}
