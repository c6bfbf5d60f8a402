/* util — the few things every stage needs: checked allocation, a growable byte buffer,
 * growable arrays, and the error record that travels back to the command line.
 *
 * Allocation failure is not recoverable in a converter (like git's xmalloc): pf_xmalloc and
 * friends print a message and exit with PF_EXIT_IO, so the rest of the code can treat an
 * allocation as a value. Every allocation in planform goes through them. */
#ifndef PF_UTIL_H
#define PF_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

/* Exit codes that other systems act on (README, "Exit status"). */
enum {
    PF_EXIT_OK = 0,
    PF_EXIT_INVALID = 1,   /* the input is invalid (or `check` found errors) */
    PF_EXIT_USAGE = 2,     /* bad command line */
    PF_EXIT_RESOURCE = 3,  /* a font or template is missing or broken (never for want of
                              memory or descriptors: see pf_error_errno) */
    PF_EXIT_IO = 4         /* reading or writing a file failed; out of memory, open files */
};

void *pf_xmalloc(size_t n);
void *pf_xcalloc(size_t n, size_t size);
void *pf_xrealloc(void *p, size_t n);
char *pf_xstrdup(const char *s);
char *pf_xstrndup(const char *s, size_t n);
char *pf_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow an array `a` of `n` used / `cap` allocated elements so that one more fits. */
#define PF_GROW(a, n, cap)                                                   \
    do {                                                                     \
        if ((n) >= (cap)) {                                                  \
            (cap) = (cap) ? (cap) * 2 : 8;                                   \
            (a) = pf_xrealloc((a), (size_t)(cap) * sizeof *(a));             \
        }                                                                    \
    } while (0)

/* A growable byte buffer; `data` is always NUL-terminated. */
typedef struct pf_buf {
    char *data;
    size_t len, cap;
} pf_buf;

