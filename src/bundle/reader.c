/* bundle/reader — plan-bundle XML to the plan model. See bundle.h.
 *
 * Order of work: refuse what must never be parsed (a DOCTYPE: it is how external entities,
 * external DTDs and entity bombs get in), parse with libxml2 with the network off, validate
 * against the XSD, then walk the tree into pf_bundle and check what a schema cannot say
 * (dates that do not exist, control characters, a time span of no length). Every error gives
 * file, line, field and what is wrong, in Japanese and English; libxml2 never prints. */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucnv.h>

#include "bundle/bundle.h"
#include "bundle/dates.h"
#include "util/xml.h"

#define NS "urn:planform:bundle:1"

struct pf_schema {
    xmlSchemaPtr schema;
    size_t max_bytes;
    int verbose;
};

void pf_schema_set_options(pf_schema *s, const pf_read_options *o)
{
    s->max_bytes = o->max_bytes;
    s->verbose = o->verbose;
}

/* libxml2 reports some problems (an encoding it cannot convert) through its generic handler,
 * which prints to stderr; everything it says reaches the user through pf_error instead. */
static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

/* Values of the input quoted in libxml2's messages ("The value '123456789' is not …") are taken
 * out unless the user asked for them with --verbose. */
static void redact(char *msg, size_t cap)
{
    static const char *const starts[] = {"The value '", ": '", "value '"};
    for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
        char *p = strstr(msg, starts[k]);
        if (!p)
            continue;
        char *q = p + strlen(starts[k]);
        char *end = strchr(q, '\'');
        if (!end)
            continue;
        /* built anew: a value shorter than "…" must not be written over before it is moved */
        char *out = pf_xasprintf("%.*s…%s", (int)(q - msg), msg, end);
        size_t n = strlen(out);
        if (n >= cap) {  /* cut on a character boundary, never inside one */
            n = cap - 1;
            while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80)
                n--;
        }
        memcpy(msg, out, n);
        msg[n] = 0;
        free(out);
    }
}

pf_schema *pf_schema_load(const char *xsd_path, pf_error *err)
{
    xmlSetGenericErrorFunc(NULL, silent);
    xmlSchemaPtr schema = pf_xml_schema_load(xsd_path, PF_EXIT_RESOURCE, PF_CODE_TEMPLATE_BROKEN,
                                             "入力形式のスキーマ", "the input schema", err);
    if (!schema)
        return NULL;
    pf_schema *s = pf_xcalloc(1, sizeof *s);
    s->schema = schema;
    s->max_bytes = PF_MAX_INPUT;
    return s;
}

void pf_schema_free(pf_schema *s)
{
    if (!s)
        return;
    xmlSchemaFree(s->schema);
    free(s);
}

/* ---- reading values ---------------------------------------------------------------------- */

typedef struct reader {
    const char *file;
    pf_error *err;
    int verbose;
} reader;

/* The last step of an element path, as messages name the field in English ("date" for
 * ".../consent/@date"). */
static const char *last_step(const char *path)
{
    if (path[0] == '{')
        return path;  /* an element of another namespace, "{uri}name": no path of ours */
    const char *slash = strrchr(path, '/');
    const char *s = slash ? slash + 1 : path;
    return *s == '@' ? s + 1 : s;
}

/* An error about the field at element path `path` (fields.def): its label is looked up by the
 * path, so <evaluation> inside a need and the <evaluation> record are told apart. */
static int bad(reader *r, pf_code code, int line, const char *path, const char *ja,
               const char *en)
{
    return pf_error_set(r->err, PF_EXIT_INVALID, code, r->file, line, pf_field_ja(path),
                        last_step(path), ja, en);
}

static int is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

static int too_long(reader *r, int line, const char *field)
{
    char ja[200], en[200];
    snprintf(ja, sizeof ja, "長すぎます（1項目 %d 文字まで）", PF_MAX_FIELD_CHARS);
    snprintf(en, sizeof en, "longer than the limit of %d characters per field", PF_MAX_FIELD_CHARS);
    return bad(r, PF_CODE_FIELD_TOO_LONG, line, field, ja, en);
}

/* Control characters other than TAB, LF, CR have no place on a form (XML 1.0 lets the C1 range
 * and DEL through); and no field is longer than PF_MAX_FIELD_CHARS. */
static int check_chars(reader *r, const char *s, int line, const char *field)
{
    size_t len = strlen(s), chars = 0;
    for (size_t i = 0; i < len; chars++) {
        if (chars == PF_MAX_FIELD_CHARS)
            return too_long(r, line, field);
        int32_t cp = pf_utf8_next(s, len, &i);
        if (cp < 0)
            return bad(r, PF_CODE_XML_ENCODING, line, field,
                       "文字コードが正しくありません（UTF-8 ではありません）", "invalid UTF-8");
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F)) {
            char ja[200], en[200];
            snprintf(ja, sizeof ja, "制御文字 U+%04X は使えません", (unsigned)cp);
            snprintf(en, sizeof en, "control character U+%04X is not allowed", (unsigned)cp);
            return bad(r, PF_CODE_CONTROL_CHAR, line, field, ja, en);
        }
    }
    return 0;
}

/* A text field as the model keeps it (README, "Whitespace"): the whitespace XML allows around
 * a value (space, TAB, CR, LF: pretty-printing, a stray space after 生活介護) is not content;
 * a TAB inside (pasted from a spreadsheet) is a space; newlines inside stay, as line breaks.
 * Nothing else is touched: U+3000 at the start of a paragraph is the writer's 字下げ. */
static char *field_value(const char *v)
{
    size_t len = strlen(v), a = 0;
    while (a < len && strchr(" \t\r\n", v[a]))
        a++;
    while (len > a && strchr(" \t\r\n", v[len - 1]))
        len--;
    char *s = pf_xstrndup(v + a, len - a);
    for (char *p = s; *p; p++)
        if (*p == '\t')
            *p = ' ';
    return s;
}

/* `node`'s text (a text node's or an attribute's) without the whitespace field_value drops
 * around it; xmlNodeSetContent, as the text may be interned in the parser's dictionary. */
static void trim_node_text(xmlNodePtr node, int start, int end)
{
    const char *v = node && node->content ? (const char *)node->content : NULL;
    if (!v)
        return;
    size_t len = strlen(v), a = 0;
    while (start && a < len && strchr(" \t\r\n", v[a]))
        a++;
    while (end && len > a && strchr(" \t\r\n", v[len - 1]))
        len--;
    if (a == 0 && len == strlen(v))
        return;
    char *t = pf_xstrndup(v + a, len - a);
    xmlNodeSetContent(node, (const xmlChar *)t);
    free(t);
}

/* The whitespace around every value is not content (README, "Whitespace"), for the schema too:
 * before validation, each attribute and each element holding text only is trimmed as the model
 * will be, so `<recipient-number> 1234567890</recipient-number>`, `id=" need-1"` and a
 * pretty-printed date are read as written without it rather than refused, and a name of blanks
 * is the empty name the schema judges. Elements holding elements keep their indentation. */
