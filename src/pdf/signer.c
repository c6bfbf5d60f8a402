/* pdf/signer — the provider's key and certificates, and CMS signatures with them. See signer.h. */
#include "pdf/signer.h"

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
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pdf/qpdflib.h"
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
    /* the signature is appended after reading the finished PDF with libqpdf: a missing
     * library is said now, before anything is rendered */
    if (pf_qpdf_load("PDF の署名", "signed PDFs", err))
        return err->status;
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

size_t pf_signer_reserve(const pf_signer *s)
{
    return s->reserve;
}

int pf_signer_cms(const pf_signer *s, const unsigned char *data, size_t len, unsigned char **der,
                  size_t *der_len)
{
    unsigned char *d = NULL;
    size_t n = 0;
    if (make_cms(s, data, len, &d, &n))
        return -1;
    *der = pf_xmalloc(n);
    memcpy(*der, d, n);
    *der_len = n;
    OPENSSL_free(d);
    return 0;
}
