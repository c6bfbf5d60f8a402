#!/usr/bin/env python3
"""coverage — does every field the input can carry reach a printed form?

    coverage.py --pf PLANFORM --variant adult|child --out DIR [--data DIR] [--xsd PLAN.xsd]
                [--list DATA-ONLY.txt] SAMPLE.xml

Walks every text-bearing element and attribute that plan.xsd declares (path from <bundle>, e.g.
bundle/individual-support-plan/goals/goal/role or .../period/@start). In a copy of SAMPLE (in
DIR, never the sample itself) every such field gets a value of its own: free text (p:text) a
marker such as Qz017j (letters and digits, which line breaking never splits), typed fields a
distinct valid value (an era date, a month, a number, an enumeration value). Optional fields the
sample leaves out are added, and so are elements it lacks (a child bundle gets a monitoring
record and an evaluation), so each field is exercised. Then `planform render` prints all forms
and the text `pdftotext -raw` extracts must hold each value's printed form: the marker, 令和N年M月D日,
12,345円, the number standing alone, 【5領域】 and the domain.

Fields that are data only (ids, references, the schema version, values drawn as geometry) are
listed with their reason in tests/data-only-fields.txt, the one place this reads; they keep the
sample's value (or a valid one where an added element needs it). A field declared in the schema
and neither exercised nor listed fails, so a new field is either printed or listed; a listed
path the schema does not declare fails too. Prints one line per problem; exit 1 if any.
Standard library only."""
import argparse
import datetime
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

XS = "{http://www.w3.org/2001/XMLSchema}"
NS = "urn:planform:bundle:1"
P = "{%s}" % NS

DOMAINS = ["健康・生活", "運動・感覚", "認知・行動", "言語・コミュニケーション", "人間関係・社会性"]

# References between elements: the path an added element's reference takes its value from.
REFS = {
    "bundle/monitoring-report/@plan": "bundle/service-use-plan/@id",
    "bundle/monitoring-report/reviews/review/@need": "bundle/service-use-plan/needs/need/@id",
    "bundle/evaluation/@isp": "bundle/individual-support-plan/@id",
    "bundle/evaluation/goal-reviews/goal-review/@goal":
        "bundle/individual-support-plan/goals/goal/@id",
}
# Listed fields an added or marked element needs a value for (the rest keep the sample's).
FILL = {
    # the monitoring text gets a marker, so the interval must not be read from it
    "bundle/service-use-plan/monitoring/@every": "6",
    "bundle/monitoring-report/reviews/review/change/@type": "無",
    "bundle/monitoring-report/reviews/review/change/@amount": "有",
    "bundle/monitoring-report/reviews/review/change/@weekly": "無",
    "bundle/evaluation/goal-reviews/goal-review/achieved": "一部達成",
    "bundle/evaluation/change": "有",
}
# Typed fields whose printed form is not the value: (value to give, text that proves it printed)
PRINTED = {
    "bundle/service-use-plan/@status": ("draft", "利用計画案"),  # the title: …計画案
}
# How consent was given: electronic consent prints its date, the name and the proxy (paper
# prints none of them but the date: a typed name is not a signature), so every consent field
# comes back out.
for _form in ("service-use-plan", "individual-support-plan", "monitoring-report", "evaluation"):
    PRINTED["bundle/%s/consent/@how" % _form] = ("electronic", "電子同意")


class Field:
    def __init__(self, path, typ, attr, required):
        self.path, self.typ, self.attr, self.required = path, typ, attr, required


class Decl:
    """An element declaration: its children (in order), attributes and text type."""

    def __init__(self, name, path):
        self.name, self.path = name, path
        self.children = []      # (Decl, minOccurs)
        self.attrs = []         # Field
        self.text = None        # Field when the element carries text
        self.ordered = True     # xs:sequence (False: xs:all)


def simple_type(node, types):
    """A type descriptor: ('text',), ('date',), ('enum', values), ('int', lo, hi) …"""
    t = node.get("type")
    if t:
        local = t.split(":")[1]
        if t.startswith("p:"):
            if local in ("text", "date", "month", "date-or-month", "time", "day", "days", "id",
                         "number10", "yes-no", "domains", "domain"):
                return (local,)
            return simple_type(types[local], types)
        if local == "boolean":
            return ("boolean",)
        return ("text",)
    st = node if node.tag == XS + "simpleType" else node.find(XS + "simpleType")
    if st is None:
        return ("text",)
    r = st.find(XS + "restriction")
    if r is None:
        return ("list",)
    enums = [e.get("value") for e in r.findall(XS + "enumeration")]
    if enums:
        return ("enum", enums)
    base = r.get("base", "")
    if base.endswith("Integer"):
        hi = r.find(XS + "maxInclusive")
        lo = 0 if "nonNegative" in base else 1
        return ("int", lo, int(hi.get("value")) if hi is not None else 10 ** 6)
    if base.startswith("p:"):
        return simple_type(types[base[2:]], types)
    return ("text",)


