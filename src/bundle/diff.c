/* bundle/diff — two versions of a bundle compared, record by record. See diff.h. */
#include "bundle/diff.h"

#include <stdlib.h>
#include <string.h>

#include "bundle/fields.h"
#include "util/json.h"
#include "util/util.h"

const char *const pf_change_kind_names[PF_N_CHANGE_KINDS] = {"added", "removed", "reordered",
                                                             "reworded", "changed"};
const char *const pf_change_kind_ja[PF_N_CHANGE_KINDS] = {"追加", "削除", "順序変更", "文言変更",
                                                          "変更"};

static char *dup_or_null(const char *s)
{
    return s ? pf_xstrdup(s) : NULL;
}

static pf_change_ids ids_copy(const pf_change_ids *a)
{
    return (pf_change_ids){dup_or_null(a->plan), dup_or_null(a->need), dup_or_null(a->isp),
                           dup_or_null(a->goal), dup_or_null(a->monitoring),
                           dup_or_null(a->evaluation), a->service};
}

/* A change of `rec_row`'s record (its own row of fields.def, or a row such as weekly/span),
 * of field `f` (NULL: the whole record). Takes `before` and `after`. */
static void add(pf_changes *out, pf_change_kind kind, const pf_change_ids *at,
                const pf_field *rec_row, const pf_field *f, char *before, char *after, int line)
{
    PF_GROW(out->c, out->n, out->cap);
    out->c[out->n++] = (pf_change){kind, ids_copy(at), pf_field_name(rec_row), rec_row->ja,
                                   f ? pf_field_name(f) : NULL, f ? f->ja : NULL, before, after,
                                   line};
}

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A field's value as the input gave it (dates YYYY-MM-DD), or NULL when absent; its line. */
static char *field_value(const pf_field *f, const void *obj, int *line)
{
    *line = 0;
    switch (f->type) {
    case PF_FT_TEXT: {
        const pf_text *t = PF_FIELD_PTR(const pf_text, f, obj);
        *line = t->line;
        return dup_or_null(t->s);
    }
    case PF_FT_DATE: {
        const pf_date *d = PF_FIELD_PTR(const pf_date, f, obj);
        *line = d->line;
        if (!d->year)
            return NULL;
        return d->day ? pf_xasprintf("%04d-%02d-%02d", d->year, d->month, d->day)
                      : pf_xasprintf("%04d-%02d", d->year, d->month);
    }
    case PF_FT_INT:
    case PF_FT_YEN: {
        const pf_int *n = PF_FIELD_PTR(const pf_int, f, obj);
        *line = n->line;
        return n->present ? pf_xasprintf("%ld", n->value) : NULL;
    }
    case PF_FT_NONE: break;
    }
    return NULL;
}

/* A value of `rec`'s field `f` that differs; takes `before` and `after` (either may be NULL). */
static void value_change(pf_changes *out, pf_change_kind kind, const pf_change_ids *at,
                         pf_record rec, const pf_field *f, char *before, char *after, int line)
{
    if (same(before, after)) {
        free(before);
        free(after);
        return;
    }
    add(out, kind, at, pf_record_field(rec), f, before, after, line);
}

/* Every value of record `rec` (fields.def's F rows) but the `skip` ones; `reworded` is the
 * field whose change is a rewording (a need's issue), or PF_N_FIELDS. */
static void diff_record(pf_changes *out, const pf_change_ids *at, pf_record rec, const void *o,
                        const void *n, int rec_line, const pf_field_id *skip, size_t n_skip,
                        pf_field_id reworded)
{
    for (size_t i = 0; i < PF_N_FIELDS; i++) {
        const pf_field *f = &pf_fields[i];
        if (f->record != rec || f->type == PF_FT_NONE)
            continue;
        int skipped = 0;
        for (size_t k = 0; k < n_skip; k++)
            skipped |= skip[k] == f->id;
        if (skipped)
            continue;
        int lo, ln;
        char *a = field_value(f, o, &lo), *b = field_value(f, n, &ln);
        value_change(out, f->id == reworded ? PF_CH_REWORDED : PF_CH_CHANGED, at, rec, f, a, b,
                     ln ? ln : rec_line);
    }
}

/* A value read by hand (a choice, a status): `row` is its fields.def row. */
static void hand_value(pf_changes *out, const pf_change_ids *at, pf_record rec, pf_field_id row,
                       const char *before, const char *after, int line)
{
    value_change(out, PF_CH_CHANGED, at, rec, &pf_fields[row], dup_or_null(before),
                 dup_or_null(after), line);
}

static const char *choice(const pf_choice *c)
{
    return c->value < 0 ? NULL : c->value ? "有" : "無";
}

