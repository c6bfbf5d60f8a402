# What an encrypted PDF shows without the password (issue 10, item 4): nothing about the person.
# qpdf leaves the trailer /ID, names and numbers in the clear; the old /ID was an MD5 of the time
# and the Info strings (the surname recoverable with a list of surnames and the file's mtime),
# and the subset tags a hash of the glyph ids (a tag of the names-only font gave away 𠮷). Each
# encrypted file here is attacked the way the issue describes and must give nothing away.
# Also (item 11): a UTF-8 BOM at the start of the password file is not part of the password.
# Sourced by tests/run.sh.

PV="python3 $PWD/tests/tools/pdf_privacy.py"
PVPW='ひみつ privacy 2024'
printf '%s\n' "$PVPW" > "$TMP/pv-pw"
# Common surnames and the three of the samples (髙橋, 﨑山, 髙﨑), with their plain spellings.
PV_SURNAMES='佐藤 鈴木 高橋 髙橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 崎山 﨑山 高崎 髙﨑'

pv_decrypt() { qpdf --password="$PVPW" --qdf --object-streams=disable "$1" "$2"; }
pv_tags() { $PV tags "$1" | sort -u; }
# pv_disjoint A B: no line of file A is a line of file B (and A is not empty)
pv_disjoint() { [ -s "$1" ] && [ -z "$(comm -12 "$1" "$2")" ]; }
# pv_fonts_ok PDF: with the password, every font embedded, seen as a subset, with ToUnicode
pv_fonts_ok() {
    pdffonts -upw "$PVPW" "$1" | awk 'NR > 2 { n++; if ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") bad++ }
                                     END { exit (n == 0 || bad) }'
}

# pv_encrypted LABEL PDF PLAIN_TAGS TEXT...: the checks every encrypted file must pass. PLAIN_TAGS
# lists the subset tags of the same input rendered without a password (the glyph hash); TEXT are
# the person's name parts.
pv_encrypted() {
    local label=$1 pdf=$2 plain=$3; shift 3
    pv_decrypt "$pdf" "$pdf.qdf"
    check "$label: opens with the password, qpdf --check" qpdf --check --password="$PVPW" "$pdf"
    check "$label: the surname attack on the /ID recovers nothing" $PV attack "$pdf" "$pdf.qdf" $PV_SURNAMES
    check "$label: no name part in the clear (UTF-8, UTF-16BE, hex)" $PV clear "$pdf" "$@"
    check "$label: no font name or subset tag in the clear" sh -c "[ -z \"\$($PV tags '$pdf')\" ] && ! grep -qa 'IPAmj\|IPAex' '$pdf'"
    pv_tags "$pdf.qdf" > "$pdf.tags"
    check "$label: subset tags (seen with the password) are none of the glyph-hash tags" pv_disjoint "$pdf.tags" "$plain"
    check "$label: fonts embedded as subsets with ToUnicode" pv_fonts_ok "$pdf"
    check "$label: the /ID is two 16-byte words" sh -c "$PV id '$pdf' | grep -qE '^[0-9a-f]{32} [0-9a-f]{32}\$'"
}

# ---- render ----------------------------------------------------------------------------------
"$PF" render samples/a-san.xml -o "$TMP/pv-plain.pdf"
pv_tags "$TMP/pv-plain.pdf" > "$TMP/pv-plain.tags"
check "the unencrypted render has subset tags to compare with (3 fonts)" test "$(wc -l < "$TMP/pv-plain.tags")" = 3
check "render --password-file exits 0 (twice)" sh -c "'$PF' render --password-file '$TMP/pv-pw' samples/a-san.xml -o '$TMP/pv-1.pdf' && '$PF' render --password-file '$TMP/pv-pw' samples/a-san.xml -o '$TMP/pv-2.pdf'"
pv_encrypted "a-san encrypted" "$TMP/pv-1.pdf" "$TMP/pv-plain.tags" 髙橋 𠮷郎 タカハシ
pv_encrypted "a-san encrypted again" "$TMP/pv-2.pdf" "$TMP/pv-plain.tags" 髙橋 𠮷郎 タカハシ
check "two renders of the same input: different /ID" test "$($PV id "$TMP/pv-1.pdf" | cut -d' ' -f1)" != "$($PV id "$TMP/pv-2.pdf" | cut -d' ' -f1)"
check "two renders of the same input: different subset tags (random, not from the glyphs)" pv_disjoint "$TMP/pv-1.pdf.tags" "$TMP/pv-2.pdf.tags"
check "with the password, the text is all there" sh -c "pdftotext -upw '$PVPW' '$TMP/pv-1.pdf' - | grep -q '髙橋 𠮷郎'"
# the checks can fail: the unencrypted file shows its tags, the name and (qpdf adds an /ID) the
# attack recovers the surname from a file whose /ID is qpdf's MD5 of the time and Info
check "(the clear-text check sees a name: unencrypted file)" fails $PV clear "$TMP/pv-plain.pdf" 髙橋
check "(the tag check sees tags: unencrypted file)" test -n "$($PV tags "$TMP/pv-plain.pdf")"
qpdf --encrypt "$PVPW" owner 256 -- "$TMP/pv-plain.pdf" "$TMP/pv-qpdf.pdf" && pv_decrypt "$TMP/pv-qpdf.pdf" "$TMP/pv-qpdf.qdf"
check "(the attack works on qpdf's own /ID: recovers 髙橋)" sh -c "[ \"\$($PV attack '$TMP/pv-qpdf.pdf' '$TMP/pv-qpdf.qdf' $PV_SURNAMES)\" = 髙橋 ]"
check "with the password, Info /Subject is still the name (encrypted, nothing derived from it)" grep -qa '/Subject <feff9ad96a4b0020d842dfb790ce>' "$TMP/pv-1.pdf.qdf"

