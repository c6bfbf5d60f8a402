# Installed like a Unix tool (issue 11): `make install` into a temporary prefix, then the
# installed command run from elsewhere on its installed data, a ten-line C program built
# against the installed libplanform with pkg-config (shared and static), the man page rendered
# without warnings, the bash completion, DESTDIR staging, and `make uninstall`.
#
# Once per suite run (the first build named): the installed files are their own build (-O0
# here, objects in $TMP), the same whichever build the suite tests. Nothing is written outside
# $TMP: the install's objects go to $TMP/install-obj, not build/. Sourced by tests/run.sh.
if [ -z "${INSTALL_TESTED:-}" ]; then
INSTALL_TESTED=1
SRC=$PWD
P="$TMP/prefix"
# make as a user types it: not the variables of a `make test` this suite may run under
imake() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C "$SRC" \
        IBUILD="$TMP/install-obj" OPT=-O0 XCFLAGS=-Werror "$@"
}
check "install: make install PREFIX=$P" imake install PREFIX="$P"

# ---- what is installed where ----
have_all() {
    local f
    for f in bin/planform share/planform/templates/plan.xsd share/planform/fonts/chain.conf \
             share/planform/fonts/fonts.conf share/man/man1/planform.1 \
             share/bash-completion/completions/planform include/planform.h lib/libplanform.a \
             lib/libplanform.so.0.1.0 lib/pkgconfig/planform.pc; do
        [ -f "$1/$f" ] || { echo "missing: $f"; return 1; }
    done
    [ -x "$1/bin/planform" ] && [ "$(readlink "$1/lib/libplanform.so.0")" = libplanform.so.0.1.0 ] &&
        [ "$(readlink "$1/lib/libplanform.so")" = libplanform.so.0 ]
}
check "install: binary, data, man page, completion, header, libraries, links, .pc" have_all "$P"
check "install: the data directory is the source tree's templates/" diff -r templates "$P/share/planform/templates"
check "install: ... and fonts/" diff -r fonts "$P/share/planform/fonts"
check "install: the shared library's soname is libplanform.so.0" \
    sh -c "readelf -d '$P/lib/libplanform.so.0.1.0' | grep -q 'SONAME.*\[libplanform.so.0\]'"