/* How a record's consent was given, as the input spells it (how="…"; a <consent> without it is
 * "signature"), or NULL when it has no <consent>. The field table cannot hold it (the reader
 * reads it by hand), so diff_record does not see it: a plan whose 電子同意 became a signature
 * on paper is a change the meeting must see. */
static const char *consent_how(const pf_consent_mode *m)
{
    static const char *const names[] = {"signature", "electronic", "standing"};
    return m->present ? names[m->how] : NULL;
}

static void consent_change(pf_changes *out, const pf_change_ids *at, pf_record rec,
                           pf_field_id row, const pf_consent_mode *o, const pf_consent_mode *n,
                           int rec_line)
{
    hand_value(out, at, rec, row, consent_how(o), consent_how(n), n->line ? n->line : rec_line);
}

/* ---- services -------------------------------------------------------------------------- */

static char *service_summary(const pf_service *s)
{
    pf_buf b = {0};
    const char *parts[] = {s->kind.s, s->content.s, s->amount.s, s->provider.s};
    for (size_t k = 0; k < 4; k++)
        if (parts[k] && parts[k][0])
            pf_buf_printf(&b, "%s%s", b.len ? " " : "", parts[k]);
    char *r = pf_xstrdup(b.data ? b.data : "");
    pf_buf_free(&b);
    return r;
}

/* Services have no id: matched by their provider's id, then by their kind. */
static void diff_services(pf_changes *out, pf_change_ids at, const pf_need *o, const pf_need *n)
{
    int *taken = pf_xcalloc(o->n_services + 1, sizeof *taken);
    long *match = pf_xcalloc(n->n_services + 1, sizeof *match);
    for (size_t i = 0; i < n->n_services; i++)
        match[i] = -1;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n->n_services; i++) {
            const pf_text *key = pass == 0 ? &n->services[i].provider_id : &n->services[i].kind;
            for (size_t j = 0; match[i] < 0 && key->s && j < o->n_services; j++) {
                const pf_text *ok = pass == 0 ? &o->services[j].provider_id : &o->services[j].kind;
                if (!taken[j] && ok->s && strcmp(ok->s, key->s) == 0)
                    taken[j] = 1, match[i] = (long)j;
            }
        }
    static const pf_field_id skip[] = {PF_F_SERVICE_PROVIDER_ID};
    for (size_t i = 0; i < n->n_services; i++) {
        at.service = (int)i + 1;
        const pf_service *s = &n->services[i];
        if (match[i] < 0)
            add(out, PF_CH_ADDED, &at, pf_record_field(PF_REC_SERVICE), NULL, NULL,
                service_summary(s), s->line);
        else
            diff_record(out, &at, PF_REC_SERVICE, &o->services[match[i]], s, s->line, skip, 1,
                        PF_N_FIELDS);
    }
    for (size_t j = 0; j < o->n_services; j++)
        if (!taken[j]) {
            at.service = (int)j + 1;
            add(out, PF_CH_REMOVED, &at, pf_record_field(PF_REC_SERVICE), NULL,
                service_summary(&o->services[j]), NULL, o->services[j].line);
        }
    free(taken);
    free(match);
}

/* ---- needs ---------------------------------------------------------------------------- */

static long need_index(const pf_plan *p, const char *id)
{
    for (size_t i = 0; id && i < p->n_needs; i++)
        if (p->needs[i].id.s && strcmp(p->needs[i].id.s, id) == 0)
            return (long)i;
    return -1;
}

/* Which of the needs both versions have moved: those outside a longest run that keeps its old
 * order (so one need moved to the end is that one, not every need it passed). `old_at[k]` is
 * the old place of the k-th common need in the new order; sets moved[k]. O(n²): needs are few. */
static void moved_needs(const size_t *old_at, size_t n, int *moved)
{
    if (!n)
        return;
    size_t *len = pf_xcalloc(n, sizeof *len), *prev = pf_xcalloc(n, sizeof *prev);
    size_t best = 0;
    for (size_t k = 0; k < n; k++) {
        len[k] = 1, prev[k] = k;
        for (size_t j = 0; j < k; j++)
            if (old_at[j] < old_at[k] && len[j] + 1 > len[k])
                len[k] = len[j] + 1, prev[k] = j;
        if (len[k] > len[best])
            best = k;
        moved[k] = 1;
    }
    for (size_t k = best;; k = prev[k]) {
        moved[k] = 0;
        if (prev[k] == k)
            break;
    }
    free(len);
    free(prev);
}

/* Needs by id: added, removed; of those in both, reordered when they moved among the needs both
 * versions have (moved_needs), reworded when their 課題 changed. */
