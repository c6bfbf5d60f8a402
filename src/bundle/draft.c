/* bundle/draft — the starting individual support plan for one provider, written from the
 * comprehensive plan: how a サービス管理責任者 starts from the 設計図.
 *
 * The output is the input bundle, unchanged, with an <individual-support-plan> appended: one
 * goal per need that lists the provider's service, its 支援目標 as the aim, 達成時期, the
 * service's content and amount as the period, and the plan's 意向, 方針 and goals filled in to
 * be deepened. The input is parsed again with the same safe options as the reader. */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle/bundle.h"

typedef struct writer {
    xmlNsPtr ns;
} writer;

/* A child element with escaped text, on its own line at `depth`. */
static xmlNodePtr add(writer *w, xmlNodePtr parent, int depth, const char *name, const char *text)
{
    char indent[64];
    snprintf(indent, sizeof indent, "\n%*s", depth * 2, "");
    xmlAddChild(parent, xmlNewText((const xmlChar *)indent));
    return xmlNewTextChild(parent, w->ns, (const xmlChar *)name, (const xmlChar *)text);
}

static void close_indent(xmlNodePtr n, int depth)
{
    char indent[64];
    snprintf(indent, sizeof indent, "\n%*s", depth * 2, "");
    xmlAddChild(n, xmlNewText((const xmlChar *)indent));
}

static void iso(const pf_date *d, char *out, size_t cap)
{
    if (d->day)
        snprintf(out, cap, "%04d-%02d-%02d", d->year, d->month, d->day);
    else
        snprintf(out, cap, "%04d-%02d", d->year, d->month);
}

static const pf_service *provider_service(const pf_need *n, const char *provider)
{
    for (size_t i = 0; i < n->n_services; i++)
        if (n->services[i].provider_id.s && strcmp(n->services[i].provider_id.s, provider) == 0)
            return &n->services[i];
    return NULL;
}

static const char *s_or_empty(const pf_text *t) { return t->s ? t->s : ""; }

static void goals(writer *w, xmlNodePtr isp, const pf_plan *p, const char *provider, int child)
{
    xmlNodePtr gs = add(w, isp, 2, "goals", NULL);
    long priority = 0;
    for (size_t i = 0; i < p->n_needs; i++) {
        const pf_need *n = &p->needs[i];
        const pf_service *s = provider_service(n, provider);
        if (!s)
            continue;
        xmlNodePtr g = add(w, gs, 3, "goal", NULL);
        char buf[64];
        xmlNewProp(g, (const xmlChar *)"need", (const xmlChar *)n->id.s);
        snprintf(buf, sizeof buf, "%ld", ++priority);
        xmlNewProp(g, (const xmlChar *)"priority", (const xmlChar *)buf);
        if (child)
            xmlNewProp(g, (const xmlChar *)"category", (const xmlChar *)pf_goal_category_names[PF_GOAL_PERSON]);
        add(w, g, 4, "aim", s_or_empty(&n->goal));
        add(w, g, 4, "role", s_or_empty(&n->role));
        add(w, g, 4, "support", "");
        char *period = pf_xasprintf("%s%s%s", s_or_empty(&s->content),
                                    s->content.s && s->amount.s ? "（" : "", s_or_empty(&s->amount));
        if (s->content.s && s->amount.s) {
            char *p2 = pf_xasprintf("%s）", period);
            free(period);
            period = p2;
        }
        add(w, g, 4, "period", period);
        free(period);
        add(w, g, 4, "staff", s_or_empty(&s->provider));
        add(w, g, 4, "notes", s_or_empty(&n->notes));
        iso(&n->target, buf, sizeof buf);
        if (n->target.year)
            add(w, g, 4, "target", buf);
        close_indent(g, 3);
    }
    close_indent(gs, 2);
}

/* The provider's first service in the plan: its name and kind head the individual plan. */
static const pf_service *first_service(const pf_plan *p, const char *provider)
{
    for (size_t i = 0; i < p->n_needs; i++) {
        const pf_service *s = provider_service(&p->needs[i], provider);
        if (s)
            return s;
    }
    return NULL;
}

