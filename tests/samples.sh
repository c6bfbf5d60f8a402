# Every sample renders to a PDF that is valid, embeds subset fonts with ToUnicode, gives back
# every input text, has the pages its data implies, and keeps kinsoku. Sourced by tests/run.sh.
MARK='（別紙に続く）'

for xml in samples/*.xml; do
    name=$(basename "$xml" .xml)
    pdf="$TMP/$name.pdf"
    check "$name: renders" "$PF" render "$xml" -o "$pdf"
    [ -f "$pdf" ] || continue
    check "$name: qpdf --check" qpdf --check "$pdf"
    check "$name: fonts embedded, subset, with ToUnicode" fonts_ok "$pdf"
    pdftotext -raw "$pdf" "$TMP/$name.txt"
    check "$name: every input text comes back from pdftotext" "$ROUNDTRIP" "$xml" "$TMP/$name.txt" "$MARK"
    want=$(pages_expected "$xml")
    if [ -n "$want" ]; then check "$name: $want pages" pages_are "$pdf" "$want"; else bad "$name: no page count in tests/samples.expect"; fi
    check "$name: kinsoku in every line" kinsoku_ok "$pdf"
done

# Aさん, as samples/a-san.xml gives him.
a="$TMP/a-san.pdf"
pdftotext "$a" "$TMP/a.txt" 2>/dev/null
check "a-san: name with 髙 and 𠮷 (U+20BB7) exact" grep -q '髙橋 𠮷郎' "$TMP/a.txt"
check "a-san: final title サービス等利用計画" grep -q '^サービス等利用計画$' "$TMP/a.txt"
check "a-san: era date 令和6年4月10日" grep -q '令和6年4月10日' "$TMP/a.txt"
check "a-san: monitoring 3か月ごと（令和6年7月）" grep -q '3か月ごと（令和6年7月）' "$TMP/a.txt"
check "a-san: copay 9,300円" grep -q '9,300円' "$TMP/a.txt"
check "a-san: weekly page title" grep -q '週間計画表' "$TMP/a.txt"
# Spacing the layout adds (和欧間 around 5, 均等割り in labels) must not come back as spaces.
check "a-san: 和欧間 copies out without spaces (週5日)" grep -q '就労継続支援B型事業所に週5日通所し' "$TMP/a.txt"
check "a-san: 均等割り label copies out without spaces" grep -q '^利用者負担上限額' "$TMP/a.txt"
check "a-san: 日・祝 column" grep -q '日・祝' "$TMP/a.txt"
check "a-san: two renders give the same bytes" sh -c "'$PF' render samples/a-san.xml -o '$TMP/again.pdf' && cmp '$TMP/again.pdf' '$a'"
check "a-san: page 1 rasterizes" pdftoppm -png -r 40 -f 1 -l 1 "$a" "$TMP/a-page"

# The overflow sample: a continuation sheet (別紙) follows the form and is marked.
if [ -f samples/overflow.xml ]; then
    pdftotext -raw "$TMP/overflow.pdf" "$TMP/o.txt" 2>/dev/null
    check "overflow: box ends with （別紙に続く）" grep -q '（別紙に続く）' "$TMP/o.txt"
    check "overflow: continuation sheet headed 別紙（サービス等利用計画） with the person" grep -q '別紙（サービス等利用計画） 利用者氏名 髙﨑 隆之介' "$TMP/o.txt"
    check "overflow: continuation names the box it continues" grep -q '^その他留意事項（優先順位 1）' "$TMP/o.txt"
    check "overflow: needs table header repeated on its second page" sh -c "[ \$(grep -c '^優先' '$TMP/o.txt') -ge 2 ]"
    check "overflow: 平成31年4月30日 before the era change" grep -q '平成31年4月30日' "$TMP/o.txt"
    check "overflow: 令和元年 after it" grep -q '令和元年5月' "$TMP/o.txt"
fi
