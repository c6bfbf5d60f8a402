# Templates are validated when loaded (issue 12, item 3): against templates/template.xsd, the
# template language; whatever is wrong is exit 3 naming the template file and line, whichever
# bundle is rendered. Sourced by tests/run.sh (expect_error comes from errors.sh).

# tpl_case NAME FILE SED-EXPR PATTERN: a data folder whose FILE is changed by SED-EXPR; render
# must exit 3 with PATTERN (file:line: ...) on stderr, for an adult and a child bundle alike.
tpl_case() {
    local name=$1 file=$2 expr=$3 pattern=$4 d="$TMP/tpl-data"
    rm -rf "$d" && mkdir -p "$d" && cp -r templates fonts "$d/"
    sed -i "$expr" "$d/templates/$file"
    cmp -s "templates/$file" "$d/templates/$file" && { bad "$name: the sed expression changed nothing"; return; }
    check "$name (adult)" expect_error 3 "$pattern" -- "$PF" render --data "$d" samples/a-san.xml -o "$TMP/tpl.pdf"
    check "$name (child)" expect_error 3 "$pattern" -- "$PF" render --data "$d" samples/child.xml -o "$TMP/tpl.pdf"
    check "  … validate refuses too" expect_error 3 "$pattern" -- "$PF" validate --data "$d" samples/a-san.xml
}

tpl_case "a misspelled attribute (algin)" linkage.xml '13s/ align="center"/ algin="center"/' \
    "linkage.xml:13: template: .*attribute 'algin': The attribute 'algin' is not allowed"
tpl_case "an unknown element" evaluation.xml 's|</page>|<circle x="1" y="1" w="1"/></page>|' \
    "evaluation.xml:[0-9]+: template: .*'circle'"
tpl_case "a size that is not a number" monitoring.xml '0,/ size="[0-9.]*"/s// size="big"/' \
    "monitoring.xml:[0-9]+: template: .*'size'"
tpl_case "a misspelled when (chlid) in a child-only cell" service-use-plan.xml '0,/when="child"/s//when="chlid"/' \
    "service-use-plan.xml:[0-9]+: template: .*'when'"
tpl_case "a box without its bind" individual-support-plan.xml '0,/<box \(.*\) bind="[^"]*"/s//<box \1/' \
    "individual-support-plan.xml:[0-9]+: template: .*'bind' is required"
tpl_case "each (never read) is not in the language" service-use-plan.xml 's|<table |<table each="needs" |' \
    "service-use-plan.xml:[0-9]+: template: .*attribute 'each'"
tpl_case "a form without its id" linkage.xml 's|<form id="linkage"|<form|' \
    "linkage.xml:[0-9]+: template: .*'id' is required"
check "the Japanese line says it too, with libxml2's words" grep -q "テンプレートがテンプレート言語（template.xsd）に合っていません：.*'id'" "$TMP/err.txt"
for t in templates/*.xml; do
    check "$(basename "$t") follows the template language (xmllint)" xmllint --noout --schema templates/template.xsd "$t"
done
# the language itself missing: exit 3 naming it
rm -rf "$TMP/tpl-data" && mkdir -p "$TMP/tpl-data" && cp -r templates fonts "$TMP/tpl-data/" && rm "$TMP/tpl-data/templates/template.xsd"
check "no template.xsd: exit 3 naming it" expect_error 3 'template.xsd: .*template schema' -- "$PF" render --data "$TMP/tpl-data" samples/a-san.xml -o "$TMP/tpl.pdf"
