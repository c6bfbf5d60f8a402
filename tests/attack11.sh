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

# A UTF-8 byte order mark before a Shift_JIS declaration: a Shift_JIS file re-saved by Notepad
# as "UTF-8 (BOM)" keeps its old declaration. The mark settles it: read as UTF-8 (libxml2 went
# by the declaration and said "Premature end of data in tag name"); and Shift_JIS bytes after
# the mark are an encoding error that names the mark, not advice to declare Shift_JIS.
{ printf '\357\273\277'; sed 's/encoding="UTF-8"/encoding="Shift_JIS"/' samples/a-san.xml; } >"$A11/bom-decl.xml"
"$PF" render "$A11/bom-decl.xml" -o "$A11/bom-decl.pdf" 2>"$A11/bom-decl.err"
check "a11: BOM + Shift_JIS declaration + UTF-8 text renders" test $? = 0
check "a11: ... with the names as typed" grep -q '髙橋 𠮷郎' <(pdftotext "$A11/bom-decl.pdf" - 2>/dev/null)
{ printf '\357\273\277'; sed 's/𠮷/吉/; s/encoding="UTF-8"/encoding="Shift_JIS"/' samples/a-san.xml |
    iconv -f UTF-8 -t CP932; } >"$A11/bom-sjis.xml"
"$PF" validate --json "$A11/bom-sjis.xml" 2>"$A11/bom-sjis.err"
check "a11: BOM + Shift_JIS bytes is exit 1" test $? = 1
check "a11: ... an encoding error" grep -q '"code": "xml-encoding"' "$A11/bom-sjis.err"
check "a11: ... naming the byte order mark" grep -q 'byte order mark' "$A11/bom-sjis.err"
check "a11: ... not telling to declare what is declared" not_grep 'declare it on the first line' "$A11/bom-sjis.err"

# --json: a program that asked for JSON lines gets nothing else on stderr, also when the command
# line is wrong, even before --json is read (it got three text lines and "Try 'planform --help'").
cat > "$TMP/a11-json.py" <<'PY'
import json, sys
data = open(sys.argv[1], "rb").read().decode("utf-8")
lines = [l for l in data.split("\n") if l]
assert lines, "nothing on stderr"
for l in lines:
    e = json.loads(l)
    assert e["code"] == "usage" and e["status"] == 2, e
    assert sys.argv[2] in e["message_en"], e
PY
"$PF" validate --jobs 2 --json "$A11/in/a-san.xml" >/dev/null 2>"$A11/u1.err"
check "a11: validate --json --jobs: exit 2" test $? = 2
check "a11: ... as one JSON line naming --jobs" python3 "$TMP/a11-json.py" "$A11/u1.err" --jobs
"$PF" validate --bogus "$A11/in/a-san.xml" --json >/dev/null 2>"$A11/u2.err"
check "a11: an unknown option before --json: exit 2" test $? = 2
check "a11: ... as one JSON line naming it" python3 "$TMP/a11-json.py" "$A11/u2.err" --bogus
"$PF" batch --json "$A11/in" >/dev/null 2>"$A11/u3.err"
check "a11: batch --json without -o: a JSON line" python3 "$TMP/a11-json.py" "$A11/u3.err" OUTDIR
"$PF" render -o --json "$A11/in/a-san.xml" --jobs 2 >/dev/null 2>"$A11/u4.err"
check "a11: '-o --json' names a file: text as before" grep -q "^Try 'planform --help'" "$A11/u4.err"
"$PF" render "$A11/in/a-san.xml" --json -o >/dev/null 2>"$A11/u5.err"
check "a11: --json, -o without its value: a JSON line naming -o" python3 "$TMP/a11-json.py" "$A11/u5.err" "missing its value: -o"