static void trim_values(xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttrPtr a = n->properties; a; a = a->next)
            if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
                trim_node_text(a->children, 1, 1);
        xmlNodePtr first = NULL, last = NULL;
        int leaf = 1;
        for (xmlNodePtr c = n->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE)
                leaf = 0;
            else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
                last = c, first = first ? first : c;
        }
        if (leaf && first) {
            trim_node_text(first, 1, first == last);
            trim_node_text(last, first == last, 1);
        } else if (!leaf) {
            trim_values(n->children);
        }
    }
}

static int text_of(reader *r, xmlNodePtr n, pf_text *out, const char *path)
{
    if (!n)
        return 0;
    xmlChar *v = xmlNodeGetContent(n);
    out->s = field_value(v ? (const char *)v : "");
    out->line = (int)xmlGetLineNo(n);
    if (v)
        xmlFree(v);
    return check_chars(r, out->s, out->line, path);
}

static int attr_text(reader *r, xmlNodePtr n, const char *name, pf_text *out, const char *path)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return 0;
    out->s = field_value((const char *)v);
    out->line = (int)xmlGetLineNo(n);
    xmlFree(v);
    return check_chars(r, out->s, out->line, path);
}

/* "2024-04-10" or "2024-07" (the schema has checked the shape). */
static int parse_date(reader *r, const char *s, int line, const char *field, pf_date *out)
{
    int y = 0, m = 0, d = 0, n = 0;
    if (sscanf(s, "%4d-%2d%n", &y, &m, &n) != 2)
        return bad(r, PF_CODE_INVALID_DATE, line, field,
                   "日付は 2024-04-10 または 2024-07 の形で書いてください",
                   "a date is written 2024-04-10, or 2024-07 for a month");
    if (s[n] == '-' && sscanf(s + n + 1, "%2d", &d) != 1)
        d = -1;
    char ja[200], en[200];
    if (r->verbose) {
        snprintf(ja, sizeof ja, "%s という日付はありません", s);
        snprintf(en, sizeof en, "%s is not a date that exists", s);
    } else {
        snprintf(ja, sizeof ja, "存在しない日付です（月は1〜12、日はその月の日数まで）");
        snprintf(en, sizeof en, "not a date that exists (month 1-12, day within the month)");
    }
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 0 || (d > 0 && d > pf_days_in_month(y, m)) ||
        (s[n] == '-' && d == 0))
        return bad(r, PF_CODE_INVALID_DATE, line, field, ja, en);
    *out = (pf_date){y, m, d, line};
    return 0;
}

static int date_of(reader *r, xmlNodePtr n, pf_date *out, const char *path)
{
    if (!n)
        return 0;
    xmlChar *v = xmlNodeGetContent(n);
    int rc = parse_date(r, v ? (const char *)v : "", (int)xmlGetLineNo(n), path, out);
    if (v)
        xmlFree(v);
    return rc;
}

static int attr_date(reader *r, xmlNodePtr n, const char *name, pf_date *out, const char *path)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return 0;
    int rc = parse_date(r, (const char *)v, (int)xmlGetLineNo(n), path, out);
    xmlFree(v);
    return rc;
}

/* A whole number, element text or attribute (the schema has checked the shape). */
static void int_of(xmlNodePtr n, const char *attr, pf_int *out)
{
    xmlChar *v = attr ? xmlGetProp(n, (const xmlChar *)attr) : xmlNodeGetContent(n);
    if (!v && attr)
        return;
    *out = (pf_int){strtol(v ? (const char *)v : "0", NULL, 10), 1, (int)xmlGetLineNo(n)};
    if (v)
        xmlFree(v);
}

/* Every value row of record `rec` (fields.def), read from the record's element `n` into `obj`,
 * in the table's order. A row's path below the record names a child element ("issue"), an
 * attribute ("@id") or an attribute of a child ("consent/@date"). */
static int read_fields(reader *r, xmlNodePtr n, pf_record rec, void *obj)
{
    size_t base = strlen(pf_record_field(rec)->path) + 1;
    for (size_t i = 0; i < PF_N_FIELDS; i++) {
        const pf_field *f = &pf_fields[i];
        if (f->record != rec || f->type == PF_FT_NONE)
            continue;
        xmlNodePtr at = n;
        const char *step = f->path + base, *attr = NULL;
        while (at && *step) {
            if (*step == '@') {
                attr = step + 1;
                break;
            }
            size_t len = strcspn(step, "/");
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)len, step);
            at = child(at, name);
            step += len + (step[len] == '/');
        }
        if (!at)
            continue;  /* absent: the schema said whether it may be */
        int rc = 0;
        switch (f->type) {
        case PF_FT_TEXT:
            rc = attr ? attr_text(r, at, attr, PF_FIELD_PTR(pf_text, f, obj), f->path)
                      : text_of(r, at, PF_FIELD_PTR(pf_text, f, obj), f->path);
            break;
        case PF_FT_DATE:
            rc = attr ? attr_date(r, at, attr, PF_FIELD_PTR(pf_date, f, obj), f->path)
                      : date_of(r, at, PF_FIELD_PTR(pf_date, f, obj), f->path);
            break;
        case PF_FT_INT:
        case PF_FT_YEN:
            int_of(at, attr, PF_FIELD_PTR(pf_int, f, obj));
            break;
        case PF_FT_NONE:
            break;
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* Frees every text of record `rec` in `obj` (what read_fields allocated). */
static void free_fields(pf_record rec, void *obj)
{
    for (size_t i = 0; i < PF_N_FIELDS; i++)
        if (pf_fields[i].record == rec && pf_fields[i].type == PF_FT_TEXT)
            free(PF_FIELD_PTR(pf_text, &pf_fields[i], obj)->s);
}

static long attr_long(xmlNodePtr n, const char *name, long dflt)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return dflt;
    long x = strtol((const char *)v, NULL, 10);
    xmlFree(v);
    return x;
}

static int attr_is(xmlNodePtr n, const char *name, const char *value)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    int yes = v && strcmp((const char *)v, value) == 0;
    if (v)
        xmlFree(v);
    return yes;
}

/* "09:30" → 570; the schema has checked the shape. */
static int attr_time(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return -1;
    int h = 0, m = 0;
    sscanf((const char *)v, "%d:%d", &h, &m);
    xmlFree(v);
    return h * 60 + m;
}

/* A record's <consent>: whether it is there and how consent was given (fields.def reads its
 * values). Consent given electronically or by a standing 同意書 is printed with its date, so
 * one without a date is refused: the box would claim consent on no day. `date_path` is the
 * date's path (fields.def), for the message. */
