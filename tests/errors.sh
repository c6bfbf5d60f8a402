# Bad input gives a clear error (file, line, field, in Japanese and English), the documented exit
# status, and no output file. Sourced by tests/run.sh.

# Every tests/cases/bad-*.xml says on its first line what its error must contain:
#   <!-- expect: TEXT -->   (optionally "line N" too: <!-- expect: TEXT; line N -->)
for xml in tests/cases/bad-*.xml; do
    [ -f "$xml" ] || continue
    spec=$(head -n 3 "$xml" | sed -n 's/.*<!-- expect: \(.*\) -->.*/\1/p' | head -1)
    text=${spec%%; line *}
    line=""; case "$spec" in *"; line "*) line=${spec##*; line }; esac
    out="$TMP/$(basename "$xml" .xml).pdf"
    check "$(basename "$xml"): validate exits 1 naming '$text'" expect_error 1 "$text" -- "$PF" validate "$xml"
    [ -n "$line" ] && check "$(basename "$xml"): error names line $line" expect_error 1 "$(basename "$xml"):$line:" -- "$PF" validate "$xml"
    check "$(basename "$xml"): render exits 1" expect_error 1 "planform: " -- "$PF" render "$xml" -o "$out"
    check "$(basename "$xml"): no output file left" test ! -e "$out"
    check "$(basename "$xml"): message in Japanese and English" two_languages "$TMP/err.txt"
done

# A character no font of the chain can print stops the render and names it: code point, field,
# line. (U+1F600 is in neither IPAex nor IPAmj.)
sed 's/<name>髙橋 𠮷郎<\/name>/<name>髙橋 😀郎<\/name>/' samples/a-san.xml > "$TMP/emoji.xml"
check "unprintable character: exit 1 naming U+1F600" expect_error 1 'U\+1F600' -- "$PF" render "$TMP/emoji.xml" -o "$TMP/emoji.pdf"
check "unprintable character: names field 利用者氏名 and its line" grep -q "emoji.xml:$(line_of samples/a-san.xml '<name>'): 利用者氏名" "$TMP/err.txt"
check "unprintable character: no output file" test ! -e "$TMP/emoji.pdf"

# A variation sequence no font has (葛 with an unregistered selector U+E01EF) is an error too,
# never a silent fallback to the plain character.
sed 's/<kana>タカハシ キチロウ<\/kana>/<kana>葛\xf3\xa0\x87\xaf<\/kana>/' samples/a-san.xml > "$TMP/ivs.xml"
check "unknown variation sequence: exit 1 naming U+845B U+E01EF" expect_error 1 'U\+845B U\+E01EF' -- "$PF" render "$TMP/ivs.xml" -o "$TMP/ivs.pdf"

# Well-formedness: the line of the error.
printf '<?xml version="1.0" encoding="UTF-8"?>\n<bundle xmlns="urn:planform:bundle:1" version="1">\n<person>\n</bundle>\n' > "$TMP/broken.xml"
check "not well-formed XML: exit 1 with a line" expect_error 1 'broken.xml:[0-9]+:' -- "$PF" validate "$TMP/broken.xml"
