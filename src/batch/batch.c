/* batch — many bundles, a worker pool, per-person PDFs published as they finish, progress,
 * summary, print file. See batch.h for the file lifecycle. */
#include "batch/batch.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pdf/encrypt.h"
#include "pdf/merge.h"
#include "pdf/sign.h"
#include "render.h"
#include "text/text.h"
#include "util/files.h"
#include "util/json.h"

enum job_state { WAITING, RUNNING, DONE };

typedef struct job {
    char *path;             /* the input, as listed */
    char *stem;             /* the input's part of the output name, unique in this batch */
    uint64_t identity;      /* a digest of the input's real path */
    unsigned forms;
    enum job_state state;
    int status;             /* when DONE: 0 written, else the exit status of its failure */
    int fatal;              /* the failure was the system's, not the bundle's: stop the batch */
    pf_error *err;          /* when it failed */
    char *name;             /* the output file's name, once written */
    size_t pages;           /* its pages */
    /* With a print file, from DONE until merged: the unencrypted PDF, in memory only. */
    unsigned char *pdf;
    size_t pdf_len;
    pf_render_info info;
} job;

typedef struct batch {
    const pf_batch_options *o;
    job *jobs;
    size_t n, cap;
    unsigned forms;         /* every job's forms: the templates each engine loads at the start */
    char *print_dir_real;   /* the print file's folder, resolved, and its name */
    const char *print_name;
    char *print_target;     /* where the print file goes: a file (links followed) or, with
                               print_through, a device, FIFO or socket written straight through */
    int print_through;
    pthread_mutex_t lock;   /* guards everything below, and each job's state and results */
    pthread_cond_t changed; /* the merge moved on, or the batch stops: for workers waiting to
                               run ahead of the print file */
    sem_t wake;             /* posted for the main thread: a job finished, a worker ended, or a
                               signal came (sem_post is async-signal-safe; nothing polls) */
    size_t next;            /* next job to hand out */
    size_t finished, failed, running_workers;
    size_t merged;          /* jobs before this one are merged into the print file */
    size_t window;          /* with a print file: how far workers may run ahead of the merge */
    int stop;               /* --fail-fast tripped, or a fatal error */
    int fatal;              /* exit status of a failure that stops the batch (0: none) */
    pf_error fatal_err;
    int fatal_of_job;       /* fatal_err is a job's error too (listed with that bundle) */
    int report;             /* --report's target is checked: write it whatever ends the run */
} batch;

/* The signal that asked the batch to stop (SIGINT, SIGTERM, SIGHUP, SIGPIPE), 0 if none.
 * Workers take no new job and finish the one they have (milliseconds); finished files are
 * kept. The one piece of process-wide state here, as a signal handler can reach nothing else.
 * A second signal changes nothing: tools such as timeout(1) send one to the process and one
 * to its group, and a stop in the middle of a file would leave it half-written. */
static volatile sig_atomic_t stop_signal;
/* The running batch's `wake`, so that a signal wakes its main thread at once. Set before the
 * handlers are installed and cleared after they are removed. */
static sem_t *wake_on_signal;

static void on_signal(int sig)
{
    if (!stop_signal)
        stop_signal = sig;
    if (wake_on_signal)
        sem_post(wake_on_signal);
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
        return pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_READ, dir, 0, errno,
                              "フォルダを開けません", "cannot open directory");
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
        /* trailing blanks, as spreadsheets and editors leave them, are not part of the forms */
        for (size_t n = strlen(line); n && (line[n - 1] == ' ' || line[n - 1] == '\t'); n--)
            line[n - 1] = 0;
        char *p = line + strspn(line, " \t");
        if (!*p || *p == '#')
            continue;
        size_t plen = strcspn(p, " \t");
        char *forms_s = p + plen + strspn(p + plen, " \t");
        p[plen] = 0;
        unsigned forms = b->o->forms;
        if (*forms_s && !(forms = pf_forms_parse(forms_s))) {
            char *shown = pf_path_for_message(forms_s);  /* no terminal control from a file */
            pf_error_setf(err, PF_EXIT_USAGE, PF_CODE_USAGE, manifest, lineno, NULL, NULL,
                          "知らない帳票名です: %s", "unknown forms: %s", shown);
            free(shown);
            break;
        }
        add_job(b, p[0] == '/' ? pf_xstrdup(p) : pf_xasprintf("%s/%s", base, p), forms);
    }
    free(base);
    free(text);
    return err->status;
}

/* ---- output names ------------------------------------------------------------------------ */

/* Names are cut to this many bytes a part, so that three parts and a suffix stay under the
 * 255 bytes a file name may have. */
#define NAME_PART_MAX 72

