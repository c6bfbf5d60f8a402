# Hostile and broken input (issue 6): whatever another system sends, planform answers with a
# clear error and exit status, reads no other file, opens no connection, leaves no output file,
# and keeps personal data out of its messages. Cases that fit in a file are tests/cases/bad-*.xml
# (run by errors.sh); these are the ones that must be generated or need a tool to observe.
# Sourced by tests/run.sh.

# refused FILE PATTERN [LINE] [OPTIONS...]: render exits 1 naming PATTERN (and the line), in both
# languages, and leaves no PDF.
refused() {
    local xml=$1 pattern=$2 line=${3:-}; shift 3 2>/dev/null || shift $#
    local name out
    name=$(basename "$xml" .xml) out="$TMP/$(basename "$xml" .xml).pdf"
    check "$name: render exits 1 naming '$pattern'" expect_error 1 "$pattern" -- "$PF" render "$@" "$xml" -o "$out"
    [ -z "$line" ] || check "$name: the error names line $line" grep -q "$name.xml:$line:" "$TMP/err.txt"
    check "$name: message in Japanese and English" two_languages "$TMP/err.txt"
    check "$name: no output file" test ! -e "$out"
}

# Nothing outside the input is touched: under strace, no file but the input, the schema, the
# templates, fonts, locale data and libraries is opened, and no socket at all.
# reads_nothing_else FILE: render FILE (refused) and check the system calls.
reads_nothing_else() {
    strace -f -qq -e trace=open,openat,connect,socket -o "$TMP/trace" "$PF" render "$1" -o "$TMP/x.pdf" 2>/dev/null
    [ -s "$TMP/trace" ] || { echo "strace recorded nothing"; return 1; }
    ! grep -E 'passwd|\.dtd|socket\(|connect\(' "$TMP/trace"
}
for f in bad-doctype-entity bad-external-dtd bad-external-dtd-public bad-xinclude bad-xinclude-element bad-billion-laughs; do
    check "$f: no other file opened, no socket" reads_nothing_else "tests/cases/$f.xml"
done
# ...and the check can fail: a file whose name has "passwd" in it is seen being opened.
cp samples/a-san.xml "$TMP/passwd.xml"
check "the strace check sees the files opened (passwd.xml)" fails reads_nothing_else "$TMP/passwd.xml"

# Nesting 100,000 elements deep: refused by the parser's depth limit, no stack overflow.
python3 - "$TMP/deep.xml" <<'EOF'
import sys
s = open('samples/a-san.xml', encoding='utf-8').read()
s = s.replace('<name>髙橋 𠮷郎</name>', '<name>' + '<b>' * 100000 + 'x' + '</b>' * 100000 + '</name>')
open(sys.argv[1], 'w', encoding='utf-8').write(s)
EOF
refused "$TMP/deep.xml" '入れ子が深すぎます' 5

# A NUL byte in text (libxml2 alone would call it a "premature end of data").
python3 - "$TMP/nul.xml" <<'EOF'
import sys
s = open('samples/a-san.xml', encoding='utf-8').read()
open(sys.argv[1], 'w', encoding='utf-8').write(s.replace('髙橋 𠮷郎', '髙橋\0𠮷郎'))
EOF
refused "$TMP/nul.xml" 'NUL 文字（U\+0000）' 5

# UTF-16 would hide a DOCTYPE from the byte scan: refused as a whole, with what to do.
iconv -f UTF-8 -t UTF-16 samples/a-san.xml > "$TMP/utf16.xml"
refused "$TMP/utf16.xml" 'UTF-8 で保存してください' 1

# Shift_JIS (ASCII-compatible) is converted: a vendor's file in it renders.
sed '1s/UTF-8/Shift_JIS/; s/𠮷/吉/; s/髙/高/; s/﨑/崎/g' samples/a-san.xml | iconv -f UTF-8 -t SHIFT_JIS > "$TMP/sjis.xml" 2>/dev/null
check "a Shift_JIS file renders" "$PF" render --form plan "$TMP/sjis.xml" -o "$TMP/sjis.pdf"
check "a Shift_JIS file: its text is in the PDF" sh -c "pdftotext '$TMP/sjis.pdf' - | grep -q '高橋 吉郎'"

