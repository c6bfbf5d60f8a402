/* api — libplanform's public functions (include/planform.h) over the engine the command line
 * uses (render.h). Nothing here renders or checks: it holds an engine, turns its pf_error into
 * the public planform_error, and copies findings into structs the caller frees.
 *
 * Only the functions declared in planform.h are exported from the shared library: the objects
 * are compiled with -fvisibility=hidden, and PLANFORM_API marks these as default. */
#include "planform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/dates.h"
#include "check/check.h"
#include "pdf/encrypt.h"
#include "render.h"

/* The status values are the command's exit codes: one list, two names. */
_Static_assert((int)PLANFORM_INVALID == (int)PF_EXIT_INVALID &&
                   (int)PLANFORM_USAGE == (int)PF_EXIT_USAGE &&
                   (int)PLANFORM_RESOURCE == (int)PF_EXIT_RESOURCE &&
                   (int)PLANFORM_IO == (int)PF_EXIT_IO,
               "planform.h statuses are planform's exit codes");
_Static_assert((int)PLANFORM_INFO == (int)PF_INFO && (int)PLANFORM_WARNING == (int)PF_WARNING &&
                   (int)PLANFORM_ERROR == (int)PF_ERROR,
               "planform.h severities are check's");

struct planform_engine {
    pf_engine engine;
    pf_read_options reading;
};

/* A public error and the internal one its strings point into, allocated together. */
typedef struct error_box {
    planform_error pub;
    pf_error raw;
} error_box;

const char *planform_version(void) { return PLANFORM_VERSION; }

/* Hand `raw` (status set) to the caller as *err, when the caller asked for it. */
static int give_error(const pf_error *raw, planform_error **err)
{
    if (err) {
        error_box *box = pf_xcalloc(1, sizeof *box);
        box->raw = *raw;
        box->pub = (planform_error){.status = raw->status,
                                    .code = box->raw.code,
                                    .file = box->raw.file,
                                    .line = raw->line,
                                    .field_ja = box->raw.field_ja,
                                    .field_en = box->raw.field_en,
                                    .message_ja = box->raw.msg_ja,
                                    .message_en = box->raw.msg_en,
                                    .sys_errno = raw->sys_errno};
        *err = &box->pub;
    }
    return raw->status;
}

/* A bad argument, as PLANFORM_USAGE. */
static int usage(planform_error **err, const char *ja, const char *en)
{
    pf_error raw = {0};
    pf_error_set(&raw, PF_EXIT_USAGE, PF_CODE_USAGE, "", 0, NULL, NULL, ja, en);
    return give_error(&raw, err);
}

void planform_error_free(planform_error *err)
{
    /* pub is the box's first member: the error is the box */
    free(err);
}

void planform_free(void *p) { free(p); }

planform_engine *planform_open(const char *datadir, unsigned flags, planform_error **err)
{
    if (err)
        *err = NULL;
    planform_engine *e = pf_xcalloc(1, sizeof *e);
    e->reading = (pf_read_options){PF_MAX_INPUT, (flags & PLANFORM_VERBOSE) != 0};
    pf_error raw = {0};
    if (pf_engine_open(&e->engine, datadir, 1, &e->reading, &raw)) {
        give_error(&raw, err);
        pf_engine_close(&e->engine);
        free(e);
        return NULL;
    }
    e->engine.no_signature_fields = (flags & PLANFORM_NO_SIGNATURE_FIELDS) != 0;
    return e;
}

void planform_close(planform_engine *e)
{
    if (!e)
        return;
    pf_engine_close(&e->engine);
    free(e);
}

int planform_set_max_input(planform_engine *e, size_t bytes)
{
    if (!e || bytes == 0 || bytes > ((size_t)1 << 31))
        return PLANFORM_USAGE;
    e->reading.max_bytes = bytes;
    pf_schema_set_options(e->engine.schema, &e->reading);
    return 0;
}

/* The checks every bundle call starts with. */
static int bad_call(const planform_engine *e, const void *xml, planform_error **err)
{
    if (err)
        *err = NULL;
    if (!e || !xml)
        return usage(err, "エンジンと XML のバイト列を渡してください",
                     "an engine and the bytes of the XML are needed");
    return 0;
}

/* Forms as --form names ("plan,isp"; NULL: all) → PF_FORM_* bits, or 0 with *err set. */
static unsigned form_bits(const char *forms, planform_error **err)
{
    unsigned bits = pf_forms_parse(forms ? forms : "all");
    if (!bits) {
        pf_buf ja_names = {0}, en_names = {0};
        pf_forms_list(&ja_names, 1);
        pf_forms_list(&en_names, 0);
        char *ja = pf_xasprintf("様式は %sです", ja_names.data);
        char *en = pf_xasprintf("forms are %s", en_names.data);
        usage(err, ja, en);
        pf_buf_free(&ja_names);
        pf_buf_free(&en_names);
        free(ja);
        free(en);
    }
    return bits;
}

