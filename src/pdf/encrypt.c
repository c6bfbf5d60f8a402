/* pdf/encrypt — AES-256 password protection through qpdf. See encrypt.h. */
#include "pdf/encrypt.h"

#include <errno.h>
#include <libgen.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

int pf_password_read(const char *path, char **password, pf_error *err)
{
    char *data;
    size_t len;
    /* a little more than the longest password, so that a longer one is seen and refused */
    if (pf_read_file_max(path, 4096, &data, &len, err))
        return err->status;
    const char *nl = memchr(data, '\n', len);
    size_t n = nl ? (size_t)(nl - data) : len;
    if (n && data[n - 1] == '\r')
        n--;
    data[n] = 0;
    int rc = 0;
    if (n == 0)
        rc = pf_error_set(err, PF_EXIT_USAGE, path, 1, NULL, NULL,
                          "パスワードファイルの1行目が空です",
                          "the password file's first line is empty");
    else if (n > PF_PASSWORD_MAX)
        rc = pf_error_setf(err, PF_EXIT_USAGE, path, 1, NULL, NULL,
                           "パスワードが長すぎます（%d バイトまで）",
                           "the password is too long (at most %d bytes)", PF_PASSWORD_MAX);
    else if (memchr(data, 0, n))
        rc = pf_error_set(err, PF_EXIT_USAGE, path, 1, NULL, NULL,
                          "パスワードに NUL 文字があります", "the password contains a NUL character");
    if (rc) {
        free(data);
        return rc;
    }
    *password = data;
    return 0;
}

/* A random owner password, never shown or kept: the permissions cannot be lifted by anyone. */
static int owner_password(char out[65])
{
    unsigned char r[32];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = getrandom(r + got, sizeof r - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
    return 0;
}

/* After qpdf_init_write*: AES-256, print and copy allowed, nothing else. */
static int set_encryption(qpdf_data q, const char *password, const char *name, pf_error *err)
{
    char owner[65];
    if (owner_password(owner))
        return pf_error_set(err, PF_EXIT_IO, name, 0, NULL, NULL, "乱数を得られません",
                            "cannot get random bytes for the owner password");
    qpdf_set_r6_encryption_parameters2(q, password, owner, QPDF_TRUE /* accessibility */,
                                       QPDF_TRUE /* copy text */, QPDF_FALSE /* assemble */,
                                       QPDF_FALSE /* annotate, fill forms */,
                                       QPDF_FALSE /* fill forms */, QPDF_FALSE /* modify */,
                                       qpdf_r3p_full, QPDF_TRUE /* encrypt metadata */);
    memset(owner, 0, sizeof owner);
    return 0;
}

/* qpdf's error, if any, as a pf_error. */
static int qpdf_failed(qpdf_data q, const char *name, pf_error *err)
{
    if (!qpdf_has_error(q))
        return 0;
    qpdf_error e = qpdf_get_error(q);
    const char *detail = e ? qpdf_get_error_message_detail(q, e) : NULL;
    /* qpdf's C API passes C++'s std::bad_alloc on as text only */
    if (detail && strstr(detail, "bad_alloc"))
        return pf_error_errno(err, PF_EXIT_IO, name, 0, ENOMEM, "PDF を暗号化できません",
                              "cannot encrypt the PDF");
    return pf_error_setf(err, PF_EXIT_IO, name, 0, NULL, NULL, "PDF を暗号化できません: %s",
                         "cannot encrypt the PDF: %s", detail && *detail ? detail : "qpdf");
}

/* Read a PDF (the file `in_file`, else `len` bytes at `pdf`), encrypt it, and write it to the
 * file `out_file`, else into *out. */
static int encrypt(const char *in_file, const unsigned char *pdf, size_t len,
                   const char *out_file, unsigned char **out, size_t *out_len,
                   const char *password, const char *name, pf_error *err)
{
    qpdf_data q = qpdf_init();
    if (!q)
        return pf_error_errno(err, PF_EXIT_IO, name, 0, ENOMEM, "PDF を暗号化できません",
                              "cannot encrypt the PDF");
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    int rc = 0;
    if (in_file)
        qpdf_read(q, in_file, NULL);
    else
        qpdf_read_memory(q, "planform", (const char *)pdf, len, NULL);
    if (!(rc = qpdf_failed(q, name, err))) {
        if (out_file)
            qpdf_init_write(q, out_file);
        else
            qpdf_init_write_memory(q);
        rc = qpdf_failed(q, name, err);
    }
    if (!rc && !(rc = set_encryption(q, password, name, err))) {
        qpdf_write(q);
        rc = qpdf_failed(q, name, err);
    }
    if (!rc && !out_file) {
        *out_len = qpdf_get_buffer_length(q);
        *out = pf_xmalloc(*out_len ? *out_len : 1);
        memcpy(*out, qpdf_get_buffer(q), *out_len);
    }
    qpdf_cleanup(&q);
    return rc;
}

int pf_pdf_encrypt(const unsigned char *pdf, size_t len, const char *password,
                   unsigned char **out, size_t *out_len, pf_error *err)
{
    return encrypt(NULL, pdf, len, NULL, out, out_len, password, NULL, err);
}

int pf_pdf_encrypt_file(const char *in, const char *path, unsigned mode, const char *password,
                        pf_error *err)
{
    char *dir = pf_xstrdup(path);
    char *tmp = pf_xasprintf("%s/.planform-XXXXXX", dirname(dir));
    free(dir);
    int fd = mkstemp(tmp);  /* mode 0600 from the start; qpdf writes into it */
    int rc = 0;
    if (fd < 0)
        rc = pf_error_errno(err, PF_EXIT_IO, path, 0, errno, "出力ファイルを作れません",
                            "cannot create output file");
    else
        close(fd);
    if (!rc)
        rc = encrypt(in, NULL, 0, tmp, NULL, NULL, password, path, err);
    if (!rc && (chmod(tmp, mode) != 0 || rename(tmp, path) != 0))
        rc = pf_error_errno(err, PF_EXIT_IO, path, 0, errno, "出力ファイルを書けません",
                            "cannot write output file");
    if (rc && fd >= 0)
        unlink(tmp);
    free(tmp);
    return rc;
}
