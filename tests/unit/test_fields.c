/* Unit tests of the field table (bundle/fields.def) and the keys binders provide (issue 12,
 * items 2 and 3): every element and attribute path of templates/plan.xsd has exactly one row
 * and every row a path of the schema; labels are looked up by element path; every key a binder
 * puts for the samples is one its registry row declares, and every declared key is put; each
 * template's keys are its form's. Runs from the source tree (tests/run.sh does). */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/fields.h"
#include "render.h"
#include "template/bind.h"
#include "template/registry.h"
#include "util/files.h"
#include "unit.h"

#define XS "http://www.w3.org/2001/XMLSchema"

static int is_xs(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && strcmp((const char *)n->ns->href, XS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

/* The schema's paths, as fields.def writes them: from each global element, through its local
 * elements ("need/issue") and attributes ("need/@id"); a ref="…" is a global element of its own. */
typedef struct paths {
    char **p;
    size_t n, cap;
} paths;

static void add(paths *ps, const char *path)
{
    PF_GROW(ps->p, ps->n, ps->cap);
    ps->p[ps->n++] = pf_xstrdup(path);
}

static void walk(xmlNodePtr n, const char *path, paths *ps)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
        if (name && (is_xs(c, "element") || is_xs(c, "attribute"))) {
            char *sub = pf_xasprintf("%s/%s%s", path, is_xs(c, "attribute") ? "@" : "",
                                     (const char *)name);
            add(ps, sub);
            walk(c, sub, ps);
            free(sub);
        } else if (!is_xs(c, "element")) {  /* complexType, sequence, …: not a step */
            walk(c, path, ps);
        }
        if (name)
            xmlFree(name);
    }
}

static paths schema_paths(void)
{
    paths ps = {0};
    xmlDocPtr doc = xmlReadFile("templates/plan.xsd", NULL, XML_PARSE_NONET);
    CHECK(doc != NULL);
    if (!doc)
        return ps;
    for (xmlNodePtr c = xmlDocGetRootElement(doc)->children; c; c = c->next) {
        if (!is_xs(c, "element"))
            continue;
        xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
        add(&ps, (const char *)name);
        walk(c, (const char *)name, &ps);
        xmlFree(name);
    }
    xmlFreeDoc(doc);
    return ps;
}

static void test_every_schema_path_has_one_row(void)
{
    paths ps = schema_paths();
    CHECK(ps.n > 100);
    for (size_t i = 0; i < ps.n; i++) {
        const pf_field *f = pf_field_at(ps.p[i]);
        if (!f || strcmp(f->path, ps.p[i]) != 0)
            fprintf(stderr, "  no row for the schema's path %s\n", ps.p[i]);
        CHECK(f && strcmp(f->path, ps.p[i]) == 0);
    }
    /* and every row is a path of the schema (no row left behind when the schema changes) */
    for (size_t k = 0; k < PF_N_FIELDS; k++) {
        int found = 0;
        for (size_t i = 0; i < ps.n && !found; i++)
            found = strcmp(ps.p[i], pf_fields[k].path) == 0;
        if (!found)
            fprintf(stderr, "  row %s is no path of the schema\n", pf_fields[k].path);
        CHECK(found);
    }
    for (size_t i = 0; i < ps.n; i++)
        free(ps.p[i]);
    free(ps.p);
}

