/* template/bind — model values as printed text with their origins. See bind.h. */
#include "template/bind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/bundle.h"

static void value_add(pf_value *v, const char *s, size_t n, int line, const char *xml_name)
{
    if (!n)
        return;
    PF_GROW(v->parts, v->n_parts, v->cap_parts);
    v->parts[v->n_parts++] = (pf_value_part){v->len, n, line, pf_field_ja(xml_name), xml_name};
    v->text = pf_xrealloc(v->text, v->len + n + 1);
    memcpy(v->text + v->len, s, n);
    v->len += n;
    v->text[v->len] = 0;
}

/* Punctuation the binder adds between parts (spaces, parentheses): it belongs to no field. */
static void value_glue(pf_value *v, const char *s)
{
    size_t n = strlen(s);
    v->text = pf_xrealloc(v->text, v->len + n + 1);
    memcpy(v->text + v->len, s, n);
    v->len += n;
    v->text[v->len] = 0;
}

/* A new, empty value under `key`; the pointer stays valid until the values are freed. */
static pf_value *put(pf_values *vs, const char *key)
{
    pf_kv *kv = pf_xcalloc(1, sizeof *kv);
    kv->key = key;
    kv->v.text = pf_xstrdup("");
    PF_GROW(vs->kv, vs->n, vs->cap);
    vs->kv[vs->n++] = kv;
    return &kv->v;
}

static void put_text(pf_values *vs, const char *key, const pf_text *t, const char *xml_name)
{
    pf_value *v = put(vs, key);
    if (t->s)
        value_add(v, t->s, strlen(t->s), t->line, xml_name);
}

/* An era date; a failure is reported at the date's line and field. */
static int era(pf_text_ctx *tc, const pf_date *d, const char *xml_name, char *buf, size_t cap,
               pf_error *err)
{
    if (pf_text_era_date(tc, d->year, d->month, d->day, buf, cap, err) == 0)
        return 0;
    return pf_error_locate(err, NULL, d->line, pf_field_ja(xml_name), xml_name);
}

static int put_date(pf_values *vs, const char *key, const pf_date *d, const char *xml_name,
                    pf_text_ctx *tc, pf_error *err)
{
    pf_value *v = put(vs, key);
    if (!d->year)
        return 0;
    char buf[128];
    if (era(tc, d, xml_name, buf, sizeof buf, err))
        return err->status;
    value_add(v, buf, strlen(buf), d->line, xml_name);
    return 0;
}

/* A consent box holds the signature and, when the input gives it, its date:
 * "髙橋 𠮷郎（令和6年7月10日）", or the date alone. */
static int put_consent(pf_values *vs, const char *key, const pf_text *name, const pf_date *date,
                       pf_text_ctx *tc, pf_error *err)
{
    pf_value *v = put(vs, key);
    if (name->s)
        value_add(v, name->s, strlen(name->s), name->line, "consent");
    if (!date->year)
        return 0;
    char buf[128];
    if (era(tc, date, "consent", buf, sizeof buf, err))
        return err->status;
    int named = v->len > 0;
    value_glue(v, named ? "（" : "");
    value_add(v, buf, strlen(buf), date->line, "consent");
    value_glue(v, named ? "）" : "");
    return 0;
}

static void services(pf_values *row, const pf_need *n)
{
    pf_value *what = put(row, "need.services"), *who = put(row, "need.providers");
    for (size_t i = 0; i < n->n_services; i++) {
        const pf_service *s = &n->services[i];
        if (i) {
            value_glue(what, "\n");
            value_glue(who, "\n");
        }
        const pf_text *fields[] = {&s->kind, &s->content, &s->amount};
        const char *names[] = {"kind", "content", "amount"};
        int first = 1;
        for (int k = 0; k < 3; k++) {
            if (!fields[k]->s || !fields[k]->s[0])
                continue;
            if (!first)
                value_glue(what, k == 2 ? "（" : " ");
            value_add(what, fields[k]->s, strlen(fields[k]->s), fields[k]->line, names[k]);
            if (k == 2 && !first)
                value_glue(what, "）");
            first = 0;
        }
        if (s->provider.s)
            value_add(who, s->provider.s, strlen(s->provider.s), s->provider.line, "provider");
        if (s->contact.s && s->contact.s[0]) {
            value_glue(who, s->provider.s ? "（" : "");
            value_add(who, s->contact.s, strlen(s->contact.s), s->contact.line, "contact");
            if (s->provider.s)
                value_glue(who, "）");
        }
    }
}

