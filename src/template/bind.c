/* template/bind — model values as printed text with their origins. See bind.h. */
#include "template/bind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/bundle.h"

/* Appends s[0, n) from input field `f` (fields.def) at `line`. */
static void value_add(pf_value *v, const char *s, size_t n, int line, pf_field_id f)
{
    if (!n)
        return;
    PF_GROW(v->parts, v->n_parts, v->cap_parts);
    v->parts[v->n_parts++] = (pf_value_part){v->len, n, line, pf_fields[f].ja,
                                             pf_field_name(&pf_fields[f])};
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

/* A new, empty value under `key`; the pointer stays valid until the values are freed. Keys
 * come from the field table (a row's key) or from PF_BIND_KEYS (put_key), never from a string
 * written here: every key a binder puts is declared. */
static pf_value *put(pf_values *vs, const char *key)
{
    pf_kv *kv = pf_xcalloc(1, sizeof *kv);
    kv->key = key;
    kv->v.text = pf_xstrdup("");
    PF_GROW(vs->kv, vs->n, vs->cap);
    vs->kv[vs->n++] = kv;
    return &kv->v;
}

/* A new, empty value under a key the binder computes (bind.h, PF_BIND_KEYS). */
static pf_value *put_key(pf_values *vs, pf_bind_key k)
{
    return put(vs, pf_bind_keys[k].key);
}

/* An era date; a failure is reported at the date's line and field. */
static int era(pf_text_ctx *tc, const pf_date *d, pf_field_id f, char *buf, size_t cap,
               pf_error *err)
{
    if (pf_text_era_date(tc, d->year, d->month, d->day, buf, cap, err) == 0)
        return 0;
    return pf_error_locate(err, NULL, d->line, pf_fields[f].ja, pf_field_name(&pf_fields[f]));
}

/* Every row of record `rec` that has a binding key (fields.def), from `obj` (a struct of the
 * record's type; NULL puts every key empty): the default keys, declared once in the table. */
static int bind_record(pf_values *vs, pf_record rec, const void *obj, pf_text_ctx *tc,
                       pf_error *err)
{
    for (size_t i = 0; i < PF_N_FIELDS; i++) {
        const pf_field *f = &pf_fields[i];
        if (f->record != rec || !f->key)
            continue;
        pf_value *v = put(vs, f->key);
        if (!obj)
            continue;
        char buf[128];
        if (f->type == PF_FT_TEXT) {
            const pf_text *t = PF_FIELD_PTR(const pf_text, f, obj);
            if (t->s)
                value_add(v, t->s, strlen(t->s), t->line, f->id);
        } else if (f->type == PF_FT_DATE) {
            const pf_date *d = PF_FIELD_PTR(const pf_date, f, obj);
            if (!d->year)
                continue;
            if (era(tc, d, f->id, buf, sizeof buf, err))
                return err->status;
            value_add(v, buf, strlen(buf), d->line, f->id);
        } else if (f->type == PF_FT_INT || f->type == PF_FT_YEN) {
            const pf_int *n = PF_FIELD_PTR(const pf_int, f, obj);
            if (!n->present)
                continue;
            if (f->type == PF_FT_YEN)
                pf_text_yen(n->value, buf, sizeof buf);
            else
                snprintf(buf, sizeof buf, "%ld", n->value);
            value_add(v, buf, strlen(buf), n->line, f->id);
        }
    }
    return 0;
}

/* A consent box prints what was recorded of the consent, never a typed name where the person
 * signs (a typed name is a 記名, not a 署名):
 *   signature (paper)  nothing for the pen; in a box that is also its date line
 *                      (`date_line`), the recorded date or 「　　年　　月　　日」 to fill in
 *   electronic         電子同意（令和6年4月12日） 髙橋 𠮷郎
 *   standing           包括同意書（令和6年4月10日付）による 髙橋 𠮷郎
 * then, for a proxy, 代理人 髙橋 花子（母）. No <consent> at all: an empty box for a pen. */
static int put_consent(pf_values *vs, pf_bind_key key, const pf_consent *c, int date_line,
                       pf_text_ctx *tc, pf_error *err)
{
    pf_value *v = put_key(vs, key);
    char day[128] = "";
    if (c->date->year && era(tc, c->date, c->date_f, day, sizeof day, err))
        return err->status;
    if (!c->mode->present) {
        if (date_line)
            value_glue(v, "　　年　　月　　日");
        return 0;
    }
    if (c->mode->how == PF_CONSENT_SIGNATURE) {
        if (c->proxy->s) {
            value_glue(v, "代理人 ");
            value_add(v, c->proxy->s, strlen(c->proxy->s), c->proxy->line, c->proxy_f);
            value_glue(v, "（");
            value_add(v, c->relationship->s, strlen(c->relationship->s), c->relationship->line,
                      c->relationship_f);
            value_glue(v, "）");
        }
        if (date_line) {
            value_glue(v, v->len ? "　" : "");
            if (day[0])
                value_add(v, day, strlen(day), c->date->line, c->date_f);
            else
                value_glue(v, "　　年　　月　　日");
        }
        return 0;
    }
    /* the reader refuses electronic and standing consent without a date */
    int standing = c->mode->how == PF_CONSENT_STANDING;
    value_glue(v, standing ? "包括同意書（" : "電子同意（");
    value_add(v, day, strlen(day), c->date->line, c->date_f);
    value_glue(v, standing ? "付）による" : "）");
    if (c->name->s && c->name->s[0]) {
        value_glue(v, " ");
        value_add(v, c->name->s, strlen(c->name->s), c->name->line, c->name_f);
    }
    if (c->proxy->s) {
        value_glue(v, " 代理人 ");
        value_add(v, c->proxy->s, strlen(c->proxy->s), c->proxy->line, c->proxy_f);
        value_glue(v, "（");
        value_add(v, c->relationship->s, strlen(c->relationship->s), c->relationship->line,
                  c->relationship_f);
        value_glue(v, "）");
    }
    return 0;
}

static void services(pf_values *row, const pf_need *n)
{
    pf_value *what = put_key(row, PF_K_NEED_SERVICES), *who = put_key(row, PF_K_NEED_PROVIDERS);
    for (size_t i = 0; i < n->n_services; i++) {
        const pf_service *s = &n->services[i];
        if (i) {
            value_glue(what, "\n");
            value_glue(who, "\n");
        }
        const pf_text *fields[] = {&s->kind, &s->content, &s->amount};
        const pf_field_id names[] = {PF_F_SERVICE_KIND, PF_F_SERVICE_CONTENT, PF_F_SERVICE_AMOUNT};
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
            value_add(who, s->provider.s, strlen(s->provider.s), s->provider.line,
                      PF_F_SERVICE_PROVIDER);
        if (s->contact.s && s->contact.s[0]) {
            value_glue(who, s->provider.s ? "（" : "");
            value_add(who, s->contact.s, strlen(s->contact.s), s->contact.line,
                      PF_F_SERVICE_CONTACT);
            if (s->provider.s)
                value_glue(who, "）");
        }
    }
}

static int bind_need(pf_values *row, const pf_need *n, pf_text_ctx *tc, pf_error *err)
{
    services(row, n);
    return bind_record(row, PF_REC_NEED, n, tc, err);
}

static int bind_top(pf_values *top, const pf_bundle *b, const pf_plan *p, pf_text_ctx *tc,
                    pf_error *err)
{
    pf_consent c = pf_plan_consent(p);
    if (bind_record(top, PF_REC_PERSON, &b->person, tc, err) ||
        bind_record(top, PF_REC_PLAN, p, tc, err) ||
        bind_record(top, PF_REC_WEEKLY, &p->weekly, tc, err) ||
        put_consent(top, PF_K_PLAN_CONSENT, &c, 1, tc, err))
        return err->status;
    /* 計画開始年月: the plan's start, else its first monitoring's month */
    pf_value *start = put_key(top, PF_K_PLAN_START);
    const pf_date *sd = p->start.year ? &p->start : &p->monitoring_start;
    pf_field_id sf = p->start.year ? PF_F_PLAN_START : PF_F_PLAN_MONITORING_START;
    char when[128];
    if (sd->year) {
        if (era(tc, sd, sf, when, sizeof when, err))
            return err->status;
        value_add(start, when, strlen(when), sd->line, sf);
    }
    /* モニタリング期間（開始年月）: "3か月ごと（令和6年7月）" */
    pf_value *mon = put_key(top, PF_K_PLAN_MONITORING);
    if (p->monitoring.s)
        value_add(mon, p->monitoring.s, strlen(p->monitoring.s), p->monitoring.line,
                  PF_F_PLAN_MONITORING);
    if (p->monitoring_start.year) {
        char buf[128];
        pf_date month = p->monitoring_start;
        month.day = 0;
        if (era(tc, &month, PF_F_PLAN_MONITORING_START, buf, sizeof buf, err))
            return err->status;
        value_glue(mon, "（");
        value_add(mon, buf, strlen(buf), p->monitoring_start.line, PF_F_PLAN_MONITORING_START);
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
            value_add(&o->label, s->label.s, strlen(s->label.s), s->label.line,
                      PF_F_WEEKLY_SPAN);
        if (s->frequency.s && s->frequency.s[0]) {   /* not every week: said in the block */
            value_glue(&o->label, o->label.len ? "\n（" : "（");
            value_add(&o->label, s->frequency.s, strlen(s->frequency.s), s->frequency.line,
                      PF_F_WEEKLY_SPAN_FREQUENCY);
            value_glue(&o->label, "）");
        }
    }
    bd->activities = pf_xcalloc(w->n_activities ? w->n_activities : 1, sizeof *bd->activities);
    for (size_t i = 0; i < w->n_activities; i++) {
        const pf_activity *a = &w->activities[i];
        pf_bound_span *o = &bd->activities[bd->n_activities++];
        o->start = a->start, o->end = a->end;
        o->label.text = pf_xstrdup("");
        if (a->label.s)
            value_add(&o->label, a->label.s, strlen(a->label.s), a->label.line,
                      PF_F_WEEKLY_ACTIVITY);
    }
}

pf_bound *pf_bind_plan(const pf_bundle *b, size_t plan, const pf_template *t, pf_text_ctx *tc,
                       pf_error *err)
{
    (void)t;
    const pf_plan *p = &b->plans[plan];
    pf_bound *bd = pf_xcalloc(1, sizeof *bd);
    bd->file = b->file;
    bd->item = p->id.s;
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
    pf_value *v = put_key(row, PF_K_NEED_PROVIDER_SERVICES);
    for (size_t i = 0; n && provider && i < n->n_services; i++) {
        const pf_service *s = &n->services[i];
        if (!s->provider_id.s || strcmp(s->provider_id.s, provider) != 0)
            continue;
        if (v->len)
            value_glue(v, "\n");
        if (s->provider.s)
            value_add(v, s->provider.s, strlen(s->provider.s), s->provider.line,
                      PF_F_SERVICE_PROVIDER);
        if (s->contact.s && s->contact.s[0]) {
            value_glue(v, "（");
            value_add(v, s->contact.s, strlen(s->contact.s), s->contact.line, PF_F_SERVICE_CONTACT);
            value_glue(v, "）");
        }
    }
}

/* A field printed after a label inside another cell: "\n【支援期間】毎日 朝・夜". */
static void labelled(pf_value *v, const char *label, const pf_text *t, pf_field_id f)
{
    if (!t->s || !t->s[0])
        return;
    value_glue(v, v->len ? "\n" : "");
    value_glue(v, label);
    value_add(v, t->s, strlen(t->s), t->line, f);
}

/* 支援内容, then (details) 【本人の役割】 and 【支援期間】, then 【5領域】 */
static void support_value(pf_value *sd, const pf_goal *g, int details)
{
    if (g->support.s)
        value_add(sd, g->support.s, strlen(g->support.s), g->support.line, PF_F_GOAL_SUPPORT);
    if (details) {
        labelled(sd, "【本人の役割】", &g->role, PF_F_GOAL_ROLE);
        labelled(sd, "【支援期間】", &g->period, PF_F_GOAL_PERIOD);
    }
    if (g->domains) {
        value_glue(sd, sd->len ? "\n【5領域】" : "【5領域】");
        int first = 1;
        for (int d = 0; d < PF_N_DOMAINS; d++) {
            if (!(g->domains & (1u << d)))
                continue;
            if (!first)
                value_glue(sd, "、");
            value_add(sd, pf_domain_names[d], strlen(pf_domain_names[d]), g->line,
                      PF_F_GOAL_DOMAINS);
            first = 0;
        }
    }
}

static int bind_goal(pf_values *row, const pf_goal *g, const pf_need *n, const char *provider,
                     pf_text_ctx *tc, pf_error *err)
{
    pf_value *cat = put_key(row, PF_K_GOAL_CATEGORY);
    value_add(cat, pf_goal_category_names[g->category], strlen(pf_goal_category_names[g->category]),
              g->line, PF_F_GOAL_CATEGORY);
    /* 優先順位 applies to 本人支援 rows only: the others are struck through on the form */
    pf_value *struck = put_key(row, PF_K_GOAL_STRUCK);
    if (g->category != PF_GOAL_PERSON)
        value_glue(struck, "1");
    /* 支援内容 with its 5領域; the children's form, which has no columns for them, also
     * prints 本人の役割 and 支援期間 there */
    support_value(put_key(row, PF_K_GOAL_SUPPORT_DOMAINS), g, 0);
    support_value(put_key(row, PF_K_GOAL_SUPPORT_DETAILS), g, 1);
    /* the need it serves: 「1．日中は作業所で働き、工賃を得たい。」 (with a space, 「1 日中は」
     * read as 一日中) */
    pf_value *need = put_key(row, PF_K_GOAL_NEED);
    if (n) {
        char buf[32];
        snprintf(buf, sizeof buf, "%ld．", n->priority.value);
        value_add(need, buf, strlen(buf), n->priority.line, PF_F_NEED_PRIORITY);
        if (n->issue.s)
            value_add(need, n->issue.s, strlen(n->issue.s), n->issue.line, PF_F_NEED_ISSUE);
    }
    provider_services(row, n, provider);
    return bind_record(row, PF_REC_GOAL, g, tc, err) || bind_record(row, PF_REC_NEED, n, tc, err)
               ? err->status : 0;
}

static int bind_isp_top(pf_values *top, const pf_isp *p, pf_text_ctx *tc, pf_error *err)
{
    pf_consent c = pf_isp_consent(p);
    if (bind_record(top, PF_REC_ISP, p, tc, err) ||
        put_consent(top, PF_K_ISP_CONSENT, &c, 0, tc, err))
        return err->status;
    /* 計画期間: 令和6年5月1日〜令和6年10月31日 */
    pf_value *period = put_key(top, PF_K_ISP_PERIOD);
    if (p->period_start.year) {
        char a[64], b2[64];
        if (era(tc, &p->period_start, PF_F_ISP_PERIOD_START, a, sizeof a, err) ||
            era(tc, &p->period_end, PF_F_ISP_PERIOD_END, b2, sizeof b2, err))
            return err->status;
        value_add(period, a, strlen(a), p->period_start.line, PF_F_ISP_PERIOD_START);
        value_glue(period, "〜");
        value_add(period, b2, strlen(b2), p->period_end.line, PF_F_ISP_PERIOD_END);
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

/* The variant of a provider's form: a child's or an adult's; a home-visit service's plan (home
 * and the service's word: 居宅介護計画 under a サービス提供責任者) or a facility's. */
static void isp_flags(pf_bound *bd, const pf_isp *isp)
{
    const pf_home_service *home = isp ? pf_isp_home_service(isp) : NULL;
    snprintf(bd->flags, sizeof bd->flags, "%s %s%s", isp && isp->child ? "child" : "adult",
             home ? "home " : "facility", home ? home->flag : "");
}

pf_bound *pf_bind_isp(const pf_bundle *b, size_t index, const pf_template *t, pf_text_ctx *tc,
                      pf_error *err)
{
    const pf_isp *isp = &b->isps[index];
    const pf_plan *plan = pf_bundle_plan(b, isp->plan_id.s);
    pf_bound *bd = pf_xcalloc(1, sizeof *bd);
    bd->file = b->file;
    bd->item = isp->id.s;
    isp_flags(bd, isp);
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

const pf_bind_key_def pf_bind_keys[PF_N_BIND_KEYS] = {
#define K(ID, KEY, GROUP) {KEY, PF_KG_##GROUP},
    PF_BIND_KEYS(K)
#undef K
};
_Static_assert(PF_K_CELL_13 - PF_K_CELL_0 + 1 == PF_LINKAGE_MAX_PROVIDERS + 2,
               "PF_CELL_KEYS names a cell per provider column, then informal and other");
const char *const pf_cell_keys[PF_LINKAGE_MAX_PROVIDERS + 2] = {
#define K(ID, KEY, GROUP) KEY,
    PF_CELL_KEYS(K)
#undef K
};

/* "・" + the goal's aim (or, when it leaves it empty, the need's goal). */
static void goal_line(pf_value *v, const pf_goal *g, const pf_need *n)
{
    if (v->len)
        value_glue(v, "\n");
    value_glue(v, "○");
    const pf_text *t = g->aim.s && g->aim.s[0] ? &g->aim : &n->goal;
    if (t->s)
        value_add(v, t->s, strlen(t->s), t->line,
                  t == &g->aim ? PF_F_GOAL_AIM : PF_F_NEED_GOAL);
}

/* "家族・特別支援学校の先生の協力（同窓会への送迎と連絡）" */
static void service_line(pf_value *v, const pf_service *s)
{
    if (v->len)
        value_glue(v, "\n");
    value_glue(v, "○");
    if (s->kind.s)
        value_add(v, s->kind.s, strlen(s->kind.s), s->kind.line, PF_F_SERVICE_KIND);
    const pf_text *more = s->content.s ? &s->content : &s->provider;
    if (more->s && more->s[0]) {
        value_glue(v, "（");
        value_add(v, more->s, strlen(more->s), more->line, 
                  more == &s->content ? PF_F_SERVICE_CONTENT : PF_F_SERVICE_PROVIDER);
        value_glue(v, "）");
    }
}

/* A provider's name as the 連携シート heads its column (its office, or the plan's provider). */
static void provider_name(pf_value *v, const pf_provider *pv)
{
    const pf_text *t = pv->isp ? &pv->isp->office : &pv->service->provider;
    if (t->s)
        value_add(v, t->s, strlen(t->s), t->line, pv->isp ? PF_F_ISP_OFFICE : PF_F_SERVICE_PROVIDER);
}

/* What a provider does for a need: the goals of its individual plan that serve it, or, with
 * no individual plan, the plan's own services of that provider — except where one is awaited
 * (未受領): that column stays empty, for the plan it will bring. `named`: the cell is not the
 * provider's own column (more providers than columns), so each line names the provider. */
static void provider_cell(pf_value *v, const pf_provider *pv, const pf_need *n, int named)
{
    if (pv->isp) {
        for (size_t g = 0; g < pv->isp->n_goals; g++) {
            const pf_goal *goal = &pv->isp->goals[g];
            if (!goal->need_id.s || !n->id.s || strcmp(goal->need_id.s, n->id.s) != 0)
                continue;
            goal_line(v, goal, n);
            if (named) {
                value_glue(v, "〔");
                provider_name(v, pv);
                value_glue(v, "〕");
            }
        }
        return;
    }
    if (pf_provider_pending(pv) && !named)
        return;
    for (size_t i = 0; i < n->n_services; i++)
        if (pf_provider_gives(pv, &n->services[i])) {
            service_line(v, &n->services[i]);
            if (named) {
                value_glue(v, "〔");
                provider_name(v, pv);
                value_glue(v, pf_provider_pending(pv) ? "・個別支援計画 未受領〕" : "〕");
            }
        }
}

static int linkage_row(pf_values *row, const pf_bundle *b, const pf_plan *p, const pf_need *n,
                       const pf_provider *prov, size_t n_prov, size_t n_cols, pf_text_ctx *tc,
                       pf_error *err)
{
    pf_value *uncovered = put_key(row, PF_K_NEED_UNCOVERED);
    if (!pf_need_covered(b, p, n))
        value_glue(uncovered, "1");
    for (size_t k = 0; k < n_cols; k++)
        provider_cell(put_key(row, PF_K_CELL_0 + k), &prov[k], n, 0);
    pf_value *informal = put_key(row, PF_K_CELL_0 + n_cols);
    pf_value *other = put_key(row, PF_K_CELL_0 + n_cols + 1);
    for (size_t i = 0; i < n->n_services; i++) {
        const pf_service *s = &n->services[i];
        if (s->informal)
            service_line(informal, s);
        else if (!pf_service_has_provider_column(s))
            service_line(other, s);
    }
    for (size_t k = n_cols; k < n_prov; k++)  /* more providers than the sheet has columns */
        provider_cell(other, &prov[k], n, 1);
    return bind_record(row, PF_REC_NEED, n, tc, err);
}

/* A provider column's heading: the office, the kind of service, and 個別支援計画 未受領 where
 * the provider's individual plan is awaited. */
static void provider_heading(pf_value *h, const pf_provider *pv)
{
    provider_name(h, pv);
    int of_isp = pv->isp && pv->isp->service_type.s;
    const pf_text *kind = of_isp ? &pv->isp->service_type : pv->service ? &pv->service->kind : NULL;
    if (kind && kind->s) {
        value_glue(h, "\n（");
        value_add(h, kind->s, strlen(kind->s), kind->line,
                  of_isp ? PF_F_ISP_SERVICE_TYPE : PF_F_SERVICE_KIND);
        value_glue(h, "）");
    }
    if (pf_provider_pending(pv))
        value_glue(h, "\n個別支援計画 未受領");
}

/* How many providers get a column: as many as fit at the template's least width (the loader
 * made sure one does), at most PF_LINKAGE_MAX_PROVIDERS. */
static size_t linkage_columns(const pf_template *t)
{
    for (size_t p = 0; p < t->n_pages; p++)
        for (size_t i = 0; i < t->pages[p].n; i++) {
            const pf_element *e = &t->pages[p].els[i];
            if (e->kind != PF_EL_LINKAGE)
                continue;
            double rest = e->w - e->priority_w - e->need_w - e->informal_w - e->other_w;
            size_t n = (size_t)(rest / e->provider_min_w + 1e-9);
            return n < PF_LINKAGE_MAX_PROVIDERS ? n : PF_LINKAGE_MAX_PROVIDERS;
        }
    return PF_LINKAGE_MAX_PROVIDERS;
}

pf_bound *pf_bind_linkage(const pf_bundle *b, size_t plan, const pf_template *t,
                          pf_text_ctx *tc, pf_error *err)
{
    const pf_plan *p = &b->plans[plan];
    pf_bound *bd = pf_xcalloc(1, sizeof *bd);
    bd->file = b->file;
    bd->item = p->id.s;
    snprintf(bd->flags, sizeof bd->flags, "%s %s", p->child ? "child" : "adult",
             p->final ? "final" : "draft");
    size_t n_prov = 0;
    pf_provider *prov = pf_plan_providers(b, p, &n_prov);
    size_t n_cols = linkage_columns(t);
    if (n_cols > n_prov)
        n_cols = n_prov;
    bd->columns = pf_xcalloc(n_cols + 1, sizeof *bd->columns);
    for (size_t k = 0; k < n_cols; k++) {
        pf_value *h = &bd->columns[bd->n_columns++];
        h->text = pf_xstrdup("");
        provider_heading(h, &prov[k]);
    }
    int rc = bind_top(&bd->top, b, p, tc, err);
    bd->rows = pf_xcalloc(p->n_needs ? p->n_needs : 1, sizeof *bd->rows);
    for (size_t i = 0; rc == 0 && i < p->n_needs; i++)
        rc = linkage_row(&bd->rows[bd->n_rows++], b, p, &p->needs[i], prov, n_prov, n_cols, tc,
                         err);
    free(prov);
    bd->spans = pf_xcalloc(1, sizeof *bd->spans);
    bd->activities = pf_xcalloc(1, sizeof *bd->activities);
    if (rc) {
        pf_bound_free(bd);
        return NULL;
    }
    return bd;
}

/* ---- monitoring ---------------------------------------------------------------------------- */

static void put_choice(pf_values *row, pf_bind_key key, const pf_choice *c, pf_field_id field)
{
    pf_value *v = put_key(row, key);
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
    if (bind_record(row, PF_REC_REVIEW, v, tc, err))
        return err->status;
    if (!v)
        v = &none;
    put_choice(row, PF_K_REVIEW_CHANGE_TYPE, &v->change_type, PF_F_REVIEW_CHANGE_TYPE);
    put_choice(row, PF_K_REVIEW_CHANGE_AMOUNT, &v->change_amount, PF_F_REVIEW_CHANGE_AMOUNT);
    put_choice(row, PF_K_REVIEW_CHANGE_WEEKLY, &v->change_weekly, PF_F_REVIEW_CHANGE_WEEKLY);
    return bind_record(row, PF_REC_NEED, n, tc, err);
}

pf_bound *pf_bind_monitoring(const pf_bundle *b, size_t monitoring, const pf_template *t,
                             pf_text_ctx *tc, pf_error *err)
{
    (void)t;
    const pf_monitoring *m = &b->monitorings[monitoring];
    const pf_plan *p = pf_bundle_plan(b, m->plan_id.s);
    pf_bound *bd = pf_xcalloc(1, sizeof *bd);
    bd->file = b->file;
    bd->item = m->id.s;
    snprintf(bd->flags, sizeof bd->flags, "%s %s", p && p->child ? "child" : "adult",
             p && p->final ? "final" : "draft");
    int rc = p ? bind_top(&bd->top, b, p, tc, err) : 0;
    pf_consent c = pf_monitoring_consent(m);
    if (rc == 0 && (bind_record(&bd->top, PF_REC_MONITORING, m, tc, err) ||
                    put_consent(&bd->top, PF_K_MON_CONSENT, &c, 1, tc, err)))
        rc = err->status;   /* the first error's own status, not the 1 of || */
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

static int evaluation_row(pf_values *row, const pf_goal *g, const pf_need *n,
                          const pf_goal_review *v, const char *mark, pf_text_ctx *tc,
                          pf_error *err)
{
    static const char *const achieved[] = {"達成", "一部達成", "未達成"};
    if (bind_record(row, PF_REC_GOAL, g, tc, err) || bind_record(row, PF_REC_NEED, n, tc, err) ||
        bind_record(row, PF_REC_GOAL_REVIEW, v, tc, err))
        return err->status;
    if (!(g->aim.s && g->aim.s[0]) && n && n->goal.s) {
        /* the individual plan took its aim from the plan: goal.aim prints it, marked */
        pf_value *aim = NULL;
        for (size_t i = 0; i < row->n && !aim; i++)
            if (strcmp(row->kv[i]->key, pf_fields[PF_F_GOAL_AIM].key) == 0)
                aim = &row->kv[i]->v;
        if (mark)
            value_glue(aim, mark);
        value_add(aim, n->goal.s, strlen(n->goal.s), n->goal.line, PF_F_NEED_GOAL);
    }
    pf_value *a = put_key(row, PF_K_REVIEW_ACHIEVED);
    if (v && v->achieved != PF_ACHIEVED_NONE)
        value_add(a, achieved[v->achieved], strlen(achieved[v->achieved]), v->line,
                  PF_F_GOAL_REVIEW_ACHIEVED);
    return 0;
}

pf_bound *pf_bind_evaluation(const pf_bundle *b, size_t evaluation, const pf_template *t,
                             pf_text_ctx *tc, pf_error *err)
{
    const pf_evaluation *e = &b->evaluations[evaluation];
    const pf_isp *isp = pf_bundle_isp(b, e->isp_id.s);
    const pf_plan *p = isp ? pf_bundle_plan(b, isp->plan_id.s) : NULL;
    pf_bound *bd = pf_xcalloc(1, sizeof *bd);
    bd->file = b->file;
    bd->item = e->id.s;
    isp_flags(bd, isp);
    int rc = p ? bind_top(&bd->top, b, p, tc, err) : 0;
    if (rc == 0 && isp)
        rc = bind_isp_top(&bd->top, isp, tc, err);
    put_choice(&bd->top, PF_K_EV_CHANGE, &e->change, PF_F_EVALUATION_CHANGE);
    pf_consent c = pf_evaluation_consent(e);
    if (rc == 0 && (bind_record(&bd->top, PF_REC_EVALUATION, e, tc, err) ||
                    put_consent(&bd->top, PF_K_EV_CONSENT, &c, 0, tc, err)))
        rc = err->status;
    bd->rows = pf_xcalloc(isp && isp->n_goals ? isp->n_goals : 1, sizeof *bd->rows);
    for (size_t i = 0; rc == 0 && isp && i < isp->n_goals; i++) {
        const pf_goal *g = &isp->goals[i];
        rc = evaluation_row(&bd->rows[bd->n_rows++], g, p ? pf_plan_need(p, g->need_id.s) : NULL,
                            goal_review_of(e, g), t->mapped_mark, tc, err);
    }
    bd->spans = pf_xcalloc(1, sizeof *bd->spans);
    bd->activities = pf_xcalloc(1, sizeof *bd->activities);
    if (rc) {
        pf_bound_free(bd);
        return NULL;
    }
    return bd;
}

/* ---- the list of changes (planform diff -o) ---------------------------------------------- */

pf_bound *pf_bind_changes(const pf_bundle *new, const pf_changes *cs, const char *old_file,
                          const char *old_version, const char *new_file, const char *new_version,
                          pf_text_ctx *tc, pf_error *err)
{
    pf_bound *bd = pf_xcalloc(1, sizeof *bd);
    bd->file = new->file;
    bd->item = NULL;
    snprintf(bd->flags, sizeof bd->flags, "adult");
    bd->spans = pf_xcalloc(1, sizeof *bd->spans);
    bd->activities = pf_xcalloc(1, sizeof *bd->activities);
    if (bind_record(&bd->top, PF_REC_PERSON, &new->person, tc, err)) {
        pf_bound_free(bd);
        return NULL;
    }
    /* the files' names and the fingerprints are the command's, not a field of the input */
    value_glue(put_key(&bd->top, PF_K_CHANGES_OLD), old_version);
    value_glue(put_key(&bd->top, PF_K_CHANGES_NEW), new_version);
    value_glue(put_key(&bd->top, PF_K_CHANGES_OLD_FILE), old_file);
    value_glue(put_key(&bd->top, PF_K_CHANGES_NEW_FILE), new_file);
    char count[32];
    snprintf(count, sizeof count, "%zu件", cs->n);
    value_glue(put_key(&bd->top, PF_K_CHANGES_COUNT), count);
    bd->rows = pf_xcalloc(cs->n ? cs->n : 1, sizeof *bd->rows);
    for (size_t i = 0; i < cs->n; i++) {
        const pf_change *c = &cs->c[i];
        pf_values *row = &bd->rows[bd->n_rows++];
        value_glue(put_key(row, PF_K_CHANGE_KIND), pf_change_kind_ja[c->kind]);
        char *where = pf_change_where(c);
        value_glue(put_key(row, PF_K_CHANGE_WHERE), where);
        free(where);
        /* the record, then the field: 福祉サービス等：サービスの量（頻度・時間）; a field
         * named after its record (解決すべき課題（本人のニーズ）) alone */
        pf_value *what = put_key(row, PF_K_CHANGE_FIELD);
        if (!c->field_ja || strncmp(c->field_ja, c->record_ja, strlen(c->record_ja)) != 0)
            value_glue(what, c->record_ja);
        if (c->field_ja) {
            value_glue(what, what->len ? "：" : "");
            value_glue(what, c->field_ja);
        }
        value_glue(put_key(row, PF_K_CHANGE_BEFORE), c->before ? c->before : "");
        value_glue(put_key(row, PF_K_CHANGE_AFTER), c->after ? c->after : "");
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
