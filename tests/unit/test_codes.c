/* Unit tests for the diagnostic codes and the JSON writer: every code has a kebab-case name that
 * the README lists (and the README lists no other), an error never has an empty code, the
 * system's failures get theirs from errno, and JSON strings are escaped so that any text gives
 * valid JSON and valid UTF-8. */
#include <errno.h>
#include <stdlib.h>

#include "util/files.h"
#include "util/json.h"
#include "util/util.h"
#include "unit.h"

static int kebab(const char *s)
{
    if (!s[0] || s[0] == '-' || s[strlen(s) - 1] == '-')
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return 0;
    return 1;
}

/* The codes of README.md's "Diagnostic codes" table, one "`code`" a row, as one string
 * " a b c ". */
static char *readme_codes(void)
{
    char *text;
    size_t len;
    pf_error err = {0};
    if (pf_read_file(PF_DATADIR "/README.md", &text, &len, &err))
        return NULL;
    pf_buf codes = {0};
    pf_buf_adds(&codes, " ");
    const char *p = strstr(text, "### Diagnostic codes");
    const char *end = p ? strstr(p + 1, "\n## ") : NULL;
    for (; p && (!end || p < end) && (p = strstr(p, "\n| `")) != NULL && (!end || p < end);) {
        p += 4;
        size_t n = strcspn(p, "`");
        pf_buf_add(&codes, p, n);
        pf_buf_adds(&codes, " ");
    }
    free(text);
    return codes.data;
}

static void test_codes_listed(void)
{
    char *listed = readme_codes();
    CHECK(listed != NULL);
    if (!listed)
        return;
    size_t in_readme = 0;
    for (const char *p = listed; *p; p++)
        in_readme += *p == ' ';
    in_readme--;
    CHECK(in_readme == PF_N_CODES - 1);  /* no more, no fewer */
    for (int c = 1; c < PF_N_CODES; c++) {
        const char *name = pf_code_name((pf_code)c);
        char word[64];
        snprintf(word, sizeof word, " %s ", name);
        CHECK(kebab(name) && strlen(name) < sizeof ((pf_error *)0)->code);
        if (!strstr(listed, word))
            fprintf(stderr, "  README lacks code %s\n", name);
        CHECK(strstr(listed, word) != NULL);
        for (int d = 1; d < c; d++)
            CHECK(strcmp(name, pf_code_name((pf_code)d)) != 0);
    }
    free(listed);
    CHECK_STR(pf_code_name(PF_CODE_NONE), "");
    CHECK_STR(pf_code_name(PF_N_CODES), "");
}

static void test_code_never_empty(void)
{
    static const struct {
        int status;
        const char *code;
    } want[] = {{1, "invalid-input"}, {2, "usage"}, {3, "data-broken"}, {4, "io-error"},
                {130, "interrupted"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        pf_error e = {0};
        pf_error_set(&e, want[i].status, PF_CODE_NONE, NULL, 0, NULL, NULL, "あ", "a");
        CHECK_STR(e.code, want[i].code);
    }
    pf_error e = {0};
    pf_error_set(&e, 1, PF_CODE_BROKEN_LINK, "a.xml", 3, NULL, NULL, "あ", "a");
    pf_error_set(&e, 4, PF_CODE_IO_WRITE, "b.xml", 0, NULL, NULL, "い", "b");  /* first wins */
    CHECK_STR(e.code, "broken-link");
    CHECK(e.status == 1);
}

static void test_codes_from_errno(void)
{
    static const struct {
        int e, status;
        const char *code;
    } want[] = {{ENOSPC, 4, "no-space"},        {EDQUOT, 4, "no-space"},
                {ENOMEM, 4, "out-of-memory"},   {EMFILE, 4, "too-many-files"},
                {ENFILE, 4, "too-many-files"},  {EAGAIN, 4, "no-thread"},
                {ENOENT, 3, "font-missing"},    {EACCES, 3, "font-missing"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        pf_error e = {0};
        pf_error_errno(&e, PF_EXIT_RESOURCE, PF_CODE_FONT_MISSING, "f.ttf", 0, want[i].e,
                       "読めません", "cannot read");
        CHECK_STR(e.code, want[i].code);
        CHECK(e.status == want[i].status);
    }
}

static void test_messages_made_utf8(void)
{
    pf_error e = {0};
    pf_error_set(&e, 1, PF_CODE_NONE, "a\xff.xml", 0, "\xe3\x81", "f\x80", "x\xffy", "\xc0\xaf");
    CHECK_STR(e.msg_ja, "x\xef\xbf\xbdy");
    CHECK_STR(e.msg_en, "\xef\xbf\xbd\xef\xbf\xbd");  /* an overlong '/' is two bad bytes */
    CHECK_STR(e.field_en, "f\xef\xbf\xbd");
    CHECK_STR(e.file, "a\xff.xml");  /* the name as it is: printers escape it */
}

static void test_json_string(void)
{
    pf_buf b = {0};
    pf_json_string(&b, "q\"b\\n\nt\tc\x01" "d\x7f" "e\xe2\x80\xae" "f\xf3\xa0\x80\x81" "g\xff" "髙");
    CHECK_STR(b.data, "\"q\\\"b\\\\n\\nt\\tc\\u0001d\\u007fe\\u202ef\\udb40\\udc01g\\ufffd髙\"");
    pf_buf_free(&b);
    pf_json_string(&b, NULL);
    CHECK_STR(b.data, "null");
    pf_buf_free(&b);
}

static void test_json_error(void)
{
    pf_error e = {0};
    pf_error_set(&e, 1, PF_CODE_INVALID_DATE, "a.xml", 12, "作成日", "created",
                 "存在しない日付です", "not a date");
    pf_buf b = {0};
    pf_json_error(&b, &e);
    CHECK_STR(b.data, "{\"code\": \"invalid-date\", \"severity\": \"error\", \"status\": 1, "
                      "\"file\": \"a.xml\", \"line\": 12, \"field\": \"created\", \"field_ja\": "
                      "\"作成日\", \"message_ja\": \"存在しない日付です\", \"message_en\": "
                      "\"not a date\"}");
    pf_buf_free(&b);
    pf_error none = {0};
    pf_error_set(&none, 4, PF_CODE_NONE, NULL, 0, NULL, NULL, "あ", "a");
    pf_json_error(&b, &none);
    CHECK(strstr(b.data, "\"file\": null, \"line\": null, \"field\": null, \"field_ja\": null"));
    pf_buf_free(&b);
}

void run_tests(void)
{
    test_codes_listed();
    test_code_never_empty();
    test_codes_from_errno();
    test_messages_made_utf8();
    test_json_string();
    test_json_error();
}
