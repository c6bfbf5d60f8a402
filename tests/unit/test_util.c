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

void run_tests(void)
{
    test_error_fields_cut_on_characters();
    test_path_for_message();
}
