# Batch printing: many bundles, per-person PDFs, one print file with bookmarks and duplex
# padding, the same bytes whatever --jobs, failures reported and left out, interruption leaves
# no half-written file. Sourced by tests/run.sh.

mkdir -p "$TMP/bin"
cp samples/a-san.xml samples/child.xml samples/overflow.xml "$TMP/bin/"
cp tests/cases/bad-recipient-9-digits.xml "$TMP/bin/b-broken.xml"

"$PF" batch "$TMP/bin" -o "$TMP/bo1" --jobs 1 --print "$TMP/bo1/print.pdf" --duplex > "$TMP/b1.out" 2> "$TMP/b1.err"
status=$?
check "batch with one broken bundle exits 1" test "$status" = 1
check "batch: the good bundles are all written" sh -c "[ \$(ls '$TMP/bo1'/*.pdf | grep -vc print.pdf) = 3 ]"
check "batch: the broken one is reported with its line" grep -q 'b-broken.xml:8: 障害福祉サービス受給者証番号' "$TMP/b1.err"
check "batch: the summary counts" grep -q '3 written, 1 failed' "$TMP/b1.err"
check "batch: names keep 髙 and 𠮷" test -f "$TMP/bo1/髙橋_𠮷郎_plan-2024-04~a-san.pdf"
check "batch: names keep 﨑 and the variation sequence of 葛󠄀" test -f "$TMP/bo1/﨑山_葛󠄀太_child-2024-06~child.pdf"
check "batch: a PDF per person is a valid PDF" qpdf --check "$TMP/bo1/髙橋_𠮷郎_plan-2024-04~a-san.pdf"
check "batch: no temporary file left" sh -c "! ls -a '$TMP/bo1' | grep -q '^\.planform-'"
check "batch: not a terminal, so plain progress lines" grep -q '^\[1/4\] ok ' "$TMP/b1.err"

"$PF" batch "$TMP/bin" -o "$TMP/bo4" --jobs 4 --print "$TMP/bo4/print.pdf" --duplex --quiet 2> "$TMP/b4.err"
check "batch: the same bytes with --jobs 1 and --jobs 4" sh -c "cd '$TMP/bo1' && for f in *.pdf; do cmp \"\$f\" \"../bo4/\$f\" || exit 1; done"
check "batch --quiet: no progress lines" sh -c "! grep -q '^\[1/4\]' '$TMP/b4.err'"

# the print file: a-san 8 pages, child 4, overflow 5 → with duplex a blank before overflow? no:
# 8 + 4 = 12 (even) → overflow starts on a front; 17 pages in all; the broken one left out
check "print file: qpdf --check" qpdf --check "$TMP/bo1/print.pdf"
check "print file: 17 pages (failed bundle left out)" pages_are "$TMP/bo1/print.pdf" 17
qpdf --json --json-key=outlines "$TMP/bo1/print.pdf" > "$TMP/outlines.json"
check "print file: a bookmark per person" sh -c "grep -c '\"title\": \"髙橋 𠮷郎\"' '$TMP/outlines.json' | grep -q 1 && grep -q '\"title\": \"﨑山 葛󠄀太\"' '$TMP/outlines.json'"
check "print file: a bookmark per form" sh -c "grep -q '\"title\": \"モニタリング報告書（継続サービス利用支援・継続障害児支援利用援助）\"' '$TMP/outlines.json' && grep -q '\"title\": \"個別支援計画書\"' '$TMP/outlines.json'"
check "print file: every font embedded" fonts_ok "$TMP/bo1/print.pdf"