static void diff_needs(pf_changes *out, pf_change_ids at, const pf_plan *o, const pf_plan *n)
{
    size_t *old_at = pf_xcalloc(n->n_needs + 1, sizeof *old_at);
    int *moved = pf_xcalloc(n->n_needs + 1, sizeof *moved);
    size_t common = 0;
    for (size_t i = 0; i < n->n_needs; i++) {
        long j = need_index(o, n->needs[i].id.s);
        if (j >= 0)
            old_at[common++] = (size_t)j;
    }
    moved_needs(old_at, common, moved);
    size_t k = 0;
    static const pf_field_id skip[] = {PF_F_NEED_ID, PF_F_NEED_PRIORITY};
    for (size_t i = 0; i < n->n_needs; i++) {
        const pf_need *nn = &n->needs[i];
        long j = need_index(o, nn->id.s);
        at.need = nn->id.s;
        at.service = 0;
        if (j < 0) {
            add(out, PF_CH_ADDED, &at, pf_record_field(PF_REC_NEED), NULL, NULL,
                dup_or_null(nn->issue.s), nn->line);
            continue;
        }
        const pf_need *on = &o->needs[j];
        char *a = pf_xasprintf("%ld", on->priority.value), *b = pf_xasprintf("%ld", nn->priority.value);
        value_change(out, moved[k++] ? PF_CH_REORDERED : PF_CH_CHANGED, &at, PF_REC_NEED,
                     &pf_fields[PF_F_NEED_PRIORITY], a, b, nn->priority.line);
        diff_record(out, &at, PF_REC_NEED, on, nn, nn->line, skip, 2, PF_F_NEED_ISSUE);
        diff_services(out, at, on, nn);
    }
    at.service = 0;
    for (size_t j = 0; j < o->n_needs; j++)
        if (need_index(n, o->needs[j].id.s) < 0) {
            at.need = o->needs[j].id.s;
            add(out, PF_CH_REMOVED, &at, pf_record_field(PF_REC_NEED), NULL,
                dup_or_null(o->needs[j].issue.s), NULL, o->needs[j].line);
        }
    free(old_at);
    free(moved);
}

/* ---- the weekly schedule ----------------------------------------------------------------- */

static const char *const day_names[7] = {"月", "火", "水", "木", "金", "土", "日・祝"};

static void put_time(pf_buf *b, int minutes)
{
    pf_buf_printf(b, "%d:%02d", minutes / 60, minutes % 60);
}

/* "月火水木金 9:30〜15:30 就労継続支援B型（月2回）": all a span says */
static char *span_text(const pf_span *s)
{
    pf_buf b = {0};
    for (int d = 0; d < 7; d++)
        if (s->days & (1u << d))
            pf_buf_adds(&b, day_names[d]);
    pf_buf_adds(&b, " ");
    put_time(&b, s->start);
    pf_buf_adds(&b, "〜");
    put_time(&b, s->end);
    pf_buf_printf(&b, " %s", s->label.s ? s->label.s : "");
    if (s->frequency.s && s->frequency.s[0])
        pf_buf_printf(&b, "（%s）", s->frequency.s);
    char *r = pf_xstrdup(b.data);
    pf_buf_free(&b);
    return r;
}

static char *activity_text(const pf_activity *a)
{
    pf_buf b = {0};
    put_time(&b, a->start);
    if (a->end >= 0) {
        pf_buf_adds(&b, "〜");
        put_time(&b, a->end);
    }
    pf_buf_printf(&b, " %s", a->label.s ? a->label.s : "");
    char *r = pf_xstrdup(b.data);
    pf_buf_free(&b);
    return r;
}

/* Entries without ids (spans, activities) as texts: those of one version the other lacks
 * (as many times as it lacks them) are removed or added. Takes the texts. */
static void diff_texts(pf_changes *out, const pf_change_ids *at, pf_field_id row, char **o,
                       const int *o_line, size_t no, char **n, const int *n_line, size_t nn)
{
    int *used = pf_xcalloc(no + 1, sizeof *used);
    for (size_t i = 0; i < nn; i++) {
        size_t j = 0;
        while (j < no && (used[j] || strcmp(o[j], n[i]) != 0))
            j++;
        if (j < no)
            used[j] = 1;
        else
            add(out, PF_CH_ADDED, at, &pf_fields[row], NULL, NULL, pf_xstrdup(n[i]), n_line[i]);
    }
    for (size_t j = 0; j < no; j++)
        if (!used[j])
            add(out, PF_CH_REMOVED, at, &pf_fields[row], NULL, pf_xstrdup(o[j]), NULL, o_line[j]);
    for (size_t j = 0; j < no; j++)
        free(o[j]);
    for (size_t i = 0; i < nn; i++)
        free(n[i]);
    free(used);
}