def load_schema(path):
    root = ET.parse(path).getroot()
    types = {n.get("name"): n for n in root.findall(XS + "simpleType")}
    globs = {n.get("name"): n for n in root.findall(XS + "element")}
    fields = []

    def attributes(node, d):
        for a in node.findall(XS + "attribute"):
            f = Field(d.path + "/@" + a.get("name"), simple_type(a, types), True,
                      a.get("use") == "required")
            d.attrs.append(f)
            fields.append(f)

    def element(node, parent_path):
        if node.get("ref"):
            node = globs[node.get("ref").split(":")[1]]
        name = node.get("name")
        d = Decl(name, (parent_path + "/" if parent_path else "") + name)
        ct = node.find(XS + "complexType")
        if ct is None:
            d.text = Field(d.path, simple_type(node, types), False, True)
            fields.append(d.text)
            return d
        sc = ct.find(XS + "simpleContent")
        if sc is not None:
            ext = sc.find(XS + "extension")
            d.text = Field(d.path, simple_type(ext.get("base") and
                                               ET.Element("x", type=ext.get("base")), types),
                           False, True)
            fields.append(d.text)
            attributes(ext, d)
            return d
        group = ct.find(XS + "sequence")
        if group is None:
            group = ct.find(XS + "all")
            d.ordered = group is None
        for c in (group if group is not None else []):
            if c.tag == XS + "element":
                d.children.append((element(c, d.path), int(c.get("minOccurs", "1"))))
        attributes(ct, d)
        return d

    return element(globs["bundle"], ""), fields


def load_list(path):
    """path → [(variant, predicate)] from the data-only list. A path may end in a predicate on
    its element, [@attr=value] or [@attr!=value]: then only such elements' field is listed."""
    out, problems = {}, []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            m = re.fullmatch(r"([^\[]+)(?:\[@([\w-]+)(!?=)([^\]]*)\])?", parts[0])
            if len(parts) < 3 or parts[1] not in ("all", "adult", "child") or not m:
                problems.append("%s:%d: want PATH[PREDICATE] all|adult|child REASON" % (path, n))
                continue
            pred = (m.group(2), m.group(3), m.group(4)) if m.group(2) else None
            out.setdefault(m.group(1), []).append((parts[1], pred))
    return out, problems


def holds(pred, el):
    attr, op, value = pred
    return (el.get(attr) == value) == (op == "=")


