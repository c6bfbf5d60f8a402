# Monitoring: the consultant's モニタリング報告書 and the provider's 評価, carried over from the
# plans they monitor; the monitoring rules of `check`; `planform schedule`. Sourced by
# tests/run.sh after tests/isp.sh (it uses its helpers: has, exits, finding).

"$PF" render --form monitoring samples/a-san.xml -o "$TMP/mon.pdf" && pdftotext -raw "$TMP/mon.pdf" "$TMP/mon.txt"
check "--form monitoring: one page for Aさん's 3-month record" pages_are "$TMP/mon.pdf" 1
check "monitoring: title" has "$TMP/mon.txt" 'モニタリング報告書（継続サービス利用支援・継続障害児支援利用援助）'
check "monitoring: 総合的な援助の方針 carried over exactly" has "$TMP/mon.txt" '特定のこだわり行動による混乱が生じないよう、関係事業所間で対応を統一し、本人が安心して暮らせる環境を整える。日中活動と余暇活動の両方を充実させ、本人の役割と成功体験を積み重ねる。'
check "monitoring: each need's 支援目標 carried over" has "$TMP/mon.txt" '月2回以上、地域の活動に参加する。'
check "monitoring: 達成時期 carried over as an era month" has "$TMP/mon.txt" '令和6年9月'
check "monitoring: 実施日" has "$TMP/mon.txt" 'モニタリング実施日 令和6年7月10日'
check "monitoring: 有 and 無 both printed for each choice" sh -c "[ \$(grep -o '有' '$TMP/mon.txt' | wc -l) -ge 15 ] && [ \$(grep -o '無' '$TMP/mon.txt' | wc -l) -ge 15 ]"
# a changed 支援目標 in the plan shows in the report without touching the record
sed 's/<goal>月2回以上、地域の活動に参加する。<\/goal>/<goal>月3回、地域の活動に参加する。<\/goal>/' samples/a-san.xml > "$TMP/m-goal.xml"
"$PF" render --form monitoring "$TMP/m-goal.xml" -o "$TMP/m-goal.pdf" && pdftotext -raw "$TMP/m-goal.pdf" "$TMP/m-goal.txt"
check "  … the new goal" has "$TMP/m-goal.txt" '月3回、地域の活動に参加する。'
check "  … not the old one" sh -c "! tr -d '\n' < '$TMP/m-goal.txt' | grep -q '月2回以上、地域の活動に参加する。'"

"$PF" render --form evaluation samples/a-san.xml -o "$TMP/ev.pdf" && pdftotext -raw "$TMP/ev.pdf" "$TMP/ev.txt"
check "--form evaluation: one page" pages_are "$TMP/ev.pdf" 1
check "evaluation: the goal carried over from the individual plan" has "$TMP/ev.txt" '袋詰め作業の5工程を、手順書を見ながら一人で行う。'
check "evaluation: 達成状況 options printed" has "$TMP/ev.txt" '達成 一部達成 未達成'
check "evaluation: 次回モニタリング予定日" has "$TMP/ev.txt" '令和6年10月4日'
# the circle is drawn: the page has an ellipse (Bézier curves) in its content
check "evaluation: the chosen option is circled (curves in the page)" sh -c "qpdf --qdf --object-streams=disable '$TMP/ev.pdf' - | LC_ALL=C grep -a -c ' c\$' | grep -qv '^0\$'"

