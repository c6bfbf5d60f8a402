#!/usr/bin/env bash
# make bench: speed and size of rendering Aさん's plan (two pages), as figures, no assertions.
# Whole-process time per document (start-up, fonts, ICU, subsetting included), median of N runs.
set -eu
cd "$(dirname "$0")/.."
PF=./planform
N=${N:-101}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
times=()
for i in $(seq "$N"); do
    t0=$(date +%s%N)
    "$PF" render samples/a-san.xml -o "$out/a.pdf"
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
size=$(stat -c %s "$out/a.pdf")
peak=$(/usr/bin/time -f %M "$PF" render samples/a-san.xml -o "$out/b.pdf" 2>&1 >/dev/null | tail -1)
printf 'a-san.xml (%s pages), %d runs\n' "$(pdfinfo "$out/a.pdf" | awk '/^Pages:/ { print $2 }')" "$N"
printf '  median whole-process time: %d.%03d ms per document (aim: < 10 ms)\n' $((median / 1000)) $((median % 1000))
printf '  PDF size:                  %d.%d KB (aim: < 80 KB)\n' $((size / 1024)) $(( (size % 1024) * 10 / 1024 ))
printf '  peak memory:               %s KB\n' "$peak"
