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

/* One service of a need: formal (障害福祉サービス, 地域生活支援事業, 医療, 介護保険 …) or informal
 * (インフォーマルサービス: family, friends, teachers, neighbours). */
typedef struct pf_service {
    int informal;          /* 1 for インフォーマルサービス */
    pf_text category;      /* 障害福祉サービス / 地域生活支援事業 / 医療 / 介護保険 / インフォーマル … */
    pf_text kind;          /* 種類: 就労継続支援B型 */
    pf_text content;       /* 内容: 月〜金 9:30〜15:30 */
    pf_text amount;        /* 量（頻度・時間）: 22日/月 */
    pf_text provider_id;   /* stable id of the provider, for linking individual plans (may be NULL) */
    pf_text provider;      /* 提供事業者名: ワークセンターあおば */
    pf_text contact;       /* 担当者名・電話 */
    int line;
} pf_service;

/* One need (解決すべき課題) of the comprehensive plan, with its stable id. */
typedef struct pf_need {
    pf_text id;            /* stable id, unique in the bundle: individual plans point at it */
    pf_int priority;       /* 優先順位 1, 2, … */
    pf_text issue;         /* 解決すべき課題（本人のニーズ） */
    pf_text goal;          /* 支援目標 */
    pf_date target;        /* 達成時期 (year-month or full date) */
    pf_service *services;
    size_t n_services;
    pf_text role;          /* 課題解決のための本人の役割 */
    pf_date evaluation;    /* 評価時期 */
    pf_text notes;         /* その他留意事項 */
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
    int line;
} pf_span;

/* An entry of the 主な日常生活上の活動 column: from `start` (to `end`, or -1 when open). */
typedef struct pf_activity {
    int start, end;
    pf_text label;
    int line;
} pf_activity;

typedef struct pf_weekly {
    int present;
    pf_span *spans;
    size_t n_spans;
    pf_activity *activities;
    size_t n_activities;
    pf_text other_services;   /* 週単位以外のサービス */
    pf_text whole_life;       /* サービス提供によって実現する生活の全体像 */
    int line;
} pf_weekly;

