/* check — consistency rules over a bundle: does every individual goal trace back to a need of
 * the comprehensive plan, is every need covered by someone, do services, dates and the
 * children's five domains agree. Produces findings; knows nothing of forms or PDF.
 *
 * Rule ids (stable: other systems act on them):
 *   goal-need-missing        error    a goal names a need its plan does not have
 *   need-not-reflected       warning  no individual plan, informal or other support covers a need
 *   service-type-mismatch    warning  the provider's service type is not among the need's services
 *   isp-before-plan          warning  an individual plan made before the plan it is based on
 *   target-after-period      warning  a 達成時期 after the individual plan's period
 *   consent-before-created   warning  a consent date before the form was made (created, or the
 *                                     monitoring's date); not a standing consent (包括同意書)
 *   consent-after-next-monitoring warning  a consent date after the month of the next
 *                                     monitoring (the plan's schedule; an evaluation's next-date)
 *   monitoring-without-consent warning a monitoring report with neither a dated consent nor a
 *                                     standing consent (its own, or its plan's)
 *   child-missing-group      error    a child's plan without 家族支援 or 移行支援 rows
 *   child-domain-uncovered   error    本人支援 rows leave one of the five domains uncovered
 *   isp-not-delivered        info     delivery to the 相談支援事業所 not recorded
 *   review-need-missing      error    a monitoring record reviews a need the plan does not have
 *   review-goal-missing      error    a provider's evaluation reviews a goal its plan does not have
 *   need-not-monitored       warning  a need of the plan that a monitoring record leaves out
 *   monitoring-off-schedule  warning  a monitoring date outside the plan's monitoring months
 *   monitoring-missed        warning  a monitoring month that passed with no record
 *   change-without-issues    warning  計画変更 有 with no 今後の課題・解決方法 written */
#ifndef PF_CHECK_H
#define PF_CHECK_H

#include <stdio.h>

#include "bundle/model.h"

typedef enum { PF_INFO, PF_WARNING, PF_ERROR } pf_severity;

typedef struct pf_finding {
    pf_severity severity;
    const char *rule;       /* static */
    char msg_ja[512], msg_en[512];
    int line;
    /* the ids the finding is about, as the input writes them (NULL: not about one); owned */
    char *plan, *need, *isp, *goal;
    const char *field;      /* the attribute holding a broken link ("need", "goal"); static;
                               NULL for findings that are not about a link */
} pf_finding;

typedef struct pf_findings {
    pf_finding *f;
    size_t n, cap;
    int quote;              /* set by the caller: messages may quote the input's text (a need's
                               課題) rather than name it by id (--verbose; personal data) */
} pf_findings;

/* Run every rule; findings in the order of the input. `today` (YYYYMMDD) is the day the
 * monitoring schedule is seen from. */
void pf_check(const pf_bundle *b, long today, pf_findings *out);
/* Only the rules about links between plans (goal-need-missing, review-need-missing,
 * review-goal-missing): the ones render refuses on, since the form could not say what a goal
 * serves or what a review reviews. Each finding's `field` names the attribute at fault. */
void pf_check_links(const pf_bundle *b, pf_findings *out);
size_t pf_findings_count(const pf_findings *fs, pf_severity severity);
void pf_findings_free(pf_findings *fs);

/* Print as text lines ("file:line: severity [rule]: ja / en") or as a JSON array (with the ids
 * a finding is about: "plan", "need", "isp", "goal", each present only when it is about one). */
void pf_findings_print(const pf_findings *fs, const char *file, int json, FILE *to);

#endif
