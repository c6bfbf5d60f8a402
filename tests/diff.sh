# tests/diff.sh — issue 15, items 3 and 4: each form's version fingerprint (「版 3F7A-19C2」 in
# its footer, the full SHA-256 in the PDF's document information) and `planform diff`.

# diff_fp PDF FORM ITEM: the full fingerprint the PDF's metadata gives the form printing ITEM
diff_fp() {
    pdfinfo -custom "$1" | awk -v f="$2" -v i="$3" \
        '/^PlanformFingerprint[0-9]+:/ { sub(/^[^:]*: */, ""); if ($2 == f && $3 == i) print $1 }'
}

# diff_render XML PDF: render every form
diff_render() { "$PF" render "$1" -o "$2" > /dev/null 2>&1; }

diff_render samples/a-san.xml "$TMP/fp-orig.pdf"
fp_plan=$(diff_fp "$TMP/fp-orig.pdf" service-use-plan plan-2024-04)
check "fingerprint: the plan's full SHA-256 is in the PDF's metadata" \
    test "$(printf '%s' "$fp_plan" | grep -cE '^[0-9A-F]{64}$')" = 1
check "fingerprint: every form of a-san has one (7 forms)" \
    test "$(pdfinfo -custom "$TMP/fp-orig.pdf" | grep -cE '^PlanformFingerprint[0-9]+: *[0-9A-F]{64} ')" = 7
# the footer prints its first 8 hex digits, on each page of the form (the plan has two)
short="${fp_plan:0:4}-${fp_plan:4:4}"
pdftotext -f 1 -l 2 "$TMP/fp-orig.pdf" "$TMP/fp-p12.txt"
check "fingerprint: the footer prints 版 ${short:-?} on both pages of the plan" \
    test "$(grep -c "^版 $short\$" "$TMP/fp-p12.txt")" = 2

# stable: reformatted (blanks dropped, then indented by 4), attributes reordered
xmllint --noblanks samples/a-san.xml | XMLLINT_INDENT="    " xmllint --format - > "$TMP/fp-format.xml"
check "fingerprint: xmllint --format changed the file (else the test proves nothing)" \
    fails cmp -s samples/a-san.xml "$TMP/fp-format.xml"
python3 - "$TMP/fp-format.xml" "$TMP/fp-attrs.xml" <<'EOF'
import re, sys
s = open(sys.argv[1], encoding='utf-8').read()
def rev(m):
    attrs = re.findall(r'\s+[\w:.-]+="[^"]*"', m.group(2))
    return '<' + m.group(1) + ''.join(reversed(attrs)) + m.group(3)
t = re.sub(r'<([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")+)(\s*/?>)', rev, s)
assert t != s
open(sys.argv[2], 'w', encoding='utf-8').write(t)
EOF
diff_render "$TMP/fp-attrs.xml" "$TMP/fp-attrs.pdf"
pdfinfo -custom "$TMP/fp-orig.pdf" | grep '^PlanformFingerprint' > "$TMP/fp-orig.txt"
pdfinfo -custom "$TMP/fp-attrs.pdf" | grep '^PlanformFingerprint' > "$TMP/fp-attrs.txt"
check "fingerprint: every form's is the same after xmllint --format and reordered attributes" \
    cmp "$TMP/fp-orig.txt" "$TMP/fp-attrs.txt"

# one character of what the individual plan of aoba prints: its fingerprint changes, the
# forms that do not print it keep theirs
lim_xml "$TMP/fp-office.xml" 's = s.replace("<office>ワークセンターあおば</office>", "<office>ワークセンターあおぱ</office>", 1); assert "あおぱ" in s'
diff_render "$TMP/fp-office.xml" "$TMP/fp-office.pdf"
check "fingerprint: one character of the office name changes its individual plan's" \
    test "$(diff_fp "$TMP/fp-office.pdf" individual-support-plan isp-aoba-2024-04)" != \
         "$(diff_fp "$TMP/fp-orig.pdf" individual-support-plan isp-aoba-2024-04)"
for form_item in "service-use-plan plan-2024-04" "individual-support-plan isp-hidamari-2024-04" \
                 "monitoring mon-2024-07"; do
    check "fingerprint: $form_item keeps its own when another form's data changes" \
        test -n "$(diff_fp "$TMP/fp-orig.pdf" $form_item)" -a \
             "$(diff_fp "$TMP/fp-office.pdf" $form_item)" = "$(diff_fp "$TMP/fp-orig.pdf" $form_item)"
done
# a value's one character in the plan: the plan's changes (the 「版」 printed too)
lim_xml "$TMP/fp-goal.xml" 's = s.replace("グループホームを拠点に", "グループホームを拠点で", 1); assert "拠点で" in s'
diff_render "$TMP/fp-goal.xml" "$TMP/fp-goal.pdf"
fp_goal=$(diff_fp "$TMP/fp-goal.pdf" service-use-plan plan-2024-04)
check "fingerprint: one character of the long-term goal changes the plan's" \
    test -n "$fp_goal" -a "$fp_goal" != "$fp_plan"
