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
