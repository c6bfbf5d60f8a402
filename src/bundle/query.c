/* bundle/query — questions asked of a read bundle: look-ups by id, the providers of a plan and
 * their individual plans, and what covers a need. */
#include <stdlib.h>
#include <string.h>

#include "bundle/fields.h"
#include "bundle/model.h"
#include "util/util.h"

const pf_plan *pf_bundle_plan(const pf_bundle *b, const char *id)
{
    for (size_t i = 0; id && i < b->n_plans; i++)
        if (b->plans[i].id.s && strcmp(b->plans[i].id.s, id) == 0)
            return &b->plans[i];
    return NULL;
}

const pf_need *pf_plan_need(const pf_plan *p, const char *id)
{
    for (size_t i = 0; id && i < p->n_needs; i++)
        if (p->needs[i].id.s && strcmp(p->needs[i].id.s, id) == 0)
            return &p->needs[i];
    return NULL;
}

const pf_isp *pf_bundle_isp(const pf_bundle *b, const char *id)
{
    for (size_t i = 0; id && i < b->n_isps; i++)
        if (b->isps[i].id.s && strcmp(b->isps[i].id.s, id) == 0)
            return &b->isps[i];
    return NULL;
}

const pf_goal *pf_isp_goal(const pf_isp *isp, const char *id)
{
    for (size_t i = 0; id && i < isp->n_goals; i++)
        if (isp->goals[i].id.s && strcmp(isp->goals[i].id.s, id) == 0)
            return &isp->goals[i];
    return NULL;
}

static int in_categories(const pf_service *s, size_t n)
{
    if (s->informal || !s->category.s)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(s->category.s, pf_welfare_categories[i]) == 0)
            return 1;
    return 0;
}

static int has(const pf_text *t) { return t->s && t->s[0]; }

static int same(const pf_text *a, const pf_text *b)
{
    return has(a) && has(b) && strcmp(a->s, b->s) == 0;
}

const pf_home_service *pf_isp_home_service(const pf_isp *isp)
{
    if (!isp->service_type.s)
        return NULL;
    for (size_t i = 0; i < PF_N_HOME_SERVICES; i++)
        if (strncmp(isp->service_type.s, pf_home_services[i].name,
                    strlen(pf_home_services[i].name)) == 0)
            return &pf_home_services[i];
    return NULL;
}

int pf_service_has_provider_column(const pf_service *s)
{
    return in_categories(s, PF_N_WELFARE_CATEGORIES) && (has(&s->provider_id) || has(&s->provider));
}

int pf_service_needs_isp(const pf_service *s)
{
    return in_categories(s, PF_N_ISP_CATEGORIES);
}

/* Two services from one provider: the same provider id, or, where either has none, the same
 * name. */
static int same_provider(const pf_service *a, const pf_service *b)
{
    if (has(&a->provider_id) && has(&b->provider_id))
        return same(&a->provider_id, &b->provider_id);
    return same(&a->provider, &b->provider);
}

/* The individual plan of a service's provider: by provider id, or by the office's name where
 * the service gives no id. */
static int isp_of(const pf_isp *isp, const pf_service *s)
{
    if (has(&s->provider_id))
        return same(&isp->provider_id, &s->provider_id);
    return same(&isp->office, &s->provider);
}

static int based_on(const pf_isp *isp, const pf_plan *p)
{
    return same(&isp->plan_id, &p->id);
}

pf_provider *pf_plan_providers(const pf_bundle *b, const pf_plan *p, size_t *n)
{
    size_t cap = b->n_isps, k = 0;
    for (size_t i = 0; i < p->n_needs; i++)
        cap += p->needs[i].n_services;
    pf_provider *out = cap ? pf_xcalloc(cap, sizeof *out) : NULL;
    for (size_t i = 0; i < p->n_needs; i++)
        for (size_t j = 0; j < p->needs[i].n_services; j++) {
            const pf_service *s = &p->needs[i].services[j];
            if (!pf_service_has_provider_column(s))
                continue;
            size_t m = 0;
            while (m < k && !same_provider(out[m].service, s))
                m++;
            if (m < k)
                continue;
            out[k] = (pf_provider){NULL, s};
            for (size_t q = 0; q < b->n_isps && !out[k].isp; q++)
                if (based_on(&b->isps[q], p) && isp_of(&b->isps[q], s))
                    out[k].isp = &b->isps[q];
            k++;
        }
    for (size_t q = 0; q < b->n_isps; q++) {
        if (!based_on(&b->isps[q], p))
            continue;
        size_t m = 0;
        while (m < k && out[m].isp != &b->isps[q])
            m++;
        if (m == k)
            out[k++] = (pf_provider){&b->isps[q], NULL};
    }
    *n = k;
    if (k == 0) {
        free(out);
        return NULL;
    }
    return out;
}

int pf_provider_gives(const pf_provider *pv, const pf_service *s)
{
    if (!pf_service_has_provider_column(s))
        return 0;
    if (pv->service)
        return same_provider(pv->service, s);
    return isp_of(pv->isp, s);
}

int pf_provider_pending(const pf_provider *pv)
{
    return !pv->isp && pv->service && pf_service_needs_isp(pv->service);
}

static int goal_for(const pf_isp *isp, const pf_need *n)
{
    for (size_t g = 0; g < isp->n_goals; g++)
        if (same(&isp->goals[g].need_id, &n->id))
            return 1;
    return 0;
}

int pf_need_covered(const pf_bundle *b, const pf_plan *p, const pf_need *n)
{
    for (size_t i = 0; i < n->n_services; i++) {
        const pf_service *s = &n->services[i];
        if (!pf_service_has_provider_column(s)) {
            if (!in_categories(s, PF_N_WELFARE_CATEGORIES))
                return 1;  /* informal help, 医療, 介護保険 …: their own columns */
            continue;      /* a welfare service with no provider named yet covers nothing */
        }
        const pf_isp *isp = NULL;
        for (size_t q = 0; q < b->n_isps && !isp; q++)
            if (based_on(&b->isps[q], p) && isp_of(&b->isps[q], s))
                isp = &b->isps[q];
        if (!isp)
            return 1;  /* 未受領, or 地域生活支援事業 in the plan's own words */
    }
    for (size_t i = 0; i < b->n_isps; i++)
        if (based_on(&b->isps[i], p) && goal_for(&b->isps[i], n))
            return 1;
    return 0;
}

#define CONSENT(REC, obj)                                                                      \
    (pf_consent)                                                                               \
    {                                                                                          \
        &(obj)->consent, &(obj)->consent_name, &(obj)->consent_proxy,                          \
            &(obj)->consent_relationship, &(obj)->consent_date, PF_F_##REC##_CONSENT_NAME,     \
            PF_F_##REC##_CONSENT_DATE, PF_F_##REC##_CONSENT_PROXY_NAME,                        \
            PF_F_##REC##_CONSENT_RELATIONSHIP                                                  \
    }

pf_consent pf_plan_consent(const pf_plan *p) { return CONSENT(PLAN, p); }
pf_consent pf_isp_consent(const pf_isp *p) { return CONSENT(ISP, p); }
pf_consent pf_monitoring_consent(const pf_monitoring *m) { return CONSENT(MONITORING, m); }
pf_consent pf_evaluation_consent(const pf_evaluation *e) { return CONSENT(EVALUATION, e); }

int pf_consent_recorded(const pf_consent *c)
{
    return c->mode->present && c->date->year != 0;
}
