# Individual support plans and the comprehensive plan: the consistency rules of `check`, the
# linkage sheet, values mapped back, and draft-isp. Each rule fires on a bundle made to break
# it and stays silent on the samples. Sourced by tests/run.sh.

for xml in samples/a-san.xml samples/child.xml; do
    check "check is silent on $(basename "$xml")" silent "$xml"
done
# the overflow sample has no individual plans: each provider's is awaited (未受領), which is not
# a need nobody covers
check "check on overflow.xml reports individual plans not received" finding samples/overflow.xml isp-not-received
check "check on overflow.xml: no need is 'not reflected'" sh -c "! '$PF' check --json --today 2024-08-01 samples/overflow.xml | grep -q need-not-reflected"

# one bundle per rule, each made from a sample by one change
sed 's/<goal id="aoba-1" need="need-work" priority="1">/<goal id="aoba-1" need="need-nowhere" priority="1">/' samples/a-san.xml > "$TMP/r-need.xml"
check "rule goal-need-missing fires" finding "$TMP/r-need.xml" goal-need-missing
check "rule goal-need-missing: exit 1" exits 1 "$PF" check --today 2024-08-01 "$TMP/r-need.xml"
check "render refuses a goal whose need does not exist, naming the line" expect_error 1 "r-need.xml:$(line_of "$TMP/r-need.xml" 'need="need-nowhere"'):.*need-nowhere" -- "$PF" render "$TMP/r-need.xml" -o "$TMP/r-need.pdf"
check "  … and writes no PDF" test ! -e "$TMP/r-need.pdf"

# need 3's provider (ヘルパーステーションそら) sends an individual plan whose goal serves another
# need: nothing covers need 3 any more
sed '/<individual-support-plan id="isp-sora-2024-04"/,/<\/individual-support-plan>/ s/need="need-leisure"/need="need-home"/' samples/a-san.xml > "$TMP/r-uncovered.xml"
check "rule need-not-reflected fires" finding "$TMP/r-uncovered.xml" need-not-reflected
check "rule need-not-reflected: warnings alone exit 0" "$PF" check --today 2024-08-01 "$TMP/r-uncovered.xml"
check "rule need-not-reflected: --strict exits 1" exits 1 "$PF" check --today 2024-08-01 --strict "$TMP/r-uncovered.xml"
check "rule need-not-reflected names the need by priority and id" grep -q '優先順位3「need-leisure」' "$TMP/f.json"
check "rule need-not-reflected does not quote the need's text (personal data)" not_grep '休日は地域の活動' "$TMP/f.json"
check "check --verbose quotes the need's text" sh -c "'$PF' check --verbose --today 2024-08-01 '$TMP/r-uncovered.xml' | grep -q '休日は地域の活動に参加して楽しみを増やしたい'"

sed 's/<service-type>行動援護<\/service-type>/<service-type>居宅介護<\/service-type>/' samples/a-san.xml > "$TMP/r-type.xml"
check "rule service-type-mismatch fires" finding "$TMP/r-type.xml" service-type-mismatch

sed 's/<created>2024-04-20<\/created>/<created>2024-03-01<\/created>/' samples/a-san.xml > "$TMP/r-early.xml"
check "rule isp-before-plan fires" finding "$TMP/r-early.xml" isp-before-plan
sed 's/<target>2024-10<\/target>/<target>2025-06<\/target>/' samples/a-san.xml > "$TMP/r-late.xml"
check "rule target-after-period fires" finding "$TMP/r-late.xml" target-after-period
sed 's/<consent name="髙橋 𠮷郎" date="2024-04-20"\/>/<consent name="髙橋 𠮷郎" date="2024-04-01"\/>/' samples/a-san.xml > "$TMP/r-consent.xml"
check "rule consent-before-created fires" finding "$TMP/r-consent.xml" consent-before-created
sed '/<delivered date="2024-04-26"\/>/d' samples/a-san.xml > "$TMP/r-deliver.xml"
check "rule isp-not-delivered fires (info)" finding "$TMP/r-deliver.xml" isp-not-delivered
check "rule isp-not-delivered: info alone exits 0 even with --strict" "$PF" check --today 2024-08-01 --strict "$TMP/r-deliver.xml"

