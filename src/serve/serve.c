/* serve — start, signals, stop. See serve.h for the whole and handler.h for one request. */
#include "serve/serve.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "serve/handler.h"
#include "serve/listen.h"
#include "serve/log.h"
#include "serve/mhdlib.h"
#include "util/files.h"
#include "util/json.h"

#define DEFAULT_TIMEOUT 30
#define DEFAULT_CONNECTIONS 256
#define DEFAULT_GRACE 20
#define TOKEN_MAX 4096

/* The token: the first line of the file (a BOM before it and CR LF after it are not part of
 * it), at least 16 bytes. */
static int read_token(const char *path, pf_server *s, pf_error *err)
{
    char *text;
    size_t len;
    if (pf_read_file_max(path, TOKEN_MAX, &text, &len, err))
        return err->status == PF_EXIT_IO ? PF_EXIT_USAGE : err->status;
    char *t = text;
    if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
        t += 3;
    size_t n = strcspn(t, "\r\n");
    int rc = 0;
    if (len > TOKEN_MAX || n < 16)
        rc = pf_error_set(err, PF_EXIT_USAGE, PF_CODE_USAGE, path, 0, NULL, NULL,
                          "--token-file の一行目はトークン（16 バイト以上、4096 バイトまで）です",
                          "--token-file: the first line must be the token (16 to 4096 bytes)");
    else
        s->token = pf_xstrndup(t, n), s->token_len = n;
    /* the file's copy goes */
    volatile char *p = text;
    for (size_t i = 0; i < len; i++)
        p[i] = 0;
    free(text);
    return rc;
}

static void forget_token(pf_server *s)
{
    if (!s->token)
        return;
    volatile char *p = s->token;
    for (size_t i = 0; i < s->token_len; i++)
        p[i] = 0;
    free(s->token);
    s->token = NULL;
}

static void usage_message(const pf_error *err)
{
    pf_error_print(err);
}

static long in_flight(pf_server *s)
{
    pthread_mutex_lock(&s->metrics.lock);
    long n = s->metrics.in_flight;
    pthread_mutex_unlock(&s->metrics.lock);
    return n;
}

/* Wait for the signals the service acts on; they are blocked in every thread (the mask is
 * inherited by the pool's and MHD's threads), so only this loop sees them. Returns when told
 * to stop. */
