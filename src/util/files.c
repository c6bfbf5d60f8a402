/* util/files — reading inputs, writing outputs whole, leftovers, folder locks. See files.h. */
/* flock(2) and O_DIRECTORY are not in X/Open */
#define _DEFAULT_SOURCE
#include "util/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Every temporary name starts with this, then the pid, then mkstemp's six characters. */
#define TMP_PREFIX ".planform-"

/* Fill `err` (first error wins) with PF_EXIT_IO and the system's reason for errno `e`, worded
 * as every such failure is (pf_error_errno); `code` is io-read or io-write unless the system
 * ran out of something. */
static int sys_error(pf_error *err, pf_code code, int e, const char *path, const char *ja,
                     const char *en)
{
    return pf_error_errno(err, PF_EXIT_IO, code, path, 0, e, ja, en);
}

/* The same where the system's own words would mislead (a FIFO is not "invalid argument"). */
static int sys_error2(pf_error *err, pf_code code, int e, const char *path, const char *ja,
                      const char *en)
{
    int first = err->status == 0;
    pf_error_set(err, PF_EXIT_IO, code, path, 0, NULL, NULL, ja, en);
    if (first)
        err->sys_errno = e;
    return err->status;
}

/* ---- reading ----------------------------------------------------------------------------- */

int pf_read_file(const char *path, char **data, size_t *len, pf_error *err)
{
    return pf_read_file_max(path, SIZE_MAX - 1, data, len, err);
}

int pf_read_file_max(const char *path, size_t max, char **data, size_t *len, pf_error *err)
{
    int fd = 0;
    if (strcmp(path, "-") != 0) {
        /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below. */
        fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            int e = errno;
            return sys_error(err, PF_CODE_IO_READ, e, path, "ファイルを開けません",
                             "cannot open file");
        }
        struct stat st;
        if (fstat(fd, &st) != 0) {
            int e = errno;
            close(fd);
            return sys_error(err, PF_CODE_IO_READ, e, path, "ファイルを調べられません",
                             "cannot look at file");
        }
        if (!S_ISREG(st.st_mode)) {
            close(fd);
            if (S_ISDIR(st.st_mode))
                return sys_error(err, PF_CODE_IO_READ, EISDIR, path, "ファイルを読めません",
                                 "cannot read file");
            return sys_error2(err, PF_CODE_IO_READ, EINVAL, path,
                              "通常のファイルではありません（FIFO やデバイスは読みません。"
                              "標準入力には - を使ってください）",
                              "not a regular file (FIFOs and devices are not read; use - for "
                              "standard input)");
        }
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    pf_buf b = {0};
    char chunk[65536];
    int e = 0;
    while (b.len <= max) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            e = errno;
        if (n <= 0)
            break;
        pf_buf_add(&b, chunk, (size_t)n);
    }
    if (fd != 0)
        close(fd);
    if (e) {
        pf_buf_free(&b);
        return sys_error(err, PF_CODE_IO_READ, e, path, "ファイルを読めません", "cannot read file");
    }
    if (!b.data)
        pf_buf_add(&b, "", 0);
    *data = b.data;
    *len = b.len;
    return 0;
}

/* ---- temporary files and publishing ------------------------------------------------------ */

