# Diagnostics other systems can parse (issue 11, part 4): --json error lines of validate, render
# and batch, their stable codes (README, "Diagnostic codes"), the ids of check --json findings,
# batch --report, and stderr that is valid UTF-8 whatever the input. Every JSON line is read
# with python3's json module. Sourced by tests/run.sh.

# jsonl.py MODE ARGS...: the checks, in Python (json.loads, strict UTF-8 decoding).
cat > "$TMP/jsonl.py" <<'PY'
import json, os, re, subprocess, sys

def codes():
    text = open("README.md", encoding="utf-8").read()
    part = text[text.index("### Diagnostic codes"):]
    part = part[:part.index("\n## ")]
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", part, re.M))

KEYS = {"code", "severity", "status", "file", "line", "field", "field_ja", "message_ja",
        "message_en"}

def lines(path):
    data = open(path, "rb").read().decode("utf-8")  # raises on invalid UTF-8
    return [l for l in data.split("\n") if l != ""]

def error_line(line, status, file):
    e = json.loads(line)
    assert set(e) == KEYS, "keys: %s" % sorted(e)
    assert e["code"] in codes(), "code %r is not in the README" % e["code"]
    assert e["severity"] == "error" and e["status"] == int(status), e
    assert file is None or e["file"] == file, "file %r, want %r" % (e["file"], file)
    assert e["line"] is None or (isinstance(e["line"], int) and e["line"] > 0), e
    assert isinstance(e["message_ja"], str) and e["message_ja"], e
    assert isinstance(e["message_en"], str) and e["message_en"], e
    for k in ("field", "field_ja"):
        assert e[k] is None or (isinstance(e[k], str) and e[k]), e
    return e

mode, args = sys.argv[1], sys.argv[2:]
if mode == "one-error":  # STDERR STATUS FILE [CODE]: exactly one error line
    ls = lines(args[0])
    assert len(ls) == 1, "%d lines on stderr: %r" % (len(ls), ls)
    e = error_line(ls[0], args[1], args[2])
    if len(args) > 3:
        assert e["code"] == args[3], "code %r, want %r" % (e["code"], args[3])
elif mode == "field":  # STDERR KEY VALUE: the one error's KEY is VALUE (a number for line)
    e = json.loads(lines(args[0])[0])
    want = int(args[2]) if args[1] == "line" else args[2]
    assert e[args[1]] == want, "%s: %r, want %r" % (args[1], e[args[1]], want)
elif mode == "utf8":  # FILE...: each is valid UTF-8
    for p in args:
        open(p, "rb").read().decode("utf-8")
elif mode == "ok-lines":  # STDOUT FILE...: one {"file", "status": "ok"} a file, in order
    got = [json.loads(l) for l in lines(args[0])]
    assert got == [{"file": f, "status": "ok"} for f in args[1:]], got
elif mode == "finding":  # JSON RULE KEY=VALUE...: a finding of RULE with these ids
    fs = [f for f in json.load(open(args[0], encoding="utf-8")) if f["rule"] == args[1]]
    assert fs, "no finding " + args[1]
    want = dict(a.split("=", 1) for a in args[2:] if not a.startswith("!"))
    absent = [a[1:] for a in args[2:] if a.startswith("!")]
    assert any(all(f.get(k) == v for k, v in want.items()) and
               not any(k in f for k in absent) for f in fs), fs
elif mode == "batch-stderr":  # STDERR FILE...: one error line per failed input, in order
    ls = lines(args[0])
    assert len(ls) == len(args) - 1, "%d lines: %r" % (len(ls), ls)
    for l, f in zip(ls, args[1:]):
        error_line(l, 1, f)