static int bind_need(pf_values *row, const pf_need *n, pf_text_ctx *tc, pf_error *err)
{
    pf_value *prio = put(row, "need.priority");
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", n->priority.value);
    value_add(prio, buf, strlen(buf), n->priority.line, "priority");
    put_text(row, "need.issue", &n->issue, "issue");
    put_text(row, "need.goal", &n->goal, "goal");
    put_text(row, "need.role", &n->role, "role");
    put_text(row, "need.notes", &n->notes, "notes");
    services(row, n);
    if (put_date(row, "need.target", &n->target, "target", tc, err) ||
        put_date(row, "need.evaluation", &n->evaluation, "evaluation", tc, err))
        return err->status;
    return 0;
}

static int bind_top(pf_values *top, const pf_bundle *b, const pf_plan *p, pf_text_ctx *tc,
                    pf_error *err)
{
    const pf_person *ps = &b->person;
    put_text(top, "person.name", &ps->name, "name");
    put_text(top, "person.kana", &ps->kana, "kana");
    put_text(top, "person.support-category", &ps->support_category, "support-category");
    put_text(top, "person.recipient-number", &ps->recipient_number, "recipient-number");
    put_text(top, "person.community-number", &ps->community_number, "community-number");
    put_text(top, "person.day-number", &ps->day_number, "day-number");
    pf_value *yen = put(top, "person.copay-limit");
    if (ps->copay_limit.present) {
        char buf[64];
        pf_text_yen(ps->copay_limit.value, buf, sizeof buf);
        value_add(yen, buf, strlen(buf), ps->copay_limit.line, "copay-limit");
    }
    put_text(top, "plan.agency", &p->agency, "agency");
    put_text(top, "plan.planner", &p->planner, "planner");
    put_text(top, "plan.consent-name", &p->consent_name, "consent");
    put_text(top, "plan.wishes", &p->wishes, "wishes");
    put_text(top, "plan.policy", &p->policy, "policy");
    put_text(top, "plan.long-goal", &p->long_goal, "long-term-goal");
    put_text(top, "plan.short-goal", &p->short_goal, "short-term-goal");
    put_text(top, "weekly.other-services", &p->weekly.other_services, "other-services");
    put_text(top, "weekly.whole-life", &p->weekly.whole_life, "whole-life");
    if (put_date(top, "plan.created", &p->created, "created", tc, err) ||
        put_date(top, "plan.consent-date", &p->consent_date, "consent", tc, err) ||
        put_consent(top, "plan.consent", &p->consent_name, &p->consent_date, tc, err) ||
        put_date(top, "plan.start", p->start.year ? &p->start : &p->monitoring_start, "start",
                 tc, err))
        return err->status;
    /* モニタリング期間（開始年月）: "3か月ごと（令和6年7月）" */
    pf_value *mon = put(top, "plan.monitoring");
    if (p->monitoring.s)
        value_add(mon, p->monitoring.s, strlen(p->monitoring.s), p->monitoring.line,
                  "monitoring");
    if (p->monitoring_start.year) {
        char buf[128];
        pf_date month = p->monitoring_start;
        month.day = 0;
        if (era(tc, &month, "monitoring", buf, sizeof buf, err))
            return err->status;
        value_glue(mon, "（");
        value_add(mon, buf, strlen(buf), p->monitoring_start.line, "monitoring");
        value_glue(mon, "）");
    }
    return 0;
}

static void bind_weekly(pf_bound *bd, const pf_weekly *w)
{
    bd->spans = pf_xcalloc(w->n_spans ? w->n_spans : 1, sizeof *bd->spans);
    for (size_t i = 0; i < w->n_spans; i++) {
        const pf_span *s = &w->spans[i];
        pf_bound_span *o = &bd->spans[bd->n_spans++];
        o->days = s->days, o->start = s->start, o->end = s->end;
        o->label.text = pf_xstrdup("");
        if (s->label.s)
            value_add(&o->label, s->label.s, strlen(s->label.s), s->label.line, "span");
    }
    bd->activities = pf_xcalloc(w->n_activities ? w->n_activities : 1, sizeof *bd->activities);
    for (size_t i = 0; i < w->n_activities; i++) {
        const pf_activity *a = &w->activities[i];
        pf_bound_span *o = &bd->activities[bd->n_activities++];
        o->start = a->start, o->end = a->end;
        o->label.text = pf_xstrdup("");
        if (a->label.s)
            value_add(&o->label, a->label.s, strlen(a->label.s), a->label.line, "activity");
    }
}

