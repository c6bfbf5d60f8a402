/* serve/handler — the service's side of libmicrohttpd: one request from its headers to its
 * answer. In order: route (404), token (401), method (405), query (400), content type (415),
 * Content-Length over --max-size (413, answered before the body is read: a client that sent
 * "Expect: 100-continue" never sends it). Then the body is read as it arrives, up to --max-size
 * (past it the rest is dropped unread into memory and the answer is 413), and within a deadline
 * (a client trickling its body is cut off). Only a whole body goes to a worker (pool.h): a slow
 * client holds a connection, never an engine. The connection is suspended while a worker runs
 * the call and resumed with its answer. */
#ifndef PF_SERVE_HANDLER_H
#define PF_SERVE_HANDLER_H

#include <microhttpd.h>
#include <stdatomic.h>

#include "serve/metrics.h"
#include "serve/pool.h"
#include "serve/serve.h"

/* The service's one context: what every callback reaches through its closure. */
typedef struct pf_server {
    const pf_serve_options *o;
    pf_pool *pool;
    pf_metrics metrics;
    char *token;            /* the bearer token (NULL: none asked for) */
    size_t token_len;
    size_t max_body;
    double body_deadline;   /* seconds a whole request may take to arrive */
    char id_prefix[9];      /* random per process: request ids differ across restarts */
    atomic_ullong next_id;
    atomic_int stopping;    /* SIGTERM: new requests get 503 */
    atomic_int suspended;   /* requests handed to the pool and not yet answered: MHD cannot be
                               stopped while one is */
} pf_server;

/* The callbacks, for MHD_start_daemon (closure: the pf_server). */
enum MHD_Result pf_handle(void *cls, struct MHD_Connection *conn, const char *url,
                          const char *method, const char *version, const char *upload_data,
                          size_t *upload_data_size, void **con_cls);
void pf_handle_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe);

/* Whether `given` equals the token, in time that does not depend on where they differ. */
int pf_token_equal(const char *given, size_t given_len, const char *token, size_t token_len);

#endif
