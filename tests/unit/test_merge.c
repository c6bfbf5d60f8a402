/* Unit tests of the print-file merge (pdf/merge.h): two people's PDFs become one file with
 * every page, an outline entry per person and per form, duplex padding, their fonts once; a
 * PDF planform did not write is refused, not guessed at; giving up leaves nothing. Run from
 * the source tree (tests/run.sh does); the result is read back with qpdf and pdftotext. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pdf/merge.h"
#include "render.h"
#include "util/files.h"
#include "unit.h"

typedef struct rendered {
    unsigned char *pdf;
    size_t len;
    pf_render_info info;
} rendered;

static int render_one(pf_engine *e, const char *path, unsigned forms, rendered *out)
{
    char *xml;
    size_t len;
    pf_error err = {0};
    memset(out, 0, sizeof *out);
    if (pf_read_file(path, &xml, &len, &err))
        return -1;
    int rc = pf_render_named(e, path, xml, len, forms, &out->pdf, &out->len, &out->info, &err);
    free(xml);
    return rc;
}

static int add(pf_merge *m, rendered *r, const char *title, int duplex, pf_error *err)
{
    pf_mark marks[16];
    size_t n = r->info.n_marks < 16 ? r->info.n_marks : 16;
    for (size_t k = 0; k < n; k++)
        marks[k] = (pf_mark){r->info.marks[k].page, r->info.marks[k].title};
    return pf_merge_add(m, r->pdf, r->len, title, marks, n, r->info.glyphs, r->info.n_glyphs,
                        duplex, err);
}

/* the output of a shell command, whole (NULL if it failed) */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    pf_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        pf_buf_add(&b, chunk, n);
    if (pclose(p) != 0) {
        pf_buf_free(&b);
        return NULL;
    }
    if (!b.data)
        pf_buf_adds(&b, "");
    return b.data;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; hay && (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static int leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strncmp(e->d_name, ".planform-", 10) == 0;
    if (d)
        closedir(d);
    return n;
}

static void test_merge(pf_engine *e, const char *dir)
{
    rendered a, c;
    /* a-san: the plan (2 pages: plan, weekly) and its linkage sheet; child: the plan alone */
    CHECK(render_one(e, "samples/a-san.xml", PF_FORM_PLAN | PF_FORM_LINKAGE, &a) == 0);
    CHECK(render_one(e, "samples/child.xml", PF_FORM_PLAN, &c) == 0);
    if (!a.pdf || !c.pdf)
        goto out;
    char *path = pf_xasprintf("%s/print.pdf", dir);
    pf_error err = {0};
    pf_merge *m = pf_merge_open(path, 0600, 0, e->fonts, &err);
    CHECK(m != NULL);
    if (m) {
        CHECK(add(m, &a, "髙橋 𠮷郎", 1, &err) == 0);
        CHECK(add(m, &c, "﨑山 葛󠄀太", 1, &err) == 0);
        CHECK(pf_merge_close(m, NULL, &err) == 0);
    }
    CHECK(leftovers(dir) == 0);
    char *cmd = pf_xasprintf("qpdf --check '%s' >/dev/null 2>&1 && qpdf --show-npages '%s'", path,
                             path);
    char *pages = run(cmd);
    free(cmd);
    /* a-san 3 pages (odd): a blank page before the child starts on the front; child 2 */
    CHECK(pages && atoi(pages) == 3 + 1 + 2);
    free(pages);
    cmd = pf_xasprintf("qpdf --json --json-key=outlines '%s'", path);
    char *outline = run(cmd);
    free(cmd);
    CHECK(outline && strstr(outline, "\"title\": \"髙橋 𠮷郎\""));
    CHECK(outline && strstr(outline, "\"title\": \"﨑山 葛󠄀太\""));
    CHECK(count(outline, "\"title\"") == 2 + a.info.n_marks + c.info.n_marks);
    free(outline);
    cmd = pf_xasprintf("pdftotext '%s' - | tr -d ' \\n\\f'", path);
    char *text = run(cmd);
    free(cmd);
    CHECK(text && strstr(text, "髙橋𠮷郎") && strstr(text, "﨑山葛󠄀太"));
    free(text);
    /* every font file once: each person's font descriptors point at the same shared files */
    cmd = pf_xasprintf("qpdf --qdf --object-streams=disable '%s' - | grep -ao '/FontFile2 [0-9]* 0 R'"
                       " | sort -u | wc -l", path);
    char *fonts = run(cmd);
    free(cmd);
    CHECK(fonts && atoi(fonts) >= 1 && atoi(fonts) <= 3);
    free(fonts);
    free(path);

    /* a PDF planform did not write: refused with an error, the merge given up, nothing left */
    path = pf_xasprintf("%s/refused.pdf", dir);
    memset(&err, 0, sizeof err);
    m = pf_merge_open(path, 0600, 0, NULL, &err);
    CHECK(m != NULL);
    if (m) {
        static const unsigned char junk[] = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
        CHECK(pf_merge_add(m, junk, sizeof junk - 1, "x", NULL, 0, NULL, 0, 0, &err) != 0);
        CHECK(err.status != 0 && err.msg_en[0]);
        pf_merge_abort(m);
    }
    CHECK(access(path, F_OK) != 0);
    CHECK(leftovers(dir) == 0);
    free(path);
out:
    free(a.pdf);
    free(c.pdf);
    pf_render_info_free(&a.info);
    pf_render_info_free(&c.info);
}

void run_tests(void)
{
    pf_engine e;
    pf_error err = {0};
    char dir[] = "/tmp/pf-merge-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    CHECK(pf_engine_open(&e, ".", 1, NULL, &err) == 0);
    if (!err.status)
        test_merge(&e, dir);
    pf_engine_close(&e);
    char *rm = pf_xasprintf("rm -rf '%s'", dir);
    if (system(rm) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(rm);
}