pf_bound *pf_bind_plan(const pf_bundle *b, size_t plan, const pf_template *t, pf_text_ctx *tc,
                       pf_error *err)
{
    (void)t;
    const pf_plan *p = &b->plans[plan];
    pf_bound *bd = pf_xcalloc(1, sizeof *bd);
    bd->file = b->file;
    snprintf(bd->flags, sizeof bd->flags, "%s %s", p->child ? "child" : "adult",
             p->final ? "final" : "draft");
    int rc = bind_top(&bd->top, b, p, tc, err);
    bd->rows = pf_xcalloc(p->n_needs ? p->n_needs : 1, sizeof *bd->rows);
    for (size_t i = 0; rc == 0 && i < p->n_needs; i++) {
        rc = bind_need(&bd->rows[i], &p->needs[i], tc, err);
        bd->n_rows++;
    }
    bind_weekly(bd, &p->weekly);
    if (rc) {
        if (!err->file[0])
            snprintf(err->file, sizeof err->file, "%s", b->file);
        pf_bound_free(bd);
        return NULL;
    }
    return bd;
}

/* ---- individual support plans ---------------------------------------------------------- */

/* dst += src, keeping where each stretch came from. */
static void value_append(pf_value *dst, const pf_value *src)
{
    size_t base = dst->len;
    value_glue(dst, src->text);
    for (size_t i = 0; i < src->n_parts; i++) {
        PF_GROW(dst->parts, dst->n_parts, dst->cap_parts);
        dst->parts[dst->n_parts] = src->parts[i];
        dst->parts[dst->n_parts++].start += base;
    }
}

/* The services of a need that this provider gives: 就労継続支援B型 月〜金 …（22日/月） */
static void provider_services(pf_values *row, const pf_need *n, const char *provider)
{
    pf_value *v = put(row, "need.provider-services");
    for (size_t i = 0; n && provider && i < n->n_services; i++) {
        const pf_service *s = &n->services[i];
        if (!s->provider_id.s || strcmp(s->provider_id.s, provider) != 0)
            continue;
        if (v->len)
            value_glue(v, "\n");
        if (s->provider.s)
            value_add(v, s->provider.s, strlen(s->provider.s), s->provider.line, "provider");
        if (s->contact.s && s->contact.s[0]) {
            value_glue(v, "（");
            value_add(v, s->contact.s, strlen(s->contact.s), s->contact.line, "contact");
            value_glue(v, "）");
        }
    }
}

/* A field printed after a label inside another cell: "\n【支援期間】毎日 朝・夜". */
static void labelled(pf_value *v, const char *label, const pf_text *t, const char *xml_name)
{
    if (!t->s || !t->s[0])
        return;
    value_glue(v, v->len ? "\n" : "");
    value_glue(v, label);
    value_add(v, t->s, strlen(t->s), t->line, xml_name);
}

/* 支援内容, then (details) 【本人の役割】 and 【支援期間】, then 【5領域】 */
static void support_value(pf_value *sd, const pf_goal *g, int details)
{
    if (g->support.s)
        value_add(sd, g->support.s, strlen(g->support.s), g->support.line, "support");
    if (details) {
        labelled(sd, "【本人の役割】", &g->role, "role");
        labelled(sd, "【支援期間】", &g->period, "period");
    }
    if (g->domains) {
        value_glue(sd, sd->len ? "\n【5領域】" : "【5領域】");
        int first = 1;
        for (int d = 0; d < PF_N_DOMAINS; d++) {
            if (!(g->domains & (1u << d)))
                continue;
            if (!first)
                value_glue(sd, "、");
            value_add(sd, pf_domain_names[d], strlen(pf_domain_names[d]), g->line, "domains");
            first = 0;
        }
    }
}

