# tests/lib.sh — what every end-to-end suite may use: the tally (ok, bad, check) and the
# helpers that read PDFs and messages back. tests/run.sh sources it before the suites; a suite
# uses only these and its own functions, never another suite's files or functions, so any one
# runs alone: SUITES=tests/batch.sh tests/run.sh build/test.
#
# The environment a suite gets: PF (the planform under test), ROUNDTRIP, B (the build folder),
# TMP (a scratch folder emptied before each build's run).

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL [$B]: $*"; }
# not_grep PATTERN FILE: passes when FILE has no line matching PATTERN (grep -E).
not_grep() { ! grep -qE -- "$1" "$2"; }
# fails COMMAND...: passes when the command fails (for showing that a check can fail).
fails() { ! "$@"; }
# check NAME COMMAND...: passes when the command exits 0.
check() { local name=$1; shift; if "$@" >"$TMP/check.out" 2>&1; then ok; else bad "$name"; sed 's/^/    /' "$TMP/check.out" | head -20; fi; }

# expect_error STATUS PATTERN -- COMMAND...: exits STATUS and stderr matches PATTERN (grep -E).
expect_error() {
    local status=$1 pattern=$2; shift 3
    "$@" >"$TMP/err.out" 2>"$TMP/err.txt"
    local got=$?
    [ "$got" = "$status" ] || { echo "exit $got, want $status"; cat "$TMP/err.txt"; return 1; }
    grep -qE -- "$pattern" "$TMP/err.txt" || { echo "stderr lacks /$pattern/:"; cat "$TMP/err.txt"; return 1; }
}

# Two lines, the first with Japanese (UTF-8 lead bytes of kana and kanji, E3–E9: no locale
# needed), the second in ASCII English.
two_languages() {
    [ "$(grep -c '^planform: ' "$1")" -ge 2 ] &&
        sed -n 1p "$1" | LC_ALL=C grep -q "$(printf '[\343-\351]')" &&
        sed -n 2p "$1" | LC_ALL=C grep -q '^planform: [ -~]*[a-z]'
}

# pages_expected FILE: the page count the data implies, from tests/samples.expect
pages_expected() { awk -v f="$(basename "$1")" '$1 == f { print $2 }' tests/samples.expect; }

fonts_ok() {  # every font embedded, subset, with ToUnicode
    pdffonts "$1" | awk 'NR > 2 { n++; if ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") bad++ }
                         END { exit (n == 0 || bad) }'
}

pages_are() { [ "$(pdfinfo "$1" | awk '/^Pages:/ { print $2 }')" = "$2" ]; }

# No line of the PDF text starts with a character that may not begin a line (JLReq cl-02…),
# and none ends with an opening bracket.
kinsoku_ok() {
    pdftotext -raw "$1" - | grep -v '^$' > "$TMP/lines.txt"
    ! grep -E '^(、|。|，|．|）|」|』|】|〕|〉|》|］|｝|ー|ぁ|ぃ|ぅ|ぇ|ぉ|っ|ゃ|ゅ|ょ|ァ|ィ|ゥ|ェ|ォ|ッ|ャ|ュ|ョ|・|：|；|？|！|々|〜)' "$TMP/lines.txt" &&
    ! grep -E '(（|「|『|【|〔|〈|《|［|｛)$' "$TMP/lines.txt"
}

# has FILE TEXT: TEXT stands in FILE, wherever the layout broke its lines
has() { tr -d '\n\f ' < "$1" | grep -qF -- "$(printf '%s' "$2" | tr -d ' ')"; }

# exits N COMMAND...: the command exits with status N
exits() { local want=$1; shift; "$@" > /dev/null 2>&1; [ $? = "$want" ]; }

# lim_xml OUT PYTHON: samples/a-san.xml changed by the Python statements (on `s`), into OUT.
lim_xml() {
    python3 - "$1" "$2" <<'EOF'
import random, re, sys
s = open('samples/a-san.xml', encoding='utf-8').read()
exec(sys.argv[2])
open(sys.argv[1], 'w', encoding='utf-8').write(s)
EOF
}

# finding FILE RULE: `check --json` (seen from 2024-08-01) reports RULE for FILE
finding() { "$PF" check --today 2024-08-01 --json "$1" > "$TMP/f.json"; grep -q "\"rule\": \"$2\"" "$TMP/f.json"; }
# silent FILE: `check` (seen from 2024-08-01) finds nothing in FILE
silent() { out=$("$PF" check --today 2024-08-01 "$1") && [ -z "$out" ]; }

# line_of FILE STRING: the number of the first line of FILE holding STRING (fixed, not a
# pattern): a test names the line it means rather than a number that moves when a sample or a
# template is edited.
line_of() { grep -nF -- "$2" "$1" | head -1 | cut -d: -f1; }
