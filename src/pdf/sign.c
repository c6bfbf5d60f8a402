/* pdf/sign — PAdES B-B signature as an incremental update. See sign.h. */
#include "pdf/sign.h"

#include <errno.h>
#include <limits.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util/files.h"

struct pf_signer {
    EVP_PKEY *key;
    X509 *cert;
    STACK_OF(X509) *chain;  /* more certificates to embed; NULL: none */
    size_t reserve;         /* bytes of CMS the /Contents placeholder holds */
};

/* PEM files are small; anything larger is not one. */
#define PEM_MAX (1u << 20)
/* Room for what varies from one signature to the next (an ECDSA signature's length) and for
 * what the trial signature of pf_signer_load did not have. */
#define RESERVE_SLACK 512
/* The /ByteRange placeholder's width inside its brackets: four numbers of up to 10 digits. */
#define RANGE_WIDTH 44

/* ---- loading the key and the certificates ------------------------------------------------ */

/* No passphrase is ever asked for (a batch has no one to ask): an encrypted key is refused. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf, (void)size, (void)rwflag, (void)u;
    return -1;
}

static int read_pem(const char *path, char **data, size_t *len, pf_error *err)
{
    if (pf_read_file_max(path, PEM_MAX, data, len, err))
        return err->status;
    if (*len > PEM_MAX) {
        free(*data);
        return pf_error_set(err, PF_EXIT_USAGE, PF_CODE_SIGN_CERT_INVALID, path, 0, NULL, NULL,
                            "PEM ファイルとしては大きすぎます", "too large for a PEM file");
    }
    return 0;
}

/* Every certificate of a PEM file, in order; 0 when it has none. */
static int read_certs(const char *path, STACK_OF(X509) **out, pf_error *err)
{
    char *data;
    size_t len;
    if (read_pem(path, &data, &len, err))
        return err->status;
    BIO *bio = BIO_new_mem_buf(data, (int)len);
    STACK_OF(X509) *certs = sk_X509_new_null();
    if (!bio || !certs)
        pf_out_of_memory(0);
    X509 *c;
    while ((c = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL)))
        if (!sk_X509_push(certs, c))
            pf_out_of_memory(0);
    ERR_clear_error();  /* the end of the file reads as "no start line" */
    BIO_free(bio);
    free(data);
    if (sk_X509_num(certs) == 0) {
        sk_X509_free(certs);
        return pf_error_set(err, PF_EXIT_USAGE, PF_CODE_SIGN_CERT_INVALID, path, 0, NULL, NULL,
                            "PEM 形式の証明書がありません（-----BEGIN CERTIFICATE-----）",
                            "no certificate in PEM form (-----BEGIN CERTIFICATE-----)");
    }
    *out = certs;
    return 0;
}

/* The key, refused when group or others may read (or write) its file, as ssh refuses one:
 * a signing key that others can read signs for anyone. */
static int read_key(const char *path, EVP_PKEY **out, pf_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_READ, path, 0, errno,
                              "署名鍵のファイルを開けません", "cannot open the signing key file");
    if (S_ISREG(st.st_mode) && (st.st_mode & 077))
        return pf_error_setf(err, PF_EXIT_USAGE, PF_CODE_SIGN_KEY_EXPOSED, path, 0, NULL, NULL,
                             "署名鍵のファイルを本人以外も読めます（アクセス権 %04o）。"
                             "chmod 600 にしてください",
                             "the signing key file is open to group or others (mode %04o); "
                             "chmod 600 it",
                             (unsigned)(st.st_mode & 07777), (unsigned)(st.st_mode & 07777));
    char *data;
    size_t len;
    if (pf_read_file_max(path, PEM_MAX, &data, &len, err))
        return err->status;
    EVP_PKEY *key = NULL;
    if (len <= PEM_MAX) {
        BIO *bio = BIO_new_mem_buf(data, (int)len);
        if (!bio)
            pf_out_of_memory(0);
        key = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
        ERR_clear_error();
        BIO_free(bio);
    }
    OPENSSL_cleanse(data, len);
    free(data);
    if (!key)
        return pf_error_set(err, PF_EXIT_USAGE, PF_CODE_SIGN_KEY_INVALID, path, 0, NULL, NULL,
                            "PEM 形式の秘密鍵ではありません（パスフレーズ付きの鍵は使えません）",
                            "not a private key in PEM form (a key with a passphrase is not "
                            "taken)");
    *out = key;
    return 0;
}