static int bind_goal(pf_values *row, const pf_goal *g, const pf_need *n, const char *provider,
                     pf_text_ctx *tc, pf_error *err)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", g->priority.value);
    value_add(put(row, "goal.priority"), buf, strlen(buf), g->priority.line, "priority");
    pf_value *cat = put(row, "goal.category");
    value_add(cat, pf_goal_category_names[g->category], strlen(pf_goal_category_names[g->category]), g->line,
              "goal");
    /* 優先順位 applies to 本人支援 rows only: the others are struck through on the form */
    if (g->category != PF_GOAL_PERSON)
        value_glue(put(row, "goal.struck"), "1");
    else
        put(row, "goal.struck");
    put_text(row, "goal.aim", &g->aim, "aim");
    put_text(row, "goal.role", &g->role, "role");
    put_text(row, "goal.period", &g->period, "period");
    put_text(row, "goal.staff", &g->staff, "staff");
    put_text(row, "goal.notes", &g->notes, "notes");
    put_text(row, "goal.support", &g->support, "support");
    /* 支援内容 with its 5領域; the children's form, which has no columns for them, also
     * prints 本人の役割 and 支援期間 there */
    support_value(put(row, "goal.support-domains"), g, 0);
    support_value(put(row, "goal.support-details"), g, 1);
    /* the need it serves: 「1 日中は作業所で働き、工賃を得たい。」 */
    pf_value *need = put(row, "goal.need");
    if (n) {
        snprintf(buf, sizeof buf, "%ld ", n->priority.value);
        value_add(need, buf, strlen(buf), n->priority.line, "priority");
        if (n->issue.s)
            value_add(need, n->issue.s, strlen(n->issue.s), n->issue.line, "issue");
        put_text(row, "need.goal", &n->goal, "goal");
    } else {
        put(row, "need.goal");
    }
    provider_services(row, n, provider);
    if (put_date(row, "goal.target", &g->target, "target", tc, err) ||
        put_date(row, "need.target", n ? &n->target : &(pf_date){0}, "target", tc, err))
        return err->status;
    return 0;
}

static int bind_isp_top(pf_values *top, const pf_isp *p, pf_text_ctx *tc, pf_error *err)
{
    put_text(top, "isp.office", &p->office, "office");
    put_text(top, "isp.service-type", &p->service_type, "service-type");
    put_text(top, "isp.manager", &p->manager, "manager");
    put_text(top, "isp.wishes", &p->wishes, "wishes");
    put_text(top, "isp.policy", &p->policy, "policy");
    put_text(top, "isp.long-goal", &p->long_goal, "long-term-goal");
    put_text(top, "isp.short-goal", &p->short_goal, "short-term-goal");
    put_text(top, "isp.standard-time", &p->standard_time, "standard-time");
    put_text(top, "isp.consent-name", &p->consent_name, "consent");
    if (put_date(top, "isp.created", &p->created, "created", tc, err) ||
        put_date(top, "isp.consent-date", &p->consent_date, "consent", tc, err) ||
        put_date(top, "isp.delivered", &p->delivered, "delivered", tc, err))
        return err->status;
    /* 計画期間: 令和6年5月1日〜令和6年10月31日 */
    pf_value *period = put(top, "isp.period");
    if (p->period_start.year) {
        char a[64], b2[64];
        if (era(tc, &p->period_start, "period", a, sizeof a, err) ||
            era(tc, &p->period_end, "period", b2, sizeof b2, err))
            return err->status;
        value_add(period, a, strlen(a), p->period_start.line, "period");
        value_glue(period, "〜");
        value_add(period, b2, strlen(b2), p->period_end.line, "period");
    }
    return 0;
}

/* Where a field maps back and the individual plan leaves it empty: mark + the mapped value. */
static void map_back(pf_values *dst, const pf_values *src_row, const pf_values *top,
                     const char *bind, const char *maps_to, const char *mark)
{
    if (!bind || !maps_to)
        return;
    pf_value *v = NULL;
    for (size_t i = 0; i < dst->n; i++)
        if (strcmp(dst->kv[i]->key, bind) == 0)
            v = &dst->kv[i]->v;
    const pf_value *from = src_row ? pf_values_get(src_row, maps_to) : NULL;
    if (!from)
        from = pf_values_get(top, maps_to);
    if (!v || v->len || !from || !from->len)
        return;
    if (mark)
        value_glue(v, mark);
    value_append(v, from);
}