static void diff_weekly(pf_changes *out, const pf_change_ids *at, const pf_weekly *o,
                        const pf_weekly *n)
{
    diff_record(out, at, PF_REC_WEEKLY, o, n, n->line, NULL, 0, PF_N_FIELDS);
    char **ot = pf_xcalloc(o->n_spans + 1, sizeof *ot), **nt = pf_xcalloc(n->n_spans + 1, sizeof *nt);
    int *ol = pf_xcalloc(o->n_spans + 1, sizeof *ol), *nl = pf_xcalloc(n->n_spans + 1, sizeof *nl);
    for (size_t j = 0; j < o->n_spans; j++)
        ot[j] = span_text(&o->spans[j]), ol[j] = o->spans[j].line;
    for (size_t i = 0; i < n->n_spans; i++)
        nt[i] = span_text(&n->spans[i]), nl[i] = n->spans[i].line;
    diff_texts(out, at, PF_F_WEEKLY_SPAN, ot, ol, o->n_spans, nt, nl, n->n_spans);
    free(ot), free(nt), free(ol), free(nl);
    ot = pf_xcalloc(o->n_activities + 1, sizeof *ot), nt = pf_xcalloc(n->n_activities + 1, sizeof *nt);
    ol = pf_xcalloc(o->n_activities + 1, sizeof *ol), nl = pf_xcalloc(n->n_activities + 1, sizeof *nl);
    for (size_t j = 0; j < o->n_activities; j++)
        ot[j] = activity_text(&o->activities[j]), ol[j] = o->activities[j].line;
    for (size_t i = 0; i < n->n_activities; i++)
        nt[i] = activity_text(&n->activities[i]), nl[i] = n->activities[i].line;
    diff_texts(out, at, PF_F_WEEKLY_ACTIVITY, ot, ol, o->n_activities, nt, nl, n->n_activities);
    free(ot), free(nt), free(ol), free(nl);
}

/* ---- plans ---------------------------------------------------------------------------- */

static void diff_plan(pf_changes *out, const pf_plan *o, const pf_plan *n)
{
    pf_change_ids at = {.plan = n->id.s};
    static const pf_field_id skip[] = {PF_F_PLAN_ID};
    hand_value(out, &at, PF_REC_PLAN, PF_F_PLAN_STATUS, o->final ? "final" : "draft",
               n->final ? "final" : "draft", n->line);
    diff_record(out, &at, PF_REC_PLAN, o, n, n->line, skip, 1, PF_N_FIELDS);
    consent_change(out, &at, PF_REC_PLAN, PF_F_PLAN_CONSENT_HOW, &o->consent, &n->consent, n->line);
    char a[16], b[16];
    snprintf(a, sizeof a, "%d", o->monitoring_every);
    snprintf(b, sizeof b, "%d", n->monitoring_every);
    hand_value(out, &at, PF_REC_PLAN, PF_F_PLAN_MONITORING_EVERY, o->monitoring_every ? a : NULL,
               n->monitoring_every ? b : NULL, n->line);
    diff_needs(out, at, o, n);
    diff_weekly(out, &at, &o->weekly, &n->weekly);
}

/* ---- individual support plans ----------------------------------------------------------- */

static char *domains_text(unsigned domains)
{
    pf_buf b = {0};
    for (int d = 0; d < PF_N_DOMAINS; d++)
        if (domains & (1u << d))
            pf_buf_printf(&b, "%s%s", b.len ? "、" : "", pf_domain_names[d]);
    char *r = b.data ? pf_xstrdup(b.data) : NULL;
    pf_buf_free(&b);
    return r;
}

/* A goal's identity: its id, else its need and its place among that need's goals without id
 * ("need-home#1"). All of an individual plan's keys at once, sorted for bsearch: taken one by
 * one (each key counting the goals before it, each lookup making every key again) matching was
 * cubic in the goals, 19 s for an individual plan of 2,000 goals without ids. */
typedef struct {
    char *key;
    size_t at;  /* the goal's place */
} goal_key;

typedef struct {
    const char *need;  /* the goal's need id ("" for none) */
    size_t at;
} need_place;

static int by_need_then_place(const void *x, const void *y)
{
    const need_place *a = x, *b = y;
    int c = strcmp(a->need, b->need);
    return c ? c : (a->at > b->at) - (a->at < b->at);
}

static int by_key(const void *x, const void *y)
{
    return strcmp(((const goal_key *)x)->key, ((const goal_key *)y)->key);
}