sed 's/category="家族支援"/category="地域支援・地域連携"/' samples/child.xml > "$TMP/r-family.xml"
check "rule child-missing-group fires without 家族支援" finding "$TMP/r-family.xml" child-missing-group
check "rule child-missing-group: exit 1" exits 1 "$PF" check --today 2024-08-01 "$TMP/r-family.xml"
sed 's/ domains="健康・生活"//' samples/child.xml > "$TMP/r-domain.xml"
check "rule child-domain-uncovered fires without 健康・生活" finding "$TMP/r-domain.xml" child-domain-uncovered
check "rule child-domain-uncovered names the domain" grep -q '健康・生活' "$TMP/f.json"
check "check --json is one JSON array" sh -c "'$PF' check --today 2024-08-01 --json '$TMP/r-domain.xml' | head -1 | grep -q '^\[' && '$PF' check --today 2024-08-01 --json '$TMP/r-domain.xml' | tail -1 | grep -q '^\]'"

# bad input: nothing rendered
sed 's/<goal id="aoba-1" need="need-work" priority="1">/<goal id="aoba-1" priority="1">/' samples/a-san.xml > "$TMP/b-noneed.xml"
check "a goal with no need reference is refused" expect_error 1 'need' -- "$PF" render "$TMP/b-noneed.xml" -o "$TMP/b.pdf"
sed 's/ domains="健康・生活"/ domains="体力"/' samples/child.xml > "$TMP/b-domain.xml"
check "an unknown 5領域 name is refused" expect_error 1 'domains' -- "$PF" render "$TMP/b-domain.xml" -o "$TMP/b.pdf"
sed 's/plan="plan-2024-04" provider="sora"/plan="plan-1999" provider="sora"/' samples/a-san.xml > "$TMP/b-plan.xml"
check "an individual plan naming a plan not in the bundle is refused with its line" expect_error 1 "b-plan.xml:$(line_of "$TMP/b-plan.xml" 'plan="plan-1999"'):.*plan-1999" -- "$PF" render "$TMP/b-plan.xml" -o "$TMP/b.pdf"
check "  … and nothing is rendered" test ! -e "$TMP/b.pdf"

# forms: each individual plan prints the need each goal serves; mapped values are marked
"$PF" render --form isp samples/a-san.xml -o "$TMP/isp.pdf" && pdftotext -raw "$TMP/isp.pdf" "$TMP/isp.txt"
check "--form isp: three individual plans" pages_are "$TMP/isp.pdf" 3
check "goal row prints its need as 1．日中は… (not 1 日中は, read as 一日中)" has "$TMP/isp.txt" '1．日中は作業所で働き、工賃を得たい。'
check "an empty 意向 is taken from the plan, marked" has "$TMP/isp.txt" '［サービス等利用計画より］グループホームでの生活に慣れてきたので'
check "a filled 意向 wins over the plan's" has "$TMP/isp.txt" 'ホームでの生活に慣れてきた。自分の部屋で好きな音楽を聴く'
# a paper consent (issue 15): its date prints, the 署名 cell stays empty for the pen (a typed
# name there would be a 記名, not a 署名)
check "paper consent: the date prints, the 署名 cell is left for the pen" \
    grep -q '年月日 令和6年4月20日 利用者氏名（署名） サービス管理責任者氏名' "$TMP/isp.txt"
check "delivery date to the 相談支援事業所 prints" grep -q '相談支援事業所への交付日 令和6年4月22日' "$TMP/isp.txt"
# a goal without its own aim shows the need's 支援目標; change the plan, the form follows
sed -e 's/<aim>袋詰め作業の5工程を、手順書を見ながら一人で行う。<\/aim>//' \
    -e 's/<goal>週5日安定して通所し、作業工程を一つ習得する。<\/goal>/<goal>週4日、無理なく通所する。<\/goal>/' samples/a-san.xml > "$TMP/m.xml"
"$PF" render --form isp "$TMP/m.xml" -o "$TMP/m.pdf" && pdftotext -raw "$TMP/m.pdf" "$TMP/m.txt"
check "an empty aim shows the need's 支援目標, marked, and follows a change to the plan" has "$TMP/m.txt" '［サービス等利用計画より］週4日、無理なく通所する。'
"$PF" render --form isp samples/child.xml -o "$TMP/cisp.pdf" && pdftotext -raw "$TMP/cisp.pdf" "$TMP/cisp.txt"
check "child form: 個別支援計画書 with the two statements" sh -c "grep -q '個別支援計画書' '$TMP/cisp.txt' && grep -q '提供する支援内容について、本計画書に基づき説明しました。' '$TMP/cisp.txt' && grep -q '本計画書に基づき支援の説明を受け、内容に同意しました。' '$TMP/cisp.txt'"
check "child form: the 5領域 of each goal" has "$TMP/cisp.txt" '【5領域】運動・感覚、人間関係・社会性'
check "child form: the 5領域 footnote" has "$TMP/cisp.txt" '※5領域：「健康・生活」「運動・感覚」「認知・行動」「言語・コミュニケーション」「人間関係・社会性」'

