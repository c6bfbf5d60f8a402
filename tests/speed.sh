# speed.sh — what issue 14's speed work must not change or break: every stream deflated and
# marked /FlateDecode (planform compresses them itself, with libdeflate, not libharu), the same
# bytes for the same input, libqpdf loaded only for --password-file (the binary does not link
# it; encryption still works; a missing libqpdf is a clear error), and templates loaded only for
# the forms asked for. Sourced by tests/run.sh.

# sp_streams PDF: every stream of the PDF with content has /Filter /FlateDecode (the empty
# appearance of a signature field has nothing to compress), and there are page contents
# (one per page), FontFile2, CIDToGIDMap and ToUnicode streams among them.
sp_streams() {
    qpdf --json "$1" > "$TMP/sp.json" || return 1
    python3 - "$TMP/sp.json" <<'EOF'
import json, sys
objs = {}
for part in json.load(open(sys.argv[1]))["qpdf"][1:]:
    objs.update(part)
def ref(v):
    return objs.get("obj:" + v) if isinstance(v, str) and v.endswith(" R") else None
streams = {k: v["stream"]["dict"] for k, v in objs.items() if "stream" in v}
def length(d):
    n = d.get("/Length")
    return objs[ "obj:" + n]["value"] if isinstance(n, str) else n
bad = [k for k, d in streams.items()
       if length(d) and d.get("/Filter") not in ("/FlateDecode", ["/FlateDecode"])]
assert not bad, "streams without /Filter /FlateDecode: %s" % bad
kinds = {"contents": 0, "FontFile2": 0, "CIDToGIDMap": 0, "ToUnicode": 0}
pages = 0
for k, v in objs.items():
    d = v.get("value")
    if not isinstance(d, dict):
        continue
    if d.get("/Type") == "/Page":
        pages += 1
        kinds["contents"] += ("obj:" + d["/Contents"]) in streams
    for key in ("FontFile2", "CIDToGIDMap", "ToUnicode"):
        if isinstance(d.get("/" + key), str) and ("obj:" + d["/" + key]) in streams:
            kinds[key] += 1
assert pages and kinds["contents"] == pages, "pages %d, content streams %d" % (pages, kinds["contents"])
assert all(kinds.values()), "missing kinds of stream: %s" % kinds
print(pages, "pages", kinds)
EOF
}

"$PF" render samples/a-san.xml -o "$TMP/sp-a.pdf"
check "streams: every stream of a-san is /FlateDecode (contents, FontFile2, CIDToGIDMap, ToUnicode)" sp_streams "$TMP/sp-a.pdf"
check "streams: qpdf --check decodes them all" sh -c "qpdf --check '$TMP/sp-a.pdf' | grep -q 'No syntax or stream encoding errors'"
check "streams: the content streams inflate to the page operators" sh -c "qpdf --qdf --object-streams=disable '$TMP/sp-a.pdf' - | LC_ALL=C grep -ac '] TJ\$' | grep -qv '^0\$'"
check "streams: the text reads back" sh -c "pdftotext '$TMP/sp-a.pdf' - | grep -q '髙橋 𠮷郎'"
check "streams: every font embedded, subset, with ToUnicode" fonts_ok "$TMP/sp-a.pdf"

# The print file writes its own streams (shared fonts, CIDToGIDMaps): deflated the same way.
mkdir -p "$TMP/sp-in" && cp samples/a-san.xml samples/child.xml "$TMP/sp-in/"
"$PF" batch "$TMP/sp-in" -o "$TMP/sp-out" --jobs 2 --quiet --print "$TMP/sp-out/print.pdf" 2>/dev/null
check "streams: the print file's streams too" sp_streams "$TMP/sp-out/print.pdf"
check "streams: the print file passes qpdf --check" sh -c "qpdf --check '$TMP/sp-out/print.pdf' | grep -q 'No syntax or stream encoding errors'"

# Determinism: the same input gives the same bytes, from a fresh process and from an engine
# that has rendered other documents before (batch, and the service, reuse their engines).
"$PF" render samples/a-san.xml -o "$TMP/sp-a2.pdf"
check "same bytes: a-san rendered twice" cmp "$TMP/sp-a.pdf" "$TMP/sp-a2.pdf"
"$PF" render samples/child.xml -o "$TMP/sp-c.pdf"
check "same bytes: batch's PDF of a-san is render's" cmp "$TMP/sp-a.pdf" "$TMP/sp-out/髙橋_𠮷郎_plan-2024-04~a-san.pdf"
check "same bytes: batch's PDF of child is render's" cmp "$TMP/sp-c.pdf" "$TMP/sp-out/﨑山_葛󠄀太_child-2024-06~child.pdf"
"$PF" render --form plan samples/a-san.xml -o "$TMP/sp-p1.pdf"
"$PF" render --form plan samples/a-san.xml -o "$TMP/sp-p2.pdf"
check "same bytes: render --form plan twice" cmp "$TMP/sp-p1.pdf" "$TMP/sp-p2.pdf"

