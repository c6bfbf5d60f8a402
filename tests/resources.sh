# Running out of memory or file descriptors (issue 10, item 9): planform stops with exit 4 and a
# message that names what ran out ("メモリが足りません / out of memory", "開いているファイルが
# 多すぎます / too many open files"), never exit 3 ("font damaged", "IPAexMincho is not
# installed", "template missing") or a signal, and leaves no PDF or temporary file behind; or it
# has enough and renders the whole PDF. A font or template that is really missing or broken is
# still exit 3. Sourced by tests/run.sh.

# limited LIMIT DIR ARGS...: planform ARGS under `ulimit LIMIT` (e.g. "-n 5"), with only
# descriptors 0-2 open, standard error to DIR/err; the exit status is planform's. `timeout` is
# only a guard so that a hang cannot stall the suite (it fails the check, as a signal would):
# nothing here asserts on time.
limited() {
    local limit=$1 dir=$2
    shift 2
    timeout -s KILL 120 bash -c '
        limit=$1 err=$2; shift 2
        exec </dev/null >/dev/null 2>"$err"
        for fd in $(seq 3 63); do eval "exec $fd>&-"; done
        ulimit $limit || exit 99
        exec "$@"' limited "$limit" "$dir/err" "$PF" "$@"
}

# verdict DIR STATUS PATTERN: passes when planform rendered DIR/out.pdf whole (its text reads
# back), or stopped with exit 4, PATTERN (grep -E) on standard error and nothing written in DIR.
verdict() {
    local dir=$1 status=$2 pattern=$3
    case $status in
    0)
        pdftotext "$dir/out.pdf" - 2>/dev/null | grep -q '髙橋 𠮷郎' && return 0
        echo "exit 0, but out.pdf does not read back"
        return 1 ;;
    4)
        if ! grep -qE -- "$pattern" "$dir/err"; then
            echo "exit 4 without /$pattern/:"
            cat "$dir/err"
            return 1
        fi
        if [ -n "$(ls -A "$dir" | grep -v '^err$')" ]; then
            echo "exit 4, but files were left behind:"
            ls -A "$dir"
            return 1
        fi
        return 0 ;;
    esac
    echo "exit $status (want 0, or 4 naming the resource):"
    cat "$dir/err"
    return 1
}

# render_under LIMIT PATTERN [ARGS...]: render samples/a-san.xml under the limit, then judge.
# With WANT set (0 or 4), only that exit status passes.
render_under() {
    local limit=$1 pattern=$2 dir status rc
    shift 2
    dir=$(mktemp -d "$TMP/res.XXXXXX")
    limited "$limit" "$dir" render "$@" samples/a-san.xml -o "$dir/out.pdf"
    status=$?
    if [ -n "${WANT:-}" ] && [ "$status" != "$WANT" ]; then
        echo "exit $status, want $WANT:"
        cat "$dir/err"
        rc=1
    else
        verdict "$dir" "$status" "$pattern"
        rc=$?
    fi
    rm -rf "$dir"
    return $rc
}

NOFILE='too many open files'
NOMEM='out of memory'

# Descriptors. With 3 the dynamic loader itself cannot open planform's libraries (exit 127
# before main), so the sweep starts at 4: one descriptor free beyond 0-2. planform does not start
# fontconfig with fewer than three free (see the next test), so 4 and 5 are exit 4.
for n in $(seq 4 20); do
    check "ulimit -n $n: renders, or exit 4 'too many open files'" render_under "-n $n" "$NOFILE"
done

# Without a fontconfig cache, fontconfig holds a font folder open while it opens the font files
# in it: with one descriptor free it opens none, finds no font at all, and writes that into its
# cache, so that every later run, with any limit, said "IPAexMincho is not installed" (exit 3).
# Now: exit 4 "too many open files", and the same data folder renders without the limit.
mkdir -p "$TMP/nocache/fonts" && cp -r templates "$TMP/nocache/" && cp fonts/chain.conf "$TMP/nocache/fonts/" &&
    printf '<?xml version="1.0"?>\n<fontconfig><dir>/usr/share/fonts</dir><cachedir>%s/nocache/cache</cachedir></fontconfig>\n' "$TMP" > "$TMP/nocache/fonts/fonts.conf"
