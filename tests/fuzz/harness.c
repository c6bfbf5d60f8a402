/* harness — see harness.h. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/schedule.h"
#include "util/json.h"

_Noreturn void fuzz_fail(const char *what, const pf_error *err)
{
    fprintf(stderr, "fuzz: %s\n", what);
    if (err && err->status)
        pf_error_print(err);
    abort();
}

pf_engine *fuzz_engine(void)
{
    static pf_engine engine;
    static int ready;
    if (!ready) {
        pf_error err = {0};
        if (pf_engine_open(&engine, NULL, 1, NULL, &err))
            fuzz_fail("the engine does not open", &err);
        ready = 1;
    }
    return &engine;
}

/* ---- a strict JSON checker: the grammar of RFC 8259, escapes, and UTF-8 in strings -------- */

static const char *json_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static const char *json_string_end(const char *p, const char *end)
{
    if (p >= end || *p != '"')
        return NULL;
    for (p++; p < end;) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            return p + 1;
        if (c < 0x20)
            return NULL;
        if (c == '\\') {
            if (++p >= end)
                return NULL;
            if (*p == 'u') {
                for (int k = 1; k <= 4; k++)
                    if (p + k >= end || !p[k] || !strchr("0123456789abcdefABCDEF", p[k]))
                        return NULL;
                p += 5;
            } else if (*p && strchr("\"\\/bfnrt", *p)) {
                p++;
            } else {
                return NULL;
            }
            continue;
        }
        size_t i = 0, len = (size_t)(end - p);
        if (pf_utf8_next(p, len, &i) < 0)
            return NULL;
        p += i;
    }
    return NULL;
}

static const char *json_value(const char *p, const char *end, int depth)
{
    p = json_ws(p, end);
    if (p >= end || depth > 64)
        return NULL;
    if (*p == '"')
        return json_string_end(p, end);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        p = json_ws(p + 1, end);
        if (p < end && *p == close)
            return p + 1;
        for (;;) {
            if (close == '}') {
                p = json_string_end(json_ws(p, end), end);
                p = p ? json_ws(p, end) : NULL;
                if (!p || p >= end || *p != ':')
                    return NULL;
                p++;
            }
            p = json_value(p, end, depth + 1);
            p = p ? json_ws(p, end) : NULL;
            if (!p || p >= end)
                return NULL;
            if (*p == close)
                return p + 1;
            if (*p != ',')
                return NULL;
            p++;
        }
    }
    static const char *const words[] = {"true", "false", "null"};
    for (size_t k = 0; k < 3; k++)
        if ((size_t)(end - p) >= strlen(words[k]) && memcmp(p, words[k], strlen(words[k])) == 0)
            return p + strlen(words[k]);
    const char *q = p;
    if (q < end && *q == '-')
        q++;
    if (q >= end || *q < '0' || *q > '9')
        return NULL;
    while (q < end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' ||
                       *q == '+' || *q == '-'))
        q++;
    return q;
}

/* The whole of `text` is one JSON value (or, with `lines`, one a line), and valid UTF-8. */
static int json_ok(const char *text, size_t len, int lines)
{
    if (!pf_utf8_valid(text, len))
        return 0;
    const char *p = text, *end = text + len;
    do {
        const char *line_end = lines ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        const char *stop = line_end ? line_end : end;
        const char *v = json_value(p, stop, 0);
        if (!v || json_ws(v, stop) != stop)
            return 0;
        p = line_end ? line_end + 1 : end;
    } while (lines && p < end);
    return 1;
}

/* Every message on stderr is valid UTF-8 whatever the input (issue 11): the error's parts, and
 * the JSON line --json writes for it, which must parse. Its code is one of the stable ones. */