# the linkage sheet: need 4 covered by informal support, need 5 by a medical institution
# -layout keeps a row's cells on one line: the need and what covers it
"$PF" render --form linkage samples/a-san.xml -o "$TMP/link.pdf" && pdftotext -layout "$TMP/link.pdf" "$TMP/link.txt"
check "--form linkage: one page" pages_are "$TMP/link.pdf" 1
check "linkage: need 4 covered by informal support" grep -q '卒業生と定期的に同窓会で会いたい。.*○家族・特別支援学校の先生の' "$TMP/link.txt"
check "linkage: need 5 covered by a medical institution" grep -q '健康に気をつけて過ごしたい。.*○医療機関' "$TMP/link.txt"
check "linkage: informal and other columns headed" sh -c "grep -q 'インフォーマルサービス' '$TMP/link.txt' && grep -q 'その他（医療・介護保険等）' '$TMP/link.txt'"
check "linkage: a column per provider" sh -c "grep -q 'ワークセンターあおば' '$TMP/link.txt' && grep -q 'ヘルパーステーションそら' '$TMP/link.txt'"
check "linkage: nothing 未反映 on the sample" sh -c "! grep -q '未反映' '$TMP/link.txt'"
"$PF" render --form linkage "$TMP/r-uncovered.xml" -o "$TMP/link2.pdf" && pdftotext -raw "$TMP/link2.pdf" "$TMP/link2.txt"
check "linkage: an uncovered need is marked 未反映" grep -q '未反映' "$TMP/link2.txt"

# home-visit services write a 居宅介護計画 (行動援護計画 …) under a サービス提供責任者: title, role
# labels and the consent sentence follow the service type; other providers keep 個別支援計画
"$PF" render --form isp samples/a-san.xml -o "$TMP/home.pdf" && pdftotext -raw "$TMP/home.pdf" - | tr -d '\f' > "$TMP/home.txt"
check "isp: 行動援護 writes a 行動援護計画" sh -c "grep -qx '行動援護計画' '$TMP/home.txt' && grep -q '上記の行動援護計画について説明を受け' '$TMP/home.txt'"
check "isp: … under a サービス提供責任者" sh -c "grep -q 'サービス種類 行動援護 サービス提供責任者 高木 誠' '$TMP/home.txt' && grep -q 'サービス提供責任者氏名 高木 誠' '$TMP/home.txt'"
check "isp: a facility keeps 個別支援計画 under a サービス管理責任者" sh -c "grep -q 'サービス種類 就労継続支援B型 サービス管理責任者 佐藤 一郎' '$TMP/home.txt' && [ \$(grep -cx '個別支援計画' '$TMP/home.txt') -ge 2 ]"
for pair in '居宅介護（身体介護）:居宅介護計画' '重度訪問介護:重度訪問介護計画' '同行援護:同行援護計画'; do
    sed "s|<service-type>就労継続支援B型</service-type>|<service-type>${pair%%:*}</service-type>|" samples/a-san.xml > "$TMP/home2.xml"
    "$PF" render --form isp,evaluation "$TMP/home2.xml" -o "$TMP/home2.pdf" && pdftotext -raw "$TMP/home2.pdf" - | tr -d '\f' > "$TMP/home2.txt"
    check "isp: ${pair%%:*} writes a ${pair#*:}" sh -c "grep -qx '${pair#*:}' '$TMP/home2.txt' && grep -q '上記の${pair#*:}について' '$TMP/home2.txt'"
    check "evaluation: ${pair#*:} モニタリング（評価） by the サービス提供責任者" sh -c "grep -qx '${pair#*:} モニタリング（評価）' '$TMP/home2.txt' && grep -q 'サービス提供責任者氏名' '$TMP/home2.txt'"
done

