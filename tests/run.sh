#!/usr/bin/env bash
# The test runner: every unit program, then the end-to-end suites (tests/*.sh), against the
# build in $1 (default build/test). Ends with the line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
B=${1:-build/test}
export PF="$B/planform" ROUNDTRIP="$B/tests/roundtrip"
export TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
# check NAME COMMAND...: passes when the command exits 0.
check() { local name=$1; shift; if "$@" >"$TMP/check.out" 2>&1; then ok; else bad "$name"; sed 's/^/    /' "$TMP/check.out" | head -20; fi; }

for t in "$B"/tests/test_*; do
    [ -x "$t" ] || continue
    out=$("$t" 2>&1)
    line=$(printf '%s\n' "$out" | grep -E '^unit: [0-9]+ passed, [0-9]+ failed$' | tail -1)
    if [ -z "$line" ]; then
        bad "$(basename "$t") crashed or printed no tally"
        printf '%s\n' "$out" | tail -20 | sed 's/^/    /'
        continue
    fi
    p=$(echo "$line" | sed -E 's/unit: ([0-9]+) passed, ([0-9]+) failed/\1/')
    f=$(echo "$line" | sed -E 's/unit: ([0-9]+) passed, ([0-9]+) failed/\2/')
    passed=$((passed + p)) failed=$((failed + f))
    [ "$f" = 0 ] || printf '%s\n' "$out" | grep -E '^FAIL|got:|want:' | sed "s/^/    $(basename "$t"): /"
done

for suite in tests/samples.sh tests/errors.sh tests/cli.sh; do
    # shellcheck source=/dev/null
    . "$suite"
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
