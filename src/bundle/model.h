/* bundle/model — the plan model: what a plan-bundle XML file says, as plain C values.
 *
 * One bundle holds one person and that person's plans. The model owns every string (UTF-8,
 * exactly as in the input: never normalized) and remembers the input line of every value, so
 * that any later stage can say where a problem came from. Nothing here knows about forms.
 *
 * Ownership: pf_bundle_read() returns a bundle that pf_bundle_free() releases whole. */
#ifndef PF_MODEL_H
#define PF_MODEL_H

#include <stddef.h>

/* A text value with the input line it came from. `s` is NULL when the element is absent. */
typedef struct pf_text {
    char *s;
    int line;
} pf_text;

/* A date: year-month-day, or year-month when day == 0. year == 0 means absent. */
typedef struct pf_date {
    int year, month, day;
    int line;
} pf_date;

/* A whole number; `present` says whether the input had it. */
typedef struct pf_int {
    long value;
    int present;
    int line;
} pf_int;

/* The value members of each record struct come from the field table (bundle/fields.def,
 * where each is declared once with its element path, label and binding key): a struct says
 * `#define PF_RECORD <RECORD>` and includes bundle/members.inc. Below, the comments of the
 * structs name the members the table gives them; what is not a plain value of the input
 * (flags read by hand, lists, the line) is declared here. PF_MEMBER(REC, WANT, TYPE, M) declares
 * M when REC is WANT: PF_IS_<R>_<R> is defined for each record, so the probe finds it. */
#define PF_CT_TEXT pf_text
#define PF_CT_DATE pf_date
#define PF_CT_INT pf_int
#define PF_CT_YEN pf_int
#define PF_SECOND_(a, b, ...) b
#define PF_SECOND(...) PF_SECOND_(__VA_ARGS__, 0, 0)
#define PF_PROBE ~, 1
#define PF_IS_PERSON_PERSON PF_PROBE
#define PF_IS_PLAN_PLAN PF_PROBE
#define PF_IS_NEED_NEED PF_PROBE
#define PF_IS_SERVICE_SERVICE PF_PROBE
#define PF_IS_WEEKLY_WEEKLY PF_PROBE
#define PF_IS_ISP_ISP PF_PROBE
#define PF_IS_GOAL_GOAL PF_PROBE
#define PF_IS_MONITORING_MONITORING PF_PROBE
#define PF_IS_REVIEW_REVIEW PF_PROBE
#define PF_IS_EVALUATION_EVALUATION PF_PROBE
#define PF_IS_GOAL_REVIEW_GOAL_REVIEW PF_PROBE
#define PF_IF_0(decl)
#define PF_IF_1(decl) decl
#define PF_IF_(bit, decl) PF_IF_##bit(decl)
#define PF_IF(bit, decl) PF_IF_(bit, decl)
#define PF_MEMBER_(REC, WANT, TYPE, M) PF_IF(PF_SECOND(PF_IS_##REC##_##WANT), PF_CT_##TYPE M;)
#define PF_MEMBER(REC, WANT, TYPE, M) PF_MEMBER_(REC, WANT, TYPE, M)

/* How consent to a form was given (its <consent how="…">). */
typedef enum {
    PF_CONSENT_SIGNATURE,   /* signed on paper (the default): the box stays empty for the pen */
    PF_CONSENT_ELECTRONIC,  /* 電子同意, with the person's prior agreement: on `date` */
    PF_CONSENT_STANDING     /* a 包括同意書 covers the form: `date` is that 同意書's */
} pf_consent_how;

/* What of a <consent> the field table cannot hold: whether the element is there, and how.
 * Its values (name, date, proxy, relationship) are the record's consent_* members. */
typedef struct pf_consent_mode {
    int present;
    pf_consent_how how;
    int line;
} pf_consent_mode;