static uint64_t fnv1a(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int by_stem(const void *a, const void *b)
{
    const job *x = *(const job *const *)a, *y = *(const job *const *)b;
    int c = strcmp(x->stem, y->stem);
    if (!c)
        c = (x->identity > y->identity) - (x->identity < y->identity);
    if (!c)
        c = (x > y) - (x < y);  /* the same input twice: in list order */
    return c;
}

/* Which input owns which stem in an output folder, across runs: ".planform.names", a line
 * "<identity>\t<stem>" each, the identity a digest of the input's real path (no path, no
 * name in the file). Read and written under the folder's lock, never through a link. */
#define NAMES_FILE ".planform.names"
#define NAMES_MAX (64u << 20)

typedef struct owner {
    uint64_t identity;
    char *stem;
} owner;

static int by_owner_stem(const void *a, const void *b)
{
    return strcmp(((const owner *)a)->stem, ((const owner *)b)->stem);
}

static int read_owners(const char *outdir, owner **out, size_t *n, pf_error *err)
{
    char *path = pf_xasprintf("%s/" NAMES_FILE, outdir), *text = NULL;
    size_t len = 0, cap = 0;
    owner *o = NULL;
    *n = 0;
    struct stat st;
    int rc = 0;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
        rc = pf_error_set(err, PF_EXIT_IO, PF_CODE_IO_READ, path, 0, NULL, NULL,
                          "planform の名前の記録が通常のファイルではありません",
                          "planform's record of names is not a regular file");
    else if (lstat(path, &st) == 0 && pf_read_file_max(path, NAMES_MAX, &text, &len, err) == 0 &&
             len > NAMES_MAX)
        rc = pf_error_set(err, PF_EXIT_IO, PF_CODE_IO_READ, path, 0, NULL, NULL,
                          "planform の名前の記録が大きすぎます", "planform's record of names is too large");
    else
        rc = err->status;
    for (char *line = rc ? NULL : text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        char *tab = strchr(line, '\t'), *end;
        unsigned long long id = tab ? strtoull(line, &end, 16) : 0;
        if (!tab || end != tab || !tab[1])
            continue;  /* not a line this file holds: ignored */
        PF_GROW(o, *n, cap);
        o[*n].identity = id;
        o[(*n)++].stem = pf_xstrdup(tab + 1);
    }
    free(text);
    free(path);
    if (*n)
        qsort(o, *n, sizeof *o, by_owner_stem);
    *out = o;
    return rc;
}

static const owner *owner_of(const owner *o, size_t n, const char *stem)
{
    owner key = {0, (char *)stem};
    return n ? bsearch(&key, o, n, sizeof *o, by_owner_stem) : NULL;
}

static int taken_by_other(const owner *o, size_t known, size_t n, const char *stem,
                          uint64_t identity)
{
    const owner *old = owner_of(o, known, stem);
    if (old && old->identity != identity)
        return 1;
    /* this run's claims are unsorted; a plain stem (no "~") is wanted by one input of the run
     * only (name_inputs groups them), so only a suffixed one can meet another claim */
    for (size_t i = known; strchr(stem, '~') && i < n; i++)
        if (o[i].identity != identity && strcmp(o[i].stem, stem) == 0)
            return 1;
    return 0;
}

/* The stem this identity already owns for base stem `base` (base itself, or base~…): the
 * record is sorted, and every stem that starts with `base` stands in one run of it. */
static const char *owned_stem(const owner *o, size_t n, const char *base, uint64_t identity)
{
    size_t lo = 0, hi = n, k = strlen(base);
    while (lo < hi) {  /* the first stem not less than base */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(o[mid].stem, base) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < n && strncmp(o[i].stem, base, k) == 0; i++)
        if (o[i].identity == identity && (o[i].stem[k] == 0 || o[i].stem[k] == '~'))
            return o[i].stem;
    return NULL;
}

/* Each job's input part of its output name: the input file's name without .xml, cleaned. A
 * stem belongs to the input that first used it in this folder (NAMES_FILE); that input keeps
 * it in every later run. An input whose name cleans to a stem another input owns or wants too
 * (a.xml of another folder) gets "~" and the 16 hex digits of its own digest, and a counter
 * after that if even this is taken: no two inputs ever share a stem, in a run or across runs.
 * The same input listed again renders the same file again, numbered ~2, ~3. "~" never comes
 * out of cleaning, so the stem can always be told apart in a file name (see output_name). */
static int name_inputs(batch *b, pf_error *err)
{
    size_t n_owners = 0, cap_owners = 0;
    owner *owners = NULL;
    if (read_owners(b->o->outdir, &owners, &n_owners, err)) {
        for (size_t i = 0; i < n_owners; i++)
            free(owners[i].stem);
        free(owners);
        return err->status;
    }
    cap_owners = n_owners;
    size_t known = n_owners;  /* owners[0, known) are sorted; new claims follow */
    job **order = pf_xcalloc(b->n + 1, sizeof *order);
    for (size_t i = 0; i < b->n; i++) {
        job *j = &b->jobs[i];
        char *copy = pf_xstrdup(j->path);
        char *base = basename(copy);
        size_t n = strlen(base);
        if (n > 4 && strcmp(base + n - 4, ".xml") == 0)
            base[n - 4] = 0;
        pf_buf stem = {0};
        pf_text_file_name_part(base, NAME_PART_MAX, &stem);
        j->stem = stem.data;
        free(copy);
        char real[PATH_MAX];
        j->identity = fnv1a(realpath(j->path, real) ? real : j->path, 14695981039346656037ull);
        order[i] = j;
    }
    qsort(order, b->n, sizeof *order, by_stem);
    /* a claim is taken when an owner (old or new) other than `id` has it */
    for (size_t i = 0; i < b->n;) {
        size_t k = i + 1;
        int distinct = 1;
        for (; k < b->n && strcmp(order[k]->stem, order[i]->stem) == 0; k++)
            distinct += order[k]->identity != order[k - 1]->identity;
        const owner *own = owner_of(owners, known, order[i]->stem);
        int repeat = 0;
        char *first = NULL;  /* the stem given to the previous job of the same identity */
        for (size_t m = i; m < k; m++) {
            job *j = order[m];
            if (m > i && order[m - 1]->identity == j->identity) {
                repeat++;
                char *s = pf_xasprintf("%s~%d", first, repeat + 1);
                free(j->stem);
                j->stem = s;
                continue;
            }
            repeat = 0;
            const char *had = owned_stem(owners, known, j->stem, j->identity);
            char *s;
            if (had)
                s = pf_xstrdup(had);
            else if (!own && distinct == 1)
                s = pf_xstrdup(j->stem);
            else
                s = pf_xasprintf("%s~%016llx", j->stem, (unsigned long long)j->identity);
            for (int c = 2; taken_by_other(owners, known, n_owners, s, j->identity); c++) {
                char *t = pf_xasprintf("%s~%d", s, c);  /* only by design: a digest collision */
                free(s);
                s = t;
            }
            if (!had) {
                PF_GROW(owners, n_owners, cap_owners);
                owners[n_owners].identity = j->identity;
                owners[n_owners++].stem = pf_xstrdup(s);
            }
            free(j->stem);
            j->stem = s;
            first = s;
        }
        i = k;
    }
    free(order);
    int rc = 0;
    if (n_owners > known) {  /* the whole record again, with the new claims, in place */
        pf_buf all = {0};
        for (size_t i = 0; i < n_owners; i++)
            pf_buf_printf(&all, "%016llx\t%s\n", (unsigned long long)owners[i].identity,
                          owners[i].stem);
        char *path = pf_xasprintf("%s/" NAMES_FILE, b->o->outdir);
        rc = pf_write_file_here(path, all.data, all.len, 0600, 1, err);
        free(path);
        pf_buf_free(&all);
    }
    for (size_t i = 0; i < n_owners; i++)
        free(owners[i].stem);
    free(owners);
    return rc;
}

/* <person>_<plan>~<input>.pdf, or <plan>~<input>.pdf by plan: the first "~" starts the input's stem (cleaning never makes
 * one), and stems are unique in the folder, so two inputs never get one name, whatever "_" the
 * person's name or the plan id hold. */
static char *output_name(const job *j, int name_by_plan)
{
    pf_buf name = {0};
    if (!name_by_plan) {   /* --name-by plan: no person's name, for shares and zip files */
        pf_text_file_name_part(j->info.person ? j->info.person : "", NAME_PART_MAX, &name);
        pf_buf_add(&name, "_", 1);
    }
    pf_text_file_name_part(j->info.plan ? j->info.plan : "", NAME_PART_MAX, &name);
    pf_buf_printf(&name, "~%s.pdf", j->stem);
    return name.data;
}

/* ---- workers ----------------------------------------------------------------------------- */

/* Whether a failure is the system's rather than the bundle's own, so that every later
 * bundle would fail the same way and the batch stops: an exhausted resource while reading;
 * a broken font or template, or memory, while rendering; anything while writing except a
 * folder standing at this one file's name. */
static int is_systemic(const pf_error *e, int output_stage)
{
    if (output_stage)
        return e->sys_errno != EISDIR && e->sys_errno != 0;
    switch (e->sys_errno) {
    case EMFILE: case ENFILE: case ENOMEM: case EIO:
        return 1;
    default:
        return e->status == PF_EXIT_RESOURCE || (e->status == PF_EXIT_IO && e->sys_errno == 0);
    }
}

/* An output failure, told without the person's name (which is in the file name) unless
 * --verbose: the bundle is named by its input file. */
static void output_failed(batch *b, job *j, const pf_error *why, const char *name)
{
    const char *shown = b->o->reading.verbose ? name : "";
    char *ja = pf_xasprintf("PDF %sを書けません: %s", shown, why->msg_ja);
    char *en = pf_xasprintf("cannot write the PDF%s%s: %s", *shown ? " " : "", shown, why->msg_en);
    memset(j->err, 0, sizeof *j->err);
    pf_error_set(j->err, PF_EXIT_IO, PF_CODE_IO_WRITE, j->path, 0, NULL, NULL, ja, en);
    snprintf(j->err->code, sizeof j->err->code, "%s", why->code);  /* no-space, io-write, ... */
    j->err->sys_errno = why->sys_errno;
    free(ja);
    free(en);
}

/* Whether two paths are one folder (by device and inode: a bind mount or a link is the same
 * folder under another name). */
static int same_folder(const char *a, const char *b)
{
    struct stat x, y;
    return a && b && stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev &&
           x.st_ino == y.st_ino;
}

/* Render job i and publish its PDF. Returns with j->status and friends set; the caller
 * publishes the result under the lock. */
static void run_one(batch *b, pf_engine *e, job *j)
{
    char *xml = NULL;
    size_t len = 0;
    unsigned char *pdf = NULL, *enc = NULL;
    size_t pdf_len = 0, enc_len = 0;
    pf_error err = {0};
    int output_stage = 0;
    int rc = pf_read_file_max(j->path, b->o->reading.max_bytes, &xml, &len, &err);
    if (rc == 0)
        rc = pf_render_named(e, j->path, xml, len, j->forms, &pdf, &pdf_len, &j->info, &err);
    free(xml);
    char *name = NULL;
    if (rc == 0) {
        output_stage = 1;
        name = output_name(j, b->o->name_by_plan);
        /* never the print file's: print_name_clashes keeps "~" out of its name */
    }
    /* signed or encrypted (never both: the command line refuses the pair) into `enc`; the
     * print file merges the PDF as rendered */
    if (rc == 0 && b->o->signer)
        rc = pf_pdf_sign(b->o->signer, pdf, pdf_len, j->path, &enc, &enc_len, &err);
    else if (rc == 0 && b->o->password)
        rc = pf_pdf_encrypt(pdf, pdf_len, b->o->password, &enc, &enc_len, &err);
    if (rc == 0) {
        char *target = pf_xasprintf("%s/%s", b->o->outdir, name);
        /* in our own folder, whatever stands at the name (a link, a FIFO) is replaced, never
         * followed or opened */
        rc = pf_write_file_here(target, enc ? enc : pdf, enc ? enc_len : pdf_len, b->o->mode, 0,
                                &err);
        free(target);
    }
    free(enc);
    if (rc == 0) {
        j->name = name;
        j->pages = j->info.pages;
        name = NULL;
        if (b->o->print) {
            j->pdf = pdf;  /* kept for the merge; freed there */
            j->pdf_len = pdf_len;
            pdf = NULL;
        } else {
            pf_render_info_free(&j->info);
        }
    } else {
        pf_render_info_free(&j->info);
        j->err = pf_xcalloc(1, sizeof *j->err);
        j->fatal = is_systemic(&err, output_stage);
        if (output_stage)
            output_failed(b, j, &err, name ? name : "");
        else
            *j->err = err;
    }
    free(name);
    free(pdf);
    j->status = rc;
}

static void finish_job(batch *b, job *j)
{
    pthread_mutex_lock(&b->lock);
    j->state = DONE;
    b->finished++;
    if (j->status) {
        int fatal = j->fatal;
        if (fatal && !b->fatal) {
            b->fatal = j->err->status == PF_EXIT_RESOURCE ? PF_EXIT_RESOURCE : PF_EXIT_IO;
            b->fatal_err = *j->err;
            b->fatal_of_job = 1;
        }
        if (fatal || b->o->fail_fast)
            b->stop = 1;
        b->failed++;
    }
    pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->lock);
    sem_post(&b->wake);
}

