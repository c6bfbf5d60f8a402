/* bundle/fields — the Japanese form label of every field of the input format, for messages. */
#include <string.h>

#include "bundle/bundle.h"

static const struct {
    const char *xml, *ja;
} fields[] = {
    {"bundle", "計画データ"},
    {"person", "利用者"},
    {"name", "利用者氏名"},
    {"kana", "フリガナ"},
    {"support-category", "障害支援区分"},
    {"recipient-number", "障害福祉サービス受給者証番号"},
    {"community-number", "地域相談支援受給者証番号"},
    {"day-number", "通所受給者証番号"},
    {"copay-limit", "利用者負担上限額"},
    {"service-use-plan", "サービス等利用計画"},
    {"status", "計画の区分（案／本計画）"},
    {"kind", "種類"},
    {"agency", "相談支援事業者名"},
    {"planner", "計画作成担当者"},
    {"created", "計画作成日"},
    {"monitoring", "モニタリング期間（開始年月）"},
    {"start", "開始"},
    {"consent", "利用者同意署名欄"},
    {"wishes", "利用者及びその家族の生活に対する意向"},
    {"policy", "総合的な援助の方針"},
    {"long-term-goal", "長期目標"},
    {"short-term-goal", "短期目標"},
    {"needs", "解決すべき課題の一覧"},
    {"need", "解決すべき課題"},
    {"id", "識別子"},
    {"priority", "優先順位"},
    {"issue", "解決すべき課題（本人のニーズ）"},
    {"goal", "支援目標"},
    {"target", "達成時期"},
    {"service", "福祉サービス等"},
    {"category", "サービスの区分"},
    {"informal", "インフォーマルサービスの別"},
    {"content", "サービスの内容"},
    {"amount", "サービスの量（頻度・時間）"},
    {"provider", "提供事業者名"},
    {"contact", "担当者名・電話"},
    {"role", "課題解決のための本人の役割"},
    {"evaluation", "評価時期"},
    {"notes", "その他留意事項"},
    {"weekly", "週間計画表"},
    {"span", "週間計画表の予定"},
    {"days", "曜日"},
    {"end", "終了"},
    {"activity", "主な日常生活上の活動"},
    {"other-services", "週単位以外のサービス"},
    {"whole-life", "サービス提供によって実現する生活の全体像"},
    {"version", "形式の版"},
    {"date", "日付"},
    {"individual-support-plan", "個別支援計画"},
    {"plan", "もとのサービス等利用計画"},
    {"office", "事業所名"},
    {"service-type", "サービス種類"},
    {"manager", "サービス管理責任者"},
    {"period", "計画期間"},
    {"standard-time", "支援の標準的な提供時間等"},
    {"goals", "支援目標の一覧"},
    {"aim", "具体的な到達目標"},
    {"support", "支援内容"},
    {"staff", "サービス提供機関（担当者）"},
    {"domains", "5領域"},
    {"delivered", "相談支援事業所への交付日"},
};

const char *pf_field_ja(const char *xml_name)
{
    if (!xml_name)
        return "";
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(fields[i].xml, xml_name) == 0)
            return fields[i].ja;
    return xml_name;
}