# validate and render agree on a very long name (33,000 characters; fields take 100,000):
# validate said ok and render failed with "cannot build the PDF (libharu error 0x1025)", exit
# 4, since the name is also the PDF's Subject and libharu takes no string over 65,535 bytes.
python3 -c '
import sys
s = open("samples/a-san.xml", encoding="utf-8").read()
open(sys.argv[1], "w", encoding="utf-8").write(s.replace("<name>髙橋 𠮷郎</name>", "<name>" + "あ" * 33000 + "</name>", 1))
' "$A11/longname.xml"
"$PF" validate "$A11/longname.xml" >/dev/null 2>&1
check "a11: a 33,000-character name validates" test $? = 0
"$PF" render "$A11/longname.xml" -o "$A11/longname.pdf" 2>"$A11/longname.err"
check "a11: ... and renders (validate's ok holds)" test $? = 0
check "a11: ... the PDF whole" qpdf --check "$A11/longname.pdf"
check "a11: ... the name printed" grep -q 'ああああああああああ' <(pdftotext "$A11/longname.pdf" - 2>/dev/null)
check "a11: ... its Subject what fits of the name" grep -qE '^Subject: +あああ' <(pdfinfo "$A11/longname.pdf" 2>/dev/null)

# A Shift_JIS declaration with line breaks around its '=' (XML allows any white space there):
# not seen, so libxml2 read strict Shift_JIS (no 髙) and planform said "not valid UTF-8; if the
# file was saved as Shift_JIS, declare it".
{ printf '<?xml version="1.0"\n  encoding\n  =\n  "Shift_JIS"?>\n'
  sed '1d; s/𠮷/吉/' samples/a-san.xml | iconv -f UTF-8 -t CP932; } >"$A11/nl-decl.xml"
"$PF" validate "$A11/nl-decl.xml" >/dev/null 2>"$A11/nl-decl.err"
check "a11: a Shift_JIS declaration over several lines is read as CP932" test $? = 0

# An output that names an input (under any spelling) replaced a person's bundle with a report,
# a print file or a PDF: refused, exit 2, the bundle untouched. (draft-isp -o FILE may name
# its input: it writes the bundle again with the draft added.)
mkdir "$A11/vin"
cp samples/a-san.xml samples/child.xml "$A11/vin/"
"$PF" batch "$A11/vin" -o "$A11/vo1" --quiet --report "$A11/vin/child.xml" >/dev/null 2>&1
check "a11: --report naming an input: exit 2" test $? = 2
check "a11: ... the bundle untouched" cmp -s samples/child.xml "$A11/vin/child.xml"
"$PF" batch "$A11/vin" -o "$A11/vo2" --quiet --print "$A11/vin/../vin/a-san.xml" >/dev/null 2>&1
check "a11: --print naming an input: exit 2" test $? = 2
check "a11: ... the bundle untouched" cmp -s samples/a-san.xml "$A11/vin/a-san.xml"
printf '%s\n' "$A11/vin/child.xml" >"$A11/vin.list"
"$PF" batch "$A11/vin.list" -o "$A11/vo3" --quiet --report "$A11/vin.list" >/dev/null 2>&1
check "a11: --report naming the manifest: exit 2" test $? = 2
"$PF" render "$A11/vin/a-san.xml" -o "$A11/vin/./a-san.xml" 2>/dev/null
check "a11: render -o naming the input: exit 2" test $? = 2
check "a11: ... the bundle untouched" cmp -s samples/a-san.xml "$A11/vin/a-san.xml"
"$PF" draft-isp "$A11/vin/a-san.xml" --provider aoba -o "$A11/vin/a-san.xml" 2>/dev/null
check "a11: draft-isp -o its own input still writes it again" grep -q 'individual-support-plan' "$A11/vin/a-san.xml"

# A manifest line with blanks after its forms (a spreadsheet's export, an editor's trailing
# space): "unknown forms: plan " and exit 2 for the whole batch.
printf '%s plan \n%s\t\n' "$A11/in/a-san.xml" "$A11/in/child.xml" >"$A11/blanks.list"
"$PF" batch "$A11/blanks.list" -o "$A11/bo" --quiet --report "$A11/blanks.jsonl" 2>"$A11/blanks.err"
check "a11: manifest forms with trailing blanks: exit 0" test $? = 0
check "a11: ... a-san with its plan only (2 pages)" grep -q '"pages": 2, "status": "ok"' "$A11/blanks.jsonl"

