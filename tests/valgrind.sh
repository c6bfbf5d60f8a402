# A valgrind pass (issue 6): every sample rendered, a batch with a print file and passwords, and
# a refused bundle, with no memory error and no leak (definite or indirect). The ASan build is
# left out: valgrind cannot run a binary built with AddressSanitizer, and that build has its own
# leak checker. Sourced by tests/run.sh.
if ! case "$B" in *asan*) true ;; *) false ;; esac; then
    # memcheck PROGRAM ARGS...: the program's own exit status, or 86 on a valgrind finding.
    memcheck() {
        valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
            --show-leak-kinds=definite,indirect --error-exitcode=86 "$@" >"$TMP/vg.out" 2>"$TMP/vg.txt"
        local rc=$?
        [ "$rc" != 86 ] || { cat "$TMP/vg.txt"; return 1; }
        return 0
    }
    for xml in samples/*.xml; do
        name=$(basename "$xml" .xml)
        check "valgrind: $name renders clean" memcheck "$PF" render "$xml" -o "$TMP/vg-$name.pdf"
        check "valgrind: $name rendered" test -s "$TMP/vg-$name.pdf"
    done
    printf 'vg-pass\n' > "$TMP/vg-pw"
    check "valgrind: batch --jobs 2 with print file and password, clean" memcheck "$PF" batch samples -o "$TMP/vg-out" --jobs 2 --print "$TMP/vg-out/print.pdf" --duplex --password-file "$TMP/vg-pw" --quiet
    check "valgrind: the batch wrote its print file" test -s "$TMP/vg-out/print.pdf"
    check "valgrind: a refused bundle, clean" memcheck "$PF" render tests/cases/bad-unknown-element.xml -o "$TMP/vg-bad.pdf"
    check "valgrind: check and schedule, clean" sh -c "valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=86 '$PF' check samples/a-san.xml --today 2024-08-01 >/dev/null; [ \$? != 86 ] && valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=86 '$PF' schedule samples/a-san.xml --today 2024-08-01 >/dev/null"
    # ...and the check can fail: a program that leaks is caught.
    printf '#include <stdlib.h>\nint main(void) { void *p = malloc(64); p = 0; return p != 0; }\n' > "$TMP/leak.c"
    cc -O0 -o "$TMP/leak" "$TMP/leak.c" 2>/dev/null
    check "valgrind: a leaking program is caught (the check can fail)" fails memcheck "$TMP/leak"
    rm -rf "$TMP/vg-out"
fi