static void apply_mappings(pf_bound *bd, const pf_template *t)
{
    for (size_t p = 0; p < t->n_pages; p++) {
        for (size_t i = 0; i < t->pages[p].n; i++) {
            const pf_element *e = &t->pages[p].els[i];
            map_back(&bd->top, NULL, &bd->top, e->bind, e->maps_to, t->mapped_mark);
            for (size_t c = 0; c < e->n_cells; c++)
                map_back(&bd->top, NULL, &bd->top, e->cells[c].bind, e->cells[c].maps_to,
                         t->mapped_mark);
            for (size_t c = 0; c < e->n_columns; c++)
                for (size_t r = 0; r < bd->n_rows; r++)
                    map_back(&bd->rows[r], &bd->rows[r], &bd->top, e->columns[c].bind,
                             e->columns[c].maps_to, t->mapped_mark);
        }
    }
}

pf_bound *pf_bind_isp(const pf_bundle *b, size_t index, const pf_template *t, pf_text_ctx *tc,
                      pf_error *err)
{
    const pf_isp *isp = &b->isps[index];
    const pf_plan *plan = pf_bundle_plan(b, isp->plan_id.s);
    pf_bound *bd = pf_xcalloc(1, sizeof *bd);
    bd->file = b->file;
    snprintf(bd->flags, sizeof bd->flags, "%s", isp->child ? "child" : "adult");
    int rc = plan ? bind_top(&bd->top, b, plan, tc, err) : 0;
    if (rc == 0)
        rc = bind_isp_top(&bd->top, isp, tc, err);
    bd->rows = pf_xcalloc(isp->n_goals ? isp->n_goals : 1, sizeof *bd->rows);
    for (size_t i = 0; rc == 0 && i < isp->n_goals; i++) {
        const pf_goal *g = &isp->goals[i];
        rc = bind_goal(&bd->rows[i], g, plan ? pf_plan_need(plan, g->need_id.s) : NULL,
                       isp->provider_id.s, tc, err);
        bd->n_rows++;
    }
    bd->spans = pf_xcalloc(1, sizeof *bd->spans);
    bd->activities = pf_xcalloc(1, sizeof *bd->activities);
    if (rc) {
        if (!err->file[0])
            snprintf(err->file, sizeof err->file, "%s", b->file);
        pf_bound_free(bd);
        return NULL;
    }
    apply_mappings(bd, t);
    return bd;
}

/* ---- the linkage sheet ------------------------------------------------------------------ */

const char *const pf_cell_keys[PF_LINKAGE_MAX_PROVIDERS + 2] = {
    "cell.0", "cell.1", "cell.2",  "cell.3",  "cell.4",  "cell.5", "cell.6",
    "cell.7", "cell.8", "cell.9", "cell.10", "cell.11", "cell.12", "cell.13"};

/* "・" + the goal's aim (or, when it leaves it empty, the need's goal). */
static void goal_line(pf_value *v, const pf_goal *g, const pf_need *n)
{
    if (v->len)
        value_glue(v, "\n");
    value_glue(v, "○");
    const pf_text *t = g->aim.s && g->aim.s[0] ? &g->aim : &n->goal;
    if (t->s)
        value_add(v, t->s, strlen(t->s), t->line, t == &g->aim ? "aim" : "goal");
}

/* "家族・特別支援学校の先生の協力（同窓会への送迎と連絡）" */
static void service_line(pf_value *v, const pf_service *s)
{
    if (v->len)
        value_glue(v, "\n");
    value_glue(v, "○");
    if (s->kind.s)
        value_add(v, s->kind.s, strlen(s->kind.s), s->kind.line, "kind");
    const pf_text *more = s->content.s ? &s->content : &s->provider;
    if (more->s && more->s[0]) {
        value_glue(v, "（");
        value_add(v, more->s, strlen(more->s), more->line, more == &s->content ? "content" : "provider");
        value_glue(v, "）");
    }
}