void pf_buf_add(pf_buf *b, const void *p, size_t n);
void pf_buf_adds(pf_buf *b, const char *s);
void pf_buf_printf(pf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Four upper-case hex digits of the low 16 bits of v (CIDs, UTF-16 in PDF strings). */
void pf_buf_hex4(pf_buf *b, unsigned v);
void pf_buf_free(pf_buf *b);

/* Stable machine-readable error codes (README, "Diagnostic codes"): other systems act on them,
 * so a code never changes its meaning; new ones may be added. The names are kebab-case. Each
 * code belongs with one exit status (given in the README), except that pf_error_errno turns any
 * code into out-of-memory, too-many-files, no-thread or no-space when the system ran out. */
typedef enum pf_code {
    PF_CODE_NONE = 0,            /* none given: derived from the status (pf_code_for_status) */
    /* the input (exit 1) */
    PF_CODE_TOO_LARGE,           /* the file is over --max-size */
    PF_CODE_FIELD_TOO_LONG,      /* a field over 100,000 characters */
    PF_CODE_TOO_MANY_PAGES,      /* the document would be over 500 pages */
    PF_CODE_TOO_DEEP,            /* elements nested deeper than the format allows */
    PF_CODE_XML_ENCODING,        /* not UTF-8 or the encoding it declares; UTF-16/UTF-32 */
    PF_CODE_CONTROL_CHAR,        /* NUL or another control character */
    PF_CODE_DOCTYPE_REFUSED,     /* a DOCTYPE (entities, external DTDs) */
    PF_CODE_XML_NOT_WELL_FORMED, /* not well-formed XML */
    PF_CODE_NOT_A_BUNDLE,        /* another root element or namespace */
    PF_CODE_UNEXPECTED_ELEMENT,  /* an element the schema does not have there (unknown, out
                                    of order, or one missing before it) */
    PF_CODE_MISSING_ELEMENT,     /* a required element is missing */
    PF_CODE_UNKNOWN_ATTRIBUTE,   /* an attribute the schema does not have there */
    PF_CODE_MISSING_ATTRIBUTE,   /* a required attribute is missing */
    PF_CODE_DUPLICATE,           /* an id or priority given twice */
    PF_CODE_INVALID_VALUE,       /* a value out of range or not of its form */
    PF_CODE_INVALID_DATE,        /* a date not written as one, or one that does not exist */
    PF_CODE_SCHEMA_INVALID,      /* anything else the schema refuses */
    PF_CODE_BROKEN_LINK,         /* a reference (plan=, isp=, need=, goal=) to nothing */
    PF_CODE_FORM_NOT_IN_BUNDLE,  /* --form names a form the bundle has none of */
    PF_CODE_PROVIDER_NOT_IN_PLAN,/* draft-isp --provider names no provider of the plan */
    PF_CODE_CHAR_NOT_PRINTABLE,  /* no font of the chain has a character */
    PF_CODE_INVALID_INPUT,       /* any other invalid input */
    /* the command line (exit 2) */
    PF_CODE_USAGE,
    /* the signing key and certificates the command line names (exit 2) */
    PF_CODE_SIGN_KEY_EXPOSED,    /* the key file is open to group or others */
    PF_CODE_SIGN_KEY_INVALID,    /* not a PEM private key (or encrypted), or one that cannot sign */
    PF_CODE_SIGN_CERT_INVALID,   /* no PEM certificate in --sign-cert or --sign-chain */
    PF_CODE_SIGN_CERT_EXPIRED,   /* the certificate has expired or is not valid yet */
    PF_CODE_SIGN_KEY_MISMATCH,   /* the key is not the certificate's */
    /* planform's data (exit 3) */
    PF_CODE_FONT_MISSING,        /* a font the chain names is not installed or its file is gone */
    PF_CODE_FONT_BROKEN,         /* a font file or the font configuration is damaged */
    PF_CODE_TEMPLATE_BROKEN,     /* a template or the schema is missing or damaged */
    PF_CODE_ICU_BROKEN,          /* ICU (line breaking) cannot be set up */
    PF_CODE_LIBRARY_MISSING,     /* a library loaded only when needed (libqpdf) is missing */
    PF_CODE_DATA_BROKEN,         /* any other data file */
    /* the system (exit 4) */
    PF_CODE_IO_READ,             /* a file cannot be read */
    PF_CODE_IO_WRITE,            /* a file cannot be written */
    PF_CODE_NO_SPACE,            /* the disk is full or the quota used up */
    PF_CODE_OUT_OF_MEMORY,
    PF_CODE_TOO_MANY_FILES,      /* the limit of open files (ulimit -n, or the system's) */
    PF_CODE_NO_THREAD,           /* no thread could be started */
    PF_CODE_LOCKED,              /* another planform is writing into the folder */
    PF_CODE_PDF_ERROR,           /* the PDF library failed (libharu, merging) */
    PF_CODE_ENCRYPT_FAILED,      /* the PDF could not be encrypted (qpdf, random bytes) */
    PF_CODE_SIGN_FAILED,         /* the PDF could not be signed (reading it, OpenSSL) */
    PF_CODE_IO_ERROR,            /* any other failure of the system */
    /* batch (128 + signal) */
    PF_CODE_INTERRUPTED,         /* stopped by a signal */
    /* the service (planform serve): a request refused before any bundle is read */
    PF_CODE_NOT_FOUND,           /* no such endpoint (HTTP 404) */
    PF_CODE_METHOD_NOT_ALLOWED,  /* the endpoint does not take this method (405) */
    PF_CODE_UNSUPPORTED_MEDIA,   /* the body is not XML by its Content-Type (415) */
    PF_CODE_UNAUTHORIZED,        /* the bearer token is missing or wrong (401) */
    PF_CODE_BUSY,                /* every engine busy and the queue full, or stopping (503) */
    PF_N_CODES
} pf_code;

/* The code's name ("broken-link"); "" for PF_CODE_NONE or a value out of range. */
const char *pf_code_name(pf_code c);
/* The code an error of this exit status has when nothing finer is known: invalid-input,
 * usage, data-broken, io-error, interrupted. */
pf_code pf_code_for_status(int status);

/* An error as the user sees it: where (file, line, field) and what, in Japanese and English.
 * `status` is the exit code it maps to, `code` its stable name (never empty once set). Any
 * other part may be empty. Fields and messages are always valid UTF-8 (pf_error_set replaces
 * what is not); `file` is kept as given (printers escape it). */
typedef struct pf_error {
    int status;
    char code[48];          /* e.g. "schema-invalid" (pf_code_name) */
    char file[512];
    int line;               /* 0: no line */
    char field_ja[128];     /* e.g. 受給者証番号 */
    char field_en[128];     /* e.g. recipient-number */
    char msg_ja[1024];
    char msg_en[1024];
    int sys_errno;          /* the system error behind it (errno), 0 if none */
} pf_error;

/* Fill `err` (if it is still empty: the first error wins) and return its status. `code`
 * PF_CODE_NONE takes the status's (pf_code_for_status). */
int pf_error_set(pf_error *err, int status, pf_code code, const char *file, int line,
                 const char *field_ja, const char *field_en, const char *msg_ja,
                 const char *msg_en);
/* Same, with printf-style messages: `fmt_ja` and `fmt_en` take the same arguments. */
int pf_error_setf(pf_error *err, int status, pf_code code, const char *file, int line,
                  const char *field_ja, const char *field_en, const char *fmt_ja,
                  const char *fmt_en, ...);
/* Say where an error happened when the module that raised it could not know: text/ formats a
 * date or breaks a line without knowing the file, the line or the field; its caller does.
 * Fills file, line and field where the error still lacks them (the first error wins: what is
 * already set stays, and an empty `err` stays empty). Returns err's status. */
int pf_error_locate(pf_error *err, const char *file, int line, const char *field_ja,
                    const char *field_en);
/* Print as two lines (Japanese, then English) to stderr, prefixed with "planform: ". */
void pf_error_print(const pf_error *err);

/* ---- the system's failures, worded one way everywhere ----
 * A file that cannot be loaded is either its own fault (missing, unreadable, damaged: the
 * caller's status, e.g. PF_EXIT_RESOURCE for a font or template) or the system's: out of
 * memory, too many open files, no thread could be started. The system's is always PF_EXIT_IO
 * with a message naming what ran out, never "damaged" or "not installed": the files are fine
 * and a rerun with more memory or a higher `ulimit -n` works. */

/* Whether errno value e says the system ran out of something (ENOMEM, EMFILE, ENFILE, EAGAIN). */
int pf_errno_is_resource(int e);
/* What errno value e means, in Japanese and English ("メモリが足りません" / "out of memory",
 * "開いているファイルが多すぎます" / "too many open files", "ファイルがありません" / "no such
 * file", ...); unknown values give strerror's text for both. The strings are static. */
void pf_errno_text(int e, const char **ja, const char **en);
/* Fill err with "<what_ja>：<cause>" / "<what_en>: <cause>" for errno value e. When e says the
 * system ran out of something (out-of-memory, too-many-files, no-thread,
 * no-space) that is the code and the status is PF_EXIT_IO; else `status` and `code`. Returns
 * the status set. */
int pf_error_errno(pf_error *err, int status, pf_code code, const char *file, int line, int e,
                   const char *what_ja, const char *what_en);
/* After a library failed to load the file at `path`, the errno value that explains it, or 0
 * when the file itself opens and reads, so the failure lies in its content (or in memory the
 * library does not report). `e` is errno as the library left it (set errno to 0 before the
 * call): ENOMEM, EMFILE or ENFILE there is the cause; otherwise the file is opened and read
 * once here, which fails the same way the library did when descriptors ran out. */
int pf_load_cause(const char *path, int e);
/* Print "out of memory" (with the size asked for, when not 0) and exit with PF_EXIT_IO: for an
 * allocation a library reports failed where the caller has no way to return an error. */
_Noreturn void pf_out_of_memory(size_t n);

/* Whether the n bytes at s are valid UTF-8 (no overlong forms, surrogates or values past
 * U+10FFFF). */
int pf_utf8_valid(const char *s, size_t n);

/* Decode one UTF-8 code point at s[*i] (advancing *i). Returns -1 on malformed input. */
int32_t pf_utf8_next(const char *s, size_t len, size_t *i);
/* Append the UTF-8 encoding of cp. */
void pf_utf8_put(pf_buf *b, uint32_t cp);

/* The first occurrence of the string `needle` in the n bytes at `hay` (which may hold NULs and
 * need not be terminated), or NULL. */
const char *pf_memfind(const char *hay, size_t n, const char *needle);

/* Whether code point cp is one that hides, reorders or breaks text in a terminal or log viewer:
 * C0 and C1 controls, DEL, bidi marks, embeddings, overrides and isolates, zero-width and
 * invisible characters, line and paragraph separators, tags, fillers. */
int pf_cp_hidden(uint32_t cp);

/* A path for messages: control characters (a newline in a file name would forge a log line)
 * written as \xNN, bidi and zero-width format characters as \uNNNN. Returns a new string. */
char *pf_path_for_message(const char *path);

/* Reading and writing files: util/files.h. */

#endif
