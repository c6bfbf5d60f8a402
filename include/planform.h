/* planform.h — libplanform, the C API of planform: XML plan bundles (サービス等利用計画,
 * 個別支援計画, モニタリング) to Japanese-typeset PDF forms, from memory to memory.
 *
 * The library is the engine the planform command runs (render, validate, check): the same
 * schema, rules, templates, fonts and messages, and the same objects (the command is linked
 * from them too). This header is the whole public interface; it lives in include/, apart from
 * the engine's own headers in src/, so that nothing internal can leak into it, and the shared
 * library exports only the planform_* names declared here.
 *
 *     cc app.c $(pkg-config --cflags --libs planform)
 *
 *     planform_error *err = NULL;
 *     planform_engine *e = planform_open(NULL, 0, &err);          // once
 *     unsigned char *pdf; size_t n;
 *     if (e && planform_render(e, "a-san.xml", xml, xml_len, NULL, NULL, &pdf, &n, &err) == 0) {
 *         fwrite(pdf, 1, n, out);
 *         planform_free(pdf);
 *     } else {
 *         fprintf(stderr, "%s:%d: %s\n", err->file, err->line, err->message_en);
 *     }
 *     planform_error_free(err);
 *     planform_close(e);
 *
 * Rules of use:
 * - An engine loads the schema, the form templates and the fonts once, when it is opened,
 *   and is reused for any number of bundles. There is no global state: one engine per thread
 *   (an engine is not to be used by two threads at once); engines in different threads are
 *   independent.
 * - Every call that can fail returns 0 or a status (PLANFORM_INVALID ...: the planform
 *   command's exit status for the same failure) and, when `err` is not NULL, sets *err to an
 *   error the caller frees with planform_error_free (NULL on success).
 * - Bytes and lists the library returns are the caller's, freed with planform_free,
 *   planform_findings_free and planform_error_free; the library keeps no pointer to the
 *   caller's memory after a call returns.
 * - Messages name file, line and field but do not quote the input's values (plans hold
 *   personal data; messages end up in logs) unless the engine is opened with PLANFORM_VERBOSE.
 * - Like the command, the library treats running out of memory as fatal: the process prints
 *   "out of memory" and exits with status 4. libxml2's allocator is set, once per process, to
 *   one that does the same (plain malloc/free otherwise, so libxml2 in the host program keeps
 *   working).
 * - Stability: names, values and struct fields declared here stay as they are within a major
 *   version (the soname libplanform.so.0); fields may only be added at the end of the structs,
 *   which the library allocates, never the caller. */
#ifndef PLANFORM_H
#define PLANFORM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PLANFORM_API __attribute__((visibility("default")))
#else
#define PLANFORM_API
#endif

#define PLANFORM_VERSION "0.1.0"
#define PLANFORM_VERSION_MAJOR 0
#define PLANFORM_VERSION_MINOR 1
#define PLANFORM_VERSION_PATCH 0
/* The version of the library linked in ("0.1.0"), which may be newer than the header's. */
PLANFORM_API const char *planform_version(void);

/* Statuses: the planform command's exit codes for the same failures. */
enum {
    PLANFORM_OK = 0,
    PLANFORM_INVALID = 1,   /* the bundle is invalid (schema, rules, a character no font has) */
    PLANFORM_USAGE = 2,     /* a bad argument (NULL where bytes are needed, an unknown form) */
    PLANFORM_RESOURCE = 3,  /* a template, the schema or a font is missing or broken */
    PLANFORM_IO = 4         /* reading failed, or the system ran out of descriptors */
};

/* An error as the command prints it. Every string is set ("" when there is nothing to say) and
 * lives as long as the error. */
typedef struct planform_error {
    int status;             /* PLANFORM_INVALID ... (never 0) */
    const char *code;       /* a stable code for programs to act on (README, "Diagnostic codes") */
    const char *file;       /* the name given for the bundle, or a data file's path */
    int line;               /* 0: no line */
    const char *field_ja;   /* e.g. 障害福祉サービス受給者証番号 */
    const char *field_en;   /* e.g. recipient-number */
    const char *message_ja;
    const char *message_en;
    int sys_errno;          /* the system error behind it (errno), 0 if none */
} planform_error;

PLANFORM_API void planform_error_free(planform_error *err);

