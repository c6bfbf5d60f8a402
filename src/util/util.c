/* util — checked allocation, buffers, UTF-8, errors, files. See util.h. */
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Noreturn void pf_out_of_memory(size_t n)
{
    const char *ja, *en;
    pf_errno_text(ENOMEM, &ja, &en);
    if (n)
        fprintf(stderr, "planform: %s（%zu バイト）\nplanform: %s (%zu bytes)\n", ja, n, en, n);
    else
        fprintf(stderr, "planform: %s\nplanform: %s\n", ja, en);
    exit(PF_EXIT_IO);
}

void *pf_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        pf_out_of_memory(n);
    return p;
}

void *pf_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        pf_out_of_memory(n * size);
    return p;
}

void *pf_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        pf_out_of_memory(n);
    return q;
}

char *pf_xstrdup(const char *s)
{
    return pf_xstrndup(s, strlen(s));
}

char *pf_xstrndup(const char *s, size_t n)
{
    char *p = pf_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *pf_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *p = pf_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void pf_buf_add(pf_buf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = pf_xrealloc(b->data, cap);
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void pf_buf_adds(pf_buf *b, const char *s)
{
    pf_buf_add(b, s, strlen(s));
}

void pf_buf_hex4(pf_buf *b, unsigned v)
{
    static const char hex[] = "0123456789ABCDEF";
    char d[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15]};
    pf_buf_add(b, d, 4);
}

void pf_buf_printf(pf_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        pf_buf_add(b, small, (size_t)n);
        return;
    }
    char *big = pf_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    pf_buf_add(b, big, (size_t)n);
    free(big);
}