/* Write all of `len` bytes to `fd` (EINTR retried). 0, or -1 with errno set. */
static int pf_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        if (w == 0) {
            errno = EIO;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static char *dir_of(const char *path)
{
    char *copy = pf_xstrdup(path);
    char *d = pf_xstrdup(dirname(copy));
    free(copy);
    return d;
}

int pf_tmp_open(pf_tmpfile *t, const char *target, int anonymous, pf_error *err)
{
    char *dir = dir_of(target);
    t->target = pf_xstrdup(target);
    t->path = pf_xasprintf("%s/" TMP_PREFIX "%ld-XXXXXX", dir, (long)getpid());
    free(dir);
    t->fd = mkstemp(t->path);  /* mode 0600 from the start */
    if (t->fd >= 0)
        fcntl(t->fd, F_SETFD, FD_CLOEXEC);
    if (t->fd < 0) {
        int e = errno;
        free(t->path);
        free(t->target);
        t->path = t->target = NULL;
        return sys_error(err, PF_CODE_IO_WRITE, e, target, "出力ファイルを作れません",
                         "cannot create output file");
    }
    if (anonymous) {
        unlink(t->path);
        free(t->path);
        t->path = NULL;
    }
    return 0;
}

/* The rename of `path` made durable (not every file system allows it: then nothing). */
static void fsync_dir(const char *path)
{
    char *dir = dir_of(path);
    pf_sync_dir(dir);
    free(dir);
}

void pf_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static int publish(pf_tmpfile *t, unsigned mode, int sync_folder, pf_error *err);

int pf_tmp_publish(pf_tmpfile *t, unsigned mode, pf_error *err)
{
    return publish(t, mode, 1, err);
}

static int publish(pf_tmpfile *t, unsigned mode, int sync_folder, pf_error *err)
{
    int e = 0;
    if (!t->path)
        e = EINVAL;  /* an anonymous file has no name to rename */
    else if (fsync(t->fd) != 0 || fchmod(t->fd, (mode_t)mode) != 0)
        e = errno;
    if (close(t->fd) != 0 && !e)
        e = errno;
    t->fd = -1;
    if (!e && rename(t->path, t->target) != 0)
        e = errno;
    if (e) {
        if (t->path)
            unlink(t->path);
        if (e == EISDIR)
            sys_error2(err, PF_CODE_IO_WRITE, e, t->target, "出力先がフォルダです",
                       "the output path is a folder");
        else
            sys_error(err, PF_CODE_IO_WRITE, e, t->target, "出力ファイルを書けません",
                      "cannot write output file");
    } else if (sync_folder) {
        fsync_dir(t->target);
    }
    free(t->path);
    free(t->target);
    t->path = t->target = NULL;
    return e ? err->status : 0;
}

void pf_tmp_discard(pf_tmpfile *t)
{
    if (t->fd >= 0)
        close(t->fd);
    t->fd = -1;
    if (t->path)
        unlink(t->path);
    free(t->path);
    free(t->target);
    t->path = t->target = NULL;
}

/* ---- the target of a write --------------------------------------------------------------- */


int pf_same_file(const char *a, const char *b)
{
    struct stat x, y;
    return a && b && stat(a, &x) == 0 && stat(b, &y) == 0 && S_ISREG(x.st_mode) &&
           x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* Follow `path` through symbolic links to the file a write should replace (*real, malloc'd).
 * Through /proc/self/fd or /dev/fd (the shell's redirections, /dev/stdout) the write goes
 * straight to the open file, whatever it is. */
int pf_output_resolve(const char *path, char **real, pf_output_kind *kind, pf_error *err)
{
    char *cur = pf_xstrdup(path);
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0) {
            int e = errno;
            if (e == ENOENT) {  /* a new file, perhaps at the end of a dangling link */
                *real = cur;
                *kind = PF_OUTPUT_FILE;
                return 0;
            }
            free(cur);
            return sys_error(err, PF_CODE_IO_WRITE, e, path, "出力先を調べられません",
                             "cannot look at the output path");
        }
        if (S_ISLNK(st.st_mode)) {
            if (hops >= 40 || strncmp(cur, "/proc/", 6) == 0 || strncmp(cur, "/dev/fd/", 8) == 0) {
                struct stat through;
                if (hops >= 40 || stat(cur, &through) != 0) {
                    free(cur);
                    return sys_error(err, PF_CODE_IO_WRITE, hops >= 40 ? ELOOP : errno, path,
                                     "出力先のリンクをたどれません", "cannot follow the output link");
                }
                *real = cur;
                *kind = S_ISDIR(through.st_mode) ? PF_OUTPUT_DIR : PF_OUTPUT_THROUGH;
                return 0;
            }
            char link[PATH_MAX];
            ssize_t n = readlink(cur, link, sizeof link - 1);
            if (n < 0) {
                int e = errno;
                free(cur);
                return sys_error(err, PF_CODE_IO_WRITE, e, path, "出力先のリンクを読めません",
                                 "cannot read the output link");
            }
            link[n] = 0;
            char *next;
            if (link[0] == '/') {
                next = pf_xstrdup(link);
            } else {
                char *dir = dir_of(cur);
                next = pf_xasprintf("%s/%s", dir, link);
                free(dir);
            }
            free(cur);
            cur = next;
            continue;
        }
        *real = cur;
        *kind = S_ISREG(st.st_mode) ? PF_OUTPUT_FILE : S_ISDIR(st.st_mode) ? PF_OUTPUT_DIR : PF_OUTPUT_THROUGH;
        return 0;
    }
}

/* A descriptor this process already has open on the same file as `path` (/dev/stdout,
 * /proc/self/fd/N, /proc/thread-self/fd/N, the shell's redirections under any spelling): written
 * as it is, so that its mode (O_APPEND of >>) and position hold. -1 otherwise. */
static int own_descriptor(const char *path)
{
    struct stat want, have;
    if (stat(path, &want) != 0)
        return -1;
    const char *tail = strrchr(path, '/');
    char *end;
    long named = tail ? strtol(tail + 1, &end, 10) : -1;
    int candidates[4] = {1, 2, 0, named >= 0 && named < INT_MAX && *end == 0 ? (int)named : -1};
    for (int i = 0; i < 4; i++) {
        int fd = candidates[i];
        int fl = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
        if (fl >= 0 && (fl & O_ACCMODE) != O_RDONLY && fstat(fd, &have) == 0 &&
            have.st_dev == want.st_dev && have.st_ino == want.st_ino)
            return fd;
    }
    return -1;
}

/* Open a special target for writing: a socket by connecting to it, anything else by open. */
static int open_through(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        if (strlen(path) >= sizeof a.sun_path) {
            errno = ENAMETOOLONG;
            return -1;
        }
        strcpy(a.sun_path, path);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        return fd;
    }
    return open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
}

/* A special target resolved as PF_OUTPUT_THROUGH, opened for writing (a descriptor of this
 * process as it is); -1 with `err` filled when it cannot be. */
static int through_open(const char *path, int *own, pf_error *err)
{
    *own = own_descriptor(path);
    int fd = *own >= 0 ? *own : open_through(path);
    if (fd < 0)
        sys_error(err, PF_CODE_IO_WRITE, errno, path, "出力先を開けません",
                  "cannot open the output");
    return fd;
}

/* Close what through_open opened (not a descriptor of this process), and report a write that
 * failed with errno `e` (rc != 0) or a close that failed. */
static int through_close(int fd, int own, int rc, int e, const char *path, pf_error *err)
{
    if (own < 0 && close(fd) != 0 && rc == 0)
        rc = -1, e = errno;
    if (rc)
        return sys_error(err, PF_CODE_IO_WRITE, e, path, "出力先に書けません",
                         "cannot write to the output");
    return 0;
}

/* Write to a special target resolved as PF_OUTPUT_THROUGH (see pf_copy_through). */
static int pf_write_through(const char *path, const void *data, size_t len, pf_error *err)
{
    int own, fd = through_open(path, &own, err);
    if (fd < 0)
        return err->status;
    int rc = pf_write_all(fd, data, len);
    return through_close(fd, own, rc, errno, path, err);
}

int pf_copy_through(int from, const char *path, pf_error *err)
{
    int own, fd = through_open(path, &own, err);
    if (fd < 0)
        return err->status;
    char buf[65536];
    off_t at = 0;
    int rc = 0, e = 0;
    for (;;) {
        ssize_t n = pread(from, buf, sizeof buf, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n < 0)
                rc = -1, e = errno;
            break;
        }
        if (pf_write_all(fd, buf, (size_t)n) != 0) {
            rc = -1, e = errno;
            break;
        }
        at += n;
    }
    return through_close(fd, own, rc, e, path, err);
}

