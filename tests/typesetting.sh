# Typesetting a professional signs without a second look (issue 13): lines break between
# phrases, never inside a word, a name, a date, a number with its counter or a span; フリガナ
# has a band of its own above the name. Read back with pdftotext -bbox-layout
# (tests/tools/bbox.py). Sourced by tests/run.sh.

ts_bbox() { pdftotext -bbox-layout -f "$2" -l "$2" "$1" "$TMP/ts.html" 2>/dev/null; }
# the samples, and the stress bundles of issue 13 (every text 150–300 characters; an adult with
# 短期入所, 日中一時支援 and 移動支援 beside the sample's providers; a child with 児童発達支援 and
# 保育所等訪問支援 covering the five 5領域)
ts_src() { case $1 in stress-*) echo "tests/cases/ok-$1.xml" ;; *) echo "samples/$1.xml" ;; esac; }
for s in stress-adult stress-child; do "$PF" render "$(ts_src $s)" -o "$TMP/ts-$s.pdf"; done

# フリガナ above the name, never touching it: every sample, and a long name with a long reading
for s in a-san child overflow; do
    "$PF" render "samples/$s.xml" -o "$TMP/ts-$s.pdf" && ts_bbox "$TMP/ts-$s.pdf" 1
    kana=$(sed -n 's|.*<kana>\(.*\)</kana>.*|\1|p' "samples/$s.xml" | tr -d ' ')
    name=$(sed -n 's|.*<name>\(.*\)</name>.*|\1|p' "samples/$s.xml" | head -1 | tr -d ' ')
    check "$s: フリガナ ($kana) in its band above the name ($name)" python3 tests/tools/bbox.py above "$TMP/ts.html" 1 "$kana" "$name"
done
sed -e 's|<name>髙橋 𠮷郎</name>|<name>髙橋 𠮷郎左衛門之助</name>|' \
    -e 's|<kana>[^<]*</kana>|<kana>タカハシ キチロウザエモンノスケ</kana>|' samples/a-san.xml > "$TMP/ts-long.xml"
"$PF" render "$TMP/ts-long.xml" -o "$TMP/ts-long.pdf" && ts_bbox "$TMP/ts-long.pdf" 1
check "a long name and reading: still one above the other" python3 tests/tools/bbox.py above "$TMP/ts.html" 1 "タカハシキチロウザエモンノスケ" "髙橋𠮷郎左衛門之助"
check "  (the check can fail: two lines the wrong way round)" fails python3 tests/tools/bbox.py above "$TMP/ts.html" 1 "髙橋𠮷郎左衛門之助" "タカハシキチロウザエモンノスケ"

# Phrase breaking: no line of a sample's pages ends inside one of the words a reader found cut
# (グループホームひだま／り, ワークセンターあ／おば, 月・水・／金, （令／和6年9月）, 18日/／月, …).
for s in a-san child overflow stress-adult stress-child; do
    pages=$(pdfinfo "$TMP/ts-$s.pdf" | awk '/^Pages:/ { print $2 }')
    : > "$TMP/ts-lines.txt"
    for p in $(seq 1 "$pages"); do ts_bbox "$TMP/ts-$s.pdf" "$p" && python3 tests/tools/bbox.py lines "$TMP/ts.html" 1 >> "$TMP/ts-lines.txt"; done
    cp "$TMP/ts-lines.txt" "$TMP/ts-lines-$s.txt"
    check "$s: no line ends inside a word, a name, a date or a count" not_grep '(ひだま|ワークセンターあ|あお|センターみな|月・水・|月・|（令|令和[0-9]+年|[0-9]+日/|ニー|（担当者名・電|優先順|（開始年|（年|児発|[0-9]:[0-9]{2}～)$' "$TMP/ts-lines.txt"
done
printf '%s\n' 'グループホームひだま' > "$TMP/ts-bad.txt"
check "  (the check can fail)" fails not_grep '(ひだま)$' "$TMP/ts-bad.txt"

# The readable floor: no word of any page of any sample is set under 7 pt, フリガナ aside (the
# overflow sample had 49 at 6 pt or less); what does not fit at 7 pt continues on the 別紙.
for s in a-san child overflow stress-adult stress-child; do
    kana=$(sed -n 's|.*<kana>\(.*\)</kana>.*|\1|p' "$(ts_src $s)")
    pages=$(pdfinfo "$TMP/ts-$s.pdf" | awk '/^Pages:/ { print $2 }')
    small=0
    for p in $(seq 1 "$pages"); do
        ts_bbox "$TMP/ts-$s.pdf" "$p"
        # shellcheck disable=SC2086
        python3 tests/tools/bbox.py small "$TMP/ts.html" 1 7 $kana >> "$TMP/ts-small-$s.txt" || small=1
    done
    check "$s: no word under 7 pt but フリガナ" test "$small" = 0
    [ "$small" = 0 ] || head -5 "$TMP/ts-small-$s.txt"
