/* check — the consistency rules. See check.h. */
#include "check/check.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check/schedule.h"
#include "util/json.h"
#include "util/util.h"

static const char *const severity_names[] = {"info", "warning", "error"};

/* What a finding is about: ids as the input writes them (NULL or "": not about one). */
typedef struct about {
    const char *plan, *need, *isp, *goal;
} about;

static char *id_copy(const char *id)
{
    return id && id[0] ? pf_xstrdup(id) : NULL;
}

/* A message cut to its buffer ends on a character boundary, never inside one (--verbose quotes
 * the input's text). */
static void cut_on_character(char *s)
{
    size_t n = strlen(s), lead = n;
    while (lead > 0 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead > 0 && (unsigned char)s[lead - 1] >= 0xC0) {  /* is the last sequence whole? */
        unsigned char c = (unsigned char)s[lead - 1];
        size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (n - (lead - 1) < want)
            s[lead - 1] = 0;
    }
}

/* fmt_ja and fmt_en take the same arguments, in the same order. */
static void add(pf_findings *out, pf_severity sev, const char *rule, int line, about ids,
                const char *fmt_ja, const char *fmt_en, ...)
{
    PF_GROW(out->f, out->n, out->cap);
    pf_finding *f = &out->f[out->n++];
    memset(f, 0, sizeof *f);
    f->severity = sev;
    f->rule = rule;
    f->line = line;
    f->plan = id_copy(ids.plan);
    f->need = id_copy(ids.need);
    f->isp = id_copy(ids.isp);
    f->goal = id_copy(ids.goal);
    va_list ap;
    va_start(ap, fmt_en);
    vsnprintf(f->msg_ja, sizeof f->msg_ja, fmt_ja, ap);
    va_end(ap);
    va_start(ap, fmt_en);
    vsnprintf(f->msg_en, sizeof f->msg_en, fmt_en, ap);
    va_end(ap);
    cut_on_character(f->msg_ja);
    cut_on_character(f->msg_en);
}

static long day_number(const pf_date *d)
{
    /* a month without a day counts as its last day: a 達成時期 of 2024-10 ends with October */
    return d->year * 10000L + d->month * 100L + (d->day ? d->day : 31);
}

static int before(const pf_date *a, const pf_date *b)
{
    return a->year && b->year && day_number(a) < day_number(b);
}

static const char *str(const pf_text *t) { return t->s ? t->s : ""; }

static int month_of(const pf_date *d) { return d->year * 12 + d->month - 1; }

/* The consent rules of one form: a consent dated before the form was made (`made`, the
 * creation or monitoring date), or after the month the next monitoring is due (`due`, a month
 * as year * 12 + month - 1; -1: none known). A standing consent (包括同意書) is dated when it
 * was given, once for many forms: neither rule applies to it. */
static void check_consent(const pf_consent *c, const pf_date *made, int due, about ids,
                          pf_findings *out)
{
    if (!pf_consent_recorded(c) || c->mode->how == PF_CONSENT_STANDING)
        return;
    if (before(c->date, made))
        add(out, PF_WARNING, "consent-before-created", c->date->line, ids,
            "同意日が作成日より前です", "the consent date is before the creation date");
    if (due >= 0 && month_of(c->date) > due)
        add(out, PF_WARNING, "consent-after-next-monitoring", c->date->line, ids,
            "同意日（%04d-%02d-%02d）が次のモニタリング月（%04d-%02d）より後です",
            "the consent date (%04d-%02d-%02d) is after the next monitoring month (%04d-%02d)",
            c->date->year, c->date->month, c->date->day, due / 12, due % 12 + 1);
}

/* How a message names a need: its 課題 when the user allowed quoting, else its id. */
static const char *need_named(const pf_findings *out, const pf_need *n)
{
    return out->quote ? str(&n->issue) : str(&n->id);
}