# The size limit: default 16 MB, --max-size to change it; the file is not even read whole.
cp samples/a-san.xml "$TMP/limit.xml"
refused "$TMP/limit.xml" '大きすぎます（上限 1024 バイト' '' --max-size 1K
check "--max-size 1M lets the sample through" "$PF" validate --max-size 1M samples/a-san.xml
check "--max-size with a bad value is a usage error (2)" expect_error 2 'max-size' -- "$PF" validate --max-size 12X samples/a-san.xml
check "--max-size 0 is a usage error (2)" expect_error 2 'max-size' -- "$PF" validate --max-size 0 samples/a-san.xml
python3 - "$TMP/huge.xml" <<'EOF'
import sys
s = open('samples/a-san.xml', encoding='utf-8').read()
pad = '<!-- ' + 'x' * (17 * 1024 * 1024) + ' -->\n'
open(sys.argv[1], 'w', encoding='utf-8').write(s.replace('<person>', pad + '<person>', 1))
EOF
refused "$TMP/huge.xml" '上限 16777216 バイト'
check "a 17 MB file is refused in batch too" expect_error 1 '上限 16777216' -- sh -c "mkdir -p '$TMP/hb' && cp '$TMP/huge.xml' '$TMP/hb/' && '$PF' batch '$TMP/hb' -o '$TMP/hbo' --quiet"
rm -f "$TMP/huge.xml"; rm -rf "$TMP/hb" "$TMP/hbo"

# A field far longer than any form holds (55,000 characters) still renders, every character of
# it, on 別紙 continuation sheets. (This once read freed memory when a sheet's heading was set.)
python3 - "$TMP/long.xml" <<'EOF'
import sys
s = open('samples/a-san.xml', encoding='utf-8').read()
long = '本人の様子を記録する。' * 5000 + '最後の一文。'
s = s.replace('<notes>こだわり行動が出た時は手順書に沿って対応する。</notes>', '<notes>' + long + '</notes>', 1)
open(sys.argv[1], 'w', encoding='utf-8').write(s)
EOF
check "a 55,000-character field renders" "$PF" render --form plan "$TMP/long.xml" -o "$TMP/long.pdf"
check "a 55,000-character field: over 20 pages, 別紙 headed" sh -c "[ \$(pdfinfo '$TMP/long.pdf' | awk '/^Pages:/ { print \$2 }') -gt 20 ] && pdftotext '$TMP/long.pdf' - | grep -q '別紙（サービス等利用計画）'"
check "a 55,000-character field: every 様 and the last sentence are in the text" sh -c "[ \$(pdftotext '$TMP/long.pdf' - | grep -o '様' | wc -l) = 5000 ] && pdftotext '$TMP/long.pdf' - | grep -q '最後の一文。'"
check "a 55,000-character field: qpdf --check" qpdf --check "$TMP/long.pdf"

# Personal data stays out of messages (they end up in other systems' logs) unless --verbose.
sed 's/<recipient-number>1234567890</<recipient-number>987654321</' samples/a-san.xml > "$TMP/rn.xml"
refused "$TMP/rn.xml" '10桁の数字'
check "9-digit 受給者証番号: the number is not in the message" not_grep '987654321' "$TMP/err.txt"
check "--verbose: the number is in the message" expect_error 1 '987654321' -- "$PF" render --verbose "$TMP/rn.xml" -o "$TMP/rn.pdf"
sed 's/<kana>タカハシ キチロウ<\/kana>/<kana>タカハシ キチロウ<\/kana><nickname>キッちゃん<\/nickname>/' samples/a-san.xml > "$TMP/nick.xml"
refused "$TMP/nick.xml" 'not expected' 6
check "an unknown element: its text is not in the message" not_grep 'キッちゃん' "$TMP/err.txt"
sed 's/<copay-limit>9300</<copay-limit>-9300</' samples/a-san.xml > "$TMP/copay.xml"
refused "$TMP/copay.xml" '0以上の整数'
check "a negative 利用者負担上限額: the amount is not in the message" not_grep '9300' "$TMP/err.txt"
sed 's/<name>髙橋 𠮷郎<\/name>/<name>髙橋 😀郎<\/name>/' samples/a-san.xml > "$TMP/emoji2.xml"
refused "$TMP/emoji2.xml" 'U\+1F600' 5
check "an unprintable character: the name is not in the message" not_grep '髙橋|😀' "$TMP/err.txt"

