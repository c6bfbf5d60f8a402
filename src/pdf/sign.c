/* pdf/sign — PAdES B-B signature as an incremental update. See sign.h. */
#include "pdf/sign.h"

#include "pdf/qpdflib.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The /ByteRange placeholder's width inside its brackets: four numbers of up to 10 digits. */
#define RANGE_WIDTH 44

/* ---- the incremental update -------------------------------------------------------------- */

static int sign_failed(pf_error *err, const char *name, const char *why_ja, const char *why_en)
{
    char *ja = pf_xasprintf("PDF に署名できません: %s", why_ja);
    char *en = pf_xasprintf("cannot sign the PDF: %s", why_en);
    int rc = pf_error_set(err, PF_EXIT_IO, PF_CODE_SIGN_FAILED, name, 0, NULL, NULL, ja, en);
    free(ja);
    free(en);
    return rc;
}

/* The offset that the file's last startxref gives: where the previous cross-reference section
 * starts, for the update's /Prev. */
static long last_startxref(const unsigned char *pdf, size_t len)
{
    static const char kw[] = "startxref";
    const size_t kl = sizeof kw - 1;
    if (len < kl)
        return -1;
    size_t stop = len > 1024 ? len - 1024 : 0;
    for (size_t i = len - kl + 1; i-- > stop;) {
        if (memcmp(pdf + i, kw, kl) == 0) {
            size_t j = i + kl;
            while (j < len && (pdf[j] == ' ' || pdf[j] == '\r' || pdf[j] == '\n'))
                j++;
            long v = 0;
            size_t digits = 0;
            while (j < len && pdf[j] >= '0' && pdf[j] <= '9' && digits < 15)
                v = v * 10 + (pdf[j++] - '0'), digits++;
            return digits && (size_t)v < len ? v : -1;
        }
    }
    return -1;
}

/* What the update writes, with each object's offset for the xref section. */
typedef struct update {
    pf_buf b;
    size_t base;            /* the original file's length: offsets are base + b.len */
    struct entry {
        int id, gen;
        size_t offset;
    } entries[4];
    size_t n;
} update;

static void obj_begin(update *u, int id, int gen)
{
    u->entries[u->n++] = (struct entry){id, gen, u->base + u->b.len};
    pf_buf_printf(&u->b, "%d %d obj\n<<", id, gen);
}

/* " /Key value" as PDF text (qpdf's unparse; its strings live until the next call: copied). */
static void put_entry(update *u, qpdf_data q, const char *key, qpdf_oh value)
{
    qpdf_oh name = QP(qpdf_oh_new_name)(q, key);
    pf_buf_adds(&u->b, " ");
    pf_buf_adds(&u->b, QP(qpdf_oh_unparse)(q, name));
    pf_buf_adds(&u->b, " ");
    pf_buf_adds(&u->b, QP(qpdf_oh_unparse)(q, value));
    QP(qpdf_oh_release)(q, name);
}

/* Every entry of dictionary `dict` but those named in `skip` (NULL-terminated). */
static void put_entries_but(update *u, qpdf_data q, qpdf_oh dict, const char *const *skip)
{
    /* the keys first: qpdf's iterator is one per qpdf_data, and unparse must not disturb it */
    char **keys = NULL;
    size_t n = 0, cap = 0;
    QP(qpdf_oh_begin_dict_key_iter)(q, dict);
    while (QP(qpdf_oh_dict_more_keys)(q)) {
        PF_GROW(keys, n, cap);
        keys[n++] = pf_xstrdup(QP(qpdf_oh_dict_next_key)(q));
    }
    for (size_t i = 0; i < n; i++) {
        int skipped = 0;
        for (const char *const *s = skip; *s; s++)
            skipped |= strcmp(keys[i], *s) == 0;
        if (!skipped) {
            qpdf_oh v = QP(qpdf_oh_get_key)(q, dict, keys[i]);
            put_entry(u, q, keys[i], v);
            QP(qpdf_oh_release)(q, v);
        }
        free(keys[i]);
    }
    free(keys);
}

/* The items of array `key` of `dict` (direct or indirect), each as PDF text with a space
 * before it; nothing when there is no such array. */