static int read_consent(reader *r, xmlNodePtr record, pf_consent_mode *out, const pf_date *date,
                        const char *date_path)
{
    xmlNodePtr n = child(record, "consent");
    if (!n)
        return 0;
    out->present = 1;
    out->line = (int)xmlGetLineNo(n);
    out->how = attr_is(n, "how", "electronic") ? PF_CONSENT_ELECTRONIC
               : attr_is(n, "how", "standing") ? PF_CONSENT_STANDING
                                                : PF_CONSENT_SIGNATURE;
    if (out->how == PF_CONSENT_SIGNATURE || date->year)
        return 0;
    return bad(r, PF_CODE_MISSING_ATTRIBUTE, out->line, date_path,
               out->how == PF_CONSENT_ELECTRONIC
                   ? "電子同意（how=\"electronic\"）には同意の日付（date）が必要です"
                   : "包括同意書による同意（how=\"standing\"）には同意書の日付（date）が必要です",
               out->how == PF_CONSENT_ELECTRONIC
                   ? "electronic consent (how=\"electronic\") needs the date it was given (date)"
                   : "standing consent (how=\"standing\") needs the date of the 同意書 (date)");
}

/* ---- the tree ---------------------------------------------------------------------------- */

static int read_person(reader *r, xmlNodePtr n, pf_person *p)
{
    p->line = (int)xmlGetLineNo(n);
    return read_fields(r, n, PF_REC_PERSON, p);
}

static int read_service(reader *r, xmlNodePtr n, pf_service *s)
{
    s->line = (int)xmlGetLineNo(n);
    s->informal = attr_is(n, "informal", "true") || attr_is(n, "informal", "1");
    return read_fields(r, n, PF_REC_SERVICE, s);
}

static int read_need(reader *r, xmlNodePtr n, pf_need *nd)
{
    nd->line = (int)xmlGetLineNo(n);
    if (read_fields(r, n, PF_REC_NEED, nd))
        return r->err->status;
    size_t cap = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!is(c, "service"))
            continue;
        PF_GROW(nd->services, nd->n_services, cap);
        memset(&nd->services[nd->n_services], 0, sizeof nd->services[0]);
        if (read_service(r, c, &nd->services[nd->n_services++]))
            return r->err->status;
    }
    return 0;
}

static unsigned parse_days(xmlNodePtr n)
{
    static const char *const names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    xmlChar *v = xmlGetProp(n, (const xmlChar *)"days");
    unsigned bits = 0;
    for (int d = 0; v && d < 7; d++) {
        const char *p = (const char *)v;
        while ((p = strstr(p, names[d])) != NULL) {
            bits |= 1u << d;
            p += 3;
        }
    }
    if (v)
        xmlFree(v);
    return bits;
}

static int read_weekly(reader *r, xmlNodePtr n, pf_weekly *w)
{
    w->present = 1;
    w->line = (int)xmlGetLineNo(n);
    size_t cap_s = 0, cap_a = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (is(c, "span")) {
            PF_GROW(w->spans, w->n_spans, cap_s);
            pf_span *s = &w->spans[w->n_spans++];
            memset(s, 0, sizeof *s);
            s->line = (int)xmlGetLineNo(c);
            s->days = parse_days(c);
            s->start = attr_time(c, "start");
            s->end = attr_time(c, "end");
            if (text_of(r, c, &s->label, pf_fields[PF_F_WEEKLY_SPAN].path) ||
                attr_text(r, c, "frequency", &s->frequency,
                          pf_fields[PF_F_WEEKLY_SPAN_FREQUENCY].path))
                return r->err->status;
            if (s->start % 1440 == s->end % 1440)
                return bad(r, PF_CODE_INVALID_VALUE, s->line, pf_fields[PF_F_WEEKLY_SPAN].path,
                           "開始と終了が同じ時刻です（長さのない予定）",
                           "start and end are the same time (a span of no length)");
        } else if (is(c, "activity")) {
            PF_GROW(w->activities, w->n_activities, cap_a);
            pf_activity *a = &w->activities[w->n_activities++];
            memset(a, 0, sizeof *a);
            a->line = (int)xmlGetLineNo(c);
            a->start = attr_time(c, "start");
            a->end = attr_time(c, "end");
            if (text_of(r, c, &a->label, pf_fields[PF_F_WEEKLY_ACTIVITY].path))
                return r->err->status;
        }
    }
    return read_fields(r, n, PF_REC_WEEKLY, w);
}

static int by_priority(const void *a, const void *b)
{
    long pa = ((const pf_need *)a)->priority.value, pb = ((const pf_need *)b)->priority.value;
    return (pa > pb) - (pa < pb);
}

static int read_plan(reader *r, xmlNodePtr n, pf_plan *p)
{
    p->line = (int)xmlGetLineNo(n);
    p->final = attr_is(n, "status", "final");
    p->child = attr_is(n, "kind", "child");
    xmlNodePtr mon = child(n, "monitoring");
    p->monitoring_every = mon ? (int)attr_long(mon, "every", 0) : 0;
    if (read_fields(r, n, PF_REC_PLAN, p) ||
        read_consent(r, n, &p->consent, &p->consent_date, pf_fields[PF_F_PLAN_CONSENT_DATE].path))
        return r->err->status;
    xmlNodePtr needs = child(n, "needs");
    size_t cap = 0;
    for (xmlNodePtr c = needs ? needs->children : NULL; c; c = c->next) {
        if (!is(c, "need"))
            continue;
        PF_GROW(p->needs, p->n_needs, cap);
        memset(&p->needs[p->n_needs], 0, sizeof p->needs[0]);
        if (read_need(r, c, &p->needs[p->n_needs++]))
            return r->err->status;
    }
    qsort(p->needs, p->n_needs, sizeof *p->needs, by_priority);
    xmlNodePtr w = child(n, "weekly");
    return w ? read_weekly(r, w, &p->weekly) : 0;
}

static unsigned parse_domains(xmlNodePtr n)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)"domains");
    unsigned bits = 0;
    for (int d = 0; v && d < PF_N_DOMAINS; d++)
        if (strstr((const char *)v, pf_domain_names[d]))
            bits |= 1u << d;
    if (v)
        xmlFree(v);
    return bits;
}

static pf_goal_category parse_category(xmlNodePtr n)
{
    for (int i = 0; i < PF_N_GOAL_CATEGORIES; i++)
        if (attr_is(n, "category", pf_goal_category_names[i]))
            return (pf_goal_category)i;
    return PF_GOAL_PERSON;
}

static int read_goal(reader *r, xmlNodePtr n, pf_goal *g)
{
    g->line = (int)xmlGetLineNo(n);
    g->category = parse_category(n);
    g->domains = parse_domains(n);
    return read_fields(r, n, PF_REC_GOAL, g);
}

static int by_goal_order(const void *a, const void *b)
{
    const pf_goal *x = a, *y = b;
    if (x->category != y->category)
        return (int)x->category - (int)y->category;
    return (x->priority.value > y->priority.value) - (x->priority.value < y->priority.value);
}