elif mode == "report":  # REPORT OUTDIR STDERR INPUT=STATUS...: the report against the disk
    rep = [json.loads(l) for l in lines(args[0])]
    outdir, errs = args[1], [json.loads(l) for l in lines(args[2])]
    want = [a.split("=", 1) for a in args[3:]]
    assert [(r["input"], r["status"]) for r in rep] == [tuple(w) for w in want], rep
    listed = set()
    for r in rep:
        assert set(r) == {"input", "outputs", "pages", "status", "error"}, r
        if r["status"] == "ok":
            assert r["error"] is None and len(r["outputs"]) == 1, r
            out = r["outputs"][0]
            assert os.path.isfile(out) and os.path.dirname(out) == outdir, out
            info = subprocess.run(["pdfinfo", out], capture_output=True, text=True).stdout
            pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
            assert r["pages"] == pages, "pages %d, pdfinfo %d" % (r["pages"], pages)
            listed.add(os.path.basename(out))
        else:
            assert r["outputs"] == [] and r["pages"] == 0, r
            if r["status"] == "failed":
                error_line(json.dumps(r["error"]), r["error"]["status"], r["input"])
                assert r["error"] in errs, "report's error is not the stderr line"
    on_disk = {f for f in os.listdir(outdir) if f.endswith(".pdf")}
    assert on_disk == listed, "on disk %r, listed %r" % (on_disk, listed)
else:
    sys.exit("unknown mode " + mode)
PY
J() { python3 "$TMP/jsonl.py" "$@"; }

# validate --json and render --json over every bad case: exit 1, nothing on stdout, exactly one
# JSON error line on stderr, naming the file, with a code from the README's list.
for xml in tests/cases/bad-*.xml; do
    [ -f "$xml" ] || continue
    n=$(basename "$xml" .xml)
    "$PF" validate --json "$xml" >"$TMP/d.out" 2>"$TMP/d.err"
    check "$n: validate --json exits 1" test $? = 1
    check "$n: validate --json: nothing on stdout" test ! -s "$TMP/d.out"
    check "$n: validate --json: one JSON error line" J one-error "$TMP/d.err" 1 "$xml"
    "$PF" render --json "$xml" -o "$TMP/d.pdf" >"$TMP/d.out" 2>"$TMP/d.err"
    check "$n: render --json exits 1" test $? = 1
    check "$n: render --json: one JSON error line" J one-error "$TMP/d.err" 1 "$xml"
    check "$n: render --json: no PDF" test ! -e "$TMP/d.pdf"
done

# Codes of the refusals, finer than the status: a few the README table names.
for c in doctype-entity:doctype-refused bad-date-feb-30:invalid-date month-13:invalid-date \
         unknown-element:unexpected-element unknown-attribute:unknown-attribute \
         duplicate-need-id:duplicate wrong-namespace:not-a-bundle not-well-formed:xml-not-well-formed \
         invalid-utf8:xml-encoding control-char:control-char deep-nesting:too-deep \
         recipient-9-digits:invalid-value; do
    xml=tests/cases/bad-${c%%:*}.xml
    [ -f "$xml" ] || xml=tests/cases/${c%%:*}.xml
    "$PF" validate --json "$xml" 2>"$TMP/d.err" >/dev/null
    check "$(basename "$xml"): code ${c##*:}" J one-error "$TMP/d.err" 1 "$xml" "${c##*:}"
done
"$PF" validate --json tests/cases/bad-recipient-9-digits.xml 2>"$TMP/d.err" >/dev/null
check "recipient-number: field and line in the JSON line" J field "$TMP/d.err" field recipient-number
check "recipient-number: field_ja in the JSON line" J field "$TMP/d.err" field_ja 障害福祉サービス受給者証番号
check "recipient-number: line 8" J field "$TMP/d.err" line 8

# validate --json: a JSON line per valid file on stdout; errors on stderr; exit 1 for the lot.
"$PF" validate --json samples/a-san.xml tests/cases/bad-month-13.xml samples/child.xml >"$TMP/d.out" 2>"$TMP/d.err"
check "validate --json: exit 1 with one invalid file" test $? = 1
check "validate --json: {file, status: ok} per valid file on stdout" J ok-lines "$TMP/d.out" samples/a-san.xml samples/child.xml
check "validate --json: the invalid one's line on stderr" J one-error "$TMP/d.err" 1 tests/cases/bad-month-13.xml invalid-date

