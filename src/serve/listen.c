/* serve/listen — the listening socket: TCP, a Unix socket, or systemd's. See listen.h. */
#include "serve/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/files.h"

#define BACKLOG 128
#define SD_LISTEN_FDS_START 3   /* systemd passes its sockets from descriptor 3 on */

int pf_listen_activated(void)
{
    const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
    return pid && fds && strtol(pid, NULL, 10) == (long)getpid() && strtol(fds, NULL, 10) >= 1;
}

static int flags(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
           fcntl(fd, F_SETFD, FD_CLOEXEC) < 0;
}

/* What the socket is bound to, for the start-up line, and whether only this machine reaches it. */
static void describe(pf_listener *l)
{
    struct sockaddr_storage ss;
    socklen_t n = sizeof ss;
    char host[INET6_ADDRSTRLEN] = "?";
    l->loopback = 0;
    if (getsockname(l->fd, (struct sockaddr *)&ss, &n) != 0)
        return;
    if (ss.ss_family == AF_UNIX) {
        const struct sockaddr_un *u = (const struct sockaddr_un *)&ss;
        snprintf(l->where, sizeof l->where, "unix:%.150s", u->sun_path);
        l->loopback = 1;
    } else if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        snprintf(l->where, sizeof l->where, "%s:%u", host, ntohs(a->sin_port));
        l->loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
    } else if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
        snprintf(l->where, sizeof l->where, "[%s]:%u", host, ntohs(a->sin6_port));
        const unsigned char *b = a->sin6_addr.s6_addr;
        l->loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr) ||
                      (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr) && b[12] == 127);
    }
}

static int bad_address(pf_error *err, const char *addr)
{
    char *shown = pf_path_for_message(addr);
    pf_error_setf(err, PF_EXIT_USAGE, PF_CODE_USAGE, NULL, 0, NULL, NULL,
                  "--listen はアドレス:ポート（例 127.0.0.1:8080、[::1]:8080）です: %s",
                  "--listen takes HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080): %s", shown);
    free(shown);
    return PF_EXIT_USAGE;
}

static int open_tcp(pf_listener *l, const char *addr, pf_error *err)
{
    /* "HOST:PORT" or "[V6]:PORT": the port after the last colon */
    const char *colon = strrchr(addr, ':');
    if (!colon || colon == addr || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
        return bad_address(err, addr);
    char *host = pf_xstrndup(addr, (size_t)(colon - addr));
    if (host[0] == '[') {
        size_t n = strlen(host);
        if (n < 3 || host[n - 1] != ']') {
            free(host);
            return bad_address(err, addr);
        }
        memmove(host, host + 1, n - 2);
        host[n - 2] = 0;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *res = NULL;
    int gai = getaddrinfo(host, colon + 1, &hints, &res);
    free(host);
    if (gai != 0 || !res)
        return bad_address(err, addr);
    int e = 0;
    l->fd = socket(res->ai_family, SOCK_STREAM, 0);
    if (l->fd >= 0) {
        int one = 1;
        setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(l->fd, res->ai_addr, res->ai_addrlen) != 0 || listen(l->fd, BACKLOG) != 0)
            e = errno;
    } else {
        e = errno;
    }
    freeaddrinfo(res);
    if (e) {
        char *shown = pf_path_for_message(addr);
        pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_ERROR, shown, 0, e,
                       "待ち受けできません", "cannot listen");
        free(shown);
        return err->status;
    }
    return 0;
}

static int open_unix(pf_listener *l, const char *path, pf_error *err)
{
    struct sockaddr_un u = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof u.sun_path) {
        pf_error_set(err, PF_EXIT_USAGE, PF_CODE_USAGE, path, 0, NULL, NULL,
                     "--socket のパスが長すぎます", "--socket: the path is too long");
        return PF_EXIT_USAGE;
    }
    strcpy(u.sun_path, path);
    /* a socket left by a server that was killed is replaced; any other file never is */
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            pf_error_set(err, PF_EXIT_USAGE, PF_CODE_USAGE, path, 0, NULL, NULL,
                         "--socket にソケットでないファイルがあります",
                         "--socket: a file that is not a socket is in the way");
            return PF_EXIT_USAGE;
        }
        unlink(path);
    }
    l->fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&u, sizeof u) != 0 ||
        listen(l->fd, BACKLOG) != 0)
        return pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_ERROR, path, 0, errno,
                              "待ち受けできません", "cannot listen");
    l->unix_path = pf_xstrdup(path);
    return 0;
}

int pf_listen_open(pf_listener *l, const char *addr, const char *unix_path, pf_error *err)
{
    memset(l, 0, sizeof *l);
    l->fd = -1;
    int rc;
    if (pf_listen_activated()) {
        l->fd = SD_LISTEN_FDS_START;
        /* the variables are for this process only, not for anything it starts */
        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDS");
        unsetenv("LISTEN_FDNAMES");
        rc = 0;
    } else if (unix_path) {
        rc = open_unix(l, unix_path, err);
    } else {
        rc = open_tcp(l, addr ? addr : "127.0.0.1:8080", err);
    }
    if (rc == 0 && flags(l->fd))
        rc = pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_ERROR, NULL, 0, errno,
                            "ソケットを設定できません", "cannot set up the socket");
    if (rc) {
        pf_listen_close(l);
        return rc;
    }
    describe(l);
    return 0;
}

void pf_listen_close(pf_listener *l)
{
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
    if (l->unix_path)
        unlink(l->unix_path);
    free(l->unix_path);
    l->unix_path = NULL;
}
