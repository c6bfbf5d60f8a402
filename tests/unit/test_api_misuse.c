/* libplanform used wrongly by an integrator (tests/attack11.sh has the command's side): an
 * empty password, which would give a PDF that opens without asking, is PLANFORM_USAGE and no
 * PDF; the longest password taken and one byte over it. */
#include "planform.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"


void run_tests(void)
{
    planform_engine *e = planform_open(NULL, 0, NULL);
    size_t len = 0;
    char *xml = unit_read("samples/a-san.xml", &len);
    CHECK(e != NULL && xml != NULL);
    if (!e || !xml) {
        free(xml);
        planform_close(e);
        return;
    }
    unsigned char *pdf = (unsigned char *)1;
    size_t pdf_len = 1;
    planform_error *err = NULL;
    CHECK(planform_render(e, "a.xml", xml, len, NULL, "", &pdf, &pdf_len, &err) == PLANFORM_USAGE);
    CHECK(pdf == NULL && pdf_len == 0);
    CHECK(err && err->status == PLANFORM_USAGE && strstr(err->message_en, "empty") != NULL);
    planform_error_free(err);
    planform_free(pdf);

    char pw[129];
    memset(pw, 'k', 128);
    pw[128] = 0;
    CHECK(planform_render(e, "a.xml", xml, len, NULL, pw, &pdf, &pdf_len, &err) == PLANFORM_USAGE);
    CHECK(pdf == NULL);
    planform_error_free(err);
    pw[127] = 0;
    CHECK(planform_render(e, "a.xml", xml, len, "plan", pw, &pdf, &pdf_len, NULL) == 0);
    int encrypted = 0;
    for (size_t i = 0; pdf && i + 8 <= pdf_len && !encrypted; i++)
        encrypted = memcmp(pdf + i, "/Encrypt", 8) == 0;
    CHECK(encrypted);
    planform_free(pdf);
    free(xml);
    planform_close(e);
}
