/* template/registry — the forms planform prints, as data: one row per form.
 *
 * A row names the form (its --form name, and what it is called in messages), its template
 * file(s), what it iterates in a bundle (one page set per plan, per individual support plan,
 * per monitoring record, …) and its binder. The engine opens and closes templates from this
 * table, `--form` is parsed against it, layout walks it, and help and messages name forms from
 * it. Adding a form is a template, a row here and a binder in bind.c; nothing else lists forms.
 *
 * Owns: the table (registry.c). The table is constant; nothing here holds state. */
#ifndef PF_REGISTRY_H
#define PF_REGISTRY_H

#include <stddef.h>

#include "bundle/model.h"
#include "template/bind.h"
#include "template/template.h"
#include "text/text.h"
#include "util/util.h"

/* One signature for every binder: the values item `i` of what the form iterates prints, on
 * template `t` (the variant chosen for that item). NULL with `err` filled on failure. */
typedef pf_bound *(*pf_binder)(const pf_bundle *b, size_t i, const pf_template *t,
                               pf_text_ctx *tc, pf_error *err);

typedef struct pf_form_kind {
    const char *name;          /* --form name: "plan" */
    const char *ja, *en;       /* what the form is called: モニタリング報告書 / monitoring report */
    /* template file stems under templates/ (without .xml): [0] for adults, [1] for children
     * (NULL: the same as [0]) */
    const char *templates[2];
    size_t (*count)(const pf_bundle *b);                /* how many items the bundle has */
    int (*is_child)(const pf_bundle *b, size_t i);      /* which template item i takes */
    pf_binder bind;         /* NULL: a form that prints no bundle's items (the changes of
                               `diff`): never chosen by --form nor counted in a bundle */
    /* The keys the binder provides, which are all a template of the form may name: every key
     * of the records in `records` (1 << PF_REC_*: bundle/fields.def's KEY column) and every
     * computed key of the groups in `key_groups` (1 << PF_KG_*: bind.h's PF_BIND_KEYS). */
    unsigned records, key_groups;
} pf_form_kind;

/* The forms, in the order a document prints them. */
enum { PF_N_FORMS = 6 };
extern const pf_form_kind pf_form_kinds[PF_N_FORMS];

/* --form bits: form k of the table is 1 << k. The names say which row is which, for code
 * that asks for one form (tests, the fuzzers); the table is the truth. */
enum {
    PF_FORM_PLAN = 1 << 0,      /* サービス等利用計画 and 週間計画表 */
    PF_FORM_ISP = 1 << 1,       /* every 個別支援計画 */
    PF_FORM_LINKAGE = 1 << 2,   /* 連携シート, one per plan */
    PF_FORM_MONITORING = 1 << 3,/* モニタリング報告書, one per record */
    PF_FORM_EVALUATION = 1 << 4,/* 個別支援計画のモニタリング（評価）, one per evaluation */
    PF_FORM_CHANGES = 1 << 5,   /* 変更箇所一覧: planform diff -o only */
    /* every form of a person's plans: what render, validate and batch print by default
     * (the 変更箇所一覧 is not one: it is made from two bundles, by planform diff) */
    PF_FORM_ALL = ((1 << PF_N_FORMS) - 1) & ~PF_FORM_CHANGES
};

/* Does form `f`'s binder provide `key`? (For pf_template_check_keys, `ctx` is the form.) */
int pf_form_provides(const void *f, const char *key);

/* Form names, comma-separated ("plan,isp"), or "all" → PF_FORM_* bits; 0 if a name is
 * unknown or the list is empty. */
unsigned pf_forms_parse(const char *names);

/* Append the names --form takes to `out`, for messages: "plan, isp, linkage, monitoring,
 * evaluation or all", or with `japanese` "plan、isp、linkage、monitoring、evaluation、all のどれか". */
void pf_forms_list(pf_buf *out, int japanese);

#endif