/* DER SET OF order: the encodings compared as octet strings, a prefix first. */
static int der_order(const void *a, const void *b)
{
    const struct der { unsigned char *p; int len; } *x = a, *y = b;
    int c = memcmp(x->p, y->p, (size_t)(x->len < y->len ? x->len : y->len));
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* PAdES puts the claimed signing time in the dictionary's /M, and its baseline says the CMS
 * signing-time attribute shall not be present (ETSI EN 319 142-1). OpenSSL adds one whenever it
 * signs attributes, so it is taken out again here and the attributes (DER, a SET OF in
 * canonical order, as signed attributes are signed) signed again with the same key and hash. */
static int drop_signing_time(CMS_ContentInfo *cms, EVP_PKEY *key)
{
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
    int at = si ? CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) : -1;
    if (at < 0)
        return si ? 0 : -1;
    X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, at));
    int n = CMS_signed_get_attr_count(si), rc = n > 0 ? 0 : -1;
    struct der { unsigned char *p; int len; } *d = pf_xcalloc(n > 0 ? (size_t)n : 1, sizeof *d);
    size_t body = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        d[i].len = i2d_X509_ATTRIBUTE(CMS_signed_get_attr(si, i), &d[i].p);
        rc = d[i].len > 0 ? 0 : -1;
        body += rc ? 0 : (size_t)d[i].len;
    }
    unsigned char *set = NULL, *sig = NULL;
    size_t set_len = 0, sig_len = 0;
    EVP_MD_CTX *md = NULL;
    if (rc == 0 && body < (1u << 24)) {
        qsort(d, (size_t)n, sizeof *d, der_order);
        set = pf_xmalloc(body + 5);
        set[set_len++] = 0x31;  /* SET, definite length */
        if (body < 0x80) {
            set[set_len++] = (unsigned char)body;
        } else {
            int bytes = body < 0x100 ? 1 : body < 0x10000 ? 2 : 3;
            set[set_len++] = (unsigned char)(0x80 | bytes);
            for (int k = bytes - 1; k >= 0; k--)
                set[set_len++] = (unsigned char)(body >> (8 * k));
        }
        for (int i = 0; i < n; i++)
            memcpy(set + set_len, d[i].p, (size_t)d[i].len), set_len += (size_t)d[i].len;
        md = EVP_MD_CTX_new();
        rc = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
                     EVP_DigestSign(md, NULL, &sig_len, set, set_len) == 1
                 ? 0 : -1;
        if (rc == 0) {
            sig = pf_xmalloc(sig_len);
            rc = EVP_DigestSign(md, sig, &sig_len, set, set_len) == 1 &&
                         ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig, (int)sig_len)
                     ? 0 : -1;
        }
    } else {
        rc = -1;
    }
    EVP_MD_CTX_free(md);
    free(sig);
    free(set);
    for (int i = 0; i < n; i++)
        OPENSSL_free(d[i].p);
    free(d);
    return rc;
}