static int read_isp(reader *r, xmlNodePtr n, pf_isp *p)
{
    p->line = (int)xmlGetLineNo(n);
    p->child = attr_is(n, "kind", "child");
    if (read_fields(r, n, PF_REC_ISP, p) ||
        read_consent(r, n, &p->consent, &p->consent_date, pf_fields[PF_F_ISP_CONSENT_DATE].path))
        return r->err->status;
    xmlNodePtr goals = child(n, "goals");
    size_t cap = 0;
    for (xmlNodePtr c = goals ? goals->children : NULL; c; c = c->next) {
        if (!is(c, "goal"))
            continue;
        PF_GROW(p->goals, p->n_goals, cap);
        memset(&p->goals[p->n_goals], 0, sizeof p->goals[0]);
        if (read_goal(r, c, &p->goals[p->n_goals++]))
            return r->err->status;
    }
    qsort(p->goals, p->n_goals, sizeof *p->goals, by_goal_order);
    return 0;
}

/* 有 → 1, 無 → 0 (the schema allows nothing else). */
static pf_choice choice_attr(xmlNodePtr n, const char *name)
{
    pf_choice c = {-1, n ? (int)xmlGetLineNo(n) : 0};
    if (n && attr_is(n, name, "有"))
        c.value = 1;
    else if (n && attr_is(n, name, "無"))
        c.value = 0;
    return c;
}

static int read_review(reader *r, xmlNodePtr n, pf_review *v)
{
    v->line = (int)xmlGetLineNo(n);
    xmlNodePtr change = child(n, "change");
    v->change_type = choice_attr(change, "type");
    v->change_amount = choice_attr(change, "amount");
    v->change_weekly = choice_attr(change, "weekly");
    return read_fields(r, n, PF_REC_REVIEW, v);
}

static int read_monitoring(reader *r, xmlNodePtr n, pf_monitoring *m)
{
    m->line = (int)xmlGetLineNo(n);
    xmlNodePtr reviews = child(n, "reviews");
    if (read_fields(r, n, PF_REC_MONITORING, m) ||
        read_consent(r, n, &m->consent, &m->consent_date,
                     pf_fields[PF_F_MONITORING_CONSENT_DATE].path))
        return r->err->status;
    size_t cap = 0;
    for (xmlNodePtr c = reviews ? reviews->children : NULL; c; c = c->next) {
        if (!is(c, "review"))
            continue;
        PF_GROW(m->reviews, m->n_reviews, cap);
        memset(&m->reviews[m->n_reviews], 0, sizeof m->reviews[0]);
        if (read_review(r, c, &m->reviews[m->n_reviews++]))
            return r->err->status;
    }
    return 0;
}

static int read_evaluation(reader *r, xmlNodePtr n, pf_evaluation *e)
{
    e->line = (int)xmlGetLineNo(n);
    xmlNodePtr reviews = child(n, "goal-reviews"), change = child(n, "change");
    e->change = (pf_choice){-1, change ? (int)xmlGetLineNo(change) : 0};
    if (change) {
        xmlChar *v = xmlNodeGetContent(change);
        e->change.value = v && strcmp((const char *)v, "有") == 0 ? 1 : 0;
        if (v)
            xmlFree(v);
    }
    if (read_fields(r, n, PF_REC_EVALUATION, e) ||
        read_consent(r, n, &e->consent, &e->consent_date,
                     pf_fields[PF_F_EVALUATION_CONSENT_DATE].path))
        return r->err->status;
    size_t cap = 0;
    for (xmlNodePtr c = reviews ? reviews->children : NULL; c; c = c->next) {
        if (!is(c, "goal-review"))
            continue;
        PF_GROW(e->reviews, e->n_reviews, cap);
        pf_goal_review *g = &e->reviews[e->n_reviews++];
        memset(g, 0, sizeof *g);
        g->line = (int)xmlGetLineNo(c);
        xmlNodePtr a = child(c, "achieved");
        xmlChar *v = a ? xmlNodeGetContent(a) : NULL;
        g->achieved = !v ? PF_ACHIEVED_NONE
                      : strcmp((const char *)v, "達成") == 0 ? PF_ACHIEVED
                      : strcmp((const char *)v, "一部達成") == 0 ? PF_ACHIEVED_PARTLY
                                                              : PF_NOT_ACHIEVED;
        if (v)
            xmlFree(v);
        if (read_fields(r, c, PF_REC_GOAL_REVIEW, g))
            return r->err->status;
    }
    return 0;
}

/* Links the schema cannot check: an individual plan names a comprehensive plan of this bundle.
 * (A goal naming a need that does not exist is a finding of `planform check`.) */
static int check_links(reader *r, pf_bundle *b)
{
    for (size_t i = 0; i < b->n_isps; i++) {
        const pf_isp *p = &b->isps[i];
        if (!pf_bundle_plan(b, p->plan_id.s)) {
            char ja[300], en[300];
            snprintf(ja, sizeof ja, "サービス等利用計画「%s」がこのファイルにありません", p->plan_id.s);
            snprintf(en, sizeof en, "no service-use-plan with id \"%s\" in this bundle", p->plan_id.s);
            return bad(r, PF_CODE_BROKEN_LINK, p->line, pf_fields[PF_F_ISP_PLAN].path, ja, en);
        }
    }
    for (size_t i = 0; i < b->n_monitorings; i++) {
        const pf_monitoring *m = &b->monitorings[i];
        if (!pf_bundle_plan(b, m->plan_id.s)) {
            char ja[300], en[300];
            snprintf(ja, sizeof ja, "サービス等利用計画「%s」がこのファイルにありません", m->plan_id.s);
            snprintf(en, sizeof en, "no service-use-plan with id \"%s\" in this bundle", m->plan_id.s);
            return bad(r, PF_CODE_BROKEN_LINK, m->line, pf_fields[PF_F_MONITORING_PLAN].path, ja,
                       en);
        }
    }
    for (size_t i = 0; i < b->n_evaluations; i++) {
        const pf_evaluation *e = &b->evaluations[i];
        if (!pf_bundle_isp(b, e->isp_id.s)) {
            char ja[300], en[300];
            snprintf(ja, sizeof ja, "個別支援計画「%s」がこのファイルにありません", e->isp_id.s);
            snprintf(en, sizeof en, "no individual-support-plan with id \"%s\" in this bundle",
                     e->isp_id.s);
            return bad(r, PF_CODE_BROKEN_LINK, e->line, pf_fields[PF_F_EVALUATION_ISP].path, ja,
                       en);
        }
    }
    return 0;
}

