# The command line as other systems use it: help, version, exit codes, standard streams, file
# modes. Sourced by tests/run.sh.

check "--help exits 0 and lists the six subcommands" sh -c "'$PF' --help | grep -q '^Usage: planform COMMAND' && test \$('$PF' --help | grep -cE '^  (render|validate|check|schedule|draft-isp|batch) ') = 6"
check "--version exits 0" sh -c "'$PF' --version | grep -qE '^planform [0-9]+\.[0-9]+'"
check "no subcommand: exit 2" expect_error 2 'subcommand' -- "$PF"
check "unknown subcommand: exit 2" expect_error 2 'unknown subcommand' -- "$PF" frobnicate
check "unknown option: exit 2" expect_error 2 'unknown option' -- "$PF" render --frob samples/a-san.xml
check "bad --mode: exit 2" expect_error 2 'octal' -- "$PF" render --mode 99x samples/a-san.xml
check "missing input file: exit 4" expect_error 4 'cannot open' -- "$PF" render "$TMP/nope.xml" -o "$TMP/nope.pdf"
check "unwritable output: exit 4" expect_error 4 'cannot create output' -- "$PF" render samples/a-san.xml -o "$TMP/no/such/dir/a.pdf"
check "validate a good file: exit 0" sh -c "'$PF' validate samples/a-san.xml | grep -q ': ok'"
check "stdin to stdout gives the same PDF" sh -c "'$PF' render samples/a-san.xml -o '$TMP/cli-a-san.pdf' && '$PF' render - < samples/a-san.xml > '$TMP/stdout.pdf' && cmp '$TMP/stdout.pdf' '$TMP/cli-a-san.pdf'"
check "output is mode 0600 by default" sh -c "'$PF' render samples/a-san.xml -o '$TMP/mode.pdf' && [ \$(stat -c %a '$TMP/mode.pdf') = 600 ]"
check "--mode 0644" sh -c "'$PF' render --mode 0644 samples/a-san.xml -o '$TMP/mode2.pdf' && [ \$(stat -c %a '$TMP/mode2.pdf') = 644 ]"
check "default output name: FILE.pdf beside FILE" sh -c "cp samples/a-san.xml '$TMP/x.xml' && '$PF' render '$TMP/x.xml' && [ -s '$TMP/x.pdf' ]"

# A missing font is exit 3 and names the family.
mkdir -p "$TMP/data/fonts" && cp -r templates "$TMP/data/" &&
    printf 'mincho NoSuchFontFamily\n' > "$TMP/data/fonts/chain.conf"
check "missing font: exit 3 naming it" expect_error 3 'NoSuchFontFamily' -- "$PF" render --data "$TMP/data" samples/a-san.xml -o "$TMP/nofont.pdf"
check "missing font: no output file" test ! -e "$TMP/nofont.pdf"
# A template with a box outside the page is exit 3 and names the template file.
mkdir -p "$TMP/data2/fonts" && cp -r templates "$TMP/data2/" && cp fonts/chain.conf "$TMP/data2/fonts/" &&
    sed 's/<box x="10" y="53"/<box x="250" y="53"/' templates/service-use-plan.xml > "$TMP/data2/templates/service-use-plan.xml"
check "template box outside the page: exit 3 naming the file" expect_error 3 'service-use-plan.xml:[0-9]+:.*outside the page' -- "$PF" render --data "$TMP/data2" samples/a-san.xml -o "$TMP/badtpl.pdf"

# The command line names what is wrong (issue 11): the option, a date that does not exist, the
# six subcommands.
check "--today 2024-13-45: exit 2 naming the date" expect_error 2 'takes a date that exists.*2024-13-45' -- "$PF" check samples/a-san.xml --today 2024-13-45
check "--today 2023-02-29: exit 2 (no such day)" expect_error 2 '2023-02-29' -- "$PF" check samples/a-san.xml --today 2023-02-29
check "--today 2024-02-29: a leap day is a day" "$PF" check samples/a-san.xml --today 2024-02-29
check "an unknown option is named" expect_error 2 'unknown option: --bogus' -- "$PF" render --bogus samples/a-san.xml
check "an unknown short option is named" expect_error 2 'unknown option: -Z' -- "$PF" render -Z samples/a-san.xml
check "an option missing its value is named" expect_error 2 'missing its value: -o' -- "$PF" render samples/a-san.xml -o
check "no subcommand: all six are listed" expect_error 2 'render, validate, check, schedule, draft-isp, batch' -- "$PF"
check "--help describes --max-size, --verbose and --data" sh -c "'$PF' --help | grep -q -- '--max-size N' && '$PF' --help | grep -q -- '--verbose' && '$PF' --help | grep -q -- '--data DIR'"