/* A record's consent, gathered (pf_*_consent in query.c): what binders and check read. */
typedef struct pf_consent {
    const pf_consent_mode *mode;
    const pf_text *name, *proxy, *relationship;   /* the signer; the proxy (代理人) and 続柄 */
    const pf_date *date;
    /* the fields, for messages and the origins of printed text (fields.def ids) */
    int name_f, date_f, proxy_f, relationship_f;
} pf_consent;

/* One service of a need: formal (障害福祉サービス, 地域生活支援事業, 医療, 介護保険 …) or informal
 * (インフォーマルサービス: family, friends, teachers, neighbours). */
typedef struct pf_service {
    /* fields.def gives category, kind, content, amount, provider, provider_id, contact */
#define PF_RECORD SERVICE
#include "bundle/members.inc"
    int informal;          /* 1 for インフォーマルサービス */
    int line;
} pf_service;

/* One need (解決すべき課題) of the comprehensive plan, with its stable id. */
typedef struct pf_need {
#define PF_RECORD NEED  /* id, priority, issue, goal, target, role, evaluation, notes: fields.def */
#include "bundle/members.inc"
    pf_service *services;
    size_t n_services;
    int line;
} pf_need;

/* Days of the weekly schedule, as bits. PF_DAY_SUN covers 日・祝. */
enum {
    PF_DAY_MON = 1 << 0, PF_DAY_TUE = 1 << 1, PF_DAY_WED = 1 << 2, PF_DAY_THU = 1 << 3,
    PF_DAY_FRI = 1 << 4, PF_DAY_SAT = 1 << 5, PF_DAY_SUN = 1 << 6
};

/* A block of the weekly grid: a service or activity on some days over a time span.
 * Times are minutes after midnight. The grid's day runs 6:00 to 6:00, so a span may wrap past
 * midnight (22:00–6:00); end == start is invalid. */
typedef struct pf_span {
    unsigned days;         /* PF_DAY_* bits */
    int start, end;        /* minutes after midnight, 0..1440 */
    pf_text label;         /* 就労継続支援B型 */
    pf_text frequency;     /* 月2回, 第2・4土曜: a service that is not every week (or empty) */
    int line;
} pf_span;

/* An entry of the 主な日常生活上の活動 column: from `start` (to `end`, or -1 when open). */
typedef struct pf_activity {
    int start, end;
    pf_text label;
    int line;
} pf_activity;

typedef struct pf_weekly {
#define PF_RECORD WEEKLY  /* other_services, whole_life: fields.def */
#include "bundle/members.inc"
    int present;
    pf_span *spans;
    size_t n_spans;
    pf_activity *activities;
    size_t n_activities;
    int line;
} pf_weekly;

/* The サービス等利用計画 (or 障害児支援利用計画 for a child). */
typedef struct pf_plan {
    /* fields.def gives id, agency, planner, created, monitoring, monitoring_start, start,
     * consent_name, consent_date, consent_proxy, consent_relationship, wishes, policy,
     * long_goal, short_goal */
#define PF_RECORD PLAN
#include "bundle/members.inc"
    pf_consent_mode consent;
    int final;                /* 0: 案 (draft), 1: final */
    int child;                /* 1: 障害児支援利用計画 */
    int monitoring_every;     /* months between monitorings after the first; 0: not given */
    pf_need *needs;           /* sorted by priority by the reader */
    size_t n_needs;
    pf_weekly weekly;
    int line;
} pf_plan;

/* The five domains (5領域) of children's support, as bits. */
enum {
    PF_DOMAIN_HEALTH = 1 << 0,    /* 健康・生活 */
    PF_DOMAIN_MOTOR = 1 << 1,     /* 運動・感覚 */
    PF_DOMAIN_COGNITION = 1 << 2, /* 認知・行動 */
    PF_DOMAIN_LANGUAGE = 1 << 3,  /* 言語・コミュニケーション */
    PF_DOMAIN_SOCIAL = 1 << 4,    /* 人間関係・社会性 */
    PF_DOMAIN_ALL = (1 << 5) - 1
};
#define PF_N_DOMAINS 5
/* Their names, in bit order (vocabulary.c). */
extern const char *const pf_domain_names[PF_N_DOMAINS];