static int read_bundle(reader *r, xmlNodePtr root, pf_bundle *b)
{
    size_t cap = 0, cap_isp = 0, cap_mon = 0, cap_ev = 0;
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (is(c, "person")) {
            if (read_person(r, c, &b->person))
                return r->err->status;
        } else if (is(c, "service-use-plan")) {
            PF_GROW(b->plans, b->n_plans, cap);
            memset(&b->plans[b->n_plans], 0, sizeof b->plans[0]);
            if (read_plan(r, c, &b->plans[b->n_plans++]))
                return r->err->status;
        } else if (is(c, "individual-support-plan")) {
            PF_GROW(b->isps, b->n_isps, cap_isp);
            memset(&b->isps[b->n_isps], 0, sizeof b->isps[0]);
            if (read_isp(r, c, &b->isps[b->n_isps++]))
                return r->err->status;
        } else if (is(c, "monitoring-report")) {
            PF_GROW(b->monitorings, b->n_monitorings, cap_mon);
            memset(&b->monitorings[b->n_monitorings], 0, sizeof b->monitorings[0]);
            if (read_monitoring(r, c, &b->monitorings[b->n_monitorings++]))
                return r->err->status;
        } else if (is(c, "evaluation")) {
            PF_GROW(b->evaluations, b->n_evaluations, cap_ev);
            memset(&b->evaluations[b->n_evaluations], 0, sizeof b->evaluations[0]);
            if (read_evaluation(r, c, &b->evaluations[b->n_evaluations++]))
                return r->err->status;
        }
    }
    return check_links(r, b);
}

/* ---- validation messages ----------------------------------------------------------------- */

/* The element path of `n` from the root ("bundle/service-use-plan/needs/need/evaluation"), its
 * last steps when it is longer than `cap`: what the field table's labels are looked up by. */
static void node_path(xmlNodePtr n, char *out, size_t cap)
{
    const char *names[32];
    int k = 0;
    for (; n && n->type == XML_ELEMENT_NODE && k < 32; n = n->parent)
        names[k++] = (const char *)n->name;
    size_t len = 0;
    out[0] = 0;
    for (int i = k - 1; i >= 0; i--) {
        size_t need = strlen(names[i]) + (len > 0);
        if (len + need >= cap)  /* keep the end: drop what is already there */
            len = 0, out[0] = 0, need = strlen(names[i]);
        if (need >= cap)
            continue;
        len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "/" : "", names[i]);
    }
}

/* The validator's first error and the element path of its node. */
typedef struct located {
    pf_xml_first first;
    char path[512];
} located;

static void collect_located(void *user, xmlErrorPtr e)
{
    located *l = user;
    int had = l->first.set;
    pf_xml_collect(&l->first, e);
    xmlNodePtr n = e ? e->node : NULL;
    /* an element of another namespace is no field of ours: the message's name stands */
    if (!had && l->first.set && n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
        strcmp((const char *)n->ns->href, NS) == 0)
        node_path(n, l->path, sizeof l->path);
}

/* libxml2 writes names as '{urn:planform:bundle:1}need': drop the namespace for people. */
static void strip_namespace(char *s)
{
    const char *ns = "{" NS "}";
    size_t nl = strlen(ns);
    char *p;
    while ((p = strstr(s, ns)) != NULL)
        memmove(p, p + nl, strlen(p + nl) + 1);
}

/* The field an XSD message is about: "Element 'x', attribute 'y': …" → y, else x. */
static void message_field(const char *msg, char *out, size_t cap)
{
    const char *a = strstr(msg, "attribute '");
    const char *e = strstr(msg, "Element '");
    const char *from = a ? a + 11 : e ? e + 9 : NULL;
    out[0] = 0;
    if (!from)
        return;
    size_t n = strcspn(from, "'");
    snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), from);
}

/* What an XSD message means, in Japanese, and its code (README, "Diagnostic codes"). */
static const char *message_ja(const char *msg, const char *field, pf_code *code)
{
    *code = PF_CODE_INVALID_VALUE;
    if (strstr(msg, "local atomic type") || strstr(msg, "atomic type 'xs:")) {
        if (strcmp(field, "copay-limit") == 0)
            return "0以上の整数（円、1000万円まで）で書いてください";
        if (strcmp(field, "priority") == 0)
            return "1から99までの整数で書いてください";
    }
    static const struct {
        const char *en, *ja;
        pf_code code;
    } known[] = {
        {"is not accepted by the pattern '[0-9]{10}'", "10桁の数字で書いてください",
         PF_CODE_INVALID_VALUE},
        {"is not accepted by the pattern '[0-9]{4}-[0-9]{2}'",
         "年月は 2024-07 の形で書いてください", PF_CODE_INVALID_DATE},
        {"is not accepted by the pattern '[0-9]{4}-[0-9]{2}(-[0-9]{2})?'",
         "日付は 2024-04-10 または 2024-07 の形で書いてください", PF_CODE_INVALID_DATE},
        {"is not accepted by the pattern '[0-9]{4}-[0-9]{2}-[0-9]{2}'",
         "日付は 2024-04-10 の形で書いてください", PF_CODE_INVALID_DATE},
        {"is not accepted by the pattern '([01]", "時刻は 09:30 の形（00:00〜24:00）で書いてください",
         PF_CODE_INVALID_VALUE},
        {"is not accepted by the pattern '[A-Za-z0-9", "識別子は英数字と _ . - で64文字までです",
         PF_CODE_INVALID_VALUE},
        {"is not an element of the set", "決められた値のどれでもありません", PF_CODE_INVALID_VALUE},
        {"This element is not expected", "ここに置けない要素です（名前か順番が違います）",
         PF_CODE_UNEXPECTED_ELEMENT},
        {"Missing child element", "必要な要素が足りません", PF_CODE_MISSING_ELEMENT},
        {"is required but missing", "必要な属性がありません", PF_CODE_MISSING_ATTRIBUTE},
        {"Duplicate key-sequence", "同じ値が重複しています（識別子や優先順位は一意にしてください）",
         PF_CODE_DUPLICATE},
        {"is not a valid value of the atomic type 'xs:positiveInteger'", "1以上の整数で書いてください",
         PF_CODE_INVALID_VALUE},
        {"is not a valid value of the atomic type 'xs:nonNegativeInteger'",
         "0以上の整数で書いてください", PF_CODE_INVALID_VALUE},
        {"is not a valid value of the atomic type 'xs:boolean'", "true か false で書いてください",
         PF_CODE_INVALID_VALUE},
        {"maximum value allowed", "値が大きすぎます", PF_CODE_INVALID_VALUE},
        {"is not a valid value of the list type", "曜日は mon tue wed thu fri sat sun で書いてください",
         PF_CODE_INVALID_VALUE},
        {"No matching global declaration",
         "計画データの形式ではありません（ルート要素か名前空間が違います）", PF_CODE_NOT_A_BUNDLE},
        {"Character content other than whitespace is not allowed",
         "ここには文字を書けません（要素だけが入ります）", PF_CODE_SCHEMA_INVALID},
        {"Element content is not allowed", "ここには要素を置けません（文字だけが入ります）",
         PF_CODE_SCHEMA_INVALID},
        {"is not allowed", "使えない属性です", PF_CODE_UNKNOWN_ATTRIBUTE},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strstr(msg, known[i].en)) {
            *code = known[i].code;
            return known[i].ja;
        }
    *code = PF_CODE_SCHEMA_INVALID;
    return "入力形式（templates/plan.xsd）に合っていません";
}

/* The parser's first error, with the element whose content was being read when it came
 * (libxml2 keeps only its last error: after its own limit on the length of one text it goes on
 * to a misleading "Extra content at the end of the document"). The pf_xml_first rides in the
 * context's _private. (While an element's attributes are read, the element being read is still
 * its parent: an attribute's error is not given a field.) */