static void check_plan(const pf_bundle *b, const pf_plan *p, pf_findings *out)
{
    for (size_t i = 0; i < p->n_needs; i++) {
        const pf_need *n = &p->needs[i];
        if (!pf_need_covered(b, p, n))
            add(out, PF_WARNING, "need-not-reflected", n->line, (about){p->id.s, n->id.s, 0, 0},
                "反映できなかったニーズ: 優先順位%ld「%s」を受け持つ個別支援計画・インフォーマルサービス等がありません",
                "need not reflected: priority %ld \"%s\" is covered by no individual support plan, "
                "informal or other support",
                n->priority.value, need_named(out, n));
    }
    size_t n_prov = 0;
    pf_provider *prov = pf_plan_providers(b, p, &n_prov);
    for (size_t k = 0; k < n_prov; k++) {
        if (!pf_provider_pending(&prov[k]))
            continue;
        const pf_service *s = prov[k].service;
        /* named by its id; by its name only where the user allowed quoting */
        const char *who = out->quote ? str(&s->provider) : s->provider_id.s;
        if (who)
            add(out, PF_WARNING, "isp-not-received", s->line, (about){p->id.s, 0, 0, 0},
                "個別支援計画 未受領: 事業所「%s」の、この計画に基づく個別支援計画がありません",
                "individual support plan not received: provider \"%s\" has none based on this plan",
                who);
        else
            add(out, PF_WARNING, "isp-not-received", s->line, (about){p->id.s, 0, 0, 0},
                "個別支援計画 未受領: この行のサービスの事業所の、この計画に基づく個別支援計画がありません",
                "individual support plan not received: the provider of the service on this line "
                "has none based on this plan");
    }
    free(prov);
    pf_consent c = pf_plan_consent(p);
    int due = p->created.year ? pf_schedule_next(p, p->created.year, p->created.month, 0) : -1;
    check_consent(&c, &p->created, due, (about){p->id.s, 0, 0, 0}, out);
}

static void check_service_type(const pf_plan *p, const pf_isp *isp, const pf_goal *g,
                               const pf_need *n, pf_findings *out)
{
    about ids = {p->id.s, n->id.s, isp->id.s, g->id.s};
    int provider_seen = 0;
    for (size_t i = 0; i < n->n_services; i++) {
        const pf_service *s = &n->services[i];
        if (!s->provider_id.s || strcmp(s->provider_id.s, str(&isp->provider_id)) != 0)
            continue;
        provider_seen = 1;
        if (s->kind.s && isp->service_type.s && strcmp(s->kind.s, isp->service_type.s) == 0)
            return;
    }
    if (provider_seen)
        add(out, PF_WARNING, "service-type-mismatch", g->line, ids,
            "サービス種類「%s」は、優先順位%ldの課題でこの事業所に計画されたサービスにありません",
            "service type \"%s\" is not among the services the plan lists for this provider "
            "under need %ld",
            str(&isp->service_type), n->priority.value);
    else
        add(out, PF_WARNING, "service-type-mismatch", g->line, ids,
            "事業所「%s」は、優先順位%ldの課題のサービスに挙がっていません",
            "provider \"%s\" is not among the services of need %ld", str(&isp->provider_id),
            n->priority.value);
}

static void check_child(const pf_isp *isp, pf_findings *out)
{
    about ids = {isp->plan_id.s, 0, isp->id.s, 0};
    int groups = 0;
    unsigned domains = 0;
    for (size_t g = 0; g < isp->n_goals; g++) {
        groups |= 1 << isp->goals[g].category;
        if (isp->goals[g].category == PF_GOAL_PERSON)
            domains |= isp->goals[g].domains;
    }
    if (!(groups & (1 << PF_GOAL_FAMILY)))
        add(out, PF_ERROR, "child-missing-group", isp->line, ids,
            "家族支援の行がありません（必須です）", "no 家族支援 (family support) row: it is required");
    if (!(groups & (1 << PF_GOAL_TRANSITION)))
        add(out, PF_ERROR, "child-missing-group", isp->line, ids,
            "移行支援の行がありません（必須です）", "no 移行支援 (transition support) row: it is required");
    for (int d = 0; d < PF_N_DOMAINS; d++)
        if (!(domains & (1u << d)))
            add(out, PF_ERROR, "child-domain-uncovered", isp->line, ids,
                "本人支援の行が5領域の「%s」を含んでいません",
                "the 本人支援 rows leave the domain %s uncovered", pf_domain_names[d]);
}