static void put_items(update *u, qpdf_data q, qpdf_oh dict, const char *key)
{
    qpdf_oh a = QP(qpdf_oh_get_key)(q, dict, key);
    if (QP(qpdf_oh_is_array)(q, a)) {
        int n = QP(qpdf_oh_get_array_n_items)(q, a);
        for (int i = 0; i < n; i++) {
            qpdf_oh item = QP(qpdf_oh_get_array_item)(q, a, i);
            pf_buf_adds(&u->b, " ");
            pf_buf_adds(&u->b, QP(qpdf_oh_unparse)(q, item));
            QP(qpdf_oh_release)(q, item);
        }
    }
    QP(qpdf_oh_release)(q, a);
}

/* Whether a field of the AcroForm `acro` already has the partial name `t`. */
static int field_named(qpdf_data q, qpdf_oh acro, const char *t)
{
    int found = 0;
    qpdf_oh fields = QP(qpdf_oh_get_key)(q, acro, "/Fields");
    int n = QP(qpdf_oh_is_array)(q, fields) ? QP(qpdf_oh_get_array_n_items)(q, fields) : 0;
    for (int i = 0; i < n && !found; i++) {
        qpdf_oh f = QP(qpdf_oh_get_array_item)(q, fields, i);
        qpdf_oh name = QP(qpdf_oh_get_key)(q, f, "/T");
        found = QP(qpdf_oh_is_string)(q, name) && strcmp(QP(qpdf_oh_get_utf8_value)(q, name), t) == 0;
        QP(qpdf_oh_release)(q, name);
        QP(qpdf_oh_release)(q, f);
    }
    QP(qpdf_oh_release)(q, fields);
    return found;
}

/* /M: the signing time, local, as a PDF date (D:20240410093000+09'00'). */
static void signing_time(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    char zone[8] = "";
    localtime_r(&now, &tm);
    size_t n = strftime(out, 32, "D:%Y%m%d%H%M%S", &tm);
    if (strftime(zone, sizeof zone, "%z", &tm) == 5)  /* +0900 → +09'00' */
        snprintf(out + n, 32 - n, "%c%.2s'%.2s'", zone[0], zone + 1, zone + 3);
    else
        snprintf(out + n, 32 - n, "Z");
}