# A truncated font file (a broken copy or download) is exit 3 naming the file, not a crash and
# not a blank box. The data directory's fonts.conf finds only the broken copy.
mkdir -p "$TMP/fd/fonts/files" && cp -r templates "$TMP/fd/" &&
    head -c 7800000 "$(fc-match -f '%{file}' IPAexMincho)" > "$TMP/fd/fonts/files/broken.ttf" &&
    printf '<?xml version="1.0"?>\n<fontconfig><dir>%s/fonts/files</dir><cachedir>%s/cache</cachedir></fontconfig>\n' "$TMP/fd" "$TMP/fd" > "$TMP/fd/fonts/fonts.conf" &&
    printf 'mincho IPAexMincho\ngothic IPAexMincho\n' > "$TMP/fd/fonts/chain.conf"
check "truncated font: exit 3 naming the file" expect_error 3 'broken.ttf: .*壊れているか' -- "$PF" render --data "$TMP/fd" samples/a-san.xml -o "$TMP/fd.pdf"
check "truncated font: no output file" test ! -e "$TMP/fd.pdf"
rm -rf "$TMP/fd"

# --password-file: AES-256 (revision 6), print and copy allowed, editing not; the password comes
# from a file only. The test password mixes Japanese and ASCII (revision 6 passwords are UTF-8).
printf 'ひみつ-2024 pass\n' > "$TMP/pw"
PW='ひみつ-2024 pass'
check "--password-file: render exits 0" "$PF" render --password-file "$TMP/pw" samples/a-san.xml -o "$TMP/enc.pdf"
qpdf --show-encryption --password="$PW" "$TMP/enc.pdf" > "$TMP/enc.txt" 2>&1
check "--password-file: AES-256, revision 6" sh -c "grep -q '^R = 6' '$TMP/enc.txt' && grep -q 'file encryption method: AESv3' '$TMP/enc.txt'"
check "--password-file: the password is the user password (the newline is not part of it)" grep -q 'Supplied password is user password' "$TMP/enc.txt"
check "--password-file: printing allowed" grep -q 'print high resolution: allowed' "$TMP/enc.txt"
check "--password-file: editing not allowed" sh -c "grep -q 'modify anything: not allowed' '$TMP/enc.txt' && grep -q 'modify document assembly: not allowed' '$TMP/enc.txt'"
check "--password-file: the file does not open without the password" fails pdftotext "$TMP/enc.pdf" "$TMP/enc-no.txt"
check "--password-file: with it, every character is there" sh -c "pdftotext -upw '$PW' '$TMP/enc.pdf' - | grep -q '髙橋 𠮷郎'"
check "--password-file: qpdf --check" qpdf --check --password="$PW" "$TMP/enc.pdf"
check "--password-file: mode 0600" sh -c "[ \$(stat -c %a '$TMP/enc.pdf') = 600 ]"
check "--password-file: the PDF does not hold the name in the clear" fails grep -qa 'Takahashi\|髙橋' "$TMP/enc.pdf"
check "--password is refused, pointing to --password-file (2)" expect_error 2 'password-file' -- "$PF" render --password secret samples/a-san.xml -o "$TMP/pw.pdf"
check "--password: the password is not echoed" not_grep 'secret' "$TMP/err.txt"
check "--password=...: refused too" expect_error 2 'password-file' -- "$PF" render --password=secret samples/a-san.xml -o "$TMP/pw.pdf"
check "--pass (an abbreviation) is refused too" expect_error 2 'password-file' -- "$PF" render --pass secret samples/a-san.xml -o "$TMP/pw.pdf"
check "--password-file: a missing file is exit 4, no output" expect_error 4 'nope' -- "$PF" render --password-file "$TMP/nope" samples/a-san.xml -o "$TMP/pw.pdf"
check "--password-file: an empty first line is refused (2)" expect_error 2 '空です' -- sh -c "printf '\nx\n' > '$TMP/pw0' && '$PF' render --password-file '$TMP/pw0' samples/a-san.xml -o '$TMP/pw.pdf'"
check "--password-file: a NUL in the password is refused, not cut there (2)" expect_error 2 'NUL' -- sh -c "printf 'ab\\000cd\\n' > '$TMP/pwnul' && '$PF' render --password-file '$TMP/pwnul' samples/a-san.xml -o '$TMP/pw.pdf'"
check "--password-file: no output after a refused password" test ! -e "$TMP/pw.pdf"
check "--password-file is for render and batch only (2)" expect_error 2 'password-file does not apply to validate \(only to render, batch\)' -- "$PF" validate --password-file "$TMP/pw" samples/a-san.xml
mkdir -p "$TMP/pin" && cp samples/a-san.xml samples/child.xml "$TMP/pin/"
check "batch --password-file: exits 0" "$PF" batch "$TMP/pin" -o "$TMP/pout" --print "$TMP/pout/print.pdf" --password-file "$TMP/pw" --quiet
check "batch --password-file: each person's PDF and the print file are AES-256" sh -c "for f in '$TMP'/pout/*.pdf; do qpdf --show-encryption --password='$PW' \"\$f\" | grep -q 'file encryption method: AESv3' || exit 1; done; [ \$(ls '$TMP'/pout/*.pdf | wc -l) = 3 ]"
check "batch --password-file: the print file keeps its pages and bookmarks" sh -c "[ \$(pdfinfo -upw '$PW' '$TMP/pout/print.pdf' | awk '/^Pages:/ { print \$2 }') = 12 ] && qpdf --password='$PW' --json --json-key=outlines '$TMP/pout/print.pdf' | grep -q '\"title\": \"髙橋 𠮷郎\"'"
check "batch --password-file: no unencrypted file left behind (only the PDFs and the names file)" sh -c "[ -z \"\$(ls -A '$TMP/pout' | grep -v '\.pdf$' | grep -vx '.planform.names')\" ] && [ -z \"\$(ls -A '$TMP/pout' | grep '^\.' | grep -vx '.planform.names')\" ]"
rm -rf "$TMP/pin" "$TMP/pout"