/* The keys of p's goals, sorted by key; free with goal_keys_free. */
static goal_key *goal_keys(const pf_isp *p)
{
    goal_key *k = pf_xcalloc(p->n_goals + 1, sizeof *k);
    need_place *no_id = pf_xcalloc(p->n_goals + 1, sizeof *no_id);
    size_t n_no_id = 0;
    for (size_t i = 0; i < p->n_goals; i++) {
        k[i].at = i;
        const pf_goal *g = &p->goals[i];
        if (g->id.s)
            k[i].key = pf_xasprintf("id:%s", g->id.s);
        else
            no_id[n_no_id++] = (need_place){g->need_id.s ? g->need_id.s : "", i};
    }
    qsort(no_id, n_no_id, sizeof *no_id, by_need_then_place);
    for (size_t r = 0, place = 0; r < n_no_id; r++) {
        place = r && strcmp(no_id[r - 1].need, no_id[r].need) == 0 ? place + 1 : 1;
        k[no_id[r].at].key = pf_xasprintf("%s#%zu", no_id[r].need, place);
    }
    free(no_id);
    qsort(k, p->n_goals, sizeof *k, by_key);
    return k;
}

static void goal_keys_free(goal_key *k, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(k[i].key);
    free(k);
}

/* The place of the goal whose key is `key` among `keys` (sorted), or -1. */
static long goal_index(const goal_key *keys, size_t n, const char *key)
{
    goal_key probe = {(char *)key, 0};
    const goal_key *hit = n ? bsearch(&probe, keys, n, sizeof *keys, by_key) : NULL;
    return hit ? (long)hit->at : -1;
}

static void diff_isp(pf_changes *out, const pf_isp *o, const pf_isp *n)
{
    pf_change_ids at = {.isp = n->id.s};
    static const pf_field_id skip[] = {PF_F_ISP_ID};
    diff_record(out, &at, PF_REC_ISP, o, n, n->line, skip, 1, PF_N_FIELDS);
    consent_change(out, &at, PF_REC_ISP, PF_F_ISP_CONSENT_HOW, &o->consent, &n->consent, n->line);
    static const pf_field_id gskip[] = {PF_F_GOAL_ID};
    goal_key *ok = goal_keys(o), *nk = goal_keys(n);
    /* each version's keys in the goals' order: changes are listed in document order */
    const char **okey = pf_xcalloc(o->n_goals + 1, sizeof *okey);
    const char **nkey = pf_xcalloc(n->n_goals + 1, sizeof *nkey);
    for (size_t r = 0; r < o->n_goals; r++)
        okey[ok[r].at] = ok[r].key;
    for (size_t r = 0; r < n->n_goals; r++)
        nkey[nk[r].at] = nk[r].key;
    for (size_t i = 0; i < n->n_goals; i++) {
        const pf_goal *g = &n->goals[i];
        long j = goal_index(ok, o->n_goals, nkey[i]);
        at.goal = g->id.s;
        at.need = g->need_id.s;
        if (j < 0) {
            add(out, PF_CH_ADDED, &at, pf_record_field(PF_REC_GOAL), NULL, NULL,
                dup_or_null(g->aim.s), g->line);
            continue;
        }
        const pf_goal *og = &o->goals[j];
        diff_record(out, &at, PF_REC_GOAL, og, g, g->line, gskip, 1, PF_N_FIELDS);
        hand_value(out, &at, PF_REC_GOAL, PF_F_GOAL_CATEGORY,
                   pf_goal_category_names[og->category], pf_goal_category_names[g->category],
                   g->line);
        value_change(out, PF_CH_CHANGED, &at, PF_REC_GOAL, &pf_fields[PF_F_GOAL_DOMAINS],
                     domains_text(og->domains), domains_text(g->domains), g->line);
    }
    for (size_t j = 0; j < o->n_goals; j++) {
        if (goal_index(nk, n->n_goals, okey[j]) >= 0)
            continue;
        at.goal = o->goals[j].id.s;
        at.need = o->goals[j].need_id.s;
        add(out, PF_CH_REMOVED, &at, pf_record_field(PF_REC_GOAL), NULL,
            dup_or_null(o->goals[j].aim.s), NULL, o->goals[j].line);
    }
    free(okey);
    free(nkey);
    goal_keys_free(ok, o->n_goals);
    goal_keys_free(nk, n->n_goals);
}

/* ---- monitoring and evaluations -------------------------------------------------------- */

static const pf_review *review_for(const pf_monitoring *m, const char *need)
{
    for (size_t i = 0; need && i < m->n_reviews; i++)
        if (same(m->reviews[i].need_id.s, need))
            return &m->reviews[i];
    return NULL;
}

