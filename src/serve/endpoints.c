/* serve/endpoints — each endpoint on the engine, and errors as the CLI's JSON. See endpoints.h. */
#include "serve/endpoints.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/dates.h"
#include "check/check.h"
#include "check/schedule.h"
#include "pdf/encrypt.h"
#include "util/json.h"

static const struct {
    const char *path;
    int posts;
    const char *params;     /* the query parameters it takes, " a b " */
} endpoints[PF_N_ENDPOINTS] = {
    [PF_EP_RENDER] = {"/v1/render", 1, " forms "},
    [PF_EP_VALIDATE] = {"/v1/validate", 1, " forms "},
    [PF_EP_CHECK] = {"/v1/check", 1, " today "},
    [PF_EP_SCHEDULE] = {"/v1/schedule", 1, " today "},
    [PF_EP_DRAFT] = {"/v1/draft-isp", 1, " provider plan "},
    [PF_EP_HEALTHZ] = {"/healthz", 0, " "},
    [PF_EP_METRICS] = {"/metrics", 0, " "},
    [PF_EP_NONE] = {"other", 0, " "},
};

const char *pf_endpoint_path(pf_endpoint ep)
{
    return ep < PF_N_ENDPOINTS ? endpoints[ep].path : "other";
}

pf_endpoint pf_endpoint_find(const char *url)
{
    for (int ep = 0; ep < PF_EP_NONE; ep++)
        if (strcmp(url, endpoints[ep].path) == 0)
            return (pf_endpoint)ep;
    return PF_EP_NONE;
}

int pf_endpoint_posts(pf_endpoint ep)
{
    return ep < PF_N_ENDPOINTS && endpoints[ep].posts;
}

/* "unknown parameter: x" and its kind: usage errors, as the command line's are (exit 2). */
static int param_error(pf_error *err, const char *ja, const char *en, const char *shown_value)
{
    char *shown = pf_path_for_message(shown_value);
    char *j = pf_xasprintf("%s: %s", ja, shown), *e = pf_xasprintf("%s: %s", en, shown);
    pf_error_set(err, PF_EXIT_USAGE, PF_CODE_USAGE, NULL, 0, NULL, NULL, j, e);
    free(j);
    free(e);
    free(shown);
    return PF_EXIT_USAGE;
}

int pf_call_param(pf_call *c, const char *key, const char *value, pf_error *err)
{
    if (strcmp(key, "password") == 0)  /* the value is never echoed */
        return pf_error_set(err, PF_EXIT_USAGE, PF_CODE_USAGE, NULL, 0, NULL, NULL,
                            "パスワードは URL では受け付けません（ログやプロキシに残ります）。"
                            "Planform-Password ヘッダーで送ってください",
                            "a password is not taken in the URL (logs and proxies keep URLs); "
                            "send it in the Planform-Password header");
    char word[64];
    snprintf(word, sizeof word, " %s ", key);
    if (strlen(key) > 40 || !strstr(endpoints[c->ep].params, word))
        return param_error(err, "知らないパラメーターです", "unknown parameter", key);
    value = value ? value : "";
    if (strcmp(key, "forms") == 0) {
        c->forms = pf_forms_parse(value);
        if (!c->forms) {
            pf_buf ja_names = {0}, en_names = {0};
            pf_forms_list(&ja_names, 1);
            pf_forms_list(&en_names, 0);
            char *ja = pf_xasprintf("forms は %sです", ja_names.data);
            char *en = pf_xasprintf("forms takes %s", en_names.data);
            param_error(err, ja, en, value);
            pf_buf_free(&ja_names);
            pf_buf_free(&en_names);
            free(ja);
            free(en);
        }
    } else if (strcmp(key, "today") == 0) {
        c->today = pf_day_number(value);
        if (!c->today)
            param_error(err, "today は実在する日付を 2024-07-01 の形で指定してください",
                        "today takes a date that exists, such as 2024-07-01", value);
    } else if (strcmp(key, "provider") == 0 || strcmp(key, "plan") == 0) {
        char **to = key[1] == 'r' ? &c->provider : &c->plan;
        free(*to);
        *to = pf_xstrdup(value);
    }
    return err->status;
}

int pf_call_ready(const pf_call *c, pf_error *err)
{
    if (c->ep == PF_EP_DRAFT && (!c->provider || !*c->provider))
        return pf_error_set(err, PF_EXIT_USAGE, PF_CODE_USAGE, NULL, 0, NULL, NULL,
                            "draft-isp には provider パラメーターが必要です",
                            "draft-isp takes a provider parameter (?provider=ID)");
    return 0;
}

void pf_call_free(pf_call *c)
{
    if (c->password) {
        /* a volatile pointer, so that the wipe of memory about to be freed is not optimized out */
        volatile char *p = c->password;
        while (*p)
            *p++ = 0;
        free(c->password);
    }
    free(c->provider);
    free(c->plan);
    free(c->body);
    memset(c, 0, sizeof *c);
}

