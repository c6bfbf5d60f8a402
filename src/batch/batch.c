/* batch — many bundles, a worker pool, per-person PDFs, progress, summary. See batch.h. */
#include "batch/batch.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pdf/encrypt.h"
#include "pdf/merge.h"
#include "render.h"

typedef struct job {
    char *path;
    unsigned forms;
    /* result */
    int done, status;
    pf_error *err;          /* what went wrong; allocated only then (a batch keeps every job's
                               record to the end: 10,000 empty error records would be 28 MB) */
    pf_render_info info;    /* person and plan for the file name; form marks and glyphs for the
                               print file, dropped once it has the document */
    char *name;             /* the final file name */
    char *tmp;              /* the finished PDF, until it gets its name */
    char *plain;            /* with a password and a print file: the unencrypted PDF for the
                               print file, removed once merged */
} job;

typedef struct batch {
    const pf_batch_options *o;
    job *jobs;
    size_t n, cap;
    pthread_mutex_t lock;
    size_t next;            /* next job to hand out */
    size_t finished, failed;
    int stop;               /* --fail-fast tripped, or a worker could not start */
    int fatal;              /* exit status when a worker could not start (3: fonts, templates) */
    pf_error fatal_err;
} batch;

/* Set by SIGINT/SIGTERM: workers take no new job; finished files are kept. The one piece of
 * process-wide state here, as a signal handler can reach nothing else. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* ---- the job list ------------------------------------------------------------------------ */

static void add_job(batch *b, char *path, unsigned forms)
{
    PF_GROW(b->jobs, b->n, b->cap);
    memset(&b->jobs[b->n], 0, sizeof b->jobs[0]);
    b->jobs[b->n].path = path;
    b->jobs[b->n++].forms = forms;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const job *)a)->path, ((const job *)b)->path);
}

static int from_directory(batch *b, const char *dir, pf_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return pf_error_setf(err, PF_EXIT_IO, dir, 0, NULL, NULL, "フォルダを開けません: %s",
                             "cannot open directory: %s", strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0 && e->d_name[0] != '.')
            add_job(b, pf_xasprintf("%s/%s", dir, e->d_name), b->o->forms);
    }
    closedir(d);
    qsort(b->jobs, b->n, sizeof *b->jobs, by_path);  /* the same order on every machine */
    return 0;
}

/* One bundle a line: a path (relative to the manifest's folder), optionally forms after it
 * ("a.xml plan,isp"). Blank lines and lines starting with # are skipped. */
static int from_manifest(batch *b, const char *manifest, pf_error *err)
{
    char *text;
    size_t len;
    if (pf_read_file(manifest, &text, &len, err))
        return err->status;
    char *base = pf_xstrdup(strcmp(manifest, "-") == 0 ? "." : manifest);
    char *slash = strrchr(base, '/');
    if (slash)
        *slash = 0;
    else
        strcpy(base, ".");
    int lineno = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        lineno++;
        line[strcspn(line, "\r")] = 0;
        char *p = line + strspn(line, " \t");
        if (!*p || *p == '#')
            continue;
        size_t plen = strcspn(p, " \t");
        char *forms_s = p + plen + strspn(p + plen, " \t");
        p[plen] = 0;
        unsigned forms = b->o->forms;
        if (*forms_s && !(forms = pf_forms_parse(forms_s))) {
            pf_error_setf(err, PF_EXIT_USAGE, manifest, lineno, NULL, NULL,
                          "知らない帳票名です: %s", "unknown forms: %s", forms_s);
            break;
        }
        add_job(b, p[0] == '/' ? pf_xstrdup(p) : pf_xasprintf("%s/%s", base, p), forms);
    }
    free(base);
    free(text);
    return err->status;
}

/* ---- workers ----------------------------------------------------------------------------- */

