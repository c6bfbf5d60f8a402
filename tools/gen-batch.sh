#!/bin/sh
# gen-batch.sh N DIR: N plan bundles of varied lengths, made from the samples, for `make bench`.
# Each gets its own person (a numbered name with 髙 or 﨑), and every third one repeats its long
# texts so some documents run onto continuation sheets.
set -eu
n=$1 dir=$2
mkdir -p "$dir"
i=1
while [ "$i" -le "$n" ]; do
    case $((i % 3)) in
        0) src=samples/a-san.xml from='髙橋 𠮷郎' ;;
        1) src=samples/child.xml from='﨑山 葛󠄀太' ;;
        2) src=samples/overflow.xml from='髙﨑 隆之介' ;;
    esac
    if [ $((i % 3)) = 0 ] && [ $((i % 2)) = 0 ]; then
        # longer: the 意向 three times over
        sed -e "s/<name>$from<\/name>/<name>髙田 $i郎<\/name>/" \
            -e 's/<wishes>\(.*\)<\/wishes>/<wishes>\1\1\1<\/wishes>/' "$src" > "$dir/p$i.xml"
    else
        sed -e "s/<name>$from<\/name>/<name>﨑本 $i子<\/name>/" "$src" > "$dir/p$i.xml"
    fi
    i=$((i + 1))
done