static int wait_for_stop(pf_server *s, const sigset_t *set)
{
    for (;;) {
        int sig;
        if (sigwait(set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            pf_log_line("reload", NULL);
            pf_pool_reload(s->pool);
            continue;
        }
        return sig;
    }
}

int pf_serve_run(const pf_serve_options *o)
{
    pf_server s;
    memset(&s, 0, sizeof s);
    s.o = o;
    s.max_body = o->reading.max_bytes;
    int timeout = o->timeout > 0 ? o->timeout : DEFAULT_TIMEOUT;
    s.body_deadline = 4.0 * timeout;
    int grace = o->grace > 0 ? o->grace : DEFAULT_GRACE;
    int jobs = o->jobs > 0 ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    int queue = o->queue >= 0 ? o->queue : 8 * jobs;
    pf_error err = {0};

    if (pf_mhd_load(&err)) {  /* before anything else: a service without its HTTP library */
        pf_error_print(&err);
        return err.status;
    }
    if (o->token_file && read_token(o->token_file, &s, &err)) {
        usage_message(&err);
        return err.status;
    }
    pf_listener l;
    if (pf_listen_open(&l, o->listen, o->socket, &err)) {
        pf_error_print(&err);
        forget_token(&s);
        return err.status;
    }
    if (!l.loopback && !s.token) {
        char *ja = pf_xasprintf("%s はループバックではありません：ほかの機械から届くアドレスには "
                                "--token-file が必要です（TLS はリバースプロキシで）", l.where);
        char *en = pf_xasprintf("%s is not loopback: listening where other machines reach it "
                                "needs --token-file (and TLS through a reverse proxy)", l.where);
        pf_error_set(&err, PF_EXIT_USAGE, PF_CODE_USAGE, NULL, 0, NULL, NULL, ja, en);
        free(ja);
        free(en);
        pf_error_print(&err);
        pf_listen_close(&l);
        return PF_EXIT_USAGE;
    }
    unsigned char rnd[4] = {0};
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
        unsigned v = (unsigned)getpid() ^ (unsigned)time(NULL);  /* ids need not be secret */
        memcpy(rnd, &v, sizeof rnd);
    }
    snprintf(s.id_prefix, sizeof s.id_prefix, "%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3]);

    /* SIGTERM, SIGINT, SIGHUP only for sigwait below: blocked before any thread starts */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    signal(SIGPIPE, SIG_IGN);   /* a client gone mid-answer is an error return, not a death */

    pf_metrics_init(&s.metrics);
    s.pool = pf_pool_start(jobs, queue, o->datadir, &o->reading, &err);
    if (!s.pool) {
        pf_error_print(&err);
        pf_listen_close(&l);
        pf_metrics_free(&s.metrics);
        forget_token(&s);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return err.status;
    }
    struct MHD_Daemon *d = MHD(MHD_start_daemon)(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL, pf_handle, &s,
        MHD_OPTION_LISTEN_SOCKET, l.fd, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)(o->max_connections > 0 ? o->max_connections
                                                                       : DEFAULT_CONNECTIONS),
        MHD_OPTION_NOTIFY_COMPLETED, pf_handle_completed, &s, MHD_OPTION_END);
    if (!d) {
        pf_error_set(&err, PF_EXIT_IO, PF_CODE_IO_ERROR, NULL, 0, NULL, NULL,
                     "HTTP サーバーを起動できません", "cannot start the HTTP server");
        pf_error_print(&err);
        pf_pool_stop(s.pool);
        pf_listen_close(&l);
        pf_metrics_free(&s.metrics);
        forget_token(&s);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return err.status;
    }
    pf_buf line = {0};
    pf_buf_adds(&line, ", ");
    pf_json_key(&line, "address", 1);
    pf_json_string(&line, l.where);
    pf_buf_printf(&line, ", \"jobs\": %d, \"queue\": %d, \"max_size\": %zu, \"timeout\": %d, "
                         "\"token\": %s, \"pid\": %ld",
                  jobs, queue, s.max_body, timeout, s.token ? "true" : "false", (long)getpid());
    pf_log_line("listening", line.data);
    pf_buf_free(&line);

    int sig = wait_for_stop(&s, &set);

    /* stop accepting (the listening socket is ours again, closed below), answer what is in */
    atomic_store(&s.stopping, 1);
    int lfd = MHD(MHD_quiesce_daemon)(d);
    if (lfd >= 0)
        close(lfd);
    l.fd = -1;
    pf_log_line(sig == SIGINT ? "stopping-sigint" : "stopping-sigterm", NULL);
    struct timespec tick = {0, 20 * 1000 * 1000};
    /* until every request is answered and no connection is left suspended on a worker: a
     * client that hung up is no longer in flight, but its request may still be on a worker
     * (wrk closing 32 connections at once left one, and the stop ended at once in exit 4) */
    for (long waited = 0; (in_flight(&s) > 0 || atomic_load(&s.suspended) > 0) &&
                          waited < grace * 50L;
         waited++)
        nanosleep(&tick, NULL);
    int left = atomic_load(&s.suspended);
    if (left > 0) {
        /* a request still on a worker: its connection is suspended, and MHD cannot be stopped
         * under it; the process ends here (systemd would kill it next) */
        char rest[80];
        snprintf(rest, sizeof rest, ", \"unfinished\": %d", left);
        pf_log_line("grace-expired", rest);
        _exit(PF_EXIT_IO);
    }
    MHD(MHD_stop_daemon)(d);   /* idle keep-alive connections and clients too slow are closed */
    pf_pool_stop(s.pool);
    pf_listen_close(&l);  /* a Unix socket file goes */
    pf_metrics_free(&s.metrics);
    forget_token(&s);
    pf_log_line("stopped", NULL);
    /* A second SIGTERM may be pending (timeout(1) sends one to the process and one to its
     * group): taken here, or unblocking would let it kill the process after a clean stop. */
    struct timespec none = {0, 0};
    while (sigtimedwait(&set, NULL, &none) > 0)
        ;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 0;
}
