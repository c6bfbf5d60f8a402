#!/usr/bin/env python3
"""Read `pdftotext -bbox-layout` output and answer geometry questions about one page.

  bbox.py above  FILE.html PAGE UPPER LOWER   the words of line UPPER end above where LOWER's begin
  bbox.py lines  FILE.html PAGE               print each line's text (words joined), one a line
  bbox.py column FILE.html PAGE REGEX         words matching REGEX that stand in one column
                                              (the same left edge) are set at one size
  bbox.py small  FILE.html PAGE MIN [WORD...]  no word set smaller than MIN pt but the WORDs
                                              (a word's box is as high as its size)
  bbox.py sizes  FILE.html PAGE MAX           the page's words are set in MAX sizes or fewer
                                              (フリガナ, under the 7 pt floor, aside)

UPPER and LOWER are texts as the lines read (words joined without spaces). Exit 0 when the
property holds, 1 (with what was found) when not."""
import re
import sys
import xml.etree.ElementTree as ET


def pages(path):
    # pdftotext writes XHTML; the namespace is dropped for simple lookups
    text = open(path, encoding="utf-8", errors="replace").read()
    text = re.sub(r' xmlns="[^"]+"', "", text, count=1)
    root = ET.fromstring(text)
    return root.findall(".//page")


def lines(page):
    for line in page.iter("line"):
        words = line.findall("word")
        yield ("".join(w.text or "" for w in words),
               min(float(w.get("yMin")) for w in words), max(float(w.get("yMax")) for w in words))


def main():
    cmd, path, page_no = sys.argv[1], sys.argv[2], int(sys.argv[3])
    page = pages(path)[page_no - 1]
    if cmd == "lines":
        for text, _, _ in lines(page):
            print(text)
        return 0
    if cmd == "above":
        upper, lower = sys.argv[4], sys.argv[5]
        u = [l for l in lines(page) if l[0] == upper]
        d = [l for l in lines(page) if l[0] == lower]
        if not u or not d:
            print("not found:", upper if not u else lower)
            return 1
        if u[0][2] <= d[0][1]:
            return 0
        print("%s ends at %.2f, %s begins at %.2f: they overlap by %.2f pt"
              % (upper, u[0][2], lower, d[0][1], u[0][2] - d[0][1]))
        return 1
    if cmd == "column":
        pattern, columns = re.compile(sys.argv[4]), {}
        for w in page.iter("word"):
            if w.text and pattern.fullmatch(w.text):
                x = round(float(w.get("xMin")) / 4)
                columns.setdefault(x, set()).add(round(float(w.get("yMax")) - float(w.get("yMin")), 1))
        mixed = {x: sizes for x, sizes in columns.items() if len(sizes) > 1}
        for x, sizes in mixed.items():
            print("column at x=%d pt: sizes %s" % (x * 4, sorted(sizes)))
        return 1 if mixed or not columns else 0
    if cmd == "small":
        least, allowed = float(sys.argv[4]), set(sys.argv[5:])
        small = [(w.text, float(w.get("yMax")) - float(w.get("yMin"))) for w in page.iter("word")
                 if float(w.get("yMax")) - float(w.get("yMin")) < least - 0.05 and w.text not in allowed]
        for text, size in small:
            print("%s at %.1f pt" % (text, size))
        return 1 if small else 0
    if cmd == "sizes":
        most = int(sys.argv[4])
        sizes = {}
        for w in page.iter("word"):
            h = round(float(w.get("yMax")) - float(w.get("yMin")), 1)
            if h >= 6.95:
                sizes.setdefault(h, w.text)
        if len(sizes) <= most:
            return 0
        print("%d sizes: %s" % (len(sizes), ", ".join("%.1f (%s)" % (k, v) for k, v in sorted(sizes.items()))))
        return 1
    return 2


sys.exit(main())
