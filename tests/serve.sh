# planform serve (issue 14): the HTTP service, started from the test on a free loopback port
# (--listen 127.0.0.1:0; the port is read from the "listening" log line) or a Unix socket in
# $TMP. Every server runs under timeout(1) and is stopped by the test; every request has a time
# limit (curl -m, the probes' socket timeouts). Nothing leaves loopback. Sourced by tests/run.sh.

SV="$TMP/serve"
rm -rf "$SV"
mkdir -p "$SV"
PROBE="python3 tests/tools/http_probe.py"
sv_n=0

# serve_start ARGS...: `planform serve ARGS` (under $SV_WRAP, e.g. valgrind), waits for its
# "listening" line; sets SV_ADDR (HOST:PORT or unix:PATH), SV_PID, SV_JOB, SV_LOG.
serve_start() {
    sv_n=$((sv_n + 1))
    SV_LOG="$SV/log.$sv_n"
    # shellcheck disable=SC2086
    timeout -s KILL "${SV_LIMIT:-300}" ${SV_WRAP:-} "$PF" serve "$@" 2>"$SV_LOG" >/dev/null &
    SV_JOB=$!
    local i
    for i in $(seq 1800); do  # at most 180 s (valgrind loads the engines slowly)
        grep -q '"event": "listening"' "$SV_LOG" 2>/dev/null && break
        kill -0 "$SV_JOB" 2>/dev/null || break
        sleep 0.1
    done
    SV_PID=$(sed -n 's/.*"event": "listening".*"pid": \([0-9]*\).*/\1/p' "$SV_LOG")
    SV_ADDR=$(sed -n 's/.*"event": "listening", "address": "\([^"]*\)".*/\1/p' "$SV_LOG")
    [ -n "$SV_PID" ] || { cat "$SV_LOG"; return 1; }
}
# serve_stop: SIGTERM; the server's exit status (and what it wrote that is not a log line)
serve_stop() {
    kill -TERM "$SV_PID" 2>/dev/null
    wait "$SV_JOB"
    local rc=$?
    [ "$rc" = 0 ] || { echo "exit $rc"; grep -v '^{"time"' "$SV_LOG" | head -40; }
    return $rc
}

# hc OUT METHOD PATH [CURL ARGS...]: the request; prints the status, the body into OUT and the
# headers into OUT.h
hc() {
    local out=$1 method=$2 path=$3 url
    shift 3
    case $SV_ADDR in
    unix:*) set -- --unix-socket "${SV_ADDR#unix:}" "$@"; url="http://localhost$path" ;;
    *) url="http://$SV_ADDR$path" ;;
    esac
    curl -s -m 120 -o "$out" -D "$out.h" -w '%{http_code}' -X "$method" "$@" "$url"
}
# xml OUT PATH FILE [CURL ARGS...]: POST FILE as XML
xml() {
    local out=$1 path=$2 file=$3
    shift 3
    hc "$out" POST "$path" -H 'Content-Type: application/xml' --data-binary "@$file" "$@"
}
# is STATUS OUT PATH FILE [CURL ARGS]: POST FILE and the answer has STATUS
is() { local want=$1; shift; local got; got=$(xml "$@"); [ "$got" = "$want" ] || { echo "status $got, want $want"; cat "$2"; return 1; }; }
# same_json A B: the same JSON value (key order and spacing aside)
same_json() {
    python3 -c 'import json, sys; a, b = (json.load(open(f, encoding="utf-8")) for f in sys.argv[1:]); sys.exit(a != b)' "$1" "$2" ||
        { echo "differ:"; cat "$1" "$2"; return 1; }
}
# cli_err OUT COMMAND...: the CLI's --json error line for stdin, named as the service names the body
cli_err() { local out=$1; shift; "$@" 2>&1 >/dev/null | sed 's/<stdin>/<request>/' >"$out"; }
has_code() { grep -q "\"code\": \"$2\"" "$1" || { echo "no code $2 in:"; cat "$1"; return 1; }; }
# renders_as OUT FILE PDF: POST /v1/render FILE gives 200 and PDF's bytes
renders_as() { is 200 "$1" /v1/render "$2" && cmp "$1" "$3"; }
header() { grep -qi "^$2: $3" "$1.h" || { echo "no header $2: $3 in:"; cat "$1.h"; return 1; }; }