void pf_buf_free(pf_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static const char *const code_names[PF_N_CODES] = {
    [PF_CODE_TOO_LARGE] = "too-large",
    [PF_CODE_FIELD_TOO_LONG] = "field-too-long",
    [PF_CODE_TOO_MANY_PAGES] = "too-many-pages",
    [PF_CODE_TOO_DEEP] = "too-deep",
    [PF_CODE_XML_ENCODING] = "xml-encoding",
    [PF_CODE_CONTROL_CHAR] = "control-char",
    [PF_CODE_DOCTYPE_REFUSED] = "doctype-refused",
    [PF_CODE_XML_NOT_WELL_FORMED] = "xml-not-well-formed",
    [PF_CODE_NOT_A_BUNDLE] = "not-a-bundle",
    [PF_CODE_UNEXPECTED_ELEMENT] = "unexpected-element",
    [PF_CODE_MISSING_ELEMENT] = "missing-element",
    [PF_CODE_UNKNOWN_ATTRIBUTE] = "unknown-attribute",
    [PF_CODE_MISSING_ATTRIBUTE] = "missing-attribute",
    [PF_CODE_DUPLICATE] = "duplicate",
    [PF_CODE_INVALID_VALUE] = "invalid-value",
    [PF_CODE_INVALID_DATE] = "invalid-date",
    [PF_CODE_SCHEMA_INVALID] = "schema-invalid",
    [PF_CODE_BROKEN_LINK] = "broken-link",
    [PF_CODE_FORM_NOT_IN_BUNDLE] = "form-not-in-bundle",
    [PF_CODE_PROVIDER_NOT_IN_PLAN] = "provider-not-in-plan",
    [PF_CODE_CHAR_NOT_PRINTABLE] = "char-not-printable",
    [PF_CODE_INVALID_INPUT] = "invalid-input",
    [PF_CODE_USAGE] = "usage",
    [PF_CODE_SIGN_KEY_EXPOSED] = "sign-key-exposed",
    [PF_CODE_SIGN_KEY_INVALID] = "sign-key-invalid",
    [PF_CODE_SIGN_CERT_INVALID] = "sign-cert-invalid",
    [PF_CODE_SIGN_CERT_EXPIRED] = "sign-cert-expired",
    [PF_CODE_SIGN_KEY_MISMATCH] = "sign-key-mismatch",
    [PF_CODE_FONT_MISSING] = "font-missing",
    [PF_CODE_FONT_BROKEN] = "font-broken",
    [PF_CODE_TEMPLATE_BROKEN] = "template-broken",
    [PF_CODE_ICU_BROKEN] = "icu-broken",
    [PF_CODE_LIBRARY_MISSING] = "library-missing",
    [PF_CODE_DATA_BROKEN] = "data-broken",
    [PF_CODE_IO_READ] = "io-read",
    [PF_CODE_IO_WRITE] = "io-write",
    [PF_CODE_NO_SPACE] = "no-space",
    [PF_CODE_OUT_OF_MEMORY] = "out-of-memory",
    [PF_CODE_TOO_MANY_FILES] = "too-many-files",
    [PF_CODE_NO_THREAD] = "no-thread",
    [PF_CODE_LOCKED] = "locked",
    [PF_CODE_PDF_ERROR] = "pdf-error",
    [PF_CODE_ENCRYPT_FAILED] = "encrypt-failed",
    [PF_CODE_SIGN_FAILED] = "sign-failed",
    [PF_CODE_IO_ERROR] = "io-error",
    [PF_CODE_INTERRUPTED] = "interrupted",
    [PF_CODE_NOT_FOUND] = "not-found",
    [PF_CODE_METHOD_NOT_ALLOWED] = "method-not-allowed",
    [PF_CODE_UNSUPPORTED_MEDIA] = "unsupported-media-type",
    [PF_CODE_UNAUTHORIZED] = "unauthorized",
    [PF_CODE_BUSY] = "busy",
};

const char *pf_code_name(pf_code c)
{
    return c > PF_CODE_NONE && c < PF_N_CODES && code_names[c] ? code_names[c] : "";
}

pf_code pf_code_for_status(int status)
{
    switch (status) {
    case PF_EXIT_INVALID: return PF_CODE_INVALID_INPUT;
    case PF_EXIT_USAGE: return PF_CODE_USAGE;
    case PF_EXIT_RESOURCE: return PF_CODE_DATA_BROKEN;
    default: return status > 128 ? PF_CODE_INTERRUPTED : PF_CODE_IO_ERROR;
    }
}

/* The code errno value e stands for when the system ran out of something, else `dflt`. */
static pf_code pf_code_for_errno(int e, pf_code dflt)
{
    switch (e) {
    case ENOMEM: return PF_CODE_OUT_OF_MEMORY;
    case EMFILE: case ENFILE: return PF_CODE_TOO_MANY_FILES;
    case EAGAIN: return PF_CODE_NO_THREAD;
    case ENOSPC: case EDQUOT: return PF_CODE_NO_SPACE;
    default: return dflt;
    }
}

/* Copy into a fixed field as valid UTF-8 whatever `src` holds: a byte that does not start a
 * valid sequence becomes U+FFFD (messages quote libraries and data files), and a cut (if it
 * must be) falls on a character boundary, never inside one. */
static void copy_field(char *dst, size_t cap, const char *src)
{
    size_t len = src ? strlen(src) : 0, i = 0, n = 0;
    while (i < len) {
        size_t at = i;
        int32_t cp = pf_utf8_next(src, len, &i);
        const char *from = src + at;
        size_t k = i - at;
        if (cp < 0) {
            from = "\xEF\xBF\xBD";
            k = 3;
            i = at + 1;
        }
        if (n + k >= cap)
            break;
        memcpy(dst + n, from, k);
        n += k;
    }
    dst[n] = 0;
}

/* The path copied as pf_error_set does: as given, cut on a character boundary if it must be. */
static void copy_path(char *dst, size_t cap, const char *file)
{
    size_t n = file ? strlen(file) : 0;
    if (n >= cap)
        for (n = cap - 1; n > 0 && ((unsigned char)file[n] & 0xC0) == 0x80;)
            n--;
    memcpy(dst, file ? file : "", n);
    dst[n] = 0;
}

int pf_error_set(pf_error *err, int status, pf_code code, const char *file, int line,
                 const char *field_ja, const char *field_en, const char *msg_ja,
                 const char *msg_en)
{
    if (!err || err->status)
        return err ? err->status : status;
    err->status = status;
    snprintf(err->code, sizeof err->code, "%s",
             pf_code_name(code ? code : pf_code_for_status(status)));
    /* the path as given (a byte that is not UTF-8 is part of the name: printers escape it) */
    copy_path(err->file, sizeof err->file, file);
    err->line = line;
    copy_field(err->field_ja, sizeof err->field_ja, field_ja);
    copy_field(err->field_en, sizeof err->field_en, field_en);
    copy_field(err->msg_ja, sizeof err->msg_ja, msg_ja);
    copy_field(err->msg_en, sizeof err->msg_en, msg_en);
    return status;
}

int pf_error_locate(pf_error *err, const char *file, int line, const char *field_ja,
                    const char *field_en)
{
    if (!err || !err->status)
        return 0;
    if (!err->file[0] && file)
        copy_path(err->file, sizeof err->file, file);
    if (!err->line)
        err->line = line;
    if (!err->field_en[0] && !err->field_ja[0]) {
        copy_field(err->field_ja, sizeof err->field_ja, field_ja);
        copy_field(err->field_en, sizeof err->field_en, field_en);
    }
    return err->status;
}

int pf_error_setf(pf_error *err, int status, pf_code code, const char *file, int line,
                  const char *field_ja, const char *field_en, const char *fmt_ja,
                  const char *fmt_en, ...)
{
    char ja[1024], en[1024];
    va_list ap;
    va_start(ap, fmt_en);
    vsnprintf(ja, sizeof ja, fmt_ja, ap);
    va_end(ap);
    va_start(ap, fmt_en);
    vsnprintf(en, sizeof en, fmt_en, ap);
    va_end(ap);
    return pf_error_set(err, status, code, file, line, field_ja, field_en, ja, en);
}

static void print_one(const pf_error *e, const char *field, const char *msg)
{
    pf_buf b = {0};
    pf_buf_adds(&b, "planform: ");
    if (e->file[0]) {
        char *file = pf_path_for_message(e->file);
        pf_buf_adds(&b, file);
        free(file);
        if (e->line > 0)
            pf_buf_printf(&b, ":%d", e->line);
        pf_buf_adds(&b, ": ");
    }
    if (field && field[0])
        pf_buf_printf(&b, "%s: ", field);
    pf_buf_adds(&b, msg);
    fprintf(stderr, "%s\n", b.data);
    pf_buf_free(&b);
}

void pf_error_print(const pf_error *e)
{
    char field_ja[300];
    if (e->field_ja[0] && e->field_en[0] && strcmp(e->field_ja, e->field_en) != 0)
        snprintf(field_ja, sizeof field_ja, "%s（%s）", e->field_ja, e->field_en);
    else
        snprintf(field_ja, sizeof field_ja, "%s", e->field_ja[0] ? e->field_ja : e->field_en);
    print_one(e, field_ja, e->msg_ja);
    print_one(e, e->field_en, e->msg_en);
}

int pf_errno_is_resource(int e)
{
    return e == ENOMEM || e == EMFILE || e == ENFILE || e == EAGAIN;
}

void pf_errno_text(int e, const char **ja, const char **en)
{
    static const struct {
        int e;
        const char *ja, *en;
    } known[] = {
        {ENOMEM, "メモリが足りません", "out of memory"},
        {EMFILE, "開いているファイルが多すぎます（ulimit -n の上限）",
         "too many open files (the ulimit -n limit)"},
        {ENFILE, "システム全体で開いているファイルが多すぎます",
         "too many open files in the system"},
        {EAGAIN, "スレッドを作る資源が足りません（プロセス・スレッド数の上限）",
         "out of resources to start a thread (process or thread limit)"},
        {ENOSPC, "ディスクに空きがありません", "no space left on the device"},
        {EDQUOT, "ディスクの割り当て容量を超えました", "disk quota exceeded"},
        {ENOENT, "ファイルがありません", "no such file"},
        {EACCES, "読み書きする権限がありません", "permission denied"},
        {EPERM, "許可されていない操作です", "operation not permitted"},
        {EISDIR, "フォルダです（ファイルではありません）", "is a directory"},
        {ENOTDIR, "パスの途中にフォルダでないものがあります", "a component of the path is not a directory"},
        {EROFS, "読み取り専用のファイルシステムです", "read-only file system"},
        {EIO, "入出力エラーです（ディスクや接続の障害）", "input/output error"},
        {ENAMETOOLONG, "ファイル名が長すぎます", "file name too long"},
        {ELOOP, "シンボリックリンクが循環しています", "too many levels of symbolic links"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].e == e) {
            *ja = known[i].ja;
            *en = known[i].en;
            return;
        }
    *ja = *en = strerror(e);
}

int pf_error_errno(pf_error *err, int status, pf_code code, const char *file, int line, int e,
                   const char *what_ja, const char *what_en)
{
    const char *ja, *en;
    pf_errno_text(e, &ja, &en);
    char msg_ja[1024], msg_en[1024];
    snprintf(msg_ja, sizeof msg_ja, "%s：%s", what_ja, ja);
    snprintf(msg_en, sizeof msg_en, "%s: %s", what_en, en);
    int first = err && err->status == 0;
    pf_code ran_out = pf_code_for_errno(e, PF_CODE_NONE);  /* memory, files, threads, disk */
    pf_error_set(err, ran_out ? PF_EXIT_IO : status, ran_out ? ran_out : code, file, line, NULL,
                 NULL, msg_ja, msg_en);
    if (first)
        err->sys_errno = e;
    return err ? err->status : status;
}

int pf_load_cause(const char *path, int e)
{
    if (e == ENOMEM || e == EMFILE || e == ENFILE)
        return e;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    char byte;
    struct stat st;
    int cause = 0;
    if (fstat(fd, &st) != 0)
        cause = errno;
    else if (S_ISDIR(st.st_mode))
        cause = EISDIR;
    else if (read(fd, &byte, 1) < 0)
        cause = errno;
    close(fd);
    return cause;
}

int32_t pf_utf8_next(const char *str, size_t len, size_t *i)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t p = *i;
    if (p >= len)
        return -1;
    unsigned c = s[p];
    int n;
    uint32_t cp;
    if (c < 0x80) {
        *i = p + 1;
        return (int32_t)c;
    } else if ((c & 0xE0) == 0xC0) {
        n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 3, cp = c & 0x07;
    } else {
        return -1;
    }
    for (int k = 1; k <= n; k++) {
        if (p + (size_t)k >= len || (s[p + k] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[p + k] & 0x3F);
    }
    static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *i = p + (size_t)n + 1;
    return (int32_t)cp;
}

void pf_utf8_put(pf_buf *b, uint32_t cp)
{
    char o[4];
    size_t n;
    if (cp < 0x80) {
        o[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6)), o[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)), o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18)), o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    }
    pf_buf_add(b, o, n);
}