static void today(char *out, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%d", &tm);
}

int pf_draft_isp(const pf_bundle *b, const char *xml, size_t len, const char *provider,
                 const char *plan_id, char **out, size_t *out_len, pf_error *err)
{
    const pf_plan *p = NULL;
    for (size_t i = 0; i < b->n_plans && !p; i++)
        if ((!plan_id || strcmp(b->plans[i].id.s, plan_id) == 0) &&
            first_service(&b->plans[i], provider))
            p = &b->plans[i];
    if (!p)
        return pf_error_setf(err, PF_EXIT_INVALID, PF_CODE_PROVIDER_NOT_IN_PLAN, b->file, 0,
                             "提供事業者名", "provider",
                             "事業所「%s」のサービスがサービス等利用計画にありません",
                             "no service of provider \"%s\" in the service-use plan%s", provider,
                             plan_id ? " named by --plan" : "");
    const pf_service *s = first_service(p, provider);
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, b->file, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                                XML_PARSE_NOWARNING);
    if (!doc)
        return pf_error_set(err, PF_EXIT_INVALID, PF_CODE_XML_NOT_WELL_FORMED, b->file, 0, NULL,
                            NULL, "XML として正しくありません", "not well-formed XML");
    xmlNodePtr root = xmlDocGetRootElement(doc);
    writer w = {root->ns};
    /* the new plan goes after the last plan or individual plan: records follow those */
    xmlNodePtr after = NULL;
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE &&
            (strcmp((const char *)c->name, "service-use-plan") == 0 ||
             strcmp((const char *)c->name, "individual-support-plan") == 0))
            after = c;
    xmlNodePtr isp = xmlNewNode(w.ns, (const xmlChar *)"individual-support-plan");
    xmlAddNextSibling(after, isp);
    xmlAddNextSibling(after, xmlNewText((const xmlChar *)"\n  "));
    char *id = pf_xasprintf("isp-%s-%s", provider, p->id.s);
    for (int k = 2; k < 100; k++) {  /* an id not yet used in the bundle */
        int used = 0;
        for (size_t i = 0; i < b->n_isps; i++)
            used |= b->isps[i].id.s && strcmp(b->isps[i].id.s, id) == 0;
        if (!used)
            break;
        free(id);
        id = pf_xasprintf("isp-%s-%s-%d", provider, p->id.s, k);
    }
    xmlNewProp(isp, (const xmlChar *)"id", (const xmlChar *)id);
    free(id);
    xmlNewProp(isp, (const xmlChar *)"plan", (const xmlChar *)p->id.s);
    xmlNewProp(isp, (const xmlChar *)"provider", (const xmlChar *)provider);
    if (p->child)
        xmlNewProp(isp, (const xmlChar *)"kind", (const xmlChar *)"child");
    char date[32];
    today(date, sizeof date);
    add(&w, isp, 2, "office", s_or_empty(&s->provider));
    add(&w, isp, 2, "service-type", s_or_empty(&s->kind));
    add(&w, isp, 2, "manager", "");
    add(&w, isp, 2, "created", date);
    add(&w, isp, 2, "wishes", s_or_empty(&p->wishes));
    add(&w, isp, 2, "policy", s_or_empty(&p->policy));
    add(&w, isp, 2, "long-term-goal", s_or_empty(&p->long_goal));
    add(&w, isp, 2, "short-term-goal", s_or_empty(&p->short_goal));
    goals(&w, isp, p, provider, p->child);
    close_indent(isp, 1);
    xmlChar *mem = NULL;
    int n = 0;
    xmlDocDumpMemoryEnc(doc, &mem, &n, "UTF-8");
    xmlFreeDoc(doc);
    if (!mem)
        return pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_WRITE, NULL, 0, ENOMEM,
                              "下書きを書き出せません", "cannot write the draft out");
    *out = pf_xstrndup((const char *)mem, (size_t)n);
    *out_len = (size_t)n;
    xmlFree(mem);
    return 0;
}