static void diff_monitoring(pf_changes *out, const pf_monitoring *o, const pf_monitoring *n)
{
    pf_change_ids at = {.plan = n->plan_id.s, .monitoring = n->id.s};
    static const pf_field_id skip[] = {PF_F_MONITORING_ID}, rskip[] = {PF_F_REVIEW_NEED};
    diff_record(out, &at, PF_REC_MONITORING, o, n, n->line, skip, 1, PF_N_FIELDS);
    consent_change(out, &at, PF_REC_MONITORING, PF_F_MONITORING_CONSENT_HOW, &o->consent,
                   &n->consent, n->line);
    for (size_t i = 0; i < n->n_reviews; i++) {
        const pf_review *r = &n->reviews[i], *or = review_for(o, r->need_id.s);
        at.need = r->need_id.s;
        if (!or) {
            add(out, PF_CH_ADDED, &at, pf_record_field(PF_REC_REVIEW), NULL, NULL,
                dup_or_null(r->need_id.s), r->line);
            continue;
        }
        diff_record(out, &at, PF_REC_REVIEW, or, r, r->line, rskip, 1, PF_N_FIELDS);
        hand_value(out, &at, PF_REC_REVIEW, PF_F_REVIEW_CHANGE_TYPE, choice(&or->change_type),
                   choice(&r->change_type), r->line);
        hand_value(out, &at, PF_REC_REVIEW, PF_F_REVIEW_CHANGE_AMOUNT, choice(&or->change_amount),
                   choice(&r->change_amount), r->line);
        hand_value(out, &at, PF_REC_REVIEW, PF_F_REVIEW_CHANGE_WEEKLY, choice(&or->change_weekly),
                   choice(&r->change_weekly), r->line);
    }
    for (size_t j = 0; j < o->n_reviews; j++)
        if (!review_for(n, o->reviews[j].need_id.s)) {
            at.need = o->reviews[j].need_id.s;
            add(out, PF_CH_REMOVED, &at, pf_record_field(PF_REC_REVIEW), NULL,
                dup_or_null(o->reviews[j].need_id.s), NULL, o->reviews[j].line);
        }
}

static const pf_goal_review *goal_review_for(const pf_evaluation *e, const char *goal)
{
    for (size_t i = 0; goal && i < e->n_reviews; i++)
        if (same(e->reviews[i].goal_id.s, goal))
            return &e->reviews[i];
    return NULL;
}

static const char *achieved(pf_achieved a)
{
    static const char *const names[] = {"達成", "一部達成", "未達成"};
    return a == PF_ACHIEVED_NONE ? NULL : names[a];
}

static void diff_evaluation(pf_changes *out, const pf_evaluation *o, const pf_evaluation *n)
{
    pf_change_ids at = {.isp = n->isp_id.s, .evaluation = n->id.s};
    static const pf_field_id skip[] = {PF_F_EVALUATION_ID}, rskip[] = {PF_F_GOAL_REVIEW_GOAL};
    diff_record(out, &at, PF_REC_EVALUATION, o, n, n->line, skip, 1, PF_N_FIELDS);
    consent_change(out, &at, PF_REC_EVALUATION, PF_F_EVALUATION_CONSENT_HOW, &o->consent,
                   &n->consent, n->line);
    hand_value(out, &at, PF_REC_EVALUATION, PF_F_EVALUATION_CHANGE, choice(&o->change),
               choice(&n->change), n->line);
    for (size_t i = 0; i < n->n_reviews; i++) {
        const pf_goal_review *r = &n->reviews[i], *or = goal_review_for(o, r->goal_id.s);
        at.goal = r->goal_id.s;
        if (!or) {
            add(out, PF_CH_ADDED, &at, pf_record_field(PF_REC_GOAL_REVIEW), NULL, NULL,
                dup_or_null(r->goal_id.s), r->line);
            continue;
        }
        diff_record(out, &at, PF_REC_GOAL_REVIEW, or, r, r->line, rskip, 1, PF_N_FIELDS);
        hand_value(out, &at, PF_REC_GOAL_REVIEW, PF_F_GOAL_REVIEW_ACHIEVED, achieved(or->achieved),
                   achieved(r->achieved), r->line);
    }
    for (size_t j = 0; j < o->n_reviews; j++)
        if (!goal_review_for(n, o->reviews[j].goal_id.s)) {
            at.goal = o->reviews[j].goal_id.s;
            add(out, PF_CH_REMOVED, &at, pf_record_field(PF_REC_GOAL_REVIEW), NULL,
                dup_or_null(o->reviews[j].goal_id.s), NULL, o->reviews[j].line);
        }
}

