/* template/registry — the table of forms. See registry.h. */
#include "template/registry.h"

#include <string.h>

static size_t plans(const pf_bundle *b) { return b->n_plans; }
static size_t isps(const pf_bundle *b) { return b->n_isps; }
static size_t monitorings(const pf_bundle *b) { return b->n_monitorings; }
static size_t evaluations(const pf_bundle *b) { return b->n_evaluations; }

static int adult(const pf_bundle *b, size_t i) { return (void)b, (void)i, 0; }
static int child_isp(const pf_bundle *b, size_t i) { return b->isps[i].child; }

const pf_form_kind pf_form_kinds[PF_N_FORMS] = {
    {"plan", "サービス等利用計画", "service use plan", {"service-use-plan", NULL}, plans, adult,
     pf_bind_plan},
    {"isp", "個別支援計画", "individual support plan",
     {"individual-support-plan", "child-support-plan"}, isps, child_isp, pf_bind_isp},
    {"linkage", "連携シート", "linkage sheet", {"linkage", NULL}, plans, adult, pf_bind_linkage},
    {"monitoring", "モニタリング報告書", "monitoring report", {"monitoring", NULL}, monitorings,
     adult, pf_bind_monitoring},
    {"evaluation", "モニタリング（評価）", "evaluation", {"evaluation", NULL}, evaluations, adult,
     pf_bind_evaluation},
};

unsigned pf_forms_parse(const char *names)
{
    unsigned bits = 0;
    const char *p = names;
    while (*p) {
        size_t n = strcspn(p, ",");
        unsigned one = n == 3 && strncmp(p, "all", 3) == 0 ? PF_FORM_ALL : 0;
        for (size_t k = 0; k < PF_N_FORMS; k++)
            if (strlen(pf_form_kinds[k].name) == n && strncmp(p, pf_form_kinds[k].name, n) == 0)
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
        pf_buf_printf(out, "%s%s", pf_form_kinds[k].name, japanese ? "、" : ", ");
    if (japanese) {
        pf_buf_adds(out, "all のどれか");
    } else {
        out->len -= 2;  /* the last ", " */
        pf_buf_adds(out, " or all");
    }
}
