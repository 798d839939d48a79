#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One story, one draft, revised: `trendd --once` twice on the same database against a loopback
feed whose news items link to real article pages (tests/data/articles/).

1. The first poll: the term's draft is written (revision 1) from the pages that are on the
   story; an item whose title, snippet and page name nothing of the term (an Xbox review) is
   left out of the sources and listed by `trendctl show` as dropped.
2. The second poll carries two more items on the story, with pages: once both are read the
   draft is revised while its spike is open: the same row and file, `revision: 2`, an Update
   paragraph naming the new sources; revision 1 stays in draft_revisions and `trendctl show`
   lists it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402
from it_enrich import Server, config  # noqa: E402

# (page under tests/data/articles, the news item's title as the feed gives it, its outlet)
FIRST = [("bbc-1", "Obama admits US gun laws are his 'biggest frustration'", "BBC News"),
         # No "Obama" in the title: the page's text names him.
         ("nytimes-1", "United States to Lift Sudan Sanctions", "The New York Times"),
         ("engadget", "Xbox One X review: A console that keeps up with gaming PCs", "Engadget")]
LATER = [("quanta-1", "Obama-era award winners: the hidden heroines of chaos",
          "Quanta Magazine"),
         ("salon-1", "Obama's sharing economy: Uber, Ayn Rand and the libertarians", "Salon")]


def feed(srv: Server, items: list[tuple[str, str, str]]) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss xmlns:ht="https://trends.google.com/trending/rss" version="2.0"><channel>',
           "<title>Daily Search Trends</title>",
           "<item><title>Obama</title><ht:approx_traffic>50,000+</ht:approx_traffic>"]
    for page, title, outlet in items:
        out.append(f"<ht:news_item><ht:news_item_title>{title}</ht:news_item_title>"
                   f"<ht:news_item_url>{srv.url('/a/' + page)}</ht:news_item_url>"
                   f"<ht:news_item_source>{outlet}</ht:news_item_source></ht:news_item>")
    out += ["</item>", "</channel></rss>"]
    return "\n".join(out).encode()


def front_matter(markdown: str) -> str:
    return markdown.split("\n---\n", 1)[0]


def test(work: h.WorkDir) -> None:
    srv = Server()
    try:
        cfg = config(work, "revisions", srv, allow_private=True)
        con_path = cfg.parent / "trendd.db"

        h.log("== 1. the first poll: revision 1, the off-topic item dropped")
        srv.feed = feed(srv, FIRST)
        cp = h.trendd("--once", "--config", cfg, timeout=120)
        h.expect_exit(cp, 0, "trendd --once (first poll)")
        con = h.db(con_path)
        c = h.Checker("revision 1")
        drafts = h.rows(con, "SELECT * FROM drafts")
        c.eq(len(drafts), 1, "one draft")
        first = drafts[0] if drafts else {}
        c.eq(first.get("revision"), 1, "revision of the first draft")
        c.true(first.get("status") in ("draft", "needs_review"), f"written: {first.get('status')}")
        path = Path(first.get("path") or "/nonexistent")
        text1 = path.read_text(encoding="utf-8") if path.exists() else ""
        c.true("revision:" not in front_matter(text1), "no revision: key in revision 1")
        c.true("/a/engadget" not in text1, "the off-topic item is not a source")
        c.true("/a/nytimes-1" in text1, "the item whose page names the term is a source")
        c.eq(json.loads(first.get("source_urls") or "null"),
             [srv.url("/a/bbc-1"), srv.url("/a/nytimes-1")], "source_urls: the on-topic items")
        con.close()
        c.done()

        h.log("== 2. the second poll: two new pages, revision 2 of the same draft")
        srv.feed = feed(srv, FIRST + LATER)
        cp = h.trendd("--once", "--config", cfg, timeout=120)
        h.expect_exit(cp, 0, "trendd --once (second poll)")
        con = h.db(con_path)
        c = h.Checker("revision 2")
        c.true("revision 2 queued" in cp.stderr, f"the revision is logged\n{h.describe(cp)}")
        drafts = h.rows(con, "SELECT * FROM drafts")
        c.eq(len(drafts), 1, "still one draft")
        second = drafts[0] if drafts else {}
        c.eq((second.get("id"), second.get("slug"), second.get("path")),
             (first.get("id"), first.get("slug"), first.get("path")), "the same row, slug and file")
        c.eq(second.get("revision"), 2, "revision")
        c.true(second.get("status") in ("draft", "needs_review"),
               f"written: {second.get('status')} {second.get('last_error')}")
        text2 = path.read_text(encoding="utf-8") if path.exists() else ""
        c.true("\nrevision: 2\n" in front_matter(text2), "revision: 2 in the front matter")
        update = [p for p in text2.split("\n\n") if p.startswith("**Update:**")]
        c.eq(len(update), 1, "one Update paragraph")
        c.true(update and "Quanta Magazine [" in update[0] and "Salon [" in update[0],
               f"the Update names the new sources: {update}")
        c.true("/a/quanta-1" in text2 and "/a/salon-1" in text2, "the new pages are sources")
        c.true("/a/engadget" not in text2, "the off-topic item is still not a source")
        kept = h.rows(con, "SELECT * FROM draft_revisions")
        c.eq([(r["draft_id"], r["revision"]) for r in kept], [(first.get("id"), 1)],
             "revision 1 is kept")
        c.eq(kept[0]["markdown"] if kept else None, text1, "revision 1 as it was written")
        c.eq(sorted(json.loads(kept[0]["new_urls"]) if kept else []),
             sorted(srv.url("/a/" + p) for p, _, _ in LATER), "the new pages that caused it")

        cp = h.trendctl("--config", cfg, "show", str(first.get("id")))
        h.expect_exit(cp, 0, "trendctl show")
        c.eq(cp.stdout, text2, "show prints the file")
        c.true(f"Dropped (off-topic): {FIRST[2][1]} \u2014 {srv.url('/a/engadget')}" in cp.stderr,
               f"show lists the dropped item\n{h.describe(cp)}")
        c.true("revision 1: " in cp.stderr, f"show lists revision 1\n{h.describe(cp)}")
        cp = h.trendctl("--config", cfg, "--json", "show", str(first.get("id")))
        h.expect_exit(cp, 0, "trendctl --json show")
        doc = json.loads(cp.stdout or "{}")
        c.eq(doc.get("revision"), 2, "--json revision")
        c.eq([r.get("revision") for r in doc.get("revisions", [])], [1], "--json revisions")
        c.eq([d.get("url") for d in doc.get("dropped", [])], [srv.url("/a/engadget")],
             "--json dropped")
        c.eq(doc.get("markdown"), text2, "--json markdown")
        c.done()
    finally:
        srv.close()


if __name__ == "__main__":
    h.main(test)
