#!/usr/bin/env python3
"""sigfields — the signature fields of a PDF, and where the templates put the consent boxes.

    sigfields.py list PDF [PASSWORD]
        one line per field: FULLNAME FIELDTYPE PAGE X1 Y1 X2 Y2 FLAGS (the widget's /Rect, points,
        and /F), from `qpdf --json`
    sigfields.py box TEMPLATE.xml FLAGS
        the rectangle (points, PDF space: y up from the bottom) of the template's grid value that
        has signature="…", for a plan whose `when` words are FLAGS ("adult final"): X1 Y1 X2 Y2
    sigfields.py near PDF PAGE WORD X1 Y1 X2 Y2
        exit 0 when `pdftotext -bbox` puts WORD on PAGE just left of the rectangle, on its
        height (the box's label stands beside the box)

Standard library only; used by tests/consent.sh."""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

MM = 72 / 25.4


def qpdf_json(pdf, password):
    cmd = ["qpdf", "--json"] + (["--password=" + password] if password else []) + [pdf]
    return json.loads(subprocess.run(cmd, stdout=subprocess.PIPE, check=True).stdout)


def obj(j, ref):
    for q in j["qpdf"][1:]:
        if "obj:" + ref in q:
            return q["obj:" + ref]["value"]
    return j["objects"]["obj:" + ref]["value"] if "objects" in j else None


def cmd_list(pdf, password=None):
    j = qpdf_json(pdf, password)
    for f in j["acroform"]["fields"]:
        w = obj(j, f["annotation"]["object"])
        rect = " ".join("%.2f" % v for v in w["/Rect"])
        print(f["fullname"], f["fieldtype"], f["pageposfrom1"], rect, w.get("/F", 0))
    return 0


def cmd_box(template, flags):
    have = set(flags.split())
    root = ET.parse(template).getroot()
    page_h = float(root.get("page-h")) * MM
    for grid in root.iter("grid"):
        cols = [float(c) for c in grid.get("cols").split()]
        for r, row in enumerate(grid.findall("row")):
            col = 0
            for cell in row:
                when = cell.get("when")
                if when and not set(when.split()) <= have:
                    continue
                span = int(cell.get("span", "1"))
                if cell.tag == "value" and cell.get("signature"):
                    x = float(grid.get("x")) + sum(cols[:col])
                    w = sum(cols[col:col + span])
                    y = float(grid.get("y")) + float(grid.get("row-h", "8")) * r
                    h = float(grid.get("row-h", "8"))
                    print("%.2f %.2f %.2f %.2f" % (x * MM, page_h - (y + h) * MM, (x + w) * MM,
                                                   page_h - y * MM))
                    return 0
                col += span
    return 1


def cmd_near(pdf, page, word, x1, y1, x2, y2):
    html = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", "-f", page, "-l", page, pdf, "-"],
                          stdout=subprocess.PIPE, check=True).stdout.decode(errors="replace")
    page_h = float(re.search(r'<page width="[0-9.]+" height="([0-9.]+)"', html).group(1))
    x1, y1, x2, y2 = (float(v) for v in (x1, y1, x2, y2))
    for m in re.finditer(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" '
                         r'yMax="([0-9.]+)">([^<]*)</word>', html):
        if m.group(5) != word:
            continue
        wx2 = float(m.group(3))
        mid = page_h - (float(m.group(2)) + float(m.group(4))) / 2   # PDF space
        if x1 - 30 <= wx2 <= x1 + 0.5 and y1 <= mid <= y2:
            return 0
    return 1


def main():
    a = sys.argv[1:]
    if a and a[0] == "list" and len(a) in (2, 3):
        return cmd_list(*a[1:])
    if a and a[0] == "box" and len(a) == 3:
        return cmd_box(a[1], a[2])
    if a and a[0] == "near" and len(a) == 8:
        return cmd_near(*a[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