static void parse_error(void *user, xmlErrorPtr e)
{
    xmlParserCtxtPtr pc = user;
    pf_xml_first *c = pc ? pc->_private : NULL;
    if (!c || c->set || !e || e->level < XML_ERR_ERROR)
        return;
    pf_xml_collect(c, e);
    /* the open elements' path, its last steps if long (labels are looked up by path) */
    c->node[0] = 0;
    size_t len = 0;
    for (int i = pc->nameNr - 1; i >= 0 && pc->nameTab && pc->nameTab[i]; i--) {
        size_t n = strlen((const char *)pc->nameTab[i]);
        if (n + 1 + len >= sizeof c->node)
            break;
        memmove(c->node + n + (len > 0), c->node, len + 1);
        memcpy(c->node, pc->nameTab[i], n);
        if (len)
            c->node[n] = '/';
        len += n + (len > 0);
    }
    if (!c->node[0] && pc->name)
        snprintf(c->node, sizeof c->node, "%s", (const char *)pc->name);
}

/* libxml2's limits on one text, attribute value or CDATA section (10,000,000 bytes, that is
 * far over PF_MAX_FIELD_CHARS): the same error as a field over ours, not "not well-formed". */
static int libxml_length_limit(const char *msg)
{
    return strstr(msg, "huge text node") || strstr(msg, "AttValue length too long") ||
           strstr(msg, "CData section too big");
}

/* UTF-16 and UTF-32 would hide "<!DOCTYPE" from refuse_doctype's byte scan: refused as a
 * whole. (Encodings that keep ASCII as ASCII, such as Shift_JIS, are converted by libxml2.) */
/* The encoding the XML declaration names (at most cap-1 bytes of it), or "" when it names
 * none: then the file is UTF-8 (UTF-16 is refused before this is asked). A UTF-8 byte order
 * mark before the declaration is stepped over: the caller reads such a file as UTF-8. */
static void declared_encoding(const char *data, size_t len, char *name, size_t cap)
{
    name[0] = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        data += 3, len -= 3;
    size_t n = len < 200 ? len : 200;
    if (n < 5 || memcmp(data, "<?xml", 5) != 0)
        return;
    const char *end = pf_memfind(data, n, "?>");
    const char *enc = pf_memfind(data, end ? (size_t)(end - data) : n, "encoding");
    if (!enc)
        return;
    const char *q = enc + 8;
    while (q < data + n && (*q == ' ' || *q == '=' || *q == '\t' || *q == '\r' || *q == '\n'))
        q++;
    if (q >= data + n || (*q != '"' && *q != '\''))
        return;
    char quote = *q++;
    size_t k = 0;
    while (q < data + n && *q != quote && k < cap - 1)
        name[k++] = *q++;
    name[k] = 0;
}

/* "CP932" when the declared encoding is Shift_JIS under any of its names (Shift_JIS, SJIS,
 * x-sjis, MS_Kanji, Windows-31J, CP932): what Windows and every Japanese office system mean
 * by it is CP932, which has 髙, ①, ～ (U+FF5E) that strict Shift_JIS lacks or maps elsewhere.
 * NULL otherwise (libxml2 reads the declaration itself). */
static const char *windows_japanese(const char *declared)
{
    static const char *const sjis[] = {"shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji",
                                       "windows-31j", "cp932", "csshiftjis"};
    for (size_t i = 0; i < sizeof sjis / sizeof sjis[0]; i++)
        if (strcasecmp(declared, sjis[i]) == 0)
            return "CP932";
    return NULL;
}

/* After libxml2 refused the file: whether its bytes are not text in the encoding they were read
 * as, and if so an error naming that encoding, the byte offset and line of the first bad
 * sequence. libxml2 itself says "Premature end of data in tag name" for a Shift_JIS file with
 * an undefined byte pair, which sends the user looking for a missing tag. The bytes are run
 * through ICU's converter of the same name libxml2 was given (Debian's libxml2 converts with
 * ICU), stopping at the first illegal sequence. Returns 1 when it filled the error. */
static int encoding_fault(reader *r, const char *data, size_t len, const char *declared, int bom)
{
    if (bom)
        declared = "";  /* read as UTF-8 whatever the declaration says */
    const char *used = windows_japanese(declared);
    if (!used)
        used = declared[0] ? declared : "UTF-8";
    /* the declared name as shown: printable ASCII only, it comes from the file */
    char shown[48];
    size_t k = 0;
    for (const char *c = declared[0] ? declared : "UTF-8"; *c && k < sizeof shown - 1; c++)
        shown[k++] = *c > ' ' && *c < 0x7F ? *c : '?';
    shown[k] = 0;
    char as[80] = "";
    if (strcmp(used, shown) != 0)
        snprintf(as, sizeof as, "%s", used);
    UErrorCode status = U_ZERO_ERROR;
    UConverter *conv = ucnv_open(used, &status);
    if (U_FAILURE(status) || !conv) {
        if (status == U_MEMORY_ALLOCATION_ERROR)
            return pf_error_errno(r->err, PF_EXIT_IO, PF_CODE_OUT_OF_MEMORY, r->file, 0, ENOMEM,
                                  "読み込めません",
                                  "cannot read"), 1;
        char ja[300], en[300];
        snprintf(ja, sizeof ja, "文字コード %s は読めません（UTF-8・Shift_JIS・EUC-JP で保存してください）",
                 shown);
        snprintf(en, sizeof en, "the encoding %s is not supported (save the file as UTF-8, "
                 "Shift_JIS or EUC-JP)", shown);
        bad(r, PF_CODE_XML_ENCODING, 1, "bundle", ja, en);
        return 1;
    }
    ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &status);
    const char *src = data, *limit = data + len;
    UChar chunk[4096];
    size_t offset = len, bad_len = 1;
    while (U_SUCCESS(status) && src < limit) {
        UChar *dst = chunk;
        status = U_ZERO_ERROR;
        ucnv_toUnicode(conv, &dst, chunk + 4096, &src, limit, NULL, 1, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR)
            status = U_ZERO_ERROR;  /* the chunk is full: go on from where it stopped */
        else if (U_FAILURE(status)) {
            char bad_bytes[32];
            int8_t n = sizeof bad_bytes;
            UErrorCode e2 = U_ZERO_ERROR;
            ucnv_getInvalidChars(conv, bad_bytes, &n, &e2);
            if (U_SUCCESS(e2) && n > 0)
                bad_len = (size_t)n;
            offset = (size_t)(src - data) - (U_SUCCESS(e2) && n > 0 ? (size_t)n : 0);
        } else if (src >= limit)
            break;
    }
    ucnv_close(conv);
    if (offset >= len)
        return 0;  /* the bytes are fine: libxml2's own message stands */
    int line = 1;
    for (size_t i = 0; i < offset; i++)
        line += data[i] == '\n';
    char hex[40] = "";
    for (size_t i = offset; i < len && i < offset + bad_len && i < offset + 4; i++)
        snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "%s0x%02X", i > offset ? " " : "",
                 (unsigned char)data[i]);
    char read_as_ja[120] = "", read_as_en[120] = "";
    if (as[0]) {
        snprintf(read_as_ja, sizeof read_as_ja, "（%s として読みました）", as);
        snprintf(read_as_en, sizeof read_as_en, " (read as %s)", as);
    }
    /* no declaration: most likely a Windows file saved as Shift_JIS */
    const char *hint_ja = declared[0] ? "保存した文字コードを確認してください"
                                      : "Shift_JIS で保存したファイルなら、1 行目に <?xml version=\"1.0\" "
                                        "encoding=\"Shift_JIS\"?> と書いてください";
    const char *hint_en = declared[0] ? "check the encoding the file was saved in"
                                      : "if the file was saved as Shift_JIS, declare it on the "
                                        "first line: <?xml version=\"1.0\" encoding=\"Shift_JIS\"?>";
    if (bom) {  /* the mark says UTF-8, and a declaration cannot change that */
        hint_ja = "ファイルの先頭に UTF-8 の BOM があります。UTF-8 で保存し直すか、BOM なしで保存してください";
        hint_en = "the file starts with a UTF-8 byte order mark (BOM): save it as UTF-8, or "
                  "without the mark";
    }
    char ja[600], en[600];
    snprintf(ja, sizeof ja, "先頭から %zu バイトの位置のバイト列（%s）は文字コード %s%s%sの文字ではありません。%s",
             offset, hex, shown, read_as_ja, as[0] ? "" : " ", hint_ja);
    snprintf(en, sizeof en, "bytes at offset %zu (%s) are not valid %s%s; %s", offset, hex, shown,
             read_as_en, hint_en);
    bad(r, PF_CODE_XML_ENCODING, line, "bundle", ja, en);
    return 1;
}

