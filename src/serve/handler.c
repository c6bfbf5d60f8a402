/* serve/handler — one request, headers to answer, on libmicrohttpd. See handler.h. */
#include "serve/handler.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "serve/mhdlib.h"
#include "util/json.h"

enum state { READING, QUEUED, ANSWERED_BY_WORKER, RESPONDED };

typedef struct request {
    pf_job job;             /* first: the pool hands back &job, which is the request */
    pf_server *s;
    struct MHD_Connection *conn;
    pf_endpoint ep;
    enum state state;
    char id[32];
    char method[16];
    double start;
    pf_call call;
    pf_buf body;
    int too_large;          /* past --max-size: the rest of the body is dropped */
    pf_answer answer;
    int status;             /* the status answered (0: none yet) */
    size_t sent;            /* body bytes of the answer */
} request;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int pf_token_equal(const char *given, size_t given_len, const char *token, size_t token_len)
{
    /* every byte of the token is looked at whatever the given one holds: no early exit */
    volatile unsigned char diff = given_len != token_len;
    for (size_t i = 0; i < token_len; i++)
        diff |= (unsigned char)token[i] ^ (unsigned char)(i < given_len ? given[i] : 0);
    return diff == 0;
}

static int authorized(pf_server *s, struct MHD_Connection *conn)
{
    if (!s->token)
        return 1;
    const char *h = MHD(MHD_lookup_connection_value)(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return 0;
    h += 7;
    while (*h == ' ')
        h++;
    return pf_token_equal(h, strlen(h), s->token, s->token_len);
}

/* application/xml or text/xml (any case), parameters such as charset after a ';' allowed */
static int xml_body(struct MHD_Connection *conn)
{
    const char *t = MHD(MHD_lookup_connection_value)(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!t)
        return 0;
    size_t n = strcspn(t, "; \t");
    return (n == 15 && strncasecmp(t, "application/xml", 15) == 0) ||
           (n == 8 && strncasecmp(t, "text/xml", 8) == 0);
}

static enum MHD_Result take_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    pf_error *err = ((void **)cls)[1];
    return pf_call_param(((void **)cls)[0], key, value, err) ? MHD_NO : MHD_YES;
}

/* Everything that can be refused before the body: fills err. */
static void refuse_early(request *r, const char *method, pf_error *err)
{
    pf_server *s = r->s;
    int posts = pf_endpoint_posts(r->ep);
    if (r->ep == PF_EP_NONE) {
        pf_error_set(err, PF_EXIT_USAGE, PF_CODE_NOT_FOUND, NULL, 0, NULL, NULL,
                     "そのエンドポイントはありません（/v1/render, /v1/validate, /v1/check, "
                     "/v1/schedule, /v1/draft-isp, /healthz, /metrics）",
                     "no such endpoint (/v1/render, /v1/validate, /v1/check, /v1/schedule, "
                     "/v1/draft-isp, /healthz, /metrics)");
        return;
    }
    if (r->ep != PF_EP_HEALTHZ && !authorized(s, r->conn)) {
        pf_error_set(err, PF_EXIT_USAGE, PF_CODE_UNAUTHORIZED, NULL, 0, NULL, NULL,
                     "トークンがないか違います（Authorization: Bearer ...）",
                     "the token is missing or wrong (Authorization: Bearer ...)");
        return;
    }
    int ok_method = posts ? strcmp(method, "POST") == 0
                          : strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (!ok_method) {
        pf_error_setf(err, PF_EXIT_USAGE, PF_CODE_METHOD_NOT_ALLOWED, NULL, 0, NULL, NULL,
                      "%s は %s だけを受け付けます", "%s takes %s only", pf_endpoint_path(r->ep),
                      posts ? "POST" : "GET");
        return;
    }
    if (atomic_load(&s->stopping) && r->ep != PF_EP_HEALTHZ) {
        pf_error_set(err, PF_EXIT_IO, PF_CODE_BUSY, NULL, 0, NULL, NULL, "サーバーは停止中です",
                     "the server is stopping");
        return;
    }
    if (!posts)
        return;
    r->call.ep = r->ep;
    r->call.quote = s->o->reading.verbose;
    void *args[2] = {&r->call, err};
    MHD(MHD_get_connection_values)(r->conn, MHD_GET_ARGUMENT_KIND, take_param, args);
    if (err->status || pf_call_ready(&r->call, err))
        return;
    if (!xml_body(r->conn)) {
        pf_error_set(err, PF_EXIT_USAGE, PF_CODE_UNSUPPORTED_MEDIA, NULL, 0, NULL, NULL,
                     "本文は XML で送ってください（Content-Type: application/xml）",
                     "send the body as XML (Content-Type: application/xml)");
        return;
    }
    const char *pw = MHD(MHD_lookup_connection_value)(r->conn, MHD_HEADER_KIND, "Planform-Password");
    if (pw && r->ep != PF_EP_RENDER) {
        pf_error_set(err, PF_EXIT_USAGE, PF_CODE_USAGE, NULL, 0, NULL, NULL,
                     "Planform-Password は /v1/render だけで使えます",
                     "Planform-Password applies to /v1/render only");
        return;
    }
    if (pw && (!*pw || strlen(pw) > 4096)) {
        pf_error_set(err, PF_EXIT_USAGE, PF_CODE_USAGE, NULL, 0, NULL, NULL,
                     "Planform-Password が空か長すぎます", "Planform-Password is empty or too long");
        return;
    }
    if (pw)
        r->call.password = pf_xstrdup(pw);
    const char *cl = MHD(MHD_lookup_connection_value)(r->conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > s->max_body)
        pf_error_too_large(err, PF_REQUEST_NAME, s->max_body);
}

