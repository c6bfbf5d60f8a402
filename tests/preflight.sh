# validate is render's preflight (issue 11, item 3): it runs every rule that can stop a render
# (the links between plans, every character and variation sequence against the font chain, the
# page limit), so validate exit 0 means render of the same bundle succeeds, and when validate
# refuses it gives render's error word for word. Sourced by tests/run.sh.

# agree FILE [OPTIONS...]: validate's exit status is render's (all forms), and when it is not 0
# its stderr is render's, byte for byte; a refused render leaves no PDF.
agree() {
    local xml=$1; shift
    local pdf="$TMP/agree.pdf"
    rm -f "$pdf"
    "$PF" validate "$@" "$xml" >"$TMP/agree.vout" 2>"$TMP/agree.verr"
    local v=$?
    "$PF" render "$@" "$xml" -o "$pdf" >/dev/null 2>"$TMP/agree.rerr"
    local r=$?
    [ "$v" = "$r" ] || { echo "validate exit $v, render exit $r"; cat "$TMP/agree.verr" "$TMP/agree.rerr"; return 1; }
    if [ "$r" != 0 ]; then
        cmp -s "$TMP/agree.verr" "$TMP/agree.rerr" ||
            { echo "validate said:"; cat "$TMP/agree.verr"; echo "render said:"; cat "$TMP/agree.rerr"; return 1; }
        [ ! -e "$pdf" ] || { echo "a refused render left $pdf"; return 1; }
    else
        [ -s "$pdf" ] || { echo "render exit 0 without a PDF"; return 1; }
        grep -q ': ok$' "$TMP/agree.vout" || { echo "validate exit 0 without 'ok'"; return 1; }
    fi
}