static int refuse_wide_encoding(reader *r, const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF) ||
                     (u[0] == 0 && u[1] == '<') || (u[0] == '<' && u[1] == 0) ||
                     (u[0] == 0 && u[1] == 0)))
        return bad(r, PF_CODE_XML_ENCODING, 1, "bundle",
                   "UTF-16・UTF-32 のファイルは読めません（UTF-8 で保存してください）",
                   "UTF-16 and UTF-32 files are not read (save the file as UTF-8)");
    return 0;
}

/* libxml2 takes a NUL byte for the end of the input and reports a confusing "premature end";
 * name it instead. (In the encodings read, a NUL byte is always the character NUL.) */
static int refuse_nul(reader *r, const char *data, size_t len)
{
    const char *nul = memchr(data, 0, len);
    if (!nul)
        return 0;
    int line = 1;
    for (const char *p = data; p < nul; p++)
        line += *p == '\n';
    return bad(r, PF_CODE_CONTROL_CHAR, line, "bundle", "NUL 文字（U+0000）は使えません",
               "the NUL character (U+0000) is not allowed");
}

/* A DOCTYPE may stand only in the prolog, before the root element: the XML declaration,
 * processing instructions, comments and white space are stepped over, and a DOCTYPE there is
 * refused before libxml2 sees it. ("<!DOCTYPE" later on, in a comment or CDATA section, is just
 * text; one anywhere else makes the file not well-formed.) */