static void *worker(void *arg)
{
    batch *b = arg;
    pf_engine e;
    pf_error err = {0};
    int opened = pf_engine_open_forms(&e, b->o->datadir, b->forms, &b->o->reading, &err) == 0;
    e.no_signature_fields = b->o->no_signature_fields;
    pthread_mutex_lock(&b->lock);
    if (!opened) {
        if (!b->fatal) {
            b->fatal = err.status == PF_EXIT_RESOURCE ? PF_EXIT_RESOURCE : PF_EXIT_IO;
            b->fatal_err = err;
        }
        b->stop = 1;
    }
    while (opened) {
        size_t i = b->next;
        if (b->stop || stop_signal || i >= b->n)
            break;
        if (b->o->print && i >= b->merged + b->window) {
            /* too far ahead of the print file: wait (bounded memory) until the merge moves on
             * or the batch stops (the main thread broadcasts both) */
            pthread_cond_wait(&b->changed, &b->lock);
            continue;
        }
        b->next++;
        b->jobs[i].state = RUNNING;
        pthread_mutex_unlock(&b->lock);
        run_one(b, &e, &b->jobs[i]);
        finish_job(b, &b->jobs[i]);
        pthread_mutex_lock(&b->lock);
    }
    b->running_workers--;
    pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->lock);
    sem_post(&b->wake);
    pf_engine_close(&e);
    return NULL;
}

