/* check/schedule — monitoring months due, done, missed and next. See schedule.h. */
#include "check/schedule.h"

#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/util.h"

int pf_schedule_every(const pf_plan *p)
{
    if (p->monitoring_every > 0)
        return p->monitoring_every;
    /* the last number before か月 in the printed period: 「3か月ごと」, 「初回3か月後、その後6か月ごと」 */
    const char *s = p->monitoring.s, *hit;
    int every = 0;
    while (s && (hit = strstr(s, "か月")) != NULL) {
        const char *d = hit;
        while (d > s && d[-1] >= '0' && d[-1] <= '9')
            d--;
        if (d < hit)
            every = atoi(d);
        s = hit + strlen("か月");
    }
    if (p->monitoring.s && strstr(p->monitoring.s, "毎月"))
        every = every ? every : 1;
    return every > 0 && every <= 12 ? every : 0;
}

static int month_index(int y, int m) { return y * 12 + (m - 1); }

int pf_schedule_has(const pf_plan *p, int year, int month)
{
    if (!p->monitoring_start.year)
        return 0;
    int start = month_index(p->monitoring_start.year, p->monitoring_start.month);
    int at = month_index(year, month), every = pf_schedule_every(p);
    if (at < start)
        return 0;
    return every ? (at - start) % every == 0 : at == start;
}

int pf_schedule_next(const pf_plan *p, int year, int month, int after)
{
    if (!p->monitoring_start.year)
        return -1;
    int start = month_index(p->monitoring_start.year, p->monitoring_start.month);
    int want = month_index(year, month) + (after ? 1 : 0), every = pf_schedule_every(p);
    if (want <= start)
        return start;
    if (!every)
        return -1;
    return start + (want - start + every - 1) / every * every;
}

static const pf_monitoring *record_in(const pf_bundle *b, const pf_plan *p, int index)
{
    for (size_t i = 0; i < b->n_monitorings; i++) {
        const pf_monitoring *m = &b->monitorings[i];
        if (m->plan_id.s && p->id.s && strcmp(m->plan_id.s, p->id.s) == 0 &&
            month_index(m->date.year, m->date.month) == index)
            return m;
    }
    return NULL;
}

size_t pf_schedule(const pf_bundle *b, const pf_plan *p, long today, pf_due **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    if (!p->monitoring_start.year)
        return 0;
    int every = pf_schedule_every(p);
    int now = month_index((int)(today / 10000), (int)(today / 100 % 100));
    for (int at = month_index(p->monitoring_start.year, p->monitoring_start.month);; at += every) {
        const pf_monitoring *m = record_in(b, p, at);
        PF_GROW(*out, n, cap);
        pf_due *d = &(*out)[n++];
        d->year = at / 12, d->month = at % 12 + 1, d->record = m;
        d->status = m ? PF_DUE_DONE : at < now ? PF_DUE_MISSED : PF_DUE_NEXT;
        if ((at >= now && !m) || every == 0 || n > 600)
            break;
    }
    return n;
}

static const char *const status_ja[] = {"済", "未実施", "次回"};
static const char *const status_en[] = {"done", "missed", "next"};

void pf_schedule_print(const pf_bundle *b, long today, int json, FILE *to)
{
    pf_buf out = {0};
    if (json)
        pf_buf_adds(&out, "[");
    for (size_t i = 0; i < b->n_plans; i++) {
        const pf_plan *p = &b->plans[i];
        pf_due *d;
        size_t n = pf_schedule(b, p, today, &d);
        if (json) {
            pf_buf_adds(&out, i ? ",\n {" : "\n {");
            pf_json_key(&out, "plan", 1);
            pf_json_string(&out, p->id.s);
            pf_json_key(&out, "every", 0);
            pf_buf_printf(&out, "%d", pf_schedule_every(p));
            pf_json_key(&out, "months", 0);
            pf_buf_adds(&out, "[");
            for (size_t k = 0; k < n; k++) {
                pf_buf_adds(&out, k ? ", {" : "{");
                pf_json_key(&out, "month", 1);
                pf_buf_printf(&out, "\"%04d-%02d\"", d[k].year, d[k].month);
                pf_json_key(&out, "status", 0);
                pf_json_string(&out, status_en[d[k].status]);
                if (d[k].record) {
                    pf_json_key(&out, "record", 0);
                    pf_json_string(&out, d[k].record->id.s);
                    pf_json_key(&out, "date", 0);
                    pf_buf_printf(&out, "\"%04d-%02d-%02d\"", d[k].record->date.year,
                                  d[k].record->date.month, d[k].record->date.day);
                }
                pf_buf_adds(&out, "}");
            }
            pf_buf_adds(&out, "]}");
        } else {
            pf_buf_printf(&out, "%s（%s）\n", p->id.s ? p->id.s : "",
                          p->monitoring.s ? p->monitoring.s : "");
            for (size_t k = 0; k < n; k++) {
                pf_buf_printf(&out, "  %04d-%02d  %s / %s", d[k].year, d[k].month,
                              status_ja[d[k].status], status_en[d[k].status]);
                if (d[k].record)
                    pf_buf_printf(&out, "  %04d-%02d-%02d %s", d[k].record->date.year,
                                  d[k].record->date.month, d[k].record->date.day,
                                  d[k].record->id.s ? d[k].record->id.s : "");
                pf_buf_adds(&out, "\n");
            }
        }
        free(d);
    }
    if (json)
        pf_buf_adds(&out, b->n_plans ? "\n]\n" : "]\n");
    if (out.len)
        fwrite(out.data, 1, out.len, to);
    pf_buf_free(&out);
}