/* Row groups of a child's individual support plan (2024 layout). */
typedef enum {
    PF_GOAL_PERSON,     /* 本人支援 */
    PF_GOAL_FAMILY,     /* 家族支援 */
    PF_GOAL_TRANSITION, /* 移行支援 */
    PF_GOAL_COMMUNITY   /* 地域支援・地域連携 */
} pf_goal_category;
#define PF_N_GOAL_CATEGORIES 4
/* Their names, in enum order (vocabulary.c). */
extern const char *const pf_goal_category_names[PF_N_GOAL_CATEGORIES];
/* The home-visit services (居宅介護, 重度訪問介護, 同行援護, 行動援護) and the word each is selected
 * by in templates (vocabulary.c). */
typedef struct pf_home_service {
    const char *name, *flag;
} pf_home_service;
#define PF_N_HOME_SERVICES 4
extern const pf_home_service pf_home_services[PF_N_HOME_SERVICES];

/* Service categories (service/@category) of disability welfare whose provider gets its own
 * column on the 連携シート. The first PF_N_ISP_CATEGORIES of them oblige the provider to write
 * an individual support plan; 地域生活支援事業 (日中一時支援, 移動支援) may write one, and without
 * it the column shows what the comprehensive plan asks of the provider (vocabulary.c). */
#define PF_N_WELFARE_CATEGORIES 4
#define PF_N_ISP_CATEGORIES 3
extern const char *const pf_welfare_categories[PF_N_WELFARE_CATEGORIES];

/* One goal of an individual support plan, and the need of the comprehensive plan it serves. */
typedef struct pf_goal {
    /* fields.def gives id, need_id, priority, aim, role, support, period, staff, notes, target */
#define PF_RECORD GOAL
#include "bundle/members.inc"
    pf_goal_category category;
    unsigned domains;      /* PF_DOMAIN_* bits (children) */
    int line;
} pf_goal;

/* A provider's 個別支援計画 (or a child's 個別支援計画書), based on one comprehensive plan. */
typedef struct pf_isp {
    /* fields.def gives id, plan_id, provider_id, office, service_type, manager, created,
     * period_start, period_end, wishes, policy, long_goal, short_goal, standard_time,
     * consent_name, consent_date, consent_proxy, consent_relationship, delivered */
#define PF_RECORD ISP
#include "bundle/members.inc"
    pf_consent_mode consent;
    int child;
    pf_goal *goals;
    size_t n_goals;
    int line;
} pf_isp;

/* A 有/無 choice: -1 not given, 0 無, 1 有. */
typedef struct pf_choice {
    int value;
    int line;
} pf_choice;

/* The consultant's monitoring of one need of the plan. */
typedef struct pf_review {
    /* fields.def gives need_id, provision, satisfaction, achievement, issues, notes */
#define PF_RECORD REVIEW
#include "bundle/members.inc"
    pf_choice change_type, change_amount, change_weekly; /* 計画変更の必要性 */
    int line;
} pf_review;

/* モニタリング報告書（継続サービス利用支援・継続障害児支援利用援助） of a plan. */
typedef struct pf_monitoring {
    /* fields.def gives id, plan_id, date, overall, consent_name, consent_date, consent_proxy,
     * consent_relationship */
#define PF_RECORD MONITORING
#include "bundle/members.inc"
    pf_consent_mode consent;
    pf_review *reviews;
    size_t n_reviews;
    int line;
} pf_monitoring;

typedef enum { PF_ACHIEVED_NONE = -1, PF_ACHIEVED, PF_ACHIEVED_PARTLY, PF_NOT_ACHIEVED } pf_achieved;

/* A provider's 評価 of one goal of its individual plan. */
typedef struct pf_goal_review {
#define PF_RECORD GOAL_REVIEW  /* goal_id, implementation, cause, next: fields.def */
#include "bundle/members.inc"
    pf_achieved achieved;   /* 達成状況 */
    int line;
} pf_goal_review;

