# Consent (issue 15, items 1 and 2): how consent was given (paper signature, electronic,
# standing 包括同意書, a proxy with 続柄) as the consent boxes print it; the check rules on consent
# dates and monitoring reports without consent; every consent box an empty PDF signature field
# exactly over the box, unique names in a print file, --no-signature-fields. Sourced by
# tests/run.sh; the bundles are made here from samples/a-san.xml, whatever it records.
sig() { python3 tests/tools/sigfields.py "$@"; }
# con_xml OUT PYTHON: a-san with every <consent> taken out, then changed by the Python statements
# (on `s`); the consent elements stand where the schema puts them.
con_xml() {
    python3 - "$1" "$2" <<'EOF'
import re, sys
s = open("samples/a-san.xml", encoding="utf-8").read()
s = re.sub(r"\s*<consent\b[^>]*?(/>|>.*?</consent>)", "", s, flags=re.S)
def after(tag, text, n=1):   # put text after the n-th tag (n = -1: the last)
    global s
    k = s.rindex(tag) if n == -1 else -1
    for _ in range(n if n > 0 else 0):
        k = s.index(tag, k + 1)
    k = s.index(">", k) + 1
    s = s[:k] + text + s[k:]
exec(sys.argv[2])
open(sys.argv[1], "w", encoding="utf-8").write(s)
EOF
}
con_text() { "$PF" render "$1" -o "${1%.xml}.pdf" && pdftotext -raw "${1%.xml}.pdf" "${1%.xml}.txt"; }

# ---- what the boxes print ----------------------------------------------------------------
# paper signature with a proxy on the plan, electronic consent on an individual plan, a standing
# 同意書 on the monitoring report, paper without a date on the evaluation
con_xml "$TMP/c-var.xml" '
after("</start>", "<consent how=\"signature\" name=\"髙橋 𠮷郎\" date=\"2024-04-20\"><proxy name=\"髙橋 花子\" relationship=\"母\"/></consent>")
after("</goals>", "<consent how=\"electronic\" name=\"髙橋 𠮷郎\" date=\"2024-04-22\"/>", 2)
after("</overall>", "<consent how=\"standing\" name=\"髙橋 𠮷郎\" date=\"2024-04-10\"/>", 1)
after("</notes>", "<consent name=\"髙橋 𠮷郎\"/>", -1)'
con_text "$TMP/c-var.xml"
check "consent: the variant bundle is valid" "$PF" validate "$TMP/c-var.xml"
check "consent: paper with a proxy prints the proxy, 続柄 and the date line" \
    has "$TMP/c-var.txt" '利用者同意署名欄 代理人 髙橋 花子（母） 令和6年4月20日'
check "consent: electronic prints 電子同意（date） and who" has "$TMP/c-var.txt" '電子同意（令和6年4月22日） 髙橋 𠮷郎'
check "consent: standing prints 包括同意書（date付）による" \
    has "$TMP/c-var.txt" '利用者同意署名欄 包括同意書（令和6年4月10日付）による 髙橋 𠮷郎'
# a typed name where the person signs is a 記名, not a 署名: on paper the name is not printed
check "consent: paper prints no typed name in the 署名欄 (plan)" \
    not_grep '利用者同意署名欄 .*髙橋 𠮷郎.*令和6年4月20日' "$TMP/c-var.txt"
check "consent: paper without a date leaves the 署名 cell empty (evaluation)" \
    grep -q '^年月日 利用者氏名（署名） サービス管理責任者氏名' "$TMP/c-var.txt"
con_xml "$TMP/c-none.xml" 'pass'
con_text "$TMP/c-none.xml"
check "consent: no consent recorded: an empty 署名欄 with a date line to fill in" \
    grep -q '利用者同意署名欄 年 月 日$' "$TMP/c-none.txt"
