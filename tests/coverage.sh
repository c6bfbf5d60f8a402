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
grep -v 'bind="person.kana"' templates/service-use-plan.xml > "$TMP/cov-data/templates/service-use-plan.xml"
cov_fails() {  # cov_fails EXPECTED-LINE ARGS…: the tool exits 1 and prints EXPECTED-LINE
    local want=$1; shift
    ! cov "$@" > "$TMP/cov.out" 2>&1 && grep -qF -- "$want" "$TMP/cov.out"
}
check "coverage: a field a template stops printing is found missing" \
    cov_fails 'adult: not printed: bundle/person/kana' --variant adult --data "$TMP/cov-data" samples/a-san.xml
cp templates/service-use-plan.xml "$TMP/cov-data/templates/"
# … a field added to the schema that no form prints and the list does not name …
sed 's|^\( *\)<xs:element name="kana" |\1<xs:element name="email" type="p:text" minOccurs="0"/>\n&|' \
    templates/plan.xsd > "$TMP/cov-data/templates/plan.xsd"
check "coverage: a new schema field printed nowhere is found missing" \
    cov_fails 'bundle/person/email' --variant child --data "$TMP/cov-data" --xsd "$TMP/cov-data/templates/plan.xsd" samples/child.xml
# … and a listed path the schema does not declare.
{ cat tests/data-only-fields.txt; echo 'bundle/person/fax all no such field'; } > "$TMP/cov-list.txt"
check "coverage: a listed field the schema does not declare is refused" \
    cov_fails 'listed but not declared in plan.xsd: bundle/person/fax' --variant adult --list "$TMP/cov-list.txt" samples/a-san.xml