static void test_rows(void)
{
    for (size_t i = 0; i < PF_N_FIELDS; i++) {
        const pf_field *f = &pf_fields[i];
        CHECK(f->id == (pf_field_id)i);
        CHECK(f->ja && f->ja[0]);
        /* one row per path */
        for (size_t k = i + 1; k < PF_N_FIELDS; k++)
            CHECK(strcmp(f->path, pf_fields[k].path) != 0);
        /* a row lies under its record's own row, which comes first and holds no value */
        const pf_field *rec = pf_record_field(f->record);
        size_t n = strlen(rec->path);
        CHECK(rec->type == PF_FT_NONE && rec <= f);
        CHECK(strncmp(f->path, rec->path, n) == 0 && (f == rec || f->path[n] == '/'));
        /* keys are unique, and only value rows have one */
        if (f->key) {
            CHECK(f->type != PF_FT_NONE);
            CHECK(pf_field_by_key(f->key) == f);
        }
    }
    for (size_t k = 0; k < PF_N_BIND_KEYS; k++) {
        CHECK(!pf_field_by_key(pf_bind_keys[k].key));  /* a computed key is no field's key */
        for (size_t j = k + 1; j < PF_N_BIND_KEYS; j++)
            CHECK(strcmp(pf_bind_keys[k].key, pf_bind_keys[j].key) != 0);
    }
}

static void test_labels_by_path(void)
{
    /* the <evaluation> record and a need's <evaluation> (評価時期) */
    CHECK_STR(pf_field_ja("bundle/evaluation"), "個別支援計画のモニタリング（評価）");
    CHECK_STR(pf_field_ja("evaluation"), "個別支援計画のモニタリング（評価）");
    CHECK_STR(pf_field_ja("bundle/service-use-plan/needs/need/evaluation"), "評価時期");
    CHECK_STR(pf_field_ja("need/evaluation"), "評価時期");
    CHECK_STR(pf_field_ja("bundle/service-use-plan/consent/@date"), "利用者同意署名欄");
    CHECK_STR(pf_field_ja("bundle/monitoring-report/reviews/review/change/@amount"),
              "計画変更の必要性（サービス量の変更）");
    CHECK_STR(pf_field_ja("bundle/service-use-plan/needs/need/service/amount"),
              "サービスの量（頻度・時間）");
    CHECK_STR(pf_field_ja("bundle/individual-support-plan/goals/goal/period"), "支援期間");
    CHECK_STR(pf_field_ja("bundle/individual-support-plan/period/@start"), "計画期間");
    /* a path no row ends: its last step; another namespace's name whole */
    CHECK_STR(pf_field_ja("bundle/person/no-such-field"), "no-such-field");
    CHECK_STR(pf_field_ja("{http://www.w3.org/2001/XInclude}include"),
              "{http://www.w3.org/2001/XInclude}include");
    CHECK(pf_field_at("bundle/person/no-such-field") == NULL);
    CHECK(pf_field_at("bundle/person/name") == &pf_fields[PF_F_PERSON_NAME]);
    /* step boundaries: "kana" does not end "person/xkana" */
    CHECK(pf_field_at("person/xkana") == NULL);
    CHECK_STR(pf_field_name(&pf_fields[PF_F_PLAN_CONSENT_DATE]), "date");
    CHECK_STR(pf_field_name(&pf_fields[PF_F_NEED_EVALUATION]), "evaluation");
}

/* Every key of `vs` is one form `f` declares; each is marked in `seen`. */
static void keys_declared(const pf_form_kind *f, const pf_values *vs, const char **seen,
                          size_t *n_seen)
{
    for (size_t i = 0; i < vs->n; i++) {
        const char *key = vs->kv[i]->key;
        if (!pf_form_provides(f, key))
            fprintf(stderr, "  form %s: the binder put %s, which it does not declare\n", f->name,
                    key);
        CHECK(pf_form_provides(f, key));
        size_t k = 0;
        while (k < *n_seen && strcmp(seen[k], key) != 0)
            k++;
        if (k == *n_seen && *n_seen < 512)
            seen[(*n_seen)++] = key;
    }
}