const char *pf_memfind(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

int pf_cp_hidden(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || cp == 0x61C ||
           cp == 0x115F || cp == 0x1160 || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 ||
           cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
           (cp >= 0xE0000 && cp <= 0xE007F);
}

int pf_utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n;)
        if (pf_utf8_next(s, n, &i) < 0)
            return 0;
    return 1;
}

char *pf_path_for_message(const char *path)
{
    /* C0 and C1 controls, and the characters that reorder, hide or break text in a terminal
     * or log viewer (bidi marks, embeddings, overrides and isolates, zero-width and invisible
     * ones, line and paragraph separators, tags, fillers), are written as escapes; bytes that
     * are not UTF-8 too */
    pf_buf b = {0};
    size_t len = strlen(path), i = 0;
    while (i < len) {
        size_t at = i;
        int32_t cp = pf_utf8_next(path, len, &i);
        if (cp < 0) {
            pf_buf_printf(&b, "\\x%02X", (unsigned char)path[at]);
            i = at + 1;
        } else if (cp < 0x20 || cp == 0x7F) {
            pf_buf_printf(&b, "\\x%02X", (unsigned)cp);
        } else if (pf_cp_hidden((uint32_t)cp)) {
            pf_buf_printf(&b, "\\u%04X", (unsigned)cp);
        } else {
            pf_buf_add(&b, path + at, i - at);
        }
    }
    if (!b.data)
        pf_buf_add(&b, "", 0);
    return b.data;
}