done


# One size down a column: the dates of 達成時期 and 評価時期 (wrap="no") are set at the size
# the longest needs, not each at its own (令和6年10月 at 7 pt beside 令和6年7月 at 8).
pdftotext -bbox-layout -f 1 -l 1 "$TMP/ts-a-san.pdf" "$TMP/ts.html"
check "a-san: each date column of the needs table at one size" python3 tests/tools/bbox.py column "$TMP/ts.html" 1 '令和[0-9]+年[0-9]+月'

# 週間計画表 as the official form (issue 13): titled as its plan (案 while a draft, 障害児支援利用計画
# for a child), with 利用者負担上限額 and both other 受給者証 numbers in its header: the child's
# only number, 通所受給者証番号, was on no 週間計画表.
pdftotext -f 2 -l 2 "$TMP/ts-child.pdf" - | tr -d ' \n' > "$TMP/ts-wk.txt"
check "child: the schedule is titled 障害児支援利用計画案【週間計画表】" grep -q '障害児支援利用計画案【週間計画表】' "$TMP/ts-wk.txt"
check "child: its 通所受給者証番号 on the schedule" grep -q '通所受給者証番号9876543210' "$TMP/ts-wk.txt"
check "child: its 利用者負担上限額 on the schedule" grep -q '利用者負担上限額4,600円' "$TMP/ts-wk.txt"
pdftotext -f 2 -l 2 "$TMP/ts-a-san.pdf" - | tr -d ' \n' > "$TMP/ts-wk.txt"
check "a-san: the schedule is titled サービス等利用計画【週間計画表】" grep -q 'サービス等利用計画【週間計画表】' "$TMP/ts-wk.txt"

# No date is broken: every 令和…年…月 of every sample's pages reads whole on one line, and the
# モニタリング報告書 has the 地域相談支援受給者証番号 / 通所受給者証番号 row (issue 13).
for s in a-san child overflow; do
    check "$s: no era date split over two lines" not_grep '(令和|令和[0-9]+|令和[0-9]+年|令和[0-9]+年[0-9]+)$' "$TMP/ts-lines-$s.txt"
done
pdftotext "$TMP/ts-a-san.pdf" - | tr -d ' \n' > "$TMP/ts-all.txt"
check "a-san: the monitoring report has the 地域相談支援受給者証番号 and 通所受給者証番号 row" grep -q '地域相談支援受給者証番号通所受給者証番号' "$TMP/ts-all.txt"

# A child's evaluation names the child's roles (issue 13): 利用児氏名, 児童発達支援管理責任者,
# 保護者署名, not 利用者氏名, サービス管理責任者, 利用者氏名（署名）.
python3 - "$TMP/ts-child-ev.xml" <<'PY'
import re, sys
a = open("samples/a-san.xml", encoding="utf-8").read()
c = open("samples/child.xml", encoding="utf-8").read()
ev = re.search(r"  <evaluation id=.*?</evaluation>\n", a, re.S).group(0)
ev = ev.replace('isp="isp-aoba-2024-04"', 'isp="isp-niji-2024-07"')
first = re.search(r"<goal-review goal=.*?</goal-review>", ev, re.S).group(0)
ev = re.sub(r"<goal-reviews>.*?</goal-reviews>",
            "<goal-reviews>" + re.sub(r'goal="[^"]*"', 'goal="g1"', first, count=1) + "</goal-reviews>",
            ev, flags=re.S)
c = c.replace('<goal need="c-need-friends" priority="1"', '<goal id="g1" need="c-need-friends" priority="1"', 1)
open(sys.argv[1], "w", encoding="utf-8").write(c.replace("</bundle>", ev + "</bundle>"))
PY
"$PF" render "$TMP/ts-child-ev.xml" --form evaluation -o "$TMP/ts-child-ev.pdf"
pdftotext "$TMP/ts-child-ev.pdf" - | tr -d ' \n' > "$TMP/ts-ev.txt"
check "child evaluation: 利用児氏名" grep -q '利用児氏名' "$TMP/ts-ev.txt"
check "child evaluation: 児童発達支援管理責任者" grep -q '児童発達支援管理責任者' "$TMP/ts-ev.txt"
check "child evaluation: 保護者署名, and no 利用者氏名 or サービス管理責任者 of an adult's" sh -c "grep -q '保護者署名' '$TMP/ts-ev.txt' && ! grep -qE '利用者氏名|[^援]サービス管理責任者' '$TMP/ts-ev.txt'"
pdftotext -f 3 -l 3 "$TMP/ts-child.pdf" - | tr -d ' \n' > "$TMP/ts-cisp.txt"
check "child plan: 支援内容 headed …5領域（※）との関連性等）" grep -q '5領域（※）との関連性等）' "$TMP/ts-cisp.txt"