# render --json: errors of the system and of what was asked, with their codes.
"$PF" render --json "$TMP/does-not-exist.xml" -o "$TMP/d.pdf" 2>"$TMP/d.err"
check "render --json, missing input: exit 4" test $? = 4
check "render --json, missing input: io-read" J one-error "$TMP/d.err" 4 "$TMP/does-not-exist.xml" io-read
"$PF" render --json --form evaluation samples/child.xml -o "$TMP/d.pdf" 2>"$TMP/d.err"
check "render --json --form evaluation without one: form-not-in-bundle" J one-error "$TMP/d.err" 1 samples/child.xml form-not-in-bundle
sed 's/<name>髙橋 𠮷郎<\/name>/<name>髙橋 😀郎<\/name>/' samples/a-san.xml > "$TMP/emoji.xml"
"$PF" render --json "$TMP/emoji.xml" -o "$TMP/d.pdf" 2>"$TMP/d.err"
check "render --json, a character no font has: char-not-printable" J one-error "$TMP/d.err" 1 "$TMP/emoji.xml" char-not-printable
check "render --json, a character no font has: field name" J field "$TMP/d.err" field name
sed 's/<goal id="aoba-1" need="need-work" priority="1">/<goal id="aoba-1" need="need-nowhere" priority="1">/' samples/a-san.xml > "$TMP/d-link.xml"
"$PF" render --json "$TMP/d-link.xml" -o "$TMP/d.pdf" 2>"$TMP/d.err"
check "render --json, a goal naming no need: broken-link" J one-error "$TMP/d.err" 1 "$TMP/d-link.xml" broken-link

# JSON escaping of what comes from outside: a file name with a quote, a backslash, a newline,
# a bidi override and a byte that is not UTF-8 (that one becomes U+FFFD).
odd="$TMP/$(printf 'a"b\\c\nd\342\200\256e.xml')"
cp tests/cases/bad-month-13.xml "$odd"
"$PF" validate --json "$odd" 2>"$TMP/d.err" >/dev/null
check "file name with quote, backslash, newline, U+202E: one JSON line naming it exactly" J one-error "$TMP/d.err" 1 "$odd" invalid-date
check "U+202E written as an escape, not raw" not_grep "$(printf '\342\200\256')" "$TMP/d.err"
bytes="$TMP/$(printf 'x\377y.xml')"
cp tests/cases/bad-month-13.xml "$bytes"
"$PF" validate --json "$bytes" 2>"$TMP/d.err" >/dev/null
check "file name with a byte that is not UTF-8: U+FFFD in the JSON line" J one-error "$TMP/d.err" 1 "$TMP/x�y.xml" invalid-date
rm -f "$odd" "$bytes"

# check --json: a finding carries the ids it is about (goal and need by their ids).
"$PF" check --json --today 2024-08-01 "$TMP/d-link.xml" >"$TMP/d.json" 2>/dev/null
check "check --json: goal-need-missing names plan, need, isp, goal" J finding "$TMP/d.json" goal-need-missing plan=plan-2024-04 need=need-nowhere isp=isp-aoba-2024-04 goal=aoba-1
sed '/<individual-support-plan id="isp-sora-2024-04"/,/<\/individual-support-plan>/ s/need="need-leisure"/need="need-home"/' samples/a-san.xml > "$TMP/d-uncovered.xml"
"$PF" check --json --today 2024-08-01 "$TMP/d-uncovered.xml" >"$TMP/d.json" 2>/dev/null
check "check --json: need-not-reflected names plan and need, no isp or goal" J finding "$TMP/d.json" need-not-reflected plan=plan-2024-04 need=need-leisure '!isp' '!goal'
"$PF" schedule --json --today 2024-08-01 samples/a-san.xml >"$TMP/d.json" 2>/dev/null
check "schedule --json parses" python3 -c "import json,sys; assert json.load(open(sys.argv[1]))[0]['plan'] == 'plan-2024-04'" "$TMP/d.json"
"$PF" check --json "$TMP/does-not-exist.xml" >/dev/null 2>"$TMP/d.err"
check "check --json, missing input: a JSON error line" J one-error "$TMP/d.err" 4 "$TMP/does-not-exist.xml" io-read

