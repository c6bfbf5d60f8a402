#!/usr/bin/env python3
"""An example client of `planform serve`, Python standard library only.

    client.py render a.xml -o a.pdf [--forms plan,isp] [--password-file FILE]
    client.py validate a.xml
    client.py check a.xml [--today 2024-08-01]
    client.py schedule a.xml [--today 2024-08-01]
    client.py draft-isp a.xml --provider aoba [-o isp.xml]

--url http://127.0.0.1:8080 (default) or --socket /run/planform/planform.sock; --token-file FILE
sends "Authorization: Bearer TOKEN". Exit status as planform's own: 0 ok, 1 the bundle is
invalid, 2 a usage error, 4 the service could not be reached or failed. An error is printed as
the service's JSON line (the codes of planform's README, "Diagnostic codes")."""
import argparse, http.client, socket, sys, urllib.parse


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def first_line(path):
    with open(path, encoding="utf-8-sig") as f:
        return f.readline().rstrip("\r\n")


def call(args, endpoint, query, body, headers):
    if args.socket:
        conn = UnixConnection(args.socket, args.timeout)
    else:
        u = urllib.parse.urlsplit(args.url)
        cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
        conn = cls(u.hostname, u.port, timeout=args.timeout)
    path = "/v1/" + endpoint
    if query:
        path += "?" + urllib.parse.urlencode(query)
    headers = dict(headers, **{"Content-Type": "application/xml"})
    if args.token_file:
        headers["Authorization"] = "Bearer " + first_line(args.token_file)
    conn.request("POST", path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, r.getheader("Planform-Request-Id"), data


def main():
    p = argparse.ArgumentParser(description="Call planform serve.")
    p.add_argument("command", choices=["render", "validate", "check", "schedule", "draft-isp"])
    p.add_argument("file", help="the bundle (XML); - for standard input")
    p.add_argument("-o", "--output", help="where to write the PDF or XML (default: standard output)")
    p.add_argument("--url", default="http://127.0.0.1:8080")
    p.add_argument("--socket", help="a Unix socket instead of --url")
    p.add_argument("--token-file")
    p.add_argument("--forms")
    p.add_argument("--password-file", help="render: encrypt with the password on its first line")
    p.add_argument("--today")
    p.add_argument("--provider")
    p.add_argument("--plan")
    p.add_argument("--timeout", type=float, default=120)
    args = p.parse_args()

    body = sys.stdin.buffer.read() if args.file == "-" else open(args.file, "rb").read()
    query, headers = {}, {}
    if args.forms:
        query["forms"] = args.forms
    if args.today:
        query["today"] = args.today
    if args.provider:
        query["provider"] = args.provider
    if args.plan:
        query["plan"] = args.plan
    if args.password_file:  # a header, never the URL
        headers["Planform-Password"] = first_line(args.password_file)
    try:
        status, request_id, data = call(args, args.command, query, body, headers)
    except OSError as e:
        print("client.py: cannot reach the service: %s" % e, file=sys.stderr)
        return 4
    if status != 200:
        sys.stderr.write(data.decode("utf-8", "replace"))
        print("client.py: HTTP %d (request %s)" % (status, request_id), file=sys.stderr)
        return 1 if status in (400, 413) and b'"status": 1' in data else 2 if status < 500 else 4
    if args.output:
        with open(args.output, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