static void run_one(batch *b, pf_engine *e, size_t i)
{
    job *j = &b->jobs[i];
    char *xml = NULL;
    size_t len = 0;
    unsigned char *pdf = NULL;
    size_t pdf_len = 0;
    pf_error err = {0};
    int rc = pf_read_file_max(j->path, b->o->reading.max_bytes, &xml, &len, &err);
    if (rc == 0)
        rc = pf_render_named(e, j->path, xml, len, j->forms, &pdf, &pdf_len, &j->info, &err);
    if (!b->o->print)
        pf_render_info_drop_print(&j->info);
    if (rc == 0 && b->o->password && b->o->print) {
        j->plain = pf_xasprintf("%s/.planform-plain-%06zu.pdf", b->o->outdir, i);
        rc = pf_write_file_atomic(j->plain, pdf, pdf_len, 0600, &err);
        if (rc) {
            free(j->plain);
            j->plain = NULL;
        }
    }
    if (rc == 0 && b->o->password) {
        unsigned char *enc;
        size_t enc_len;
        rc = pf_pdf_encrypt(pdf, pdf_len, b->o->password, &enc, &enc_len, &err);
        if (rc == 0) {
            free(pdf);
            pdf = enc, pdf_len = enc_len;
        }
    }
    if (rc == 0) {
        j->tmp = pf_xasprintf("%s/.planform-job-%06zu.pdf", b->o->outdir, i);
        rc = pf_write_file_atomic(j->tmp, pdf, pdf_len, b->o->mode, &err);
        if (rc) {
            free(j->tmp);
            j->tmp = NULL;
        }
    }
    if (rc && j->plain) {
        unlink(j->plain);
        free(j->plain);
        j->plain = NULL;
    }
    free(pdf);
    free(xml);
    pf_error *kept = NULL;
    if (rc) {
        kept = pf_xmalloc(sizeof *kept);
        *kept = err;
    }
    pthread_mutex_lock(&b->lock);
    j->err = kept;
    j->status = rc;
    j->done = 1;
    b->finished++;
    if (rc) {
        b->failed++;
        if (b->o->fail_fast)
            b->stop = 1;
    }
    pthread_mutex_unlock(&b->lock);
}

static void *worker(void *arg)
{
    batch *b = arg;
    pf_engine e;
    pf_error err = {0};
    if (pf_engine_open(&e, b->o->datadir, 1, &b->o->reading, &err)) {
        pthread_mutex_lock(&b->lock);
        if (!b->fatal) {
            b->fatal = err.status;
            b->fatal_err = err;
        }
        b->stop = 1;
        pthread_mutex_unlock(&b->lock);
        pf_engine_close(&e);
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next;
        int go = !b->stop && !interrupted && i < b->n;
        if (go)
            b->next++;
        pthread_mutex_unlock(&b->lock);
        if (!go)
            break;
        run_one(b, &e, i);
    }
    pf_engine_close(&e);
    return NULL;
}

/* ---- names and progress ------------------------------------------------------------------ */

/* A file-name piece: the text as it is (Japanese kept), with what no file system or shell
 * should see replaced by _, and at most 80 bytes, cut on a character boundary. */
static void safe_part(pf_buf *out, const char *s)
{
    size_t len = strlen(s), i = 0, start = out->len;
    while (i < len && out->len - start < 80) {
        size_t at = i;
        int32_t cp = pf_utf8_next(s, len, &i);
        if (cp < 0)
            break;
        if (cp < 0x20 || cp == 0x7F || (cp < 0x80 && strchr("/\\:*?\"<>| ", (int)cp)) ||
            cp == 0x3000 ||
            (cp == '.' && out->len == start))
            pf_buf_add(out, "_", 1);
        else
            pf_buf_add(out, s + at, i - at);
    }
    if (out->len == start)
        pf_buf_adds(out, "bundle");
}

static int name_taken(const batch *b, size_t upto, const char *name)
{
    for (size_t k = 0; k < upto; k++)
        if (b->jobs[k].name && strcmp(b->jobs[k].name, name) == 0)
            return 1;
    return 0;
}

/* In job order: give each finished PDF its name, <person>_<plan>.pdf, numbered on collision. */
static int name_outputs(batch *b, pf_error *err)
{
    for (size_t i = 0; i < b->n; i++) {
        job *j = &b->jobs[i];
        if (!j->tmp)
            continue;
        pf_buf stem = {0};
        safe_part(&stem, j->info.person ? j->info.person : "");
        pf_buf_add(&stem, "_", 1);
        safe_part(&stem, j->info.plan ? j->info.plan : "");
        char *name = pf_xasprintf("%s.pdf", stem.data);
        for (int k = 2; name_taken(b, i, name); k++) {
            free(name);
            name = pf_xasprintf("%s-%d.pdf", stem.data, k);
        }
        pf_buf_free(&stem);
        char *path = pf_xasprintf("%s/%s", b->o->outdir, name);
        if (rename(j->tmp, path) != 0)
            pf_error_setf(err, PF_EXIT_IO, path, 0, NULL, NULL, "出力ファイルを書けません: %s",
                          "cannot write output file: %s", strerror(errno));
        free(path);
        free(j->tmp);
        j->tmp = NULL;
        j->name = name;
    }
    return err->status;
}