# Fonts are shared in the print file: each font's glyphs are embedded once (glyph ids kept) and
# every person's CIDs point into it. Pages must look exactly as in each person's own PDF, and
# the text must copy out exactly the same.
same_pages() {  # same_pages PRINT FIRST_PAGE PDF: PDF's pages are PRINT's from FIRST_PAGE on
    local n; n=$(pdfinfo "$3" | awk '/^Pages:/ { print $2 }')
    rm -rf "$TMP/sp" && mkdir -p "$TMP/sp"
    pdftoppm -r 40 -f "$2" -l $(($2 + n - 1)) "$1" "$TMP/sp/p" && pdftoppm -r 40 "$3" "$TMP/sp/q" || return 1
    local k=0
    for q in $(ls "$TMP/sp"/q-*.ppm | sort -V); do
        p=$(ls "$TMP/sp"/p-*.ppm | sort -V | sed -n "$((k + 1))p"); k=$((k + 1))
        cmp -s "$p" "$q" || { echo "page $k differs: $p $q"; return 1; }
    done
    [ "$k" = "$n" ] && pdftotext -f "$2" -l $(($2 + n - 1)) "$1" "$TMP/sp/p.txt" && pdftotext "$3" "$TMP/sp/q.txt" &&
        cmp "$TMP/sp/p.txt" "$TMP/sp/q.txt"
}
check "print file: a-san's pages look and copy out exactly as in a-san's own PDF" same_pages "$TMP/bo1/print.pdf" 1 "$TMP/bo1/髙橋_𠮷郎_plan-2024-04~a-san.pdf"
check "print file: the child's (IPAmj, 葛󠄀 with its selector) too" same_pages "$TMP/bo1/print.pdf" 9 "$TMP/bo1/﨑山_葛󠄀太_child-2024-06~child.pdf"
check "print file: the overflow sample's too" same_pages "$TMP/bo1/print.pdf" 13 "$TMP/bo1/髙﨑_隆之介_overflow-2024~overflow.pdf"
check "print file: (the comparison can fail: the child's PDF is not pages 1–4)" fails same_pages "$TMP/bo1/print.pdf" 1 "$TMP/bo1/﨑山_葛󠄀太_child-2024-06~child.pdf"
# one embedded file per font (IPAexMincho, IPAexGothic, IPAmjMincho), not one per person
check "print file: each font file embedded once" sh -c "[ \$(qpdf --qdf --object-streams=disable '$TMP/bo1/print.pdf' - | LC_ALL=C grep -ac '/Length1 ') = 3 ]"
check "print file: smaller than the people's PDFs together" sh -c "[ \$(stat -c %s '$TMP/bo1/print.pdf') -lt \$(cat '$TMP'/bo1/[!p]*.pdf | wc -c) ]"

# duplex: child first (4 pages), then overflow (5), then a-san: 4, 5 → blank → a-san on page 11
printf 'child.xml\noverflow.xml\na-san.xml plan\n' > "$TMP/bin/list.txt"
"$PF" batch "$TMP/bin/list.txt" -o "$TMP/bod" --print "$TMP/bod/print.pdf" --duplex --quiet 2>/dev/null
check "manifest + --duplex: a blank page before a person who would start on a back" pages_are "$TMP/bod/print.pdf" 12
check "  … the blank page is page 10 (no text)" sh -c "[ -z \"\$(pdftotext -f 10 -l 10 '$TMP/bod/print.pdf' - | tr -d '[:space:]')\" ]"
check "manifest: forms per line (a-san plan only: 2 pages)" sh -c "qpdf --json --json-key=outlines '$TMP/bod/print.pdf' | grep -q '\"destpageposfrom1\": 11'"
# from standard input, paths are relative to the current directory
pfabs=$(cd "$(dirname "$PF")" && pwd)/$(basename "$PF")
(cd "$TMP/bin" && "$pfabs" batch - -o "$TMP/bos" --print "$TMP/bos/print.pdf" --copies 2 --quiet < list.txt 2>/dev/null)
check "manifest on standard input, --copies 2" pages_are "$TMP/bos/print.pdf" 22

check "--fail-fast: exit 1 and stops" sh -c "printf 'b-broken.xml\na-san.xml\n' > '$TMP/bin/ff.txt'; '$PF' batch '$TMP/bin/ff.txt' -o '$TMP/boff' --jobs 1 --fail-fast --quiet 2>/dev/null; [ \$? = 1 ] && [ ! -e '$TMP/boff/髙橋_𠮷郎_plan-2024-04~a-san.pdf' ]"
check "batch without -o: exit 2" exits 2 "$PF" batch "$TMP/bin"
check "a manifest naming unknown forms: exit 2" sh -c "printf 'a-san.xml nope\n' > '$TMP/bin/bad.txt'; '$PF' batch '$TMP/bin/bad.txt' -o '$TMP/bobad' 2>/dev/null; [ \$? = 2 ]"

