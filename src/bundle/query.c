/* bundle/query — questions asked of a read bundle: look-ups by id, and what covers a need. */
#include <string.h>

#include "bundle/fields.h"
#include "bundle/model.h"

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

int pf_service_needs_isp(const pf_service *s)
{
    if (s->informal || !s->category.s)
        return 0;
    for (size_t i = 0; i < PF_N_WELFARE_CATEGORIES; i++)
        if (strcmp(s->category.s, pf_welfare_categories[i]) == 0)
            return 1;
    return 0;
}

int pf_need_covered(const pf_bundle *b, const pf_plan *p, const pf_need *n)
{
    for (size_t i = 0; i < n->n_services; i++)
        if (!pf_service_needs_isp(&n->services[i]))
            return 1;
    for (size_t i = 0; i < b->n_isps; i++) {
        const pf_isp *isp = &b->isps[i];
        if (!isp->plan_id.s || !p->id.s || strcmp(isp->plan_id.s, p->id.s) != 0)
            continue;
        for (size_t g = 0; g < isp->n_goals; g++)
            if (isp->goals[g].need_id.s && n->id.s && strcmp(isp->goals[g].need_id.s, n->id.s) == 0)
                return 1;
    }
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