# A slow bundle (five 20,000-character notes: about 40 pages of plan) and a large one (60,000:
# 115 pages, 400 KB of PDF) for load, busy workers and downloads cut short.
sv_notes() {
    python3 - "$1" "$2" <<'EOF'
import random, re, sys
s = open("samples/a-san.xml", encoding="utf-8").read()
r = random.Random(7)
s = re.sub(r"<notes>[^<]*</notes>",
           lambda m: "<notes>" + "".join(r.choice("ゐゑあいうえお") for _ in range(int(sys.argv[2]))) + "</notes>", s)
open(sys.argv[1], "w", encoding="utf-8").write(s)
EOF
}
sv_notes "$SV/slow.xml" 20000
sv_notes "$SV/big.xml" 60000

# ---- options refused before anything listens ----
check "serve: listed in planform --help" sh -c "'$PF' --help | grep -q '^  serve '"
check "serve: 0.0.0.0 without --token-file: exit 2" exits 2 timeout 60 "$PF" serve --listen 0.0.0.0:0
timeout 60 "$PF" serve --listen 0.0.0.0:0 2>"$SV/open.err"
check "serve: ... saying a token is needed off loopback" grep -q 'is not loopback: .*needs --token-file' "$SV/open.err"
check "serve: a file argument: exit 2" exits 2 timeout 60 "$PF" serve samples/a-san.xml
check "serve: --listen without a port: exit 2" exits 2 timeout 60 "$PF" serve --listen 127.0.0.1
check "serve: --listen and --socket together: exit 2" exits 2 timeout 60 "$PF" serve --listen 127.0.0.1:0 --socket "$SV/s"
printf 'short\n' >"$SV/short-token"
check "serve: a token under 16 bytes: exit 2" exits 2 timeout 60 "$PF" serve --token-file "$SV/short-token"
check "serve: --data without templates: exit 3" exits 3 timeout 60 "$PF" serve --listen 127.0.0.1:0 --data "$SV"
check "serve: render does not take --listen" exits 2 "$PF" render samples/a-san.xml --listen 127.0.0.1:0