static int refuse_doctype(reader *r, const char *data, size_t len)
{
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (;;) {
        while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
            i++;
        const char *close;
        if (len - i >= 2 && memcmp(data + i, "<?", 2) == 0)
            close = "?>";
        else if (len - i >= 4 && memcmp(data + i, "<!--", 4) == 0)
            close = "-->";
        else
            break;
        const char *end = pf_memfind(data + i + 2, len - i - 2, close);
        if (!end)
            return 0;  /* unterminated: libxml2 reports it */
        i = (size_t)(end - data) + strlen(close);
    }
    static const char doctype[] = "<!DOCTYPE";
    if (len - i < sizeof doctype - 1 || memcmp(data + i, doctype, sizeof doctype - 1) != 0) {
        unsigned char c = i + 1 < len ? (unsigned char)data[i + 1] : 0;
        int root = i < len && data[i] == '<' &&
                   (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_' || c == ':' || c >= 0x80);
        if (root)
            return 0;  /* the root element: the prolog had none */
        /* something odd before the root (libxml2 will refuse it): be strict and look at the
         * whole rest of the file */
        const char *d = pf_memfind(data + i, len - i, doctype);
        if (!d)
            return 0;
        i = (size_t)(d - data);
    }
    int line = 1;
    for (size_t k = 0; k < i; k++)
        line += data[k] == '\n';
    return bad(r, PF_CODE_DOCTYPE_REFUSED, line, "bundle",
               "DOCTYPE（文書型宣言・実体宣言）は使えません：外部ファイルの読み込みや実体の"
               "展開を防ぐためです",
               "a DOCTYPE is not allowed: it could declare entities or load external files");
}

int pf_error_too_large(pf_error *err, const char *name, size_t max)
{
    char ja[200], en[200];
    snprintf(ja, sizeof ja, "ファイルが大きすぎます（上限 %zu バイト、--max-size で変更できます）", max);
    snprintf(en, sizeof en, "the file is larger than the limit of %zu bytes (--max-size)", max);
    reader r = {name, err, 0};
    return bad(&r, PF_CODE_TOO_LARGE, 0, "bundle", ja, en);
}

pf_bundle *pf_bundle_read(pf_schema *schema, const char *name, const char *data, size_t len,
                          pf_error *err)
{
    reader r = {name, err, schema->verbose};
    pf_xml_setup();
    xmlSetGenericErrorFunc(NULL, silent);
    if (len > schema->max_bytes || len > (size_t)INT32_MAX) {
        pf_error_too_large(err, name, schema->max_bytes);
        return NULL;
    }
    if (refuse_wide_encoding(&r, data, len) || refuse_doctype(&r, data, len) ||
        refuse_nul(&r, data, len))
        return NULL;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_READ, name, 0, ENOMEM, "読み込めません",
                       "cannot read");
        return NULL;
    }
    pf_xml_first first = {0};
    ctxt->_private = &first;
    ctxt->sax->serror = parse_error;
    /* No XML_PARSE_NOENT (no entity substitution), no DTDLOAD, no XINCLUDE; no network. */
    char declared[40];
    declared_encoding(data, len, declared, sizeof declared);
    /* A UTF-8 byte order mark settles the encoding: a Shift_JIS file re-saved as "UTF-8 with
     * BOM" keeps its old declaration, which libxml2 would follow into "Premature end of data". */
    int bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, name,
                                      bom ? "UTF-8" : windows_japanese(declared),
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                          XML_PARSE_NOCDATA);
    if (!doc && pf_xml_errno(xmlCtxtGetLastError(ctxt))) {
        /* the system's failure, not the input's: never "not well-formed" */
        pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_READ, name, 0,
                       pf_xml_errno(xmlCtxtGetLastError(ctxt)), "読み込めません", "cannot read");
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    if (!doc && first.set && libxml_length_limit(first.msg)) {
        int attribute = strstr(first.msg, "AttValue") != NULL;
        too_long(&r, first.line, first.node[0] && !attribute ? first.node : "bundle");
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    if (!doc && encoding_fault(&r, data, len, declared, bom)) {
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    if (!doc) {
        xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
        char msg[1024];
        snprintf(msg, sizeof msg, "not well-formed XML: %s",
                 e && e->message ? e->message : "unreadable");
        size_t n = strlen(msg);
        while (n && msg[n - 1] == '\n')
            msg[--n] = 0;
        for (char *p = msg; *p; p++)  /* one line ("... indicate encoding !\nBytes: ...") */
            if (*p == '\n')
                *p = ' ';
        int encoding = e && (e->code == XML_ERR_INVALID_CHAR || e->code == XML_ERR_INVALID_ENCODING);
        pf_code code = encoding ? PF_CODE_XML_ENCODING : PF_CODE_XML_NOT_WELL_FORMED;
        const char *ja = encoding ? "文字コードが正しくないか、使えない文字があります（UTF-8 で保存してください）"
                                  : "XML として正しくありません（タグの閉じ忘れ・綴りの誤りなど）";
        char control[200];
        unsigned cp;
        const char *v = e && e->message ? strstr(e->message, "invalid Char value ") : NULL;
        if (!v && e && e->message)
            v = strstr(e->message, "invalid xmlChar value ");
        if (v && sscanf(v + strcspn(v, "0123456789"), "%u", &cp) == 1) {
            /* a control character written directly or as &#7; */
            snprintf(control, sizeof control, "制御文字 U+%04X は使えません", cp);
            snprintf(msg, sizeof msg, "control character U+%04X is not allowed", cp);
            ja = control;
            code = PF_CODE_CONTROL_CHAR;
        } else if (e && e->message && strstr(e->message, "Excessive depth")) {
            ja = "要素の入れ子が深すぎます（計画データの形式より深い入れ子は使えません）";
            snprintf(msg, sizeof msg, "elements are nested far deeper than the format allows");
            code = PF_CODE_TOO_DEEP;
        }
        bad(&r, code, e ? e->line : 0, "bundle", ja, msg);
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    xmlFreeParserCtxt(ctxt);
    if (doc->intSubset || doc->extSubset) {
        /* the byte scan missed it (an encoding that does not keep ASCII): refused all the same */
        xmlFreeDoc(doc);
        refuse_doctype(&r, "<!DOCTYPE", strlen("<!DOCTYPE"));
        return NULL;
    }
    located at = {0};
    pf_xml_first c = {0};
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema->schema);
    int valid = -1;
    if (vc) {
        xmlSchemaSetValidStructuredErrors(vc, collect_located, &at);
        trim_values(xmlDocGetRootElement(doc));
        valid = xmlSchemaValidateDoc(vc, doc);
        xmlSchemaFreeValidCtxt(vc);
        c = at.first;
    }
    if (!vc || c.sys) {
        pf_error_errno(err, PF_EXIT_IO, PF_CODE_IO_READ, name, 0, c.sys ? c.sys : ENOMEM,
                       "検証できません", "cannot validate");
        xmlFreeDoc(doc);
        return NULL;
    }
    if (valid != 0) {
        strip_namespace(c.msg);
        if (!schema->verbose)
            redact(c.msg, sizeof c.msg);
        char field[128], path[sizeof at.path + sizeof field + 2];
        message_field(c.msg, field, sizeof field);
        pf_code code;
        const char *ja = message_ja(c.msg, field, &code);
        /* the field by its element path: the element's, or its attribute's */
        if (!at.path[0])
            snprintf(path, sizeof path, "%s", field[0] ? field : c.node);
        else if (strstr(c.msg, "attribute '") && field[0])
            snprintf(path, sizeof path, "%s/@%s", at.path, field);
        else
            snprintf(path, sizeof path, "%s", at.path);
        bad(&r, code, c.line, path, ja, c.set ? c.msg : "the file does not match the input schema");
        xmlFreeDoc(doc);
        return NULL;
    }
    pf_bundle *b = pf_xcalloc(1, sizeof *b);
    b->file = pf_xstrdup(name);
    int rc = read_bundle(&r, xmlDocGetRootElement(doc), b);
    xmlFreeDoc(doc);
    if (rc) {
        pf_bundle_free(b);
        return NULL;
    }
    return b;
}

/* ---- freeing ----------------------------------------------------------------------------- */

static void free_need(pf_need *n)
{
    free_fields(PF_REC_NEED, n);
    for (size_t i = 0; i < n->n_services; i++)
        free_fields(PF_REC_SERVICE, &n->services[i]);
    free(n->services);
}

static void free_plan(pf_plan *p)
{
    free_fields(PF_REC_PLAN, p);
    for (size_t i = 0; i < p->n_needs; i++)
        free_need(&p->needs[i]);
    free(p->needs);
    for (size_t i = 0; i < p->weekly.n_spans; i++)
        free(p->weekly.spans[i].label.s), free(p->weekly.spans[i].frequency.s);
    for (size_t i = 0; i < p->weekly.n_activities; i++)
        free(p->weekly.activities[i].label.s);
    free(p->weekly.spans);
    free(p->weekly.activities);
    free_fields(PF_REC_WEEKLY, &p->weekly);
}

static void free_isp(pf_isp *p)
{
    free_fields(PF_REC_ISP, p);
    for (size_t i = 0; i < p->n_goals; i++)
        free_fields(PF_REC_GOAL, &p->goals[i]);
    free(p->goals);
}

static void free_monitoring(pf_monitoring *m)
{
    free_fields(PF_REC_MONITORING, m);
    for (size_t i = 0; i < m->n_reviews; i++)
        free_fields(PF_REC_REVIEW, &m->reviews[i]);
    free(m->reviews);
}

static void free_evaluation(pf_evaluation *e)
{
    free_fields(PF_REC_EVALUATION, e);
    for (size_t i = 0; i < e->n_reviews; i++)
        free_fields(PF_REC_GOAL_REVIEW, &e->reviews[i]);
    free(e->reviews);
}

void pf_bundle_free(pf_bundle *b)
{
    if (!b)
        return;
    free_fields(PF_REC_PERSON, &b->person);
    for (size_t i = 0; i < b->n_plans; i++)
        free_plan(&b->plans[i]);
    free(b->plans);
    for (size_t i = 0; i < b->n_isps; i++)
        free_isp(&b->isps[i]);
    free(b->isps);
    for (size_t i = 0; i < b->n_monitorings; i++)
        free_monitoring(&b->monitorings[i]);
    free(b->monitorings);
    for (size_t i = 0; i < b->n_evaluations; i++)
        free_evaluation(&b->evaluations[i]);
    free(b->evaluations);
    free(b->file);
    free(b);
}
