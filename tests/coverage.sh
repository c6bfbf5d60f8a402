# Nothing the input says is left off the page: every text-bearing element and attribute of
# templates/plan.xsd, given a value of its own in a copy of each sample (adult and child), comes
# back out of the rendered forms, unless tests/data-only-fields.txt lists it with its reason.
# See tests/tools/coverage.py. Sourced by tests/run.sh.
cov() { python3 tests/tools/coverage.py --pf "$PF" --out "$TMP/cov" "$@"; }

check "coverage: adult (a-san): every field of plan.xsd is printed or listed data-only" cov --variant adult samples/a-san.xml
check "coverage: child: every field of plan.xsd is printed or listed data-only" cov --variant child samples/child.xml

# The test can fail: a data directory whose plan form prints no フリガナ …
mkdir -p "$TMP/cov-data/templates"
cp templates/* "$TMP/cov-data/templates/"
ln -sfn "$PWD/fonts" "$TMP/cov-data/fonts"
sed 's/ ruby="person.kana"//' templates/service-use-plan.xml > "$TMP/cov-data/templates/service-use-plan.xml"
cov_fails() {  # cov_fails EXPECTED-LINE ARGS…: the tool exits 1 and prints EXPECTED-LINE
    local want=$1; shift
    ! cov "$@" > "$TMP/cov.out" 2>&1 && grep -qF -- "$want" "$TMP/cov.out"
}
check "coverage: a field a template stops printing is found missing" \
    cov_fails 'adult: not printed: bundle/person/kana' --variant adult --data "$TMP/cov-data" samples/a-san.xml
cp templates/service-use-plan.xml "$TMP/cov-data/templates/"
# … a field added to the schema that no form prints and the list does not name …
sed 's|^\( *\)<xs:element name="kana" |\1<xs:element name="x-never-printed" type="p:text" minOccurs="0"/>\n&|' \
    templates/plan.xsd > "$TMP/cov-data/templates/plan.xsd"
check "coverage: a new schema field printed nowhere is found missing" \
    cov_fails 'bundle/person/x-never-printed' --variant child --data "$TMP/cov-data" --xsd "$TMP/cov-data/templates/plan.xsd" samples/child.xml
# … and a listed path the schema does not declare.
{ cat tests/data-only-fields.txt; echo 'bundle/person/fax all no such field'; } > "$TMP/cov-list.txt"
check "coverage: a listed field the schema does not declare is refused" \
    cov_fails 'listed but not declared in plan.xsd: bundle/person/fax' --variant adult --list "$TMP/cov-list.txt" samples/a-san.xml

# A long 本人の役割 and 支援期間 on the children's form (printed inside the 支援内容 cell) shrink,
# then continue on the 別紙 like any other field, and every character comes back out.
cov_long=$(printf '絵カードを持って職員のところへ行く。%.0s' $(seq 40))
sed "s|<aim>ボール遊びで順番を待ち、友だちとパスを5回続ける。</aim>|&<role>$cov_long</role><period>月・水・金 15:30〜17:30（6か月）$cov_long</period>|" \
    samples/child.xml > "$TMP/cov-long.xml"
cov_long_ok() {
    "$PF" render "$TMP/cov-long.xml" -o "$TMP/cov-long.pdf" && pdftotext -raw "$TMP/cov-long.pdf" "$TMP/cov-long.txt" &&
        grep -q '（別紙に続く）' "$TMP/cov-long.txt" && grep -q '別紙（個別支援計画書） 利用児氏名' "$TMP/cov-long.txt" &&
        grep -q '支援内容（内容・支援の提供上のポイント・5領域（※）との関連性等）（項目 本人支援）' "$TMP/cov-long.txt" &&
        "$ROUNDTRIP" "$TMP/cov-long.xml" "$TMP/cov-long.txt" '（別紙に続く）'
}
check "coverage: a child's long 本人の役割 and 支援期間 continue on the 別紙, every character back" cov_long_ok
