/* util/json — see json.h. */
#include "util/json.h"

#include <string.h>

static void escape_cp(pf_buf *b, uint32_t cp)
{
    if (cp > 0xFFFF) {  /* a surrogate pair, as JSON writes what is beyond the BMP */
        cp -= 0x10000;
        pf_buf_printf(b, "\\u%04x\\u%04x", 0xD800 + (unsigned)(cp >> 10),
                      0xDC00 + (unsigned)(cp & 0x3FF));
    } else {
        pf_buf_printf(b, "\\u%04x", (unsigned)cp);
    }
}

void pf_json_string(pf_buf *b, const char *s)
{
    if (!s) {
        pf_buf_adds(b, "null");
        return;
    }
    pf_buf_add(b, "\"", 1);
    size_t len = strlen(s), i = 0;
    while (i < len) {
        size_t at = i;
        int32_t cp = pf_utf8_next(s, len, &i);
        if (cp < 0) {
            pf_buf_adds(b, "\\ufffd");
            i = at + 1;
        } else if (cp == '"' || cp == '\\') {
            pf_buf_add(b, "\\", 1);
            pf_buf_add(b, s + at, 1);
        } else if (cp == '\n') {
            pf_buf_adds(b, "\\n");
        } else if (cp == '\t') {
            pf_buf_adds(b, "\\t");
        } else if (cp == '\r') {
            pf_buf_adds(b, "\\r");
        } else if (pf_cp_hidden((uint32_t)cp)) {
            escape_cp(b, (uint32_t)cp);
        } else {
            pf_buf_add(b, s + at, i - at);
        }
    }
    pf_buf_add(b, "\"", 1);
}

void pf_json_key(pf_buf *b, const char *key, int first)
{
    if (!first)
        pf_buf_adds(b, ", ");
    pf_json_string(b, key);
    pf_buf_adds(b, ": ");
}

static const char *or_null(const char *s)
{
    return s && s[0] ? s : NULL;
}

void pf_json_error(pf_buf *b, const pf_error *e)
{
    pf_buf_add(b, "{", 1);
    pf_json_key(b, "code", 1);
    pf_json_string(b, e->code[0] ? e->code : pf_code_name(pf_code_for_status(e->status)));
    pf_json_key(b, "severity", 0);
    pf_json_string(b, "error");
    pf_json_key(b, "status", 0);
    pf_buf_printf(b, "%d", e->status);
    pf_json_key(b, "file", 0);
    pf_json_string(b, or_null(e->file));
    pf_json_key(b, "line", 0);
    if (e->line > 0)
        pf_buf_printf(b, "%d", e->line);
    else
        pf_buf_adds(b, "null");
    pf_json_key(b, "field", 0);
    pf_json_string(b, or_null(e->field_en));
    pf_json_key(b, "field_ja", 0);
    pf_json_string(b, or_null(e->field_ja));
    pf_json_key(b, "message_ja", 0);
    pf_json_string(b, e->msg_ja);
    pf_json_key(b, "message_en", 0);
    pf_json_string(b, e->msg_en);
    pf_buf_add(b, "}", 1);
}

void pf_error_report(const pf_error *e, int json)
{
    if (!json) {
        pf_error_print(e);
        return;
    }
    pf_buf line = {0};
    pf_json_error(&line, e);
    pf_buf_add(&line, "\n", 1);
    fwrite(line.data, 1, line.len, stderr);
    pf_buf_free(&line);
}