/* ---- the bundle --------------------------------------------------------------------------- */

/* Records of one kind matched by id: each pair compared, the rest added or removed. `id` and
 * `summary` read a record's id and what a record added or removed is shown by. */
#define DIFF_BY_ID(out, O, NO, N, NN, REC, AT_FIELD, SUMMARY, COMPARE)                          \
    do {                                                                                       \
        for (size_t i_ = 0; i_ < (NN); i_++) {                                                 \
            size_t j_ = 0;                                                                     \
            while (j_ < (NO) && !same((O)[j_].id.s, (N)[i_].id.s))                             \
                j_++;                                                                          \
            if (j_ < (NO)) {                                                                   \
                COMPARE(out, &(O)[j_], &(N)[i_]);                                              \
            } else {                                                                           \
                pf_change_ids at_ = {.AT_FIELD = (N)[i_].id.s};                                \
                add(out, PF_CH_ADDED, &at_, pf_record_field(REC), NULL, NULL,                  \
                    SUMMARY(&(N)[i_]), (N)[i_].line);                                          \
            }                                                                                  \
        }                                                                                      \
        for (size_t j_ = 0; j_ < (NO); j_++) {                                                 \
            size_t i_ = 0;                                                                     \
            while (i_ < (NN) && !same((O)[j_].id.s, (N)[i_].id.s))                             \
                i_++;                                                                          \
            if (i_ == (NN)) {                                                                  \
                pf_change_ids at_ = {.AT_FIELD = (O)[j_].id.s};                                \
                add(out, PF_CH_REMOVED, &at_, pf_record_field(REC), NULL, SUMMARY(&(O)[j_]),   \
                    NULL, (O)[j_].line);                                                       \
            }                                                                                  \
        }                                                                                      \
    } while (0)

static char *plan_summary(const pf_plan *p) { return dup_or_null(p->id.s); }
static char *isp_summary(const pf_isp *p) { return dup_or_null(p->office.s); }
static char *mon_summary(const pf_monitoring *m)
{
    int line;
    return field_value(&pf_fields[PF_F_MONITORING_DATE], m, &line);
}
static char *ev_summary(const pf_evaluation *e)
{
    int line;
    return field_value(&pf_fields[PF_F_EVALUATION_DATE], e, &line);
}

void pf_diff(const pf_bundle *o, const pf_bundle *n, pf_changes *out)
{
    pf_change_ids none = {0};
    diff_record(out, &none, PF_REC_PERSON, &o->person, &n->person, n->person.line, NULL, 0,
                PF_N_FIELDS);
    DIFF_BY_ID(out, o->plans, o->n_plans, n->plans, n->n_plans, PF_REC_PLAN, plan, plan_summary,
               diff_plan);
    DIFF_BY_ID(out, o->isps, o->n_isps, n->isps, n->n_isps, PF_REC_ISP, isp, isp_summary,
               diff_isp);
    DIFF_BY_ID(out, o->monitorings, o->n_monitorings, n->monitorings, n->n_monitorings,
               PF_REC_MONITORING, monitoring, mon_summary, diff_monitoring);
    DIFF_BY_ID(out, o->evaluations, o->n_evaluations, n->evaluations, n->n_evaluations,
               PF_REC_EVALUATION, evaluation, ev_summary, diff_evaluation);
}

/* ---- output ------------------------------------------------------------------------------ */

char *pf_change_where(const pf_change *c)
{
    pf_buf b = {0};
    const char *ids[] = {c->at.plan, c->at.isp, c->at.monitoring, c->at.evaluation, c->at.need,
                         c->at.goal};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++)
        if (ids[k])
            pf_buf_printf(&b, "%s%s", b.len ? " / " : "", ids[k]);
    if (c->at.service)
        pf_buf_printf(&b, "%sservice %d", b.len ? " / " : "", c->at.service);
    if (!b.len)
        pf_buf_adds(&b, c->record);
    char *r = pf_xstrdup(b.data);
    pf_buf_free(&b);
    return r;
}

static void json_version(pf_buf *b, const pf_diff_version *v)
{
    pf_buf_adds(b, "{");
    pf_json_key(b, "file", 1);
    pf_json_string(b, v->file);
    pf_json_key(b, "fingerprints", 0);
    pf_buf_adds(b, "[");
    for (size_t i = 0; i < v->n_forms; i++) {
        pf_buf_adds(b, i ? ", {" : "{");
        pf_json_key(b, "form", 1);
        pf_json_string(b, v->forms[i].form);
        pf_json_key(b, "item", 0);
        pf_json_string(b, v->forms[i].item);
        pf_json_key(b, "sha256", 0);
        pf_json_string(b, v->forms[i].hex);
        pf_buf_adds(b, "}");
    }
    pf_buf_adds(b, "]}");
}

