#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A fault-injecting HTTP/1.1 feed server for trendd's integration tests (Python 3 stdlib only).

    feed_server.py --root DIR --port-file FILE [--log FILE] [--lifetime SECONDS]

Binds 127.0.0.1 on an ephemeral port, writes the port number to --port-file (temp + rename) once
listening, and serves until SIGTERM/SIGINT or until --lifetime seconds (default 600) have passed,
so a crashed test never leaks a server. Exits 0. With --log, every request is appended as one JSON
line {"t": <unix float>, "method", "path", "headers": {...}} and flushed at once, when the request
line and headers have been read (before any deliberate delay).

Routes
  GET /feed/<file>            DIR/<file> as application/rss+xml with ETag (quoted sha1) and
                              Last-Modified (mtime); If-None-Match / If-Modified-Since -> 304;
                              gzip when Accept-Encoding allows it; missing file -> 404.
  GET /fault/status?code=N[&retry_after=S|http-date]      status N with a small text body
  GET /fault/slow-headers?delay=S[&file=F]                 sleep, then serve F or a small feed
  GET /fault/slow-body?delay=S[&file=F]                    headers, then trickle the body over S s
  GET /fault/stall                                         read the request, never answer
  GET /fault/redirect-loop[?n=K]                           302 to itself with n=K+1
  GET /fault/truncated?file=F                              full Content-Length, half the body, close
  GET /fault/gzip-bomb?mb=N                                Content-Encoding: gzip (chunked) of N MB of
                                                           blanks (default 100), about 1000:1
  GET /fault/wrong-type                                    200 application/octet-stream garbage
  GET /fault/html                                          200 text/html Google-style 429 page
  GET /fault/huge?mb=N[&length=1]                          N MB (default 50) of endless-looking RSS,
                                                           chunked (or with Content-Length)
  GET /fault/reset                                         read the request, close with TCP RST
HEAD is answered like GET without a body for /feed/ routes. A file name is a path under DIR of
plain names (dir/2026/11/26, fb/item/1.json): an empty part, or one starting with a dot, is 404.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import http.server
import json
import os
import random
import socket
import struct
import sys
import threading
import time
import urllib.parse
import zlib

import serving  # tests/support/serving.py, beside this file

STOP = threading.Event()  # set on SIGTERM/SIGINT/lifetime: stalls and trickles end promptly

SMALL_FEED = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<rss xmlns:atom="http://www.w3.org/2005/Atom" xmlns:ht="https://trends.google.com/trending/rss"'
    ' version="2.0">\n'
    "\t<channel>\n"
    "\t\t<title>Daily Search Trends</title>\n"
    "\t\t<description>Recent searches</description>\n"
    "\t\t<link>https://trends.google.com/trending/rss?geo=US</link>\n"
    "\t\t<item>\n"
    "\t\t\t<title>feed server test term</title>\n"
    "\t\t\t<ht:approx_traffic>1000+</ht:approx_traffic>\n"
    "\t\t\t<description/>\n"
    "\t\t\t<link>https://trends.google.com/trending/rss?geo=US</link>\n"
    "\t\t\t<pubDate>Thu, 1 Oct 2026 09:20:00 -0700</pubDate>\n"
    "\t\t\t<ht:picture/>\n"
    "\t\t\t<ht:picture_source/>\n"
    "\t\t\t<ht:news_item>\n"
    "\t\t\t\t<ht:news_item_title>Feed server test article</ht:news_item_title>\n"
    "\t\t\t\t<ht:news_item_snippet/>\n"
    "\t\t\t\t<ht:news_item_url>https://example.com/feed-server-test</ht:news_item_url>\n"
    "\t\t\t\t<ht:news_item_picture/>\n"
    "\t\t\t\t<ht:news_item_source>Example</ht:news_item_source>\n"
    "\t\t\t</ht:news_item>\n"
    "\t\t</item>\n"
    "\t</channel>\n"
    "</rss>\n"
).encode()

GOOGLE_ERROR_PAGE = (
    "<!DOCTYPE html>\n<html lang=en><head>\n  <meta charset=utf-8>\n"
    '  <meta name=viewport content="initial-scale=1, minimum-scale=1, width=device-width">\n'
    "  <title>Error 429 (Too Many Requests)!!1</title>\n"
    "  <style>*{margin:0;padding:0}html,code{font:15px/22px arial,sans-serif}</style>\n"
    "</head><body>\n"
    "  <a href=//www.google.com/><span id=logo aria-label=Google></span></a>\n"
    "  <p><b>429.</b> <ins>That\u2019s an error.</ins>\n"
    "  <p>We're sorry, but you have sent too many requests to us recently. Please try again later."
    "  <ins>That\u2019s all we know.</ins>\n</body></html>\n"
).encode()

RSS_TYPE = "application/rss+xml; charset=UTF-8"

