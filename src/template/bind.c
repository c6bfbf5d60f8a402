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

static pf_value *put(pf_values *vs, const char *key)
{
    PF_GROW(vs->kv, vs->n, vs->cap);
    pf_kv *kv = &vs->kv[vs->n++];
    memset(kv, 0, sizeof *kv);
    kv->key = key;
    kv->v.text = pf_xstrdup("");
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
    err->line = d->line;
    snprintf(err->field_ja, sizeof err->field_ja, "%s", pf_field_ja(xml_name));
    snprintf(err->field_en, sizeof err->field_en, "%s", xml_name);
    return err->status;
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

static void services(pf_values *row, const pf_need *n)
{
    pf_value *what = put(row, "need.services");
    pf_value *who = put(row, "need.providers");
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

pf_bound *pf_bind_plan(const pf_bundle *b, const pf_plan *p, pf_text_ctx *tc, pf_error *err)
{
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

void pf_value_free(pf_value *v)
{
    free(v->text);
    free(v->parts);
    memset(v, 0, sizeof *v);
}

static void values_free(pf_values *vs)
{
    for (size_t i = 0; i < vs->n; i++)
        pf_value_free(&vs->kv[i].v);
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
    free(bd);
}

const pf_value *pf_values_get(const pf_values *vs, const char *key)
{
    for (size_t i = 0; i < vs->n; i++)
        if (strcmp(vs->kv[i].key, key) == 0)
            return &vs->kv[i].v;
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
