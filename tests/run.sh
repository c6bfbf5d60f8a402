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

. tests/lib.sh

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

    # Every tests/*.sh but this runner and lib.sh, in name order: a new suite is picked up by
    # being there. valgrind.sh runs last only because it is the slowest. SUITES="tests/batch.sh"
    # runs just those (each suite stands alone: it uses lib.sh and nothing of another suite).
    if [ -n "${SUITES:-}" ]; then
        suites=$SUITES
    else
        suites=$(ls tests/*.sh | grep -vxE 'tests/(run|lib|valgrind)\.sh')
        [ -e tests/valgrind.sh ] && suites="$suites tests/valgrind.sh"
    fi
    for suite in $suites; do
        # shellcheck source=/dev/null
        . "$suite"
    done
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