# Every page carries its number in its form, n/N, the 別紙 counted with the form they continue
# (issue 13): a-san's plan and schedule 1/2 2/2, each individual plan 1/1, …
for p in $(seq 1 8); do pdftotext -f "$p" -l "$p" "$TMP/ts-a-san.pdf" - | grep -xE '[0-9]+/[0-9]+'; done | tr '\n' ' ' > "$TMP/ts-numbers.txt"
check "a-san: pages numbered in their forms: 1/2 2/2 1/1 1/1 1/1 1/1 1/1 1/1" test "$(cat "$TMP/ts-numbers.txt")" = "1/2 2/2 1/1 1/1 1/1 1/1 1/1 1/1 "
pages=$(pdfinfo "$TMP/ts-overflow.pdf" | awk '/^Pages:/ { print $2 }')
for p in $(seq 1 "$pages"); do pdftotext -f "$p" -l "$p" "$TMP/ts-overflow.pdf" - | grep -cxE '[0-9]+/[0-9]+'; done | sort -u > "$TMP/ts-numbered.txt"
check "overflow: every page, 別紙 included, has exactly one number" test "$(cat "$TMP/ts-numbered.txt")" = 1

# The child's 連携シート says 障害児支援利用計画 (issue 13).
check "child: 連携シート（障害児支援利用計画と個別支援計画）" sh -c "pdftotext -f 4 -l 4 '$TMP/ts-child.pdf' - | head -1 | grep -qx '連携シート（障害児支援利用計画と個別支援計画）'"

# Service categories are an enumeration (issue 13): a typo is an error naming the field, not
# silently "other support"; 障害児通所支援 is one of them.
sed '0,/category="障害福祉サービス"/s//category="障害福祉サービズ"/' samples/a-san.xml > "$TMP/ts-cat.xml"
check "a misspelled service category: exit 1 naming category" expect_error 1 'ts-cat.xml:[0-9]+: .*category' -- "$PF" validate "$TMP/ts-cat.xml"
check "  … 障害児通所支援 is a category (the child sample validates)" "$PF" validate samples/child.xml

# A service that is not every week says so in its block (issue 13): 行動援護 on Saturdays,
# 月2回, does not read as every Saturday.
pdftotext -f 2 -l 2 "$TMP/ts-a-san.pdf" - | tr -d ' \n' > "$TMP/ts-wk.txt"
check "a-san: the Saturday 行動援護 block says （月2回）" grep -q '行動援護（地域の活動）（月2回）' "$TMP/ts-wk.txt"

# The evaluation's その他留意事項 is a real box: 262 characters there fit on the page, no 別紙.
python3 - "$TMP/ts-evnotes.xml" <<'PY'
import re, sys
a = open("samples/a-san.xml", encoding="utf-8").read()
i = a.index("<evaluation id=")
j = a.index("</evaluation>", i)
notes = ("通所日数の見直しを相談支援専門員と協議し、体調の記録を家族と共有する。" * 8)[:262]
ev = re.sub(r"<notes>[^<]*</notes>", "<notes>" + notes + "</notes>", a[i:j], count=1)
open(sys.argv[1], "w", encoding="utf-8").write(a[:i] + ev + a[j:])
PY
"$PF" render "$TMP/ts-evnotes.xml" --form evaluation -o "$TMP/ts-evnotes.pdf"
check "262 characters of その他留意事項 on the evaluation: one page, no 別紙" sh -c "[ \$(pdfinfo '$TMP/ts-evnotes.pdf' | awk '/^Pages:/ { print \$2 }') = 1 ] && ! pdftotext '$TMP/ts-evnotes.pdf' - | grep -q '別紙に続く'"

# A 別紙 says which box it continues: its label, then （続き） (issue 13).
pdftotext "$TMP/ts-overflow.pdf" - > "$TMP/ts-ov.txt"
check "overflow: the 別紙 heads each text with its box and （続き）" grep -q '^総合的な援助の方針（続き）$' "$TMP/ts-ov.txt"

# 項目 as one merged cell per group, and the signature block after the last goal row (issue 13):
# the child sample's three 本人支援 goals share one 項目 cell; a child's plan whose goals run to
# a third page prints its signature block there only, 項目 again on each page it spans, and the
# ※5領域 note on every page.
"$PF" render --form isp samples/child.xml -o "$TMP/ts-merge.pdf"
check "child isp: 本人支援 printed once for its three goals" sh -c "[ \$(pdftotext -raw '$TMP/ts-merge.pdf' - | grep -c '本人支援') = 1 ]"
python3 - samples/child.xml "$TMP/ts-long.xml" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
g = re.search(r'      <goal need="c-need-friends" priority="1".*?</goal>\n', s, re.S).group(0)
more = "".join(g.replace('priority="1"', 'priority="%d"' % (10 + i))
               .replace("<support>", "<support>" + "手順を写真で示し、できたことを具体的にほめる。" * 4)
               for i in range(6))
