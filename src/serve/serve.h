/* serve — `planform serve`: the document-generation service other systems call over HTTP, on
 * GNU libmicrohttpd. The same engine code as the command line (render.h), kept warm: one engine
 * per worker, as batch has.
 *
 * How a request goes (the files of src/serve/, one job each):
 *   listen.c     the listening socket: --listen HOST:PORT, --socket PATH, or systemd's
 *                (LISTEN_FDS); whether it is loopback (off loopback a token is required)
 *   handler.c    libmicrohttpd's callbacks: route, token, query, content type, the body read
 *                incrementally up to --max-size, then the request suspended and handed to…
 *   pool.c       …the workers, each with its warm engine, behind a bounded queue (503 past it);
 *                SIGHUP has each reopen its engine between two requests
 *   endpoints.c  what each endpoint does with a body on an engine, and the error → HTTP status
 *   metrics.c    the counters of /metrics and the access log (JSON lines on stderr)
 *   serve.c      start, the signal loop (SIGTERM/SIGINT: stop accepting, finish in-flight
 *                requests within a grace period, exit 0; SIGHUP: reload), stop
 *
 * Nothing of a request's content is logged: the access log has time, request id, method,
 * endpoint, status, error code, bytes and milliseconds; never the query, a header, the body,
 * the client's address, or a message (messages may name fields of the person's data). */
#ifndef PF_SERVE_H
#define PF_SERVE_H

#include "bundle/bundle.h"

typedef struct pf_serve_options {
    const char *listen;      /* "HOST:PORT" ("[::1]:8080" for IPv6); NULL: 127.0.0.1:8080 */
    const char *socket;      /* a Unix socket path instead (NULL: none) */
    const char *token_file;  /* the bearer token on the file's first line (NULL: none) */
    const char *datadir;
    int jobs;                /* workers, each with an engine; 0: the number of cores */
    int queue;               /* requests that may wait for a worker; -1: 8 per worker */
    int timeout;             /* seconds a connection may be idle, and 4x that for a whole
                                request body; 0: 30 */
    int max_connections;     /* 0: 256 */
    int grace;               /* seconds to finish in-flight requests on SIGTERM; 0: 20 */
    pf_read_options reading; /* --max-size is also the largest request body */
} pf_serve_options;

/* Run the server in the foreground until SIGTERM or SIGINT. Returns the exit status: 0 after a
 * graceful stop; 2 for options that cannot work (a non-loopback address without a token, an
 * address that is not one); 3 when the engines cannot load their data; 4 when the socket cannot
 * be made (address in use, no permission). */
int pf_serve_run(const pf_serve_options *o);

#endif