# A truncated template or schema is exit 3 naming the file and line, in two lines of planform's
# own (libxml2 prints nothing of its own), and no output.
mkdir -p "$TMP/td/fonts" && cp -r templates "$TMP/td/" && cp fonts/* "$TMP/td/fonts/" &&
    head -c 3000 templates/service-use-plan.xml > "$TMP/td/templates/service-use-plan.xml"
check "truncated template: exit 3 naming file and line" expect_error 3 'service-use-plan.xml:[0-9]+: .*テンプレートを読めません' -- "$PF" render --data "$TMP/td" samples/a-san.xml -o "$TMP/td.pdf"
check "truncated template: only planform's two lines on stderr" sh -c "[ \$(wc -l < '$TMP/err.txt') = 2 ]"
check "truncated template: no output file" test ! -e "$TMP/td.pdf"
cp templates/service-use-plan.xml "$TMP/td/templates/" && head -c 2000 templates/plan.xsd > "$TMP/td/templates/plan.xsd"
check "truncated schema: exit 3 naming file and line" expect_error 3 'plan.xsd:[0-9]+: .*スキーマを読めません' -- "$PF" render --data "$TMP/td" samples/a-san.xml -o "$TMP/td.pdf"
check "truncated schema: only planform's two lines on stderr" sh -c "[ \$(wc -l < '$TMP/err.txt') = 2 ]"
rm -f "$TMP/td/templates/plan.xsd"
check "missing schema: exit 3, only planform's two lines" sh -c "'$PF' validate --data '$TMP/td' samples/a-san.xml 2> '$TMP/e2.txt'; [ \$? = 3 ] && [ \$(wc -l < '$TMP/e2.txt') = 2 ]"
rm -rf "$TMP/td"

# Every input the fuzzer (make fuzz) once crashed on: it renders or is refused (exit 0 or 1),
# never a crash or a sanitizer finding (86), and what renders is a valid PDF.
for xml in tests/fuzz/regressions/*.xml; do
    [ -f "$xml" ] || continue
    name=$(basename "$xml" .xml)
    "$PF" render "$xml" -o "$TMP/fz.pdf" >/dev/null 2>"$TMP/fz.err"
    rc=$?
    check "fuzz regression $name: exit 0 or 1 (got $rc)" sh -c "[ $rc = 0 ] || [ $rc = 1 ]"
    [ "$rc" = 0 ] && check "fuzz regression $name: qpdf --check" qpdf --check "$TMP/fz.pdf"
    rm -f "$TMP/fz.pdf"
done

# Every data directory the data fuzzer (make fuzz-data) once crashed on: tests/fuzz/
# regressions-data/NAME/ holds the files that differ from the repository's templates/ and fonts/
# (fonts/files/: fonts of its own, found through a fonts.conf written here) and `args`, the
# sample and --form. planform renders or stops with a clean error (exit 0, 1 or 3), never a
# crash or a sanitizer finding (86).
for d in tests/fuzz/regressions-data/*/; do
    [ -f "$d/args" ] || continue
    name=$(basename "$d") dd="$TMP/fzd"
    rm -rf "$dd" && mkdir -p "$dd" && cp -r templates fonts "$dd/"
    for sub in templates fonts; do [ ! -d "$d/$sub" ] || cp -rT "$d/$sub" "$dd/$sub"; done
    [ ! -d "$d/fonts/files" ] || printf '<?xml version="1.0"?>\n<fontconfig><dir>%s/fonts/files</dir><dir>/usr/share/fonts</dir><dir>/usr/local/share/fonts</dir><cachedir>%s/cache</cachedir><cachedir>/var/cache/fontconfig</cachedir></fontconfig>\n' "$dd" "$dd" > "$dd/fonts/fonts.conf"
    read -r -a args < "$d/args"
    "$PF" render --data "$dd" "${args[@]}" -o "$TMP/fzd.pdf" >/dev/null 2>"$TMP/fzd.err"
    rc=$?
    check "fuzz data regression $name: exit 0, 1 or 3 (got $rc)" sh -c "[ $rc = 0 ] || [ $rc = 1 ] || [ $rc = 3 ]"
    [ "$rc" = 0 ] && check "fuzz data regression $name: qpdf --check" qpdf --check "$TMP/fzd.pdf"
    [ "$rc" = 3 ] && check "fuzz data regression $name: the error names a file" grep -q '^planform: /' "$TMP/fzd.err"
    rm -rf "$dd" "$TMP/fzd.pdf"