# batch --json: stderr holds one JSON line per failed bundle and nothing else (no progress, no
# summary); --report lists every bundle, matching the files written and their pages.
rm -rf "$TMP/din" "$TMP/dout"; mkdir "$TMP/din"
cp samples/a-san.xml samples/child.xml "$TMP/din/"
cp tests/cases/bad-month-13.xml "$TMP/din/b-month.xml"
cp tests/cases/bad-invalid-utf8.xml "$TMP/din/c-utf8.xml"
"$PF" batch --json "$TMP/din" -o "$TMP/dout" --jobs 2 --report "$TMP/report.jsonl" >"$TMP/d.out" 2>"$TMP/d.err"
check "batch --json: exit 1 with failed bundles" test $? = 1
check "batch --json: one JSON line per failed bundle, nothing else" J batch-stderr "$TMP/d.err" "$TMP/din/b-month.xml" "$TMP/din/c-utf8.xml"
check "batch --report: a line per bundle, matching the PDFs and their pages" J report "$TMP/report.jsonl" "$TMP/dout" "$TMP/d.err" "$TMP/din/a-san.xml=ok" "$TMP/din/b-month.xml=failed" "$TMP/din/c-utf8.xml=failed" "$TMP/din/child.xml=ok"
check "batch --report: mode 0600 (file names hold people's names)" test "$(stat -c %a "$TMP/report.jsonl")" = 600
check "batch --report: no temporary file left" sh -c "! ls -A '$TMP' | grep -q '^\.planform-'"
# --fail-fast: what was not started is listed as such.
rm -rf "$TMP/dout"
"$PF" batch --json "$TMP/din" -o "$TMP/dout" --jobs 1 --fail-fast --report "$TMP/report.jsonl" >/dev/null 2>"$TMP/d.err"
check "batch --fail-fast --report: the rest listed as not-started" J report "$TMP/report.jsonl" "$TMP/dout" "$TMP/d.err" "$TMP/din/a-san.xml=ok" "$TMP/din/b-month.xml=failed" "$TMP/din/c-utf8.xml=not-started" "$TMP/din/child.xml=not-started"
"$PF" batch "$TMP/din" -o "$TMP/dout" --print - --report - >/dev/null 2>"$TMP/d.err"
check "batch --print - --report -: exit 2 (both standard output)" test $? = 2
"$PF" batch "$TMP/din" -o "$TMP/dout" --quiet --report - >"$TMP/d.out" 2>/dev/null
check "batch --report -: the report on standard output" sh -c "[ \$(wc -l < '$TMP/d.out') = 4 ] && python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' '$TMP/d.out'"

# Every message on stderr is valid UTF-8 whatever the input: short values that are redacted
# (0 to 3 bytes, shorter than the "…" put in their place) and an element whose long Japanese
# name libxml2's message cuts inside a character; text and --json.
for fv in recipient-number: recipient-number:1 recipient-number:12 recipient-number:123 \
          support-category: support-category:3 support-category:12 support-category:区 \
          copay-limit: copay-limit:- copay-limit:-1 copay-limit:-12 copay-limit:あ; do
        field=${fv%%:*} v=${fv#*:}
        sed "s|<$field>[^<]*</$field>|<$field>$v</$field>|" samples/a-san.xml > "$TMP/short.xml"
        "$PF" validate "$TMP/short.xml" 2>"$TMP/d.txt" >/dev/null
        "$PF" validate --json "$TMP/short.xml" 2>"$TMP/d.err" >/dev/null
        check "$field '$v': stderr UTF-8 (text and JSON)" J utf8 "$TMP/d.txt" "$TMP/d.err"
        check "$field '$v': one JSON line" J one-error "$TMP/d.err" 1 "$TMP/short.xml"
        [ -n "$v" ] && check "$field '$v': the value is not quoted" not_grep "'$v'" "$TMP/d.txt"
        check "$field '$v': the value redacted whole, as '…'" grep -q "'…' is not" "$TMP/d.txt"
done
"$PF" validate tests/fuzz/regressions/message-cut-in-character.xml 2>"$TMP/d.txt" >/dev/null
check "a message libxml2 cut inside a character: stderr is UTF-8" J utf8 "$TMP/d.txt"
"$PF" validate --json tests/fuzz/regressions/message-cut-in-character.xml 2>"$TMP/d.err" >/dev/null
check "a message libxml2 cut inside a character: one JSON line" J one-error "$TMP/d.err" 1 tests/fuzz/regressions/message-cut-in-character.xml