/* A provider's モニタリング（評価） of its individual support plan. */
typedef struct pf_evaluation {
    /* fields.def gives id, isp_id, date, overall, satisfaction, family, next_date, notes,
     * consent_name, consent_date, consent_proxy, consent_relationship */
#define PF_RECORD EVALUATION
#include "bundle/members.inc"
    pf_consent_mode consent;
    pf_goal_review *reviews;
    size_t n_reviews;
    pf_choice change;       /* 計画変更の要否 */
    int line;
} pf_evaluation;

typedef struct pf_person {
    /* fields.def gives name, kana, support_category, recipient_number, community_number,
     * day_number, copay_limit */
#define PF_RECORD PERSON
#include "bundle/members.inc"
    int line;
} pf_person;

typedef struct pf_bundle {
    char *file;               /* the input's name, for messages ("-" for standard input) */
    pf_person person;
    pf_plan *plans;
    size_t n_plans;
    pf_isp *isps;
    size_t n_isps;
    pf_monitoring *monitorings;
    size_t n_monitorings;
    pf_evaluation *evaluations;
    size_t n_evaluations;
} pf_bundle;

/* Look-ups across the bundle (NULL when absent). */
const pf_plan *pf_bundle_plan(const pf_bundle *b, const char *id);
const pf_need *pf_plan_need(const pf_plan *p, const char *id);
const pf_isp *pf_bundle_isp(const pf_bundle *b, const char *id);
const pf_goal *pf_isp_goal(const pf_isp *isp, const char *id);

/* Each record's consent, gathered. */
pf_consent pf_plan_consent(const pf_plan *p);
pf_consent pf_isp_consent(const pf_isp *p);
pf_consent pf_monitoring_consent(const pf_monitoring *m);
pf_consent pf_evaluation_consent(const pf_evaluation *e);
/* Does the consent record that it was given: a date (signed on paper that day, given
 * electronically, or the standing 同意書's)? */
int pf_consent_recorded(const pf_consent *c);

/* The home-visit service an individual plan is for (its service type begins with the name:
 * 居宅介護（家事援助）), NULL for any other (a facility's or a day service's plan). */
const pf_home_service *pf_isp_home_service(const pf_isp *isp);

/* Is a service one of disability welfare whose provider has a column on the 連携シート (a
 * welfare category and a provider named)? Informal help and other systems (医療, 介護保険 …)
 * are not. */
int pf_service_has_provider_column(const pf_service *s);

/* Does a service oblige its provider to write an individual support plan (障害福祉サービス,
 * 障害児通所支援, 障害児入所支援)? */
int pf_service_needs_isp(const pf_service *s);

/* A provider of the plan, as the 連携シート shows it: one per provider of a welfare service of
 * the plan (in the order the needs first name them), then one per individual support plan
 * based on the plan whose provider no service names. */
typedef struct pf_provider {
    const pf_isp *isp;         /* its individual support plan for the plan; NULL: none arrived */
    const pf_service *service; /* its first service in the plan; NULL for such an extra plan */
} pf_provider;

/* The plan's providers, a new array of *n (free() it; NULL when *n is 0). */
pf_provider *pf_plan_providers(const pf_bundle *b, const pf_plan *p, size_t *n);

/* Is `s` a service of provider `pv`? */
int pf_provider_gives(const pf_provider *pv, const pf_service *s);

/* Is the provider's individual support plan awaited: it must write one (pf_service_needs_isp)
 * and none based on the plan is in the bundle (個別支援計画 未受領)? */
int pf_provider_pending(const pf_provider *pv);

/* Is the need covered: by a goal of an individual plan based on `p`, by informal help, by a
 * service outside disability welfare, by a 地域生活支援事業 provider without an individual plan
 * (the plan's own words are its part), or by a provider whose individual plan has not arrived
 * yet (未受領: marked on its column, and not a need nobody covers)? A need that is none of these
 * is 反映できなかったニーズ. */
int pf_need_covered(const pf_bundle *b, const pf_plan *p, const pf_need *n);

void pf_bundle_free(pf_bundle *b);

#endif