# libqpdf is loaded with dlopen only when a password is asked for: the binary does not link it
# (nor the eleven shared objects that come with it), encryption still works, and a libqpdf that
# cannot be loaded is exit 3, code library-missing, before any work and with nothing written.
check "libqpdf: the binary does not link it" sh -c "ldd '$PF' > '$TMP/sp-ldd.txt' && grep -q libharfbuzz '$TMP/sp-ldd.txt' && ! grep -Eq 'libqpdf|libgnutls|libnettle' '$TMP/sp-ldd.txt'"
printf 'sp secret\n' > "$TMP/sp-pw"
"$PF" render samples/a-san.xml --password-file "$TMP/sp-pw" -o "$TMP/sp-enc.pdf"
check "libqpdf: --password-file still encrypts (qpdf --check with the password)" sh -c "qpdf --check --password='sp secret' '$TMP/sp-enc.pdf' | grep -q 'No syntax or stream encoding errors'"
check "libqpdf: ... AES-256" sh -c "qpdf --show-encryption --password='sp secret' '$TMP/sp-enc.pdf' | grep -q 'AESv3'"
check "libqpdf: ... and refuses to open without it" expect_error 2 'invalid password' -- qpdf --check "$TMP/sp-enc.pdf"
check "libqpdf: ... the text with the password" sh -c "pdftotext -upw 'sp secret' '$TMP/sp-enc.pdf' - | grep -q '髙橋 𠮷郎'"
check "libqpdf: a missing one is exit 3 naming it" expect_error 3 'cannot load libqpdf.*/nonexistent/libqpdf.so' -- \
    env PLANFORM_LIBQPDF=/nonexistent/libqpdf.so "$PF" render samples/a-san.xml --password-file "$TMP/sp-pw" -o "$TMP/sp-none.pdf"
check "libqpdf: ... nothing written" test ! -e "$TMP/sp-none.pdf"
check "libqpdf: ... code library-missing in --json" sh -c "env PLANFORM_LIBQPDF=/nonexistent/libqpdf.so '$PF' render --json samples/a-san.xml --password-file '$TMP/sp-pw' -o '$TMP/sp-none.pdf' 2>&1 | grep -q '\"code\": \"library-missing\", \"severity\": \"error\", \"status\": 3'"
check "libqpdf: ... a library that is not libqpdf too" expect_error 3 'cannot load libqpdf.*undefined symbol: qpdf_' -- \
    env PLANFORM_LIBQPDF="$(ldd "$PF" | awk '/libdeflate/ { print $3 }')" "$PF" batch "$TMP/sp-in" -o "$TMP/sp-none" --password-file "$TMP/sp-pw"
check "libqpdf: ... the batch wrote nothing" test ! -e "$TMP/sp-none"
check "libqpdf: not loaded without a password (a missing one does not matter)" \
    env PLANFORM_LIBQPDF=/nonexistent/libqpdf.so "$PF" render samples/a-san.xml -o "$TMP/sp-plain.pdf"

# Only the templates a command needs: render --form plan reads the plan's template and no other;
# check reads none. A data folder whose linkage template is broken still renders, validates and
# batches the plan; every form (the default) still finds the broken template first.
sp_templates() {  # sp_templates COMMAND...: the templates/*.xml files the command opened
    strace -f -e trace=open,openat -o "$TMP/sp-strace.txt" "$@" >/dev/null 2>&1
    grep -o 'templates/[a-z-]*\.xml' "$TMP/sp-strace.txt" | sort -u | tr '\n' ' '
}
check "templates: render --form plan reads only service-use-plan.xml" \
    test "$(sp_templates "$PF" render --form plan samples/a-san.xml -o "$TMP/sp-t.pdf")" = 'templates/service-use-plan.xml '
check "templates: render --form isp reads only the two ISP templates" \
    test "$(sp_templates "$PF" render --form isp samples/a-san.xml -o "$TMP/sp-t.pdf")" = 'templates/child-support-plan.xml templates/individual-support-plan.xml '
check "templates: validate --form plan reads only the plan's" \
    test "$(sp_templates "$PF" validate --form plan samples/a-san.xml)" = 'templates/service-use-plan.xml '
check "templates: check reads none" test -z "$(sp_templates "$PF" check samples/a-san.xml)"
check "templates: render (every form) reads all six" \
    test "$(sp_templates "$PF" render samples/a-san.xml -o "$TMP/sp-t.pdf" | wc -w)" = 6

rm -rf "$TMP/sp-data" && mkdir -p "$TMP/sp-data" && cp -r templates fonts "$TMP/sp-data/"
printf '<page' > "$TMP/sp-data/templates/linkage.xml"
check "templates: a broken linkage.xml does not stop render --form plan" \
    "$PF" render --data "$TMP/sp-data" --form plan samples/a-san.xml -o "$TMP/sp-t2.pdf"
check "templates: ... whose PDF is the one from whole data" cmp "$TMP/sp-t2.pdf" "$TMP/sp-p1.pdf"
check "templates: ... nor validate --form plan" "$PF" validate --data "$TMP/sp-data" --form plan samples/a-san.xml
check "templates: ... nor batch --form plan" "$PF" batch --data "$TMP/sp-data" --form plan "$TMP/sp-in" -o "$TMP/sp-tb" --quiet
check "templates: ... render of every form stops at it (exit 3, naming it)" \
    expect_error 3 'templates/linkage.xml' -- "$PF" render --data "$TMP/sp-data" samples/a-san.xml -o "$TMP/sp-t3.pdf"
check "templates: ... before reading the bundle (a broken bundle: still exit 3)" \
    expect_error 3 'templates/linkage.xml' -- "$PF" render --data "$TMP/sp-data" tests/cases/bad-recipient-9-digits.xml -o "$TMP/sp-t3.pdf"
check "templates: ... and --form linkage" \
    expect_error 3 'templates/linkage.xml' -- "$PF" validate --data "$TMP/sp-data" --form linkage samples/a-san.xml
check "templates: ... and a batch that prints it, before any bundle" \
    expect_error 3 'templates/linkage.xml' -- "$PF" batch --data "$TMP/sp-data" "$TMP/sp-in" -o "$TMP/sp-tb2" --quiet
check "templates: ... which wrote nothing" sh -c "! ls '$TMP/sp-tb2'/*.pdf 2>/dev/null"