/* ---- the print file ---------------------------------------------------------------------- */

/* Add finished jobs to the print file in job order, as far as they are finished: the file is
 * written as the batch goes, one person's PDF in memory at a time per job not yet merged. */
static void print_ready(batch *b, pf_merge *m, pf_error *err)
{
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->merged;
        int ready = i < b->n && b->jobs[i].state == DONE;
        pthread_mutex_unlock(&b->lock);
        if (!ready)
            break;
        job *j = &b->jobs[i];
        if (j->status == 0 && j->pdf && !err->status) {
            pf_mark *marks = pf_xcalloc(j->info.n_marks + 1, sizeof *marks);
            for (size_t k = 0; k < j->info.n_marks; k++)
                marks[k] = (pf_mark){j->info.marks[k].page, j->info.marks[k].title};
            int copies = b->o->copies > 0 ? b->o->copies : 1;
            for (int c = 0; c < copies && !err->status; c++) {
                char *title = c ? pf_xasprintf("%s（%d部目）", j->info.person, c + 1)
                                : pf_xstrdup(j->info.person);
                pf_merge_add(m, j->pdf, j->pdf_len, title, marks, j->info.n_marks,
                             j->info.glyphs, j->info.n_glyphs, b->o->duplex, err);
                free(title);
            }
            free(marks);
        }
        free(j->pdf);  /* a failed bundle is left out; the summary says so */
        j->pdf = NULL;
        pf_render_info_free(&j->info);
        pthread_mutex_lock(&b->lock);
        b->merged++;
        pthread_cond_broadcast(&b->changed);
        pthread_mutex_unlock(&b->lock);
    }
}