# providers without an individual plan: a 障害福祉サービス provider whose plan has not arrived is an
# empty column headed 個別支援計画 未受領 (not 未反映); a 地域生活支援事業 provider (日中一時支援)
# shows the plan's own words; 短期入所 gets its column
sed '/<individual-support-plan id="isp-sora-2024-04"/,/<\/individual-support-plan>/d' samples/a-san.xml > "$TMP/r-pending.xml"
"$PF" render --form linkage "$TMP/r-pending.xml" -o "$TMP/link3.pdf" && pdftotext -raw "$TMP/link3.pdf" "$TMP/link3.txt"
check "linkage: a provider whose plan has not arrived is headed 個別支援計画 未受領" sh -c "tr -d '\n' < '$TMP/link3.txt' | grep -q 'ヘルパーステーションそら.*（行動援護）.*個別支援計画 未受領'"
check "linkage: … and its need is not 未反映" not_grep '未反映' "$TMP/link3.txt"
check "linkage: … nor does its column repeat the plan's service" not_grep '○行動援護' "$TMP/link3.txt"
check "rule isp-not-received fires, naming the provider by its id" sh -c "'$PF' check --today 2024-08-01 '$TMP/r-pending.xml' 2>&1 | grep -q 'isp-not-received.*「sora」'"
check "rule isp-not-received: silent on a provider with its plan" sh -c "! '$PF' check --today 2024-08-01 '$TMP/r-pending.xml' 2>&1 | grep -q '「aoba」'"
check "linkage: every a-san provider column once, no 未受領" sh -c "! grep -q '未受領' '$TMP/link.txt'"
"$PF" render --form linkage samples/child.xml -o "$TMP/link4.pdf" && pdftotext -raw "$TMP/link4.pdf" - | tr -d '\n' > "$TMP/link4.txt"
check "linkage: the 地域生活支援事業 provider has its column" has "$TMP/link4.txt" '日中一時支援さくら（日中一時支援）'
check "linkage: … showing the plan's service" has "$TMP/link4.txt" '○日中一時支援（長期休暇中 9:00〜15:00）'
check "linkage: … and it is not marked 未受領" not_grep '未受領' "$TMP/link4.txt"
check "linkage: the child's sheet names 障害児支援利用計画" has "$TMP/link4.txt" '連携シート（障害児支援利用計画と個別支援計画）'
python3 - samples/a-san.xml "$TMP/r-many.xml" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
extra = "".join(
    f'<service category="障害福祉サービス"><kind>短期入所</kind><content>月{i}日</content>'
    f'<provider id="sp{i}">短期入所つばさ{i}号</provider></service>' for i in range(1, 13))
s = s.replace("<role>朝の身支度を自分で行う。</role>", extra + "<role>朝の身支度を自分で行う。</role>", 1)
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
"$PF" render --form linkage "$TMP/r-many.xml" -o "$TMP/link5.pdf" && pdftotext -raw "$TMP/link5.pdf" - | tr -d '\n ' > "$TMP/link5.txt"
check "linkage: 短期入所 providers get their columns" has "$TMP/link5.txt" '短期入所つばさ1号（短期入所）'
check "linkage: fifteen providers: as many columns as fit at 20 mm (six), the rest under その他, each named" sh -c "grep -q '短期入所つばさ4号（短期入所）個別支援計画未受領' '$TMP/link5.txt' && ! grep -q '短期入所つばさ5号（短期入所）' '$TMP/link5.txt' && grep -q '○短期入所（月12日）〔短期入所つばさ12号・個別支援計画未受領〕' '$TMP/link5.txt' && grep -q '○短期入所（月5日）〔短期入所つばさ5号・個別支援計画未受領〕' '$TMP/link5.txt' && grep -q '〔ヘルパーステーションそら〕' '$TMP/link5.txt'"
check "linkage: a long provider heading grows the header, it is not sent to the 別紙" sh -c "! grep -q '別紙に続く' '$TMP/link5.txt'"
check "bad --form: exit 2" expect_error 2 'form' -- "$PF" render --form nope samples/a-san.xml

# draft-isp: a starting individual plan for a provider, from the plan
"$PF" draft-isp samples/a-san.xml --provider hidamari > "$TMP/draft.xml"
check "draft-isp output is a valid bundle" "$PF" validate "$TMP/draft.xml"
# the sample's own hidamari plan has goals for needs 2 and 5; the draft adds one more of each
check "draft-isp: one goal per need with the provider's service (needs 2 and 5)" sh -c "[ \$(grep -c '<goal need=.need-home.' '$TMP/draft.xml') = 2 ] && [ \$(grep -c '<goal need=.need-health.' '$TMP/draft.xml') = 2 ] && [ \$(grep -c '<goal ' '$TMP/draft.xml') = 6 ]"
check "draft-isp: goals carry the need's 支援目標" grep -q '<aim>生活のリズムを整え、混乱なく過ごせる日を増やす。</aim>' "$TMP/draft.xml"
check "draft-isp: the plan's 意向 filled in" grep -q '<wishes>グループホームでの生活に慣れてきたので' "$TMP/draft.xml"
check "draft-isp: renders" "$PF" render "$TMP/draft.xml" -o "$TMP/draft.pdf"
check "draft-isp: an unknown provider is an error" expect_error 1 'nobody' -- "$PF" draft-isp samples/a-san.xml --provider nobody
check "draft-isp without --provider: exit 2" expect_error 2 'provider' -- "$PF" draft-isp samples/a-san.xml
