# Integrity under faults, reruns and concurrency (issue 10): two batches at once, reruns,
# signals, kill -9, special files as inputs and outputs, exit statuses of system failures, and
# the names of the files. Every case here broke on the code before it: a file held another
# person's data, a run hung, or a finished file was lost. Sourced by tests/run.sh; every run is
# bounded by `timeout`.

T="timeout -k 5"
IN="$TMP/int-in"
mkdir -p "$IN"

# person N in file pNNN.xml: a-san with its name and recipient number changed
person() {  # person DIR N SURNAME
    local n; n=$(printf '%03d' "$2")
    sed -e "s|<name>髙橋 𠮷郎</name>|<name>$3$n 太郎</name>|" \
        -e "s|<recipient-number>[0-9]*</recipient-number>|<recipient-number>9${n}000001</recipient-number>|" \
        samples/a-san.xml > "$1/p$n.xml"
}
# holds_own_data FILE: the person named in FILE's name is the one inside it (name and number)
holds_own_data() {
    local f=$1 base who n
    base=$(basename "$f")
    who=${base%%_*}
    n=$(printf '%s' "$who" | grep -oE '[0-9]{3}$')
    pdftotext "$f" - 2>/dev/null | tr -d ' \n\f' > "$TMP/hod.txt"
    grep -qF "$(printf '%s' "$who")" "$TMP/hod.txt" && grep -qF "9${n}000001" "$TMP/hod.txt" ||
        { echo "$base does not hold $who's data"; return 1; }
}
all_hold_own_data() { local f; for f in "$1"/*.pdf; do holds_own_data "$f" || return 1; done; }
no_leftovers() { ! ls -A "$1" | grep -q '^\.planform-'; }
all_whole() { local f; for f in "$1"/*.pdf; do [ -e "$f" ] || continue; qpdf --check "$f" >/dev/null 2>&1 || { echo "not whole: $f"; return 1; }; done; }
count_pdfs() { ls "$1" | grep -c '\.pdf$'; }
export -f holds_own_data all_hold_own_data no_leftovers all_whole count_pdfs

mkdir -p "$IN/kono" "$IN/otsu"
for i in $(seq 1 24); do person "$IN/kono" "$i" 甲野; person "$IN/otsu" "$i" 乙山; done

# ---- two batches into one folder -------------------------------------------------------------
$T 120 "$PF" batch "$IN/kono" -o "$TMP/two" --jobs 1 --quiet 2> "$TMP/two-a.err" &
pa=$!
for _ in $(seq 1 100); do [ -n "$(ls "$TMP/two" 2>/dev/null | grep pdf)" ] && break; sleep 0.05; done
$T 120 "$PF" batch "$IN/otsu" -o "$TMP/two" --jobs 2 --quiet 2> "$TMP/two-b.err"
sb=$?
wait $pa
sa=$?
check "two batches into one folder: the first finishes (exit 0)" test "$sa" = 0
check "  … the second is refused, exit 4 (it could not go unnoticed)" test "$sb" = 4
check "  … saying another planform is writing there, in both languages" bash -c "grep -q '別の planform がこのフォルダに書いています' '$TMP/two-b.err' && grep -q 'another planform is writing into this folder' '$TMP/two-b.err'"
check "  … every file holds the data of the person it is named after" all_hold_own_data "$TMP/two"
check "  … 24 files, no leftovers" bash -c "[ \$(ls '$TMP/two' | grep -c pdf) = 24 ] && ! ls -A '$TMP/two' | grep -q '^\.planform-'"
check "  (the content check can fail: a file renamed to another person)" bash -c "cp '$TMP/two/'甲野001*.pdf '$TMP/甲野002_x.pdf'; ! holds_own_data '$TMP/甲野002_x.pdf'"

# ---- reruns: names from the bundle itself; never another person's data -----------------------
mkdir -p "$IN/same"
sed 's|<recipient-number>[0-9]*</recipient-number>|<recipient-number>1111111111</recipient-number>|' samples/a-san.xml > "$IN/same/x.xml"
sed 's|<recipient-number>[0-9]*</recipient-number>|<recipient-number>2222222222</recipient-number>|' samples/a-san.xml > "$IN/same/y.xml"
$T 60 "$PF" batch "$IN/same" -o "$TMP/same" --quiet 2>/dev/null
check "same name and plan id: two files, one per input" bash -c "[ -f '$TMP/same/髙橋_𠮷郎_plan-2024-04~x.pdf' ] && [ -f '$TMP/same/髙橋_𠮷郎_plan-2024-04~y.pdf' ]"
sed -i 's|<recipient-number>1111111111</recipient-number>|<recipient-number>11</recipient-number>|' "$IN/same/x.xml"
$T 60 "$PF" batch "$IN/same" -o "$TMP/same" --quiet 2>/dev/null
check "rerun after one turned invalid: exit 1" test $? = 1
check "  … x's file still holds x's number (not replaced by y's data)" bash -c "pdftotext '$TMP/same/髙橋_𠮷郎_plan-2024-04~x.pdf' - | tr -d ' ' | grep -q 1111111111"
check "  … y's file holds y's number" bash -c "pdftotext '$TMP/same/髙橋_𠮷郎_plan-2024-04~y.pdf' - | tr -d ' ' | grep -q 2222222222"
ls "$TMP/same" > "$TMP/same-before"
cp "$IN/same/y.xml" "$IN/same/a-first.xml"
$T 60 "$PF" batch "$IN/same" -o "$TMP/same" --quiet 2>/dev/null
check "a bundle that sorts first added: the other names do not move" bash -c "ls '$TMP/same' | grep -vx '髙橋_𠮷郎_plan-2024-04~a-first.pdf' | cmp - '$TMP/same-before'"

# many bundles with one name: a name each, found by sorting (no pairwise numbering)
mkdir -p "$IN/one-name"
for i in $(seq 1 60); do cp "$IN/kono/p001.xml" "$IN/one-name/s$i.xml"; done
$T 300 "$PF" batch "$IN/one-name" -o "$TMP/one-name" --form plan --quiet 2>/dev/null
check "60 bundles with one person's name: 60 files" test "$(count_pdfs "$TMP/one-name")" = 60
# a manifest naming two inputs with one file name, from two folders: both kept, named apart
mkdir -p "$IN/m1" "$IN/m2"
cp "$IN/kono/p001.xml" "$IN/m1/same.xml"; cp "$IN/kono/p001.xml" "$IN/m2/same.xml"
printf 'm1/same.xml\nm2/same.xml\n' > "$IN/two-folders.txt"
$T 60 "$PF" batch "$IN/two-folders.txt" -o "$TMP/tf" --quiet 2>/dev/null
check "manifest: two inputs of one name from two folders → two files" test "$(count_pdfs "$TMP/tf")" = 2

# ---- signals: finished files stay, whole, under their names; nothing else ---------------------
mkdir -p "$IN/many"
for i in $(seq 1 40); do person "$IN/many" "$i" 丙田; done
signal_run() {  # signal_run SIG STATUS
    rm -rf "$TMP/sig"
    $T 120 "$PF" batch "$IN/many" -o "$TMP/sig" --jobs 2 --print "$TMP/sig-print.pdf" --quiet 2>/dev/null &
    local pid=$!
    for _ in $(seq 1 200); do [ "$(ls "$TMP/sig" 2>/dev/null | grep -c pdf)" -ge 3 ] && break; sleep 0.02; done
    kill -"$1" "$pid" 2>/dev/null
    wait "$pid"
    local st=$?
    [ "$st" = "$2" ] || [ "$st" = 0 ] || { echo "exit $st, want $2"; return 1; }
    [ "$(count_pdfs "$TMP/sig")" -ge 3 ] || { echo "finished files missing"; return 1; }
    all_whole "$TMP/sig" && all_hold_own_data "$TMP/sig" && no_leftovers "$TMP/sig" &&
        { [ "$st" = 0 ] || [ ! -e "$TMP/sig-print.pdf" ]; } && no_leftovers "$TMP"
}
check "SIGTERM: exit 143, finished PDFs whole under their names, no print file, no leftovers" signal_run TERM 143
check "SIGHUP: the same, exit 129" signal_run HUP 129
check "SIGINT: the same, exit 130" signal_run INT 130
# SIGPIPE: progress to a reader that went away
rm -rf "$TMP/pipe"
$T 120 bash -c "'$PF' batch '$IN/many' -o '$TMP/pipe' --jobs 2 2>&1 | head -c 1 > /dev/null"
check "SIGPIPE (progress piped into head): the PDFs written are whole, no leftovers" bash -c "all_whole '$TMP/pipe' && no_leftovers '$TMP/pipe' && [ \$(ls '$TMP/pipe' | grep -c pdf) -ge 1 ]"

# kill -9: what was finished is there under its name; the next run cleans up after it
rm -rf "$TMP/k9"
"$PF" batch "$IN/many" -o "$TMP/k9" --jobs 2 --quiet 2>/dev/null &  # no timeout(1): kill -9 must reach planform itself
pid=$!
for _ in $(seq 1 200); do [ "$(ls "$TMP/k9" 2>/dev/null | grep -c pdf)" -ge 5 ] && break; sleep 0.02; done
kill -9 "$pid"; wait "$pid" 2>/dev/null
check "kill -9: the finished PDFs are under their final names, whole" bash -c "[ \$(ls '$TMP/k9' | grep -c pdf) -ge 5 ] && all_whole '$TMP/k9' && all_hold_own_data '$TMP/k9'"
printf 'half' > "$TMP/k9/.planform-999999999-AbCdEf"
printf 'half' > "$TMP/k9/.planform-print-xYz123" && touch -d '2 hours ago' "$TMP/k9/.planform-print-xYz123"
$T 120 "$PF" batch "$IN/many" -o "$TMP/k9" --jobs 2 --quiet 2>/dev/null
check "the next run into the folder: all 40, and the killed run's leftovers are gone" bash -c "[ \$(ls '$TMP/k9' | grep -c pdf) = 40 ] && no_leftovers '$TMP/k9'"

# kill -9 with a password and a print file: nothing readable without the password, ever
printf 'secret-pw\n' > "$TMP/int-pw"
rm -rf "$TMP/k9p"
"$PF" batch "$IN/many" -o "$TMP/k9p" --jobs 2 --password-file "$TMP/int-pw" --print "$TMP/k9p/print.pdf" --quiet 2>/dev/null &
pid=$!
for _ in $(seq 1 300); do [ "$(ls "$TMP/k9p" 2>/dev/null | grep -c pdf)" -ge 8 ] && break; sleep 0.02; done
kill -9 "$pid"; wait "$pid" 2>/dev/null
readable_without_password() {
    local f
    for f in "$1"/* "$1"/.[!.]*; do
        [ -f "$f" ] || continue
        if pdftotext "$f" - 2>/dev/null | grep -q '丙田'; then echo "readable: $f"; return 0; fi
    done
    return 1
}
export -f readable_without_password
check "kill -9 with --password-file --print: no file readable without the password" fails readable_without_password "$TMP/k9p"
check "  (the check can fail: an unencrypted PDF is seen)" readable_without_password "$TMP/sig"

# every per-person PDF is made durable before its rename (strace: fsync, then rename)
fsync_before_rename() {
    strace -f -qq -e trace=fsync,rename -o "$TMP/fs.trace" "$PF" batch "$IN/same" -o "$TMP/fsync" --jobs 1 --quiet 2>/dev/null
    awk '/fsync\(/ { synced[$1] = 1 } /rename\(.*\.pdf"/ { n++; if (!synced[$1]) bad = 1; delete synced[$1] } END { exit (n < 2 || bad) }' "$TMP/fs.trace"
}
check "fsync before each PDF's rename" fsync_before_rename

# ---- inputs that are not regular files: refused, never waited on ------------------------------
mkdir -p "$IN/fifo"
cp "$IN/kono/p001.xml" "$IN/fifo/a.xml"
mkfifo "$IN/fifo/b.xml"
$T 30 "$PF" batch "$IN/fifo" -o "$TMP/fifo-out" --quiet 2> "$TMP/fifo.err"
check "a FIFO named *.xml in the input folder: no hang, exit 4 for the one bundle" test $? = 4
check "  … the FIFO is named, the other bundle written" bash -c "grep -q 'b.xml.*not a regular file' '$TMP/fifo.err' && [ \$(ls '$TMP/fifo-out' | grep -c pdf) = 1 ]"
printf 'fifo/b.xml\nfifo/a.xml\n' > "$IN/fifo-list.txt"
$T 30 "$PF" batch "$IN/fifo-list.txt" -o "$TMP/fifo-out2" --quiet 2>/dev/null
check "a FIFO in a manifest: no hang" test $? = 4
$T 10 "$PF" render "$IN/fifo/b.xml" -o "$TMP/fifo.pdf" 2> "$TMP/fifo-r.err"
check "render of a FIFO: refused at once (exit 4), pointing at -" bash -c "[ $? = 4 ] && grep -q 'use - for standard input' '$TMP/fifo-r.err'"
$T 10 "$PF" validate /dev/zero > /dev/null 2>&1
check "validate /dev/zero: refused, not read forever" test $? = 4

# ---- special output targets ------------------------------------------------------------------
# Private stand-ins, so that a planform that replaced its target could not damage the machine:
# a device node of /dev/null's kind (as root) and a link of /dev/stdout's kind.
if [ "$(id -u)" = 0 ] && mknod -m 666 "$TMP/null" c 1 3 2>/dev/null; then
    "$PF" render samples/a-san.xml -o "$TMP/null"
    check "render -o a character device like /dev/null (as root): exit 0, still a device" bash -c "[ $? = 0 ] && [ -c '$TMP/null' ]"
    mknod -m 666 "$TMP/full" c 1 7
    "$PF" render samples/a-san.xml -o "$TMP/full" 2>/dev/null
    check "render -o a device like /dev/full (no space): exit 4" test $? = 4
    rm -f "$TMP/full"
fi
ln -s /proc/self/fd/1 "$TMP/stdout-link"
"$PF" render samples/a-san.xml -o "$TMP/stdout-link" | cat > "$TMP/via-stdout.pdf"
check "render -o a link like /dev/stdout, into a pipe: the PDF comes through, the link stays" bash -c "qpdf --check '$TMP/via-stdout.pdf' >/dev/null && [ -L '$TMP/stdout-link' ]"
"$PF" render samples/a-san.xml -o "$TMP/stdout-link" > "$TMP/via-stdout-file.pdf"
check "  … and into a file the shell opened" qpdf --check "$TMP/via-stdout-file.pdf"
mkfifo "$TMP/out.fifo"
( timeout 30 cat "$TMP/out.fifo" > "$TMP/via-fifo.pdf" ) &
rp=$!
$T 30 "$PF" render samples/a-san.xml -o "$TMP/out.fifo"
wait $rp
check "render -o FIFO: written through to the reader, the FIFO stays a FIFO" bash -c "qpdf --check '$TMP/via-fifo.pdf' >/dev/null && [ -p '$TMP/out.fifo' ]"
mkdir -p "$TMP/real"
ln -sf "$TMP/real/target.pdf" "$TMP/link.pdf"
"$PF" render samples/a-san.xml -o "$TMP/link.pdf"
check "render -o a dangling symlink: the file it names is created, the link stays" bash -c "[ -L '$TMP/link.pdf' ] && qpdf --check '$TMP/real/target.pdf' >/dev/null"
"$PF" render samples/child.xml -o "$TMP/link.pdf"
check "render -o a symlink to a PDF: that file is replaced, the link stays" bash -c "[ -L '$TMP/link.pdf' ] && pdftotext '$TMP/real/target.pdf' - | grep -q '﨑山'"
mkdir -p "$TMP/a-dir.pdf"
"$PF" render samples/a-san.xml -o "$TMP/a-dir.pdf" 2> "$TMP/dir.err"
check "render -o a directory: exit 4, in both languages" bash -c "[ $? = 4 ] && grep -q 'フォルダ' '$TMP/dir.err' && grep -q 'folder' '$TMP/dir.err'"

# render is interrupted: it never leaves its temporary file
mkdir -p "$TMP/rint"
for i in $(seq 1 12); do
    "$PF" render samples/overflow.xml -o "$TMP/rint/o.pdf" 2>/dev/null &
    p=$!
    sleep "0.0$((i % 9 + 1))"
    kill -INT "$p" 2>/dev/null
    wait "$p" 2>/dev/null
done
check "render interrupted at random moments: no temporary file left" no_leftovers "$TMP/rint"
check "  … and a PDF there is whole" all_whole "$TMP/rint"
printf 'half' > "$TMP/rint/.planform-999999999-AbCdEf"
printf 'live' > "$TMP/rint/.planform-$$-AbCdEf"
"$PF" render samples/a-san.xml -o "$TMP/rint/o.pdf"
check "render removes what a killed planform left beside its target" test ! -e "$TMP/rint/.planform-999999999-AbCdEf"
check "  … but not a temporary file of a process still running" test -e "$TMP/rint/.planform-$$-AbCdEf"
rm -f "$TMP/rint/.planform-$$-AbCdEf"

# ---- exit statuses of failures that are not the input's --------------------------------------
printf 'x' > "$TMP/not-a-folder"
"$PF" batch "$IN/same" -o "$TMP/not-a-folder" --quiet 2> "$TMP/naf.err"
check "batch -o a regular file: exit 4, not 1" test $? = 4
mkdir -p "$TMP/dirname-taken/髙橋_𠮷郎_plan-2024-04~y.pdf" "$IN/dt"
cp "$IN/same/y.xml" "$IN/kono/p001.xml" "$IN/dt/"
"$PF" batch "$IN/dt" -o "$TMP/dirname-taken" --quiet 2> "$TMP/dt.err"
check "a folder at a person's file name: exit 4" test $? = 4
check "  … the summary counts it as failed" grep -q '1 written, 1 failed' "$TMP/dt.err"
check "  … named by its input, without the person's name (no --verbose)" bash -c "grep -q 'y.xml' '$TMP/dt.err' && ! grep -q '髙橋' '$TMP/dt.err'"

# a full disk (a small tmpfs, where this machine allows mounting one)
mkdir -p "$TMP/full"
if mount -t tmpfs -o size=300k tmpfs "$TMP/full" 2>/dev/null; then
    "$PF" batch "$IN/many" -o "$TMP/full" --jobs 2 --quiet 2> "$TMP/full.err"
    st=$?
    check "batch onto a full disk: exit 4, not 1" test "$st" = 4
    check "  … it says the disk is full, names a bundle, and stops" bash -c "grep -q 'no space left on the device' '$TMP/full.err' && grep -q 'the batch stopped' '$TMP/full.err'"
    check "  … the PDFs it wrote are whole, nothing half-written left" bash -c "all_whole '$TMP/full' && no_leftovers '$TMP/full'"
    umount "$TMP/full"
fi

# no worker thread can start: a clear exit 4, not a wait forever
cat > "$TMP/nothreads.c" <<'EOF'
#include <errno.h>
#include <pthread.h>
int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*f)(void *), void *arg)
{ (void)t; (void)a; (void)f; (void)arg; return EAGAIN; }
EOF
if [ "$B" != build/asan ] && cc -shared -fPIC -o "$TMP/nothreads.so" "$TMP/nothreads.c" 2>/dev/null; then
    LD_PRELOAD="$TMP/nothreads.so" $T 30 "$PF" batch "$IN/same" -o "$TMP/nothreads" --quiet 2> "$TMP/nt.err"
    check "no thread can start: exit 4 at once, saying so" bash -c "[ $? = 4 ] && grep -q 'cannot start a worker thread' '$TMP/nt.err'"
fi

# too many open files: never 'invalid input', never a hang
emfile_ok() {
    local n st
    for n in 12 16 20 24; do
        rm -rf "$TMP/emf"
        (ulimit -n "$n"; $T 60 "$PF" batch "$IN/many" -o "$TMP/emf" --jobs 16 --quiet 2> "$TMP/emf.err")
        st=$?
        case $st in
            0) ;;
            4) grep -qi 'open files\|開いているファイル' "$TMP/emf.err" || { echo "ulimit -n $n: exit 4 without saying why"; cat "$TMP/emf.err"; return 1; } ;;
            *) echo "ulimit -n $n: exit $st"; head -5 "$TMP/emf.err"; return 1 ;;
        esac
        all_whole "$TMP/emf" 2>/dev/null || return 1
    done
}
[ "$B" = build/asan ] || check "batch under ulimit -n 12…24 with 16 workers: exit 0 or 4 'too many open files'" emfile_ok

# ---- file names ------------------------------------------------------------------------------
mkdir -p "$IN/names"
sed 's|<name>髙橋 𠮷郎</name>|<name>$(reboot) `id`;x</name>|' samples/a-san.xml > "$IN/names/shell.xml"
sed "s|<name>髙橋 𠮷郎</name>|<name>$(printf 'ka\xe2\x80\xaefdp.exe')</name>|" samples/a-san.xml > "$IN/names/rlo.xml"
sed "s|<name>髙橋 𠮷郎</name>|<name>$(printf '\xe3\x82\xac')</name>|" samples/a-san.xml > "$IN/names/nfc.xml"
sed "s|<name>髙橋 𠮷郎</name>|<name>$(printf '\xe3\x82\xab\xe3\x82\x99')</name>|" samples/a-san.xml > "$IN/names/nfd.xml"
cp samples/a-san.xml "$IN/names/$(printf 'new\nline').xml"
"$PF" batch "$IN/names" -o "$TMP/names" 2> "$TMP/names.err"
check "file names: no shell metacharacters" bash -c "! ls '$TMP/names' | grep -q '[\$\`;()]'"
check "file names: no bidi override (U+202E)" bash -c "! ls '$TMP/names' | grep -q \"\$(printf '\342\200\256')\""
check "file names: NFC and NFD ガ give one spelling (each kept apart by its input)" bash -c "ls '$TMP/names' | grep -q \"^\$(printf '\343\202\254')_plan-2024-04~nfc.pdf\" && ls '$TMP/names' | grep -q \"^\$(printf '\343\202\254')_plan-2024-04~nfd.pdf\""
check "a newline in an input's name cannot forge a progress line" bash -c "grep -q 'new\\\\x0Aline.xml' '$TMP/names.err' && ! grep -q '^line.xml' '$TMP/names.err'"
check "the PDF made from a name with a newline is there" bash -c "ls '$TMP/names' | grep -q '~new_line.pdf'"

# --print in the output folder with the shape of a person's PDF name: refused before anything
# is written (a print file can then never replace a person's PDF, of this run or an earlier one)
mkdir -p "$TMP/pclash" && printf 'keep' > "$TMP/pclash/髙橋_𠮷郎_plan-2024-04~y.pdf"
"$PF" batch "$IN/same" -o "$TMP/pclash" --print "$TMP/pclash/髙橋_𠮷郎_plan-2024-04~y.pdf" --quiet 2> "$TMP/pclash.err"
check "--print named like a person's PDF in the output folder: exit 2, said, nothing replaced" bash -c "[ $? = 2 ] && grep -q \"cannot have a '~'\" '$TMP/pclash.err' && [ \"\$(cat '$TMP/pclash/髙橋_𠮷郎_plan-2024-04~y.pdf')\" = keep ]"

# ---- the print file goes where -o would: special targets written through, links followed -----
mkdir -p "$IN/one" && cp "$IN/kono/p001.xml" "$IN/one/"
if [ "$(id -u)" = 0 ] && mknod -m 666 "$TMP/pnull" c 1 3 2>/dev/null; then
    "$PF" batch "$IN/one" -o "$TMP/pn-out" --print "$TMP/pnull" --quiet 2>/dev/null
    check "--print to a character device: exit 0, still a device" bash -c "[ $? = 0 ] && [ -c '$TMP/pnull' ]"
    "$PF" batch "$IN/one" -o "$TMP/pn-out2" --print "$TMP/pnull" --password-file "$TMP/int-pw" --quiet 2>/dev/null
    check "--print to a character device with a password: still a device" test -c "$TMP/pnull"
fi
mkfifo "$TMP/pfifo"
( timeout 60 cat "$TMP/pfifo" > "$TMP/pfifo.pdf" ) &
rp=$!
$T 60 "$PF" batch "$IN/one" -o "$TMP/pf-out" --print "$TMP/pfifo" --quiet 2>/dev/null
wait $rp
check "--print to a FIFO: the print file comes through, the FIFO stays" bash -c "qpdf --check '$TMP/pfifo.pdf' >/dev/null && [ -p '$TMP/pfifo' ]"
ln -s /proc/self/fd/1 "$TMP/pstdout"
"$PF" batch "$IN/one" -o "$TMP/ps-out" --print "$TMP/pstdout" --password-file "$TMP/int-pw" --quiet > "$TMP/pstdout.pdf" 2>/dev/null
check "--print to a link like /dev/stdout, encrypted: comes through, the link stays" bash -c "qpdf --check --password=secret-pw '$TMP/pstdout.pdf' >/dev/null && [ -L '$TMP/pstdout' ]"
mkdir -p "$TMP/preal" && ln -s "$TMP/preal/print.pdf" "$TMP/plink.pdf"
"$PF" batch "$IN/one" -o "$TMP/pl-out" --print "$TMP/plink.pdf" --quiet 2>/dev/null
check "--print to a symlink: the file it points to is written, the link stays" bash -c "[ -L '$TMP/plink.pdf' ] && qpdf --check '$TMP/preal/print.pdf' >/dev/null"
mkdir -p "$TMP/pdir"
"$PF" batch "$IN/one" -o "$TMP/pd-out" --print "$TMP/pdir" --quiet 2>/dev/null
check "--print to a folder: exit 4 before anything is rendered" bash -c "[ $? = 4 ] && [ ! -e '$TMP/pd-out' ] || [ -z \"\$(ls '$TMP/pd-out' 2>/dev/null | grep pdf)\" ]"

# ---- two people of one name, in two offices, batched into one folder one after the other -----
mkdir -p "$IN/office1" "$IN/office2"
sed 's|<recipient-number>[0-9]*</recipient-number>|<recipient-number>3333333333</recipient-number>|' samples/a-san.xml > "$IN/office1/0001.xml"
sed 's|<recipient-number>[0-9]*</recipient-number>|<recipient-number>4444444444</recipient-number>|' samples/a-san.xml > "$IN/office2/0001.xml"
"$PF" batch "$IN/office1" -o "$TMP/namesake" --quiet 2>/dev/null
"$PF" batch "$IN/office2" -o "$TMP/namesake" --quiet 2>/dev/null
holds_number() { pdftotext "$1" - 2>/dev/null | tr -d ' ' | grep -q "$2"; }
export -f holds_number
check "namesakes from two offices, one input name, one folder: two files" test "$(count_pdfs "$TMP/namesake")" = 2
check "  … the first keeps its name and its own data" holds_number "$TMP/namesake/髙橋_𠮷郎_plan-2024-04~0001.pdf" 3333333333
check "  … the second has a name of its own, with its own data" bash -c "f=\$(ls '$TMP/namesake' | grep '~0001~'); holds_number \"$TMP/namesake/\$f\" 4444444444"
printf '%s\n%s\n' "$IN/office2/0001.xml" "$IN/office1/0001.xml" > "$IN/both-offices.txt"
"$PF" batch "$IN/both-offices.txt" -o "$TMP/namesake" --quiet 2>/dev/null
check "  … both in one later run: the same two names, nothing renamed or added" bash -c "[ \$(ls '$TMP/namesake' | grep -c pdf) = 2 ] && holds_number '$TMP/namesake/髙橋_𠮷郎_plan-2024-04~0001.pdf' 3333333333"

# the same input listed twice beside an input whose own name is what numbering would give
mkdir -p "$IN/rep" && cp "$IN/kono/p001.xml" "$IN/rep/a.xml" && cp "$IN/kono/p002.xml" "$IN/rep/a-2.xml"
printf 'a.xml\na.xml\na-2.xml\n' > "$IN/rep/list.txt"
"$PF" batch "$IN/rep/list.txt" -o "$TMP/rep-out" --quiet 2> "$TMP/rep.err"
check "a.xml twice and a-2.xml: three files, each its own" bash -c "[ \$(ls '$TMP/rep-out' | grep -c pdf) = 3 ] && grep -q '3 written' '$TMP/rep.err' && all_hold_own_data '$TMP/rep-out'"

# ---- standard descriptors closed (cron): nothing of planform's own output lands in a PDF -------
( exec >&- 2>&-; "$PF" batch "$IN/one" -o "$TMP/closed" --print "$TMP/closed/print.pdf" )
check "stdout and stderr closed: the print file is whole" qpdf --check "$TMP/closed/print.pdf"
( exec >&- 2>&-; "$PF" render samples/a-san.xml -o "$TMP/closed/r.pdf" )
check "  … and so is render's PDF" qpdf --check "$TMP/closed/r.pdf"

# ---- -o through /dev/stdout into a file opened with >>: appended, not written over -------------
printf 'LOG-START\n' > "$TMP/append.log"
"$PF" render samples/a-san.xml -o "$TMP/stdout-link" >> "$TMP/append.log"
check "-o a link like /dev/stdout with >>: the log's start stays, the PDF follows" bash -c "head -1 '$TMP/append.log' | grep -q LOG-START && [ \$(stat -c %s '$TMP/append.log') -gt 10000 ]"

# ---- a Unix socket as the target: written through to whoever listens ---------------------------
if command -v python3 > /dev/null; then
    python3 - "$TMP/sock" "$TMP/via-sock.pdf" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind(sys.argv[1]); s.listen(1); s.settimeout(30)
c, _ = s.accept(); data = b''
while True:
    b = c.recv(65536)
    if not b: break
    data += b
open(sys.argv[2], 'wb').write(data)
PY
    sp=$!
    for _ in $(seq 1 100); do [ -S "$TMP/sock" ] && break; sleep 0.05; done
    "$PF" render samples/a-san.xml -o "$TMP/sock"
    st=$?
    wait $sp
    check "-o a Unix socket: written through (exit 0), the socket stays" bash -c "[ $st = 0 ] && qpdf --check '$TMP/via-sock.pdf' >/dev/null && [ -S '$TMP/sock' ]"
fi

# ---- what messages show of a file name: no terminal control, no reordering ---------------------
mkdir -p "$IN/ctl" && cp "$IN/kono/p001.xml" "$IN/ctl/$(printf 'x\xc2\x9b31m\xe2\x80\xaeabc').xml"
"$PF" batch "$IN/ctl" -o "$TMP/ctl-out" 2> "$TMP/ctl.err"
check "C1 controls and bidi overrides in an input's name are escaped in progress lines" bash -c "grep -q 'x\\\\u009B31m\\\\u202Eabc' '$TMP/ctl.err' && ! grep -q \"\$(printf '\\342\\200\\256')\" '$TMP/ctl.err'"
sed 's|<name>髙橋 𠮷郎</name>|<name>-rf --help</name>|' samples/a-san.xml > "$IN/ctl/dash.xml"
"$PF" batch "$IN/ctl" -o "$TMP/ctl-out" --quiet 2>/dev/null
check "a person named '-rf': no file name starts with -" bash -c "! ls '$TMP/ctl-out' | grep -q '^-'"

# a data folder's fonts.conf cannot make planform write anywhere (fontconfig writes its caches
# where <cachedir> says): only <dir>, and <cachedir> inside the data folder; a relative <dir> is
# the data folder's own
mkdir -p "$TMP/evil-data" && cp -r templates fonts "$TMP/evil-data/"
sed -i "s|<fontconfig>|<fontconfig><cachedir>$TMP/evil-cache</cachedir>|" "$TMP/evil-data/fonts/fonts.conf"
"$PF" render samples/a-san.xml -o "$TMP/evil.pdf" --data "$TMP/evil-data" 2> "$TMP/evil.err"
check "fonts.conf with <cachedir>: exit 3 naming the element and line, in both languages" bash -c "[ $? = 3 ] && grep -q 'fonts.conf:[0-9]*: .*<cachedir>' '$TMP/evil.err' && grep -q 'may hold only <dir>, and <cachedir> inside the data folder' '$TMP/evil.err'"
check "  … and nothing was written there" test ! -e "$TMP/evil-cache"
cp fonts/fonts.conf "$TMP/evil-data/fonts/fonts.conf"
mkdir -p "$TMP/evil-data/fonts/own" && cp "$(fc-match -f '%{file}' 'IPAexMincho')" "$TMP/evil-data/fonts/own/"
sed -i 's|<dir>/usr/share/fonts</dir>|<dir>own</dir><dir>/usr/share/fonts</dir>|' "$TMP/evil-data/fonts/fonts.conf"
check "fonts.conf with a relative <dir>: found beside it, the render works" "$PF" render samples/a-san.xml -o "$TMP/rel.pdf" --data "$TMP/evil-data"

# ---- second attack round ------------------------------------------------------------------------
# "_" inside a person's name or a plan id cannot make two inputs share a file: the first "~"
# starts the input's part, and that part is unique in the folder
mkdir -p "$IN/us"
sed -e 's|<name>髙橋 𠮷郎</name>|<name>Yamada Taro</name>|' -e 's|"plan-2024-04"|"p1"|g' \
    -e 's|<recipient-number>[0-9]*</recipient-number>|<recipient-number>5555555555</recipient-number>|' samples/a-san.xml > "$IN/us/a.xml"
sed -e 's|<name>髙橋 𠮷郎</name>|<name>Yamada</name>|' -e 's|"plan-2024-04"|"Taro"|g' \
    -e 's|<recipient-number>[0-9]*</recipient-number>|<recipient-number>6666666666</recipient-number>|' samples/a-san.xml > "$IN/us/p1_a.xml"
"$PF" batch "$IN/us" -o "$TMP/us-out" --quiet 2> "$TMP/us.err"
check "'Yamada Taro'/p1/a.xml and 'Yamada'/Taro/p1_a.xml: two files, each its own person" bash -c "[ \$(ls '$TMP/us-out' | grep -c pdf) = 2 ] && grep -q '2 written' '$TMP/us.err' && holds_number '$TMP/us-out/Yamada_Taro_p1~a.pdf' 5555555555 && holds_number '$TMP/us-out/Yamada_Taro~p1_a.pdf' 6666666666"

# planform's record of names and a person's PDF name: whatever stands there is replaced in the
# output folder, never followed (a link) or opened (a FIFO)
mkdir -p "$TMP/lk-out" && printf 'precious\n' > "$TMP/precious"
ln -s "$TMP/precious" "$TMP/lk-out/.planform.names"
ln -s "$TMP/precious" "$TMP/lk-out/髙橋_𠮷郎_plan-2024-04~y.pdf"
mkdir -p "$IN/lk" && cp "$IN/same/y.xml" "$IN/lk/"
$T 60 "$PF" batch "$IN/lk" -o "$TMP/lk-out" --quiet 2> "$TMP/lk.err"
check "a link planted as the record of names or at a PDF's name: refused or replaced, its target untouched" bash -c "[ \"\$(cat '$TMP/precious')\" = precious ]"
mkdir -p "$TMP/ff-out" && mkfifo "$TMP/ff-out/.planform.names"
$T 30 "$PF" batch "$IN/lk" -o "$TMP/ff-out" --quiet 2> "$TMP/ff.err"
check "a FIFO as the record of names: exit 4 at once, said" bash -c "[ $? = 4 ] && grep -q 'not a regular file' '$TMP/ff.err'"
mkdir -p "$TMP/ff2-out" && mkfifo "$TMP/ff2-out/髙橋_𠮷郎_plan-2024-04~y.pdf"
$T 30 "$PF" batch "$IN/lk" -o "$TMP/ff2-out" --quiet 2>/dev/null
check "a FIFO at a person's PDF name: replaced by the PDF, no hang" bash -c "[ $? = 0 ] && qpdf --check '$TMP/ff2-out/髙橋_𠮷郎_plan-2024-04~y.pdf' >/dev/null"
"$PF" batch "$IN/lk" -o "$TMP/pn-rec" --print "$TMP/pn-rec/.planform.names" --quiet 2>/dev/null
check "--print naming planform's record of names: exit 2" test $? = 2
truncate -s 65M "$TMP/big-names" && mkdir -p "$TMP/bn-out" && mv "$TMP/big-names" "$TMP/bn-out/.planform.names"
"$PF" batch "$IN/lk" -o "$TMP/bn-out" --quiet 2> "$TMP/bn.err"
check "a record of names over 64 MiB: exit 4, not read in part and rewritten" bash -c "[ $? = 4 ] && grep -q 'too large' '$TMP/bn.err' && [ \$(stat -c %s '$TMP/bn-out/.planform.names') = 68157440 ]"
rm -f "$TMP/bn-out/.planform.names"

# a digest suffix that is taken (by design only through a collision): a counter on top
mkdir -p "$IN/dg" "$TMP/dg-out" && cp "$IN/same/y.xml" "$IN/dg/a.xml"
h=$(python3 -c "
import os,sys
h=14695981039346656037
for c in os.path.realpath(sys.argv[1]).encode(): h=((h^c)*1099511628211)&0xFFFFFFFFFFFFFFFF
print('%016x'%h)" "$IN/dg/a.xml")
printf '0000000000000001\ta\n0000000000000002\ta~%s\n' "$h" > "$TMP/dg-out/.planform.names"
"$PF" batch "$IN/dg" -o "$TMP/dg-out" --quiet 2>/dev/null
check "a stem and its digest suffix both owned by others: a counter, never a shared file" test -f "$TMP/dg-out/髙橋_𠮷郎_plan-2024-04~a~$h~2.pdf"

# --print under another name of the output folder (a bind mount, as root)
if [ "$(id -u)" = 0 ] && mkdir -p "$TMP/bm-out" "$TMP/bm-view" && mount --bind "$TMP/bm-out" "$TMP/bm-view" 2>/dev/null; then
    "$PF" batch "$IN/lk" -o "$TMP/bm-out" --print "$TMP/bm-view/髙橋_𠮷郎_plan-2024-04~y.pdf" --quiet 2>/dev/null
    check "--print at a person's PDF name through a bind mount of the output folder: exit 2" test $? = 2
    umount "$TMP/bm-view"
fi

# our own descriptor under another spelling keeps its >>
printf 'LOG-START\n' > "$TMP/append2.log"
"$PF" batch "$IN/lk" -o "$TMP/ts-out" --print /proc/thread-self/fd/1 --quiet >> "$TMP/append2.log" 2>/dev/null
check "--print /proc/thread-self/fd/1 with >>: appended after the log's start" bash -c "head -1 '$TMP/append2.log' | grep -q LOG-START && [ \$(stat -c %s '$TMP/append2.log') -gt 10000 ]"
"$PF" batch "$IN/lk" -o "$TMP/dash-out" --print - --quiet > "$TMP/dash.pdf" 2>/dev/null
check "--print -: the print file on standard output" bash -c "qpdf --check '$TMP/dash.pdf' >/dev/null && [ ! -e ./- ]"

# what a message may carry from a file: no line or paragraph separators, no terminal escapes
mkdir -p "$IN/ls" && cp "$IN/same/y.xml" "$IN/ls/$(printf 'a\xe2\x80\xa8b').xml"
"$PF" batch "$IN/ls" -o "$TMP/ls-out" 2> "$TMP/ls.err"
check "U+2028 in an input's name is escaped in progress lines" grep -q 'a\\u2028b.xml' "$TMP/ls.err"
printf 'y.xml plan\033]0;owned\007\033[2J\n' > "$IN/lk/esc.txt"
"$PF" batch "$IN/lk/esc.txt" -o "$TMP/esc-out" 2> "$TMP/esc.err"
check "terminal escapes in a manifest's forms are not echoed" bash -c "! grep -q \"\$(printf '\\033')\" '$TMP/esc.err' && grep -q 'x1B' '$TMP/esc.err'"