done

# (weekly-wrap-10-minutes) A span that wraps past the grid's end by ten minutes: that sliver is
# shaded but too low for text, so the label stands once, in the span's main block.
sed 's|<span days="sun" start="22:00" end="06:00">夜間の見守り</span>|<span days="sun" start="22:00" end="06:10">夜間の見守り</span>|' samples/overflow.xml > "$TMP/wrap10.xml"
check "a span 10 minutes past the grid's end renders" "$PF" render --form plan "$TMP/wrap10.xml" -o "$TMP/wrap10.pdf"
check "  … its label is printed once" sh -c "[ \$(pdftotext -f 3 -l 3 '$TMP/wrap10.pdf' - | grep -c '夜間の見守り') = 1 ]"
sed 's|<span days="sun" start="22:00" end="06:00">夜間の見守り</span>|<span days="sun" start="22:00" end="08:00">夜間の見守り</span>|' samples/overflow.xml > "$TMP/wrap2h.xml"
check "  … but a part two hours long carries it too" sh -c "'$PF' render --form plan '$TMP/wrap2h.xml' -o '$TMP/wrap2h.pdf' && [ \$(pdftotext -f 3 -l 3 '$TMP/wrap2h.pdf' - | grep -c '夜間の見守り') = 2 ]"

# A DOCTYPE is looked for where XML allows one, the prolog: behind comments and processing
# instructions it is found (with its line); "<!DOCTYPE" as text later on (a CDATA section, a
# comment) is just text. Something odd before the root makes the search strict again.
{ sed -n 1p samples/a-san.xml; printf '<!-- exported by a vendor <!-- -->\n<?vendor x="1"?>\n\n<!DOCTYPE bundle [<!ENTITY x "y">]>\n'; sed '1d' samples/a-san.xml; } > "$TMP/dt-prolog.xml"
refused "$TMP/dt-prolog.xml" 'DOCTYPE' 5
sed 's|<notes>こだわり行動が出た時は手順書に沿って対応する。</notes>|<notes><![CDATA[書式 <!DOCTYPE html> の説明]]></notes><!-- <!DOCTYPE x> -->|' samples/a-san.xml > "$TMP/dt-text.xml"
check "'<!DOCTYPE' as text in a CDATA section renders" "$PF" render --form plan "$TMP/dt-text.xml" -o "$TMP/dt-text.pdf"
# (a line may end at the space before の説明: spaces and line ends are not compared)
check "  … and the text is in the PDF as written" sh -c "pdftotext '$TMP/dt-text.pdf' - | tr -d '\n ' | grep -q '書式<!DOCTYPEhtml>の説明'"
printf '<?xml version="1.0" encoding="?>"?>\n<!DOCTYPE bundle [<!ENTITY a "b">]>\n<bundle/>\n' > "$TMP/dt-odd.xml"
refused "$TMP/dt-odd.xml" 'DOCTYPE' 2