static void linkage_row(pf_values *row, const pf_bundle *b, const pf_plan *p, const pf_need *n,
                        const pf_isp **isps, size_t n_isps)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", n->priority.value);
    value_add(put(row, "need.priority"), buf, strlen(buf), n->priority.line, "priority");
    put_text(row, "need.issue", &n->issue, "issue");
    if (!pf_need_covered(b, p, n))
        value_glue(put(row, "need.uncovered"), "1");
    else
        put(row, "need.uncovered");
    for (size_t k = 0; k < n_isps; k++) {
        pf_value *cell = put(row, pf_cell_keys[k]);
        for (size_t g = 0; g < isps[k]->n_goals; g++) {
            const pf_goal *goal = &isps[k]->goals[g];
            if (goal->need_id.s && n->id.s && strcmp(goal->need_id.s, n->id.s) == 0)
                goal_line(cell, goal, n);
        }
    }
    pf_value *informal = put(row, pf_cell_keys[n_isps]), *other = put(row, pf_cell_keys[n_isps + 1]);
    for (size_t i = 0; i < n->n_services; i++) {
        const pf_service *s = &n->services[i];
        if (s->informal)
            service_line(informal, s);
        else if (!pf_service_needs_isp(s))
            service_line(other, s);
    }
}

pf_bound *pf_bind_linkage(const pf_bundle *b, size_t plan, const pf_template *t,
                          pf_text_ctx *tc, pf_error *err)
{
    (void)t;
    const pf_plan *p = &b->plans[plan];
    pf_bound *bd = pf_xcalloc(1, sizeof *bd);
    bd->file = b->file;
    snprintf(bd->flags, sizeof bd->flags, "%s %s", p->child ? "child" : "adult",
             p->final ? "final" : "draft");
    const pf_isp *isps[PF_LINKAGE_MAX_PROVIDERS];
    size_t n_isps = 0;
    for (size_t i = 0; i < b->n_isps && n_isps < PF_LINKAGE_MAX_PROVIDERS; i++)
        if (b->isps[i].plan_id.s && p->id.s && strcmp(b->isps[i].plan_id.s, p->id.s) == 0)
            isps[n_isps++] = &b->isps[i];
    bd->columns = pf_xcalloc(n_isps + 1, sizeof *bd->columns);
    for (size_t k = 0; k < n_isps; k++) {
        pf_value *h = &bd->columns[bd->n_columns++];
        h->text = pf_xstrdup("");
        const pf_isp *isp = isps[k];
        if (isp->office.s)
            value_add(h, isp->office.s, strlen(isp->office.s), isp->office.line, "office");
        if (isp->service_type.s) {
            value_glue(h, "\n（");
            value_add(h, isp->service_type.s, strlen(isp->service_type.s),
                      isp->service_type.line, "service-type");
            value_glue(h, "）");
        }
    }
    int rc = bind_top(&bd->top, b, p, tc, err);
    bd->rows = pf_xcalloc(p->n_needs ? p->n_needs : 1, sizeof *bd->rows);
    for (size_t i = 0; rc == 0 && i < p->n_needs; i++)
        linkage_row(&bd->rows[bd->n_rows++], b, p, &p->needs[i], isps, n_isps);
    bd->spans = pf_xcalloc(1, sizeof *bd->spans);
    bd->activities = pf_xcalloc(1, sizeof *bd->activities);
    if (rc) {
        pf_bound_free(bd);
        return NULL;
    }
    return bd;
}

/* ---- monitoring ---------------------------------------------------------------------------- */

static void put_choice(pf_values *row, const char *key, const pf_choice *c, const char *field)
{
    pf_value *v = put(row, key);
    if (c->value >= 0)
        value_add(v, c->value ? "有" : "無", strlen("有"), c->line, field);
}

static const pf_review *review_of(const pf_monitoring *m, const pf_need *n)
{
    for (size_t i = 0; i < m->n_reviews; i++)
        if (m->reviews[i].need_id.s && n->id.s && strcmp(m->reviews[i].need_id.s, n->id.s) == 0)
            return &m->reviews[i];
    return NULL;
}

static int monitoring_row(pf_values *row, const pf_need *n, const pf_review *v, pf_text_ctx *tc,
                          pf_error *err)
{
    static const pf_review none = {.change_type = {-1, 0}, .change_amount = {-1, 0},
                                   .change_weekly = {-1, 0}};
    if (!v)
        v = &none;
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", n->priority.value);
    value_add(put(row, "need.priority"), buf, strlen(buf), n->priority.line, "priority");
    put_text(row, "need.issue", &n->issue, "issue");
    put_text(row, "need.goal", &n->goal, "goal");
    put_text(row, "review.provision", &v->provision, "provision");
    put_text(row, "review.satisfaction", &v->satisfaction, "satisfaction");
    put_text(row, "review.achievement", &v->achievement, "achievement");
    put_text(row, "review.issues", &v->issues, "issues");
    put_text(row, "review.notes", &v->notes, "notes");
    put_choice(row, "review.change-type", &v->change_type, "change");
    put_choice(row, "review.change-amount", &v->change_amount, "change");
    put_choice(row, "review.change-weekly", &v->change_weekly, "change");
    return put_date(row, "need.target", &n->target, "target", tc, err);
}

