# Issue 11's work tried by an unlucky user, an integrating vendor and an attacker: each case is
# a defect found that way (--report against --print and a folder, a UTF-8 BOM before a
# Shift_JIS declaration, usage errors under --json, an empty password through the library).
# Sourced by tests/run.sh.

A11="$TMP/a11"
mkdir -p "$A11/in"
cp samples/a-san.xml samples/child.xml "$A11/in/"

# --report and --print naming one file (under any spelling): the report would replace the
# print file at the end of the run. Refused before anything is written (exit 2).
"$PF" batch "$A11/in" -o "$A11/o1" --quiet --print "$A11/p.pdf" --report "$A11/./p.pdf" \
    >/dev/null 2>"$A11/o1.err"
check "a11: --report on --print's file is exit 2" test $? = 2
check "a11: ... naming both options" grep -q -- '--report' "$A11/o1.err"
check "a11: ... and writes nothing" test ! -e "$A11/p.pdf" -a -z "$(ls "$A11/o1" 2>/dev/null)"
ln -s p2.pdf "$A11/p2-link.pdf"
"$PF" batch "$A11/in" -o "$A11/o2" --quiet --print "$A11/p2.pdf" --report "$A11/p2-link.pdf" \
    >/dev/null 2>"$A11/o2.err"
check "a11: --report through a link to --print's file is exit 2" test $? = 2

# --report naming a folder: refused before the batch runs, not after it (the run was wasted).
mkdir "$A11/rdir"
"$PF" batch "$A11/in" -o "$A11/o3" --quiet --report "$A11/rdir" >/dev/null 2>"$A11/o3.err"
check "a11: --report on a folder is exit 4" test $? = 4
check "a11: ... before any PDF is written" test -z "$(ls "$A11/o3" 2>/dev/null)"