pdftotext -f 1 -l 1 "$TMP/fp-goal.pdf" "$TMP/fp-goal.txt"
check "fingerprint: the footer follows (版 ${fp_goal:0:4}-${fp_goal:4:4})" \
    grep -q "^版 ${fp_goal:0:4}-${fp_goal:4:4}\$" "$TMP/fp-goal.txt"

# the footer overlaps nothing, on any page of any form, and stays on the page
pdftotext -bbox-layout "$TMP/fp-orig.pdf" "$TMP/fp-bbox.html"
check "fingerprint: the footer overlaps no other text of any page" python3 - "$TMP/fp-bbox.html" <<'EOF'
import re, sys
doc = open(sys.argv[1], encoding='utf-8', errors='replace').read()
pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', doc, re.S)
assert pages, 'no pages'
n = 0
for k, (pw, ph, body) in enumerate(pages, 1):
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', body)]
    marks = [i for i, w in enumerate(words) if w[4] == '版' and i + 1 < len(words)
             and re.fullmatch(r'[0-9A-F]{4}-[0-9A-F]{4}', words[i + 1][4])]
    assert len(marks) == 1, f'page {k}: {len(marks)} fingerprints'
    i = marks[0]
    x0, y0 = words[i][0], min(words[i][1], words[i + 1][1])
    x1, y1 = words[i + 1][2], max(words[i][3], words[i + 1][3])
    assert 0 <= x0 and x1 <= float(pw) and 0 <= y0 and y1 <= float(ph), f'page {k}: off the page'
    for j, w in enumerate(words):
        if j in (i, i + 1):
            continue
        if w[0] < x1 and x0 < w[2] and w[1] < y1 and y0 < w[3]:
            raise SystemExit(f'page {k}: the fingerprint overlaps {w[4]!r}')
    n += 1
print(n, 'pages')
EOF

# ---- planform diff ---------------------------------------------------------------------------

# a-san's next version: need-work reworded, its service's amount changed, a need added
lim_xml "$TMP/df-new.xml" '
s = s.replace("<issue>日中は作業所で働き、工賃を得たい。</issue>", "<issue>日中は作業所で働き、工賃を増やしたい。</issue>", 1)
s = s.replace("<amount>22日/月</amount>", "<amount>20日/月</amount>", 1)
s = s.replace("    </needs>", """      <need id="need-money" priority="6">
        <issue>お金の管理を覚えたい。</issue>
        <goal>小遣い帳をつける。</goal>
        <target>2025-03</target>
      </need>
    </needs>""", 1)
assert "増やしたい" in s and "20日/月" in s and "need-money" in s'
"$PF" diff samples/a-san.xml "$TMP/df-new.xml" > "$TMP/df.txt" 2> "$TMP/df.err"
check "diff: exit 1 when the versions differ" test $? = 1
check "diff: nothing on stderr" test ! -s "$TMP/df.err"
check "diff: six lines, three changes in Japanese and English" test "$(wc -l < "$TMP/df.txt")" = 6
check "diff: the need reworded, before and after" grep -qF \
    'reworded [plan-2024-04 / need-work]: issue: "日中は作業所で働き、工賃を得たい。" → "日中は作業所で働き、工賃を増やしたい。"' "$TMP/df.txt"
check "diff: the service's amount, before and after" grep -qF \
    'changed [plan-2024-04 / need-work / service 1]: amount: "22日/月" → "20日/月"' "$TMP/df.txt"
check "diff: the need added" grep -qF 'added [plan-2024-04 / need-money]: need: "お金の管理を覚えたい。"' "$TMP/df.txt"
check "diff: the Japanese lines name the kind and field in Japanese" grep -qF \
    '変更 [plan-2024-04 / need-work / service 1]: サービスの量（頻度・時間）: "22日/月" → "20日/月"' "$TMP/df.txt"

"$PF" diff --json samples/a-san.xml "$TMP/df-new.xml" > "$TMP/df.json"
check "diff --json: exit 1 too" test $? = 1
check "diff --json: exactly the three changes, by id" python3 - "$TMP/df.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
assert d['same'] is False
got = sorted((c['change'], c['record'], c.get('need'), c['field'], c['before'], c['after'])
             for c in d['changes'])
want = sorted([
    ('reworded', 'need', 'need-work', 'issue', '日中は作業所で働き、工賃を得たい。', '日中は作業所で働き、工賃を増やしたい。'),
    ('changed', 'service', 'need-work', 'amount', '22日/月', '20日/月'),
    ('added', 'need', 'need-money', None, None, 'お金の管理を覚えたい。'),
])
assert got == want, got
for side in ('old', 'new'):
    fps = {(f['form'], f['item']): f['sha256'] for f in d[side]['fingerprints']}
    assert len(fps) == 7, fps
