/* vocabulary — the words of the domain that the input, the checks and the forms share: the
 * five domains (5領域) of children's support, the row groups of a child's individual support
 * plan, and the categories of service whose provider writes an individual support plan. They are written once, here; plan.xsd holds the same words as its enumerations
 * (the schema is what the input is checked against, this is what the C code prints and
 * matches). See model.h. */
#include "bundle/model.h"

const char *const pf_domain_names[PF_N_DOMAINS] = {
    "健康・生活", "運動・感覚", "認知・行動", "言語・コミュニケーション", "人間関係・社会性"};

const char *const pf_goal_category_names[PF_N_GOAL_CATEGORIES] = {
    "本人支援", "家族支援", "移行支援", "地域支援・地域連携"};

const char *const pf_welfare_categories[PF_N_WELFARE_CATEGORIES] = {
    "障害福祉サービス", "障害児通所支援", "地域生活支援事業"};
