/* template/bind — the values a template's boxes print, taken from the plan model.
 *
 * Owns: turning model fields into printed text (dates as era dates through text/, yen with
 * grouping, several services of a need as lines) under binding keys ("plan.wishes",
 * "need.goal"), and remembering for every stretch of a printed value which input field and
 * line it came from, so that a character no font can print is reported where the user typed
 * it. The only place that decides how a model value is printed. */
#ifndef PF_BIND_H
#define PF_BIND_H

#include <stddef.h>

#include "bundle/diff.h"
#include "bundle/fields.h"
#include "bundle/model.h"
#include "template/template.h"
#include "text/text.h"
#include "util/util.h"

/* A stretch text[start, start+len) of a printed value and where it came from. */
typedef struct pf_value_part {
    size_t start, len;
    int line;
    const char *field_ja, *field_en;   /* static strings */
} pf_value_part;

typedef struct pf_value {
    char *text;             /* UTF-8, NUL-terminated; "" when empty */
    size_t len;
    pf_value_part *parts;
    size_t n_parts, cap_parts;
    const char *stable;     /* for a template's own text (a label): the template's string, whose
                               shaping is kept from one document to the next; else NULL */
} pf_value;

typedef struct pf_kv {
    const char *key;        /* static string */
    pf_value v;
} pf_kv;

typedef struct pf_values {
    pf_kv **kv;             /* each its own allocation: a value pointer stays valid while more
                               values are put */
    size_t n, cap;
} pf_values;

typedef struct pf_bound_span {
    unsigned days;
    int start, end;         /* minutes after midnight */
    pf_value label;
} pf_bound_span;

typedef struct pf_bound {
    const char *file;       /* the bundle's name, for messages */
    const char *item;       /* the id of the item printed (plan, individual plan, record), or
                               NULL: named with the form's fingerprint in the PDF's metadata */
    char flags[64];         /* for templates' `when`: "adult final", "child draft" */
    pf_values top;          /* person.*, plan.*, weekly.* */
    pf_values *rows;        /* one per need, in priority order: need.* */
    size_t n_rows;
    pf_bound_span *spans;   /* weekly grid blocks */
    size_t n_spans;
    pf_bound_span *activities; /* 主な日常生活上の活動 (days unused; end -1 when open) */
    size_t n_activities;
    pf_value *columns;      /* linkage sheet: one header per provider with an individual plan */
    size_t n_columns;
} pf_bound;

/* ---- the keys binders provide ------------------------------------------------------------
 *
 * A binder puts two kinds of keys: a field's default key (the KEY column of bundle/fields.def,
 * put for every row of a record the binder binds: "need.goal"), and the keys it computes from
 * several fields, declared here once: K(ID, KEY, GROUP). A form's registry row says which
 * records and which groups its binder provides (registry.h); a template's keys are checked
 * against that when it is loaded. The binder puts computed keys by id (PF_K_<ID>), so it cannot
 * put a key that is not declared. */
#define PF_LINKAGE_MAX_PROVIDERS 12
/* Keys of the linkage sheet's cells: cell.0 … (providers, then informal, then other). */
#define PF_CELL_KEYS(K)                                                                        \
    K(CELL_0, "cell.0", LINKAGE) K(CELL_1, "cell.1", LINKAGE) K(CELL_2, "cell.2", LINKAGE)      \
    K(CELL_3, "cell.3", LINKAGE) K(CELL_4, "cell.4", LINKAGE) K(CELL_5, "cell.5", LINKAGE)      \
    K(CELL_6, "cell.6", LINKAGE) K(CELL_7, "cell.7", LINKAGE) K(CELL_8, "cell.8", LINKAGE)      \
    K(CELL_9, "cell.9", LINKAGE) K(CELL_10, "cell.10", LINKAGE) K(CELL_11, "cell.11", LINKAGE)  \
    K(CELL_12, "cell.12", LINKAGE) K(CELL_13, "cell.13", LINKAGE)
#define PF_BIND_KEYS(K)                                                                        \
    K(PLAN_CONSENT, "plan.consent", PLAN)           /* how consent was given, date line */     \
    K(PLAN_MONITORING, "plan.monitoring", PLAN)     /* 3か月ごと（令和6年7月） */               \
    K(PLAN_START, "plan.start", PLAN)               /* start, else the first monitoring */     \
    K(NEED_SERVICES, "need.services", SERVICES)     /* kind content（amount）, a line each */  \
    K(NEED_PROVIDERS, "need.providers", SERVICES)   /* provider（contact）, a line each */     \
    K(ISP_PERIOD, "isp.period", ISP)                /* start〜end */                           \
    K(ISP_CONSENT, "isp.consent", ISP)              /* how consent was given (署名欄) */        \
    K(GOAL_CATEGORY, "goal.category", GOAL)                                                    \
    K(GOAL_STRUCK, "goal.struck", GOAL)             /* "1" for rows other than 本人支援 */      \
    K(GOAL_SUPPORT_DOMAINS, "goal.support-domains", GOAL)                                      \
    K(GOAL_SUPPORT_DETAILS, "goal.support-details", GOAL)                                      \
    K(GOAL_NEED, "goal.need", GOAL)                 /* the need's priority and issue */        \
    K(NEED_PROVIDER_SERVICES, "need.provider-services", GOAL) /* what this provider gives */   \
    K(NEED_UNCOVERED, "need.uncovered", LINKAGE)    /* "1": 反映できなかったニーズ */            \
    PF_CELL_KEYS(K)                                                                            \
    K(MON_CONSENT, "mon.consent", MONITORING)                                                  \
    K(REVIEW_CHANGE_TYPE, "review.change-type", MONITORING)     /* 有 / 無 */                  \
    K(REVIEW_CHANGE_AMOUNT, "review.change-amount", MONITORING)                                \
    K(REVIEW_CHANGE_WEEKLY, "review.change-weekly", MONITORING)                                \
    K(EV_CHANGE, "ev.change", EVALUATION)                       /* 有 / 無 */                  \
    K(EV_CONSENT, "ev.consent", EVALUATION)                     /* how consent was given */   \
    K(REVIEW_ACHIEVED, "review.achieved", EVALUATION)           /* 達成 / 一部達成 / 未達成 */ \
    K(CHANGES_OLD, "changes.old", CHANGES)      /* 版 3F7A-19C2（サービス等利用計画 plan-1） */ \
    K(CHANGES_NEW, "changes.new", CHANGES)                                                    \
    K(CHANGES_OLD_FILE, "changes.old-file", CHANGES)                                          \
    K(CHANGES_NEW_FILE, "changes.new-file", CHANGES)                                          \
    K(CHANGES_COUNT, "changes.count", CHANGES)  /* 3件 */                                     \
    K(CHANGE_KIND, "change.kind", CHANGES)      /* 追加, 削除, 順序変更, 文言変更, 変更 */    \
    K(CHANGE_WHERE, "change.where", CHANGES)    /* plan-1 / need-work / service 1 */          \
    K(CHANGE_FIELD, "change.field", CHANGES)    /* 福祉サービス等：サービスの量（頻度・時間） */ \
    K(CHANGE_BEFORE, "change.before", CHANGES)                                                \
    K(CHANGE_AFTER, "change.after", CHANGES)

