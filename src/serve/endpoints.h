/* serve/endpoints — what each endpoint of the service does, on the engine code the command line
 * uses (no second pipeline): render, validate, check, schedule and draft-isp of one bundle in a
 * request body, with the same JSON as their --json output; and an error as the JSON line of the
 * CLI's --json diagnostics (util/json.h) with the HTTP status that fits it.
 * Knows nothing of libmicrohttpd: handler.c turns requests into a pf_call and back. */
#ifndef PF_SERVE_ENDPOINTS_H
#define PF_SERVE_ENDPOINTS_H

#include <stddef.h>

#include "render.h"
#include "util/util.h"

typedef enum pf_endpoint {
    PF_EP_RENDER,
    PF_EP_VALIDATE,
    PF_EP_CHECK,
    PF_EP_SCHEDULE,
    PF_EP_DRAFT,
    PF_EP_HEALTHZ,
    PF_EP_METRICS,
    PF_EP_NONE,         /* no such endpoint: "other" in the metrics */
    PF_N_ENDPOINTS
} pf_endpoint;

/* The endpoint's path ("/v1/render"), "other" for PF_EP_NONE. */
const char *pf_endpoint_path(pf_endpoint ep);
/* The endpoint at `url` (the path, without the query), PF_EP_NONE if none. */
pf_endpoint pf_endpoint_find(const char *url);
/* Whether it takes POST with a bundle (else GET). */
int pf_endpoint_posts(pf_endpoint ep);

/* One call of an endpoint: its parameters, then the body. */
typedef struct pf_call {
    pf_endpoint ep;
    unsigned forms;         /* render, validate: PF_FORM_* (default all) */
    long today;             /* check, schedule: YYYYMMDD (0: today) */
    char *provider, *plan;  /* draft-isp */
    char *password;         /* render: encrypt with it (from the Planform-Password header) */
    int quote;              /* check: findings may quote the input's text (serve --verbose) */
    char *body;             /* the request body (NUL-terminated), len bytes */
    size_t len;
} pf_call;

/* Take one query parameter of the call's endpoint. Returns 0, or fills `err` (usage: an unknown
 * parameter, a bad value, a `password`, which never goes in a URL) and returns its status. */
int pf_call_param(pf_call *c, const char *key, const char *value, pf_error *err);
/* After the parameters: what the endpoint requires (draft-isp's provider). 0 or the status. */
int pf_call_ready(const pf_call *c, pf_error *err);
void pf_call_free(pf_call *c);   /* the password is wiped before it is freed */

/* What the endpoint answers. */
typedef struct pf_answer {
    int status;             /* HTTP */
    const char *type;       /* Content-Type (static) */
    char *body;             /* malloc'd */
    size_t len;
    char code[48];          /* an error's code, for the access log ("" on success) */
} pf_answer;

/* The name errors give for the request body where the CLI gives the file's. */
#define PF_REQUEST_NAME "<request>"

/* Run the call on an engine (opened for render) into `a`. */
void pf_call_run(pf_engine *e, const pf_call *c, pf_answer *a);

/* An error as the answer: its JSON line (the CLI's --json diagnostics) and the status: 400 for
 * invalid input and usage, 413 too-large, 404, 405, 415, 401, 503 for their codes and for a
 * system that ran out of memory or descriptors; 500 only for the server's own failures (its
 * fonts or templates broken, the PDF library failing), never for bad input. */
void pf_answer_error(pf_answer *a, const pf_error *err);
/* An answer of static text (healthz, metrics) or of a pf_buf taken over. */
void pf_answer_buf(pf_answer *a, int status, const char *type, pf_buf *b);
void pf_answer_free(pf_answer *a);

#endif