_bomb_lock = threading.Lock()
_bombs: dict[int, list[bytes]] = {}
BOMB_PROLOGUE = b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'


def gzip_bomb_parts(mb: int):
    """Yields the gzip (about 1000:1) of an RSS prologue followed by mb MiB of blanks, in pieces.
    The first request for a size compresses as it goes (so the first bytes leave at once, not
    after a second of CPU); a fully sent bomb is kept and later requests replay it."""
    with _bomb_lock:
        cached = _bombs.get(mb)
    if cached is not None:
        yield from cached
        return
    parts: list[bytes] = []
    co = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    block = b" " * (1 << 20)
    for data in [BOMB_PROLOGUE] + [block] * mb:
        out = co.compress(data)
        if out:
            parts.append(out)
            yield out
    out = co.flush()
    parts.append(out)
    yield out
    with _bomb_lock:
        _bombs.setdefault(mb, parts)


def huge_chunks(total: int):
    """Yields about `total` bytes of well-formed-looking RSS that never closes its channel."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            b'xmlns:ht="https://trends.google.com/trending/rss"><channel>\n'
            b"<title>Daily Search Trends</title>\n")
    sent = 0
    yield head
    sent += len(head)
    n = 0
    while sent < total:
        buf = []
        size = 0
        while size < 65536 and sent + size < total:
            n += 1
            item = (f"<item><title>endless term {n}</title><ht:approx_traffic>100+</ht:approx_traffic>"
                    f"<pubDate>Thu, 1 Oct 2026 09:20:00 -0700</pubDate></item>\n").encode()
            buf.append(item)
            size += len(item)
        chunk = b"".join(buf)[: total - sent]
        sent += len(chunk)
        yield chunk


def http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2) of an If-None-Match list against our strong ETag."""
    if header.strip() == "*":
        return True
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate.startswith("W/"):
            candidate = candidate[2:]
        if candidate == etag:
            return True
    return False


def accepts_gzip(header: str | None) -> bool:
    if not header:
        return False
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if fields[0].lower() not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            return True
    return False