int planform_validate(planform_engine *e, const char *name, const void *xml, size_t len,
                      const char *forms, planform_error **err)
{
    int rc = bad_call(e, xml, err);
    if (rc)
        return rc;
    unsigned bits = form_bits(forms, err);
    if (!bits)
        return PLANFORM_USAGE;
    pf_error raw = {0};
    if (pf_validate(&e->engine, name ? name : "<memory>", xml, len, bits, &raw))
        return give_error(&raw, err);
    return 0;
}

int planform_render(planform_engine *e, const char *name, const void *xml, size_t len,
                    const char *forms, const char *password, unsigned char **pdf,
                    size_t *pdf_len, planform_error **err)
{
    if (pdf)
        *pdf = NULL;
    if (pdf_len)
        *pdf_len = 0;
    int rc = bad_call(e, xml, err);
    if (rc)
        return rc;
    if (!pdf || !pdf_len)
        return usage(err, "PDF を受け取る場所を渡してください", "pdf and pdf_len are needed");
    unsigned bits = form_bits(forms, err);
    if (!bits)
        return PLANFORM_USAGE;
    if (password && !password[0])  /* a PDF that opens without asking: not what was meant */
        return usage(err, "パスワードが空です（暗号化しないときは NULL を渡してください）",
                     "the password is empty (pass NULL for no encryption)");
    if (password && strlen(password) > PF_PASSWORD_MAX)
        return usage(err, "パスワードが長すぎます（127 バイトまで）",
                     "the password is longer than 127 bytes");
    pf_error raw = {0};
    if (password && pf_encrypt_available(&raw))  /* before the work, not after */
        return give_error(&raw, err);
    unsigned char *out = NULL;
    size_t out_len = 0;
    if (pf_render(&e->engine, name ? name : "<memory>", xml, len, bits, &out, &out_len, &raw)) {
        free(out);
        return give_error(&raw, err);
    }
    if (password) {
        unsigned char *enc;
        size_t enc_len;
        int st = pf_pdf_encrypt(out, out_len, password, &enc, &enc_len, &raw);
        free(out);  /* the unencrypted bytes never reach the caller */
        if (st)
            return give_error(&raw, err);
        out = enc, out_len = enc_len;
    }
    *pdf = out;
    *pdf_len = out_len;
    return 0;
}

/* ---- findings ---- */

struct planform_findings {
    planform_finding *items;
    pf_findings raw;        /* the messages the items point into */
    char *file;
    size_t n;
};

int planform_check(planform_engine *e, const char *name, const void *xml, size_t len,
                   const char *today, planform_findings **findings, planform_error **err)
{
    if (findings)
        *findings = NULL;
    int rc = bad_call(e, xml, err);
    if (rc)
        return rc;
    if (!findings)
        return usage(err, "所見を受け取る場所を渡してください", "findings is needed");
    long day = today ? pf_day_number(today) : pf_today_number();
    if (!day)
        return usage(err, "today は実在する日付を 2024-07-01 の形で指定してください",
                     "today takes a date that exists, such as 2024-07-01");
    const char *shown = name ? name : "<memory>";
    pf_error raw = {0};
    pf_bundle *b = pf_bundle_read(e->engine.schema, shown, xml, len, &raw);
    if (!b)
        return give_error(&raw, err);
    planform_findings *out = pf_xcalloc(1, sizeof *out);
    out->raw.quote = e->reading.verbose;
    pf_check(b, day, &out->raw);
    pf_bundle_free(b);
    out->file = pf_xstrdup(shown);
    out->n = out->raw.n;
    out->items = pf_xcalloc(out->n ? out->n : 1, sizeof *out->items);
    for (size_t i = 0; i < out->n; i++) {
        const pf_finding *f = &out->raw.f[i];
        out->items[i] = (planform_finding){.severity = (int)f->severity,
                                           .rule = f->rule,
                                           .message_ja = f->msg_ja,
                                           .message_en = f->msg_en,
                                           .file = out->file,
                                           .line = f->line};
    }
    *findings = out;
    return 0;
}

size_t planform_findings_count(const planform_findings *fs) { return fs ? fs->n : 0; }

const planform_finding *planform_finding_at(const planform_findings *fs, size_t i)
{
    return fs && i < fs->n ? &fs->items[i] : NULL;
}

void planform_findings_free(planform_findings *fs)
{
    if (!fs)
        return;
    free(fs->items);
    pf_findings_free(&fs->raw);
    free(fs->file);
    free(fs);
}