static void check_isp(const pf_bundle *b, const pf_isp *isp, pf_findings *out)
{
    const pf_plan *p = pf_bundle_plan(b, isp->plan_id.s);
    if (!p)
        return;  /* the reader refuses that already */
    about ids = {p->id.s, 0, isp->id.s, 0};
    if (before(&isp->created, &p->created))
        add(out, PF_WARNING, "isp-before-plan", isp->created.line, ids,
            "個別支援計画の作成日が、もとのサービス等利用計画の作成日より前です",
            "the individual support plan was made before the plan it is based on (%s)",
            str(&p->id));
    pf_consent c = pf_isp_consent(isp);
    check_consent(&c, &isp->created,
                  isp->created.year ? pf_schedule_next(p, isp->created.year, isp->created.month, 0)
                                    : -1,
                  ids, out);
    for (size_t i = 0; i < isp->n_goals; i++) {
        const pf_goal *g = &isp->goals[i];
        const pf_need *n = pf_plan_need(p, g->need_id.s);
        if (!n)
            continue;  /* goal-need-missing: check_links */
        if (g->category == PF_GOAL_PERSON || !isp->child)
            check_service_type(p, isp, g, n, out);
        const pf_date *target = g->target.year ? &g->target : &n->target;
        if (isp->period_end.year && before(&isp->period_end, target))
            add(out, PF_WARNING, "target-after-period", g->target.year ? g->target.line : g->line,
                (about){p->id.s, n->id.s, isp->id.s, g->id.s},
                "達成時期（%04d-%02d）が計画期間の終わりより後です",
                "the target date (%04d-%02d) is after the end of the plan period", target->year,
                target->month);
    }
    if (isp->child)
        check_child(isp, out);
    if (!isp->delivered.year)
        add(out, PF_INFO, "isp-not-delivered", isp->line, ids,
            "相談支援事業所への交付日が記録されていません（%s）",
            "delivery to the 相談支援事業所 is not recorded (%s)", str(&isp->id));
}

static int changes(const pf_review *v)
{
    return v->change_type.value == 1 || v->change_amount.value == 1 || v->change_weekly.value == 1;
}

static void check_monitoring(const pf_bundle *b, const pf_monitoring *m, pf_findings *out)
{
    const pf_plan *p = pf_bundle_plan(b, m->plan_id.s);
    if (!p)
        return;  /* the reader refuses that already */
    for (size_t i = 0; i < m->n_reviews; i++) {
        const pf_review *v = &m->reviews[i];
        /* a review of a need the plan lacks: review-need-missing, check_links */
        if (changes(v) && (!v->issues.s || !v->issues.s[0]))
            add(out, PF_WARNING, "change-without-issues", v->line,
                (about){p->id.s, v->need_id.s, 0, 0},
                "計画変更が「有」なのに、今後の課題・解決方法（%s）が書かれていません",
                "a plan change is marked 有 but no 今後の課題・解決方法 is written (%s)",
                str(&v->need_id));
    }
    for (size_t i = 0; i < p->n_needs; i++) {
        const pf_need *n = &p->needs[i];
        int seen = 0;
        for (size_t k = 0; k < m->n_reviews; k++)
            seen |= m->reviews[k].need_id.s && n->id.s && strcmp(m->reviews[k].need_id.s, n->id.s) == 0;
        if (!seen)
            add(out, PF_WARNING, "need-not-monitored", m->line, (about){p->id.s, n->id.s, 0, 0},
                "モニタリングに優先順位%ldの課題「%s」がありません",
                "the monitoring record leaves out need %ld \"%s\"", n->priority.value,
                need_named(out, n));
    }
    pf_consent c = pf_monitoring_consent(m), pc = pf_plan_consent(p);
    check_consent(&c, &m->date, m->date.year ? pf_schedule_next(p, m->date.year, m->date.month, 1) : -1,
                  (about){p->id.s, 0, 0, 0}, out);
    /* a standing 同意書 recorded on the plan covers its monitoring reports */
    if (!pf_consent_recorded(&c) &&
        !(pf_consent_recorded(&pc) && pc.mode->how == PF_CONSENT_STANDING))
        add(out, PF_WARNING, "monitoring-without-consent", c.mode->present ? c.mode->line : m->line,
            (about){p->id.s, 0, 0, 0},
            "モニタリング報告書（%s）に同意（日付）も包括同意書もありません",
            "the monitoring report (%s) records neither a consent (with its date) nor a standing "
            "consent", str(&m->id));
    if (m->date.year && p->monitoring_start.year &&
        !pf_schedule_has(p, m->date.year, m->date.month))
        add(out, PF_WARNING, "monitoring-off-schedule", m->date.line, (about){p->id.s, 0, 0, 0},
            "モニタリング実施日（%04d-%02d）が計画のモニタリング月ではありません",
            "the monitoring date (%04d-%02d) is not a monitoring month of the plan", m->date.year,
            m->date.month);
}

