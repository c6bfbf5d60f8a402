/* pdf/encrypt — AES-256 password protection through qpdf. See encrypt.h. */
#include "pdf/encrypt.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "pdf/qpdflib.h"
#include "util/files.h"


int pf_encrypt_available(pf_error *err)
{
    return pf_qpdf_load("パスワード付きの PDF", "password-protected PDFs", err);
}

int pf_password_read(const char *path, char **password, pf_error *err)
{
    char *data;
    size_t len;
    /* a little more than the longest password, so that a longer one is seen and refused */
    if (pf_read_file_max(path, 4096, &data, &len, err))
        return err->status;
    /* Notepad starts a UTF-8 file with a byte order mark: it is not part of the password */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        memmove(data, data + 3, len - 3);
        len -= 3;
    }
    const char *nl = memchr(data, '\n', len);
    size_t n = nl ? (size_t)(nl - data) : len;
    if (n && data[n - 1] == '\r')
        n--;
    data[n] = 0;
    int rc = 0;
    if (n == 0)
        rc = pf_error_set(err, PF_EXIT_USAGE, PF_CODE_USAGE, path, 1, NULL, NULL,
                          "パスワードファイルの1行目が空です",
                          "the password file's first line is empty");
    else if (n > PF_PASSWORD_MAX)
        rc = pf_error_setf(err, PF_EXIT_USAGE, PF_CODE_USAGE, path, 1, NULL, NULL,
                           "パスワードが長すぎます（%d バイトまで）",
                           "the password is too long (at most %d bytes)", PF_PASSWORD_MAX);
    else if (memchr(data, 0, n))
        rc = pf_error_set(err, PF_EXIT_USAGE, PF_CODE_USAGE, path, 1, NULL, NULL,
                          "パスワードに NUL 文字があります", "the password contains a NUL character");
    if (rc) {
        free(data);
        return rc;
    }
    *password = data;
    return 0;
}