# electronic or standing consent claims a day: without one the bundle is refused
con_xml "$TMP/c-nodate.xml" 'after("</start>", "<consent how=\"electronic\" name=\"髙橋 𠮷郎\"/>")'
check "consent: electronic consent without a date is refused (exit 1, missing-attribute)" \
    expect_error 1 '"code": "missing-attribute"' -- "$PF" render --json "$TMP/c-nodate.xml" -o "$TMP/c-nodate.pdf"
con_xml "$TMP/c-badhow.xml" 'after("</start>", "<consent how=\"verbal\" date=\"2024-04-20\"/>")'
check "consent: an unknown how is refused (exit 1)" exits 1 "$PF" validate "$TMP/c-badhow.xml"

# ---- check rules ---------------------------------------------------------------------------
# finding-free base: the plan and the monitoring report consented on paper, on good days
good='after("</start>", "<consent date=\"2024-04-12\"/>"); after("</overall>", "<consent date=\"2024-07-10\"/>", 1)'
con_xml "$TMP/k-good.xml" "$good"
c_rules() { "$PF" check --today 2024-08-01 --json "$1" | grep -o '"rule": "[a-z-]*consent[a-z-]*"' | sort -u | tr '\n' ' '; }
check "check: consents on good days give no consent finding" test -z "$(c_rules "$TMP/k-good.xml")"
con_xml "$TMP/k-early.xml" 'after("</start>", "<consent how=\"electronic\" date=\"2024-04-01\"/>"); after("</overall>", "<consent date=\"2024-07-10\"/>", 1)'
check "check: consent-before-created fires on a plan consented before it was made" \
    finding "$TMP/k-early.xml" consent-before-created
check "  … a warning: exit 0, and 1 with --strict" sh -c "'$PF' check --today 2024-08-01 '$TMP/k-early.xml' >/dev/null && ! '$PF' check --strict --today 2024-08-01 '$TMP/k-early.xml' >/dev/null"
con_xml "$TMP/k-standing.xml" 'after("</start>", "<consent how=\"standing\" date=\"2024-01-15\"/>")'
check "check: a standing 同意書 dated before the plan is not early" \
    sh -c "! '$PF' check --today 2024-08-01 --json '$TMP/k-standing.xml' | grep -q consent-before-created"
check "check: … and covers the plan's monitoring reports (no monitoring-without-consent)" \
    sh -c "! '$PF' check --today 2024-08-01 --json '$TMP/k-standing.xml' | grep -q monitoring-without-consent"
con_xml "$TMP/k-late.xml" 'after("</start>", "<consent date=\"2024-08-02\"/>"); after("</overall>", "<consent date=\"2024-07-10\"/>", 1)'
check "check: consent-after-next-monitoring fires on a plan consented after its first monitoring month" \
    finding "$TMP/k-late.xml" consent-after-next-monitoring
check "  … naming the month" grep -q '"message_en": "the consent date (2024-08-02) is after the next monitoring month (2024-07)"' "$TMP/f.json"
con_xml "$TMP/k-mlate.xml" 'after("</start>", "<consent date=\"2024-04-12\"/>"); after("</overall>", "<consent how=\"electronic\" date=\"2024-11-01\"/>", 1)'
check "check: consent-after-next-monitoring fires on a monitoring report consented after the next one" \
    finding "$TMP/k-mlate.xml" consent-after-next-monitoring
check "  … at the consent's line" grep -q "\"line\": $(line_of "$TMP/k-mlate.xml" '2024-11-01')," "$TMP/f.json"
con_xml "$TMP/k-nomon.xml" 'after("</start>", "<consent date=\"2024-04-12\"/>")'
check "check: monitoring-without-consent fires on a monitoring report with no consent" \
    finding "$TMP/k-nomon.xml" monitoring-without-consent
