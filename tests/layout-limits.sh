# Layout ownership and bounded resources (issue 10, items 1, 8, 11): a long name on the
# continuation sheets' heading never crashes and loses nothing; a field longer than the per-field
# limit, and a document longer than the page limit, are clear exit-1 errors before memory runs
# away. Sourced by tests/run.sh.

NOTES1='<notes>こだわり行動が出た時は手順書に沿って対応する。</notes>'
NOTES1_LINE=$(line_of samples/a-san.xml "$NOTES1")   # where the long notes go

# 1. A 38-character name overflows the heading of every continuation sheet while a
# 22,000-character <notes> runs over many of them. This once freed the list of continued texts
# while a sheet was being printed from it (SIGSEGV, heap-use-after-free under ASan).
# The notes are a random string of ゐ and ゑ (found nowhere else in the form), so that every one
# of their characters, in order, can be read back.
lim_xml "$TMP/lname.xml" "
name = 'マリア・フェルナンダ・ゴンザレス・ロドリゲス・デ・ラ・クルス・イ・サンチェス'
r = random.Random(10)
notes = ''.join(r.choice('ゐゑ') for _ in range(22000))
open(sys.argv[1] + '.notes', 'w', encoding='utf-8').write(notes)
s = s.replace('<name>髙橋 𠮷郎</name>', '<name>' + name + '</name>')
s = s.replace('$NOTES1', '<notes>' + notes + '</notes>', 1)"
check "38-character name + 22,000-character notes: render exits 0" "$PF" render --form plan "$TMP/lname.xml" -o "$TMP/lname.pdf"
check "38-character name + 22,000-character notes: qpdf --check" qpdf --check "$TMP/lname.pdf"
pdftotext "$TMP/lname.pdf" "$TMP/lname.txt" 2>/dev/null
check "38-character name + 22,000-character notes: every character of the notes, in order" \
    sh -c "[ \"\$(grep -o '[ゐゑ]' '$TMP/lname.txt' | tr -d '\n')\" = \"\$(cat '$TMP/lname.xml.notes')\" ]"
check "38-character name: printed whole on the continuation sheets' heading" \
    sh -c "[ \$(tr -d ' \n\f' < '$TMP/lname.txt' | grep -o 'マリア・フェルナンダ・ゴンザレス・ロドリゲス・デ・ラ・クルス・イ・サンチェス' | wc -l) -gt 5 ]"
# the same name in every form that has continuation sheets (ISP, monitoring, evaluation too)
lim_xml "$TMP/lname-all.xml" "
name = 'マリア・フェルナンダ・ゴンザレス・ロドリゲス・デ・ラ・クルス・イ・サンチェス'
s = s.replace('<name>髙橋 𠮷郎</name>', '<name>' + name + '</name>')
s = re.sub('<notes>([^<]*)</notes>', lambda m: '<notes>' + '記録を続ける。' * 2000 + '</notes>', s)"
check "38-character name + long notes in every form: render exits 0" "$PF" render "$TMP/lname-all.xml" -o "$TMP/lname-all.pdf"
check "38-character name + long notes in every form: qpdf --check" qpdf --check "$TMP/lname-all.pdf"
# ...and a name longer than a heading could ever hold (2,000 characters): the heading shows what
# fits and its mark; the rest is continued once, not once per sheet.
lim_xml "$TMP/lname2k.xml" "
name = ''.join('ゐゑ'[i % 7 == 3] for i in range(2000))
s = s.replace('<name>髙橋 𠮷郎</name>', '<name>' + name + '</name>')
s = s.replace('$NOTES1', '<notes>' + '記録を続ける。' * 3000 + '</notes>', 1)"
check "2,000-character name + long notes: render exits 0" "$PF" render --form plan "$TMP/lname2k.xml" -o "$TMP/lname2k.pdf"
check "2,000-character name + long notes: qpdf --check" qpdf --check "$TMP/lname2k.pdf"

# 2. The per-field limit (100,000 characters, not bytes): exactly at it renders; one more is an
# exit-1 error naming file, line and field in both languages, before any layout; no output.
lim_xml "$TMP/at-limit.xml" "s = s.replace('$NOTES1', '<notes>' + '様' * 100000 + '</notes>', 1)"
check "a 100,000-character field (300,000 bytes) renders" "$PF" render --form plan "$TMP/at-limit.xml" -o "$TMP/at-limit.pdf"
check "a 100,000-character field: every character in the PDF" sh -c "[ \$(pdftotext '$TMP/at-limit.pdf' - | grep -o '様' | wc -l) = 100000 ]"
lim_xml "$TMP/over-limit.xml" "s = s.replace('$NOTES1', '<notes>' + '様' * 100001 + '</notes>', 1)"
check "a 100,001-character field: render exits 1 naming the limit" expect_error 1 '長すぎます（1項目 100000 文字まで' -- "$PF" render "$TMP/over-limit.xml" -o "$TMP/over-limit.pdf"
check "a 100,001-character field: names file, line and the field" grep -q "over-limit.xml:$NOTES1_LINE: その他留意事項（notes）" "$TMP/err.txt"
check "a 100,001-character field: in Japanese and English" two_languages "$TMP/err.txt"
check "a 100,001-character field: English names the limit" grep -q 'notes: longer than the limit of 100000 characters per field' "$TMP/err.txt"
check "a 100,001-character field: no output file" test ! -e "$TMP/over-limit.pdf"
check "a 100,001-character field: validate refuses it too" expect_error 1 "over-limit.xml:$NOTES1_LINE: その他留意事項" -- "$PF" validate "$TMP/over-limit.xml"
lim_xml "$TMP/over-attr.xml" "s = s.replace('<consent name=\"髙橋 𠮷郎\"', '<consent name=\"' + 'あ' * 100001 + '\"', 1)"
check "an attribute over the limit: exit 1 naming the limit" expect_error 1 '長すぎます（1項目 100000 文字まで' -- "$PF" validate "$TMP/over-attr.xml"