/* Finish the print file: a named one renamed into place; with a password, or to a special
 * target, the anonymous file is encrypted and/or copied to where it goes. */
static int finish_print(batch *b, pf_merge *m, pf_error *err)
{
    if (!b->o->password && !b->print_through)
        return pf_merge_close(m, NULL, err);
    int fd = -1;
    if (pf_merge_close(m, &fd, err))
        return err->status;
    char *plain = pf_xasprintf("/proc/self/fd/%d", fd);
    if (!b->o->password) {
        pf_copy_through(fd, b->print_target, err);
    } else if (!b->print_through) {
        pf_pdf_encrypt_file(plain, b->print_target, b->o->mode, b->o->password, err);
    } else {
        pf_tmpfile t;  /* the encrypted copy, without a name either, then written through */
        char *beside = pf_xasprintf("%s/print.pdf", b->o->outdir);
        if (pf_tmp_open(&t, beside, 1, err) == 0) {
            char *enc = pf_xasprintf("/proc/self/fd/%d", t.fd);
            if (pf_pdf_encrypt_file_to(plain, enc, b->o->password, err) == 0)
                pf_copy_through(t.fd, b->print_target, err);
            free(enc);
            pf_tmp_discard(&t);
        }
        free(beside);
    }
    free(plain);
    close(fd);
    return err->status;
}

/* A print file in the output folder must not have a name a person's PDF could have
 * (<person>_<plan>~<input>.pdf: every one has a "~") nor a hidden one (planform's record of
 * names, its temporary files), so that it can never replace either, of this run or another. */
static int print_name_clashes(const batch *b)
{
    return b->print_name && same_folder(b->o->outdir, b->print_dir_real) &&
           (strchr(b->print_name, '~') || b->print_name[0] == '.');
}

/* ---- progress and summary ---------------------------------------------------------------- */

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
    if (b->o->quiet || b->o->json)  /* --json: stderr holds JSON lines only */
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
        int d = j->state == DONE, st = j->status;
        pthread_mutex_unlock(&b->lock);
        if (!d)
            break;
        char *path = pf_path_for_message(j->path);
        fprintf(stderr, "[%zu/%zu] %s %s\n", *printed + 1, b->n, st ? "NG" : "ok", path);
        free(path);
    }
}

static size_t written(const batch *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        n += b->jobs[i].state == DONE && b->jobs[i].status == 0;
    return n;
}

static void summary(batch *b)
{
    if (b->o->json) {  /* one line per failed bundle, in input order */
        for (size_t i = 0; i < b->n; i++)
            if (b->jobs[i].state == DONE && b->jobs[i].status)
                pf_error_report(b->jobs[i].err, 1);
        return;
    }
    size_t ok = written(b);
    if (b->failed) {
        fprintf(stderr, "失敗した計画データ（PDFも印刷用ファイルへの追加もありません）/ failed bundles "
                        "(no PDF, left out of the print file):\n");
        for (size_t i = 0; i < b->n; i++)
            if (b->jobs[i].state == DONE && b->jobs[i].status)
                pf_error_print(b->jobs[i].err);
    }
    size_t skipped = b->n - b->finished;
    fprintf(stderr, "%zu件を出力、%zu件が失敗%s / %zu written, %zu failed", ok, b->failed,
            skipped ? "、残りは未処理" : "", ok, b->failed);
    if (skipped)
        fprintf(stderr, ", %zu not started%s", skipped, stop_signal ? " (interrupted)" : "");
    fputc('\n', stderr);
}

static int cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 256 ? (int)n : 1;
}

static char *real_dir(const char *dir)
{
    char buf[PATH_MAX];
    return realpath(dir, buf) ? pf_xstrdup(buf) : NULL;
}

static void free_batch(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        job *j = &b->jobs[i];
        free(j->path);
        free(j->stem);
        free(j->err);
        free(j->name);
        free(j->pdf);
        pf_render_info_free(&j->info);
    }
    free(b->jobs);
    free(b->print_dir_real);
    free(b->print_target);
    pthread_cond_destroy(&b->changed);
    pthread_mutex_destroy(&b->lock);
}

static void on_signals(void (*handler)(int));