static void test_binders_put_what_they_declare(void)
{
    pf_engine e;
    pf_error err = {0};
    CHECK(pf_engine_open_forms(&e, ".", PF_FORM_ALL | PF_FORM_CHANGES, NULL, &err) == 0);
    if (err.status)
        return;
    const char *samples[] = {"samples/a-san.xml", "samples/child.xml", "samples/overflow.xml"};
    pf_bundle *bs[3] = {0};
    for (size_t s = 0; s < 3; s++) {
        char *xml = NULL;
        size_t len = 0;
        CHECK(pf_read_file(samples[s], &xml, &len, &err) == 0);
        bs[s] = xml ? pf_bundle_read(e.schema, samples[s], xml, len, &err) : NULL;
        CHECK(bs[s] != NULL);
        free(xml);
    }
    for (size_t k = 0; k < PF_N_FORMS; k++) {
        const pf_form_kind *f = &pf_form_kinds[k];
        const char *seen[512];
        size_t n_seen = 0, items = 0;
        if (!f->bind && bs[0] && bs[2]) {
            /* diff's 変更箇所一覧: bound from a comparison of two bundles, not one */
            pf_changes cs = {0};
            pf_diff(bs[0], bs[2], &cs);
            CHECK(cs.n > 0);
            pf_bound *bd = pf_bind_changes(bs[2], &cs, "a.xml", "版 0000-0000", "b.xml",
                                           "版 1111-1111", e.text, &err);
            CHECK(bd != NULL);
            if (bd) {
                items++;
                keys_declared(f, &bd->top, seen, &n_seen);
                for (size_t r = 0; r < bd->n_rows; r++)
                    keys_declared(f, &bd->rows[r], seen, &n_seen);
                pf_bound_free(bd);
            }
            pf_changes_free(&cs);
        }
        for (size_t s = 0; f->bind && s < 3; s++) {
            for (size_t i = 0; bs[s] && i < f->count(bs[s]); i++) {
                const pf_template *t = e.forms[k][f->is_child(bs[s], i) ? 1 : 0];
                pf_bound *bd = f->bind(bs[s], i, t, e.text, &err);
                CHECK(bd != NULL);
                if (!bd)
                    continue;
                items++;
                keys_declared(f, &bd->top, seen, &n_seen);
                for (size_t r = 0; r < bd->n_rows; r++)
                    keys_declared(f, &bd->rows[r], seen, &n_seen);
                pf_bound_free(bd);
            }
        }
        CHECK(items > 0);
        /* and every declared key is put (the linkage sheet's cell.N only as far as the samples'
         * providers go) */
        for (size_t i = 0; i < PF_N_FIELDS + PF_N_BIND_KEYS; i++) {
            const char *key =
                i < PF_N_FIELDS ? pf_fields[i].key : pf_bind_keys[i - PF_N_FIELDS].key;
            if (!key || !pf_form_provides(f, key) || strncmp(key, "cell.", 5) == 0)
                continue;
            size_t j = 0;
            while (j < n_seen && strcmp(seen[j], key) != 0)
                j++;
            if (j == n_seen)
                fprintf(stderr, "  form %s declares %s but never puts it\n", f->name, key);
            CHECK(j < n_seen);
        }
        /* the shipped templates name only keys their form provides; another form's key set
         * refuses them, naming the template, a line and the key */
        for (int v = 0; v < 2; v++) {
            pf_error ok = {0};
            CHECK(pf_template_check_keys(e.forms[k][v], pf_form_provides, f, &ok) == 0);
        }
        const pf_form_kind *other = &pf_form_kinds[(k + 1) % PF_N_FORMS];
        pf_error wrong = {0};
        CHECK(pf_template_check_keys(e.forms[k][0], pf_form_provides, other, &wrong) ==
              PF_EXIT_RESOURCE);
        CHECK(strstr(wrong.file, "templates/") != NULL && wrong.line > 0);
        CHECK(strstr(wrong.msg_en, "this form has no such key") != NULL);
    }
    for (size_t s = 0; s < 3; s++)
        pf_bundle_free(bs[s]);
    pf_engine_close(&e);
}

void run_tests(void)
{
    test_every_schema_path_has_one_row();
    test_rows();
    test_labels_by_path();
    test_binders_put_what_they_declare();
}