# A refused value shorter than the "…" that replaces it (issue 11): the message stays valid
# UTF-8 (once the byte 0xA6 was left of a cut "…", and a system reading stderr as UTF-8 failed).
short_values_utf8() {
    local v
    for v in "" "-1" "ab" "x"; do
        sed "s|<copay-limit>[0-9]*</copay-limit>|<copay-limit>$v</copay-limit>|" samples/a-san.xml > "$TMP/short.xml"
        "$PF" validate "$TMP/short.xml" 2> "$TMP/short.err" > /dev/null
        python3 -c "import sys; t = open(sys.argv[1], 'rb').read().decode('utf-8'); sys.exit(0 if \"'…'\" in t else 1)" "$TMP/short.err" ||
            { echo "value '$v':"; od -c "$TMP/short.err" | tail -5; return 1; }
    done
}
check "short refused values: the message is valid UTF-8 and shows '…'" short_values_utf8

# Whitespace (issue 11): what XML allows around a value is not content; a TAB inside is a space.
sed 's|<name>髙橋 𠮷郎</name>|<name>\n      髙橋 𠮷郎\n    </name>|' samples/a-san.xml > "$TMP/ws-name.xml"
"$PF" render "$TMP/ws-name.xml" -o "$TMP/ws-name.pdf" && "$PF" render samples/a-san.xml -o "$TMP/ws-plain.pdf"
check "a pretty-printed name: the same PDF as the plain one" cmp "$TMP/ws-name.pdf" "$TMP/ws-plain.pdf"
sed 's|<kind>就労継続支援B型</kind>|<kind>就労継続支援B型 </kind>|' samples/a-san.xml > "$TMP/ws-kind.xml"
"$PF" check --json --today 2024-08-01 samples/a-san.xml > "$TMP/ws-kind-plain.json" 2>&1
"$PF" check --json --today 2024-08-01 "$TMP/ws-kind.xml" > "$TMP/ws-kind.json" 2>&1
check "a kind with a trailing space: the same check findings" bash -c "diff <(sed 's/ws-kind.xml/a-san.xml/; s|$TMP/||; s|samples/||' '$TMP/ws-kind.json') <(sed 's|samples/||' '$TMP/ws-kind-plain.json')"
sed "s|<name>髙橋 𠮷郎</name>|<name>髙橋$(printf '\t')𠮷郎</name>|" samples/a-san.xml > "$TMP/ws-tab.xml"
check "a TAB pasted into a name: rendered, as a space" bash -c "'$PF' render '$TMP/ws-tab.xml' -o '$TMP/ws-tab.pdf' && pdftotext '$TMP/ws-tab.pdf' - | grep -q '髙橋 𠮷郎'"

# Shift_JIS as Japanese Windows systems write it (issue 11): read as CP932, so 髙, ① and ～
# (U+FF5E) come through as typed (strict Shift_JIS refused the file as "not well-formed").
sed -e 's|encoding="UTF-8"|encoding="Shift_JIS"|' -e 's|<name>髙橋 𠮷郎</name>|<name>髙橋 ①郎～</name>|' -e 's|𠮷|吉|g' samples/a-san.xml |
    iconv -f UTF-8 -t CP932 > "$TMP/cp932.xml"
check "a CP932 file declaring Shift_JIS renders" "$PF" render "$TMP/cp932.xml" -o "$TMP/cp932.pdf"
check "  … with 髙, ① and ～ (U+FF5E, not U+301C) as typed" sh -c "pdftotext '$TMP/cp932.pdf' - | grep -q '髙橋 ①郎～'"
for n in SJIS x-sjis MS_Kanji; do
    sed "s|encoding=\"Shift_JIS\"|encoding=\"$n\"|" "$TMP/cp932.xml" > "$TMP/cp932-$n.xml"
    check "encoding=\"$n\" is read as CP932 too" "$PF" validate "$TMP/cp932-$n.xml"