/* The サービス等利用計画 (or 障害児支援利用計画 for a child). */
typedef struct pf_plan {
    pf_text id;
    int final;                /* 0: 案 (draft), 1: final */
    int child;                /* 1: 障害児支援利用計画 */
    pf_text agency;           /* 相談支援事業者名 */
    pf_text planner;          /* 計画作成担当者 */
    pf_date created;          /* 計画案作成日 / 計画作成日 */
    pf_text monitoring;       /* モニタリング期間, as printed: 3か月ごと */
    pf_date monitoring_start; /* モニタリング開始年月: the first month due */
    int monitoring_every;     /* months between monitorings after the first; 0: not given */
    pf_date start;            /* 計画開始年月 (weekly schedule); defaults to monitoring_start's plan */
    pf_text consent_name;     /* 利用者同意署名欄: a given signature name, or NULL for a pen */
    pf_date consent_date;
    pf_text wishes;           /* 利用者及びその家族の生活に対する意向（希望する生活） */
    pf_text policy;           /* 総合的な援助の方針 */
    pf_text long_goal;        /* 長期目標 */
    pf_text short_goal;       /* 短期目標 */
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

/* One goal of an individual support plan, and the need of the comprehensive plan it serves. */
typedef struct pf_goal {
    pf_text id;            /* optional: a provider's evaluation refers to the goal by it */
    pf_text need_id;       /* the need it serves (a pf_need id) */
    pf_int priority;       /* 優先順位 */
    pf_goal_category category;
    unsigned domains;      /* PF_DOMAIN_* bits (children) */
    pf_text aim;           /* 具体的な到達目標 / 支援目標（具体的な到達目標） */
    pf_text role;          /* 本人の役割 */
    pf_text support;       /* 支援内容（内容・支援の提供上のポイント） */
    pf_text period;        /* 支援期間（頻度・時間・期間） */
    pf_text staff;         /* サービス提供機関（提供者・担当者等） / 担当者・提供機関 */
    pf_text notes;         /* 留意事項 */
    pf_date target;        /* 達成時期 */
    int line;
} pf_goal;

/* A provider's 個別支援計画 (or a child's 個別支援計画書), based on one comprehensive plan. */
typedef struct pf_isp {
    pf_text id;
    pf_text plan_id;       /* the pf_plan it deepens */
    pf_text provider_id;   /* the provider, as in pf_service.provider_id */
    int child;
    pf_text office;        /* 事業所名 */
    pf_text service_type;  /* サービス種類 */
    pf_text manager;       /* サービス管理責任者 / 児童発達支援管理責任者 */
    pf_date created;       /* 作成日 */
    pf_date period_start, period_end; /* 計画期間 */
    pf_text wishes;        /* 利用者及び家族の生活に対する意向; NULL: taken from the plan */
    pf_text policy;        /* 総合的な支援の方針 */
    pf_text long_goal;     /* 長期目標（内容・期間等） */
    pf_text short_goal;    /* 短期目標（内容・期間等） */
    pf_text standard_time; /* 支援の標準的な提供時間等 (children) */
    pf_goal *goals;
    size_t n_goals;
    pf_text consent_name;  /* 利用者（保護者）署名 */
    pf_date consent_date;
    pf_date delivered;     /* 相談支援事業所へ交付した日 */
    int line;
} pf_isp;

/* A 有/無 choice: -1 not given, 0 無, 1 有. */
typedef struct pf_choice {
    int value;
    int line;
} pf_choice;

/* The consultant's monitoring of one need of the plan. */
typedef struct pf_review {
    pf_text need_id;
    pf_text provision;     /* サービス提供状況（事業者からの聞き取り） */
    pf_text satisfaction;  /* 本人の感想・満足度 */
    pf_text achievement;   /* 支援目標の達成度（ニーズの充足度） */
    pf_text issues;        /* 今後の課題・解決方法 */
    pf_choice change_type, change_amount, change_weekly; /* 計画変更の必要性 */
    pf_text notes;         /* その他留意事項 */
    int line;
} pf_review;

/* モニタリング報告書（継続サービス利用支援・継続障害児支援利用援助） of a plan. */
typedef struct pf_monitoring {
    pf_text id;
    pf_text plan_id;
    pf_date date;          /* モニタリング実施日 */
    pf_text overall;       /* 全体の状況 */
    pf_text consent_name;
    pf_date consent_date;
    pf_review *reviews;
    size_t n_reviews;
    int line;
} pf_monitoring;

typedef enum { PF_ACHIEVED_NONE = -1, PF_ACHIEVED, PF_ACHIEVED_PARTLY, PF_NOT_ACHIEVED } pf_achieved;

/* A provider's 評価 of one goal of its individual plan. */
typedef struct pf_goal_review {
    pf_text goal_id;
    pf_text implementation; /* 支援の実施状況 */
    pf_achieved achieved;   /* 達成状況 */
    pf_text cause;          /* 達成されない原因の分析 */
    pf_text next;           /* 今後の対応・支援方針 */
    int line;
} pf_goal_review;

/* A provider's モニタリング（評価） of its individual support plan. */
typedef struct pf_evaluation {
    pf_text id;
    pf_text isp_id;
    pf_date date;           /* 実施日 */
    pf_text overall;        /* 全体の状況 */
    pf_text satisfaction;   /* 本人の感想・満足度 */
    pf_text family;         /* 家族・保護者の意向 */
    pf_goal_review *reviews;
    size_t n_reviews;
    pf_choice change;       /* 計画変更の要否 */
    pf_date next_date;      /* 次回モニタリング予定日 */
    pf_text notes;          /* その他留意事項 */
    pf_text consent_name;
    pf_date consent_date;
    int line;
} pf_evaluation;

typedef struct pf_person {
    pf_text name;             /* 利用者氏名 / 児童氏名, exactly as given */
    pf_text kana;             /* フリガナ */
    pf_text support_category; /* 障害支援区分 as printed: 区分4 / 非該当; NULL for none */
    pf_text recipient_number; /* 障害福祉サービス受給者証番号: 10 digits */
    pf_text community_number; /* 地域相談支援受給者証番号 */
    pf_text day_number;       /* 通所受給者証番号 */
    pf_int copay_limit;       /* 利用者負担上限額, yen */
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

/* Does a service need an individual support plan of its provider? Formal disability-welfare
 * services do; informal help and other systems (医療, 介護保険 …) do not. */
int pf_service_needs_isp(const pf_service *s);

/* Is the need covered: by a goal of an individual plan based on `p`, by informal help, or by a
 * service outside disability welfare? A need that is not is 反映できなかったニーズ. */
int pf_need_covered(const pf_bundle *b, const pf_plan *p, const pf_need *n);

void pf_bundle_free(pf_bundle *b);

#endif
