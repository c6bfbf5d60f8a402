/* serve/listen — the socket the service listens on: made from --listen HOST:PORT or --socket
 * PATH, or taken from systemd (socket activation: LISTEN_PID and LISTEN_FDS, the first passed
 * descriptor, 3). */
#ifndef PF_SERVE_LISTEN_H
#define PF_SERVE_LISTEN_H

#include "util/util.h"

typedef struct pf_listener {
    int fd;             /* listening, non-blocking, close-on-exec */
    int loopback;       /* reachable only from this machine: 127.0.0.0/8, ::1 or a Unix socket */
    char *unix_path;    /* a Unix socket we made (unlinked again at the end), else NULL */
    char where[160];    /* for the start-up line: "127.0.0.1:8080", "unix:/run/p.sock", ... */
} pf_listener;

/* Whether systemd passed a socket to this process (LISTEN_PID is ours and LISTEN_FDS >= 1). */
int pf_listen_activated(void);

/* Open the listener: systemd's socket when activated, else a Unix socket at `unix_path` (when
 * not NULL; an existing socket file there is replaced, any other file is refused), else TCP
 * on `addr` ("HOST:PORT", "[v6]:PORT"; NULL: 127.0.0.1:8080). Returns 0, or PF_EXIT_USAGE for an
 * address that is not one, PF_EXIT_IO when the socket cannot be made, with `err` filled. */
int pf_listen_open(pf_listener *l, const char *addr, const char *unix_path, pf_error *err);
void pf_listen_close(pf_listener *l);

#endif
