/* check/schedule — the monitoring schedule of a plan: which months a モニタリング is due, which
 * were done (a monitoring-report dated in that month), which passed without one, and the next.
 *
 * The schedule starts at the plan's <monitoring start="YYYY-MM"> and repeats every `every`
 * months (初回3か月後、その後6か月ごと is start = the first month, every = 6). Without `every`,
 * the interval is read from the printed period (「3か月ごと」 → 3); without either, the start
 * month alone is due. */
#ifndef PF_SCHEDULE_H
#define PF_SCHEDULE_H

#include <stdio.h>

#include "bundle/model.h"

typedef enum { PF_DUE_DONE, PF_DUE_MISSED, PF_DUE_NEXT } pf_due_status;

typedef struct pf_due {
    int year, month;
    pf_due_status status;
    const pf_monitoring *record;  /* for PF_DUE_DONE */
} pf_due;

/* Months interval of the plan's schedule (0: only the start month). */
int pf_schedule_every(const pf_plan *p);

/* Is year-month on the plan's schedule? */
int pf_schedule_has(const pf_plan *p, int year, int month);

/* The first month of the plan's schedule at or after year-month (strictly after it with
 * `after`), as year * 12 + month - 1; -1 when there is none (no schedule, or only a start month
 * that is past). */
int pf_schedule_next(const pf_plan *p, int year, int month, int after);

/* The schedule of `p` as seen on `today` (YYYYMMDD as a number): every due month before
 * today's month, then the next one. *out is malloc'd. */
size_t pf_schedule(const pf_bundle *b, const pf_plan *p, long today, pf_due **out);

/* `planform schedule`: every plan's schedule as text or JSON. */
void pf_schedule_print(const pf_bundle *b, long today, int json, FILE *to);

#endif