# ---- one server for the endpoints ----
if serve_start --listen 127.0.0.1:0 --jobs 2 --max-size 2M; then
    ok
    # healthz; the request id of the answer is the one in the access log
    check "serve: GET /healthz: 200" test "$(hc "$SV/h" GET /healthz)" = 200
    check "serve: healthz says ok" grep -qx '{"status": "ok"}' "$SV/h"
    rid=$(sed -n 's/^Planform-Request-Id: \([^\r]*\).*/\1/ip' "$SV/h.h")
    check "serve: a request id in the answer" test -n "$rid"
    check "serve: the same id in the access log" grep -q "\"id\": \"$rid\", \"method\": \"GET\", \"endpoint\": \"/healthz\", \"status\": 200" "$SV_LOG"

    # render: byte-identical to the CLI's for every sample, all forms and one
    for x in samples/*.xml; do
        n=$(basename "$x" .xml)
        "$PF" render "$x" -o "$SV/cli-$n.pdf"
        check "serve: render $n: 200" is 200 "$SV/sv-$n.pdf" /v1/render "$x"
        check "serve: render $n: application/pdf" header "$SV/sv-$n.pdf" Content-Type application/pdf
        check "serve: render $n: the CLI's bytes" cmp "$SV/sv-$n.pdf" "$SV/cli-$n.pdf"
    done
    "$PF" render --form plan samples/a-san.xml -o "$SV/cli-plan.pdf"
    check "serve: render?forms=plan: 200" is 200 "$SV/sv-plan.pdf" '/v1/render?forms=plan' samples/a-san.xml
    check "serve: render?forms=plan: the CLI's --form plan bytes" cmp "$SV/sv-plan.pdf" "$SV/cli-plan.pdf"
    check "serve: ... and not all forms' (the comparison can fail)" fails cmp -s "$SV/sv-plan.pdf" "$SV/cli-a-san.pdf"
    check "serve: render?forms=plan,isp: 200" is 200 "$SV/sv-pi.pdf" '/v1/render?forms=plan,isp' samples/a-san.xml

    # encryption: the password from the header; never from the URL; in no log
    check "serve: render with Planform-Password: 200" is 200 "$SV/enc.pdf" /v1/render samples/a-san.xml -H 'Planform-Password: sv-secret-pw'
    check "serve: ... encrypted (qpdf cannot read it without the password)" fails qpdf --check "$SV/enc.pdf"
    check "serve: ... opens with the password" qpdf --password=sv-secret-pw --check "$SV/enc.pdf"
    check "serve: password in the URL: 400" is 400 "$SV/pwurl" '/v1/render?password=sv-url-pw' samples/a-san.xml
    check "serve: ... code usage, saying to use the header" sh -c "grep -q '\"code\": \"usage\"' '$SV/pwurl' && grep -q 'Planform-Password header' '$SV/pwurl'"
    check "serve: ... the password not echoed" not_grep sv-url-pw "$SV/pwurl"
    check "serve: an empty Planform-Password: 400" is 400 "$SV/pwempty" /v1/render samples/a-san.xml -H 'Planform-Password;'
    check "serve: Planform-Password on validate: 400" is 400 "$SV/pwval" /v1/validate samples/a-san.xml -H 'Planform-Password: x'

    # invalid bundles: 400 and the CLI's --json error line
    for c in bad-unknown-element bad-not-well-formed bad-goal-need-missing bad-doctype-entity; do
        cli_err "$SV/cli-$c.json" "$PF" render --json - -o "$SV/none.pdf" <"tests/cases/$c.xml"
        check "serve: render $c: 400" is 400 "$SV/sv-$c.json" /v1/render "tests/cases/$c.xml"
        check "serve: render $c: the CLI's JSON error" same_json "$SV/sv-$c.json" "$SV/cli-$c.json"
        check "serve: render $c: application/json" header "$SV/sv-$c.json" Content-Type application/json
    done
    check "serve: the CLI's JSON compared is an error's (the comparison can fail)" fails same_json "$SV/sv-bad-unknown-element.json" "$SV/cli-bad-not-well-formed.json"
    cli_err "$SV/cli-nofont.json" "$PF" render --json - -o "$SV/none.pdf" <tests/cases/bad-ivs-no-font.xml
    check "serve: a character no font has: 400" is 400 "$SV/sv-nofont.json" /v1/render tests/cases/bad-ivs-no-font.xml
    check "serve: ... the CLI's JSON error" same_json "$SV/sv-nofont.json" "$SV/cli-nofont.json"

    # validate
    "$PF" validate --json - <samples/a-san.xml | sed 's/<stdin>/<request>/' >"$SV/cli-valid.json"
    check "serve: validate a-san: 200" is 200 "$SV/sv-valid.json" /v1/validate samples/a-san.xml
    check "serve: validate a-san: validate --json's line" cmp "$SV/sv-valid.json" "$SV/cli-valid.json"
    cli_err "$SV/cli-vbad.json" "$PF" validate --json - <tests/cases/bad-recipient-9-digits.xml
    check "serve: validate a bad bundle: 400" is 400 "$SV/sv-vbad.json" /v1/validate tests/cases/bad-recipient-9-digits.xml
    check "serve: ... the CLI's JSON error" same_json "$SV/sv-vbad.json" "$SV/cli-vbad.json"
    cli_err "$SV/cli-form.json" "$PF" validate --json --form monitoring - <samples/child.xml
    check "serve: validate?forms= a form the bundle lacks: 400" is 400 "$SV/sv-form.json" '/v1/validate?forms=monitoring' samples/child.xml
    check "serve: ... form-not-in-bundle, the CLI's JSON" same_json "$SV/sv-form.json" "$SV/cli-form.json"

    # check and schedule: the JSON of check --json and schedule --json
    for x in samples/a-san.xml samples/child.xml tests/cases/bad-goal-need-missing.xml; do
        n=$(basename "$x" .xml)
        "$PF" check --json --today 2024-08-01 - <"$x" | sed 's/<stdin>/<request>/' >"$SV/cli-check-$n.json"
        check "serve: check $n: 200" is 200 "$SV/sv-check-$n.json" '/v1/check?today=2024-08-01' "$x"
        check "serve: check $n: check --json's findings" cmp "$SV/sv-check-$n.json" "$SV/cli-check-$n.json"
        "$PF" schedule --json --today 2024-08-01 - <"$x" >"$SV/cli-sched-$n.json"
        check "serve: schedule $n: 200" is 200 "$SV/sv-sched-$n.json" '/v1/schedule?today=2024-08-01' "$x"
        check "serve: schedule $n: schedule --json's" cmp "$SV/sv-sched-$n.json" "$SV/cli-sched-$n.json"
    done
    check "serve: check finds goal-need-missing (not an empty list)" grep -q '"rule": "goal-need-missing"' "$SV/sv-check-bad-goal-need-missing.json"
    check "serve: the day matters: another today, another schedule (the comparison can fail)" sh -c "
        '$PF' schedule --json --today 2030-01-01 - <samples/a-san.xml | cmp -s - '$SV/sv-sched-a-san.json'; [ \$? = 1 ]"
    cli_err "$SV/cli-cbad.json" "$PF" check --json - <tests/cases/bad-month-13.xml
    check "serve: check an unreadable bundle: 400" is 400 "$SV/sv-cbad.json" /v1/check tests/cases/bad-month-13.xml
    check "serve: ... the CLI's JSON error" same_json "$SV/sv-cbad.json" "$SV/cli-cbad.json"
    check "serve: check?today=2024-02-30: 400" is 400 "$SV/sv-today.json" '/v1/check?today=2024-02-30' samples/a-san.xml
    check "serve: ... code usage" has_code "$SV/sv-today.json" usage

    # draft-isp
    "$PF" draft-isp --provider aoba - <samples/a-san.xml >"$SV/cli-draft.xml"
    check "serve: draft-isp?provider=aoba: 200" is 200 "$SV/sv-draft.xml" '/v1/draft-isp?provider=aoba' samples/a-san.xml
    check "serve: ... the CLI's XML" cmp "$SV/sv-draft.xml" "$SV/cli-draft.xml"
    check "serve: ... application/xml" header "$SV/sv-draft.xml" Content-Type application/xml
    check "serve: draft-isp without provider: 400" is 400 "$SV/sv-dnone.json" /v1/draft-isp samples/a-san.xml
    check "serve: ... code usage" has_code "$SV/sv-dnone.json" usage
    check "serve: draft-isp?provider=nosuch: 400" is 400 "$SV/sv-dbad.json" '/v1/draft-isp?provider=nosuch' samples/a-san.xml
    check "serve: ... provider-not-in-plan" has_code "$SV/sv-dbad.json" provider-not-in-plan

    # the request itself: 404, 405, 415, 400, 413
    check "serve: GET /nope: 404" test "$(hc "$SV/404" GET /nope)" = 404
    check "serve: ... not-found" has_code "$SV/404" not-found
    check "serve: GET /v1/render: 405" test "$(hc "$SV/405" GET /v1/render)" = 405
    check "serve: ... method-not-allowed, Allow: POST" sh -c "grep -q '\"code\": \"method-not-allowed\"' '$SV/405' && grep -qi '^Allow: POST' '$SV/405.h'"
    check "serve: POST /healthz: 405" test "$(hc "$SV/405b" POST /healthz -d x)" = 405
    check "serve: a form-encoded body: 415" test "$(hc "$SV/415" POST /v1/render --data-binary @samples/a-san.xml)" = 415
    check "serve: ... unsupported-media-type" has_code "$SV/415" unsupported-media-type
    check "serve: text/xml; charset=utf-8 is XML" test "$(hc "$SV/txml" POST /v1/validate -H 'Content-Type: text/xml; charset=utf-8' --data-binary @samples/a-san.xml)" = 200
    check "serve: an unknown parameter: 400" is 400 "$SV/param" '/v1/render?form=plan' samples/a-san.xml
    check "serve: ... code usage naming it" sh -c "grep -q '\"code\": \"usage\"' '$SV/param' && grep -q 'unknown parameter: form' '$SV/param'"
    check "serve: forms=nope: 400" is 400 "$SV/forms" '/v1/render?forms=nope' samples/a-san.xml
    check "serve: ... naming the forms" grep -q 'forms takes plan, isp' "$SV/forms"
    head -c 2200000 /dev/zero | tr '\0' ' ' >"$SV/pad"
    cat samples/a-san.xml "$SV/pad" >"$SV/over.xml"
    cli_err "$SV/cli-413.json" "$PF" validate --json --max-size 2M - <"$SV/over.xml"
    check "serve: a body over --max-size: 413" is 413 "$SV/sv-413.json" /v1/validate "$SV/over.xml"
    check "serve: ... too-large, the CLI's JSON" same_json "$SV/sv-413.json" "$SV/cli-413.json"
    $PROBE oversize "$SV_ADDR" 100000000 >"$SV/oversize.txt"
    check "serve: 100 MB announced, none sent: 413 at once (the body is never read)" sh -c "head -1 '$SV/oversize.txt' | grep -qx 413 && grep -q '\"code\": \"too-large\"' '$SV/oversize.txt'"
    $PROBE chunked "$SV_ADDR" 2200000 >"$SV/chunked.txt"
    check "serve: a chunked body past --max-size: 413" sh -c "head -1 '$SV/chunked.txt' | grep -qx 413"

    # clients that hang up: mid-upload, mid-download; the server goes on
    check "serve: a client hangs up mid-upload" $PROBE upload-abort "$SV_ADDR"
    check "serve: a client hangs up mid-download" $PROBE download-abort "$SV_ADDR" "$SV/big.xml"
    check "serve: ... then healthz: 200" test "$(hc "$SV/h2" GET /healthz)" = 200
    check "serve: ... and a render: the CLI's bytes" renders_as "$SV/again.pdf" samples/a-san.xml "$SV/cli-a-san.pdf"

    # metrics: Prometheus text
    check "serve: GET /metrics: 200" test "$(hc "$SV/metrics" GET /metrics)" = 200
    check "serve: ... text/plain; version=0.0.4" header "$SV/metrics" Content-Type 'text/plain; version=0.0.4'
    check "serve: ... requests by endpoint and status" grep -q '^planform_requests_total{endpoint="/v1/render",status="400"} [1-9]' "$SV/metrics"
    check "serve: ... 413s counted" grep -q '^planform_requests_total{endpoint="/v1/validate",status="413"} [1-9]' "$SV/metrics"
    check "serve: ... latency histogram" grep -q '^planform_request_duration_seconds_bucket{endpoint="/v1/render",le="+Inf"} [1-9]' "$SV/metrics"
    check "serve: ... in flight, engines, bytes out" sh -c "grep -q '^planform_requests_in_flight [1-9]' '$SV/metrics' && grep -q '^planform_engines 2$' '$SV/metrics' && grep -q '^planform_response_bytes_total [1-9]' '$SV/metrics'"
    check "serve: ... every line a comment or a sample" sh -c "! grep -vE '^(# (HELP|TYPE) .*|[a-z_]+(\{[^}]*\})? [0-9.e+-]+)$' '$SV/metrics'"

    check "serve: SIGTERM: exit 0" serve_stop
    check "serve: ... 'stopped' logged" grep -q '"event": "stopped"' "$SV_LOG"
    # the access log: JSON lines, nothing of the person, the password, or the URL's query
    check "serve: the log is JSON lines" python3 -c "
import json, sys
for line in open(sys.argv[1], encoding='utf-8'):
    e = json.loads(line)
    assert 'time' in e and 'event' in e, line
" "$SV_LOG"
    check "serve: ... a line per request with endpoint, status, bytes, ms" grep -q '"event": "request", "id": "[0-9a-f-]*", "method": "POST", "endpoint": "/v1/render", "status": 200, "code": null, "bytes": [0-9]*, "ms": [0-9.]*' "$SV_LOG"
    check "serve: ... the error code of a refused request" grep -q '"endpoint": "/v1/render", "status": 400, "code": "unexpected-element"' "$SV_LOG"
    check "serve: ... no name from the bundle" not_grep '髙橋|𠮷郎|﨑山|nickname' "$SV_LOG"
    check "serve: ... no password" not_grep 'sv-secret-pw|sv-url-pw' "$SV_LOG"
    check "serve: ... no query" not_grep 'provider=|forms=|today=' "$SV_LOG"
    check "serve: the check can fail: the bundle's name is in the bundle" grep -q '髙橋' samples/a-san.xml
else
    bad "serve: the server did not start"
fi

# ---- a token (any address; off loopback it is required) ----
printf 'sv-token-0123456789abcdef\n' >"$SV/token"
if serve_start --listen 127.0.0.1:0 --jobs 1 --token-file "$SV/token"; then
    check "serve token: no Authorization: 401" is 401 "$SV/t1" /v1/validate samples/a-san.xml
    check "serve token: ... unauthorized, WWW-Authenticate: Bearer" sh -c "grep -q '\"code\": \"unauthorized\"' '$SV/t1' && grep -qi '^WWW-Authenticate: Bearer' '$SV/t1.h'"
    check "serve token: a wrong token: 401" is 401 "$SV/t2" /v1/validate samples/a-san.xml -H 'Authorization: Bearer sv-token-0123456789abcdeX'
    check "serve token: a prefix of the token: 401" is 401 "$SV/t3" /v1/validate samples/a-san.xml -H 'Authorization: Bearer sv-token-0123456789abcde'
    check "serve token: the token: 200" is 200 "$SV/t4" /v1/validate samples/a-san.xml -H 'Authorization: Bearer sv-token-0123456789abcdef'
    check "serve token: /metrics needs it" test "$(hc "$SV/t5" GET /metrics)" = 401
    check "serve token: /healthz does not" test "$(hc "$SV/t6" GET /healthz)" = 200
    check "serve token: SIGTERM: exit 0" serve_stop
    check "serve token: the token is not logged" not_grep sv-token "$SV_LOG"
fi
if serve_start --listen 0.0.0.0:0 --jobs 1 --token-file "$SV/token"; then
    check "serve token: 0.0.0.0 with --token-file listens" grep -q '"address": "0.0.0.0:' "$SV_LOG"
    SV_ADDR="127.0.0.1:${SV_ADDR##*:}"
    check "serve token: ... and asks for the token" is 401 "$SV/t7" /v1/validate samples/a-san.xml
    check "serve token: 0.0.0.0: SIGTERM: exit 0" serve_stop
fi

# ---- a Unix socket ----
if serve_start --socket "$SV/planform.sock" --jobs 1; then
    check "serve unix: listening on the socket" test "$SV_ADDR" = "unix:$SV/planform.sock"
    check "serve unix: render: the CLI's bytes" renders_as "$SV/u.pdf" samples/child.xml "$SV/cli-child.pdf"
    check "serve unix: the probe speaks to it too" sh -c "$PROBE get '$SV_ADDR' GET /healthz | head -1 | grep -qx 200"
    # contrib/client.py, the example client (standard library only)
    check "serve client.py: render: exit 0" python3 contrib/client.py --socket "${SV_ADDR#unix:}" render samples/child.xml -o "$SV/client.pdf"
    check "serve client.py: ... the CLI's bytes" cmp "$SV/client.pdf" "$SV/cli-child.pdf"
    check "serve client.py: an invalid bundle: exit 1" exits 1 python3 contrib/client.py --socket "${SV_ADDR#unix:}" validate tests/cases/bad-month-13.xml
    check "serve client.py: check --today: check --json's findings" sh -c "python3 contrib/client.py --socket '${SV_ADDR#unix:}' check --today 2024-08-01 samples/a-san.xml | cmp - '$SV/cli-check-a-san.json'"
    check "serve unix: SIGTERM: exit 0" serve_stop
    check "serve unix: the socket file is gone" test ! -e "$SV/planform.sock"
fi
touch "$SV/not-a-socket"
check "serve unix: a file that is not a socket is never replaced: exit 2" exits 2 timeout 60 "$PF" serve --socket "$SV/not-a-socket"
check "serve unix: ... the file is still there" test -f "$SV/not-a-socket"

# ---- systemd socket activation (LISTEN_PID, LISTEN_FDS: descriptor 3) ----
timeout -s KILL 300 python3 tests/tools/http_probe.py activate "$SV/act.port" "$PF" serve --jobs 1 2>"$SV/act.log" &
act_job=$!
for i in $(seq 600); do grep -q '"event": "listening"' "$SV/act.log" 2>/dev/null && break; kill -0 $act_job 2>/dev/null || break; sleep 0.1; done
check "serve activated: listening on systemd's socket" grep -q "\"address\": \"127.0.0.1:$(cat "$SV/act.port" 2>/dev/null)\"" "$SV/act.log"
SV_ADDR="127.0.0.1:$(cat "$SV/act.port" 2>/dev/null)"
check "serve activated: healthz: 200" test "$(hc "$SV/act" GET /healthz)" = 200
kill -TERM $act_job 2>/dev/null
wait $act_job
check "serve activated: SIGTERM: exit 0 ($?)" test $? = 0

# ---- slow clients: cut off, while others are served ----
if serve_start --listen 127.0.0.1:0 --jobs 1 --timeout 2; then
    $PROBE slow-headers "$SV_ADDR" >"$SV/slow1.txt" &
    slow1=$!
    $PROBE trickle "$SV_ADDR" >"$SV/slow2.txt" &
    slow2=$!
    check "serve slow: others are served meanwhile: render" is 200 "$SV/slow.pdf" /v1/render samples/a-san.xml
    check "serve slow: ... the CLI's bytes" cmp "$SV/slow.pdf" "$SV/cli-a-san.pdf"
    check "serve slow: ... healthz" test "$(hc "$SV/sh" GET /healthz)" = 200
    wait $slow1 $slow2
    check "serve slow: half a request, then silence: the server hangs up" grep -qx closed "$SV/slow1.txt"
    check "serve slow: a body trickled byte by byte: cut off" grep -qx closed "$SV/slow2.txt"
    check "serve slow: ... healthz after" test "$(hc "$SV/sh2" GET /healthz)" = 200
    check "serve slow: SIGTERM: exit 0" serve_stop
fi

# ---- every engine busy past the queue: 503 ----
if serve_start --listen 127.0.0.1:0 --jobs 1 --queue 0; then
    $PROBE busy "$SV_ADDR" "$SV/slow.xml" samples/a-san.xml >"$SV/busy.txt"
    check "serve busy: the one worker busy, no queue: 503" sh -c "head -1 '$SV/busy.txt' | grep -qx 503"
    check "serve busy: ... code busy" grep -q '"code": "busy"' "$SV/busy.txt"
    check "serve busy: ... the busy one is answered: 200" grep -qx 'big 200' "$SV/busy.txt"
    check "serve busy: SIGTERM: exit 0" serve_stop
fi

# ---- SIGTERM under load: every request in flight is answered, then exit 0 ----
"$PF" render --form plan "$SV/slow.xml" -o "$SV/cli-slow.pdf"
if serve_start --listen 127.0.0.1:0 --jobs 1; then
    $PROBE term-under-load "$SV_ADDR" "$SV_PID" "$SV/slow.xml" 3 "$SV" >"$SV/term.txt"
    wait "$SV_JOB"
    check "serve term: exit 0 ($?)" test $? = 0
    check "serve term: three requests in flight, three 200s" test "$(grep -cx 200 "$SV/term.txt")" = 3
    check "serve term: ... each the CLI's PDF" sh -c "for i in 0 1 2; do cmp '$SV/term-'\$i.pdf '$SV/cli-slow.pdf' || exit 1; done"
    check "serve term: stopped after finishing them" grep -q '"event": "stopped"' "$SV_LOG"
    check "serve term: nothing listens any more" fails curl -s -m 10 "http://$SV_ADDR/healthz"
fi

# ---- SIGTERM after many clients hung up with requests queued (wrk, 32 connections, closed at
# once when it ends): a connection a worker gave back after its client left is no longer
# counted as suspended, so the stop does not wait 20 s for it and end in exit 4 ----
if command -v wrk >/dev/null && serve_start --listen 127.0.0.1:0 --jobs 2 --queue 64; then
    cat >"$SV/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/xml"
local f = io.open("$PWD/samples/a-san.xml", "rb")
wrk.body = f:read("*a")
f:close()
LUA
    timeout 20 wrk -t 2 -c 32 -d 1s -s "$SV/post.lua" "http://$SV_ADDR/v1/render?forms=plan" >/dev/null 2>&1
    check "serve after hang-ups: SIGTERM: exit 0" serve_stop
    check "serve after hang-ups: stopped, not grace-expired" sh -c "grep -q '\"event\": \"stopped\"' '$SV_LOG' && ! grep -q grace-expired '$SV_LOG'"
fi

# ---- a second SIGTERM while stopping (timeout(1) sends one to the process and one to its
# group): still exit 0, the request in flight still answered ----
if serve_start --listen 127.0.0.1:0 --jobs 1; then
    xml "$SV/term2.pdf" '/v1/render?forms=plan' "$SV/slow.xml" >"$SV/term2.status" &
    term2_job=$!
    for i in $(seq 1200); do grep -q '^planform_workers_busy 1$' "$SV/m2" 2>/dev/null && break; hc "$SV/m2" GET /metrics >/dev/null; sleep 0.05; done
    kill -TERM "$SV_PID"
    for i in $(seq 600); do grep -q '"event": "stopping' "$SV_LOG" && break; sleep 0.05; done
    kill -TERM "$SV_PID"
    check "serve term twice: exit 0" serve_stop
    wait "$term2_job"
    check "serve term twice: the request in flight answered: 200, the CLI's PDF" sh -c "[ \"\$(cat '$SV/term2.status')\" = 200 ] && cmp '$SV/term2.pdf' '$SV/cli-slow.pdf'"
fi

# ---- SIGHUP: the engines reloaded, no request dropped ----
mkdir -p "$SV/data"
cp -r templates fonts "$SV/data/"
if serve_start --listen 127.0.0.1:0 --jobs 2 --data "$SV/data"; then
    hup_jobs=""
    for i in 1 2 3 4 5 6; do
        xml "$SV/hup-$i.pdf" /v1/render samples/a-san.xml >"$SV/hup-$i.status" &
        hup_jobs="$hup_jobs $!"
        [ "$i" = 3 ] && kill -HUP "$SV_PID"
    done
    # shellcheck disable=SC2086
    wait $hup_jobs
    check "serve reload: every request during SIGHUP answered 200" sh -c "for f in '$SV'/hup-*.status; do [ \"\$(cat \"\$f\")\" = 200 ] || { echo \"\$f: \$(cat \"\$f\")\"; exit 1; }; done; ls '$SV'/hup-*.status | wc -l | grep -qx 6"
    for i in $(seq 300); do grep -q '^planform_engine_reloads_total{result="ok"} 2$' "$SV/m" 2>/dev/null && break; hc "$SV/m" GET /metrics >/dev/null; sleep 0.1; done
    check "serve reload: both engines reopened" grep -q '^planform_engine_reloads_total{result="ok"} 2$' "$SV/m"
    check "serve reload: 'reload' logged" grep -q '"event": "reload"' "$SV_LOG"
    rm "$SV/data/templates/plan.xsd"
    kill -HUP "$SV_PID"
    for i in $(seq 300); do grep -q '^planform_engine_reloads_total{result="failed"} 2$' "$SV/m" 2>/dev/null && break; hc "$SV/m" GET /metrics >/dev/null; sleep 0.1; done
    check "serve reload: a broken data folder: both reopens fail" grep -q '^planform_engine_reloads_total{result="failed"} 2$' "$SV/m"
    check "serve reload: ... logged with its error" grep -q '"event": "reload-failed", "error": {"code": "template-broken"' "$SV_LOG"
    check "serve reload: ... the old engines still render" is 200 "$SV/hup-after.pdf" /v1/render samples/a-san.xml
    check "serve reload: ... the CLI's bytes" cmp "$SV/hup-after.pdf" "$SV/cli-a-san.pdf"
    check "serve reload: SIGTERM: exit 0" serve_stop
fi

# ---- the bash completion offers serve its options, as its --help lists them ----
"$PF" serve --help | grep -oE '^  +(-., )?--[a-z-]+' | grep -oE -- '--[a-z-]+' | grep -vx -- --version | sort -u >"$SV/help-serve.txt"
bash --norc --noprofile -c '. contrib/bash-completion/planform; COMP_WORDS=(planform serve --)
    COMP_CWORD=2; _planform; printf "%s\n" "${COMPREPLY[@]}"' | sort -u >"$SV/offered-serve.txt"
check "serve: completion offers serve its options, as its --help lists them" diff "$SV/help-serve.txt" "$SV/offered-serve.txt"
check "serve: completion offers the subcommand" sh -c "bash --norc --noprofile -c '. contrib/bash-completion/planform; COMP_WORDS=(planform se); COMP_CWORD=1; _planform; printf \"%s\n\" \"\${COMPREPLY[@]}\"' | grep -qx serve"

# ---- valgrind: a scripted run of the server, no memory error, no leak (not the ASan build) ----
if ! case "$B" in *asan*) true ;; *) false ;; esac; then
    if SV_WRAP="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --error-exitcode=86" \
        SV_LIMIT=600 serve_start --listen 127.0.0.1:0 --jobs 2; then
        is 200 "$SV/vg.pdf" '/v1/render?forms=plan' samples/a-san.xml >/dev/null
        is 200 "$SV/vg-enc.pdf" '/v1/render?forms=plan' samples/a-san.xml -H 'Planform-Password: vg' >/dev/null
        is 400 "$SV/vg-bad" /v1/render tests/cases/bad-unknown-element.xml >/dev/null
        is 200 "$SV/vg-check" /v1/check samples/a-san.xml >/dev/null
        is 200 "$SV/vg-sched" /v1/schedule samples/a-san.xml >/dev/null
        is 200 "$SV/vg-draft" '/v1/draft-isp?provider=aoba' samples/a-san.xml >/dev/null
        is 413 "$SV/vg-413" /v1/validate "$SV/over.xml" --max-time 120 -H 'X: y' >/dev/null 2>&1 || true
        hc "$SV/vg-404" GET /nope >/dev/null
        hc "$SV/vg-m" GET /metrics >/dev/null
        $PROBE upload-abort "$SV_ADDR" >/dev/null
        kill -HUP "$SV_PID"
        is 200 "$SV/vg2.pdf" '/v1/render?forms=plan' samples/a-san.xml >/dev/null
        check "valgrind serve: the PDF under valgrind is the CLI's" cmp "$SV/vg.pdf" "$SV/cli-plan.pdf"
        serve_stop
        rc=$?
        check "valgrind serve: exit 0, no error, no leak ($rc)" test "$rc" = 0
        [ "$rc" = 0 ] || grep -v '"event"' "$SV_LOG" | head -40
    else
        bad "valgrind serve: did not start"
    fi
fi

# libmicrohttpd is loaded only by serve (with dlopen: it brings GnuTLS, which no other command
# should load): a missing one is exit 3, code library-missing, naming it, before listening.
check "serve: a libmicrohttpd that cannot be loaded: exit 3, naming it" sh -c "
    PLANFORM_LIBMICROHTTPD=/nonexistent/libmicrohttpd.so timeout 10 '$PF' serve --listen 127.0.0.1:0 2>'$TMP/sv-nolib.err'
    [ \$? = 3 ] && grep -q libmicrohttpd '$TMP/sv-nolib.err'" 
check "the command does not link libmicrohttpd (nor GnuTLS)" sh -c "! ldd '$PF' | grep -Eq 'libmicrohttpd|libgnutls'"
