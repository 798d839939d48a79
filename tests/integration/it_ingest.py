#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Ingestion, end to end: the real `trendd --once` against a loopback feed server serving copies
of the real feed samples (examples/feeds/), checked in the SQLite file it writes.

1. Five feeds (BD, GB, JP, US new format + PT old daily format): one `ok` poll each and every
   item stored as the fixture says, item by item (expectation computed here with ElementTree).
2. Same again: conditional GET -> `not_modified`, nothing new stored.
3. us.xml rewritten with the GB sample: `ok` with the new items; articles stay unique by URL.
4. Nine faulty feeds and one healthy one in a single run: each fault gets its outcome, the
   healthy feed is still `ok`, earlier rows are intact, integrity_check is ok, exit code 0.
5. Broken configs: exit 78, no database created or touched, no request made.
"""

from __future__ import annotations

import email.utils
import html
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

FIXTURES = [  # (feed name, geo, fixture file)
    ("bd", "BD", "google-trends-rss-new-BD-2026-02-02.xml"),
    ("gb", "GB", "google-trends-rss-new-GB-2026-02-02.xml"),
    ("jp", "JP", "google-trends-rss-new-JP-2026-09-09.xml"),
    ("us", "US", "google-trends-rss-new-US-2026-10-01.xml"),
    ("pt", "PT", "google-trends-rss-old-daily-PT-2023-11-18.xml"),
]
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
TABLES = ["feeds", "polls", "terms", "observations", "articles", "observation_articles"]
MAX_FEED_BYTES = 1048576


# ---- the expectation, computed independently from the XML ---------------------------------------
@dataclass
class News:
    title: str
    url: str
    source: str | None
    picture: str | None
    snippet: str | None


@dataclass
class Item:
    rank: int
    term: str
    traffic_label: str
    traffic: int | None
    started_at: str | None
    picture: str | None
    picture_source: str | None
    news: list[News] = field(default_factory=list)


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def traffic_value(label: str) -> int | None:
    """"2,000+" -> 2000, "10000+" -> 10000, "20K+" -> 20000, "1.5M+" -> 1500000."""
    s = label.strip().rstrip("+")
    for ch in (",", " ", "\u00a0", "\u202f"):
        s = s.replace(ch, "")
    mult = 1
    if s[-1:] in ("K", "k"):
        mult, s = 1000, s[:-1]
    elif s[-1:] in ("M", "m"):
        mult, s = 1000000, s[:-1]
    if mult == 1:
        s = s.replace(".", "")
    try:
        return int(round(float(s) * mult)) if "." in s else int(s) * mult
    except ValueError:
        return None


def iso_utc(pubdate: str) -> str | None:
    try:
        dt = email.utils.parsedate_to_datetime(pubdate.strip())
    except (TypeError, ValueError):
        return None
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def expected_items(xml: bytes) -> list[Item]:
    root = ET.fromstring(xml)
    old = any("trendingsearches/daily" in e.tag for e in root.iter())

    def text(e: ET.Element | None) -> str:
        t = (e.text or "") if e is not None else ""
        if old:
            t = html.unescape(t)  # the old feed escaped its HTML twice
        return " ".join(t.split())

    def url(e: ET.Element | None) -> str:
        return ((e.text or "") if e is not None else "").strip()

    def child(parent: ET.Element, name: str) -> ET.Element | None:
        for c in parent:
            if local(c.tag) == name:
                return c
        return None

    items = []
    for rank, it in enumerate((e for e in root.iter() if local(e.tag) == "item"), start=1):
        label = text(child(it, "approx_traffic"))
        item = Item(rank=rank, term=text(child(it, "title")), traffic_label=label,
                    traffic=traffic_value(label), started_at=iso_utc(url(child(it, "pubDate"))),
                    picture=url(child(it, "picture")) or None,
                    picture_source=text(child(it, "picture_source")) or None)
        for n in it:
            if local(n.tag) != "news_item":
                continue
            item.news.append(News(title=text(child(n, "news_item_title")),
                                  url=url(child(n, "news_item_url")),
                                  source=text(child(n, "news_item_source")) or None,
                                  picture=url(child(n, "news_item_picture")) or None,
                                  snippet=text(child(n, "news_item_snippet")) or None))
        items.append(item)
    return items


def norm_candidates(term: str) -> set[str]:
    """The normalised form: simple case folding, which for these samples is what Python's lower()
    or casefold() give (they differ only for a few letters such as ß)."""
    return {" ".join(term.lower().split()), " ".join(term.casefold().split())}


# ---- checks against the database ----------------------------------------------------------------
class EmptyStyle:
    """Records how the database writes a field the feed left empty (NULL or ''), to require one
    consistent representation and to report which one it is."""

    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = {}

    def check(self, c: h.Checker, actual, expected, what: str, kind: str) -> None:
        if expected is None:
            if actual is None or actual == "":
                self.seen.setdefault(kind, set()).add("NULL" if actual is None else "''")
            else:
                c.add(f"{what}: expected NULL or '', actual {actual!r}")
        else:
            c.eq(actual, expected, what)

    def verify(self) -> None:
        all_styles = set().union(*self.seen.values()) if self.seen else set()
        h.log(f"empty optional fields are stored as: "
              f"{ {k: sorted(v) for k, v in self.seen.items()} }")
        if len(all_styles) > 1:
            h.fail(f"empty optional fields are stored inconsistently (both NULL and ''): {self.seen}")


def new_polls(con, after_id: int) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in h.rows(con, "SELECT p.*, f.name AS feed FROM polls p JOIN feeds f ON f.id = p.feed_id "
                         "WHERE p.id > ? ORDER BY p.id", after_id):
        out.setdefault(r["feed"], []).append(r)
    return out


def one_poll(polls: dict[str, list[dict]], feed: str) -> dict:
    got = polls.get(feed, [])
    if len(got) != 1:
        h.fail(f"feed {feed}: expected exactly one new polls row in this run, found {len(got)}: {got}")
    return got[0]


def check_time(c: h.Checker, value, what: str, lo: float | None = None, hi: float | None = None) -> None:
    if not isinstance(value, str) or not ISO_UTC.match(value):
        c.add(f"{what}: expected UTC ISO-8601 'YYYY-MM-DDTHH:MM:SSZ', actual {value!r}")
        return
    if lo is not None and hi is not None:
        t = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()
        if not lo - 2 <= t <= hi + 2:
            c.add(f"{what}: {value} is outside this run's wall-clock window")


def check_ok_poll(c: h.Checker, poll: dict, n_items: int, n_bytes: int, feed: str) -> None:
    c.eq(poll["outcome"], "ok", f"{feed}: polls.outcome")
    c.eq(poll["http_status"], 200, f"{feed}: polls.http_status")
    c.eq(poll["items"], n_items, f"{feed}: polls.items")
    c.true(isinstance(poll["bytes"], int) and poll["bytes"] > 0, f"{feed}: polls.bytes > 0, got {poll['bytes']!r}")
    c.eq(poll["bytes"], n_bytes, f"{feed}: polls.bytes (body bytes after decompression = file size)")
    c.eq(poll["error"], None, f"{feed}: polls.error on ok")
    c.true(isinstance(poll["duration_ms"], int) and poll["duration_ms"] >= 0,
           f"{feed}: polls.duration_ms, got {poll['duration_ms']!r}")


def check_snapshot(con, c: h.Checker, empty: EmptyStyle, poll: dict, feed_name: str, geo: str,
                   items: list[Item], window: tuple[float, float]) -> None:
    """Every expected item is an observation of this poll, in order, with its articles in order."""
    feed_id = h.scalar(con, "SELECT id FROM feeds WHERE name = ?", feed_name)
    obs = h.rows(con, "SELECT o.*, t.norm, t.display, t.first_seen_at AS term_first_seen "
                      "FROM observations o JOIN terms t ON t.id = o.term_id "
                      "WHERE o.poll_id = ? ORDER BY o.rank, o.id", poll["id"])
    c.eq(len(obs), len(items), f"{feed_name}: observations in poll {poll['id']}")
    for exp, o in zip(items, obs):
        w = f"{feed_name} item {exp.rank} ({exp.term!r})"
        c.eq(o["rank"], exp.rank, f"{w}: rank")
        c.eq(o["title"], exp.term, f"{w}: observations.title")
        c.eq(o["feed_id"], feed_id, f"{w}: observations.feed_id")
        c.eq(o["geo"], geo, f"{w}: observations.geo")
        c.eq(o["traffic_label"], exp.traffic_label, f"{w}: traffic_label")
        c.eq(o["traffic"], exp.traffic, f"{w}: traffic")
        c.eq(o["started_at"], exp.started_at, f"{w}: started_at (pubDate in UTC)")
        check_time(c, o["observed_at"], f"{w}: observed_at", *window)
        check_time(c, o["term_first_seen"], f"{w}: terms.first_seen_at")
        empty.check(c, o["picture_url"], exp.picture, f"{w}: picture_url", "observations.picture_url")
        empty.check(c, o["picture_source"], exp.picture_source, f"{w}: picture_source",
                    "observations.picture_source")
        c.true(o["norm"] in norm_candidates(exp.term),
               f"{w}: terms.norm {o['norm']!r} is not the normalised term {sorted(norm_candidates(exp.term))}")
        c.true(o["display"] and norm_candidates(o["display"]) & norm_candidates(exp.term),
               f"{w}: terms.display {o['display']!r} is not a spelling of the term")

        arts = h.rows(con, "SELECT oa.position, a.* FROM observation_articles oa "
                           "JOIN articles a ON a.id = oa.article_id "
                           "WHERE oa.observation_id = ? ORDER BY oa.position", o["id"])
        c.eq([a["position"] for a in arts], list(range(1, len(exp.news) + 1)),
             f"{w}: observation_articles.position")
        for i, (en, a) in enumerate(zip(exp.news, arts), start=1):
            wa = f"{w} news {i}"
            c.eq(a["url"], en.url, f"{wa}: articles.url")
            c.eq(a["title"], en.title, f"{wa}: articles.title")
            empty.check(c, a["source"], en.source, f"{wa}: articles.source", "articles.source")
            empty.check(c, a["picture_url"], en.picture, f"{wa}: articles.picture_url", "articles.picture_url")
            empty.check(c, a["snippet"], en.snippet, f"{wa}: articles.snippet", "articles.snippet")
            check_time(c, a["first_seen_at"], f"{wa}: articles.first_seen_at")
            check_time(c, a["last_seen_at"], f"{wa}: articles.last_seen_at")


# ---- the test -----------------------------------------------------------------------------------
def once(cfg: Path, timeout: float = 120):
    t0 = time.time()
    cp = h.trendd("--once", "--config", cfg, timeout=timeout)
    t1 = time.time()
    h.expect_exit(cp, 0, "trendd --once")
    return cp, (t0, t1)


def test(work: h.WorkDir) -> None:
    trendd = h.trendd_bin()
    h.log(f"trendd: {trendd}")
    expected = {name: (geo, h.fixture(fx).read_bytes()) for name, geo, fx in FIXTURES}
    items = {name: expected_items(data) for name, (geo, data) in expected.items()}
    for name, its in items.items():
        h.true(its, f"fixture for {name} has no items (test bug)")
    db_path = work / "trendd.db"
    empty = EmptyStyle()

    with h.FeedServer(state_dir=work / "feed-server") as srv:
        for name, (geo, data) in expected.items():
            srv.write(f"{name}.xml", data)
        healthy_feeds = [h.feed(name, srv.feed_url(f"{name}.xml"), geo=geo)
                         for name, (geo, _) in expected.items()]
        cfg = h.write_config(work / "trendd.toml", feeds=healthy_feeds, database=db_path,
                             drafts_dir=work / "drafts")

        # ---- 1. first run: everything new --------------------------------------------------
        h.log("== run 1: five healthy feeds")
        _, window = once(cfg)
        con = h.db(db_path)
        c = h.Checker("run 1")
        feeds = {r["name"]: r for r in h.rows(con, "SELECT * FROM feeds")}
        for name, (geo, data) in expected.items():
            f = feeds.get(name)
            if not c.true(f is not None, f"feeds row for {name} missing"):
                continue
            c.eq(f["type"], "google-trends-rss", f"{name}: feeds.type")
            c.eq(f["url"], srv.feed_url(f"{name}.xml"), f"{name}: feeds.url")
            c.eq(f["geo"], geo, f"{name}: feeds.geo")
        polls1 = new_polls(con, 0)
        c.eq(sorted(polls1), sorted(expected), "feeds polled in run 1")
        for name, (geo, data) in expected.items():
            if name not in polls1:
                continue
            poll = one_poll(polls1, name)
            check_ok_poll(c, poll, len(items[name]), len(data), name)
            check_time(c, poll["started_at"], f"{name}: polls.started_at", *window)
            check_snapshot(con, c, empty, poll, name, geo, items[name], window)
            reqs = srv.requests(f"/feed/{name}.xml")
            c.eq(len(reqs), 1, f"{name}: HTTP requests for /feed/{name}.xml in run 1")
        all_urls = {n.url for its in items.values() for it in its for n in it.news}
        all_norms = {" ".join(it.term.casefold().split()) for its in items.values() for it in its}
        c.eq(h.scalar(con, "SELECT count(*) FROM articles"), len(all_urls),
             "articles rows (unique URLs over all five fixtures)")
        c.eq(h.scalar(con, "SELECT count(*) FROM terms"), len(all_norms),
             "terms rows (distinct normalised terms over all five fixtures)")
        c.eq(h.scalar(con, "SELECT count(*) FROM observations"), sum(map(len, items.values())),
             "observations rows")
        c.done()
        empty.verify()
        etags = {r["name"]: r["etag"] for r in h.rows(con, "SELECT name, etag FROM feeds")}
        counts1 = h.table_counts(con, TABLES)
        last_poll = h.scalar(con, "SELECT max(id) FROM polls")
        con.close()
        h.log(f"run 1 ok: {counts1}")

        # ---- 2. unchanged: conditional GET -> 304 ------------------------------------------
        h.log("== run 2: nothing changed")
        n_before = {name: len(srv.requests(f"/feed/{name}.xml")) for name in expected}
        once(cfg)
        con = h.db(db_path)
        c = h.Checker("run 2 (unchanged feeds)")
        polls2 = new_polls(con, last_poll)
        for name in expected:
            poll = one_poll(polls2, name)
            c.eq(poll["outcome"], "not_modified", f"{name}: polls.outcome")
            c.eq(poll["http_status"], 304, f"{name}: polls.http_status")
            c.eq(poll["items"], None, f"{name}: polls.items on not_modified")
            c.eq(poll["error"], None, f"{name}: polls.error on not_modified")
            reqs = srv.requests(f"/feed/{name}.xml")[n_before[name]:]
            c.eq(len(reqs), 1, f"{name}: HTTP requests in run 2")
            if reqs:
                inm, ims = h.header(reqs[-1], "If-None-Match"), h.header(reqs[-1], "If-Modified-Since")
                c.true(inm or ims, f"{name}: run 2 request was not conditional: {reqs[-1]['headers']}")
        counts2 = h.table_counts(con, TABLES)
        c.eq({t: counts2[t] for t in TABLES if t != "polls"},
             {t: counts1[t] for t in TABLES if t != "polls"}, "row counts after an all-304 run")
        c.eq(counts2["polls"], counts1["polls"] + len(expected), "polls rows after run 2")
        c.eq({r["name"]: r["etag"] for r in h.rows(con, "SELECT name, etag FROM feeds")}, etags,
             "feeds.etag after 304s")
        c.done()
        last_poll = h.scalar(con, "SELECT max(id) FROM polls")
        con.close()

        # ---- 3. us.xml now says what the GB feed said ---------------------------------------
        h.log("== run 3: us.xml rewritten with the GB sample")
        gb_data = expected["gb"][1]
        srv.write("us.xml", gb_data)
        _, window3 = once(cfg)
        con = h.db(db_path)
        c = h.Checker("run 3 (us.xml changed)")
        polls3 = new_polls(con, last_poll)
        us_poll = one_poll(polls3, "us")
        check_ok_poll(c, us_poll, len(items["gb"]), len(gb_data), "us")
        check_snapshot(con, c, empty, us_poll, "us", "US", items["gb"], window3)
        for name in expected:
            if name != "us":
                c.eq(one_poll(polls3, name)["outcome"], "not_modified", f"{name}: polls.outcome in run 3")
        counts3 = h.table_counts(con, TABLES)
        c.eq(counts3["articles"], counts1["articles"], "articles rows (GB articles were known already: unique by URL)")
        c.eq(counts3["terms"], counts1["terms"], "terms rows (GB terms were known already)")
        c.eq(counts3["observations"], counts1["observations"] + len(items["gb"]), "observations rows")
        gb_urls = [n.url for it in items["gb"] for n in it.news]
        stale = h.rows(con, "SELECT url, last_seen_at FROM articles WHERE url IN (%s) AND last_seen_at < ?"
                       % ",".join("?" * len(gb_urls)), *gb_urls,
                       datetime.fromtimestamp(int(window3[0]) - 1, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        c.eq(stale, [], "articles seen again in run 3 whose last_seen_at was not moved forward")
        c.done()
        empty.verify()
        last_poll = h.scalar(con, "SELECT max(id) FROM polls")
        before_faults = {
            "observations": h.scalar(con, "SELECT count(*) FROM observations"),
            "observation_articles": h.scalar(con, "SELECT count(*) FROM observation_articles"),
            "articles": h.rows(con, "SELECT id, url, title, source, picture_url, snippet, first_seen_at "
                                    "FROM articles ORDER BY id"),
            "terms": h.rows(con, "SELECT * FROM terms ORDER BY id"),
            "polls": h.rows(con, "SELECT * FROM polls ORDER BY id"),
        }
        con.close()

        # ---- 4. faults, all in one run -------------------------------------------------------
        h.log("== run 4: faults")
        srv.write("healthy.xml", expected["bd"][1])
        faults = {  # feed name -> (url, outcome, http_status or ... for "don't care")
            "f-status-500": (srv.fault_url("status", code=500), "http_error", 500),
            "f-truncated": (srv.fault_url("truncated", file="us.xml"), "truncated", ...),
            "f-html": (srv.fault_url("html"), "parse_error", ...),
            "f-huge": (srv.fault_url("huge", mb=20), "too_large", ...),
            "f-gzip-bomb": (srv.fault_url("gzip-bomb", mb=100), "too_large", ...),
            "f-redirect-loop": (srv.fault_url("redirect-loop"), "redirect_loop", ...),
            "f-reset": (srv.fault_url("reset"), "network_error", None),
            "f-stall": (srv.fault_url("stall"), "timeout", None),
            "f-wrong-type": (srv.fault_url("wrong-type"), "parse_error", ...),
        }
        fault_feeds = [h.feed(n, u, geo="US") for n, (u, _, _) in faults.items()]
        cfg4 = h.write_config(work / "trendd-faults.toml",
                              feeds=healthy_feeds + [h.feed("healthy", srv.feed_url("healthy.xml"), geo="BD")]
                              + fault_feeds,
                              database=db_path, drafts_dir=work / "drafts",
                              daemon={"fetch_timeout": "3s", "max_feed_bytes": MAX_FEED_BYTES})
        n_redirects_before = len(srv.requests("/fault/redirect-loop"))
        cp, window4 = once(cfg4, timeout=90)
        con = h.db(db_path)
        c = h.Checker("run 4 (faults)")
        polls4 = new_polls(con, last_poll)
        healthy = one_poll(polls4, "healthy")
        check_ok_poll(c, healthy, len(items["bd"]), len(expected["bd"][1]), "healthy")
        check_snapshot(con, c, empty, healthy, "healthy", "BD", items["bd"], window4)
        for name in expected:
            c.eq(one_poll(polls4, name)["outcome"], "not_modified", f"{name}: polls.outcome in run 4")
        for name, (_, outcome, status) in faults.items():
            p = one_poll(polls4, name)
            w = f"{name}"
            c.eq(p["outcome"], outcome, f"{w}: polls.outcome (error was {p['error']!r})")
            if status is not ...:
                c.eq(p["http_status"], status, f"{w}: polls.http_status")
            c.eq(p["items"], None, f"{w}: polls.items")
            c.true(isinstance(p["error"], str) and p["error"].strip(),
                   f"{w}: polls.error must say what went wrong, got {p['error']!r}")
            c.eq(h.scalar(con, "SELECT count(*) FROM observations WHERE poll_id = ?", p["id"]), 0,
                 f"{w}: observations stored for a failed poll")
            h.log(f"  {name}: outcome={p['outcome']} http_status={p['http_status']} "
                  f"bytes={p['bytes']} duration_ms={p['duration_ms']} error={p['error']!r}")
        html_err = one_poll(polls4, "f-html")["error"] or ""
        c.true("html" in html_err.lower(), f"f-html: polls.error should mention HTML, got {html_err!r}")
        stall = one_poll(polls4, "f-stall")
        c.true(isinstance(stall["duration_ms"], int) and 2500 <= stall["duration_ms"] <= 15000,
               f"f-stall: duration_ms should be about fetch_timeout (3 s), got {stall['duration_ms']!r}")
        hops = len(srv.requests("/fault/redirect-loop")) - n_redirects_before
        c.true(1 <= hops <= 51, f"f-redirect-loop: {hops} requests; redirects must be capped")
        c.true(cp.duration < 60, f"trendd --once with faults took {cp.duration:.1f} s")  # type: ignore[attr-defined]

        # earlier rows intact
        c.eq(h.scalar(con, "SELECT count(*) FROM observations WHERE poll_id <= ?", last_poll),
             before_faults["observations"], "observations of runs 1-3 after the fault run")
        c.eq(h.scalar(con, "SELECT count(*) FROM observation_articles oa JOIN observations o "
                           "ON o.id = oa.observation_id WHERE o.poll_id <= ?", last_poll),
             before_faults["observation_articles"], "observation_articles of runs 1-3 after the fault run")
        c.eq(h.rows(con, "SELECT id, url, title, source, picture_url, snippet, first_seen_at "
                         "FROM articles ORDER BY id"), before_faults["articles"],
             "articles after the fault run (the healthy feed only repeats known URLs)")
        c.eq(h.rows(con, "SELECT * FROM terms ORDER BY id"), before_faults["terms"], "terms after the fault run")
        c.eq(h.rows(con, "SELECT * FROM polls WHERE id <= ? ORDER BY id", last_poll), before_faults["polls"],
             "polls rows of runs 1-3 after the fault run")
        c.done()
        h.check_integrity(con)
        counts4 = h.table_counts(con, TABLES)
        con.close()

        # ---- 5. broken configs: exit 78, nothing written -------------------------------------
        h.log("== run 5: broken configs")
        n_requests = len(srv.requests())
        good_feed = [h.feed("us", srv.feed_url("us.xml"), geo="US")]
        broken = {
            "toml-syntax": None,
            "unknown-type": [h.feed("us", srv.feed_url("us.xml"), geo="US", type="no-such-feed-type")],
            "missing-url": [{"name": "us", "type": "google-trends-rss", "geo": "US", "interval": "10m"}],
            "bad-interval": [h.feed("us", srv.feed_url("us.xml"), geo="US", interval="ten minutes")],
        }
        c = h.Checker("broken configs")
        for label, feeds_ in broken.items():
            d = work.mkdir(f"broken-{label}")
            fresh_db = d / "trendd.db"
            path = h.write_config(d / "trendd.toml", feeds=feeds_ or good_feed, database=fresh_db,
                                  drafts_dir=d / "drafts")
            if feeds_ is None:
                path.write_text(path.read_text().replace("[daemon]", "[daemon", 1))
            cp = h.trendd("--once", "--config", path, timeout=30)
            c.eq(cp.returncode, h.EX_CONFIG, f"{label}: exit code of trendd --once (stderr: {cp.stderr.strip()!r})")
            c.true(cp.stderr.strip(), f"{label}: no diagnostic on stderr")
            c.true(not fresh_db.exists(), f"{label}: database {fresh_db} was created")
            c.true(not (d / "drafts").exists(), f"{label}: drafts_dir was created")
            h.log(f"  {label}: exit {cp.returncode}: {cp.stderr.strip()[:200]}")
        # a broken config naming the real database must not touch it
        path = h.write_config(work / "broken-existing.toml",
                              feeds=[h.feed("us", srv.feed_url("us.xml"), geo="US", type="no-such-feed-type")],
                              database=db_path, drafts_dir=work / "drafts")
        cp = h.trendd("--once", "--config", path, timeout=30)
        c.eq(cp.returncode, h.EX_CONFIG, "broken config on the existing database: exit code")
        con = h.db(db_path)
        c.eq(h.table_counts(con, TABLES), counts4, "row counts after a broken-config run")
        con.close()
        c.eq(len(srv.requests()), n_requests, "HTTP requests made by broken-config runs")
        c.done()


if __name__ == "__main__":
    h.main(test)