static void expect_diagnostic(const char *stage, const pf_error *err)
{
    char what[160];
    const char *parts[] = {err->msg_ja, err->msg_en, err->field_ja, err->field_en};
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++)
        if (!pf_utf8_valid(parts[k], strlen(parts[k]))) {
            snprintf(what, sizeof what, "%s: a message that is not UTF-8", stage);
            fuzz_fail(what, err);
        }
    int known = 0;
    for (int c = 1; c < PF_N_CODES; c++)
        known |= strcmp(err->code, pf_code_name((pf_code)c)) == 0;
    if (!known) {
        snprintf(what, sizeof what, "%s: error code \"%.40s\" is not a known one", stage, err->code);
        fuzz_fail(what, err);
    }
    pf_buf line = {0};
    pf_json_error(&line, err);
    int ok = json_ok(line.data, line.len, 0);
    pf_buf_free(&line);
    if (!ok) {
        snprintf(what, sizeof what, "%s: the --json line does not parse", stage);
        fuzz_fail(what, err);
    }
}

/* check --json of the findings parses (the findings quote the input with --verbose). */
static void expect_findings_json(const pf_findings *fs)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    pf_findings_print(fs, "fuzz.xml", 1, f);
    fclose(f);
    if (!json_ok(text, len, 0))
        fuzz_fail("check --json does not parse", NULL);
    free(text);
}

/* A status planform answers bad input with must say what is wrong. */
static void expect_refusal(const char *stage, const pf_error *err, int allowed)
{
    char what[160];
    if (err->status != PF_EXIT_INVALID && err->status != allowed) {
        snprintf(what, sizeof what, "%s: status %d for bad input", stage, err->status);
        fuzz_fail(what, err);
    }
    if (!err->msg_ja[0] || !err->msg_en[0]) {
        snprintf(what, sizeof what, "%s: an error with no message", stage);
        fuzz_fail(what, err);
    }
    expect_diagnostic(stage, err);
}

void fuzz_pipeline(pf_engine *e, const char *xml, size_t len)
{
    pf_error err = {0};
    unsigned char *pdf = NULL;
    size_t pdf_len = 0;
    pf_render_info info = {0};
    int rc = pf_render_named(e, "fuzz.xml", xml, len, PF_FORM_ALL, &pdf, &pdf_len, &info, &err);
    if (rc)
        expect_refusal("render", &err, PF_EXIT_INVALID);
    else if (pdf_len < 16 || memcmp(pdf, "%PDF-", 5) != 0 || !info.person)
        fuzz_fail("render: succeeded without a PDF", NULL);
    free(pdf);
    pf_render_info_free(&info);

    /* what `check`, `schedule` and `draft-isp` do with the same bundle */
    pf_error err2 = {0};
    pf_bundle *b = pf_bundle_read(e->schema, "fuzz.xml", xml, len, &err2);
    if (!b) {
        expect_diagnostic("read", &err2);
        return;
    }
    pf_findings fs = {.quote = 1};
    pf_check(b, 20250101, &fs);
    expect_findings_json(&fs);
    pf_findings_free(&fs);
    for (size_t i = 0; i < b->n_plans; i++) {
        pf_due *due = NULL;
        pf_schedule(b, &b->plans[i], 20250101, &due);
        free(due);
    }
    const char *provider = NULL;
    for (size_t i = 0; i < b->n_plans && !provider; i++)
        for (size_t k = 0; k < b->plans[i].n_needs && !provider; k++)
            for (size_t s = 0; s < b->plans[i].needs[k].n_services && !provider; s++)
                provider = b->plans[i].needs[k].services[s].provider_id.s;
    if (provider) {
        char *draft = NULL;
        size_t draft_len = 0;
        pf_error err3 = {0};
        if (pf_draft_isp(b, xml, len, provider, NULL, &draft, &draft_len, &err3) == 0) {
            /* the draft is a bundle again: read it back */
            pf_error err4 = {0};
            pf_bundle *again = pf_bundle_read(e->schema, "draft.xml", draft, draft_len, &err4);
            pf_bundle_free(again);
        } else {
            expect_refusal("draft-isp", &err3, PF_EXIT_USAGE);
        }
        free(draft);
    }
    pf_bundle_free(b);
}
