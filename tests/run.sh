#!/usr/bin/env bash
# The test runner: every unit program, then the end-to-end suites (tests/*.sh), against each
# build named on the command line (default build/test); `make test` passes the -Werror build and
# the AddressSanitizer + UBSan build. Ends with the one line "N passed, N failed" for all.
set -u
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- build/test
export TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL [$B]: $*"; }
# not_grep PATTERN FILE: passes when FILE has no line matching PATTERN (grep -E).
not_grep() { ! grep -qE -- "$1" "$2"; }
# fails COMMAND...: passes when the command fails (for showing that a check can fail).
fails() { ! "$@"; }
# check NAME COMMAND...: passes when the command exits 0.
check() { local name=$1; shift; if "$@" >"$TMP/check.out" 2>&1; then ok; else bad "$name"; sed 's/^/    /' "$TMP/check.out" | head -20; fi; }

for B in "$@"; do
    export PF="$B/planform" ROUNDTRIP="$B/tests/roundtrip"
    rm -rf "${TMP:?}"/*
    for t in "$B"/tests/test_*; do
        [ -x "$t" ] || continue
        out=$("$t" 2>&1)
        status=$?
        line=$(printf '%s\n' "$out" | grep -E '^unit: [0-9]+ passed, [0-9]+ failed$' | tail -1)
        if [ -z "$line" ]; then
            bad "$(basename "$t") crashed or printed no tally"
            printf '%s\n' "$out" | tail -20 | sed 's/^/    /'
            continue
        fi
        p=$(echo "$line" | sed -E 's/unit: ([0-9]+) passed, ([0-9]+) failed/\1/')
        f=$(echo "$line" | sed -E 's/unit: ([0-9]+) passed, ([0-9]+) failed/\2/')
        passed=$((passed + p)) failed=$((failed + f))
        if [ "$f" = 0 ] && [ "$status" != 0 ]; then  # a sanitizer report after the tally
            bad "$(basename "$t") exited $status"
            printf '%s\n' "$out" | tail -30 | sed 's/^/    /'
        fi
        [ "$f" = 0 ] || printf '%s\n' "$out" | grep -E '^FAIL|got:|want:' | sed "s/^/    $(basename "$t"): /"
    done

    # SUITES="tests/integrity.sh" runs only those (after the ones whose helpers they use)
    for suite in ${SUITES:-tests/samples.sh tests/errors.sh tests/cli.sh tests/isp.sh tests/monitoring.sh tests/batch.sh tests/integrity.sh tests/hostile.sh tests/resources.sh tests/privacy.sh tests/layout-limits.sh tests/preflight.sh tests/templates.sh tests/install.sh tests/coverage.sh tests/diagnostics.sh tests/attack11.sh tests/valgrind.sh}; do
        # shellcheck source=/dev/null
        . "$suite"
    done
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