# The bash completion offers each subcommand exactly the long options its --help lists
# (--version aside): validate was not offered --form, which it takes.
a11_offered() {
    bash --norc --noprofile -c '. contrib/bash-completion/planform; COMP_WORDS=(planform "$1" --)
        COMP_CWORD=2; _planform; printf "%s\n" "${COMPREPLY[@]}"' _ "$1" | sort -u
}
for c in render validate check schedule draft-isp batch; do
    "$PF" "$c" --help | grep -oE '^  +(-., )?--[a-z-]+' | grep -oE -- '--[a-z-]+' |
        grep -vx -- --version | sort -u >"$A11/help-$c.txt"
    a11_offered "$c" >"$A11/offered-$c.txt"
    check "a11: completion offers $c its options, as its --help lists them" \
        diff "$A11/help-$c.txt" "$A11/offered-$c.txt"
done

# Whitespace around a value is not content (doc/input-format.md, "Whitespace": "every text and
# attribute (names, kinds and ids too)"), for the schema too: a pretty-printed 受給者証番号 or
# date, a 区分 with a TAB after it, ids with blanks around them were refused by the schema.
python3 - "$A11" <<'PY'
import sys
d = sys.argv[1]
s = open("samples/a-san.xml", encoding="utf-8").read()
s = s.replace("<recipient-number>1234567890</recipient-number>",
              "<recipient-number>\n      1234567890\n    </recipient-number>", 1)
s = s.replace("<support-category>区分4</support-category>", "<support-category> 区分4\t</support-category>", 1)
s = s.replace("<created>2024-04-10</created>", "<created> 2024-04-10 </created>", 1)
s = s.replace('id="need-work"', "id=' need-work '", 1)
s = s.replace('need="need-work"', 'need="need-work\n"')
open(d + "/ws.xml", "w", encoding="utf-8").write(s)
PY
"$PF" validate "$A11/ws.xml" >/dev/null 2>"$A11/ws.err"
check "a11: blanks around a number, a 区分, a date and ids: validate ok" test $? = 0
"$PF" render "$A11/ws.xml" -o "$A11/ws.pdf" 2>/dev/null
check "a11: ... render ok" test $? = 0
check "a11: ... the number printed without them" grep -q '1 *2 *3 *4 *5 *6 *7 *8 *9 *0' <(pdftotext "$A11/ws.pdf" - 2>/dev/null)
"$PF" check --json --today 2024-08-01 "$A11/ws.xml" >"$A11/ws.json" 2>/dev/null
check "a11: ... and the goals still find need-work" not_grep 'need-missing' "$A11/ws.json"

# validate and render agree on a bundle that uses more glyphs of one font than a PDF array of
# libharu's may hold (32,767): 52,000 ideographs IPAmj明朝 has. validate said ok; render said
# "cannot write the PDF font objects", exit 4.
python3 - "$A11/glyphs.xml" "$(fc-match -f '%{file}' IPAmjMincho)" <<'PY'
import re, subprocess, sys
cps = []
for r in subprocess.run(["fc-query", "--format=%{charset}", sys.argv[2]], capture_output=True,
                        text=True).stdout.split():
    a, _, b = r.partition("-")
    cps += range(int(a, 16), int(b or a, 16) + 1)
t = "".join(chr(c) for c in cps if 0x3400 <= c <= 0x9FFF or 0x20000 <= c <= 0x3134F)
assert len(t) > 40000, len(t)
s = open("samples/a-san.xml", encoding="utf-8").read()
for i, f in enumerate(["wishes", "policy"]):
    s = re.sub(r"<%s>.*?</%s>" % (f, f), lambda m: "<%s>%s</%s>" % (f, t[i * 30000:(i + 1) * 30000], f), s, count=1)
open(sys.argv[1], "w", encoding="utf-8").write(s)
open(sys.argv[1] + ".last", "w", encoding="utf-8").write(t[min(len(t), 60000) - 6:min(len(t), 60000)])
PY
"$PF" validate "$A11/glyphs.xml" >/dev/null 2>&1
check "a11: 50,000 distinct ideographs: validate ok" test $? = 0
"$PF" render "$A11/glyphs.xml" -o "$A11/glyphs.pdf" 2>"$A11/glyphs.err"
check "a11: ... and render ok too" test $? = 0
check "a11: ... a whole PDF" qpdf --check "$A11/glyphs.pdf"
check "a11: ... the last of them printed" grep -qF -- "$(cat "$A11/glyphs.xml.last")" <(pdftotext "$A11/glyphs.pdf" - 2>/dev/null)