static void check_evaluation(const pf_bundle *b, const pf_evaluation *e, pf_findings *out)
{
    const pf_isp *isp = pf_bundle_isp(b, e->isp_id.s);
    if (!isp)
        return;  /* the reader refuses that already */
    pf_consent c = pf_evaluation_consent(e);
    check_consent(&c, &e->date, e->next_date.year ? month_of(&e->next_date) : -1,
                  (about){isp->plan_id.s, 0, isp->id.s, 0}, out);
}

static void check_schedule(const pf_bundle *b, const pf_plan *p, long today, pf_findings *out)
{
    pf_due *d;
    size_t n = pf_schedule(b, p, today, &d);
    for (size_t i = 0; i < n; i++)
        if (d[i].status == PF_DUE_MISSED)
            add(out, PF_WARNING, "monitoring-missed", p->monitoring_start.line,
                (about){p->id.s, 0, 0, 0},
                "%04d-%02d のモニタリングが記録されていません",
                "no monitoring recorded for %04d-%02d", d[i].year, d[i].month);
    free(d);
}

/* The links between plans: a goal, a monitoring review or an evaluation review that names a
 * need or goal that does not exist. Its form could not say what it serves or reviews, so these
 * are the rules render refuses on (pf_check_links); each finding names the attribute that holds
 * the broken reference. */
/* A link to a need the plan does not have: the need= attribute is at fault. */
static void need_missing(pf_findings *out, const char *rule, int line, about ids, const pf_plan *p,
                         const pf_text *need)
{
    add(out, PF_ERROR, rule, line, ids, "サービス等利用計画「%s」に課題「%s」がありません",
        "plan \"%s\" has no need \"%s\"", str(&p->id), str(need));
    out->f[out->n - 1].field = "need";
}

static void check_links(const pf_bundle *b, pf_findings *out)
{
    for (size_t k = 0; k < b->n_isps; k++) {
        const pf_isp *isp = &b->isps[k];
        const pf_plan *p = pf_bundle_plan(b, isp->plan_id.s);
        for (size_t i = 0; p && i < isp->n_goals; i++) {
            const pf_goal *g = &isp->goals[i];
            if (!pf_plan_need(p, g->need_id.s))
                need_missing(out, "goal-need-missing", g->line,
                             (about){p->id.s, g->need_id.s, isp->id.s, g->id.s}, p, &g->need_id);
        }
    }
    for (size_t k = 0; k < b->n_monitorings; k++) {
        const pf_monitoring *m = &b->monitorings[k];
        const pf_plan *p = pf_bundle_plan(b, m->plan_id.s);
        for (size_t i = 0; p && i < m->n_reviews; i++) {
            const pf_review *v = &m->reviews[i];
            if (!pf_plan_need(p, v->need_id.s))
                need_missing(out, "review-need-missing", v->line,
                             (about){p->id.s, v->need_id.s, 0, 0}, p, &v->need_id);
        }
    }
    for (size_t k = 0; k < b->n_evaluations; k++) {
        const pf_evaluation *e = &b->evaluations[k];
        const pf_isp *isp = pf_bundle_isp(b, e->isp_id.s);
        for (size_t i = 0; isp && i < e->n_reviews; i++) {
            if (pf_isp_goal(isp, e->reviews[i].goal_id.s))
                continue;
            add(out, PF_ERROR, "review-goal-missing", e->reviews[i].line,
                (about){isp->plan_id.s, 0, isp->id.s, e->reviews[i].goal_id.s},
                "個別支援計画「%s」に目標「%s」がありません（goal の id）",
                "individual support plan \"%s\" has no goal \"%s\" (goal id)", str(&isp->id),
                str(&e->reviews[i].goal_id));
            out->f[out->n - 1].field = "goal";   /* the goal= attribute is at fault */
        }
    }
}