/* `len` random bytes from the kernel. */
static int random_bytes(void *buf, size_t len)
{
    unsigned char *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(p + got, len - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

/* A random owner password, never shown or kept: the permissions cannot be lifted by anyone. */
static int owner_password(char out[65])
{
    unsigned char r[32];
    if (random_bytes(r, sizeof r))
        return -1;
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
    memset(r, 0, sizeof r);
    return 0;
}

/* ---- what encryption leaves in the clear ------------------------------------------------------
 * PDF encryption covers strings and stream data; the trailer /ID, names and numbers stay in the
 * clear. Object streams (qpdf_o_generate) carry every dictionary and array but the catalog, the
 * encryption dictionary and the streams' own dictionaries inside encrypted streams: font names,
 * /W widths, page sizes and counts are hidden from anyone without the password. The /ID and the
 * subset tags are made random besides, so that nothing there is computed from the person's data
 * even for a reader with the password or a tool that writes the objects out again. What stays
 * visible: the number of objects and each stream's length (a font program's /Length1 too). */

/* The six letters of a subset tag ("ABCDEF+", PDF 32000 9.6.4) as a number below 26^6. */
enum { TAG_LETTERS = 6, TAG_CODES = 26 * 26 * 26 * 26 * 26 * 26 };

static int tag_code(const char *s, uint32_t *code)
{
    uint32_t c = 0;
    for (int i = 0; i < TAG_LETTERS; i++) {
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
        c = c * 26 + (uint32_t)(s[i] - 'A');
    }
    *code = c;
    return s[TAG_LETTERS] == '+';
}

/* Old tag → new tag, and the new tags taken: one open-addressing table of both. A key is a code
 * + 1 (0 marks an empty slot), with TAG_OLD set for an old tag (its value the new code). */
#define TAG_OLD 0x80000000u

typedef struct tag_map {
    uint32_t *keys, *vals;
    size_t n, cap;          /* cap: a power of two */
} tag_map;

static size_t tag_slot(const tag_map *m, uint32_t key)
{
    size_t i = (size_t)(key * 2654435761u) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void tag_put(tag_map *m, uint32_t key, uint32_t val)
{
    if (2 * (m->n + 1) > m->cap) {
        tag_map g = {NULL, NULL, 0, m->cap ? 2 * m->cap : 64};
        g.keys = pf_xcalloc(g.cap, sizeof *g.keys);
        g.vals = pf_xcalloc(g.cap, sizeof *g.vals);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i])
                tag_put(&g, m->keys[i], m->vals[i]);
        free(m->keys);
        free(m->vals);
        *m = g;
    }
    size_t i = tag_slot(m, key);
    m->n += !m->keys[i];
    m->keys[i] = key;
    m->vals[i] = val;
}

/* The new tag for old tag `old`: the one given before, else a random one not yet taken (two
 * different subsets never share a tag; in a print file there are thousands). */
static int new_tag(tag_map *m, uint32_t old, uint32_t *fresh)
{
    if (m->cap) {
        size_t i = tag_slot(m, (old + 1) | TAG_OLD);
        if (m->keys[i]) {
            *fresh = m->vals[i];
            return 0;
        }
    }
    const uint32_t limit = UINT32_MAX / TAG_CODES * TAG_CODES;  /* no modulo bias */
    uint32_t r;
    do {
        if (random_bytes(&r, sizeof r))
            return -1;
    } while (r >= limit || (m->cap && m->keys[tag_slot(m, r % TAG_CODES + 1)]));
    *fresh = r % TAG_CODES;
    tag_put(m, (old + 1) | TAG_OLD, *fresh);
    tag_put(m, *fresh + 1, 0);
    return 0;
}

/* If dict[key] is a subset-tagged name, give it its new tag. */
static int retag_key(qpdf_data q, tag_map *m, qpdf_oh dict, const char *key)
{
    qpdf_oh v = QP(qpdf_oh_get_key)(q, dict, key);
    int rc = 0;
    uint32_t old, fresh;
    if (QP(qpdf_oh_is_name)(q, v)) {
        char *name = pf_xstrdup(QP(qpdf_oh_get_name)(q, v));  /* "/ABCDEF+IPAexMincho" */
        if (tag_code(name + 1, &old) && (rc = new_tag(m, old, &fresh)) == 0) {
            for (int i = TAG_LETTERS; i-- > 0; fresh /= 26)
                name[1 + i] = (char)('A' + fresh % 26);
            qpdf_oh renamed = QP(qpdf_oh_new_name)(q, name);
            QP(qpdf_oh_replace_key)(q, dict, key, renamed);
            QP(qpdf_oh_release)(q, renamed);
        }
        free(name);
    }
    QP(qpdf_oh_release)(q, v);
    return rc;
}

/* planform's subset tags are a hash of the glyph ids used: a tag of the font that only prints
 * names' rare characters inverts to the character. Every tag (/BaseFont of the Type0 and CID
 * fonts, /FontName of the descriptor: all indirect objects in what planform writes) becomes a
 * random one, the same one for the same old tag. */
static int retag_fonts(qpdf_data q)
{
    qpdf_oh trailer = QP(qpdf_get_trailer)(q);
    qpdf_oh size = QP(qpdf_oh_get_key)(q, trailer, "/Size");
    int n = QP(qpdf_oh_is_integer)(q, size) ? QP(qpdf_oh_get_int_value_as_int)(q, size) : 0;
    QP(qpdf_oh_release)(q, size);
    QP(qpdf_oh_release)(q, trailer);
    tag_map m = {0};
    int rc = 0;
    for (int id = 1; id < n && rc == 0; id++) {
        qpdf_oh o = QP(qpdf_get_object_by_id)(q, id, 0);
        if (QP(qpdf_oh_is_dictionary)(q, o))
            rc = retag_key(q, &m, o, "/BaseFont") || retag_key(q, &m, o, "/FontName") ? -1 : 0;
        QP(qpdf_oh_release)(q, o);
    }
    free(m.keys);
    free(m.vals);
    return rc;
}

/* qpdf makes the /ID an MD5 of the time, the output's name and the Info strings, /Subject
 * being the person's name: with the file's date and a list of surnames, the surname was found
 * again. qpdf keeps the first word of an /ID the input has: a random one is given here. The
 * second word is qpdf's fixed one (qpdf_set_static_ID, which qpdf meant for its tests), where it
 * would otherwise be that MD5. Revision 6 derives no key from the /ID. */
static int random_id(qpdf_data q)
{
    unsigned char id[16];
    if (random_bytes(id, sizeof id))
        return -1;
    qpdf_oh trailer = QP(qpdf_get_trailer)(q);
    qpdf_oh words = QP(qpdf_oh_new_array)(q);
    qpdf_oh word = QP(qpdf_oh_new_binary_string)(q, (const char *)id, sizeof id);
    QP(qpdf_oh_append_item)(q, words, word);
    QP(qpdf_oh_append_item)(q, words, word);
    QP(qpdf_oh_replace_key)(q, trailer, "/ID", words);
    QP(qpdf_oh_release)(q, word);
    QP(qpdf_oh_release)(q, words);
    QP(qpdf_oh_release)(q, trailer);
    return 0;
}

/* After qpdf_init_write*: AES-256, print and copy allowed, nothing else; the /ID as
 * random_id left it, every dictionary in an (encrypted) object stream. */
static int set_encryption(qpdf_data q, const char *password, const char *name, pf_error *err)
{
    char owner[65];
    if (owner_password(owner))
        return pf_error_set(err, PF_EXIT_IO, PF_CODE_ENCRYPT_FAILED, name, 0, NULL, NULL,
                            "乱数を得られません", "cannot get random bytes for the owner password");
    QP(qpdf_set_static_ID)(q, QPDF_TRUE);
    QP(qpdf_set_object_stream_mode)(q, qpdf_o_generate);
    QP(qpdf_set_r6_encryption_parameters2)(q, password, owner, QPDF_TRUE /* accessibility */,
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
    if (!QP(qpdf_has_error)(q))
        return 0;
    qpdf_error e = QP(qpdf_get_error)(q);
    const char *detail = e ? QP(qpdf_get_error_message_detail)(q, e) : NULL;
    /* qpdf's C API passes C++'s std::bad_alloc on as text only */
    if (detail && strstr(detail, "bad_alloc"))
        return pf_error_errno(err, PF_EXIT_IO, PF_CODE_ENCRYPT_FAILED, name, 0, ENOMEM,
                              "PDF を暗号化できません", "cannot encrypt the PDF");
    return pf_error_setf(err, PF_EXIT_IO, PF_CODE_ENCRYPT_FAILED, name, 0, NULL, NULL,
                         "PDF を暗号化できません: %s",
                         "cannot encrypt the PDF: %s", detail && *detail ? detail : "qpdf");
}

/* Read a PDF (the file `in_file`, else `len` bytes at `pdf`), encrypt it, and write it to the
 * file `out_file`, else into *out. */
static int encrypt(const char *in_file, const unsigned char *pdf, size_t len,
                   const char *out_file, unsigned char **out, size_t *out_len,
                   const char *password, const char *name, pf_error *err)
{
    if (pf_encrypt_available(err))
        return err->status;
    qpdf_data q = QP(qpdf_init)();
    if (!q)
        return pf_error_errno(err, PF_EXIT_IO, PF_CODE_ENCRYPT_FAILED, name, 0, ENOMEM,
                              "PDF を暗号化できません", "cannot encrypt the PDF");
    QP(qpdf_silence_errors)(q);
    QP(qpdf_set_suppress_warnings)(q, QPDF_TRUE);
    int rc = 0;
    if (in_file)
        QP(qpdf_read)(q, in_file, NULL);
    else
        QP(qpdf_read_memory)(q, "planform", (const char *)pdf, len, NULL);
    if (!(rc = qpdf_failed(q, name, err)) && (retag_fonts(q) || random_id(q)))
        rc = pf_error_set(err, PF_EXIT_IO, PF_CODE_ENCRYPT_FAILED, name, 0, NULL, NULL,
                          "乱数を得られません",
                          "cannot get random bytes for the file identifier and font names");
    if (!rc && !(rc = qpdf_failed(q, name, err))) {
        if (out_file)
            QP(qpdf_init_write)(q, out_file);
        else
            QP(qpdf_init_write_memory)(q);
        rc = qpdf_failed(q, name, err);
    }
    if (!rc && !(rc = set_encryption(q, password, name, err))) {
        QP(qpdf_write)(q);
        rc = qpdf_failed(q, name, err);
    }
    if (!rc && !out_file) {
        *out_len = QP(qpdf_get_buffer_length)(q);
        *out = pf_xmalloc(*out_len ? *out_len : 1);
        memcpy(*out, QP(qpdf_get_buffer)(q), *out_len);
    }
    QP(qpdf_cleanup)(&q);
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
    /* qpdf writes the temporary file by its name; our descriptor on it makes it durable */
    pf_tmpfile t;
    if (pf_tmp_open(&t, path, 0, err))
        return err->status;
    if (encrypt(in, NULL, 0, t.path, NULL, NULL, password, path, err)) {
        pf_tmp_discard(&t);
        return err->status;
    }
    return pf_tmp_publish(&t, mode, err);
}

int pf_pdf_encrypt_file_to(const char *in, const char *out, const char *password, pf_error *err)
{
    return encrypt(in, NULL, 0, out, NULL, NULL, password, out, err);
}
