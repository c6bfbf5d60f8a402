/* bundle/diff — what changed between two versions of a person's plans (issue 15, item 4), for
 * the 計画変更 meeting: needs added, removed, reordered and reworded; every other value of the
 * input format (goals, services' kind, amount and provider, dates, consent, …) that differs;
 * weekly spans and activities added or removed.
 *
 * Records are matched by their stable ids (plan, need, individual plan, goal, monitoring
 * record, evaluation; a review by the need it reviews, a goal review by its goal). What has no
 * id is matched by what identifies it: a service by its provider's id, else its kind; a goal
 * without an id by its need and its place among that need's goals; a weekly span or activity
 * by everything it says (so a changed one is one removed and one added). A record added or
 * removed is one change, not one per field. Values are compared exactly as given (never
 * normalized); dates as YYYY-MM-DD.
 *
 * Owns: the list of changes (each string its own allocation), freed by pf_changes_free. Knows
 * nothing of forms; printing the list as text or JSON is here, as a form in template/bind. */
#ifndef PF_DIFF_H
#define PF_DIFF_H

#include <stdio.h>

#include "bundle/model.h"

typedef enum {
    PF_CH_ADDED,        /* a record in the new version only */
    PF_CH_REMOVED,      /* a record in the old version only */
    PF_CH_REORDERED,    /* a need's place among the needs both versions have */
    PF_CH_REWORDED,     /* a need's 課題 (its issue text) */
    PF_CH_CHANGED       /* any other value */
} pf_change_kind;
#define PF_N_CHANGE_KINDS 5
/* "added", … and 追加, …, in enum order */
extern const char *const pf_change_kind_names[PF_N_CHANGE_KINDS];
extern const char *const pf_change_kind_ja[PF_N_CHANGE_KINDS];

/* Where a change is: the ids of the records it is in (NULL where none). */
typedef struct pf_change_ids {
    char *plan, *need, *isp, *goal, *monitoring, *evaluation;
    int service;            /* 1-based place of the service in its need (0: none) */
} pf_change_ids;

typedef struct pf_change {
    pf_change_kind kind;
    pf_change_ids at;
    const char *record;     /* the record changed, as the input names it: "need", "service" */
    const char *record_ja;  /* 解決すべき課題 */
    const char *field;      /* the value's name ("amount"); NULL when a whole record */
    const char *field_ja;   /* サービスの量（頻度・時間） */
    char *before, *after;   /* the values, NULL where there is none; a record added or removed:
                               its summary (a need's 課題, a service's kind) */
    int line;               /* in the new file (the old one for a record removed) */
} pf_change;

typedef struct pf_changes {
    pf_change *c;
    size_t n, cap;
} pf_changes;

/* Append the changes from `old` to `new` to `out`, in the order of the new version's records. */
void pf_diff(const pf_bundle *old, const pf_bundle *new, pf_changes *out);

/* "plan-2024-04 / need-work / service 2": where a change is, for text and the form. */
char *pf_change_where(const pf_change *c);

/* One fingerprinted form of a version, for the JSON output (template/fingerprint.h). */
typedef struct pf_diff_version {
    const char *file;
    const struct pf_diff_form {
        const char *form, *item, *hex;
    } *forms;
    size_t n_forms;
} pf_diff_version;

/* As text: two lines a change, Japanese then English, in the form of check's findings
 * ("new.xml:24: reworded [plan-2024-04 / need-work]: 解決すべき課題: 「…」 → 「…」"). With
 * `json`, one JSON object: {"same", "old": {"file", "fingerprints"}, "new": …, "changes": [{"change",
 * "record", "field", "field_ja", "before", "after", "line", and the ids "plan", "need", …}]}. */
void pf_changes_print(const pf_changes *cs, const pf_diff_version *old,
                      const pf_diff_version *new, int json, FILE *to);

void pf_changes_free(pf_changes *cs);

#endif