/* ---- the print file ---------------------------------------------------------------------- */

/* Add finished jobs to the print file in job order, as far as they are finished: the file is
 * written as the batch goes, one person's PDF in memory at a time. */
static void print_ready(batch *b, pf_merge *m, size_t *upto, pf_error *err)
{
    for (; *upto < b->n && !err->status; (*upto)++) {
        job *j = &b->jobs[*upto];
        pthread_mutex_lock(&b->lock);
        int done = j->done;
        pthread_mutex_unlock(&b->lock);
        if (!done)
            break;
        if (j->status || !j->tmp)
            continue;  /* a bundle that failed is left out; the summary says so */
        char *pdf;
        size_t len;
        if (pf_read_file(j->plain ? j->plain : j->tmp, &pdf, &len, err))
            break;
        if (j->plain) {
            unlink(j->plain);
            free(j->plain);
            j->plain = NULL;
        }
        pf_mark *marks = pf_xcalloc(j->info.n_marks + 1, sizeof *marks);
        for (size_t k = 0; k < j->info.n_marks; k++)
            marks[k] = (pf_mark){j->info.marks[k].page, j->info.marks[k].title};
        int copies = b->o->copies > 0 ? b->o->copies : 1;
        for (int c = 0; c < copies && !err->status; c++) {
            char *title = c ? pf_xasprintf("%s（%d部目）", j->info.person, c + 1)
                            : pf_xstrdup(j->info.person);
            pf_merge_add(m, (const unsigned char *)pdf, len, title, marks, j->info.n_marks,
                         j->info.glyphs, j->info.n_glyphs, b->o->duplex, err);
            free(title);
        }
        free(marks);
        free(pdf);
        pf_render_info_drop_print(&j->info);
    }
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void progress(batch *b, double start, int tty, size_t *printed)
{
    pthread_mutex_lock(&b->lock);
    size_t done = b->finished, failed = b->failed;
    pthread_mutex_unlock(&b->lock);
    if (b->o->quiet)
        return;
    double t = now_seconds() - start, rate = t > 0 ? (double)done / t : 0;
    if (tty) {
        int width = 30, bar = b->n ? (int)((double)width * (double)done / (double)b->n) : width;
        double left = rate > 0 ? (double)(b->n - done) / rate : 0;
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu  %.1f 件/s  残り %d:%02d  失敗 %zu ", bar,
                "##############################", width - bar, "", done, b->n, rate,
                (int)left / 60, (int)left % 60, failed);
        fflush(stderr);
        return;
    }
    /* not a terminal: one plain line per finished bundle, in job order as they complete */
    for (; *printed < b->n; (*printed)++) {
        job *j = &b->jobs[*printed];
        pthread_mutex_lock(&b->lock);
        int d = j->done, st = j->status;
        pthread_mutex_unlock(&b->lock);
        if (!d)
            break;
        fprintf(stderr, "[%zu/%zu] %s %s\n", *printed + 1, b->n, st ? "NG" : "ok", j->path);
    }
}

static void summary(batch *b)
{
    size_t written = 0;
    for (size_t i = 0; i < b->n; i++)
        written += b->jobs[i].done && !b->jobs[i].status;
    if (b->failed) {
        fprintf(stderr, "失敗した計画データ（PDFも印刷用ファイルへの追加もありません）/ failed bundles "
                        "(no PDF, left out of the print file):\n");
        for (size_t i = 0; i < b->n; i++)
            if (b->jobs[i].done && b->jobs[i].status)
                pf_error_print(b->jobs[i].err);
    }
    size_t skipped = b->n - b->finished;
    fprintf(stderr, "%zu件を出力、%zu件が失敗%s / %zu written, %zu failed", written, b->failed,
            skipped ? "、残りは未処理" : "", written, b->failed);
    if (skipped)
        fprintf(stderr, ", %zu not started%s", skipped, interrupted ? " (interrupted)" : "");
    fputc('\n', stderr);
}

static int cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 256 ? (int)n : 1;
}

