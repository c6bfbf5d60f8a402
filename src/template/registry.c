/* template/registry — the table of forms. See registry.h. */
#include "template/registry.h"

#include <string.h>

static size_t plans(const pf_bundle *b) { return b->n_plans; }
static size_t isps(const pf_bundle *b) { return b->n_isps; }
static size_t monitorings(const pf_bundle *b) { return b->n_monitorings; }
static size_t evaluations(const pf_bundle *b) { return b->n_evaluations; }
static size_t none(const pf_bundle *b) { return (void)b, 0; }

static int adult(const pf_bundle *b, size_t i) { return (void)b, (void)i, 0; }
static int child_isp(const pf_bundle *b, size_t i) { return b->isps[i].child; }

#define REC(r) (1u << PF_REC_##r)
#define KG(g) (1u << PF_KG_##g)
/* what every binder puts at the top: bind_top in bind.c */
#define TOP (REC(PERSON) | REC(PLAN) | REC(WEEKLY))

const pf_form_kind pf_form_kinds[PF_N_FORMS] = {
    {"plan", "サービス等利用計画", "service use plan", {"service-use-plan", NULL}, plans, adult,
     pf_bind_plan, TOP | REC(NEED), KG(PLAN) | KG(SERVICES)},
    {"isp", "個別支援計画", "individual support plan",
     {"individual-support-plan", "child-support-plan"}, isps, child_isp, pf_bind_isp,
     TOP | REC(ISP) | REC(GOAL) | REC(NEED), KG(PLAN) | KG(ISP) | KG(GOAL)},
    {"linkage", "連携シート", "linkage sheet", {"linkage", NULL}, plans, adult, pf_bind_linkage,
     TOP | REC(NEED), KG(PLAN) | KG(LINKAGE)},
    {"monitoring", "モニタリング報告書", "monitoring report", {"monitoring", NULL}, monitorings,
     adult, pf_bind_monitoring, TOP | REC(MONITORING) | REC(REVIEW) | REC(NEED),
     KG(PLAN) | KG(MONITORING)},
    {"evaluation", "モニタリング（評価）", "evaluation", {"evaluation", NULL}, evaluations, adult,
     pf_bind_evaluation,
     TOP | REC(ISP) | REC(EVALUATION) | REC(GOAL_REVIEW) | REC(GOAL) | REC(NEED),
     KG(PLAN) | KG(ISP) | KG(EVALUATION)},
    /* planform diff -o: two versions compared, not one bundle's form (no binder, no --form
     * name; cmd diff binds it with pf_bind_changes) */
    {"changes", "変更箇所一覧", "list of changes", {"changes", NULL}, none, adult, NULL,
     REC(PERSON), KG(CHANGES)},
};

int pf_form_provides(const void *form, const char *key)
{
    const pf_form_kind *f = form;
    for (size_t i = 0; i < PF_N_FIELDS; i++)
        if (pf_fields[i].key && (f->records & (1u << pf_fields[i].record)) &&
            strcmp(pf_fields[i].key, key) == 0)
            return 1;
    for (size_t k = 0; k < PF_N_BIND_KEYS; k++)
        if ((f->key_groups & (1u << pf_bind_keys[k].group)) &&
            strcmp(pf_bind_keys[k].key, key) == 0)
            return 1;
    return 0;
}

unsigned pf_forms_parse(const char *names)
{
    unsigned bits = 0;
    const char *p = names;
    while (*p) {
        size_t n = strcspn(p, ",");
        unsigned one = n == 3 && strncmp(p, "all", 3) == 0 ? PF_FORM_ALL : 0;
        for (size_t k = 0; k < PF_N_FORMS; k++)
            if (pf_form_kinds[k].bind && strlen(pf_form_kinds[k].name) == n &&
                strncmp(p, pf_form_kinds[k].name, n) == 0)
                one = 1u << k;
        if (!one)
            return 0;
        bits |= one;
        p += n + (p[n] == ',');
    }
    return bits;
}

void pf_forms_list(pf_buf *out, int japanese)
{
    for (size_t k = 0; k < PF_N_FORMS; k++)
        if (pf_form_kinds[k].bind)
            pf_buf_printf(out, "%s%s", pf_form_kinds[k].name, japanese ? "、" : ", ");
    if (japanese) {
        pf_buf_adds(out, "all のどれか");
    } else {
        out->len -= 2;  /* the last ", " */
        pf_buf_adds(out, " or all");
    }
}
