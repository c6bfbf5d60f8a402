/* Unit tests of the system's failures (util.h, "the system's failures"): running out of memory
 * or descriptors is exit 4 with a message naming it, wherever a load fails; a missing or broken
 * file stays the caller's status (3 for fonts, templates, the schema). Descriptors are run out
 * for real, with setrlimit in this process; memory through the libraries' own error codes. */
#include <errno.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bundle/bundle.h"
#include "font/font.h"
#include "template/template.h"
#include "text/text_ctx.h"
#include "util/files.h"
#include "util/xml.h"
#include "unit.h"

static struct rlimit saved;

/* No descriptor can be opened until fds_back(): the soft limit is set to the lowest free one. */
static int fds_out(void)
{
    int lowest = dup(0);
    if (lowest < 0 || getrlimit(RLIMIT_NOFILE, &saved) != 0)
        return -1;
    close(lowest);
    struct rlimit r = saved;
    r.rlim_cur = (rlim_t)lowest;
    return setrlimit(RLIMIT_NOFILE, &r);
}

static void fds_back(void)
{
    setrlimit(RLIMIT_NOFILE, &saved);
}

static void test_wording(void)
{
    CHECK(pf_errno_is_resource(ENOMEM) && pf_errno_is_resource(EMFILE));
    CHECK(pf_errno_is_resource(ENFILE) && pf_errno_is_resource(EAGAIN));
    CHECK(!pf_errno_is_resource(ENOENT) && !pf_errno_is_resource(EACCES));

    const char *ja, *en;
    pf_errno_text(ENOMEM, &ja, &en);
    CHECK_STR(ja, "メモリが足りません");
    CHECK_STR(en, "out of memory");

    /* a resource errno is exit 4 whatever status the caller gives for a broken file */
    pf_error err = {0};
    CHECK(pf_error_errno(&err, PF_EXIT_RESOURCE, PF_CODE_FONT_MISSING, "t.xml", 0, EMFILE,
                         "読めません", "cannot read") == PF_EXIT_IO);
    CHECK(strstr(err.msg_en, "cannot read: too many open files") == err.msg_en);
    CHECK(strstr(err.msg_ja, "読めません：開いているファイルが多すぎます") == err.msg_ja);
    memset(&err, 0, sizeof err);
    CHECK(pf_error_errno(&err, PF_EXIT_RESOURCE, PF_CODE_FONT_MISSING, "t.xml", 0, ENOENT,
                         "読めません", "cannot read") == PF_EXIT_RESOURCE);
    CHECK_STR(err.msg_en, "cannot read: no such file");
}

static void test_load_cause(void)
{
    CHECK(pf_load_cause("samples/a-san.xml", 0) == 0);
    CHECK(pf_load_cause("samples/nope.xml", 0) == ENOENT);
    CHECK(pf_load_cause("samples", 0) == EISDIR);
    CHECK(pf_load_cause("samples/a-san.xml", ENOMEM) == ENOMEM);  /* the library said so */
    CHECK(pf_load_cause("samples/a-san.xml", EAGAIN) == 0);       /* not a load's failure */
    CHECK(fds_out() == 0);
    int e = pf_load_cause("samples/a-san.xml", 0);
    fds_back();
    CHECK(e == EMFILE);
}

static void test_libraries(void)
{
    xmlError e = {0};
    e.code = XML_ERR_NO_MEMORY;
    CHECK(pf_xml_errno(&e) == ENOMEM);
    e.code = XML_IO_EMFILE;
    CHECK(pf_xml_errno(&e) == EMFILE);
    e.code = XML_ERR_DOCUMENT_END;
    CHECK(pf_xml_errno(&e) == 0 && pf_xml_errno(NULL) == 0);

    pf_error err = {0};
    CHECK(pf_icu_fail(&err, U_MEMORY_ALLOCATION_ERROR, "ICU を開けません", "cannot open ICU") ==
          PF_EXIT_IO);
    CHECK_STR(err.msg_en, "cannot open ICU: out of memory");
    memset(&err, 0, sizeof err);
    CHECK(pf_icu_fail(&err, U_MISSING_RESOURCE_ERROR, "ICU を開けません", "cannot open ICU") ==
          PF_EXIT_RESOURCE);
    CHECK(strstr(err.msg_en, "U_MISSING_RESOURCE_ERROR") != NULL);
}

/* Each loader, with no descriptor left: exit 4 naming it, never "missing" or "broken". */
static void test_loaders_without_descriptors(void)
{
    pf_error schema_err = {0}, tpl_err = {0}, font_err = {0}, read_err = {0};
    char *data = NULL;
    size_t len;
    pf_template_schema *language = pf_template_schema_load("templates/template.xsd", &tpl_err);
    CHECK(language != NULL);
    CHECK(fds_out() == 0);
    pf_schema *s = pf_schema_load("templates/plan.xsd", &schema_err);
    pf_template *t = pf_template_load("templates/service-use-plan.xml", language, &tpl_err);
    pf_fontset *fs = pf_fontset_load("fonts/chain.conf", &font_err);
    int rc = pf_read_file("samples/a-san.xml", &data, &len, &read_err);
    fds_back();
    const char *nofile = "too many open files";
    CHECK(!s && schema_err.status == PF_EXIT_IO && strstr(schema_err.msg_en, nofile));
    CHECK(!t && tpl_err.status == PF_EXIT_IO && strstr(tpl_err.msg_en, nofile));
    CHECK(!fs && font_err.status == PF_EXIT_IO && strstr(font_err.msg_en, nofile));
    CHECK(rc == PF_EXIT_IO && strstr(read_err.msg_en, nofile));
    pf_schema_free(s);
    pf_template_free(t);
    pf_fontset_free(fs);

    /* and with descriptors, a file that is not there is still the file's problem */
    pf_error missing = {0};
    CHECK(!pf_template_load("templates/nope.xml", language, &missing));
    CHECK(missing.status == PF_EXIT_RESOURCE && strstr(missing.msg_en, "no such file"));
    memset(&missing, 0, sizeof missing);
    CHECK(pf_read_file("samples/nope.xml", &data, &len, &missing) == PF_EXIT_IO);
    CHECK(strstr(missing.msg_en, "cannot open file: no such file") != NULL);
    memset(&missing, 0, sizeof missing);
    CHECK(pf_read_file("samples", &data, &len, &missing) == PF_EXIT_IO);
    CHECK(strstr(missing.msg_en, "is a directory") != NULL);
    pf_template_schema_free(language);
}

void run_tests(void)
{
    test_wording();
    test_load_cause();
    test_libraries();
    test_loaders_without_descriptors();
}