WANT=4 check "ulimit -n 4, no fontconfig cache: exit 4 'too many open files', not 'not installed'" \
    render_under "-n 4" "fontconfig.*$NOFILE" --data "$TMP/nocache"
WANT=0 check "the same data folder without the limit renders" render_under "-n 1024" "$NOFILE" --data "$TMP/nocache"
rm -rf "$TMP/nocache"

# Memory. Under ulimit -v the limit is on address space, and each font file is mapped whole
# (IPAmj alone is 46 MB), so the sweep walks through loading the schema, templates, fontconfig,
# each font, ICU, shaping and subsetting. Below some limit planform does not reach main at all:
# the dynamic loader cannot map a library, or a library's start-up code fails (libstdc++ aborts
# on bad_alloc, GLib's constructor even hangs on a failed malloc). That floor is found first,
# with --version; the sweep starts above it. AddressSanitizer reserves terabytes of address
# space and cannot run under ulimit -v, so the build/asan pass skips this part.
if [ "$B" != build/asan ]; then
    floor=
    for v in $(seq 30000 1000 300000); do
        if timeout -s KILL 30 bash -c 'ulimit -v "$1" && exec "$2" --version' - "$v" "$PF" >/dev/null 2>&1; then
            floor=$v
            break
        fi
    done
    check "ulimit -v: planform starts under some limit (found: ${floor:-none})" test -n "$floor"
    # finely just above the floor (schema, templates, fontconfig, the first font), then coarser
    for v in $( [ -n "$floor" ] && { seq $((floor + 100)) 100 $((floor + 2000)); seq $((floor + 2500)) 500 $((floor + 70000)); echo 150000 200000 300000 400000; }); do
        [ "$v" -gt "$floor" ] || continue
        check "ulimit -v $v: renders, or exit 4 'out of memory'" render_under "-v $v" "$NOMEM"
    done
fi

# A resource check must not turn what is really missing into "out of resources": a data folder
# whose fonts.conf finds no IPAex font is still exit 3 naming the family, also under a tight
# descriptor limit that leaves fontconfig what it needs.
mkdir -p "$TMP/nofonts/fonts/empty" && cp -r templates "$TMP/nofonts/" && cp fonts/chain.conf "$TMP/nofonts/fonts/" &&
    printf '<?xml version="1.0"?>\n<fontconfig><dir>%s/nofonts/fonts/empty</dir><cachedir>%s/nofonts/cache</cachedir></fontconfig>\n' "$TMP" "$TMP" > "$TMP/nofonts/fonts/fonts.conf"
check "fonts.conf that finds no IPAex: exit 3 'not installed'" \
    expect_error 3 'IPAexMincho" is not installed' -- "$PF" render --data "$TMP/nofonts" samples/a-san.xml -o "$TMP/nofonts/out.pdf"
missing_font_limited() {
    limited "-n 8" "$TMP/nofonts" render --data "$TMP/nofonts" samples/a-san.xml -o "$TMP/nofonts/out.pdf"
    local status=$?
    [ "$status" = 3 ] && grep -q 'IPAexMincho" is not installed' "$TMP/nofonts/err" && return 0
    echo "exit $status, want 3 'not installed':"
    cat "$TMP/nofonts/err"
    return 1
}
check "fonts.conf that finds no IPAex, ulimit -n 8: still exit 3" missing_font_limited
check "no PDF after a missing font" test ! -e "$TMP/nofonts/out.pdf"
rm -rf "$TMP/nofonts"

# A template that is not there is exit 3 naming the file and the cause (the truncated one is in
# hostile.sh).
mkdir -p "$TMP/notpl" && cp -r templates fonts "$TMP/notpl/" && rm "$TMP/notpl/templates/linkage.xml"
check "missing template: exit 3 'no such file' naming it" \
    expect_error 3 'linkage.xml: cannot read the template: no such file' -- "$PF" render --data "$TMP/notpl" samples/a-san.xml -o "$TMP/notpl/out.pdf"
rm -rf "$TMP/notpl"

# A bundle that cannot be read is exit 4 as before, and the message says why.
check "input missing: exit 4 'no such file'" expect_error 4 'cannot open file: no such file' -- "$PF" render "$TMP/nope.xml" -o "$TMP/nope.pdf"
check "input a folder: exit 4 'is a directory'" expect_error 4 'cannot read file: is a directory' -- "$PF" validate samples
