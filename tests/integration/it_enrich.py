#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The reading stage, end to end: `trendd --once` against a loopback server that serves a feed
whose news items link to real article pages (tests/data/articles/) and to faulty ones.

1. A spike: every page of its story is fetched once (sharing across geos and stories:
   test_store_pages.cpp; terms that share a URL are one story since #11),
   extracted and stored (pages, page_texts, the FTS index); robots.txt's Disallow is honoured
   (the page is never requested); a page that stalls, one over the size cap, a PDF, a page in
   another charset than its <meta> says and a consent wall each get their outcome; one request
   at a time to the host, spaced by per_host_spacing (measured on the server); the drafts are
   written after their pages were read.
2. The same feed without allow_private_addresses: nothing but the feed is requested from
   127.0.0.1, every page is refused as blocked_address, the draft is still written.
3. SIGKILL while pages are being fetched, then a restart: every page ends up stored, and no
   page that was finished before the kill is requested again.
"""

from __future__ import annotations

import json
import http.server
import sys
import threading
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

ARTICLES = h.source_dir() / "tests" / "data" / "articles"
SPACING = 1.0  # [enrich] per_host_spacing, seconds
TIMEOUT = 3    # [enrich] timeout, seconds
CAP = 1 << 20  # [enrich] max_page_bytes

CONSENT = ("<html><head><title>Before you continue</title></head><body>"
           "<div class=\"consent-banner\"><h1>We value your privacy</h1><p>We and our partners "
           "use cookies and similar technologies to store and access personal data on your "
           "device, for personalised ads and content, ad and content measurement.</p><p>You can "
           "accept all, or manage preferences and your choices at any time, including objecting "
           "to legitimate interest.</p><button>Accept all</button><button>Manage preferences"
           "</button></div></body></html>")


class Server:
    """Feed, robots.txt and pages on 127.0.0.1; every request logged as (start, end, path)."""

    def __init__(self) -> None:
        self.feed = b""
        self.delay = 0.0  # before answering an /a/ page (scenario 3)
        self.log: list[tuple[float, float, str]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # noqa: A002
                pass

            def do_GET(self):  # noqa: N802
                start = time.monotonic()
                try:
                    outer.answer(self)
                except OSError:
                    self.close_connection = True
                with outer.lock:
                    outer.log.append((start, time.monotonic(), self.path))

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests(self, path: str | None = None) -> list[tuple[float, float, str]]:
        with self.lock:
            return [r for r in self.log if path is None or r[2] == path]

    @staticmethod
    def send(handler, status: int, ctype: str, body: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def answer(self, hd) -> None:
        path = hd.path
        if path == "/feed.xml":
            return self.send(hd, 200, "application/rss+xml", self.feed)
        if path == "/robots.txt":
            return self.send(hd, 200, "text/plain", b"User-agent: trendd\nDisallow: /private/\n")
        if path.startswith("/a/") or path.startswith("/private/"):
            if self.delay:
                time.sleep(self.delay)
            name = path.rsplit("/", 1)[1]
            return self.send(hd, 200, "text/html; charset=utf-8",
                             (ARTICLES / name / "source.html").read_bytes())
        if path == "/stall":
            self.stop.wait(TIMEOUT + 5)  # never answers before trendd gives up
            return None
        if path == "/huge":
            filler = b"<p>" + b"words and more words " * 50 + b"</p>\n"
            body = b"<html><body>" + filler * (2 * CAP // len(filler)) + b"</body></html>"
            return self.send(hd, 200, "text/html", body)
        if path == "/paper.pdf":
            return self.send(hd, 200, "application/pdf", b"%PDF-1.4\n" + b"\x00\x01binary" * 500)
        if path == "/latin1":
            # The page's <meta> says UTF-8, the header ISO-8859-1: the header wins.
            html = (ARTICLES / "lemonde-1" / "source.html").read_text(encoding="utf-8")
            return self.send(hd, 200, "text/html; charset=iso-8859-1",
                             html.encode("iso-8859-1", errors="xmlcharrefreplace"))
        if path == "/consent":
            return self.send(hd, 200, "text/html; charset=utf-8", CONSENT.encode())
        return self.send(hd, 404, "text/plain", b"not found")


def rss(items: list[tuple[str, list[str]]]) -> bytes:
    """A Google Trends feed: each item (term, news URLs) at 20,000+."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss xmlns:ht="https://trends.google.com/trending/rss" version="2.0"><channel>',
           "<title>Daily Search Trends</title>"]
    for term, urls in items:
        out.append(f"<item><title>{term}</title><ht:approx_traffic>20,000+</ht:approx_traffic>"
                   "<pubDate>Thu, 1 Oct 2026 09:20:00 -0700</pubDate>")
        for i, u in enumerate(urls):
            out.append(f"<ht:news_item><ht:news_item_title>{term} story {i}</ht:news_item_title>"
                       f"<ht:news_item_url>{u}</ht:news_item_url>"
                       f"<ht:news_item_source>Outlet {i}</ht:news_item_source></ht:news_item>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode()


RULE = """
[[rule]]
name = "buzz"
min_traffic = 20000
action = "draft"
"""


def config(work: h.WorkDir, name: str, srv: Server, allow_private: bool) -> Path:
    d = work.mkdir(name)
    enrich = (f"[enrich]\nper_host_spacing = \"{int(SPACING)}s\"\ntimeout = \"{TIMEOUT}s\"\n"
              f"max_page_bytes = {CAP}\n"
              f"allow_private_addresses = {'true' if allow_private else 'false'}\n")
    return h.write_config(d / "trendd.toml", [h.feed("us", srv.url("/feed.xml"), "US")],
                          RULE + "\n" + enrich,
                          daemon={"contact": "mailto:ops@example.org",
                                  "control_socket": str(d / "trendd.sock")})


def pages_by_path(con) -> dict[str, dict]:
    out = {}
    for r in h.rows(con, "SELECT p.*, t.title, t.text, t.word_count, t.method, t.lang "
                         "FROM pages p LEFT JOIN page_texts t ON t.page_id = p.id"):
        out[r["url"].split(str(r["host"]), 1)[1].split("/", 1)[1]] = r
    return out


def scenario_read(work: h.WorkDir, srv: Server) -> None:
    h.log("== 1. a spike's pages are read politely and stored")
    story = ["a/bbc-1", "a/nytimes-1", "private/nytimes-5", "stall", "huge", "paper.pdf",
             "latin1", "consent"]
    srv.feed = rss([("openai", [srv.url("/" + p) for p in story]),
                    ("gemini", [srv.url("/a/ars-1")])])
    cfg = config(work, "read", srv, allow_private=True)
    t0 = time.monotonic()
    cp = h.trendd("--once", "--config", cfg, timeout=120)
    h.expect_exit(cp, 0, "trendd --once")
    con = h.db(cfg.parent / "trendd.db")
    pages = pages_by_path(con)
    c = h.Checker("pages")
    c.eq(sorted(pages), sorted(story + ["a/ars-1"]), "one page per URL")
    expect = {"a/bbc-1": "article", "a/nytimes-1": "article", "a/ars-1": "article",
              "private/nytimes-5": "robots_disallowed", "stall": "timeout", "huge": "too_large",
              "paper.pdf": "not_html", "latin1": "article", "consent": "consent_wall"}
    for path, outcome in expect.items():
        p = pages.get(path, {})
        c.eq(p.get("outcome"), outcome, f"outcome of {path} ({p.get('error')})")
    for path in ("a/bbc-1", "a/nytimes-1", "a/ars-1", "latin1"):
        p = pages.get(path, {})
        c.true((p.get("word_count") or 0) > 200, f"{path} has text ({p.get('word_count')} words)")
        c.eq(p.get("status"), "done", f"status of {path}")
        c.eq(len(p.get("sha256") or ""), 64, f"sha256 of {path}")
    c.true("é" in (pages.get("latin1", {}).get("text") or ""),
           "the ISO-8859-1 page's text is decoded by its header's charset")
    c.eq(pages.get("stall", {}).get("status"), "queued", "a stalled page is queued for a retry")
    c.eq(h.scalar(con, "SELECT count(*) FROM draft_pages"), 9, "pages linked to the two drafts")
    c.eq(srv.requests("/private/nytimes-5"), [], "a disallowed page is never requested")
    c.eq(len(srv.requests("/robots.txt")), 1, "robots.txt is read once")
    c.eq(len(srv.requests("/a/bbc-1")), 1, "a page is fetched once")
    c.eq(h.scalar(con, "SELECT count(*) FROM page_fts WHERE page_fts MATCH 'bbc OR times'") > 0,
         True, "the full-text index answers")
    ua = [r for r in srv.log if r[2] == "/robots.txt"]
    c.true(bool(ua), "robots.txt requested")

    # Politeness, measured on the server: one request at a time, SPACING apart.
    reqs = sorted((r for r in srv.requests() if r[2] != "/feed.xml" and r[0] >= t0),
                  key=lambda r: r[0])
    # trendd gives up on /stall after TIMEOUT s; the server's handler ends later.
    ended = [min(r[1], r[0] + TIMEOUT) if r[2] == "/stall" else r[1] for r in reqs]
    gaps = [b[0] - end for end, b in zip(ended, reqs[1:])]
    h.log(f"   {len(reqs)} requests to the host; gaps between them (s): "
          + ", ".join(f"{g:.2f}" for g in gaps))
    c.true(min(gaps) >= SPACING - 0.05, f"per-host spacing >= {SPACING}s (min gap {min(gaps):.3f})")

    # The drafts waited for their pages.
    for d in h.rows(con, "SELECT d.id, d.status, d.finished_at, max(p.fetched_at) AS last "
                         "FROM drafts d JOIN draft_pages dp ON dp.draft_id = d.id "
                         "JOIN pages p ON p.id = dp.page_id GROUP BY d.id"):
        c.true(d["status"] in ("draft", "needs_review"), f"draft {d['id']} written ({d['status']})")
        c.true(d["finished_at"] >= d["last"], f"draft {d['id']} finished after its pages {d}")
    c.done()
    h.check_integrity(con)


def scenario_private(work: h.WorkDir, srv: Server) -> None:
    h.log("== 2. without allow_private_addresses, nothing is fetched from 127.0.0.1")
    srv.feed = rss([("openai", [srv.url("/a/bbc-1"), srv.url("/a/ars-1")])])
    before = len(srv.requests())
    cfg = config(work, "private", srv, allow_private=False)
    h.expect_exit(h.trendd("--once", "--config", cfg, timeout=120), 0, "trendd --once")
    con = h.db(cfg.parent / "trendd.db")
    c = h.Checker("private addresses")
    c.eq([r[2] for r in srv.requests()[before:]], ["/feed.xml"], "requests made")
    c.eq(h.rows(con, "SELECT outcome, status FROM pages"),
         [{"outcome": "blocked_address", "status": "done"}] * 2, "pages refused")
    c.eq(h.scalar(con, "SELECT state FROM robots"), "refused", "robots.txt state")
    c.eq(h.scalar(con, "SELECT count(*) FROM drafts WHERE status IN ('draft', 'needs_review')"),
         1, "the draft is written anyway")
    c.done()


def scenario_kill(work: h.WorkDir, srv: Server) -> None:
    h.log("== 3. SIGKILL while fetching, then a restart: nothing lost, nothing fetched twice")
    names = ["heise", "la-nacion", "herald-sun-1", "wapo-1", "yahoo-4", "liberation-1"]
    srv.feed = rss([("openai", [srv.url("/a/" + n) for n in names])])
    srv.delay = 0.5
    cfg = config(work, "kill", srv, allow_private=True)
    dbp = cfg.parent / "trendd.db"
    import subprocess
    proc = subprocess.Popen([h.trendd_bin(), "--once", "--config", str(cfg)],
                            stdout=subprocess.DEVNULL, stderr=open(work / "kill.stderr", "wb"))

    def done_count() -> int:
        if not dbp.exists():
            return 0
        try:
            return h.scalar(h.db(dbp), "SELECT count(*) FROM pages WHERE status = 'done'") or 0
        except Exception:  # noqa: BLE001  (tables not there yet)
            return 0

    h.wait_until(lambda: done_count() >= 2, 60, "two pages read before the kill")
    h.wait_until(lambda: any(r[2].startswith("/a/") for r in srv.requests()
                             if r[1] > time.monotonic() - 0.1) or True, 1, "")
    proc.kill()
    proc.wait(timeout=10)
    killed_at = time.monotonic()
    con = h.db(dbp)
    finished = {r["url"].rsplit("/", 1)[1] for r in
                h.rows(con, "SELECT url FROM pages WHERE status = 'done'")}
    con.close()
    h.log(f"   killed with {len(finished)} page(s) done: {sorted(finished)}")
    h.true(len(finished) < len(names), "the kill came before every page was read")
    h.expect_exit(h.trendd("--once", "--config", cfg, timeout=120), 0, "trendd --once (restart)")
    con = h.db(dbp)
    c = h.Checker("after the restart")
    c.eq(h.rows(con, "SELECT count(*) AS n, status, outcome FROM pages GROUP BY status, outcome"),
         [{"n": len(names), "status": "done", "outcome": "article"}], "every page read")
    for n in names:
        again = [r for r in srv.requests("/a/" + n) if r[0] > killed_at]
        if n in finished:
            c.eq(again, [], f"{n}, finished before the kill, is not requested again")
        c.true(len(srv.requests("/a/" + n)) <= 2, f"{n} requested at most twice")
    c.eq(h.scalar(con, "SELECT count(*) FROM drafts WHERE status IN ('draft', 'needs_review')"),
         1, "one draft")
    c.done()
    h.check_integrity(con)


def scenario_commands(work: h.WorkDir, srv: Server) -> None:
    h.log("== 4. trendctl extract (a file, a URL) and trendctl pages")
    c = h.Checker("commands")
    page = h.source_dir() / "tests" / "data" / "articles" / "bbc-1" / "source.html"
    cp = h.trendctl("extract", page, "--url", "https://www.bbc.com/news/world-us-canada-33646542",
                    "--json")
    h.expect_exit(cp, 0, "trendctl extract FILE --json")
    got = json.loads(cp.stdout)
    c.eq(sorted(got), sorted(["url", "canonical_url", "title", "byline", "published_at", "site_name",
                              "lang", "image", "text", "word_count", "method", "outcome", "reason"]),
         "trendctl extract --json keys")
    c.eq((got["title"], got["outcome"]),
         ("Obama admits US gun laws are his 'biggest frustration'", "article"), "title and outcome")
    c.true(got["word_count"] > 200, f"the text has {got['word_count']} words")
    # A URL is fetched with the daemon's rules: a private address is refused unless allowed.
    cp = h.trendctl("extract", srv.url("/a/bbc-1"), "--json")
    c.true(cp.returncode != 0 and "blocked_address" in cp.stdout + cp.stderr,
           f"trendctl extract of a 127.0.0.1 URL is refused\n{h.describe(cp)}")
    cp = h.trendctl("extract", srv.url("/a/bbc-1"), "--allow-private", "--json")
    c.eq((cp.returncode, json.loads(cp.stdout or "{}").get("outcome")), (0, "article"),
         f"trendctl extract --allow-private of the same URL\n{h.describe(cp)}")
    # The database of scenario 1: the pages it read, filtered by outcome.
    cfg = work.path / "read" / "trendd.toml"
    cp = h.trendctl("--config", cfg, "--json", "pages", "--since", "all", "--outcome", "article")
    h.expect_exit(cp, 0, "trendctl --json pages --outcome article")
    rows = json.loads(cp.stdout)
    rows = rows.get("rows", rows) if isinstance(rows, dict) else rows
    c.true(len(rows) == 4, f"four pages are articles: {cp.stdout[:400]}")
    c.done()


def test(work: h.WorkDir) -> None:
    srv = Server()
    try:
        scenario_read(work, srv)
        scenario_private(work, srv)
        scenario_kill(work, srv)
        scenario_commands(work, srv)
    finally:
        srv.close()


if __name__ == "__main__":
    h.main(test)
