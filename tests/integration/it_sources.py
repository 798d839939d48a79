#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Sources, end to end, on loopback: the real `trendd --once` and `trendd` against a local server.

1. One run polls all five source types (Google Trends, RSS, Hacker News Algolia and Firebase,
   Mastodon tags, Wikipedia top with a {yesterday} URL falling back on 404); every poll is ok,
   with observations of the right traffic kind; the User-Agent carries [daemon] contact.
2. Corroboration: a Trends term, an HN story, a Wikipedia top article and a news headline about
   the same event give one spike corroborated by 4 source types, and one draft citing the HN
   discussion (platform: hackernews).
3. min_sources = 2 holds a single-source spike's draft back; when a second source tells the
   same story, the draft is written.
4. Source health: no items, frozen content, schema drift (Trends items lose their news items):
   each is one warning per episode, in feed_health, and in `trendctl status`.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

DATA = h.source_dir() / "tests" / "data" / "feeds"


# ---- documents ---------------------------------------------------------------------------------
def trends(items: list[tuple[str, str, list[tuple[str, str]]]]) -> str:
    """Google Trends "Trending now" RSS: (term, traffic label, [(headline, url)])."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss xmlns:ht="https://trends.google.com/trending/rss" version="2.0"><channel>',
           "<title>Daily Search Trends</title>"]
    for term, traffic, news in items:
        out.append(f"<item><title>{term}</title><ht:approx_traffic>{traffic}</ht:approx_traffic>"
                   "<pubDate>Thu, 26 Nov 2026 09:20:00 -0700</pubDate>")
        for title, url in news:
            out.append(f"<ht:news_item><ht:news_item_title>{title}</ht:news_item_title>"
                       f"<ht:news_item_url>{url}</ht:news_item_url>"
                       "<ht:news_item_source>Example News</ht:news_item_source></ht:news_item>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def rss(titles: list[tuple[str, str]]) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0"><channel>',
           "<title>World News</title><link>https://news.example/</link>"]
    for title, url in titles:
        out.append(f"<item><title>{title}</title><link>{url}</link>"
                   "<pubDate>Thu, 26 Nov 2026 16:00:00 GMT</pubDate></item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def hn_algolia(stories: list[tuple[str, str, int, int, str]]) -> str:
    """(title, url, points, comments, objectID)."""
    hits = [{"title": t, "url": u, "points": p, "num_comments": c, "objectID": i,
             "author": "someone", "created_at_i": 1795700000, "_tags": ["story", "front_page"]}
            for t, u, p, c, i in stories]
    return json.dumps({"hits": hits, "nbHits": len(hits), "page": 0, "hitsPerPage": 20})


def wiki_top(day: datetime, articles: list[tuple[str, int]]) -> str:
    arts = [{"article": a, "views": v, "rank": i + 1} for i, (a, v) in enumerate(articles)]
    return json.dumps({"items": [{"project": "en.wikipedia", "access": "all-access",
                                  "year": f"{day.year:04d}", "month": f"{day.month:02d}",
                                  "day": f"{day.day:02d}", "articles": arts}]})


def day_path(day: datetime) -> str:
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}"


def put(srv: h.FeedServer, name: str, data: str | bytes) -> None:
    """Writes root/name, which may be in subdirectories."""
    path = srv.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def once(cfg: Path, what: str) -> str:
    cp = h.trendd("--once", "--config", cfg)
    h.expect_exit(cp, 0, what)
    return cp.stderr


# ---- 1. all five types -------------------------------------------------------------------------
def all_types(work: h.WorkDir) -> None:
    h.log("== one run polls all five source types")
    today = datetime.now(timezone.utc)
    before_yesterday = today - timedelta(days=2)
    with h.FeedServer() as srv:
        srv.put("trends.xml", h.fixture("google-trends-rss-new-US-2026-10-01.xml"))
        srv.put("rss.xml", DATA / "feed_atom_typepad_news.xml")
        srv.put("hn.json", DATA / "hn-algolia-search-api-v1-hits-2026.json")
        srv.put("tags.json", DATA / "mastodon_trends_tags.json")
        # Only the day before yesterday is published: {yesterday} answers 404, then falls back.
        put(srv, "wiki/" + day_path(before_yesterday),
            wiki_top(before_yesterday, [("Main_Page", 6000000), ("Spider-Man:_Brand_New_Day", 162483),
                                        ("Special:Search", 90000), ("Zohran_Mamdani", 120000)]))
        put(srv, "fb/topstories.json", json.dumps([101, 102, 103, 104]))
        for i, (title, points) in enumerate([("Show HN: A tiny database", 120),
                                             ("The history of the transistor", 340),
                                             ("A dead one", 0)]):
            item = {"id": 101 + i, "type": "story", "title": title, "score": points,
                    "by": "pg", "time": 1795700000, "descendants": 12,
                    "url": f"https://example.com/{101 + i}"}
            if title == "A dead one":
                item["dead"] = True
            put(srv, f"fb/item/{101 + i}.json", json.dumps(item))
        cfg = h.write_config(work / "all" / "trendd.toml", [
            h.feed("trends", srv.feed_url("trends.xml"), geo="US"),
            h.feed("news", srv.feed_url("rss.xml"), type="rss"),
            h.feed("hn", srv.feed_url("hn.json"), type="hacker-news"),
            h.feed("hn-fb", srv.url("/feed/fb/topstories.json"), type="hacker-news", max_items=3),
            h.feed("tags", srv.feed_url("tags.json"), type="mastodon-trends"),
            h.feed("wiki", srv.url("/feed/wiki/{yesterday}"), type="wikipedia-top"),
        ], daemon={"contact": "ops@example.org", "fetch_timeout": "5s",
                   "control_socket": str(work / "all.sock")})
        once(cfg, "trendd --once, all five types")
        ua = [h.header(r, "User-Agent") or "" for r in srv.requests("/feed/")]
        h.true(ua and all("ops@example.org" in u for u in ua), f"User-Agent carries the contact: {ua}")
        fb_items = [r["path"] for r in srv.requests("/feed/fb/item/")]
        h.eq(sorted(fb_items), [f"/feed/fb/item/{i}.json" for i in (101, 102, 103)],
             "Firebase: the first max_items items are fetched")
        wiki_paths = [r["path"] for r in srv.requests("/feed/wiki/")]
        h.eq(len(wiki_paths), 2, f"wikipedia: yesterday, then the day before ({wiki_paths})")
    con = h.db(cfg.parent / "trendd.db")
    polls = {r["feed"]: r for r in h.rows(con, "SELECT f.name AS feed, p.outcome, p.items, p.url, p.as_of "
                                                "FROM polls p JOIN feeds f ON f.id = p.feed_id")}
    c = h.Checker("all types")
    for name in ("trends", "news", "hn", "hn-fb", "tags", "wiki"):
        c.eq(polls.get(name, {}).get("outcome"), "ok", f"{name}: poll outcome")
    c.true(str(polls["wiki"]["url"]).endswith(day_path(before_yesterday)),
           f"wiki: polls.url is the day fetched ({polls['wiki']['url']})")
    c.eq(polls["wiki"]["as_of"], before_yesterday.strftime("%Y-%m-%dT00:00:00Z"), "wiki: as_of")
    kinds = {r["feed"]: r["kinds"] for r in h.rows(
        con, "SELECT f.name AS feed, group_concat(DISTINCT o.traffic_kind) AS kinds "
             "FROM observations o JOIN feeds f ON f.id = o.feed_id GROUP BY f.name")}
    c.eq(kinds, {"trends": "searches", "news": "rank", "hn": "points", "hn-fb": "points",
                 "tags": "uses", "wiki": "views"}, "traffic kinds of the observations")
    c.eq(h.scalar(con, "SELECT count(*) FROM observations o JOIN feeds f ON f.id = o.feed_id "
                       "WHERE f.name = 'hn-fb'"), 2, "hn-fb: the dead story is not stored")
    c.eq(h.scalar(con, "SELECT count(*) FROM observations o JOIN feeds f ON f.id = o.feed_id "
                       "WHERE f.name = 'wiki'"), 2, "wiki: Main_Page and Special: are left out")
    c.true(h.scalar(con, "SELECT count(*) FROM observations WHERE discussion_url LIKE "
                         "'https://news.ycombinator.com/item?id=%'") > 0, "HN discussion URLs")
    c.done()

    h.log("== trendctl parse shows every entry, skipped ones with why")
    cp = h.trendctl("--config", cfg, "--json", "parse", DATA / "wikimedia-pageviews-top-en.wikipedia-schema-sample.json",
                    "--type", "wikipedia-top")
    h.expect_exit(cp, 0, "trendctl parse")
    doc = json.loads(cp.stdout)
    h.eq(doc["feed"]["traffic_kind"], "views", "parse: traffic kind")
    items = doc["items"]
    h.eq(sorted(items[0]), sorted(["title", "url", "summary", "author", "published_at", "updated_at", "traffic",
                                   "traffic_label", "rank", "image", "skip_reason"]), "parse: item keys")
    h.true(items[0]["skip_reason"] and items[0]["rank"] == 1, f"parse: Main_Page is skipped with why: {items[0]}")
    kept = [i["title"] for i in items if i["skip_reason"] is None]
    h.true("Spider-Man: Brand New Day" in kept, f"parse: articles are kept: {kept}")
    h.expect_exit(h.trendctl("--config", cfg, "parse", DATA / "hn_topstories.json", "--type", "rss"), 1,
                  "parse: a document the parser refuses")


# ---- 2. and 3. stories across sources ----------------------------------------------------------
RULES = """
[[rule]]
name = "trending"
sources = ["google-trends-rss"]
min_traffic = 10000
min_sources = {min_sources}
"""


def corroboration(work: h.WorkDir) -> None:
    h.log("== a story told by four source types: one spike, one draft citing the HN discussion")
    yesterday = datetime.now(timezone.utc) - timedelta(days=1)
    with h.FeedServer() as srv:
        srv.write("trends.xml", trends([
            ("openai amazon", "50000+", [("OpenAI and Amazon sign $38 billion cloud deal",
                                          "https://news.example/openai-amazon")]),
            ("weather tomorrow", "20000+", [])]))
        srv.write("news.xml", rss([("Markets close higher", "https://news.example/markets"),
                                   ("OpenAI signs $38bn deal with Amazon Web Services",
                                    "https://news.example/openai-aws")]))
        srv.write("hn.json", hn_algolia([
            ("OpenAI and Amazon announce strategic partnership", "https://aws.example/openai",
             812, 431, "45775887"),
            ("A database in 100 lines", "https://db.example/", 300, 80, "45775000")]))
        put(srv, "wiki/" + day_path(yesterday),
            wiki_top(yesterday, [("OpenAI_Amazon_deal", 250000), ("Zohran_Mamdani", 120000)]))
        cfg = h.write_config(work / "story" / "trendd.toml", [
            h.feed("trends", srv.feed_url("trends.xml"), geo="US"),
            h.feed("news", srv.feed_url("news.xml"), type="rss"),
            h.feed("hn", srv.feed_url("hn.json"), type="hacker-news"),
            h.feed("wiki", srv.url("/feed/wiki/{yesterday}"), type="wikipedia-top"),
        ], extra_toml=RULES.format(min_sources=1), daemon={"control_socket": str(work / "story.sock")})
        once(cfg, "trendd --once, corroboration")
    con = h.db(cfg.parent / "trendd.db")
    spikes = h.rows(con, "SELECT * FROM v_spikes ORDER BY spike_id")
    h.eq([s["term"] for s in spikes], ["openai amazon", "weather tomorrow"], "spikes")
    s = spikes[0]
    h.eq(s["source_count"], 4, f"sources of the story ({s['sources']})")
    h.eq(s["sources"], "google-trends+hackernews+news+wikipedia (4)", "sources")
    h.eq(spikes[1]["source_count"], 1, "the weather is told by Trends only")
    h.true(s["draft_status"] in ("draft", "needs_review"), f"the story's draft is written: {s['draft_status']}")
    cp = h.trendctl("--config", cfg, "--json", "spikes", "--since", "all")
    h.expect_exit(cp, 0, "trendctl spikes")
    rows = json.loads(cp.stdout)
    h.eq(sorted((r["term"], r["source_count"]) for r in rows),
         [("openai amazon", 4), ("weather tomorrow", 1)], "trendctl --json spikes: source_count")
    cp = h.trendctl("--config", cfg, "spikes", "--since", "all")
    h.true("google-trends+hackernews+news+wikipedia" in cp.stdout, f"spikes table shows sources:\n{cp.stdout}")
    by_platform = {r["platform"]: r for r in h.rows(
        con, "SELECT * FROM v_story_sources WHERE story_id = ?", s["story_id"])}
    h.eq(sorted(by_platform), ["google-trends", "hackernews", "news", "wikipedia"], "v_story_sources")
    h.eq(by_platform["hackernews"]["url"], "https://news.ycombinator.com/item?id=45775887",
         "the HN signal's link is the discussion")
    draft = Path(h.scalar(con, "SELECT path FROM drafts WHERE spike_id = ?", s["spike_id"]))
    text = draft.read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0]
    h.true("https://news.ycombinator.com/item?id=45775887" in front and 'platform: "hackernews"' in front,
           f"the draft cites the HN discussion with its platform:\n{front}")
    h.true("812" in front and "431" in front, "the discussion's points and comments")


def held_back(work: h.WorkDir) -> None:
    h.log("== min_sources = 2 holds a single-source spike back until a second source agrees")
    with h.FeedServer() as srv:
        srv.write("trends.xml", trends([("zyxwv quasar", "50000+", [])]))
        srv.write("hn.json", hn_algolia([("A database in 100 lines", "https://db.example/", 300, 80, "1")]))
        cfg = h.write_config(work / "held" / "trendd.toml", [
            h.feed("trends", srv.feed_url("trends.xml"), geo="US"),
            h.feed("hn", srv.feed_url("hn.json"), type="hacker-news"),
        ], extra_toml=RULES.format(min_sources=2), daemon={"control_socket": str(work / "held.sock")})
        once(cfg, "trendd --once, one source")
        con = h.db(cfg.parent / "trendd.db")
        spikes = h.rows(con, "SELECT * FROM v_spikes")
        h.eq(len(spikes), 1, "one spike")
        h.true(spikes[0]["held"], f"its draft is held back: {dict(spikes[0])}")
        h.eq(h.scalar(con, "SELECT count(*) FROM drafts"), 0, "no draft job")
        con.close()
        srv.write("hn.json", hn_algolia([("Zyxwv Quasar discovered by amateur astronomers",
                                          "https://sky.example/", 500, 120, "2")]))
        once(cfg, "trendd --once, a second source")
    con = h.db(cfg.parent / "trendd.db")
    spikes = h.rows(con, "SELECT * FROM v_spikes")
    h.eq(len(spikes), 1, "still one spike")
    h.eq(spikes[0]["source_count"], 2, "corroborated by two source types")
    h.true(spikes[0]["draft_status"] in ("draft", "needs_review"), f"the draft is written once corroborated: {dict(spikes[0])}")


# ---- 4. source health --------------------------------------------------------------------------
def health(work: h.WorkDir) -> None:
    h.log("== source health: no items, frozen, schema drift; one warning per episode")
    with h.FeedServer() as srv:
        srv.write("frozen.json", hn_algolia([("Same story", "https://a.example/", 10, 1, "1")]))
        srv.write("empty.xml", rss([]))
        news = [("Headline", "https://n.example/1")]
        cfg = h.write_config(work / "health" / "trendd.toml", [
            h.feed("frozen", srv.feed_url("frozen.json"), type="hacker-news", interval="1s",
                   frozen_after="2s"),
            h.feed("empty", srv.feed_url("empty.xml"), type="rss", interval="1s"),
            h.feed("drift", srv.feed_url("drift.xml"), geo="US", interval="1s"),
        ], daemon={"control_socket": str(work / "health.sock")})
        logs = []
        for i in range(4):
            srv.write("drift.xml", trends([(f"term {i}", "2000+", news)]))
            logs.append(once(cfg, f"trendd --once, health run {i + 1}"))
            time.sleep(1.1)
        srv.write("drift.xml", trends([("term x", "2000+", [])]))
        logs.append(once(cfg, "trendd --once, health: news items gone"))
        log = "\n".join(logs)
        con = h.db(cfg.parent / "trendd.db")
        problems = {r["feed"]: r["health"] or "" for r in h.rows(con, "SELECT feed, health FROM v_feed_health")}
        con.close()
        c = h.Checker("health")
        c.true("no items" in problems["empty"], f"empty: {problems['empty']!r}")
        c.true("the same content since" in problems["frozen"], f"frozen: {problems['frozen']!r}")
        c.true("no longer have news" in problems["drift"], f"drift: {problems['drift']!r}")
        warnings = [l for l in log.splitlines() if "health" in l and ("no items" in l or "same content" in l
                                                                      or "schema drift" in l)]
        for feed in ("empty", "frozen", "drift"):
            n = sum(1 for l in warnings if f"{feed}:" in l)
            c.eq(n, 1, f"{feed}: one warning per episode ({warnings})")
        c.done()

        daemon = h.Daemon(cfg, work, name="health-daemon").start()
        try:
            def degraded() -> bool:
                code, st = h.status_json(cfg)
                reasons = ((st.get("daemon") or {}).get("status") or {}).get("degraded_reasons") or []
                text = "\n".join(reasons)
                return code == 1 and all(p in text for p in (
                    "feed drift: schema drift: its items no longer have news",
                    "feed empty: no items", "feed frozen: the same content since"))
            h.wait_until(degraded, 30, "trendctl status to list the three health problems", interval=0.5)
        finally:
            daemon.terminate()


def test(work: h.WorkDir) -> None:
    all_types(work)
    corroboration(work)
    held_back(work)
    health(work)


if __name__ == "__main__":
    h.main(test)