# Ctrl-C: finished files stay, nothing half-written, exit 130 (or 0 if it finished first)
mkdir -p "$TMP/many"
for i in $(seq 1 40); do sed "s/<name>髙橋 𠮷郎<\/name>/<name>試験 $i<\/name>/" samples/a-san.xml > "$TMP/many/p$i.xml"; done
"$PF" batch "$TMP/many" -o "$TMP/bomany" --jobs 2 --print "$TMP/bomany/print.pdf" --quiet 2>/dev/null &
pid=$!
sleep 0.4
kill -INT "$pid" 2>/dev/null
wait "$pid"
st=$?
check "interrupted batch: exit 130 (or 0 when it was done)" sh -c "[ $st = 130 ] || [ $st = 0 ]"
check "interrupted batch: no temporary or half-written file" sh -c "! ls -a '$TMP/bomany' | grep -q '^\.planform-'"
check "interrupted batch: every PDF left is whole" sh -c "for f in '$TMP/bomany'/*.pdf; do [ -e \"\$f\" ] || continue; qpdf --check \"\$f\" >/dev/null || exit 1; done"

# A worker keeps the shaping of templates' labels from one document to the next: a bundle
# rendered after others gives exactly the bytes of rendering it alone.
printf 'a-san.xml\nchild.xml\na-san.xml\noverflow.xml\nchild.xml\n' > "$TMP/bin/again.txt"
"$PF" batch "$TMP/bin/again.txt" -o "$TMP/bagain" --jobs 1 --quiet 2>/dev/null
"$PF" render samples/a-san.xml -o "$TMP/alone-a.pdf"
"$PF" render samples/child.xml -o "$TMP/alone-c.pdf"
check "batch: a bundle rendered after others is byte-identical to rendering it alone" sh -c "cmp '$TMP/bagain/髙橋_𠮷郎_plan-2024-04~a-san~2.pdf' '$TMP/alone-a.pdf' && cmp '$TMP/bagain/﨑山_葛󠄀太_child-2024-06~child~2.pdf' '$TMP/alone-c.pdf' && cmp '$TMP/bagain/髙橋_𠮷郎_plan-2024-04~a-san.pdf' '$TMP/alone-a.pdf'"
rm -rf "$TMP/bagain"

# --name-by plan (issue 11): file names without the person's name, for shares and zip files;
# the same PDFs otherwise, and the print file still bookmarks each person.
"$PF" batch "$TMP/bin" -o "$TMP/bo-plan" --jobs 2 --name-by plan --print "$TMP/bo-plan.pdf" --quiet 2> "$TMP/bplan.err"
check "batch --name-by plan: PLAN~INPUT.pdf" test -f "$TMP/bo-plan/plan-2024-04~a-san.pdf"
check "  … no file name holds a person's name" sh -c "! ls '$TMP/bo-plan' | grep -qE '髙橋|﨑山|_'"
check "  … three files, as by person" test "$(ls "$TMP/bo-plan" | grep -c '\.pdf$')" = 3
check "  … each the same bytes as by person" cmp "$TMP/bo-plan/plan-2024-04~a-san.pdf" "$TMP/bo1/髙橋_𠮷郎_plan-2024-04~a-san.pdf"
check "  … the print file still bookmarks the person" sh -c "qpdf --json --json-key=outlines '$TMP/bo-plan.pdf' | grep -q '\"title\": \"髙橋 𠮷郎\"'"
check "--name-by takes plan or person only" expect_error 2 '--name-by takes plan or person: name' -- "$PF" batch "$TMP/bin" -o "$TMP/bo-x" --name-by name
check "--name-by is batch's only" expect_error 2 '--name-by does not apply to render' -- "$PF" render samples/a-san.xml --name-by plan