/* The groups of computed keys a registry row can name. */
typedef enum {
    PF_KG_PLAN, PF_KG_SERVICES, PF_KG_ISP, PF_KG_GOAL, PF_KG_LINKAGE, PF_KG_MONITORING,
    PF_KG_EVALUATION, PF_KG_CHANGES
} pf_key_group;

typedef enum {
#define K(ID, KEY, GROUP) PF_K_##ID,
    PF_BIND_KEYS(K)
#undef K
    PF_N_BIND_KEYS
} pf_bind_key;

typedef struct pf_bind_key_def {
    const char *key;
    pf_key_group group;
} pf_bind_key_def;
extern const pf_bind_key_def pf_bind_keys[PF_N_BIND_KEYS];
extern const char *const pf_cell_keys[PF_LINKAGE_MAX_PROVIDERS + 2];

/* The binders: one signature (registry.h's pf_binder), the item by its index in the bundle
 * (b->plans[plan], b->isps[isp], …) and the template it will be laid out on. */

/* Values for a サービス等利用計画 (and its 週間計画表): person.*, plan.*, weekly.*; a row per need. */
pf_bound *pf_bind_plan(const pf_bundle *b, size_t plan, const pf_template *t, pf_text_ctx *tc,
                       pf_error *err);

/* Values for a 個別支援計画: person.*, plan.* (the plan it deepens), isp.*; a row per goal with
 * goal.* and need.* of the need it serves. Fields the template maps back (maps-to="…") and the
 * individual plan leaves empty are filled from the comprehensive plan, after the template's
 * mapped-mark, so that the reader sees where they came from. */
pf_bound *pf_bind_isp(const pf_bundle *b, size_t isp, const pf_template *t, pf_text_ctx *tc,
                      pf_error *err);
/* Values for the 連携シート of a plan: a row per need (need.priority, need.issue,
 * need.uncovered), a column per provider with an individual plan based on it (cell.K lists the
 * goals serving the need), then informal help (cell.N), then services outside disability
 * welfare such as 医療 (cell.N+1). */
pf_bound *pf_bind_linkage(const pf_bundle *b, size_t plan, const pf_template *t,
                          pf_text_ctx *tc, pf_error *err);

/* Values for a モニタリング報告書: person.*, plan.* of the plan it monitors (carried over, never
 * re-typed), mon.*; a row per need of that plan with need.priority, need.goal, need.target and
 * the record's review.* (change choices as 有 / 無). */
pf_bound *pf_bind_monitoring(const pf_bundle *b, size_t monitoring, const pf_template *t,
                             pf_text_ctx *tc, pf_error *err);

/* Values for a provider's モニタリング（評価）: person.*, isp.*, ev.*; a row per goal of the
 * individual plan with goal.aim carried over and the evaluation's review.* (達成状況 as
 * 達成 / 一部達成 / 未達成). */
pf_bound *pf_bind_evaluation(const pf_bundle *b, size_t evaluation, const pf_template *t,
                             pf_text_ctx *tc, pf_error *err);

/* Values for a 変更箇所一覧 (planform diff -o): person.* of the new version; changes.old and
 * changes.new (each version's file and fingerprint, `old_version` and `new_version` as printed),
 * changes.count; a row per change with change.kind, change.where, change.field, change.before
 * and change.after. Not a registry binder: it prints two bundles' comparison, not one bundle. */
pf_bound *pf_bind_changes(const pf_bundle *new, const pf_changes *cs, const char *old_file,
                          const char *old_version, const char *new_file, const char *new_version,
                          pf_text_ctx *tc, pf_error *err);

void pf_bound_free(pf_bound *bd);

/* The value under `key`, or NULL when the key is unknown. */
const pf_value *pf_values_get(const pf_values *vs, const char *key);
/* The part of `v` that holds byte `offset` (NULL if none). */
const pf_value_part *pf_value_part_at(const pf_value *v, size_t offset);
/* A copy of v's bytes [start, end), parts clipped and shifted to match. */
void pf_value_slice(const pf_value *v, size_t start, size_t end, pf_value *out);
void pf_value_free(pf_value *v);

#endif
