/* serve/pool — workers with warm engines, a bounded queue, reload between jobs. See pool.h. */
#include "serve/pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "serve/log.h"

struct pf_pool {
    const char *datadir;
    pf_read_options reading;
    pthread_t *threads;
    int n_threads;          /* started */
    int queue_max;
    pthread_mutex_t lock;   /* guards everything below */
    pthread_cond_t work;    /* a job queued, a reload asked for, or stop */
    pthread_cond_t opened;  /* a worker opened its engine (or failed to): for start */
    pf_job *head, *tail;
    int queued, busy, idle, engines, stop;
    int opening;            /* workers still opening their first engine */
    pf_error open_err;      /* the first worker that could not */
    unsigned long generation;   /* bumped by reload: a worker whose engine is older reopens */
    unsigned long reloads, reload_failures;
};

static void *worker(void *arg)
{
    pf_pool *p = arg;
    pf_engine e;
    pf_error err = {0};
    int ok = pf_engine_open(&e, p->datadir, 1, &p->reading, &err) == 0;
    pthread_mutex_lock(&p->lock);
    unsigned long mine = p->generation;
    p->opening--;
    if (ok)
        p->engines++;
    else if (!p->open_err.status)
        p->open_err = err;
    pthread_cond_broadcast(&p->opened);
    if (!ok) {
        pthread_mutex_unlock(&p->lock);
        pf_engine_close(&e);
        return NULL;
    }
    for (;;) {
        if (mine != p->generation) {
            /* reload: open the new engine before the old one goes, so a data folder broken in
             * the meantime leaves this worker serving with what it had */
            mine = p->generation;
            pthread_mutex_unlock(&p->lock);
            pf_engine fresh;
            pf_error rerr = {0};
            int reopened = pf_engine_open(&fresh, p->datadir, 1, &p->reading, &rerr) == 0;
            if (reopened) {
                pf_engine_close(&e);
                e = fresh;
            } else {
                pf_engine_close(&fresh);
                pf_log_error("reload-failed", &rerr);
            }
            pthread_mutex_lock(&p->lock);
            if (reopened)
                p->reloads++;
            else
                p->reload_failures++;
            continue;
        }
        if (p->head) {
            pf_job *job = p->head;
            p->head = job->next;
            if (!p->head)
                p->tail = NULL;
            p->queued--;
            p->busy++;
            pthread_mutex_unlock(&p->lock);
            job->run(&e, job);  /* the job may be freed by now: not touched again */
            pthread_mutex_lock(&p->lock);
            p->busy--;
            continue;
        }
        if (p->stop)
            break;
        p->idle++;
        pthread_cond_wait(&p->work, &p->lock);
        p->idle--;
    }
    p->engines--;
    pthread_mutex_unlock(&p->lock);
    pf_engine_close(&e);
    return NULL;
}

static void join_all(pf_pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->n_threads; i++)
        pthread_join(p->threads[i], NULL);
}

static void pool_free(pf_pool *p)
{
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->opened);
    free(p->threads);
    free(p);
}

pf_pool *pf_pool_start(int workers, int queue, const char *datadir, const pf_read_options *reading,
                       pf_error *err)
{
    /* Everything loaded once here before any thread starts, as batch does: a missing font or
     * template is one clear error, and the libraries' one-time set-up happens on one thread
     * (two workers setting up libxml2's catalogs at once for a missing schema deadlocked). */
    pf_engine probe;
    int probed = pf_engine_open(&probe, datadir, 1, reading, err);
    pf_engine_close(&probe);
    if (probed)
        return NULL;
    pf_pool *p = pf_xcalloc(1, sizeof *p);
    p->datadir = datadir;
    p->reading = *reading;
    p->queue_max = queue;
    p->threads = pf_xcalloc((size_t)workers, sizeof *p->threads);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->opened, NULL);
    pthread_mutex_lock(&p->lock);
    for (int i = 0; i < workers; i++) {
        int e = pthread_create(&p->threads[i], NULL, worker, p);
        if (e) {
            pf_error_errno(&p->open_err, PF_EXIT_IO, PF_CODE_NO_THREAD, NULL, 0, e,
                           "ワーカーを起動できません", "cannot start a worker");
            break;
        }
        p->n_threads++;
        p->opening++;
    }
    while (p->opening > 0)
        pthread_cond_wait(&p->opened, &p->lock);
    int failed = p->open_err.status;
    if (failed)
        *err = p->open_err;
    pthread_mutex_unlock(&p->lock);
    if (failed) {
        join_all(p);
        pool_free(p);
        return NULL;
    }
    return p;
}

int pf_pool_submit(pf_pool *p, pf_job *job)
{
    pthread_mutex_lock(&p->lock);
    /* waiting jobs beyond the idle workers that will take them at once */
    int waiting = p->queued - p->idle;
    if (p->stop || waiting >= p->queue_max) {
        pthread_mutex_unlock(&p->lock);
        return -1;
    }
    job->next = NULL;
    if (p->tail)
        p->tail->next = job;
    else
        p->head = job;
    p->tail = job;
    p->queued++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

void pf_pool_reload(pf_pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->generation++;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
}

void pf_pool_stats_get(pf_pool *p, pf_pool_stats *s)
{
    pthread_mutex_lock(&p->lock);
    s->engines = p->engines;
    s->busy = p->busy;
    s->queued = p->queued;
    s->reloads = p->reloads;
    s->reload_failures = p->reload_failures;
    pthread_mutex_unlock(&p->lock);
}

void pf_pool_stop(pf_pool *p)
{
    if (!p)
        return;
    join_all(p);
    pool_free(p);
}