static void json_change(pf_buf *b, const pf_change *c, const char *file)
{
    pf_buf_adds(b, "{");
    pf_json_key(b, "change", 1);
    pf_json_string(b, pf_change_kind_names[c->kind]);
    pf_json_key(b, "record", 0);
    pf_json_string(b, c->record);
    pf_json_key(b, "record_ja", 0);
    pf_json_string(b, c->record_ja);
    pf_json_key(b, "field", 0);
    pf_json_string(b, c->field);
    pf_json_key(b, "field_ja", 0);
    pf_json_string(b, c->field_ja);
    const char *ids[][2] = {{"plan", c->at.plan}, {"isp", c->at.isp},
                            {"monitoring", c->at.monitoring}, {"evaluation", c->at.evaluation},
                            {"need", c->at.need}, {"goal", c->at.goal}};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++)
        if (ids[k][1]) {
            pf_json_key(b, ids[k][0], 0);
            pf_json_string(b, ids[k][1]);
        }
    if (c->at.service) {
        pf_json_key(b, "service", 0);
        pf_buf_printf(b, "%d", c->at.service);
    }
    pf_json_key(b, "before", 0);
    pf_json_string(b, c->before);
    pf_json_key(b, "after", 0);
    pf_json_string(b, c->after);
    pf_json_key(b, "file", 0);
    pf_json_string(b, file);
    pf_json_key(b, "line", 0);
    pf_buf_printf(b, "%d", c->line);
    pf_buf_adds(b, "}");
}

/* A value in a text line: quoted and escaped as in JSON, so that a newline or a character that
 * hides text in a terminal cannot fake another line. */
static void text_value(pf_buf *b, const char *v)
{
    if (v)
        pf_json_string(b, v);
    else
        pf_buf_adds(b, "-");
}

static void text_change(pf_buf *b, const pf_change *c, const char *file, int japanese)
{
    char *where = pf_change_where(c);
    const char *what = japanese ? (c->field_ja ? c->field_ja : c->record_ja)
                                : (c->field ? c->field : c->record);
    pf_buf_printf(b, "%s:%d: %s [%s]: %s: ", file, c->line,
                  japanese ? pf_change_kind_ja[c->kind] : pf_change_kind_names[c->kind], where,
                  what);
    free(where);
    if (c->kind == PF_CH_ADDED || c->kind == PF_CH_REMOVED) {
        text_value(b, c->kind == PF_CH_ADDED ? c->after : c->before);
    } else {
        text_value(b, c->before);
        pf_buf_adds(b, " → ");
        text_value(b, c->after);
    }
    pf_buf_adds(b, "\n");
}

void pf_changes_print(const pf_changes *cs, const pf_diff_version *old,
                      const pf_diff_version *new, int json, FILE *to)
{
    pf_buf b = {0};
    if (json) {
        pf_buf_adds(&b, "{");
        pf_json_key(&b, "same", 1);
        pf_buf_adds(&b, cs->n ? "false" : "true");
        pf_json_key(&b, "old", 0);
        json_version(&b, old);
        pf_json_key(&b, "new", 0);
        json_version(&b, new);
        pf_json_key(&b, "changes", 0);
        pf_buf_adds(&b, "[");
        for (size_t i = 0; i < cs->n; i++) {
            pf_buf_adds(&b, i ? ",\n  " : "\n  ");
            json_change(&b, &cs->c[i], cs->c[i].kind == PF_CH_REMOVED ? old->file : new->file);
        }
        pf_buf_adds(&b, cs->n ? "\n]}\n" : "]}\n");
    } else {
        for (size_t i = 0; i < cs->n; i++) {
            const char *file = cs->c[i].kind == PF_CH_REMOVED ? old->file : new->file;
            text_change(&b, &cs->c[i], file, 1);
            text_change(&b, &cs->c[i], file, 0);
        }
    }
    if (b.len)
        fwrite(b.data, 1, b.len, to);
    pf_buf_free(&b);
}

void pf_changes_free(pf_changes *cs)
{
    for (size_t i = 0; i < cs->n; i++) {
        pf_change *c = &cs->c[i];
        free(c->at.plan), free(c->at.need), free(c->at.isp), free(c->at.goal);
        free(c->at.monitoring), free(c->at.evaluation);
        free(c->before), free(c->after);
    }
    free(cs->c);
    memset(cs, 0, sizeof *cs);
}