check "  … and names the report" grep -q '"message_en": "the monitoring report (mon-2024-07) records neither' "$TMP/f.json"
con_xml "$TMP/k-undated.xml" 'after("</start>", "<consent date=\"2024-04-12\"/>"); after("</overall>", "<consent name=\"髙橋 𠮷郎\"/>", 1)'
check "check: … and on one whose paper consent records no date" finding "$TMP/k-undated.xml" monitoring-without-consent
con_xml "$TMP/k-evlate.xml" "$good"'; after("</notes>", "<consent how=\"electronic\" date=\"2024-11-20\"/>", -1)'
check "check: consent-after-next-monitoring fires on an evaluation consented after its next-date's month" \
    finding "$TMP/k-evlate.xml" consent-after-next-monitoring

# ---- signature fields ----------------------------------------------------------------------
"$PF" render "$TMP/c-var.xml" -o "$TMP/s.pdf" && sig list "$TMP/s.pdf" > "$TMP/s.list"
check "fields: one /Sig field per consent box (plan, 3 individual plans, monitoring, evaluation)" \
    test "$(awk '$2 == "/Sig"' "$TMP/s.list" | wc -l)" = 6
check "fields: named after form and box" sh -c "cut -d' ' -f1 '$TMP/s.list' | tr '\n' ' ' | grep -qx 'plan.consent isp.consent isp-2.consent isp-3.consent monitoring.consent evaluation.consent '"
check "fields: every widget prints (/F 4)" sh -c "awk '\$8 != 4 { exit 1 }' '$TMP/s.list'"
# each field's rectangle is the box of its template, and the box's label stands beside it
sig_at() {  # sig_at FIELD TEMPLATE PAGE LABEL
    local want got
    want=$(sig box "templates/$2.xml" "adult final") &&
        got=$(awk -v f="$1" '$1 == f { print $4, $5, $6, $7 }' "$TMP/s.list") &&
        [ -n "$want" ] && [ "$want" = "$got" ] &&
        awk -v f="$1" -v p="$3" '$1 == f && $3 == p { found = 1 } END { exit !found }' "$TMP/s.list" &&
        sig near "$TMP/s.pdf" "$3" "$4" $got
}
check "fields: plan.consent exactly over the 利用者同意署名欄 box" sig_at plan.consent service-use-plan 1 利用者同意署名欄
check "fields: isp.consent exactly over the 利用者氏名（署名） box" sig_at isp.consent individual-support-plan 3 '利用者氏名（署名）'
check "fields: monitoring.consent exactly over its box" sig_at monitoring.consent monitoring 7 利用者同意署名欄
check "fields: evaluation.consent exactly over its box" sig_at evaluation.consent evaluation 8 '利用者氏名（署名）'
check "fields: the test can fail (a box elsewhere is not this field's)" fails sig_at plan.consent individual-support-plan 1 利用者同意署名欄
check "fields: qpdf --check is clean" sh -c "qpdf --check '$TMP/s.pdf' 2>&1 | grep -q 'No syntax or stream encoding errors'"
check "fields: pdfsig lists the six empty fields" \
    sh -c "pdfsig -nocert '$TMP/s.pdf' 2>&1 | grep -c 'The signature form field is not signed' | grep -qx 6"
# a child's 保護者署名 is a field too
"$PF" render samples/child.xml -o "$TMP/s-child.pdf" && sig list "$TMP/s-child.pdf" > "$TMP/s-child.list"
check "fields: the child's plan and 個別支援計画書 have theirs" sh -c "cut -d' ' -f1 '$TMP/s-child.list' | tr '\n' ' ' | grep -qx 'plan.consent isp.consent '"
want_child=$(sig box templates/child-support-plan.xml "child final")
check "fields: the child's isp.consent exactly over the （保護者署名） box" \
    sh -c "awk '\$1 == \"isp.consent\" { print \$4, \$5, \$6, \$7 }' '$TMP/s-child.list' | grep -qx '$want_child'"