done

# An encoding error names the encoding assumed, the byte offset and the line (issue 11); it
# used to be "Premature end of data in tag name", which sends the user looking for a tag.
python3 - "$TMP" <<'PY'
import sys
t = sys.argv[1]
d = open(t + "/cp932.xml", "rb").read()
i = d.index(b"</name>")
open(t + "/enc-sjis-undefined.xml", "wb").write(d[:i] + b"\x85\x40" + d[i:])   # no such CP932 pair
open(t + "/enc-sjis-lead.xml", "wb").write(d[:i] + b"\x82" + d[i:])             # a lead byte alone
open(t + "/enc-undeclared.xml", "wb").write(d.replace(b' encoding="Shift_JIS"', b""))
u = d.decode("cp932").replace("Shift_JIS", "EUC-JP").encode("euc_jp", errors="replace")
open(t + "/enc-euc.xml", "wb").write(u)
open(t + "/enc-euc-bad.xml", "wb").write(u.replace(b"</name>", b"\xa1</name>", 1))
open(t + "/enc-unknown.xml", "wb").write(d.replace(b'"Shift_JIS"', b'"x-nonesuch"'))
nd = d.replace(b' encoding="Shift_JIS"', b"")
k = nd.index(b"\x82")
# offsets, and the lines they are on (counted here, not written down: samples change)
open(t + "/enc-offsets", "w").write("%d %d %d %d\n" % (i, d[:i].count(b"\n") + 1, k, nd[:k].count(b"\n") + 1))
PY
read -r sjis_at sjis_line undeclared_at undeclared_line < "$TMP/enc-offsets"
check "an undefined CP932 byte pair: offset, bytes, Shift_JIS read as CP932, the line" expect_error 1 \
    "enc-sjis-undefined.xml:$sjis_line: bundle: bytes at offset $sjis_at \\(0x85 0x40\\) are not valid Shift_JIS \\(read as CP932\\)" -- \
    "$PF" validate "$TMP/enc-sjis-undefined.xml"
check "  … and in Japanese" grep -q "先頭から $sjis_at バイトの位置のバイト列（0x85 0x40）は文字コード Shift_JIS（CP932 として読みました）の文字ではありません" "$TMP/err.txt"
check "  … render says the same" expect_error 1 "offset $sjis_at \\(0x85 0x40\\)" -- \
    "$PF" render "$TMP/enc-sjis-undefined.xml" -o "$TMP/enc.pdf"
check "a lead byte with no trail byte: its offset" expect_error 1 \
    "bytes at offset $sjis_at \\(0x82\\) are not valid Shift_JIS" -- "$PF" validate "$TMP/enc-sjis-lead.xml"
check "Shift_JIS with no declaration: UTF-8 assumed, said so, and how to declare it" expect_error 1 \
    "enc-undeclared.xml:$undeclared_line: bundle: bytes at offset $undeclared_at \\(0x82\\) are not valid UTF-8; if the file was saved as Shift_JIS, declare it" -- \
    "$PF" validate "$TMP/enc-undeclared.xml"
check "  … one line each, no stray libxml2 \"Bytes:\" line" test "$(wc -l < "$TMP/err.txt")" = 2
check "EUC-JP is read" "$PF" validate "$TMP/enc-euc.xml"
check "a bad EUC-JP byte: named as EUC-JP" expect_error 1 "enc-euc-bad.xml:$sjis_line: bundle: bytes at offset [0-9]+ \\(0xA1\\) are not valid EUC-JP" -- \
    "$PF" validate "$TMP/enc-euc-bad.xml"
check "an encoding nobody has: named, not \"not well-formed\"" expect_error 1 \
    "enc-unknown.xml:1: bundle: the encoding x-nonesuch is not supported" -- "$PF" validate "$TMP/enc-unknown.xml"
check "invalid UTF-8: its offset" expect_error 1 "bad-invalid-utf8.xml:12: bundle: bytes at offset [0-9]+ \\(0xFF\\) are not valid UTF-8" -- \
    "$PF" validate tests/cases/bad-invalid-utf8.xml
