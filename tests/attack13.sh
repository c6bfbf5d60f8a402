# attack13.sh — what an unlucky operator and an attacker found in consent, signature fields,
# fingerprints, diff, signing and the issue-13 forms, each with its fix.

# ---- the roundtrip tool on a 50,000-character field ------------------------------------------
# roundtrip tried every cut of a long value with a strstr over the whole text (16 s for one
# 50,000-character field, more for the others) and then failed it: the 別紙 runs over 20 pages,
# and the page numbers, fingerprints and headers between its pieces were taken for lost text.
python3 - "$TMP/a13-long.xml" <<'EOF'
import random, re, sys
random.seed(13)
s = open('samples/a-san.xml', encoding='utf-8').read()
words = ['生活', '支援', '計画を', '立てて', '地域の', '活動に', '参加する。', '就労', '日中は',
         '作業所で', '過ごし、', '週末は', '家族と', '買い物に', '行きたい。', 'ABC', '12時', '、']
v = ''
while len(v) < 50000:
    v += random.choice(words)
open(sys.argv[1], 'w', encoding='utf-8').write(re.sub('<wishes>[^<]*', '<wishes>' + v[:50000], s, count=1))
EOF
check "a 50,000-character field renders" "$PF" render --form plan "$TMP/a13-long.xml" -o "$TMP/a13-long.pdf"
pdftotext -raw "$TMP/a13-long.pdf" "$TMP/a13-long.txt"
a13_long_back() {  # the value whole, in order: its box up to the mark, the rest over the 別紙 pages
    "$ROUNDTRIP" "$TMP/a13-long.xml" "$TMP/a13-long.txt" '（別紙に続く）' > "$TMP/a13-long.out"
    ! grep -q "line $(line_of "$TMP/a13-long.xml" '<wishes>'), <wishes>" "$TMP/a13-long.out" &&
        [ "$(grep -c '別紙（サービス等利用計画）' "$TMP/a13-long.txt")" -ge 10 ]
}
check "  … every character comes back through roundtrip, across the 別紙's pages" a13_long_back
# … and the tool still misses what is missing: one character gone from a 別紙 page, a 別紙 line
# gone, the character before the mark gone.
a13_mutated() {  # PYTHON on t (the text): roundtrip must now report <wishes> missing
    python3 -c "import sys
t = open(sys.argv[1], encoding='utf-8').read()
$1
open(sys.argv[2], 'w', encoding='utf-8').write(t)" "$TMP/a13-long.txt" "$TMP/a13-mut.txt"
    "$ROUNDTRIP" "$TMP/a13-long.xml" "$TMP/a13-mut.txt" '（別紙に続く）' |
        grep -q "line $(line_of "$TMP/a13-long.xml" '<wishes>'), <wishes>"
}
check "  … roundtrip misses one character dropped on a 別紙 page" a13_mutated "l = t.split('\n'); l[200] = l[200][:5] + l[200][6:]; t = '\n'.join(l)"
check "  … roundtrip misses a 別紙 line dropped" a13_mutated "l = t.split('\n'); del l[300]; t = '\n'.join(l)"
check "  … roundtrip misses the character before the mark" a13_mutated "i = t.index('（別紙に続く）'); t = t[:i-1] + t[i:]"
