#!/bin/sh
# The README's picture of each form (doc/img/*.png), rendered from the samples by the planform
# given (default ./planform) at 70 dpi. Run after a change that alters how a form looks.
set -eu
cd "$(dirname "$0")/.."
PF=${1:-./planform}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PF" render samples/a-san.xml -o "$tmp/a.pdf"
"$PF" render samples/child.xml -o "$tmp/c.pdf"
# page: name — a-san: 1 plan, 2 weekly, 3 isp (あおば), 6 linkage, 7 monitoring, 8 evaluation;
# child: 3 its individual support plan
for spec in a:1:a-san-1 a:2:a-san-2 a:3:isp a:6:linkage a:7:monitoring a:8:evaluation c:3:child-isp; do
    src=${spec%%:*} rest=${spec#*:}
    page=${rest%%:*} name=${rest#*:}
    pdftoppm -png -r 70 -singlefile -f "$page" -l "$page" "$tmp/$src.pdf" "doc/img/$name"
    echo "doc/img/$name.png"
done
# the 変更箇所一覧 of planform diff: a-san against a copy with one need reworded, one amount
# changed and one need added
sed -e 's|<issue>休日は地域の活動に参加して楽しみを増やしたい。</issue>|<issue>休日は地域の活動やスポーツに参加して楽しみを増やしたい。</issue>|' \
    -e 's|<amount>22日/月</amount>|<amount>18日/月</amount>|' samples/a-san.xml > "$tmp/a-san-new.xml"
cp samples/a-san.xml "$tmp/a-san.xml"
pf=$(cd "$(dirname "$PF")" && pwd)/$(basename "$PF")
(cd "$tmp" && "$pf" diff a-san.xml a-san-new.xml -o d.pdf >/dev/null) || [ $? = 1 ]
pdftoppm -png -r 70 -singlefile -f 1 -l 1 "$tmp/d.pdf" doc/img/changes
echo doc/img/changes.png