# Two bundles that differ only in the name's rare glyph (𠮷 and 𠀀, both only in IPAmjMincho).
# Unencrypted, the tag of IPAmjMincho is a hash of that one glyph: the leak. Encrypted, no tag
# is a glyph hash.
sed 's/𠮷郎/𠀀郎/' samples/a-san.xml > "$TMP/pv-b.xml"
"$PF" render "$TMP/pv-b.xml" -o "$TMP/pv-b-plain.pdf"
pv_tags "$TMP/pv-b-plain.pdf" > "$TMP/pv-b-plain.tags"
check "(unencrypted, the IPAmjMincho tag depends on the rare glyph: what the attack inverts)" sh -c "[ \"\$(grep IPAmj '$TMP/pv-plain.tags')\" != \"\$(grep IPAmj '$TMP/pv-b-plain.tags')\" ] && [ -n \"\$(grep IPAmj '$TMP/pv-b-plain.tags')\" ]"
check "render --password-file of the 𠀀 bundle exits 0" "$PF" render --password-file "$TMP/pv-pw" "$TMP/pv-b.xml" -o "$TMP/pv-b.pdf"
cat "$TMP/pv-plain.tags" "$TMP/pv-b-plain.tags" | sort -u > "$TMP/pv-ab.tags"
pv_encrypted "𠀀 bundle encrypted" "$TMP/pv-b.pdf" "$TMP/pv-ab.tags" 髙橋 𠀀郎
check "a-san and the 𠀀 bundle encrypted: no tag in common" pv_disjoint "$TMP/pv-1.pdf.tags" "$TMP/pv-b.pdf.tags"

# ---- the password file: a UTF-8 BOM (Notepad) is not part of the password -----------------------
printf '\357\273\277secret\r\n' > "$TMP/pv-bom"
check "a password file with a BOM: render exits 0" "$PF" render --password-file "$TMP/pv-bom" samples/a-san.xml -o "$TMP/pv-bom.pdf"
check "a password file with a BOM: opens with the password without it" sh -c "qpdf --show-encryption --password=secret '$TMP/pv-bom.pdf' | grep -q 'Supplied password is user password'"
check "a password file with only a BOM is an empty first line (2)" expect_error 2 '空です' -- sh -c "printf '\357\273\277\n' > '$TMP/pv-bom0' && '$PF' render --password-file '$TMP/pv-bom0' samples/a-san.xml -o '$TMP/pv-bom0.pdf'"

# ---- batch with a print file ------------------------------------------------------------------
mkdir -p "$TMP/pv-in" && cp samples/a-san.xml samples/child.xml samples/overflow.xml "$TMP/pv-in/"
"$PF" batch "$TMP/pv-in" -o "$TMP/pv-plain-out" --print "$TMP/pv-plain-out/print.pdf" --quiet 2>/dev/null
for f in "$TMP"/pv-plain-out/*.pdf; do pv_tags "$f"; done | sort -u > "$TMP/pv-batch-plain.tags"
for run in 1 2; do
    check "batch --password-file --print exits 0 (run $run)" "$PF" batch "$TMP/pv-in" -o "$TMP/pv-out$run" --print "$TMP/pv-out$run/print.pdf" --password-file "$TMP/pv-pw" --quiet
done
check "batch: three people and a print file" test "$(ls "$TMP"/pv-out1/*.pdf | wc -l)" = 4
pv_encrypted "batch 髙橋" "$TMP/pv-out1/髙橋_𠮷郎_plan-2024-04~a-san.pdf" "$TMP/pv-batch-plain.tags" 髙橋 𠮷郎
pv_encrypted "batch 﨑山" "$TMP/pv-out1/﨑山_葛󠄀太_child-2024-06~child.pdf" "$TMP/pv-batch-plain.tags" 﨑山 葛󠄀太
pv_encrypted "batch 髙﨑" "$TMP/pv-out1/髙﨑_隆之介_overflow-2024~overflow.pdf" "$TMP/pv-batch-plain.tags" 髙﨑 隆之介
pv_encrypted "batch print file" "$TMP/pv-out1/print.pdf" "$TMP/pv-batch-plain.tags" 髙橋 𠮷郎 﨑山 髙﨑 隆之介
pv_tags "$TMP/pv-plain-out/print.pdf" > "$TMP/pv-print-plain.tags"
check "batch print file: as many distinct font names as unencrypted (each person's own)" test "$(wc -l < "$TMP/pv-out1/print.pdf.tags")" = "$(wc -l < "$TMP/pv-print-plain.tags")"
check "batch print file: the bookmarks still name each person (with the password)" sh -c "qpdf --password='$PVPW' --json --json-key=outlines '$TMP/pv-out1/print.pdf' | grep -q '\"title\": \"髙﨑 隆之介\"'"
check "two batches: every file has a different /ID" sh -c "cd '$TMP/pv-out1' && for f in *.pdf; do [ \"\$($PV id \"\$f\" | cut -d' ' -f1)\" != \"\$($PV id \"../pv-out2/\$f\" | cut -d' ' -f1)\" ] || exit 1; done"
pv_decrypt "$TMP/pv-out2/print.pdf" "$TMP/pv-out2/print.qdf" && pv_tags "$TMP/pv-out2/print.qdf" > "$TMP/pv-out2/print.tags"
check "two batches: the print files have no subset tag in common" pv_disjoint "$TMP/pv-out1/print.pdf.tags" "$TMP/pv-out2/print.tags"
rm -rf "$TMP"/pv-*
