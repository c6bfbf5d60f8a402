/* serve/pool — the workers of the service: each a thread with its own warm engine (schema,
 * templates, fonts, ICU loaded once, as batch's workers have), fed from one bounded queue.
 *
 * A job is the caller's: an intrusive record the pool links into its queue and hands to one
 * worker, who calls job->run with its engine. The pool never allocates per job, and a job
 * refused (queue full) is the caller's to answer (503). On reload (SIGHUP) every worker reopens
 * its engine from the data folder between two jobs (an idle one at once), so templates and
 * fonts change without a request dropped; a worker whose reopen fails keeps the engine it had. */
#ifndef PF_SERVE_POOL_H
#define PF_SERVE_POOL_H

#include "render.h"

typedef struct pf_job {
    void (*run)(pf_engine *e, struct pf_job *job);  /* on a worker thread */
    struct pf_job *next;                            /* the pool's */
} pf_job;

typedef struct pf_pool pf_pool;

/* Start `workers` threads and wait until each has opened its engine. `queue`: how many jobs may
 * wait beyond the busy workers. NULL with `err` filled when an engine cannot be opened (its
 * error: 3 for data) or a thread cannot be started. */
pf_pool *pf_pool_start(int workers, int queue, const char *datadir, const pf_read_options *reading,
                       pf_error *err);

/* Queue a job: 0, or -1 when every worker is busy and `queue` jobs already wait. */
int pf_pool_submit(pf_pool *p, pf_job *job);

/* Have every worker reopen its engine (SIGHUP). */
void pf_pool_reload(pf_pool *p);

typedef struct pf_pool_stats {
    int engines;            /* engines open */
    int busy;               /* workers running a job */
    int queued;             /* jobs waiting */
    unsigned long reloads, reload_failures;
} pf_pool_stats;
void pf_pool_stats_get(pf_pool *p, pf_pool_stats *s);

/* Finish every queued job, end the workers, close their engines, free the pool. */
void pf_pool_stop(pf_pool *p);

#endif