# Each subcommand has its own --help (issue 11): its options and no other's; `planform help CMD`
# says the same. Every option the command takes is listed, and every option listed is taken.
check "render --help: render's own usage" sh -c "'$PF' render --help | grep -q '^Usage: planform render FILE'"
check "  … lists --password-file and --form, not --jobs or --strict" sh -c "'$PF' render --help > '$TMP/h.txt' && grep -q -- '--password-file FILE' '$TMP/h.txt' && grep -q -- '--form FORMS' '$TMP/h.txt' && ! grep -qE -- '--jobs|--strict' '$TMP/h.txt'"
check "planform help batch = planform batch --help" bash -c "cmp <('$PF' help batch) <('$PF' batch --help)"
check "help of an unknown subcommand: exit 2 naming it" expect_error 2 'unknown subcommand: frob' -- "$PF" help frob
"$PF" --help > "$TMP/help-general.txt"
for c in general render validate check schedule draft-isp batch; do
    if [ $c != general ]; then
        "$PF" $c --help > "$TMP/help-$c.txt" 2>&1
        check "$c --help: exit 0, its own usage line" grep -q "^Usage: planform $c " "$TMP/help-$c.txt"
        for opt in $(grep -oE -- '^  (-., )?--[a-z-]+' "$TMP/help-$c.txt" | grep -oE -- '--[a-z-]+' | sort -u); do
            case $opt in --help|--version) continue ;; esac
            # each listed option is taken: not refused as one the subcommand does not take
            "$PF" $c $opt x >/dev/null 2>"$TMP/help-opt.txt"
            check "$c --help lists $opt, and $c takes it" not_grep 'does not apply' "$TMP/help-opt.txt"
        done
    fi
    check "$c help within 80 columns (Japanese counted as two)" python3 -c "
import sys, unicodedata
w = lambda l: sum(2 if unicodedata.east_asian_width(ch) in 'WF' else 1 for ch in l)
bad = [l for l in open(sys.argv[1], encoding='utf-8').read().splitlines() if w(l) > 80]
sys.exit(print(*bad, sep='\\n') if bad else 0)" "$TMP/help-$c.txt"
done
check "an option that does not apply: refused and where it applies is said" expect_error 2 '--jobs does not apply to check \(only to batch, serve\)' -- "$PF" check --jobs 2 samples/a-san.xml

# A form asked for by name that the bundle has none of (issue 11): exit 1 naming it, no PDF;
# in a batch that bundle is reported and the print file still holds the others.
rm -f "$TMP/noev.pdf"
check "render --form evaluation of a bundle without one: exit 1 naming the form" expect_error 1 'this bundle has no evaluation' -- "$PF" render samples/overflow.xml --form evaluation -o "$TMP/noev.pdf"
check "  … and no PDF (once: a 0-page PDF poppler rejects)" test ! -e "$TMP/noev.pdf"
check "the default (all forms) still prints what the bundle has" "$PF" render samples/overflow.xml -o "$TMP/noev-all.pdf"
mkdir -p "$TMP/noev-in" && cp samples/a-san.xml samples/overflow.xml "$TMP/noev-in/"
"$PF" batch "$TMP/noev-in" -o "$TMP/noev-out" --form evaluation --print "$TMP/noev-out/print.pdf" --quiet 2> "$TMP/noev-b.err"
check "batch --form evaluation: exit 1, the bundle without one named, the print file written" sh -c "[ $? = 1 ] && grep -q 'overflow.xml: this bundle has no evaluation' '$TMP/noev-b.err' && qpdf --check '$TMP/noev-out/print.pdf' >/dev/null"
check "an option a subcommand does not take: exit 2 naming it (render --jobs)" expect_error 2 'jobs does not apply to render \(only to batch, serve\)' -- "$PF" render --jobs 4 samples/a-san.xml -o "$TMP/opt.pdf"
check "  … (render --strict)" expect_error 2 'strict does not apply to render' -- "$PF" render --strict samples/a-san.xml -o "$TMP/opt.pdf"
check "  … (draft-isp --json: validate, render and batch take it, issue 11)" expect_error 2 'json does not apply to draft-isp' -- "$PF" draft-isp --json samples/a-san.xml --provider aoba
check "  … (check --duplex)" expect_error 2 'duplex does not apply to check' -- "$PF" check --duplex samples/a-san.xml

# Each long option has its own letter in getopt's table: two sharing one (as --sign-cert and
# --socket once did, merged from two branches) would send one option to the other's case.
check "options: no two long options share a letter (src/main.c)" sh -c "
    ! grep -o \"_argument, 0, '[A-Za-z0-9]'}\" src/main.c | sort | uniq -d | grep -q ."