static int write_file(const char *path, const void *data, size_t len, unsigned mode,
                      int sync_folder, pf_error *err);

int pf_write_file_atomic(const char *path, const void *data, size_t len, unsigned mode,
                         pf_error *err)
{
    return write_file(path, data, len, mode, 1, err);
}

int pf_write_file_here(const char *path, const void *data, size_t len, unsigned mode,
                       int sync_folder, pf_error *err)
{
    pf_tmpfile t;
    if (pf_tmp_open(&t, path, 0, err))
        return err->status;
    if (pf_write_all(t.fd, data, len) != 0) {
        int e = errno;
        pf_tmp_discard(&t);
        return sys_error(err, PF_CODE_IO_WRITE, e, path, "出力ファイルを書けません",
                         "cannot write output file");
    }
    return publish(&t, mode, sync_folder, err);
}

static int write_file(const char *path, const void *data, size_t len, unsigned mode,
                      int sync_folder, pf_error *err)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return sys_error(err, PF_CODE_IO_WRITE, errno, "-", "標準出力に書けません",
                             "cannot write to standard output");
        return 0;
    }
    char *real;
    pf_output_kind kind;
    if (pf_output_resolve(path, &real, &kind, err))
        return err->status;
    int rc = 0;
    if (kind == PF_OUTPUT_DIR) {
        rc = sys_error2(err, PF_CODE_IO_WRITE, EISDIR, path, "出力先がフォルダです",
                        "the output path is a folder");
    } else if (kind == PF_OUTPUT_THROUGH) {
        rc = pf_write_through(real, data, len, err);
    } else {
        /* The signals that end a run wait while the temporary file exists: it is either
         * published or removed before the process can end. */
        sigset_t block, old;
        sigemptyset(&block);
        sigaddset(&block, SIGINT);
        sigaddset(&block, SIGTERM);
        sigaddset(&block, SIGHUP);
        sigaddset(&block, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &block, &old);
        pf_tmpfile t;
        rc = pf_tmp_open(&t, real, 0, err);
        if (rc == 0) {
            if (pf_write_all(t.fd, data, len) != 0) {
                rc = sys_error(err, PF_CODE_IO_WRITE, errno, path, "出力ファイルを書けません",
                               "cannot write output file");
                pf_tmp_discard(&t);
            } else {
                rc = publish(&t, mode, sync_folder, err);
            }
        }
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    free(real);
    return rc;
}

