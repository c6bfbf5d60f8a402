#!/usr/bin/env python3
"""What an encrypted PDF shows to someone without the password (tests/privacy.sh, issue 10).

  pdf_privacy.py id PDF
      The trailer /ID, both words in hex, from the raw bytes (the /ID is never encrypted).
  pdf_privacy.py attack PDF DECRYPTED SURNAME...
      The surname-recovery attack of issue 10: qpdf made the /ID as the MD5 of the time in
      seconds, the output's name ("memory buffer" in memory, else the path given to qpdf: PDF
      as named here is tried), " QPDF " and the Info strings in key order,
      cut at the first NUL byte, and Info /Subject was the person's name in UTF-16BE (the space
      after the surname is 00 20: the cut). With the file's mtime (±5 s) and a list of surnames
      the /ID gives the surname away. The attacker here is generous: the Info strings other
      than the name are taken from DECRYPTED (the file opened with the password, qpdf --qdf),
      as they are a handful of form titles anyone could list. Prints the surname recovered and
      exits 1, or exits 0 when none of the list matches.
  pdf_privacy.py tags FILE
      The subset tags (the six letters before "+") of every /BaseFont and /FontName in FILE,
      one a line: run on the raw encrypted file (what anyone sees) or on DECRYPTED.
  pdf_privacy.py clear PDF TEXT...
      Exits 1 if any TEXT is in the raw bytes of PDF in the clear: as UTF-8, as UTF-16BE bytes
      or as UTF-16BE in hex (how PDF strings hold Japanese); prints what was found.
"""
import hashlib
import os
import re
import sys


def raw(path):
    with open(path, 'rb') as f:
        return f.read()


def trailer_id(data):
    found = re.findall(rb'/ID\s*\[\s*<([0-9A-Fa-f]*)>\s*<([0-9A-Fa-f]*)>\s*\]', data)
    if not found:
        sys.exit('no /ID in the file')
    return [bytes.fromhex(w.decode()) for w in found[-1]]


def utf16(text):
    return b'\xfe\xff' + text.encode('utf-16-be')


def info_strings(decrypted):
    """The Info dictionary's strings, by key, from a qpdf --qdf file (hex or literal)."""
    m = re.search(rb'/Info (\d+) 0 R', decrypted)
    if not m:
        return {}
    obj = re.search(rb'\n' + m.group(1) + rb' 0 obj\n<<(.*?)>>\nendobj', decrypted, re.S)
    out = {}
    for key, hexv, lit in re.findall(rb'/(\w+) (?:<([0-9a-fA-F]*)>|\(((?:[^()\\]|\\.)*)\))',
                                     obj.group(1) if obj else b''):
        out[key.decode()] = bytes.fromhex(hexv.decode()) if hexv else lit
    return out


def attack(pdf, decrypted, surnames):
    ids = trailer_id(raw(pdf))
    mtime = int(os.stat(pdf).st_mtime)
    info = info_strings(raw(decrypted))
    for name in surnames:
        # /Subject as the attacker guesses it: the surname, then a space and a given name (the
        # space's 00 ends the seed), or the surname alone; the other strings known
        for subject in (utf16(name) + b'\0 ', utf16(name)):
            guess = dict(info, Subject=subject)
            tail = b''.join(b' ' + guess[k] for k in sorted(guess))
            for t in range(mtime - 5, mtime + 6):
                for out in (b'memory buffer', pdf.encode()):
                    seed = str(t).encode() + out + b' ' + b' QPDF ' + tail
                    seed = seed.split(b'\0', 1)[0]  # qpdf hashed seed.c_str()
                    if hashlib.md5(seed).digest() in ids:
                        print(name)
                        return 1
    return 0


def tags(path):
    for m in re.finditer(rb'/(?:BaseFont|FontName)\s*/([A-Z]{6})\+([^\s/<>\[\]()]+)', raw(path)):
        print(m.group(1).decode() + '+' + m.group(2).decode())
    return 0


def clear(pdf, texts):
    data = raw(pdf)
    bad = 0
    for text in texts:
        u16 = text.encode('utf-16-be')
        for form in (text.encode(), u16, u16.hex().encode(), u16.hex().upper().encode()):
            if form in data:
                print('in the clear:', text, form[:40])
                bad = 1
    return bad


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'id':
        print(' '.join(w.hex() for w in trailer_id(raw(args[0]))))
        return 0
    if cmd == 'attack':
        return attack(args[0], args[1], args[2:])
    if cmd == 'tags':
        return tags(args[0])
    if cmd == 'clear':
        return clear(args[0], args[1:])
    sys.exit('unknown command ' + cmd)


if __name__ == '__main__':
    sys.exit(main())