# the printed page is the same with and without fields; --no-signature-fields gives none
"$PF" render --no-signature-fields "$TMP/c-var.xml" -o "$TMP/s-none.pdf"
check "--no-signature-fields: no signature field" test -z "$(sig list "$TMP/s-none.pdf")"
check "--no-signature-fields: no AcroForm, no widget" sh -c "! qpdf --qdf --object-streams=disable '$TMP/s-none.pdf' - | LC_ALL=C grep -aq -e /AcroForm -e /Widget"
check "fields: the printed pages are the same with and without them" sh -c "
    for p in 1 3 7 8; do
        pdftoppm -png -r 60 -f \$p -l \$p -singlefile '$TMP/s.pdf' '$TMP/pw' &&
        pdftoppm -png -r 60 -f \$p -l \$p -singlefile '$TMP/s-none.pdf' '$TMP/pn' &&
        cmp -s '$TMP/pw.png' '$TMP/pn.png' || exit 1
    done"
check "--no-signature-fields is in render --help" sh -c "'$PF' render --help | grep -q -- --no-signature-fields"
check "--no-signature-fields does not apply to check (exit 2)" exits 2 "$PF" check --no-signature-fields "$TMP/c-var.xml"

# encrypted output keeps them
printf 'consent-pw\n' > "$TMP/s-pw"
"$PF" render "$TMP/c-var.xml" --password-file "$TMP/s-pw" -o "$TMP/s-enc.pdf"
check "fields: an encrypted PDF keeps the six fields" \
    sh -c "python3 tests/tools/sigfields.py list '$TMP/s-enc.pdf' consent-pw | awk '\$2 == \"/Sig\"' | wc -l | grep -qx 6"

# the print file: each person's fields, renamed so that names stay unique
mkdir -p "$TMP/s-in"
cp "$TMP/c-var.xml" "$TMP/s-in/a.xml"
cp samples/child.xml "$TMP/s-in/b.xml"
"$PF" batch "$TMP/s-in" -o "$TMP/s-out" --print "$TMP/s-print.pdf" --copies 2 --quiet
sig list "$TMP/s-print.pdf" > "$TMP/s-print.list"
check "print file: every person's fields, each copy (2 × (6 + 2))" test "$(awk '$2 == "/Sig"' "$TMP/s-print.list" | wc -l)" = 16
check "print file: field names unique" test -z "$(cut -d' ' -f1 "$TMP/s-print.list" | sort | uniq -d)"
check "print file: under the person's number (1.plan.consent … 4.isp.consent)" \
    sh -c "grep -q '^1.plan.consent ' '$TMP/s-print.list' && grep -q '^2.evaluation.consent ' '$TMP/s-print.list' && grep -q '^4.isp.consent ' '$TMP/s-print.list'"
check "print file: each widget on its person's page, at the same rectangle" \
    sh -c "grep -q '^3.plan.consent /Sig 17 $(awk '$1 == "plan.consent" { print $4, $5, $6, $7 }' "$TMP/s-child.list") ' '$TMP/s-print.list'"
check "print file: qpdf --check is clean" sh -c "qpdf --check '$TMP/s-print.pdf' 2>&1 | grep -q 'No syntax or stream encoding errors'"
check "print file: pdfsig lists 16 empty fields" \
    sh -c "pdfsig -nocert '$TMP/s-print.pdf' 2>&1 | grep -c 'The signature form field is not signed' | grep -qx 16"
"$PF" batch "$TMP/s-in" -o "$TMP/s-out2" --print "$TMP/s-print-none.pdf" --no-signature-fields --quiet
check "print file: --no-signature-fields gives none" test -z "$(sig list "$TMP/s-print-none.pdf")"
"$PF" batch "$TMP/s-in" -o "$TMP/s-out3" --print "$TMP/s-print-enc.pdf" --password-file "$TMP/s-pw" --quiet
check "print file: encrypted, the 8 fields stay" \
    sh -c "python3 tests/tools/sigfields.py list '$TMP/s-print-enc.pdf' consent-pw | awk '\$2 == \"/Sig\"' | wc -l | grep -qx 8"
