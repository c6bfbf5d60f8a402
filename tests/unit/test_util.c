/* Unit tests for util: errors keep valid UTF-8 when cut to their fields; paths in messages
 * are escaped. */
#include <stdlib.h>

#include "util/util.h"
#include "unit.h"

/* Whether s is valid UTF-8 throughout. */
static int valid_utf8(const char *s)
{
    size_t len = strlen(s), i = 0;
    while (i < len)
        if (pf_utf8_next(s, len, &i) < 0)
            return 0;
    return 1;
}

static void test_error_fields_cut_on_characters(void)
{
    /* every offset of a three-byte character against the 1024-byte message field */
    for (int shift = 0; shift < 3; shift++) {
        pf_buf b = {0};
        for (int i = 0; i < shift; i++)
            pf_buf_adds(&b, "x");
        while (b.len < 3000)
            pf_buf_adds(&b, "あ");
        pf_error e = {0};
        pf_error_set(&e, 1, PF_CODE_NONE, b.data, 0, b.data, b.data, b.data, b.data);
        CHECK(valid_utf8(e.msg_ja) && valid_utf8(e.msg_en) && valid_utf8(e.file));
        CHECK(valid_utf8(e.field_ja) && valid_utf8(e.field_en));
        CHECK(strlen(e.msg_ja) >= sizeof e.msg_ja - 4);  /* cut, not emptied */
        pf_buf_free(&b);
    }
}

static void test_path_for_message(void)
{
    char *p = pf_path_for_message("a\nb\xc2\x9b" "c\xe2\x80\xae" "d\xe2\x80\xa8" "e");
    CHECK_STR(p, "a\\x0Ab\\u009Bc\\u202Ed\\u2028e");
    free(p);
    p = pf_path_for_message("髙橋_𠮷郎.xml");
    CHECK_STR(p, "髙橋_𠮷郎.xml");
    free(p);
}

/* pf_error_locate fills in where an error happened only where the error lacks it: the module
 * that raised it (text/) did not know the file; the caller does. */
static void test_error_locate(void)
{
    pf_error none = {0};
    CHECK(pf_error_locate(&none, "a.xml", 5, "日付", "date") == 0);
    CHECK_STR(none.file, "");  /* no error: nothing to locate */
    CHECK(none.line == 0);

    pf_error e = {0};
    pf_error_set(&e, PF_EXIT_INVALID, PF_CODE_INVALID_DATE, NULL, 0, NULL, NULL, "日付が正しくありません",
                 "not a date");
    CHECK(pf_error_locate(&e, NULL, 12, "作成日", "created") == PF_EXIT_INVALID);
    CHECK(e.line == 12);
    CHECK_STR(e.field_en, "created");
    CHECK_STR(e.file, "");
    CHECK(pf_error_locate(&e, "a.xml", 99, "日付", "date") == PF_EXIT_INVALID);
    CHECK_STR(e.file, "a.xml");   /* the file, added by the caller that knows it */
    CHECK(e.line == 12);          /* the line and field the inner caller said stay */
    CHECK_STR(e.field_en, "created");
    CHECK_STR(e.msg_en, "not a date");
    CHECK_STR(e.code, "invalid-date");
}

void run_tests(void)
{
    test_error_fields_cut_on_characters();
    test_path_for_message();
    test_error_locate();
}
