/* vocabulary — the words of the domain that the input, the checks and the forms share: the
 * five domains (5領域) of children's support, the row groups of a child's individual support
 * plan, and the categories of disability-welfare service whose provider has its column on the
 * 連携シート. They are written once, here; plan.xsd holds the same words as its enumerations
 * (the schema is what the input is checked against, this is what the C code prints and
 * matches). See model.h. */
#include "bundle/model.h"

const char *const pf_domain_names[PF_N_DOMAINS] = {
    "健康・生活", "運動・感覚", "認知・行動", "言語・コミュニケーション", "人間関係・社会性"};

const char *const pf_goal_category_names[PF_N_GOAL_CATEGORIES] = {
    "本人支援", "家族支援", "移行支援", "地域支援・地域連携"};

/* Home-visit services: their provider writes a 居宅介護計画 (行動援護計画 …) under a サービス提供責任者,
 * not an 個別支援計画 under a サービス管理責任者. `flag` is the word templates select them by. */
const pf_home_service pf_home_services[PF_N_HOME_SERVICES] = {
    {"居宅介護", "kyotaku"}, {"重度訪問介護", "judo"}, {"同行援護", "doko"}, {"行動援護", "kodo"}};

const char *const pf_welfare_categories[PF_N_WELFARE_CATEGORIES] = {
    "障害福祉サービス", "障害児通所支援", "障害児入所支援", "地域生活支援事業"};