class Handler(serving.QuietHandler):
    protocol_version = "HTTP/1.1"
    server_version = "trendd-test-feed-server/1"

    # ---- plumbing -------------------------------------------------------------------------
    def log_request_line(self):
        log = self.server.request_log  # type: ignore[attr-defined]
        if log is None:
            return
        rec = {"t": time.time(), "method": self.command, "path": self.path,
               "headers": {k: v for k, v in self.headers.items()}}
        line = json.dumps(rec, ensure_ascii=False) + "\n"
        with self.server.log_lock:  # type: ignore[attr-defined]
            if not log.closed:
                log.write(line)
                log.flush()

    def send_body(self, status: int, body: bytes, ctype: str, extra: dict | None = None,
                  head_only: bool = False):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head_only and body:
            self.wfile.write(body)

    def sleep(self, seconds: float) -> bool:
        """Sleeps unless the server is stopping; True when the full time passed."""
        return not STOP.wait(max(0.0, seconds))

    def read_root_file(self, name: str | None) -> tuple[bytes, float] | None:
        if not name or "\\" in name or "\0" in name:
            return None
        if any(not part or part.startswith(".") for part in name.split("/")):
            return None
        path = os.path.join(self.server.root, name)  # type: ignore[attr-defined]
        try:
            with open(path, "rb") as f:
                data = f.read()
            return data, os.stat(path).st_mtime
        except OSError:
            return None

    # ---- dispatch -------------------------------------------------------------------------
    def do_GET(self):
        self.dispatch(head_only=False)

    def do_HEAD(self):
        self.dispatch(head_only=True)

    def do_POST(self):
        self.log_request_line()
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_body(405, b"method not allowed\n", "text/plain", {"Allow": "GET, HEAD"})

    def dispatch(self, head_only: bool):
        self.log_request_line()
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
        path = urllib.parse.unquote(url.path)
        if path.startswith("/feed/"):
            return self.serve_feed(path[len("/feed/"):], head_only)
        if path.startswith("/fault/"):
            kind = path[len("/fault/"):]
            fn = getattr(self, "fault_" + kind.replace("-", "_"), None)
            if fn is not None:
                try:
                    return fn(query)
                except ValueError as e:
                    return self.send_body(400, f"bad fault parameter: {e}\n".encode(), "text/plain")
        self.send_body(404, b"not found\n", "text/plain", head_only=head_only)

    # ---- /feed/ ---------------------------------------------------------------------------
    def serve_feed(self, name: str, head_only: bool):
        got = self.read_root_file(name)
        if got is None:
            return self.send_body(404, b"no such feed\n", "text/plain", head_only=head_only)
        data, mtime = got
        etag = '"' + hashlib.sha1(data).hexdigest() + '"'
        last_modified = http_date(mtime)
        validators = {"ETag": etag, "Last-Modified": last_modified, "Vary": "Accept-Encoding",
                      "Cache-Control": "private"}
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None:
            not_modified = etag_matches(inm, etag)
        elif ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
                not_modified = int(mtime) <= since
            except (TypeError, ValueError, IndexError, OverflowError):
                not_modified = False
        if not_modified:
            self.send_response(304)
            for k, v in validators.items():
                self.send_header(k, v)
            self.end_headers()
            return
        if accepts_gzip(self.headers.get("Accept-Encoding")):
            data = gzip.compress(data, 6, mtime=0)
            validators["Content-Encoding"] = "gzip"
        self.send_body(200, data, RSS_TYPE, validators, head_only=head_only)

    # ---- /fault/ --------------------------------------------------------------------------
    def fault_status(self, q):
        code = int(q.get("code", "500"))
        if not 100 <= code <= 999:
            raise ValueError("code")
        extra = {}
        if q.get("retry_after"):
            extra["Retry-After"] = q["retry_after"]
        body = f"{code} {self.responses.get(code, ('Error',))[0]} (injected by feed_server)\n".encode()
        self.send_body(code, body, "text/plain; charset=UTF-8", extra)

    def _file_or_small_feed(self, q) -> bytes | None:
        if "file" not in q:
            return SMALL_FEED
        got = self.read_root_file(q["file"])
        return None if got is None else got[0]

    def fault_slow_headers(self, q):
        if not self.sleep(float(q.get("delay", "5"))):
            self.close_connection = True
            return
        body = self._file_or_small_feed(q)
        if body is None:
            return self.send_body(404, b"no such feed\n", "text/plain")
        self.send_body(200, body, RSS_TYPE)

    def fault_slow_body(self, q):
        delay = float(q.get("delay", "5"))
        body = self._file_or_small_feed(q)
        if body is None:
            return self.send_body(404, b"no such feed\n", "text/plain")
        self.send_response(200)
        self.send_header("Content-Type", RSS_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        pieces = max(1, min(len(body), int(delay * 10) or 1))
        step = -(-len(body) // pieces)
        for i in range(0, len(body), step):
            if i and not self.sleep(delay / pieces):
                self.close_connection = True
                return
            self.wfile.write(body[i:i + step])
            self.wfile.flush()

    def fault_stall(self, q):
        self.close_connection = True
        STOP.wait()

    def fault_redirect_loop(self, q):
        n = int(q.get("n", "0")) + 1
        self.send_body(302, b"", "text/plain", {"Location": f"/fault/redirect-loop?n={n}"})

    def fault_truncated(self, q):
        body = self._file_or_small_feed(q)
        if body is None:
            return self.send_body(404, b"no such feed\n", "text/plain")
        self.send_response(200)
        self.send_header("Content-Type", RSS_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.close_connection = True

    def fault_gzip_bomb(self, q):
        mb = int(q.get("mb", "100"))
        if not 0 < mb <= 10240:
            raise ValueError("mb")
        self.send_response(200)
        self.send_header("Content-Type", RSS_TYPE)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for part in gzip_bomb_parts(mb):
            if STOP.is_set():
                self.close_connection = True
                return
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def fault_wrong_type(self, q):
        garbage = random.Random(1729).randbytes(4096)
        self.send_body(200, garbage, "application/octet-stream")

    def fault_html(self, q):
        self.send_body(200, GOOGLE_ERROR_PAGE, "text/html; charset=UTF-8")

    def fault_huge(self, q):
        total = int(float(q.get("mb", "50")) * (1 << 20))
        with_length = q.get("length", "0") not in ("", "0", "false", "no")
        self.send_response(200)
        self.send_header("Content-Type", RSS_TYPE)
        if with_length:
            self.send_header("Content-Length", str(total))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in huge_chunks(total):
            if STOP.is_set():
                self.close_connection = True
                return
            if with_length:
                self.wfile.write(chunk)
            else:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        if not with_length:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def fault_reset(self, q):
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        finally:
            self.connection.close()  # linger 0: RST instead of FIN


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    # socketserver's default backlog is 5: a client opening a dozen connections at once would see
    # dropped SYNs and 1 s retransmit stalls that look like slowness of the client under test.
    request_queue_size = 128

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (OSError, ValueError)):
            return  # client went away or we closed the socket on purpose
        super().handle_error(request, client_address)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", required=True, help="directory served under /feed/")
    ap.add_argument("--port-file", required=True, help="written with the port once listening")
    ap.add_argument("--log", help="append one JSON line per request")
    ap.add_argument("--lifetime", type=float, default=600.0, help="exit after this many seconds")
    args = ap.parse_args(argv)

    server = Server(("127.0.0.1", 0), Handler)
    server.root = os.path.abspath(args.root)  # type: ignore[attr-defined]
    return serving.serve(server, args.port_file, args.log, args.lifetime, STOP)


if __name__ == "__main__":
    sys.exit(main())