/* ---- leftovers and locks ----------------------------------------------------------------- */

/* ".planform-<pid>-XXXXXX": the pid, or 0 if the name is not of that form. */
static long owner_pid(const char *name)
{
    size_t k = strlen(TMP_PREFIX);
    if (strncmp(name, TMP_PREFIX, k) != 0)
        return 0;
    char *end;
    long pid = strtol(name + k, &end, 10);
    if (pid <= 0 || *end != '-' || strlen(end + 1) != 6)
        return 0;
    return pid;
}

void pf_clean_leftovers(const char *dir, int also_unowned)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    long self = (long)getpid();
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0)
            continue;
        long pid = owner_pid(e->d_name);
        int remove = 0;
        if (pid > 0)
            remove = pid != self && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
        else if (also_unowned) {
            struct stat st;
            remove = fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                     S_ISREG(st.st_mode) && now - st.st_mtime > 600;
        }
        if (remove)
            unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
}

int pf_dir_lock(const char *dir, pf_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return sys_error(err, PF_CODE_IO_WRITE, errno, dir, "出力フォルダを開けません",
                         "cannot open the output folder"), -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            sys_error2(err, PF_CODE_LOCKED, e, dir,
                       "別の planform がこのフォルダに書いています。終わってからもう一度実行するか、"
                       "別の出力フォルダを指定してください",
                       "another planform is writing into this folder; run again when it has "
                       "finished, or choose another output folder");
        else
            sys_error(err, PF_CODE_IO_WRITE, e, dir, "出力フォルダをロックできません",
                      "cannot lock the output folder");
        return -1;
    }
    return fd;
}
