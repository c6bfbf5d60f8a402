/* serve/metrics — what /metrics shows (Prometheus text format 0.0.4) and the access log line
 * of each request. Counted when a request ends (handler.c), so a request is counted once, with
 * the status it was answered with. Nothing here holds a request's content. */
#ifndef PF_SERVE_METRICS_H
#define PF_SERVE_METRICS_H

#include <pthread.h>

#include "serve/endpoints.h"
#include "serve/pool.h"

/* Latency buckets, seconds (the histogram's "le" bounds; +Inf after them). */
#define PF_N_BUCKETS 12

typedef struct pf_metrics {
    pthread_mutex_t lock;   /* guards everything below */
    struct pf_count {
        pf_endpoint ep;
        int status;
        unsigned long long n;
    } *counts;              /* requests by endpoint and status, in order of first seen */
    size_t n_counts, cap;
    unsigned long long buckets[PF_N_ENDPOINTS][PF_N_BUCKETS + 1];  /* cumulative at print */
    double seconds[PF_N_ENDPOINTS];
    unsigned long long bytes_out;
    long in_flight;         /* requests begun and not yet ended */
} pf_metrics;

void pf_metrics_init(pf_metrics *m);
void pf_metrics_free(pf_metrics *m);
void pf_metrics_begin(pf_metrics *m);
/* A request ended: counted, and its access-log line written (serve/log.h): request id, method,
 * endpoint, status, error code ("" none), body bytes sent, milliseconds, and whether the
 * answer reached the client whole. */
void pf_metrics_end(pf_metrics *m, const char *id, const char *method, pf_endpoint ep, int status,
                    const char *code, size_t bytes, double seconds, int whole);
/* The whole /metrics text, with the pool's gauges. */
void pf_metrics_text(pf_metrics *m, const pf_pool_stats *pool, pf_buf *out);

#endif