# the monitoring rules, each on a bundle made to break it
sed 's/<review need="need-work">/<review need="need-elsewhere">/' samples/a-san.xml > "$TMP/k-need.xml"
check "rule review-need-missing fires" finding "$TMP/k-need.xml" review-need-missing
check "rule review-need-missing: render refuses with the line" expect_error 1 "k-need.xml:$(line_of "$TMP/k-need.xml" 'need="need-elsewhere"'):" -- "$PF" render "$TMP/k-need.xml" -o "$TMP/k.pdf"
sed '/<review need="need-health">/,/<\/review>/d' samples/a-san.xml > "$TMP/k-left.xml"
check "rule need-not-monitored fires" finding "$TMP/k-left.xml" need-not-monitored
sed 's|<date>2024-07-10</date>|<date>2024-08-10</date>|' samples/a-san.xml > "$TMP/k-off.xml"
check "rule monitoring-off-schedule fires" finding "$TMP/k-off.xml" monitoring-off-schedule
check "rule monitoring-missed fires for a month passed without a record" sh -c "'$PF' check --today 2025-02-01 --json samples/a-san.xml | grep -q '\"rule\": \"monitoring-missed\".*2024-10'"
check "  … and not before the month has come" silent samples/a-san.xml
sed '/<issues>通所を週4日/d' samples/a-san.xml > "$TMP/k-issues.xml"
check "rule change-without-issues fires" finding "$TMP/k-issues.xml" change-without-issues
sed 's/<goal-review goal="aoba-1">/<goal-review goal="aoba-9">/' samples/a-san.xml > "$TMP/k-goal.xml"
check "rule review-goal-missing fires" finding "$TMP/k-goal.xml" review-goal-missing

# bad input: nothing rendered
sed 's/<monitoring-report id="mon-2024-07" plan="plan-2024-04">/<monitoring-report id="mon-2024-07" plan="plan-nope">/' samples/a-san.xml > "$TMP/x-plan.xml"
check "a record naming a plan not in the bundle is refused with its line" expect_error 1 "x-plan.xml:$(line_of "$TMP/x-plan.xml" 'plan="plan-nope"'):.*plan-nope" -- "$PF" render "$TMP/x-plan.xml" -o "$TMP/mon-bad.pdf"
sed 's/<change type="無" amount="有" weekly="有"\/>/<change type="多" amount="有" weekly="有"\/>/' samples/a-san.xml > "$TMP/x-yn.xml"
check "a 有/無 value that is neither is refused" expect_error 1 '決められた値' -- "$PF" render "$TMP/x-yn.xml" -o "$TMP/mon-bad.pdf"
sed 's|<date>2024-07-10</date>|<date>2024-02-30</date>|' samples/a-san.xml > "$TMP/x-date.xml"
xdate=$(line_of "$TMP/x-date.xml" '<date>2024-02-30</date>')
check "a monitoring date that does not exist is refused" expect_error 1 "x-date.xml:$xdate:.*存在しない日付" -- "$PF" render "$TMP/x-date.xml" -o "$TMP/mon-bad.pdf"
check "the refused date is not quoted in the message (personal data)" not_grep '2024-02-30' "$TMP/err.txt"
check "--verbose quotes the refused date" expect_error 1 "x-date.xml:$xdate:.*2024-02-30" -- "$PF" render --verbose "$TMP/x-date.xml" -o "$TMP/mon-bad.pdf"
check "  … and nothing is rendered" test ! -e "$TMP/mon-bad.pdf"

# planform schedule: the consultant's planning view
check "schedule: 2024-07 done, 2024-10 next (3か月ごと)" sh -c "'$PF' schedule --today 2024-08-01 samples/a-san.xml | grep -q '2024-07  済 / done  2024-07-10 mon-2024-07' && '$PF' schedule --today 2024-08-01 samples/a-san.xml | grep -q '2024-10  次回 / next'"
check "schedule --json" sh -c "'$PF' schedule --json --today 2025-02-01 samples/a-san.xml | grep -q '{\"month\": \"2024-10\", \"status\": \"missed\"}, {\"month\": \"2025-01\", \"status\": \"missed\"}, {\"month\": \"2025-04\", \"status\": \"next\"}'"
check "schedule: 初回3か月後、その後6か月ごと (start 2024-09, then every 6)" sh -c "'$PF' schedule --today 2025-01-01 samples/child.xml | grep -q '2024-09  未実施' && '$PF' schedule --today 2025-01-01 samples/child.xml | grep -q '2025-03  次回'"
check "bad --today: exit 2" exits 2 "$PF" schedule --today tomorrow samples/a-san.xml