/* A detached CMS SignedData over `len` bytes at `data`, DER in *der (OPENSSL_malloc'd). */
static int make_cms(const pf_signer *s, const unsigned char *data, size_t len,
                    unsigned char **der, size_t *der_len)
{
    if (len > INT_MAX)
        return -1;
    const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP | CMS_PARTIAL;
    BIO *in = BIO_new_mem_buf(data, (int)len);
    CMS_ContentInfo *cms = in ? CMS_sign(NULL, NULL, s->chain, NULL, flags) : NULL;
    /* CMS_CADES: the ESS signing-certificate-v2 attribute (SHA-256 of the certificate) */
    int ok = cms && CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(), flags | CMS_CADES) &&
             CMS_final(cms, in, NULL, CMS_DETACHED | CMS_BINARY) &&
             drop_signing_time(cms, s->key) == 0;
    int n = ok ? i2d_CMS_ContentInfo(cms, der) : -1;
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    if (n <= 0) {
        ERR_clear_error();
        return -1;
    }
    *der_len = (size_t)n;
    return 0;
}

void pf_signer_free(pf_signer *s)
{
    if (!s)
        return;
    EVP_PKEY_free(s->key);
    X509_free(s->cert);
    sk_X509_pop_free(s->chain, X509_free);
    free(s);
}

int pf_signer_load(const char *key_path, const char *cert_path, const char *chain_path,
                   pf_signer **out, pf_error *err)
{
    pf_signer *s = pf_xcalloc(1, sizeof *s);
    STACK_OF(X509) *certs = NULL;
    if (read_key(key_path, &s->key, err) || read_certs(cert_path, &certs, err) ||
        (chain_path && read_certs(chain_path, &s->chain, err)))
        goto fail;
    s->cert = sk_X509_shift(certs);  /* the first is the signer's; the rest join the chain */
    for (X509 *c; (c = sk_X509_shift(certs));)
        if (!(s->chain ? s->chain : (s->chain = sk_X509_new_null())) || !sk_X509_push(s->chain, c))
            pf_out_of_memory(0);
    sk_X509_free(certs);
    certs = NULL;
    if (X509_cmp_current_time(X509_get0_notAfter(s->cert)) < 0) {
        pf_error_set(err, PF_EXIT_USAGE, PF_CODE_SIGN_CERT_EXPIRED, cert_path, 0, NULL, NULL,
                     "証明書の有効期限が切れています", "the certificate has expired");
        goto fail;
    }
    if (X509_cmp_current_time(X509_get0_notBefore(s->cert)) > 0) {
        pf_error_set(err, PF_EXIT_USAGE, PF_CODE_SIGN_CERT_EXPIRED, cert_path, 0, NULL, NULL,
                     "証明書はまだ有効になっていません", "the certificate is not valid yet");
        goto fail;
    }
    /* RSA (PKCS #1 v1.5) and ECDSA: what drop_signing_time signs with plainly */
    if (!EVP_PKEY_is_a(s->key, "RSA") && !EVP_PKEY_is_a(s->key, "EC")) {
        pf_error_set(err, PF_EXIT_USAGE, PF_CODE_SIGN_KEY_INVALID, key_path, 0, NULL, NULL,
                     "この鍵では署名できません（RSA か ECDSA の鍵を使ってください）",
                     "cannot sign with this key (use an RSA or ECDSA key)");
        goto fail;
    }
    if (X509_check_private_key(s->cert, s->key) != 1) {
        ERR_clear_error();
        pf_error_set(err, PF_EXIT_USAGE, PF_CODE_SIGN_KEY_MISMATCH, key_path, 0, NULL, NULL,
                     "署名鍵が証明書（--sign-cert）の鍵ではありません",
                     "the signing key is not the key of the certificate (--sign-cert)");
        goto fail;
    }
    /* A trial signature: it proves the key can sign here, before anything is rendered, and
     * gives the size to reserve in each PDF (all but the signature value is the same size). */
    unsigned char *der = NULL;
    size_t der_len;
    if (make_cms(s, (const unsigned char *)"%PDF", 4, &der, &der_len)) {
        pf_error_set(err, PF_EXIT_USAGE, PF_CODE_SIGN_KEY_INVALID, key_path, 0, NULL, NULL,
                     "この鍵では署名できません（RSA か ECDSA の鍵を使ってください）",
                     "cannot sign with this key (use an RSA or ECDSA key)");
        goto fail;
    }
    OPENSSL_free(der);
    s->reserve = der_len + RESERVE_SLACK;
    *out = s;
    return 0;
fail:
    sk_X509_pop_free(certs, X509_free);  /* the signer's, when the chain failed */
    pf_signer_free(s);
    return err->status;
}

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
    qpdf_oh name = qpdf_oh_new_name(q, key);
    pf_buf_adds(&u->b, " ");
    pf_buf_adds(&u->b, qpdf_oh_unparse(q, name));
    pf_buf_adds(&u->b, " ");
    pf_buf_adds(&u->b, qpdf_oh_unparse(q, value));
    qpdf_oh_release(q, name);
}