# exported: exactly the functions planform.h declares; no pf_* name of the engine
sed -n 's/^PLANFORM_API[^(]*[ *]\(planform_[a-z_]*\)(.*/\1/p' include/planform.h | sort >"$TMP/api-declared"
nm -D --defined-only "$P/lib/libplanform.so.0.1.0" | awk '{ print $3 }' | sort >"$TMP/api-exported"
check "install: planform.h declares the API (the list is not empty)" test "$(wc -l <"$TMP/api-declared")" -ge 10
check "install: libplanform.so exports planform.h's functions and nothing else" diff "$TMP/api-declared" "$TMP/api-exported"
check "install: one version: planform --version, planform.h, planform.pc, planform(1)" sh -c "
    v=\$(sed -n 's/^#define PLANFORM_VERSION \"\(.*\)\"/\1/p' include/planform.h)
    [ -n \"\$v\" ] && [ \"\$('$P/bin/planform' --version)\" = \"planform \$v\" ] &&
    grep -q \"^\.TH PLANFORM 1 .* \\\"planform \$v\\\"\" doc/planform.1 &&
    [ \"\$(PKG_CONFIG_PATH='$P/lib/pkgconfig' pkg-config --modversion planform)\" = \"\$v\" ]"

# ---- the installed command, from outside the source tree, on its installed data ----
mkdir -p "$TMP/elsewhere"
cp samples/a-san.xml "$TMP/elsewhere/"
# the data directory compiled in is PREFIX's, and the source tree is not named at all
readelf -p .rodata "$P/bin/planform" >"$TMP/rodata.txt" 2>&1
check "install: PREFIX/share/planform is compiled into the command" grep -qF "$P/share/planform" "$TMP/rodata.txt"
check "install: the source tree is not compiled into the command" not_grep "$SRC" "$TMP/rodata.txt"
installed() { (cd "$TMP/elsewhere" && env -u PLANFORM_DATA "$P/bin/planform" "$@"); }
check "install: renders from another folder, no PLANFORM_DATA" installed render a-san.xml -o a-san.pdf
pdftotext "$TMP/elsewhere/a-san.pdf" "$TMP/elsewhere/a-san.txt" 2>/dev/null
check "install: ... the person's name comes back from the PDF" grep -q '髙橋 𠮷郎' "$TMP/elsewhere/a-san.txt"
# It reads the installed templates: one taken away is exit 3 naming it there. --data and
# PLANFORM_DATA still choose another directory.
mv "$P/share/planform/templates/linkage.xml" "$TMP/linkage.xml"
installed render a-san.xml -o gone.pdf 2>"$TMP/gone.err"
check "install: a missing installed template is exit 3" test $? = 3
check "install: ... naming it in PREFIX/share/planform" grep -qF "$P/share/planform/templates/linkage.xml" "$TMP/gone.err"
check "install: PLANFORM_DATA overrides" sh -c "cd '$TMP/elsewhere' && PLANFORM_DATA='$SRC' '$P/bin/planform' render a-san.xml -o env.pdf"
check "install: --data overrides" installed render a-san.xml -o data.pdf --data "$SRC"
mv "$TMP/linkage.xml" "$P/share/planform/templates/linkage.xml"

# ---- a ten-line program against the installed library ----
cat >"$TMP/elsewhere/render.c" <<'EOF'
#include <planform.h>
#include <stdio.h>
int main(int argc, char **argv) {
    static char xml[1 << 20]; FILE *in = argc == 3 ? fopen(argv[1], "rb") : NULL, *out; size_t n = in ? fread(xml, 1, sizeof xml, in) : 0, len;
    planform_error *err = NULL; unsigned char *pdf; planform_engine *e = planform_open(NULL, 0, &err);
    if (!e || planform_render(e, argv[1], xml, n, NULL, NULL, &pdf, &len, &err)) {
        fprintf(stderr, "%s: %s\n", err->file, err->message_en); return err->status; }
    if (!(out = fopen(argv[2], "wb")) || fwrite(pdf, 1, len, out) != len || fclose(out)) return 4;
    planform_free(pdf); planform_close(e); return 0;
}
EOF
pc() { PKG_CONFIG_PATH="$P/lib/pkgconfig" pkg-config "$@"; }
check "install: pkg-config --cflags --libs planform" pc --exists --print-errors planform
check "install: a program builds with pkg-config --cflags --libs planform" \
    sh -c "cd '$TMP/elsewhere' && cc -std=c17 -Wall -Wextra -Werror -o render render.c \$(PKG_CONFIG_PATH='$P/lib/pkgconfig' pkg-config --cflags --libs planform)"
check "install: ... linked to the installed libplanform.so.0" \
    sh -c "LD_LIBRARY_PATH='$P/lib' ldd '$TMP/elsewhere/render' | grep -qF 'libplanform.so.0 => $P/lib/libplanform.so.0'"
check "install: ... renders a-san.xml from memory (library's data: PREFIX's)" \
    sh -c "cd '$TMP/elsewhere' && env -u PLANFORM_DATA LD_LIBRARY_PATH='$P/lib' ./render a-san.xml lib.pdf"
pdftotext "$TMP/elsewhere/lib.pdf" "$TMP/elsewhere/lib.txt" 2>/dev/null
check "install: ... the person's name comes back from its PDF" grep -q '髙橋 𠮷郎' "$TMP/elsewhere/lib.txt"
check "install: ... the same pages as the command's" test "$(pdfinfo "$TMP/elsewhere/lib.pdf" | grep Pages)" = "$(pdfinfo "$TMP/elsewhere/a-san.pdf" | grep Pages)"
# static: libplanform.a and pkg-config --static (Libs.private, Requires.private) suffice
check "install: the program links statically with libplanform.a and pkg-config --static" \
    sh -c "cd '$TMP/elsewhere' && cc -std=c17 -o render-static render.c \$(PKG_CONFIG_PATH='$P/lib/pkgconfig' pkg-config --static --cflags --libs planform | sed 's|-lplanform|$P/lib/libplanform.a|')"
ldd "$TMP/elsewhere/render-static" >"$TMP/ldd.txt" 2>&1
check "install: ... no libplanform.so needed" not_grep libplanform "$TMP/ldd.txt"
check "install: ... and it renders" sh -c "cd '$TMP/elsewhere' && env -u PLANFORM_DATA ./render-static a-san.xml static.pdf && cmp static.pdf lib.pdf"

# ---- the man page ----
man_clean() {  # man_clean PAGE: renders, and neither man nor groff warns
    MANWIDTH=80 man --warnings -l "$1" 2>"$TMP/man.err" >"$TMP/man.txt" && [ ! -s "$TMP/man.err" ] &&
        groff -man -ww -z "$1" 2>"$TMP/groff.err" && [ ! -s "$TMP/groff.err" ] &&
        [ "$(wc -l <"$TMP/man.txt")" -gt 100 ] || { cat "$TMP/man.err" "$TMP/groff.err" 2>/dev/null; return 1; }
}
check "install: man -l of the installed planform(1), no warnings" man_clean "$P/share/man/man1/planform.1"
# ...and the check can fail: an unknown macro and a bad escape are warned of
{ cat doc/planform.1; printf '.XY unknown\n\\*[nope]\n'; } >"$TMP/broken.1"
check "install: a broken page is caught (the check can fail)" fails man_clean "$TMP/broken.1"
MANWIDTH=80 man -l "$P/share/man/man1/planform.1" 2>/dev/null >"$TMP/man.txt"
check "install: the installed page names PREFIX's data directory" grep -qF "$P/share/planform/templates/" "$TMP/man.txt"
# every subcommand, and every option any subcommand's help names, is in the page and completed
for c in "" render validate check schedule draft-isp batch; do "$PF" $c --help 2>&1; done |
    grep -oE -- '--[a-z][a-z-]+' | sort -u >"$TMP/options.txt"
covered() {  # covered FILE: every option of --help and every subcommand occurs in FILE
    local o missing=""
    for o in $(cat "$TMP/options.txt") render validate check schedule draft-isp batch; do
        grep -qF -- "$o" "$1" || missing="$missing $o"
    done
    [ -z "$missing" ] || { echo "not in $1:$missing"; return 1; }
}
check "install: --help names options (the list is not empty)" test "$(wc -l <"$TMP/options.txt")" -ge 15
check "install: the man page covers every subcommand and option" covered "$TMP/man.txt"
for o in --json --report --name-by --help PLANFORM_DATA 'EXIT STATUS' ENVIRONMENT FILES EXAMPLES; do
    check "install: the man page describes $o" grep -qF -- "$o" "$TMP/man.txt"
done

# ---- bash completion ----
complete_words() {  # complete_words WORD...: what the installed completion offers for the last word
    # the completion asks `planform render --help` for the forms: the installed command, on PATH
    # as it is for whoever installed it (not on this machine's PATH otherwise)
    (cd "$SRC" && PATH="$P/bin:$PATH" bash --norc --noprofile -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _planform; printf "%s\n" "${COMPREPLY[@]}"' _ "$P/share/bash-completion/completions/planform" "$@")
}
check "install: completion: planform ren → render" test "$(complete_words planform ren)" = render
check "install: completion is registered for planform" \
    bash --norc -c ". '$P/share/bash-completion/completions/planform'; complete -p planform | grep -q _planform"
check "install: completion: render --fo → --form" test "$(complete_words planform render --fo)" = --form
check "install: completion: --form plan,mon → plan,monitoring" test "$(complete_words planform render a.xml --form plan,mon)" = plan,monitoring
check "install: completion: batch --name-by → person, plan" test "$(complete_words planform batch --name-by '' | tr '\n' ' ')" = "person plan "
only_own_options() {  # check is offered --strict and --today, not batch's --jobs or --form
    local o=" $(complete_words planform check -- | tr '\n' ' ') "
    case $o in *" --strict "*) ;; *) echo "offered:$o"; return 1 ;; esac
    case $o in *" --today "*) ;; *) echo "offered:$o"; return 1 ;; esac
    case $o in *" --jobs "* | *" --form "*) echo "offered:$o"; return 1 ;; esac
}
check "install: completion: check offers only check's options" only_own_options
check "install: completion: bundles for render" test "$(complete_words planform render samples/a-)" = samples/a-san.xml
check "install: completion: draft-isp --provider ids from the bundle" test "$(complete_words planform draft-isp samples/a-san.xml --provider ao)" = aoba
check "install: completion covers every subcommand and option" covered "$P/share/bash-completion/completions/planform"

