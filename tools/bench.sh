#!/usr/bin/env bash
# make bench: speed and size of rendering Aさん's plan (two pages), as figures, no assertions.
# Whole-process time per document (start-up, fonts, ICU, subsetting included), median of N runs.
set -eu
cd "$(dirname "$0")/.."
PF=${PF:-./planform}  # PF=path/to/planform tools/bench.sh: figures of another build
N=${N:-101}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
times=()
for i in $(seq "$N"); do
    t0=$(date +%s%N)
    "$PF" render --form plan samples/a-san.xml -o "$out/a.pdf"
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
size=$(stat -c %s "$out/a.pdf")
peak=$(/usr/bin/time -f %M "$PF" render --form plan samples/a-san.xml -o "$out/b.pdf" 2>&1 >/dev/null | tail -1)
printf 'a-san.xml (%s pages), %d runs\n' "$(pdfinfo "$out/a.pdf" | awk '/^Pages:/ { print $2 }')" "$N"
printf '  median whole-process time: %d.%03d ms per document (aim: < 10 ms)\n' $((median / 1000)) $((median % 1000))
printf '  PDF size:                  %d.%d KB (aim: < 80 KB)\n' $((size / 1024)) $(( (size % 1024) * 10 / 1024 ))
printf '  peak memory:               %s KB\n' "$peak"

# Batch (issue 5): 1,000 generated bundles, the service-use plan of each (two pages a person).
n=${BATCH_N:-1000}
tools/gen-batch.sh "$n" "$out/batch"
run_batch() {  # run_batch JOBS: prints seconds and peak KB
    rm -rf "$out/bo"
    /usr/bin/time -f '%e %M' "$PF" batch "$out/batch" -o "$out/bo" --form plan --jobs "$1" --quiet \
        --print "$out/bo/print.pdf" 2>&1 >/dev/null | tail -1
}
read -r t1 m1 <<EOT
$(run_batch 1)
EOT
cores=$(nproc)
read -r tn mn <<EOT
$(run_batch "$cores")
EOT
psize=$(stat -c %s "$out/bo/print.pdf")
# the same files one process each, on a sample of 100, scaled
t0=$(date +%s%N)
for f in $(ls "$out/batch" | head -100); do "$PF" render --form plan "$out/batch/$f" -o "$out/one.pdf"; done
t1ms=$(( ($(date +%s%N) - t0) / 1000000 ))
awk -v n="$n" -v t1="$t1" -v tn="$tn" -v c="$cores" -v m1="$m1" -v mn="$mn" -v ps="$psize" -v one="$t1ms" 'BEGIN {
    printf "batch of %d bundles (--form plan, two pages a person), with the print file\n", n
    printf "  --jobs 1:  %.0f documents/s, %.2f ms per document, peak %d MB\n", n / t1, t1 * 1000 / n, m1 / 1024
    printf "  --jobs %d:  %.0f documents/s, peak %d MB (aim: 300/s on two cores, < 200 MB)\n", c, n / tn, mn / 1024
    printf "  print file: %.1f KB per person (aim: < 60 KB)\n", ps / n / 1024
    printf "  one process per file: %.1f ms per document; the batch is %.1fx faster (--jobs %d)\n", one / 100, (one / 100) / (tn * 1000 / n), c
}'

# The service (issue 14): planform serve --jobs 2, Aさん's plan (two pages) POSTed by wrk at
# concurrency 1, 4 and 32 (wrk runs on the same two cores, so these figures are a floor).
if command -v wrk >/dev/null; then
    "$PF" serve --listen 127.0.0.1:0 --jobs 2 --queue 64 2>"$out/serve.log" &
    sp=$!
    for i in $(seq 100); do grep -q '"event": "listening"' "$out/serve.log" && break; sleep 0.1; done
    addr=$(sed -n 's/.*"event": "listening", "address": "\([^"]*\)".*/\1/p' "$out/serve.log")
    cat >"$out/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/xml"
local f = io.open("$PWD/samples/a-san.xml", "rb")
wrk.body = f:read("*a")
f:close()
done = function(s, latency, r)
  local e = s.errors
  io.write(string.format("WRK %d %.1f %.2f %.2f %d\n", s.requests, s.requests / (s.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
LUA
    rss0=$(awk '/^VmRSS/ { print $2 }' /proc/$sp/status)
    echo "service: planform serve --jobs 2, a-san.xml ?forms=plan (two pages), wrk ${BENCH_SECONDS:-5} s each"
    for c in 1 4 32; do
        t=$((c < 2 ? 1 : 2))
        read -r n rps p50 p99 errs <<EOT
$(wrk -t "$t" -c "$c" -d "${BENCH_SECONDS:-5}s" -s "$out/post.lua" "http://$addr/v1/render?forms=plan" | awk '/^WRK / { print $2, $3, $4, $5, $6 }')
EOT
        printf '  concurrency %2d: %s documents/s, p50 %s ms, p99 %s ms (%s requests, %s errors)\n' \
            "$c" "$rps" "$p50" "$p99" "$n" "$errs"
    done
    printf '  server RSS: %d MB at start, %d MB after\n' $((rss0 / 1024)) \
        $(( $(awk '/^VmRSS/ { print $2 }' /proc/$sp/status) / 1024 ))
    kill -TERM "$sp"
    wait "$sp"
fi