int pf_batch_run(const pf_batch_options *o)
{
    batch b;
    memset(&b, 0, sizeof b);
    b.o = o;
    pthread_mutex_init(&b.lock, NULL);
    pf_error err = {0};
    struct stat st;
    int rc = 0;
    if (strcmp(o->input, "-") != 0 && stat(o->input, &st) == 0 && S_ISDIR(st.st_mode))
        rc = from_directory(&b, o->input, &err);
    else
        rc = from_manifest(&b, o->input, &err);
    if (rc == 0 && mkdir(o->outdir, 0700) != 0 && errno != EEXIST)
        rc = pf_error_setf(&err, PF_EXIT_IO, o->outdir, 0, NULL, NULL,
                           "出力フォルダを作れません: %s", "cannot create output folder: %s",
                           strerror(errno));
    if (rc) {
        pf_error_print(&err);
        for (size_t i = 0; i < b.n; i++)
            free(b.jobs[i].path);
        free(b.jobs);
        return rc;
    }
    /* Load everything once here before any thread starts: a missing font or template is one
     * clear error, and the libraries' own one-time set-up happens on one thread. */
    pf_engine probe;
    if (pf_engine_open(&probe, o->datadir, 1, &o->reading, &err)) {
        pf_error_print(&err);
        pf_engine_close(&probe);
        for (size_t i = 0; i < b.n; i++)
            free(b.jobs[i].path);
        free(b.jobs);
        return err.status;
    }
    /* the probe's fonts stay open for the print file's shared fonts (main thread only) */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int n_workers = o->jobs > 0 ? o->jobs : cores();
    if ((size_t)n_workers > b.n)
        n_workers = b.n ? (int)b.n : 1;
    pthread_t *threads = pf_xcalloc((size_t)n_workers, sizeof *threads);
    int started = 0;
    for (int i = 0; i < n_workers; i++)
        started += pthread_create(&threads[i], NULL, worker, &b) == 0;
    double start = now_seconds();
    int tty = isatty(2);
    size_t printed = 0, merged = 0;
    pf_error print_err = {0};
    /* With a password the print file is merged unencrypted under a hidden name first (mode
     * 0600), then encrypted into place. */
    char *print_plain = NULL;
    if (o->print && o->password) {
        char *dir = pf_xstrdup(o->print);
        print_plain = pf_xasprintf("%s/.planform-print-plain-%ld.pdf", dirname(dir), (long)getpid());
        free(dir);
    }
    pf_merge *m = o->print ? pf_merge_open(print_plain ? print_plain : o->print,
                                           print_plain ? 0600 : o->mode, probe.fonts, &print_err)
                           : NULL;
    for (;;) {
        pthread_mutex_lock(&b.lock);
        int all = b.finished >= b.n || ((b.stop || interrupted) && b.finished >= b.next);
        pthread_mutex_unlock(&b.lock);
        progress(&b, start, tty, &printed);
        if (m)
            print_ready(&b, m, &merged, &print_err);
        if (all)
            break;
        struct timespec pause = {0, 50 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    progress(&b, start, tty, &printed);
    if (tty && !o->quiet)
        fputc('\n', stderr);
    if (m) {
        print_ready(&b, m, &merged, &print_err);
        if (interrupted || print_err.status)
            pf_merge_abort(m);  /* no half a print file */
        else if (pf_merge_close(m, &print_err) == 0 && print_plain)
            pf_pdf_encrypt_file(print_plain, o->print, o->mode, o->password, &print_err);
        if (print_plain)
            unlink(print_plain);
    }
    free(print_plain);
    name_outputs(&b, &err);
    if (print_err.status && !err.status)
        err = print_err;
    if (b.fatal) {
        pf_error_print(&b.fatal_err);
        rc = b.fatal;
    } else {
        summary(&b);
        rc = err.status ? err.status : interrupted ? 130 : b.failed ? PF_EXIT_INVALID : 0;
        if (err.status)
            pf_error_print(&err);
    }
    for (size_t i = 0; i < b.n; i++) {
        free(b.jobs[i].path);
        free(b.jobs[i].err);
        pf_render_info_free(&b.jobs[i].info);
        free(b.jobs[i].name);
        free(b.jobs[i].tmp);
        if (b.jobs[i].plain)  /* interrupted, or the print file failed, before it was merged */
            unlink(b.jobs[i].plain);
        free(b.jobs[i].plain);
    }
    free(b.jobs);
    pf_engine_close(&probe);
    pthread_mutex_destroy(&b.lock);
    return rc;
}
