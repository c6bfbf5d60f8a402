#!/usr/bin/env python3
"""Raw HTTP probes for tests/serve.sh: what curl cannot do (stop mid-upload or mid-download,
trickle a body, send headers and no body), and load in threads. Standard library only; every
socket has a timeout, so no probe hangs. ADDR is HOST:PORT or unix:PATH. Prints what it saw."""
import http.client, os, re, signal, socket, sys, threading, time

LIMIT = 120  # seconds any one probe may wait for the server


def connect(addr, rcvbuf=None):
    if addr.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target = addr[5:]
    else:
        host, port = addr.rsplit(":", 1)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (host, int(port))
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(LIMIT)
    s.connect(target)
    return s


def read_response(s):
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not chunk:
            break
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        m = re.search(rb"(?i)content-length: *(\d+)", head)
        if sep and m and len(body) >= int(m.group(1)):
            break
    head, _, body = data.partition(b"\r\n\r\n")
    status = head.split(b" ")[1].decode() if head.startswith(b"HTTP/") else "none"
    return status, body.decode("utf-8", "replace")


def request(addr, method, path, body=None, headers=None):
    """(status, headers dict, body bytes) through http.client."""
    if addr.startswith("unix:"):
        class C(http.client.HTTPConnection):
            def connect(self):
                self.sock = connect(addr)
        c = C("localhost", timeout=LIMIT)
    else:
        host, port = addr.rsplit(":", 1)
        c = http.client.HTTPConnection(host, int(port), timeout=LIMIT)
    h = {"Content-Type": "application/xml"} if body is not None else {}
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    out = (r.status, dict(r.getheaders()), r.read())
    c.close()
    return out


def metric(addr, name):
    _, _, text = request(addr, "GET", "/metrics")
    m = re.search(r"^%s (\d+)$" % re.escape(name), text.decode(), re.M)
    return int(m.group(1)) if m else -1


def wait_metric(addr, name, at_least):
    end = time.time() + LIMIT
    while time.time() < end:
        if metric(addr, name) >= at_least:
            return True
        time.sleep(0.005)
    return False


def activate(portfile, argv):
    """Socket activation as systemd does it: a listening socket on descriptor 3, LISTEN_PID (this
    process, which exec keeps) and LISTEN_FDS=1; the port goes to PORTFILE."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    open(portfile, "w").write("%d\n" % s.getsockname()[1])
    if s.fileno() != 3:
        os.dup2(s.fileno(), 3)
    os.set_inheritable(3, True)  # the socket may be 3 already, close-on-exec as Python made it
    os.environ.update(LISTEN_PID=str(os.getpid()), LISTEN_FDS="1")
    os.execv(argv[0], argv)


def main():
    if sys.argv[1] == "activate":
        activate(sys.argv[2], sys.argv[3:])
    cmd, addr = sys.argv[1], sys.argv[2]
    args = sys.argv[3:]
    if cmd == "oversize":  # headers announcing N bytes, no body: the answer comes anyway
        s = connect(addr)
        s.sendall(("POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\n"
                   "Content-Length: %s\r\n\r\n" % args[0]).encode())
        status, body = read_response(s)
        print(status)
        sys.stdout.write(body)
    elif cmd == "chunked":  # a chunked body of N bytes (no length announced)
        s = connect(addr)
        s.sendall(b"POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n")
        left = int(args[0])
        while left > 0:
            n = min(left, 65536)
            s.sendall(b"%x\r\n" % n + b"<" * n + b"\r\n")
            left -= n
        s.sendall(b"0\r\n\r\n")
        status, body = read_response(s)
        print(status)
        sys.stdout.write(body)
    elif cmd == "upload-abort":  # announce 1 MB, send 1,000 bytes, hang up
        s = connect(addr)
        s.sendall(b"POST /v1/render HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\n"
                  b"Content-Length: 1048576\r\n\r\n" + b"<" * 1000)
        s.close()
        print("sent")
    elif cmd == "download-abort":  # ask for a large PDF, read 1,000 bytes of it, hang up
        body = open(args[0], "rb").read()
        s = connect(addr, rcvbuf=4096)
        s.sendall(b"POST /v1/render HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body) + body)
        got = b""
        while len(got) < 1000:
            chunk = s.recv(1000)
            if not chunk:
                break
            got += chunk
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")  # RST
        s.close()
        print("read", len(got))
    elif cmd == "slow-headers":  # half a request, then nothing: the server must hang up
        s = connect(addr)
        s.sendall(b"POST /v1/render HTTP/1.1\r\nHost: x\r\n")
        try:
            closed = s.recv(1) == b""
        except ConnectionResetError:
            closed = True
        except socket.timeout:
            closed = False
        print("closed" if closed else "open")
    elif cmd == "trickle":  # a body one byte every 0.2 s: cut off before it is whole
        s = connect(addr)
        s.sendall(b"POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\n"
                  b"Content-Length: 100000\r\n\r\n")
        end = time.time() + LIMIT
        result = "open"
        while time.time() < end:
            try:
                s.send(b"<")
            except (BrokenPipeError, ConnectionResetError):
                result = "closed"
                break
            s.settimeout(0.2)
            try:
                if s.recv(1) == b"":
                    result = "closed"
                    break
            except socket.timeout:
                pass
            except ConnectionResetError:
                result = "closed"
                break
        print(result)
    elif cmd == "busy":  # BIG keeps the only worker busy; then SMALL is refused with 503
        big, small = open(args[0], "rb").read(), open(args[1], "rb").read()
        out = {}
        t = threading.Thread(target=lambda: out.setdefault(
            "big", request(addr, "POST", "/v1/render?forms=plan", big)))
        t.start()
        if not wait_metric(addr, "planform_workers_busy", 1):
            print("never busy")
            return 1
        status, headers, body = request(addr, "POST", "/v1/validate", small)
        t.join(LIMIT)
        print(status)
        sys.stdout.write(body.decode())
        print("big", out["big"][0] if "big" in out else "none")
    elif cmd == "term-under-load":  # N renders in flight, then SIGTERM to PID: all answered
        pid, body, n, outdir = int(args[0]), open(args[1], "rb").read(), int(args[2]), args[3]
        results = {}

        def one(i):
            try:
                results[i] = request(addr, "POST", "/v1/render?forms=plan", body)
            except Exception as e:  # noqa: BLE001 - reported as the outcome
                results[i] = ("error %s" % e, {}, b"")
        ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for t in ts:
            t.start()
        # every request in (the metrics request counts itself), then the signal
        if not wait_metric(addr, "planform_requests_in_flight", n + 1):
            print("never in flight")
        os.kill(pid, signal.SIGTERM)
        for t in ts:
            t.join(LIMIT)
        for i in range(n):
            status, _, pdf = results.get(i, ("none", {}, b""))
            open(os.path.join(outdir, "term-%d.pdf" % i), "wb").write(pdf)
            print(status)
    elif cmd == "get":  # METHOD PATH [BODYFILE] [HEADER=VALUE...]: status, then the body
        method, path = args[0], args[1]
        body = open(args[2], "rb").read() if len(args) > 2 and args[2] != "-" else None
        headers = dict(a.split("=", 1) for a in args[3:])
        status, _, data = request(addr, method, path, body, headers)
        print(status)
        sys.stdout.write(data.decode("utf-8", "replace"))
    else:
        print("unknown probe", cmd)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