# Every case of tests/cases (refused by the reader, by the links, by the fonts; and the good
# ones), and every sample.
for xml in tests/cases/*.xml samples/*.xml; do
    check "preflight: validate and render agree on $(basename "$xml")" agree "$xml"
done
for xml in samples/*.xml; do
    check "preflight: $(basename "$xml") validates" "$PF" validate "$xml"
    check "preflight: $(basename "$xml") renders" "$PF" render "$xml" -o "$TMP/pre-sample.pdf"
done
rm -f "$TMP/pre-sample.pdf"

# What validate once passed and render then refused: each is refused by validate now, exit 1,
# naming file, line, field and the rule, in both languages.
pre_case() {  # pre_case FILE LINE FIELD PATTERN
    check "preflight: validate refuses $1 (line $2, $3)" expect_error 1 "$1:$2: $3: .*$4" -- "$PF" validate "tests/cases/$1"
    check "preflight: $1 in Japanese and English" two_languages "$TMP/err.txt"
}
pre_case bad-goal-need-missing.xml 123 '解決すべき課題（need）' '課題「need-work-gone」がありません'
pre_case bad-review-need-missing.xml 194 '解決すべき課題（need）' '課題「need-home-gone」がありません'
pre_case bad-review-goal-missing.xml 230 '支援目標（goal）' '目標「aoba-9」がありません'
pre_case bad-emoji-in-name.xml 5 '利用者氏名（name）' '文字 U\+1F600 を印字できるフォントがありません'
pre_case bad-emoji-in-monitoring.xml 217 '本人の感想・満足度（satisfaction）' 'U\+1F600'
pre_case bad-ivs-no-font.xml 5 '利用者氏名（name）' '文字 U\+9089 U\+E0104 を印字できるフォントがありません'
# the message names the code points, never the person's name around them
check "preflight: the IVS message quotes no name" not_grep '渡|邉|健太' "$TMP/err.txt"

# A TAB pasted from a spreadsheet (in a name, in a text) is a space: validate and render both
# accept it, and the PDF has no TAB.
check "preflight: a TAB in a name and a text validates" "$PF" validate tests/cases/ok-tab-in-text.xml
check "preflight: a TAB in a name and a text renders" "$PF" render tests/cases/ok-tab-in-text.xml -o "$TMP/pre-tab.pdf"
check "preflight: the TAB prints as a space" sh -c "pdftotext '$TMP/pre-tab.pdf' - | tr -d '\n' | grep -q '行き先を 前の週に選ぶ'"
rm -f "$TMP/pre-tab.pdf"

# Several files in one validate: each is judged as render would judge it, the worst status wins.
"$PF" validate samples/a-san.xml tests/cases/bad-emoji-in-name.xml samples/child.xml >"$TMP/pre-many.out" 2>"$TMP/pre-many.err"
check "preflight: validate of three files exits 1" test $? = 1
check "preflight: the good ones are ok" sh -c "[ \$(grep -c ': ok\$' '$TMP/pre-many.out') = 2 ]"
check "preflight: the bad one is named" grep -q 'bad-emoji-in-name.xml:5: 利用者氏名' "$TMP/pre-many.err"

# The font chain of the data folder is the one validate checks against: without IPAmjMincho,
# 𠮷 (U+20BB7, in the sample's name) has no font, and validate says so as render does.
mkdir -p "$TMP/pre-data" && cp -r templates fonts "$TMP/pre-data/"
sed -i 's/^mincho .*/mincho     IPAexMincho/; s/^gothic .*/gothic     IPAexGothic IPAexMincho/' "$TMP/pre-data/fonts/chain.conf"
check "preflight: a chain without IPAmj: validate refuses 𠮷 (U+20BB7)" expect_error 1 "a-san.xml:$(line_of samples/a-san.xml '<name>'): 利用者氏名（name）: 文字 U\\+20BB7" -- "$PF" validate --data "$TMP/pre-data" samples/a-san.xml
check "preflight: a chain without IPAmj: validate and render agree" agree samples/a-san.xml --data "$TMP/pre-data"
# A data folder whose fonts cannot be found: validate needs them now, and says so as render does.
sed -i 's/^mincho .*/mincho     NoSuchFamilyPlanform/' "$TMP/pre-data/fonts/chain.conf"
check "preflight: a missing font family: validate exit 3" expect_error 3 'NoSuchFamilyPlanform' -- "$PF" validate --data "$TMP/pre-data" samples/a-san.xml
check "preflight: a missing font family: validate and render agree" agree samples/a-san.xml --data "$TMP/pre-data"
rm -rf "$TMP/pre-data"

# A bundle whose layout needs more than PF_MAX_PAGES (500) pages: validate refuses it as render
# does (the page count exists only once the text is set, so validate lays the forms out too).
lim_xml "$TMP/pre-pages.xml" "
plan = s[:s.index('</service-use-plan>')]
def fill(m):
    return '<%s>%s</%s>' % (m.group(1), '本人の様子を記録する。' * 9000, m.group(1))
plan = re.sub(r'<(notes|role|wishes|policy|long-term-goal|short-term-goal)>[^<]*</\1>', fill, plan)
s = plan + s[s.index('</service-use-plan>'):]"
check "preflight: over 500 pages: validate exits 1 naming the page limit" expect_error 1 '1文書 500 ページまで' -- "$PF" validate "$TMP/pre-pages.xml"
check "preflight: over 500 pages: validate and render agree" agree "$TMP/pre-pages.xml"
rm -f "$TMP/pre-pages.xml" "$TMP"/agree.*

# validate --form checks what render --form would print: a form the bundle has none of is
# refused by both, word for word (it was the one refusal validate could not foresee).
check "validate --form evaluation of a bundle without one: render's refusal" agree samples/overflow.xml --form evaluation
check "  … exit 1, naming the form" expect_error 1 'this bundle has no evaluation' -- "$PF" validate --form evaluation samples/overflow.xml
check "validate --form plan,isp of a bundle with both: ok" agree samples/a-san.xml --form plan,isp