old = {(f['form'], f['item']): f['sha256'] for f in d['old']['fingerprints']}
new = {(f['form'], f['item']): f['sha256'] for f in d['new']['fingerprints']}
k = ('service-use-plan', 'plan-2024-04')
assert old[k] != new[k]
assert old[('individual-support-plan', 'isp-hidamari-2024-04')] == new[('individual-support-plan', 'isp-hidamari-2024-04')]
PYEOF

# reordered: two needs swap priorities
lim_xml "$TMP/df-swap.xml" '
s = s.replace("<need id=\"need-work\" priority=\"1\">", "<need id=\"need-work\" priority=\"9\">", 1)
assert "priority=\"9\"" in s'
"$PF" diff --json samples/a-san.xml "$TMP/df-swap.xml" > "$TMP/df-swap.json"
check "diff: a need moved to the end is reordered" python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert [(c["change"], c["need"], c["before"], c["after"]) for c in d["changes"]] == [("reordered", "need-work", "1", "9")], d["changes"]
' "$TMP/df-swap.json"

# the same plans, however written: exit 0, nothing printed
"$PF" diff samples/a-san.xml "$TMP/fp-attrs.xml" > "$TMP/df-same.txt" 2>&1
check "diff: the same plans (reformatted, attributes reordered) exit 0" test $? = 0
check "diff: and print nothing" test ! -s "$TMP/df-same.txt"
check "diff --json: the same plans say so" sh -c \
    "'$PF' diff --json samples/a-san.xml samples/a-san.xml | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"same\"] is True and d[\"changes\"] == []'"
check "diff: one file is a usage error (exit 2)" expect_error 2 'diff' -- "$PF" diff samples/a-san.xml
printf '<bundle>' > "$TMP/df-broken.xml"
check "diff: an input that is not a bundle is exit 2 (trouble), not 1 ('different')" \
    expect_error 2 'planform' -- "$PF" diff samples/a-san.xml "$TMP/df-broken.xml"
check "diff: a missing input is exit 4 (reading failed), not 1" \
    expect_error 4 'planform' -- "$PF" diff samples/a-san.xml "$TMP/no-such.xml"
check "diff: --form does not apply to diff" expect_error 2 'form' -- \
    "$PF" diff --form plan samples/a-san.xml "$TMP/df-new.xml"

# the 変更箇所一覧: every before and after comes back out of the PDF, with both fingerprints
"$PF" diff samples/a-san.xml "$TMP/df-new.xml" -o "$TMP/df.pdf"
check "diff -o: exit 1, the PDF written" test $? = 1 -a -s "$TMP/df.pdf"
pdftotext -raw "$TMP/df.pdf" "$TMP/df-pdf.txt"
python3 - "$TMP/df.json" "$TMP/df-values.xml" <<'PYEOF'
import json, sys
from xml.sax.saxutils import escape
d = json.load(open(sys.argv[1], encoding='utf-8'))
vals = [v for c in d['changes'] for v in (c['before'], c['after'], c['field_ja'] or c['record_ja']) if v]
fp = [f['sha256'] for f in d['old']['fingerprints'] + d['new']['fingerprints'] if f['form'] == 'service-use-plan']
vals += ['版 %s-%s' % (h[:4], h[4:8]) for h in fp]
open(sys.argv[2], 'w', encoding='utf-8').write(
    '<changes>' + ''.join('<v>%s</v>' % escape(v) for v in vals) + '</changes>\n')
PYEOF
check "diff -o: the changes' texts and both fingerprints round-trip" \
    "$ROUNDTRIP" "$TMP/df-values.xml" "$TMP/df-pdf.txt" '（別紙に続く）'
check "diff -o: titled 変更箇所一覧" has "$TMP/df-pdf.txt" '変更箇所一覧'
check "diff -o: fonts embedded" fonts_ok "$TMP/df.pdf"
# long text continues like any form's: a 3,000-character issue
lim_xml "$TMP/df-long.xml" 's = s.replace("<issue>日中は作業所で働き、工賃を得たい。</issue>", "<issue>" + "作業所で働き、工賃を得たい。" * 220 + "終わり</issue>", 1)'
"$PF" diff samples/a-san.xml "$TMP/df-long.xml" -o "$TMP/df-long.pdf"
pdftotext -raw "$TMP/df-long.pdf" "$TMP/df-long.txt"
check "diff -o: a long value continues on the 別紙, whole" sh -c \
    "grep -q '（別紙に続く）' '$TMP/df-long.txt' && tr -d '\n ' < '$TMP/df-long.txt' | grep -q '終わり'"