static int by_id(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* The cross-reference section of the update and its trailer. */
static void put_xref(update *u, qpdf_data q, qpdf_oh trailer, int size, long prev, int root_id,
                     int root_gen)
{
    qsort(u->entries, u->n, sizeof u->entries[0], by_id);
    size_t xref_at = u->base + u->b.len;
    pf_buf_adds(&u->b, "xref\n");
    for (size_t i = 0; i < u->n;) {
        size_t run = 1;
        while (i + run < u->n && u->entries[i + run].id == u->entries[i].id + (int)run)
            run++;
        pf_buf_printf(&u->b, "%d %zu\n", u->entries[i].id, run);
        for (size_t k = i; k < i + run; k++)  /* each entry exactly 20 bytes */
            pf_buf_printf(&u->b, "%010zu %05d n \n", u->entries[k].offset, u->entries[k].gen);
        i += run;
    }
    pf_buf_printf(&u->b, "trailer\n<< /Size %d /Root %d %d R", size, root_id, root_gen);
    static const char *const carried[] = {"/Info", "/ID"};
    for (size_t i = 0; i < 2; i++)
        if (QP(qpdf_oh_has_key)(q, trailer, carried[i])) {
            qpdf_oh v = QP(qpdf_oh_get_key)(q, trailer, carried[i]);
            put_entry(u, q, carried[i], v);
            QP(qpdf_oh_release)(q, v);
        }
    pf_buf_printf(&u->b, " /Prev %ld >>\nstartxref\n%zu\n%%%%EOF\n", prev, xref_at);
}

/* Write the update for the PDF read into `q`. Sets the offsets (within the update) of the
 * /ByteRange placeholder and of the /Contents hex string's '<'. */
static int write_update(update *u, qpdf_data q, const unsigned char *pdf, size_t len,
                        size_t reserve, size_t *range_at, size_t *contents_at,
                        const char *name, pf_error *err)
{
    long prev = last_startxref(pdf, len);
    if (prev < 0)
        return sign_failed(err, name, "startxref がありません", "no startxref");
    if (QP(qpdf_is_encrypted)(q))
        return sign_failed(err, name, "暗号化された PDF です", "the PDF is encrypted");
    if (QP(qpdf_get_num_pages)(q) < 1)
        return sign_failed(err, name, "ページがありません", "the PDF has no page");
    qpdf_oh trailer = QP(qpdf_get_trailer)(q), root = QP(qpdf_get_root)(q), page = QP(qpdf_get_page_n)(q, 0);
    qpdf_oh size_oh = QP(qpdf_oh_get_key)(q, trailer, "/Size");
    int size = QP(qpdf_oh_get_int_value_as_int)(q, size_oh);
    QP(qpdf_oh_release)(q, size_oh);
    int root_id = QP(qpdf_oh_get_object_id)(q, root), root_gen = QP(qpdf_oh_get_generation)(q, root);
    int page_id = QP(qpdf_oh_get_object_id)(q, page), page_gen = QP(qpdf_oh_get_generation)(q, page);
    if (size < 1 || size > INT_MAX - 2 || root_id <= 0 || page_id <= 0) {
        QP(qpdf_oh_release_all)(q);
        return sign_failed(err, name, "相互参照表を読めません",
                           "cannot read the cross-reference table");
    }
    int sig_id = size, field_id = size + 1;
    qpdf_oh acro = QP(qpdf_oh_get_key)(q, root, "/AcroForm");  /* null when there is none */
    char field_name[48] = "planform-signature";
    for (int k = 2; field_named(q, acro, field_name) && k < 1000; k++)
        snprintf(field_name, sizeof field_name, "planform-signature-%d", k);

    u->b.len = 0;
    if (len && pdf[len - 1] != '\n' && pdf[len - 1] != '\r')
        pf_buf_adds(&u->b, "\n");
    /* the signature dictionary: /ByteRange and /Contents are filled in once the file is whole */
    char when[32];
    signing_time(when);
    obj_begin(u, sig_id, 0);
    pf_buf_printf(&u->b, " /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached"
                         " /M (%s) /ByteRange [", when);
    *range_at = u->b.len;
    pf_buf_printf(&u->b, "%*s] /Contents <", RANGE_WIDTH, "");
    *contents_at = u->b.len - 1;
    for (size_t i = 0; i < reserve * 2; i++)
        pf_buf_add(&u->b, "0", 1);
    pf_buf_adds(&u->b, "> >>\nendobj\n");
    /* the field, merged with its widget: invisible, printed with the page (nothing to print),
     * locked */
    obj_begin(u, field_id, 0);
    pf_buf_printf(&u->b, " /Type /Annot /Subtype /Widget /FT /Sig /T (%s) /V %d 0 R /F 132"
                         " /Rect [0 0 0 0] /P %d %d R >>\nendobj\n",
                  field_name, sig_id, page_id, page_gen);
    /* page 1 with the widget among its annotations */
    static const char *const page_skip[] = {"/Annots", NULL};
    obj_begin(u, page_id, page_gen);
    put_entries_but(u, q, page, page_skip);
    pf_buf_adds(&u->b, " /Annots [");
    put_items(u, q, page, "/Annots");
    pf_buf_printf(&u->b, " %d 0 R] >>\nendobj\n", field_id);
    /* the catalog with the AcroForm: the fields it had, then the signature */
    static const char *const root_skip[] = {"/AcroForm", NULL};
    obj_begin(u, root_id, root_gen);
    put_entries_but(u, q, root, root_skip);
    /* ETSI.CAdES.detached is PDF 2.0's (ISO 32000-2), declared to 1.7 readers as the ESIC
     * extension, as PAdES says */
    if (!QP(qpdf_oh_has_key)(q, root, "/Version") && len > 8 && memcmp(pdf, "%PDF-1.", 7) == 0 &&
        pdf[7] < '7')
        pf_buf_adds(&u->b, " /Version /1.7");
    if (!QP(qpdf_oh_has_key)(q, root, "/Extensions"))
        pf_buf_adds(&u->b, " /Extensions << /ESIC << /BaseVersion /1.7 /ExtensionLevel 2 >> >>");
    pf_buf_adds(&u->b, " /AcroForm <<");
    static const char *const acro_skip[] = {"/Fields", "/SigFlags", NULL};
    if (QP(qpdf_oh_is_dictionary)(q, acro))
        put_entries_but(u, q, acro, acro_skip);
    pf_buf_adds(&u->b, " /Fields [");
    if (QP(qpdf_oh_is_dictionary)(q, acro))
        put_items(u, q, acro, "/Fields");
    /* SigFlags 3: signatures exist; the file is to be changed only by appending */
    pf_buf_printf(&u->b, " %d 0 R] /SigFlags 3 >> >>\nendobj\n", field_id);
    /* A classic xref section: planform's PDFs (libharu's and the print file) have classic
     * tables. After a cross-reference stream this is a hybrid that poppler and qpdf read. */
    put_xref(u, q, trailer, size + 2, prev, root_id, root_gen);
    QP(qpdf_oh_release_all)(q);
    return 0;
}

int pf_pdf_sign(const pf_signer *s, const unsigned char *pdf, size_t len, const char *name,
                unsigned char **out, size_t *out_len, pf_error *err)
{
    const size_t reserve = pf_signer_reserve(s);
    if (pf_qpdf_load("PDF の署名", "signed PDFs", err))
        return err->status;
    qpdf_data q = QP(qpdf_init)();
    if (!q)
        pf_out_of_memory(0);
    QP(qpdf_silence_errors)(q);
    QP(qpdf_set_suppress_warnings)(q, QPDF_TRUE);
    QP(qpdf_read_memory)(q, "planform", (const char *)pdf, len, NULL);
    update u = {.base = len};
    size_t range_at = 0, contents_at = 0;
    int rc = 0;
    if (QP(qpdf_has_error)(q)) {
        qpdf_error e = QP(qpdf_get_error)(q);
        const char *detail = e ? QP(qpdf_get_error_message_detail)(q, e) : NULL;
        rc = sign_failed(err, name, detail && *detail ? detail : "qpdf",
                         detail && *detail ? detail : "qpdf");
    } else {
        rc = write_update(&u, q, pdf, len, reserve, &range_at, &contents_at, name, err);
    }
    QP(qpdf_cleanup)(&q);
    if (rc) {
        pf_buf_free(&u.b);
        return rc;
    }
    /* the whole file, then the byte ranges around the /Contents string, then the CMS in it */
    size_t total = len + u.b.len;
    unsigned char *f = pf_xmalloc(total);
    memcpy(f, pdf, len);
    memcpy(f + len, u.b.data, u.b.len);
    pf_buf_free(&u.b);
    size_t lt = len + contents_at, gt = lt + 2 + reserve * 2;  /* just past '>' */
    char range[RANGE_WIDTH + 1];
    int n = snprintf(range, sizeof range, "0 %zu %zu %zu", lt, gt, total - gt);
    if (n < 0 || n > RANGE_WIDTH) {
        free(f);
        return sign_failed(err, name, "ファイルが大きすぎます", "the file is too large");
    }
    memset(f + len + range_at, ' ', RANGE_WIDTH);
    memcpy(f + len + range_at, range, (size_t)n);
    unsigned char *signed_bytes = pf_xmalloc(lt + (total - gt));
    memcpy(signed_bytes, f, lt);
    memcpy(signed_bytes + lt, f + gt, total - gt);
    unsigned char *der = NULL;
    size_t der_len = 0;
    rc = pf_signer_cms(s, signed_bytes, lt + (total - gt), &der, &der_len);
    free(signed_bytes);
    if (rc || der_len > reserve) {
        free(der);
        free(f);
        return sign_failed(err, name, "CMS 署名を作れません (OpenSSL)",
                           "OpenSSL could not make the CMS signature");
    }
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < der_len; i++) {
        f[lt + 1 + 2 * i] = (unsigned char)hex[der[i] >> 4];
        f[lt + 1 + 2 * i + 1] = (unsigned char)hex[der[i] & 15];
    }
    free(der);
    *out = f;
    *out_len = total;
    return 0;
}