open(sys.argv[2], "w", encoding="utf-8").write(s.replace(g, g + more, 1))
PY
"$PF" render --form isp "$TMP/ts-long.xml" -o "$TMP/ts-long.pdf"
check "long child isp: three pages" pages_are "$TMP/ts-long.pdf" 3
for p in 1 2; do
    check "long child isp: no signature block on page $p of 3" sh -c "! pdftotext -f $p -l $p '$TMP/ts-long.pdf' - | grep -q '本計画書に基づき支援の説明を受け'"
    check "long child isp: 本人支援 once on page $p" sh -c "[ \$(pdftotext -raw -f $p -l $p '$TMP/ts-long.pdf' - | grep -c '本人支援') = 1 ]"
done
check "long child isp: the signature block on the last page" sh -c "pdftotext -f 3 -l 3 '$TMP/ts-long.pdf' - | grep -q '本計画書に基づき支援の説明を受け、内容に同意しました。'"
for p in 1 2 3; do
    check "long child isp: the ※5領域 note on page $p" sh -c "pdftotext -f $p -l $p '$TMP/ts-long.pdf' - | grep -q '※5領域'"
done


# A weekly block too short for a line of its label (10 and 30 minutes) is marked ※n, drawn at
# least as high as the mark, and its label continues on the 別紙 saying where the block stands;
# a 45-minute one holds its label (issue 13). No text of theirs crosses a rule: test_geometry.
"$PF" render --form plan tests/cases/ok-stress-adult.xml -o "$TMP/ts-short.pdf"
pdftotext "$TMP/ts-short.pdf" - | tr -d '\f' > "$TMP/ts-short.txt"
pdftotext -raw "$TMP/ts-short.pdf" - | tr -d '\f' > "$TMP/ts-short-raw.txt"
check "short weekly blocks: marked ※1 and ※2 in the grid" sh -c "grep -qE '(^| )※1( |\$)' '$TMP/ts-short-raw.txt' && grep -qE '(^| )※2( |\$)' '$TMP/ts-short-raw.txt'"
check "short weekly blocks: the 別紙 names each and where it stands" sh -c "grep -A2 -x '週間計画表 ※1（月 16:00～16:30）（続き）' '$TMP/ts-short.txt' | grep -q '通院（精神科デイケアの面談）' && grep -A2 -x '週間計画表 ※2（水 16:00～16:10）（続き）' '$TMP/ts-short.txt' | grep -q '服薬確認'"
check "short weekly blocks: a 45-minute block holds its label" grep -qE '(^| )訪問看護( |$)' "$TMP/ts-short-raw.txt"

# A form uses few sizes (issue 13; the evaluation page had eight, 7.5–11 pt, the plan's nine):
# title, name, header values, text, labels and table text, the 7 pt floor (and フリガナ), and
# what shrinks to fit between them — no page of a sample has more than seven.
for s in a-san child overflow; do
    pages=$(pdfinfo "$TMP/ts-$s.pdf" | awk '/^Pages:/ { print $2 }')
    many=0
    for p in $(seq 1 "$pages"); do
        ts_bbox "$TMP/ts-$s.pdf" "$p"
        python3 tests/tools/bbox.py sizes "$TMP/ts.html" 1 7 >> "$TMP/ts-sizes-$s.txt" || many=1
    done
    check "$s: no page set in more than seven sizes" test "$many" = 0
    [ "$many" = 0 ] || head -5 "$TMP/ts-sizes-$s.txt"
done

# Spans of one day that overlap stand side by side in lanes of 9 mm at least; forty at once do
# not fit: those without a lane are listed on the 別紙 with their day and time, and every label
# comes back (text over text and rules through text: test_geometry on the same bundles).
"$PF" render --form plan tests/cases/ok-crowded-weekly.xml -o "$TMP/ts-crowd.pdf"
check "a crowded weekly grid: all forty labels printed" sh -c "pdftotext -raw '$TMP/ts-crowd.pdf' - | python3 -c \"
import re, sys
found = set(int(m) for m in re.findall(r'重複(\d+)', sys.stdin.read()))
assert found == set(range(40)), sorted(set(range(40)) - found)\""
check "a crowded weekly grid: the spans without a lane are listed with day and time" sh -c "pdftotext '$TMP/ts-crowd.pdf' - | grep -q '^週間計画表（月 10:00～11:00）（続き）'"