# ---- DESTDIR: files staged under it, PREFIX compiled in, DESTDIR not ----
check "install: make install DESTDIR=... PREFIX=/usr/local" imake install DESTDIR="$TMP/stage" PREFIX=/usr/local
check "install: DESTDIR holds the whole install under PREFIX" have_all "$TMP/stage/usr/local"
check "install: ... and nothing else" test "$(ls "$TMP/stage")" = usr
readelf -p .rodata "$TMP/stage/usr/local/bin/planform" >"$TMP/rodata-stage.txt" 2>&1
check "install: DESTDIR: /usr/local/share/planform compiled in" grep -qF /usr/local/share/planform "$TMP/rodata-stage.txt"
check "install: DESTDIR: the staging folder is not" not_grep "$TMP" "$TMP/rodata-stage.txt"
check "install: DESTDIR: planform.pc says prefix=/usr/local" grep -qx 'prefix=/usr/local' "$TMP/stage/usr/local/lib/pkgconfig/planform.pc"

# ---- uninstall: every file install wrote goes ----
check "install: make uninstall PREFIX=$P" imake uninstall PREFIX="$P"
check "install: ... leaves no file behind" test -z "$(find "$P" ! -type d)"
check "install: ... nor the data directory" test ! -e "$P/share/planform"
check "install: make uninstall DESTDIR=..." imake uninstall DESTDIR="$TMP/stage" PREFIX=/usr/local
check "install: ... leaves no file behind" test -z "$(find "$TMP/stage" ! -type d)"
fi