/* Every entry of dictionary `dict` but those named in `skip` (NULL-terminated). */
static void put_entries_but(update *u, qpdf_data q, qpdf_oh dict, const char *const *skip)
{
    /* the keys first: qpdf's iterator is one per qpdf_data, and unparse must not disturb it */
    char **keys = NULL;
    size_t n = 0, cap = 0;
    qpdf_oh_begin_dict_key_iter(q, dict);
    while (qpdf_oh_dict_more_keys(q)) {
        PF_GROW(keys, n, cap);
        keys[n++] = pf_xstrdup(qpdf_oh_dict_next_key(q));
    }
    for (size_t i = 0; i < n; i++) {
        int skipped = 0;
        for (const char *const *s = skip; *s; s++)
            skipped |= strcmp(keys[i], *s) == 0;
        if (!skipped) {
            qpdf_oh v = qpdf_oh_get_key(q, dict, keys[i]);
            put_entry(u, q, keys[i], v);
            qpdf_oh_release(q, v);
        }
        free(keys[i]);
    }
    free(keys);
}

/* The items of array `key` of `dict` (direct or indirect), each as PDF text with a space
 * before it; nothing when there is no such array. */
static void put_items(update *u, qpdf_data q, qpdf_oh dict, const char *key)
{
    qpdf_oh a = qpdf_oh_get_key(q, dict, key);
    if (qpdf_oh_is_array(q, a)) {
        int n = qpdf_oh_get_array_n_items(q, a);
        for (int i = 0; i < n; i++) {
            qpdf_oh item = qpdf_oh_get_array_item(q, a, i);
            pf_buf_adds(&u->b, " ");
            pf_buf_adds(&u->b, qpdf_oh_unparse(q, item));
            qpdf_oh_release(q, item);
        }
    }
    qpdf_oh_release(q, a);
}