/* ---- the engine ---- */

typedef struct planform_engine planform_engine;

/* planform_open flags */
#define PLANFORM_VERBOSE 1u  /* messages may quote the input's values (the command's --verbose) */
/* consent boxes are not also empty PDF signature fields (the command's --no-signature-fields) */
#define PLANFORM_NO_SIGNATURE_FIELDS 2u

/* Load the data directory `datadir` (templates/ and fonts/; NULL: $PLANFORM_DATA, else the
 * directory planform was installed with, PREFIX/share/planform). Returns the engine, or NULL
 * with *err set (PLANFORM_RESOURCE: a file of the data directory is missing or broken). */
PLANFORM_API planform_engine *planform_open(const char *datadir, unsigned flags,
                                            planform_error **err);
PLANFORM_API void planform_close(planform_engine *engine);

/* The largest bundle read, in bytes (default 16 MiB, the command's --max-size; at most 2 GiB).
 * Returns 0, or PLANFORM_USAGE for 0 or more than 2 GiB. */
PLANFORM_API int planform_set_max_input(planform_engine *engine, size_t bytes);

/* ---- bundles: `name` names the bundle in messages (NULL: "<memory>"); `xml` and `len` are
 * its bytes, as they would be in the file ---- */

/* Render's preflight without rendering: every rule that can stop planform_render of the same
 * bytes and `forms` (as for planform_render; NULL: all) is run, so 0 means that render
 * succeeds (short of memory); otherwise the status, with *err set to render's own error. */
PLANFORM_API int planform_validate(planform_engine *engine, const char *name, const void *xml,
                                   size_t len, const char *forms, planform_error **err);

/* Render the bundle into one PDF in *pdf (*pdf_len bytes; free it with planform_free).
 * `forms`: "plan", "isp", "linkage", "monitoring", "evaluation" or "all", comma-separated, as
 * the command's --form (NULL: "all", every form the bundle has; a form asked for by name that
 * the bundle has none of is PLANFORM_INVALID). `password` (NULL: none) encrypts the PDF with
 * AES-256 as the command's --password-file does: it opens only with the password; printing and
 * copying are allowed. An empty password or one over 127 bytes is PLANFORM_USAGE (an empty one
 * would open without asking). On failure *pdf is NULL and *pdf_len 0. */
PLANFORM_API int planform_render(planform_engine *engine, const char *name, const void *xml,
                                 size_t len, const char *forms, const char *password,
                                 unsigned char **pdf, size_t *pdf_len, planform_error **err);

PLANFORM_API void planform_free(void *p);

/* ---- consistency findings (the command's `check`) ---- */

enum { PLANFORM_INFO = 0, PLANFORM_WARNING = 1, PLANFORM_ERROR = 2 };

typedef struct planform_finding {
    int severity;           /* PLANFORM_INFO, PLANFORM_WARNING or PLANFORM_ERROR */
    const char *rule;       /* a stable rule id, e.g. "goal-need-missing" (README, man page) */
    const char *message_ja;
    const char *message_en;
    const char *file;       /* the name given for the bundle */
    int line;               /* the line of the input it is about; 0: none */
} planform_finding;

typedef struct planform_findings planform_findings;

/* Read the bundle and run every consistency rule. `today` ("YYYY-MM-DD", a day that exists;
 * NULL: today, local time) is the day the monitoring schedule is seen from. Returns 0 with
 * *findings set (possibly empty; findings of severity PLANFORM_ERROR do not make the return
 * value non-zero: the command exits 1 for them), or a status with *findings NULL and *err
 * set: PLANFORM_INVALID for a bundle that cannot be read, PLANFORM_USAGE for a bad `today`. */
PLANFORM_API int planform_check(planform_engine *engine, const char *name, const void *xml,
                                size_t len, const char *today, planform_findings **findings,
                                planform_error **err);
/* How many findings, and the i-th (in the order of the input; NULL when i is out of range).
 * A finding lives as long as its list. */
PLANFORM_API size_t planform_findings_count(const planform_findings *findings);
PLANFORM_API const planform_finding *planform_finding_at(const planform_findings *findings,
                                                         size_t i);
PLANFORM_API void planform_findings_free(planform_findings *findings);

#ifdef __cplusplus
}
#endif

#endif