/* --report: one JSON line per bundle of the run, in input order, written whole (temporary file,
 * rename) once the run is over, however it ended: {"input", "outputs": [the PDF written],
 * "pages", "status": "ok", "failed" or "not-started", "error": the --json error object or
 * null}. */
static int write_report(const batch *b, pf_error *err)
{
    pf_buf out = {0};
    for (size_t i = 0; i < b->n; i++) {
        const job *j = &b->jobs[i];
        int done = j->state == DONE, ok = done && j->status == 0;
        pf_buf_adds(&out, "{");
        pf_json_key(&out, "input", 1);
        pf_json_string(&out, j->path);
        pf_json_key(&out, "outputs", 0);
        pf_buf_adds(&out, "[");
        if (ok && j->name) {
            char *path = pf_xasprintf("%s/%s", b->o->outdir, j->name);
            pf_json_string(&out, path);
            free(path);
        }
        pf_buf_adds(&out, "]");
        pf_json_key(&out, "pages", 0);
        pf_buf_printf(&out, "%zu", ok ? j->pages : 0);
        pf_json_key(&out, "status", 0);
        pf_json_string(&out, ok ? "ok" : done ? "failed" : "not-started");
        pf_json_key(&out, "error", 0);
        if (done && !ok && j->err)
            pf_json_error(&out, j->err);
        else
            pf_buf_adds(&out, "null");
        pf_buf_adds(&out, "}\n");
    }
    int rc = pf_write_file_atomic(b->o->report, out.data ? out.data : "", out.len, b->o->mode, err);
    pf_buf_free(&out);
    return rc;
}

/* Whether two output paths are one file: through links to the same file (or device, FIFO), or
 * not there yet under the same name in the same folder. "-" is standard output. */
static int same_output(const char *a, const char *b)
{
    char *ra = NULL, *rb = NULL;
    pf_output_kind ka, kb;
    pf_error ignored = {0};
    int same = 0;
    if (pf_output_resolve(strcmp(a, "-") == 0 ? "/proc/self/fd/1" : a, &ra, &ka, &ignored) == 0 &&
        pf_output_resolve(strcmp(b, "-") == 0 ? "/proc/self/fd/1" : b, &rb, &kb, &ignored) == 0) {
        struct stat x, y;
        if (stat(ra, &x) == 0 && stat(rb, &y) == 0) {
            same = x.st_dev == y.st_dev && x.st_ino == y.st_ino;
        } else {
            char *ca = pf_xstrdup(ra), *cb = pf_xstrdup(rb);
            char *da = real_dir(dirname(ca)), *db = real_dir(dirname(cb));
            const char *na = strrchr(ra, '/') ? strrchr(ra, '/') + 1 : ra;
            const char *nb = strrchr(rb, '/') ? strrchr(rb, '/') + 1 : rb;
            same = da && db && strcmp(da, db) == 0 && strcmp(na, nb) == 0;
            free(da);
            free(db);
            free(ca);
            free(cb);
        }
    }
    free(ra);
    free(rb);
    return same;
}

/* Whether `path` (--report, --print) is one of the run's inputs or its manifest: writing there
 * would replace a person's bundle. */
static int names_an_input(const batch *b, const char *path)
{
    if (pf_same_file(path, b->o->input))
        return 1;
    for (size_t i = 0; i < b->n; i++)
        if (pf_same_file(path, b->jobs[i].path))
            return 1;
    return 0;
}

/* --report's target: not an input, not the print file (it would replace it at the end of the run), not a
 * folder (found now, not after the run), and in the output folder not a name a person's PDF or
 * planform's records could have (as for --print). */
static int check_report(batch *b, pf_error *err)
{
    const pf_batch_options *o = b->o;
    if (!o->report)
        return 0;
    const char *why_ja = NULL, *why_en = NULL;
    if (strcmp(o->report, "-") != 0) {
        char *real = NULL;
        pf_output_kind kind;
        if (pf_output_resolve(o->report, &real, &kind, err))
            return err->status;
        free(real);
        if (kind == PF_OUTPUT_DIR)
            return pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_WRITE, o->report, 0, EISDIR,
                                  "報告ファイルを書けません", "cannot write the report");
    }
    if (strcmp(o->report, "-") == 0 && o->print && strcmp(o->print, "-") == 0) {
        why_ja = "--report - と --print - は同時に使えません（どちらも標準出力です）";
        why_en = "--report - and --print - cannot both be standard output";
    } else if (names_an_input(b, o->report)) {
        why_ja = "--report に入力ファイルは使えません（計画データが報告で置き換わります）";
        why_en = "--report cannot name an input file (the report would replace a bundle)";
    } else if (o->print && same_output(o->report, o->print)) {
        why_ja = "--report と --print に同じファイルは使えません（報告が印刷用ファイルを置き換えます）";
        why_en = "--report and --print cannot be the same file (the report would replace the "
                 "print file)";
    } else if (strcmp(o->report, "-") != 0) {
        char *copy = pf_xstrdup(o->report), *name = strrchr(o->report, '/');
        char *dir = real_dir(dirname(copy));
        name = name ? name + 1 : (char *)o->report;
        if (dir && same_folder(o->outdir, dir) && (strchr(name, '~') || name[0] == '.')) {
            why_ja = "出力フォルダの中の報告ファイルの名前に「~」や先頭の「.」は使えません";
            why_en = "a report file in the output folder cannot have a '~' or a leading '.' in "
                     "its name (a person's PDF or planform's records could have it)";
        }
        free(dir);
        free(copy);
    }
    if (why_ja)
        return pf_error_set(err, PF_EXIT_USAGE, PF_CODE_USAGE, o->report, 0, NULL, NULL, why_ja,
                            why_en);
    b->report = 1;
    return 0;
}