static int by_line(const void *a, const void *b)
{
    const pf_finding *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

/* Stable by line: qsort is not stable, so ties keep the order they were found in. */
static void sort_by_line(pf_findings *out)
{
    for (size_t i = 1; i < out->n; i++) {
        pf_finding f = out->f[i];
        size_t k = i;
        while (k > 0 && by_line(&out->f[k - 1], &f) > 0) {
            out->f[k] = out->f[k - 1];
            k--;
        }
        out->f[k] = f;
    }
}

void pf_check_links(const pf_bundle *b, pf_findings *out)
{
    check_links(b, out);
    sort_by_line(out);
}

void pf_check(const pf_bundle *b, long today, pf_findings *out)
{
    check_links(b, out);
    for (size_t i = 0; i < b->n_plans; i++) {
        check_plan(b, &b->plans[i], out);
        check_schedule(b, &b->plans[i], today, out);
    }
    for (size_t i = 0; i < b->n_isps; i++)
        check_isp(b, &b->isps[i], out);
    for (size_t i = 0; i < b->n_monitorings; i++)
        check_monitoring(b, &b->monitorings[i], out);
    for (size_t i = 0; i < b->n_evaluations; i++)
        check_evaluation(b, &b->evaluations[i], out);
    sort_by_line(out);
}

size_t pf_findings_count(const pf_findings *fs, pf_severity severity)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->n; i++)
        n += fs->f[i].severity == severity;
    return n;
}

void pf_findings_free(pf_findings *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->f[i].plan);
        free(fs->f[i].need);
        free(fs->f[i].isp);
        free(fs->f[i].goal);
    }
    free(fs->f);
    memset(fs, 0, sizeof *fs);
}

void pf_findings_print(const pf_findings *fs, const char *file, int json, FILE *to)
{
    if (json) {
        pf_buf out = {0};
        pf_buf_adds(&out, "[");
        for (size_t i = 0; i < fs->n; i++) {
            const pf_finding *f = &fs->f[i];
            pf_buf_adds(&out, i ? ",\n {" : "\n {");
            pf_json_key(&out, "severity", 1);
            pf_json_string(&out, severity_names[f->severity]);
            pf_json_key(&out, "rule", 0);
            pf_json_string(&out, f->rule);
            pf_json_key(&out, "file", 0);
            pf_json_string(&out, file);
            pf_json_key(&out, "line", 0);
            pf_buf_printf(&out, "%d", f->line);
            const char *ids[][2] = {{"plan", f->plan}, {"need", f->need}, {"isp", f->isp},
                                    {"goal", f->goal}};
            for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++)
                if (ids[k][1]) {
                    pf_json_key(&out, ids[k][0], 0);
                    pf_json_string(&out, ids[k][1]);
                }
            pf_json_key(&out, "message_ja", 0);
            pf_json_string(&out, f->msg_ja);
            pf_json_key(&out, "message_en", 0);
            pf_json_string(&out, f->msg_en);
            pf_buf_adds(&out, "}");
        }
        pf_buf_adds(&out, fs->n ? "\n]\n" : "]\n");
        fwrite(out.data, 1, out.len, to);
        pf_buf_free(&out);
        return;
    }
    for (size_t i = 0; i < fs->n; i++) {
        const pf_finding *f = &fs->f[i];
        fprintf(to, "%s:%d: %s [%s]: %s\n%s:%d: %s [%s]: %s\n", file, f->line,
                severity_names[f->severity], f->rule, f->msg_ja, file, f->line,
                severity_names[f->severity], f->rule, f->msg_en);
    }
}