/* Send r->answer (taken over by MHD). */
static enum MHD_Result respond(request *r)
{
    pf_answer *a = &r->answer;
    struct MHD_Response *resp =
        MHD(MHD_create_response_from_buffer)(a->len, a->body, MHD_RESPMEM_MUST_FREE);
    if (!resp)
        return MHD_NO;
    a->body = NULL;  /* MHD's now */
    MHD(MHD_add_response_header)(resp, MHD_HTTP_HEADER_CONTENT_TYPE, a->type);
    MHD(MHD_add_response_header)(resp, "Planform-Request-Id", r->id);
    /* answers hold personal data: no cache keeps them */
    MHD(MHD_add_response_header)(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD(MHD_add_response_header)(resp, "X-Content-Type-Options", "nosniff");
    if (a->status == 405)
        MHD(MHD_add_response_header)(resp, MHD_HTTP_HEADER_ALLOW,
                                pf_endpoint_posts(r->ep) ? "POST" : "GET, HEAD");
    if (a->status == 401)
        MHD(MHD_add_response_header)(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    if (a->status == 503 || a->status == 413)
        MHD(MHD_add_response_header)(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD(MHD_queue_response)(r->conn, (unsigned)a->status, resp);
    MHD(MHD_destroy_response)(resp);
    r->status = a->status;
    r->sent = a->len;
    r->state = RESPONDED;
    return ret;
}

static enum MHD_Result respond_error(request *r, const pf_error *err)
{
    pf_answer_free(&r->answer);
    pf_answer_error(&r->answer, err);
    return respond(r);
}

static void answer_get(request *r)
{
    pf_server *s = r->s;
    pf_buf b = {0};
    if (r->ep == PF_EP_HEALTHZ) {
        int stopping = atomic_load(&s->stopping);
        pf_buf_adds(&b, stopping ? "{\"status\": \"stopping\"}\n" : "{\"status\": \"ok\"}\n");
        pf_answer_buf(&r->answer, stopping ? 503 : 200, "application/json", &b);
    } else {
        pf_pool_stats st;
        pf_pool_stats_get(s->pool, &st);
        pf_metrics_text(&s->metrics, &st, &b);
        pf_answer_buf(&r->answer, 200, "text/plain; version=0.0.4; charset=utf-8", &b);
    }
}

/* On a worker: run the call, then give the connection back to MHD with the answer. */
static void run_job(pf_engine *e, pf_job *job)
{
    request *r = (request *)job;
    pf_call_run(e, &r->call, &r->answer);
    r->state = ANSWERED_BY_WORKER;
    MHD(MHD_resume_connection)(r->conn);  /* MHD's thread answers it (pf_handle) */
}

static request *request_new(pf_server *s, struct MHD_Connection *conn, const char *url,
                            const char *method)
{
    request *r = pf_xcalloc(1, sizeof *r);
    r->s = s;
    r->conn = conn;
    r->start = now();
    r->ep = pf_endpoint_find(url);
    r->job.run = run_job;
    snprintf(r->method, sizeof r->method, "%s", method);
    snprintf(r->id, sizeof r->id, "%s-%06llx", s->id_prefix,
             (unsigned long long)atomic_fetch_add(&s->next_id, 1) + 1);
    pf_metrics_begin(&s->metrics);
    return r;
}

enum MHD_Result pf_handle(void *cls, struct MHD_Connection *conn, const char *url,
                          const char *method, const char *version, const char *upload_data,
                          size_t *upload_data_size, void **con_cls)
{
    (void)version;
    pf_server *s = cls;
    request *r = *con_cls;
    if (!r) {   /* the headers are in; no byte of the body is read yet */
        r = *con_cls = request_new(s, conn, url, method);
        pf_error err = {0};
        refuse_early(r, method, &err);
        if (err.status)
            return respond_error(r, &err);
        if (!pf_endpoint_posts(r->ep)) {
            answer_get(r);
            return respond(r);
        }
        return MHD_YES;
    }
    if (r->state == READING && *upload_data_size) {
        if (now() - r->start > s->body_deadline)
            return MHD_NO;  /* trickling its body: the connection is closed */
        if (!r->too_large && r->body.len + *upload_data_size <= s->max_body) {
            pf_buf_add(&r->body, upload_data, *upload_data_size);
        } else {
            r->too_large = 1;
            pf_buf_free(&r->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->state == READING) {  /* the whole body is in */
        pf_error err = {0};
        if (r->too_large) {
            pf_error_too_large(&err, PF_REQUEST_NAME, s->max_body);
            return respond_error(r, &err);
        }
        r->call.body = r->body.data ? r->body.data : pf_xstrdup("");
        r->call.len = r->body.len;
        r->body = (pf_buf){0};
        r->state = QUEUED;
        /* suspended before the worker can resume it */
        MHD(MHD_suspend_connection)(conn);
        atomic_fetch_add(&s->suspended, 1);
        if (pf_pool_submit(s->pool, &r->job) != 0) {
            pf_error_set(&err, PF_EXIT_IO, PF_CODE_BUSY, NULL, 0, NULL, NULL,
                         "すべてのエンジンが使用中で、待ち行列もいっぱいです。少し後でもう一度送ってください",
                         "every engine is busy and the queue is full; try again shortly");
            pf_answer_error(&r->answer, &err);
            r->state = ANSWERED_BY_WORKER;
            MHD(MHD_resume_connection)(conn);
        }
        return MHD_YES;
    }
    if (r->state == ANSWERED_BY_WORKER) {
        atomic_fetch_sub(&s->suspended, 1);
        return respond(r);
    }
    return MHD_YES;  /* QUEUED (a spurious call while suspended) or already answered */
}

void pf_handle_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    pf_server *s = cls;
    request *r = *con_cls;
    if (!r)
        return;
    *con_cls = NULL;
    /* A connection given back by a worker whose client hung up meanwhile ends here without
     * another call of pf_handle: it is no longer suspended (the stop waits for none to be).
     * One still QUEUED cannot end here: MHD does not end a suspended connection. */
    if (r->state == ANSWERED_BY_WORKER)
        atomic_fetch_sub(&s->suspended, 1);
    pf_metrics_end(&s->metrics, r->id, r->method, r->ep, r->status, r->answer.code, r->sent,
                   now() - r->start, r->status && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
    pf_call_free(&r->call);
    pf_answer_free(&r->answer);
    pf_buf_free(&r->body);
    free(r);
}
