/* serve/metrics — counters, the Prometheus text, the access log. See metrics.h. */
#include "serve/metrics.h"

#include <stdlib.h>
#include <string.h>

#include "serve/log.h"
#include "util/json.h"

static const double bounds[PF_N_BUCKETS] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                            0.5,   1,    2.5,   5,    10,  30};

void pf_metrics_init(pf_metrics *m)
{
    memset(m, 0, sizeof *m);
    pthread_mutex_init(&m->lock, NULL);
}

void pf_metrics_free(pf_metrics *m)
{
    pthread_mutex_destroy(&m->lock);
    free(m->counts);
    m->counts = NULL;
}

void pf_metrics_begin(pf_metrics *m)
{
    pthread_mutex_lock(&m->lock);
    m->in_flight++;
    pthread_mutex_unlock(&m->lock);
}

void pf_metrics_end(pf_metrics *m, const char *id, const char *method, pf_endpoint ep, int status,
                    const char *code, size_t bytes, double seconds, int whole)
{
    pthread_mutex_lock(&m->lock);
    m->in_flight--;
    size_t i = 0;
    while (i < m->n_counts && !(m->counts[i].ep == ep && m->counts[i].status == status))
        i++;
    if (i == m->n_counts) {
        PF_GROW(m->counts, m->n_counts, m->cap);
        m->counts[m->n_counts++] = (struct pf_count){ep, status, 0};
    }
    m->counts[i].n++;
    int b = 0;
    while (b < PF_N_BUCKETS && seconds > bounds[b])
        b++;
    m->buckets[ep][b]++;
    m->seconds[ep] += seconds;
    m->bytes_out += bytes;
    pthread_mutex_unlock(&m->lock);

    pf_buf rest = {0};
    pf_buf_adds(&rest, ", ");
    pf_json_key(&rest, "id", 1);
    pf_json_string(&rest, id);
    pf_json_key(&rest, "method", 0);
    pf_json_string(&rest, method);  /* MHD has checked it is a token; escaped all the same */
    pf_json_key(&rest, "endpoint", 0);
    pf_json_string(&rest, pf_endpoint_path(ep));
    pf_buf_printf(&rest, ", \"status\": %d", status);
    pf_json_key(&rest, "code", 0);
    pf_json_string(&rest, code && *code ? code : NULL);
    pf_buf_printf(&rest, ", \"bytes\": %zu, \"ms\": %.1f, \"whole\": %s", bytes, seconds * 1000,
                  whole ? "true" : "false");
    pf_log_line("request", rest.data);
    pf_buf_free(&rest);
}

void pf_metrics_text(pf_metrics *m, const pf_pool_stats *pool, pf_buf *out)
{
    pthread_mutex_lock(&m->lock);
    pf_buf_adds(out, "# HELP planform_requests_total Requests answered, by endpoint and HTTP status.\n"
                     "# TYPE planform_requests_total counter\n");
    for (size_t i = 0; i < m->n_counts; i++)
        pf_buf_printf(out, "planform_requests_total{endpoint=\"%s\",status=\"%d\"} %llu\n",
                      pf_endpoint_path(m->counts[i].ep), m->counts[i].status, m->counts[i].n);
    pf_buf_adds(out, "# HELP planform_request_duration_seconds Time from the request's headers to "
                     "the end of its answer.\n"
                     "# TYPE planform_request_duration_seconds histogram\n");
    for (int ep = 0; ep < PF_N_ENDPOINTS; ep++) {
        unsigned long long total = 0;
        for (int b = 0; b <= PF_N_BUCKETS; b++)
            total += m->buckets[ep][b];
        if (!total)
            continue;
        const char *path = pf_endpoint_path((pf_endpoint)ep);
        unsigned long long cum = 0;
        for (int b = 0; b < PF_N_BUCKETS; b++) {
            cum += m->buckets[ep][b];
            pf_buf_printf(out, "planform_request_duration_seconds_bucket{endpoint=\"%s\",le=\"%g\"} %llu\n",
                          path, bounds[b], cum);
        }
        pf_buf_printf(out, "planform_request_duration_seconds_bucket{endpoint=\"%s\",le=\"+Inf\"} %llu\n"
                           "planform_request_duration_seconds_sum{endpoint=\"%s\"} %.6f\n"
                           "planform_request_duration_seconds_count{endpoint=\"%s\"} %llu\n",
                      path, total, path, m->seconds[ep], path, total);
    }
    pf_buf_printf(out,
                  "# HELP planform_requests_in_flight Requests begun and not yet answered whole.\n"
                  "# TYPE planform_requests_in_flight gauge\n"
                  "planform_requests_in_flight %ld\n"
                  "# HELP planform_response_bytes_total Bytes of answer bodies sent.\n"
                  "# TYPE planform_response_bytes_total counter\n"
                  "planform_response_bytes_total %llu\n",
                  m->in_flight, m->bytes_out);
    pthread_mutex_unlock(&m->lock);
    pf_buf_printf(out,
                  "# HELP planform_engines Warm engines (one per worker).\n"
                  "# TYPE planform_engines gauge\n"
                  "planform_engines %d\n"
                  "# HELP planform_workers_busy Workers running a request.\n"
                  "# TYPE planform_workers_busy gauge\n"
                  "planform_workers_busy %d\n"
                  "# HELP planform_queue_length Requests waiting for a worker.\n"
                  "# TYPE planform_queue_length gauge\n"
                  "planform_queue_length %d\n"
                  "# HELP planform_engine_reloads_total Engines reopened on SIGHUP, and reopens "
                  "that failed (the old engine kept).\n"
                  "# TYPE planform_engine_reloads_total counter\n"
                  "planform_engine_reloads_total{result=\"ok\"} %lu\n"
                  "planform_engine_reloads_total{result=\"failed\"} %lu\n",
                  pool->engines, pool->busy, pool->queued, pool->reloads, pool->reload_failures);
}