class Marker:
    """Gives each field a value of its own and remembers how it must come back."""

    def __init__(self):
        self.n = 0
        self.day = datetime.date(2020, 1, 6)
        self.month = (2027, 1)
        self.expect = []        # (path, value given, printed text, regex or None)

    def value(self, f, current):
        self.n += 1
        t = f.typ
        if f.path in PRINTED:
            v, printed = PRINTED[f.path]
            return v, printed, None
        if t[0] == "text":
            v = "Qz%03dj" % self.n
            return v, v, None
        if t[0] == "date":
            d = self.day
            self.day += datetime.timedelta(days=13)
            return d.isoformat(), "令和%d年%d月%d日" % (d.year - 2018, d.month, d.day), None
        if t[0] in ("month", "date-or-month"):
            y, m = self.month
            self.month = (y + m // 12, m % 12 + 1)
            return "%04d-%02d" % (y, m), "令和%d年%d月" % (y - 2018, m), None
        if t[0] == "number10":
            v = str(7000000000 + self.n)
            return v, v, None
        if t[0] == "int" and t[1] == 0:      # an amount of yen: 12,345円
            v = 12300 + self.n
            return str(v), "{:,}円".format(v), None
        if t[0] == "int":                    # a priority: a number standing alone
            v = 60 + self.n % 40 if t[2] >= 99 else min(t[2], 1 + self.n % t[2])
            return str(v), None, r"(?<![0-9])%d(?![0-9])" % v
        if t[0] == "enum":  # the sample's choice is kept: it may select the row's look
            v = current if current in t[1] else t[1][self.n % len(t[1])]
            return v, v, None
        if t[0] == "domains":  # printed in the order of the 5領域
            names = current.split() if current else [DOMAINS[self.n % len(DOMAINS)]]
            v = " ".join(names)
            return v, "【5領域】" + "、".join(d for d in DOMAINS if d in names), None
        return None  # a type this tool cannot give a value: list the field or teach it


def mark(doc_root, top, listed, marker, problems):
    seen = {}                   # path → values in the document (for references)
    exercised = set()

    def is_listed(path, el):
        return any(pred is None or holds(pred, el) for pred in listed.get(path, []))

    def give(f, current, el, attr_name):
        """The value a field gets; None leaves it as it is."""
        if is_listed(f.path, el):
            if current is None and f.path in REFS:
                vals = seen.get(REFS[f.path], [])
                if not vals:
                    problems.append("%s: nothing to refer to" % f.path)
                    return None
                return vals[0]
            if current is None and f.path in FILL:
                return FILL[f.path]
            if current is None and f.typ[0] == "id" and (f.required or f.path.endswith("goal/@id")):
                marker.n += 1
                return "cov-%d" % marker.n
            return None
        got = marker.value(f, current)
        if got is None:
            problems.append("%s: no value for type %s (teach coverage.py or list it)" %
                            (f.path, f.typ[0]))
            return None
        v, printed, regex = got
        marker.expect.append((f.path, v, printed, regex))
        exercised.add(f.path)
        return v

    def walk(el, d):
        for f in d.attrs:
            name = f.path.rsplit("@", 1)[1]
            v = give(f, el.get(name), el, name)
            if v is not None:
                el.set(name, v)
            if el.get(name) is not None:
                seen.setdefault(f.path, []).append(el.get(name))
        if d.text is not None:
            v = give(d.text, el.text if el.text and el.text.strip() else None, el, None)
            if v is not None:
                el.text = v
        for i, (c, min_occ) in enumerate(d.children):
            found = [x for x in el if x.tag == P + c.name]
            if not found:
                new = ET.Element(P + c.name)
                pos = len(el)
                if d.ordered:  # before the first child declared after this one
                    later = [cc.name for cc, _ in d.children[i + 1:]]
                    for k, x in enumerate(el):
                        if x.tag.replace(P, "") in later:
                            pos = k
                            break
                el.insert(pos, new)
                found = [new]
            for x in found:
                walk(x, c)

    walk(doc_root, top)
    return exercised


def squeeze(s):
    return re.sub(r"\s+", "", s)


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap.add_argument("--pf", required=True)
    ap.add_argument("--variant", required=True, choices=("adult", "child"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--data")
    ap.add_argument("--xsd", default=os.path.join(repo, "templates", "plan.xsd"))
    ap.add_argument("--list", default=os.path.join(repo, "tests", "data-only-fields.txt"))
    ap.add_argument("sample")
    a = ap.parse_args()

    top, fields = load_schema(a.xsd)
    listed_all, problems = load_list(a.list)
    declared = {f.path for f in fields}
    for path in sorted(set(listed_all) - declared):
        problems.append("listed but not declared in %s: %s" % (os.path.basename(a.xsd), path))
    listed = {p: [pred for v, pred in vs if v in ("all", a.variant)] for p, vs in listed_all.items()}
    listed = {p: preds for p, preds in listed.items() if preds}

    ET.register_namespace("", NS)
    tree = ET.parse(a.sample)
    marker = Marker()
    exercised = mark(tree.getroot(), top, listed, marker, problems)
    for f in fields:
        if f.path not in exercised and None not in listed.get(f.path, [1]):
            problems.append("declared, neither exercised nor listed data-only: %s" % f.path)

    os.makedirs(a.out, exist_ok=True)
    xml = os.path.join(a.out, "marked-%s.xml" % a.variant)
    pdf = os.path.join(a.out, "marked-%s.pdf" % a.variant)
    tree.write(xml, encoding="UTF-8", xml_declaration=True)
    cmd = [a.pf, "render", xml, "-o", pdf] + (["--data", a.data] if a.data else [])
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        print("render failed (%d): %s" % (r.returncode, r.stderr.decode(errors="replace")))
        return 1
    text = subprocess.run(["pdftotext", "-raw", pdf, "-"], stdout=subprocess.PIPE,
                          check=True).stdout.decode()
    flat = squeeze(text)
    for path, v, printed, regex in marker.expect:
        hit = re.search(regex, text) if regex else squeeze(printed) in flat
        if not hit:
            problems.append("not printed: %s = %s (looked for %s)" %
                            (path, v, printed or regex))
    for p in problems:
        print("%s: %s" % (a.variant, p))
    print("%s: %d fields exercised, %d values looked for, %d listed data-only, %d problems" %
          (a.variant, len(exercised), len(marker.expect), len(set(listed) & declared), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