# 3. One unbroken 4 MB run (no break opportunity anywhere): once 738 MB and seconds of layout;
# now refused by the per-field limit before layout, in little memory.
lim_xml "$TMP/run4m.xml" "s = s.replace('$NOTES1', '<notes>' + 'a' * 4000000 + '</notes>', 1)"
check "a 4 MB unbroken run: exit 1 naming the field and the limit" expect_error 1 "run4m.xml:$NOTES1_LINE: その他留意事項（notes）: 長すぎます" -- /usr/bin/time -o "$TMP/run4m.time" -f '%M' "$PF" render "$TMP/run4m.xml" -o "$TMP/run4m.pdf"
check "a 4 MB unbroken run: no output file" test ! -e "$TMP/run4m.pdf"
case "$B" in
*asan*) ;;  # AddressSanitizer's shadow memory and quarantine make RSS meaningless there
*)
    check "a 4 MB unbroken run: peak memory under 300 MB" sh -c "[ \$(tail -1 '$TMP/run4m.time') -lt 300000 ]"
    # in a batch under a 600 MB address-space limit: the bundle is named, the others written
    mkdir -p "$TMP/lbatch" && cp "$TMP/run4m.xml" samples/a-san.xml "$TMP/lbatch/"
    check "batch under ulimit -v 600000 with a 4 MB run: exit 1, not out of memory" \
        expect_error 1 "run4m.xml:$NOTES1_LINE: その他留意事項" -- sh -c "ulimit -v 600000 && '$PF' batch '$TMP/lbatch' -o '$TMP/lbatch-out' --jobs 2 --quiet"
    check "batch under ulimit -v 600000: the good bundle is written" test -f "$TMP/lbatch-out/髙橋_𠮷郎_plan-2024-04~a-san.pdf"
    rm -rf "$TMP/lbatch" "$TMP/lbatch-out"
    ;;
esac
rm -f "$TMP/run4m.xml"

# 4. Past libxml2's own limit on one text node (10,000,000 bytes; a 3.4-million-character
# Japanese field): still the per-field message, not "not well-formed XML".
lim_xml "$TMP/jp10m.xml" "s = s.replace('$NOTES1', '<notes>' + 'あ' * 3400000 + '</notes>', 1)"
check "a 10 MB Japanese field: exit 1 saying it is too long" expect_error 1 'jp10m.xml:[0-9]+: その他留意事項（notes）: 長すぎます' -- "$PF" validate --max-size 20M "$TMP/jp10m.xml"
check "a 10 MB Japanese field: not called malformed XML" not_grep 'XML として正しくありません|not well-formed' "$TMP/err.txt"
check "a 10 MB Japanese field: in Japanese and English" two_languages "$TMP/err.txt"
rm -f "$TMP/jp10m.xml"

# 5. The page limit per document (500): fifteen fields just under the field limit need more
# than 500 pages; refused with exit 1, no output file, instead of an ever larger document.
lim_xml "$TMP/pages.xml" "
plan = s[:s.index('</service-use-plan>')]
n = [0]
def fill(m):
    n[0] += 1
    return '<%s>%s</%s>' % (m.group(1), '本人の様子を記録する。' * 9000, m.group(1))
plan = re.sub(r'<(notes|role|wishes|policy|long-term-goal|short-term-goal)>[^<]*</\1>', fill, plan)
assert n[0] >= 14, n[0]
s = plan + s[s.index('</service-use-plan>'):]"
check "a document over 500 pages: exit 1 naming the page limit" expect_error 1 '1文書 500 ページまで' -- "$PF" render --form plan "$TMP/pages.xml" -o "$TMP/pages.pdf"
check "a document over 500 pages: names the file and a field" grep -qE '^planform: [^ ]*pages.xml:[0-9]+: .+（[a-z-]+）: ' "$TMP/err.txt"
check "a document over 500 pages: in Japanese and English" two_languages "$TMP/err.txt"
check "a document over 500 pages: no output file" test ! -e "$TMP/pages.pdf"
rm -f "$TMP/pages.xml" "$TMP"/lname* "$TMP"/at-limit* "$TMP"/over-*