/* The one way out of pf_batch_run: the report written (--report), the folder's lock released,
 * the signals as they were, the job list freed. */
static int end_batch(batch *b, int lock, int rc)
{
    if (b->report) {
        pf_error err = {0};
        if (write_report(b, &err)) {
            pf_error_report(&err, b->o->json);
            rc = rc ? rc : err.status;
        }
    }
    free_batch(b);
    if (lock >= 0)
        close(lock);
    on_signals(SIG_DFL);
    wake_on_signal = NULL;
    sem_destroy(&b->wake);  /* after the handlers are gone: no signal can post to it now */
    return rc;
}

static void on_signals(void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

int pf_batch_run(const pf_batch_options *o)
{
    batch b;
    memset(&b, 0, sizeof b);
    b.o = o;
    pthread_mutex_init(&b.lock, NULL);
    pthread_cond_init(&b.changed, NULL);
    sem_init(&b.wake, 0, 0);
    stop_signal = 0;
    wake_on_signal = &b.wake;
    on_signals(on_signal);
    pf_error err = {0};
    struct stat st;
    int rc = 0, lock = -1;
    if (strcmp(o->input, "-") != 0 && stat(o->input, &st) == 0 && S_ISDIR(st.st_mode))
        rc = from_directory(&b, o->input, &err);
    else
        rc = from_manifest(&b, o->input, &err);
    if (rc == 0 && mkdir(o->outdir, 0700) != 0 && errno != EEXIST)
        rc = pf_error_errno(&err, PF_EXIT_IO, PF_CODE_IO_WRITE, o->outdir, 0, errno,
                            "出力フォルダを作れません", "cannot create output folder");
    if (rc == 0 && (lock = pf_dir_lock(o->outdir, &err)) < 0)
        rc = err.status;
    if (rc == 0 && check_report(&b, &err))  /* from here on, a report whatever ends the run */
        rc = err.status;
    if (rc) {
        pf_error_report(&err, o->json);
        return end_batch(&b, lock, rc);
    }
    /* Ours now: what a killed run left here goes. */
    pf_clean_leftovers(o->outdir, 1);
    if (o->print) {
        pf_output_kind kind = PF_OUTPUT_FILE;
        /* "-": standard output */
        if (pf_output_resolve(strcmp(o->print, "-") == 0 ? "/proc/self/fd/1" : o->print,
                              &b.print_target, &kind, &err) == 0 &&
            kind == PF_OUTPUT_DIR)
            pf_error_errno(&err, PF_EXIT_IO, PF_CODE_IO_WRITE, o->print, 0, EISDIR,
                           "印刷用ファイルを書けません", "cannot write the print file");
        b.print_through = kind == PF_OUTPUT_THROUGH;
        if (!err.status && !b.print_through) {
            char *print_copy = pf_xstrdup(b.print_target);
            b.print_name = strrchr(b.print_target, '/') ? strrchr(b.print_target, '/') + 1
                                                        : b.print_target;
            b.print_dir_real = real_dir(dirname(print_copy));
            free(print_copy);
            if (b.print_dir_real && !same_folder(b.print_dir_real, o->outdir))
                pf_clean_leftovers(b.print_dir_real, 0);
            if (names_an_input(&b, b.print_target))
                pf_error_set(&err, PF_EXIT_USAGE, PF_CODE_USAGE, o->print, 0, NULL, NULL,
                             "--print に入力ファイルは使えません（計画データが印刷用ファイルで"
                             "置き換わります）",
                             "--print cannot name an input file (the print file would replace "
                             "a bundle)");
            else if (print_name_clashes(&b))
                pf_error_set(&err, PF_EXIT_USAGE, PF_CODE_USAGE, o->print, 0, NULL, NULL,
                             "出力フォルダの中の印刷用ファイルの名前に「~」や先頭の「.」は"
                             "使えません（個人の PDF 氏名_計画~入力.pdf や planform の記録と"
                             "重なるため）",
                             "a print file in the output folder cannot have a '~' or a leading "
                             "'.' in its name (a person's PDF, PERSON_PLAN~INPUT.pdf, or "
                             "planform's records could have it)");
        }
        if (err.status) {
            pf_error_report(&err, o->json);
            return end_batch(&b, lock, err.status);
        }
    }
    if (name_inputs(&b, &err)) {
        pf_error_report(&err, o->json);
        return end_batch(&b, lock, err.status);
    }

    /* Load everything once here before any thread starts (the templates of every form some
     * bundle prints, and only those): a missing font or template is one clear error, and the
     * libraries' own one-time set-up happens on one thread. The probe's fonts stay open for
     * the print file's shared fonts (main thread only). */
    b.forms = b.n ? 0 : o->forms;
    for (size_t i = 0; i < b.n; i++)
        b.forms |= b.jobs[i].forms;
    pf_engine probe;
    if (pf_engine_open_forms(&probe, o->datadir, b.forms, &o->reading, &err)) {
        pf_error_report(&err, o->json);
        pf_engine_close(&probe);
        return end_batch(&b, lock, err.status);
    }

    int n_workers = o->jobs > 0 ? o->jobs : cores();
    if ((size_t)n_workers > b.n)
        n_workers = b.n ? (int)b.n : 1;
    b.window = 4 * (size_t)n_workers + 4;
    pf_error print_err = {0};
    /* With a password the print file is merged unencrypted into a file without a name, then
     * encrypted into place: nothing unencrypted can be left on disk. */
    char *merge_at = !o->print ? NULL
                     : b.print_through ? pf_xasprintf("%s/print.pdf", o->outdir)
                                       : pf_xstrdup(b.print_target);
    pf_merge *m = o->print ? pf_merge_open(merge_at, o->mode, o->password || b.print_through,
                                           probe.fonts, &print_err)
                           : NULL;
    free(merge_at);
    if (o->print && !m)
        b.stop = 1, b.fatal = PF_EXIT_IO, b.fatal_err = print_err;

    pthread_t *threads = pf_xcalloc((size_t)n_workers, sizeof *threads);
    int started = 0, thread_errno = 0;
    pthread_mutex_lock(&b.lock);
    for (int i = 0; i < n_workers && !b.stop; i++) {
        int e = pthread_create(&threads[started], NULL, worker, &b);
        if (e == 0)
            started++, b.running_workers++;
        else
            thread_errno = e;
    }
    if (started == 0 && !b.fatal) {
        b.fatal = PF_EXIT_IO;
        pf_error_errno(&b.fatal_err, PF_EXIT_IO, PF_CODE_NO_THREAD, NULL, 0, thread_errno,
                       "作業スレッドを起動できません", "cannot start a worker thread");
    }
    pthread_mutex_unlock(&b.lock);

    double start = now_seconds();
    int tty = isatty(2);
    size_t printed = 0;
    for (;;) {
        pthread_mutex_lock(&b.lock);
        int all = b.running_workers == 0;
        if (stop_signal && !b.stop) {  /* wake workers waiting on the print file */
            b.stop = 1;
            pthread_cond_broadcast(&b.changed);
        }
        pthread_mutex_unlock(&b.lock);
        progress(&b, start, tty, &printed);
        if (m) {
            print_ready(&b, m, &print_err);
            if (print_err.status) {  /* a print file that cannot be written stops the batch */
                pthread_mutex_lock(&b.lock);
                b.stop = 1;
                pthread_cond_broadcast(&b.changed);
                pthread_mutex_unlock(&b.lock);
            }
        }
        if (all)
            break;
        /* until a job finishes, a worker ends or a signal comes; a post made since the check
         * above is counted, so nothing is missed */
        while (sem_wait(&b.wake) != 0 && errno == EINTR)
            ;
    }
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    pf_sync_dir(o->outdir);  /* the renames of every PDF written, durable at once */
    progress(&b, start, tty, &printed);
    if (tty && !o->quiet && !o->json)
        fputc('\n', stderr);
    if (m) {
        print_ready(&b, m, &print_err);
        if (stop_signal || b.fatal || b.stop || print_err.status) {
            pf_merge_abort(m);  /* no half a print file */
        } else {
            finish_print(&b, m, &print_err);
        }
    }
    if (b.fatal) {
        summary(&b);
        if (!o->json)
            fprintf(stderr, "バッチを中止しました / the batch stopped:\n");
        if (!o->json || !b.fatal_of_job)  /* --json: each error once */
            pf_error_report(&b.fatal_err, o->json);
        rc = b.fatal;
    } else {
        summary(&b);
        int worst = 0;
        for (size_t i = 0; i < b.n; i++)
            if (b.jobs[i].state == DONE && b.jobs[i].status > worst)
                worst = b.jobs[i].status;
        rc = stop_signal ? 128 + stop_signal : print_err.status ? print_err.status : worst;
        if (print_err.status)
            pf_error_report(&print_err, o->json);
        if (stop_signal && o->json) {
            pf_error stopped = {0};
            pf_error_setf(&stopped, 128 + stop_signal, PF_CODE_INTERRUPTED, NULL, 0, NULL, NULL,
                          "中断しました（シグナル %d）。出力済みの PDF は残っています",
                          "interrupted (signal %d); the PDFs already written are kept",
                          (int)stop_signal);
            pf_error_report(&stopped, 1);
        } else if (stop_signal)
            fprintf(stderr, "planform: 中断しました（シグナル %d）。出力済みの PDF は残っています\n"
                            "planform: interrupted (signal %d); the PDFs already written are kept\n",
                    (int)stop_signal, (int)stop_signal);
    }
    pf_engine_close(&probe);
    return end_batch(&b, lock, rc);
}
