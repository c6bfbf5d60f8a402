/* bundle/fields — the input format's fields as data: one row per element or attribute path of
 * templates/plan.xsd, declared once in fields.def (see there for the columns and how to add a
 * field). The reader, freeing, messages' labels and the binder's default keys all walk this
 * table, so a field is declared in one place.
 *
 * Owns: the table (constant; no state) and look-ups in it. */
#ifndef PF_FIELDS_H
#define PF_FIELDS_H

#include <stddef.h>

#include "bundle/model.h"

/* The records fields belong to, and their C structs (for the MEMBER column). */
typedef enum {
    PF_REC_BUNDLE, PF_REC_PERSON, PF_REC_PLAN, PF_REC_NEED, PF_REC_SERVICE, PF_REC_WEEKLY,
    PF_REC_ISP, PF_REC_GOAL, PF_REC_MONITORING, PF_REC_REVIEW, PF_REC_EVALUATION,
    PF_REC_GOAL_REVIEW, PF_N_RECORDS
} pf_record;
#define PF_RT_BUNDLE pf_bundle
#define PF_RT_PERSON pf_person
#define PF_RT_PLAN pf_plan
#define PF_RT_NEED pf_need
#define PF_RT_SERVICE pf_service
#define PF_RT_WEEKLY pf_weekly
#define PF_RT_ISP pf_isp
#define PF_RT_GOAL pf_goal
#define PF_RT_MONITORING pf_monitoring
#define PF_RT_REVIEW pf_review
#define PF_RT_EVALUATION pf_evaluation
#define PF_RT_GOAL_REVIEW pf_goal_review

/* How a row's value is held and printed; NONE: a label only (structure, or read by hand). */
typedef enum { PF_FT_NONE, PF_FT_TEXT, PF_FT_DATE, PF_FT_INT, PF_FT_YEN } pf_field_type;

typedef enum {
#define F(ID, REC, MEMBER, TYPE, PATH, KEY, JA) PF_F_##ID,
#define N(ID, REC, PATH, JA) PF_F_##ID,
#include "bundle/fields.def"
#undef F
#undef N
    PF_N_FIELDS
} pf_field_id;

typedef struct pf_field {
    pf_field_id id;
    pf_record record;
    pf_field_type type;
    size_t offset;          /* of the member in the record's struct (F rows) */
    const char *path;       /* "need/evaluation" */
    const char *key;        /* default binding key, or NULL */
    const char *ja;         /* label in messages */
} pf_field;

extern const pf_field pf_fields[PF_N_FIELDS];

/* The name messages give in English: the path's last step as the input spells it
 * ("evaluation"; "date" for ".../@date"). A pointer into the row's path (static). */
const char *pf_field_name(const pf_field *f);

/* The row of a record itself ("need"). */
const pf_field *pf_record_field(pf_record rec);

/* The row for an element or attribute at `path` ("bundle/service-use-plan/needs/need/evaluation",
 * ".../consent/@date", or just "need"): the row whose path is the longest ending of it, on step
 * boundaries. NULL when no row ends it (an element the format does not have). */
const pf_field *pf_field_at(const char *path);

/* The Japanese label for `path` (as pf_field_at), or its last step when no row matches. */
const char *pf_field_ja(const char *path);

/* The row whose binding key is `key`, or NULL. */
const pf_field *pf_field_by_key(const char *key);

/* A row's value in a record of its type (F rows of that type only). */
#define PF_FIELD_PTR(type, f, obj) ((type *)(void *)((char *)(obj) + (f)->offset))

#endif