pf_bound *pf_bind_monitoring(const pf_bundle *b, size_t monitoring, const pf_template *t,
                             pf_text_ctx *tc, pf_error *err)
{
    (void)t;
    const pf_monitoring *m = &b->monitorings[monitoring];
    const pf_plan *p = pf_bundle_plan(b, m->plan_id.s);
    pf_bound *bd = pf_xcalloc(1, sizeof *bd);
    bd->file = b->file;
    snprintf(bd->flags, sizeof bd->flags, "%s %s", p && p->child ? "child" : "adult",
             p && p->final ? "final" : "draft");
    int rc = p ? bind_top(&bd->top, b, p, tc, err) : 0;
    put_text(&bd->top, "mon.overall", &m->overall, "overall");
    put_text(&bd->top, "mon.consent-name", &m->consent_name, "consent");
    if (rc == 0)
        rc = put_date(&bd->top, "mon.date", &m->date, "date", tc, err) ||
             put_date(&bd->top, "mon.consent-date", &m->consent_date, "consent", tc, err) ||
             put_consent(&bd->top, "mon.consent", &m->consent_name, &m->consent_date, tc, err);
    bd->rows = pf_xcalloc(p && p->n_needs ? p->n_needs : 1, sizeof *bd->rows);
    for (size_t i = 0; rc == 0 && p && i < p->n_needs; i++)
        rc = monitoring_row(&bd->rows[bd->n_rows++], &p->needs[i], review_of(m, &p->needs[i]),
                            tc, err);
    bd->spans = pf_xcalloc(1, sizeof *bd->spans);
    bd->activities = pf_xcalloc(1, sizeof *bd->activities);
    if (rc) {
        pf_bound_free(bd);
        return NULL;
    }
    return bd;
}

static const pf_goal_review *goal_review_of(const pf_evaluation *e, const pf_goal *g)
{
    for (size_t i = 0; g->id.s && i < e->n_reviews; i++)
        if (e->reviews[i].goal_id.s && strcmp(e->reviews[i].goal_id.s, g->id.s) == 0)
            return &e->reviews[i];
    return NULL;
}

static void evaluation_row(pf_values *row, const pf_goal *g, const pf_need *n,
                           const pf_goal_review *v, const char *mark)
{
    static const char *const achieved[] = {"達成", "一部達成", "未達成"};
    pf_value *aim = put(row, "goal.aim");
    if (g->aim.s && g->aim.s[0]) {
        value_add(aim, g->aim.s, strlen(g->aim.s), g->aim.line, "aim");
    } else if (n && n->goal.s) {  /* the individual plan took its aim from the plan */
        if (mark)
            value_glue(aim, mark);
        value_add(aim, n->goal.s, strlen(n->goal.s), n->goal.line, "goal");
    }
    pf_text empty = {0};
    put_text(row, "review.implementation", v ? &v->implementation : &empty, "implementation");
    put_text(row, "review.cause", v ? &v->cause : &empty, "cause");
    put_text(row, "review.next", v ? &v->next : &empty, "next");
    pf_value *a = put(row, "review.achieved");
    if (v && v->achieved != PF_ACHIEVED_NONE)
        value_add(a, achieved[v->achieved], strlen(achieved[v->achieved]), v->line, "achieved");
}