/* Whether a field of the AcroForm `acro` already has the partial name `t`. */
static int field_named(qpdf_data q, qpdf_oh acro, const char *t)
{
    int found = 0;
    qpdf_oh fields = qpdf_oh_get_key(q, acro, "/Fields");
    int n = qpdf_oh_is_array(q, fields) ? qpdf_oh_get_array_n_items(q, fields) : 0;
    for (int i = 0; i < n && !found; i++) {
        qpdf_oh f = qpdf_oh_get_array_item(q, fields, i);
        qpdf_oh name = qpdf_oh_get_key(q, f, "/T");
        found = qpdf_oh_is_string(q, name) && strcmp(qpdf_oh_get_utf8_value(q, name), t) == 0;
        qpdf_oh_release(q, name);
        qpdf_oh_release(q, f);
    }
    qpdf_oh_release(q, fields);
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
        if (qpdf_oh_has_key(q, trailer, carried[i])) {
            qpdf_oh v = qpdf_oh_get_key(q, trailer, carried[i]);
            put_entry(u, q, carried[i], v);
            qpdf_oh_release(q, v);
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
    if (qpdf_is_encrypted(q))
        return sign_failed(err, name, "暗号化された PDF です", "the PDF is encrypted");
    if (qpdf_get_num_pages(q) < 1)
        return sign_failed(err, name, "ページがありません", "the PDF has no page");
    qpdf_oh trailer = qpdf_get_trailer(q), root = qpdf_get_root(q), page = qpdf_get_page_n(q, 0);
    qpdf_oh size_oh = qpdf_oh_get_key(q, trailer, "/Size");
    int size = qpdf_oh_get_int_value_as_int(q, size_oh);
    qpdf_oh_release(q, size_oh);
    int root_id = qpdf_oh_get_object_id(q, root), root_gen = qpdf_oh_get_generation(q, root);
    int page_id = qpdf_oh_get_object_id(q, page), page_gen = qpdf_oh_get_generation(q, page);
    if (size < 1 || size > INT_MAX - 2 || root_id <= 0 || page_id <= 0) {
        qpdf_oh_release_all(q);
        return sign_failed(err, name, "相互参照表を読めません",
                           "cannot read the cross-reference table");
    }
    int sig_id = size, field_id = size + 1;
    qpdf_oh acro = qpdf_oh_get_key(q, root, "/AcroForm");  /* null when there is none */
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
    if (!qpdf_oh_has_key(q, root, "/Version") && len > 8 && memcmp(pdf, "%PDF-1.", 7) == 0 &&
        pdf[7] < '7')
        pf_buf_adds(&u->b, " /Version /1.7");
    if (!qpdf_oh_has_key(q, root, "/Extensions"))
        pf_buf_adds(&u->b, " /Extensions << /ESIC << /BaseVersion /1.7 /ExtensionLevel 2 >> >>");
    pf_buf_adds(&u->b, " /AcroForm <<");
    static const char *const acro_skip[] = {"/Fields", "/SigFlags", NULL};
    if (qpdf_oh_is_dictionary(q, acro))
        put_entries_but(u, q, acro, acro_skip);
    pf_buf_adds(&u->b, " /Fields [");
    if (qpdf_oh_is_dictionary(q, acro))
        put_items(u, q, acro, "/Fields");
    /* SigFlags 3: signatures exist; the file is to be changed only by appending */
    pf_buf_printf(&u->b, " %d 0 R] /SigFlags 3 >> >>\nendobj\n", field_id);
    /* A classic xref section: planform's PDFs (libharu's and the print file) have classic
     * tables. After a cross-reference stream this is a hybrid that poppler and qpdf read. */
    put_xref(u, q, trailer, size + 2, prev, root_id, root_gen);
    qpdf_oh_release_all(q);
    return 0;
}

int pf_pdf_sign(const pf_signer *s, const unsigned char *pdf, size_t len, const char *name,
                unsigned char **out, size_t *out_len, pf_error *err)
{
    qpdf_data q = qpdf_init();
    if (!q)
        pf_out_of_memory(0);
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    qpdf_read_memory(q, "planform", (const char *)pdf, len, NULL);
    update u = {.base = len};
    size_t range_at = 0, contents_at = 0;
    int rc = 0;
    if (qpdf_has_error(q)) {
        qpdf_error e = qpdf_get_error(q);
        const char *detail = e ? qpdf_get_error_message_detail(q, e) : NULL;
        rc = sign_failed(err, name, detail && *detail ? detail : "qpdf",
                         detail && *detail ? detail : "qpdf");
    } else {
        rc = write_update(&u, q, pdf, len, s->reserve, &range_at, &contents_at, name, err);
    }
    qpdf_cleanup(&q);
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
    size_t lt = len + contents_at, gt = lt + 2 + s->reserve * 2;  /* just past '>' */
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
    rc = make_cms(s, signed_bytes, lt + (total - gt), &der, &der_len);
    free(signed_bytes);
    if (rc || der_len > s->reserve) {
        OPENSSL_free(der);
        free(f);
        return sign_failed(err, name, "CMS 署名を作れません (OpenSSL)",
                           "OpenSSL could not make the CMS signature");
    }
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < der_len; i++) {
        f[lt + 1 + 2 * i] = (unsigned char)hex[der[i] >> 4];
        f[lt + 1 + 2 * i + 1] = (unsigned char)hex[der[i] & 15];
    }
    OPENSSL_free(der);
    *out = f;
    *out_len = total;
    return 0;
}