void pf_answer_buf(pf_answer *a, int status, const char *type, pf_buf *b)
{
    a->status = status;
    a->type = type;
    a->body = b->data ? b->data : pf_xstrdup("");
    a->len = b->len;
    *b = (pf_buf){0};
}

void pf_answer_free(pf_answer *a)
{
    free(a->body);
    memset(a, 0, sizeof *a);
}

static int http_status(const pf_error *err)
{
    static const struct {
        const char *code;
        int status;
    } by_code[] = {{"too-large", 413},      {"not-found", 404},     {"method-not-allowed", 405},
                   {"unsupported-media-type", 415}, {"unauthorized", 401}, {"busy", 503},
                   {"out-of-memory", 503},  {"too-many-files", 503}, {"no-thread", 503}};
    for (size_t i = 0; i < sizeof by_code / sizeof by_code[0]; i++)
        if (strcmp(err->code, by_code[i].code) == 0)
            return by_code[i].status;
    /* the input or the request: the client's to fix; fonts, templates, the PDF library, the
     * disk: the server's */
    return err->status == PF_EXIT_INVALID || err->status == PF_EXIT_USAGE ? 400 : 500;
}

void pf_answer_error(pf_answer *a, const pf_error *err)
{
    pf_buf b = {0};
    pf_json_error(&b, err);
    pf_buf_adds(&b, "\n");
    pf_answer_buf(a, http_status(err), "application/json", &b);
    snprintf(a->code, sizeof a->code, "%s", err->code);
}

/* Text a printer writes to a FILE (check's findings, the schedule), as the answer's body. */
typedef void (*printer)(const pf_bundle *b, long today, int quote, FILE *to);

static void print_findings(const pf_bundle *b, long today, int quote, FILE *to)
{
    pf_findings fs = {.quote = quote};
    pf_check(b, today, &fs);
    pf_findings_print(&fs, b->file, 1, to);
    pf_findings_free(&fs);
}

static void print_schedule(const pf_bundle *b, long today, int quote, FILE *to)
{
    (void)quote;
    pf_schedule_print(b, today, 1, to);
}

static void run_printer(const pf_bundle *b, const pf_call *c, printer print, pf_answer *a,
                        pf_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_ERROR, NULL, 0, errno, "応答を作れません",
                       "cannot build the answer");
        return;
    }
    print(b, c->today ? c->today : pf_today_number(), c->quote, f);
    if (fclose(f) != 0 || !text) {
        free(text);
        pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_ERROR, NULL, 0, errno, "応答を作れません",
                       "cannot build the answer");
        return;
    }
    a->status = 200;
    a->type = "application/json";
    a->body = text;
    a->len = len;
}

void pf_call_run(pf_engine *e, const pf_call *c, pf_answer *a)
{
    pf_error err = {0};
    memset(a, 0, sizeof *a);
    unsigned forms = c->forms ? c->forms : PF_FORM_ALL;
    if (c->ep == PF_EP_RENDER) {
        unsigned char *pdf = NULL;
        size_t len = 0;
        if (pf_render(e, PF_REQUEST_NAME, c->body, c->len, forms, &pdf, &len, &err) == 0 &&
            c->password) {
            unsigned char *enc = NULL;
            size_t enc_len = 0;
            if (pf_pdf_encrypt(pdf, len, c->password, &enc, &enc_len, &err) == 0) {
                free(pdf);
                pdf = enc, len = enc_len;
            }
        }
        if (!err.status) {
            a->status = 200;
            a->type = "application/pdf";
            a->body = (char *)pdf;
            a->len = len;
            return;
        }
        free(pdf);
    } else if (c->ep == PF_EP_VALIDATE) {
        if (pf_validate(e, PF_REQUEST_NAME, c->body, c->len, forms, &err) == 0) {
            pf_buf b = {0};  /* the line validate --json writes: {"file": ..., "status": "ok"} */
            pf_buf_adds(&b, "{");
            pf_json_key(&b, "file", 1);
            pf_json_string(&b, PF_REQUEST_NAME);
            pf_json_key(&b, "status", 0);
            pf_buf_adds(&b, "\"ok\"}\n");
            pf_answer_buf(a, 200, "application/json", &b);
            return;
        }
    } else {
        pf_bundle *b = pf_bundle_read(e->schema, PF_REQUEST_NAME, c->body, c->len, &err);
        if (b && c->ep == PF_EP_DRAFT) {
            char *draft = NULL;
            size_t draft_len = 0;
            if (pf_draft_isp(b, c->body, c->len, c->provider, c->plan, &draft, &draft_len,
                             &err) == 0) {
                a->status = 200;
                a->type = "application/xml; charset=utf-8";
                a->body = draft;
                a->len = draft_len;
            }
        } else if (b) {
            run_printer(b, c, c->ep == PF_EP_CHECK ? print_findings : print_schedule, a,
                        &err);
        }
        pf_bundle_free(b);
        if (!err.status)
            return;
    }
    pf_answer_error(a, &err);
}