pf_bound *pf_bind_evaluation(const pf_bundle *b, size_t evaluation, const pf_template *t,
                             pf_text_ctx *tc, pf_error *err)
{
    const pf_evaluation *e = &b->evaluations[evaluation];
    const pf_isp *isp = pf_bundle_isp(b, e->isp_id.s);
    const pf_plan *p = isp ? pf_bundle_plan(b, isp->plan_id.s) : NULL;
    pf_bound *bd = pf_xcalloc(1, sizeof *bd);
    bd->file = b->file;
    snprintf(bd->flags, sizeof bd->flags, "%s", isp && isp->child ? "child" : "adult");
    int rc = p ? bind_top(&bd->top, b, p, tc, err) : 0;
    if (rc == 0 && isp)
        rc = bind_isp_top(&bd->top, isp, tc, err);
    put_text(&bd->top, "ev.overall", &e->overall, "overall");
    put_text(&bd->top, "ev.satisfaction", &e->satisfaction, "satisfaction");
    put_text(&bd->top, "ev.family", &e->family, "family");
    put_text(&bd->top, "ev.notes", &e->notes, "notes");
    put_text(&bd->top, "ev.consent-name", &e->consent_name, "consent");
    put_choice(&bd->top, "ev.change", &e->change, "change");
    if (rc == 0)
        rc = put_date(&bd->top, "ev.date", &e->date, "date", tc, err) ||
             put_date(&bd->top, "ev.next-date", &e->next_date, "next-date", tc, err) ||
             put_date(&bd->top, "ev.consent-date", &e->consent_date, "consent", tc, err);
    bd->rows = pf_xcalloc(isp && isp->n_goals ? isp->n_goals : 1, sizeof *bd->rows);
    for (size_t i = 0; rc == 0 && isp && i < isp->n_goals; i++) {
        const pf_goal *g = &isp->goals[i];
        evaluation_row(&bd->rows[bd->n_rows++], g, p ? pf_plan_need(p, g->need_id.s) : NULL,
                       goal_review_of(e, g), t->mapped_mark);
    }
    bd->spans = pf_xcalloc(1, sizeof *bd->spans);
    bd->activities = pf_xcalloc(1, sizeof *bd->activities);
    if (rc) {
        pf_bound_free(bd);
        return NULL;
    }
    return bd;
}

void pf_value_free(pf_value *v)
{
    free(v->text);
    free(v->parts);
    memset(v, 0, sizeof *v);
}

static void values_free(pf_values *vs)
{
    for (size_t i = 0; i < vs->n; i++) {
        pf_value_free(&vs->kv[i]->v);
        free(vs->kv[i]);
    }
    free(vs->kv);
}

void pf_bound_free(pf_bound *bd)
{
    if (!bd)
        return;
    values_free(&bd->top);
    for (size_t i = 0; i < bd->n_rows; i++)
        values_free(&bd->rows[i]);
    free(bd->rows);
    for (size_t i = 0; i < bd->n_spans; i++)
        pf_value_free(&bd->spans[i].label);
    for (size_t i = 0; i < bd->n_activities; i++)
        pf_value_free(&bd->activities[i].label);
    free(bd->spans);
    free(bd->activities);
    for (size_t i = 0; i < bd->n_columns; i++)
        pf_value_free(&bd->columns[i]);
    free(bd->columns);
    free(bd);
}

const pf_value *pf_values_get(const pf_values *vs, const char *key)
{
    for (size_t i = 0; i < vs->n; i++)
        if (strcmp(vs->kv[i]->key, key) == 0)
            return &vs->kv[i]->v;
    return NULL;
}

const pf_value_part *pf_value_part_at(const pf_value *v, size_t offset)
{
    const pf_value_part *best = NULL;
    for (size_t i = 0; i < v->n_parts; i++) {
        const pf_value_part *p = &v->parts[i];
        if (offset >= p->start && offset < p->start + p->len)
            return p;
        if (p->start <= offset)
            best = p;  /* glue after a part: blame the part before it */
    }
    return best ? best : (v->n_parts ? &v->parts[0] : NULL);
}

void pf_value_slice(const pf_value *v, size_t start, size_t end, pf_value *out)
{
    memset(out, 0, sizeof *out);
    out->text = pf_xstrndup(v->text + start, end - start);
    out->len = end - start;
    for (size_t i = 0; i < v->n_parts; i++) {
        const pf_value_part *p = &v->parts[i];
        size_t s = p->start > start ? p->start : start;
        size_t e = p->start + p->len < end ? p->start + p->len : end;
        if (s >= e)
            continue;
        PF_GROW(out->parts, out->n_parts, out->cap_parts);
        out->parts[out->n_parts++] = (pf_value_part){s - start, e - s, p->line, p->field_ja,
                                                     p->field_en};
    }
}
