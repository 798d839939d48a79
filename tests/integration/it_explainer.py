#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The built-in drafter's explainer, end to end: a Google Trends feed on 127.0.0.1 whose news
items link to real article pages (tests/data/articles/: BBC, The New York Times, The Washington
Post), `trendd --once` with [enrich] reading them, then the draft file is checked as an editor
would: the sources' headline, an attributed and cited lead, three or more cited facts, quotes
verbatim from the page texts with their speakers, `unverified: []`, 400+ words, `draft: true`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402
from it_enrich import Server  # noqa: E402  (the feed and tests/data/articles on loopback)

# (page, headline as the feed gives it, outlet): all three name Obama.
PAGES = [
    ("bbc-1", "Obama admits US gun laws are his 'biggest frustration'", "BBC News"),
    ("nytimes-1", "United States to Lift Sudan Sanctions", "The New York Times"),
    ("wapo-1", "Attack stokes instability fears in North Africa", "The Washington Post"),
]


def rss(srv: Server) -> bytes:
    items = "".join(
        f"<ht:news_item><ht:news_item_title>{title}</ht:news_item_title>"
        f"<ht:news_item_url>{srv.url('/a/' + name)}</ht:news_item_url>"
        f"<ht:news_item_source>{outlet}</ht:news_item_source></ht:news_item>"
        for name, title, outlet in PAGES)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss xmlns:ht="https://trends.google.com/trending/rss" version="2.0"><channel>'
            "<title>Daily Search Trends</title>"
            "<item><title>obama</title><ht:approx_traffic>20,000+</ht:approx_traffic>"
            "<pubDate>Thu, 1 Oct 2026 09:20:00 -0700</pubDate>"
            f"{items}</item></channel></rss>").encode()


CONFIG = """
[[rule]]
name = "buzz"
min_traffic = 20000
action = "draft"

[enrich]
enabled = true
per_host_spacing = "1s"
timeout = "5s"
allow_private_addresses = true
"""


def page_texts(con) -> str:
    return "\n\n".join(r["text"] for r in h.rows(con, "SELECT text FROM page_texts"))


def unescape(md: str) -> str:
    """What a reader sees of escaped Markdown text (markdown::unescape)."""
    md = re.sub(r"\\(.)", r"\1", md)
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&amp;", "&")):
        md = md.replace(a, b)
    return md


def section(body: str, heading: str) -> str:
    m = re.search(r"^## " + re.escape(heading) + r"\n(.*?)(?=^## |\Z)", body, re.S | re.M)
    return m.group(1) if m else ""


def test(work: h.WorkDir) -> None:
    srv = Server()
    srv.feed = rss(srv)
    try:
        d = work.mkdir("explainer")
        cfg = h.write_config(d / "trendd.toml", [h.feed("us", srv.url("/feed.xml"), "US")],
                             CONFIG, daemon={"contact": "mailto:ops@example.org",
                                             "control_socket": str(d / "trendd.sock")})
        h.expect_exit(h.trendd("--once", "--config", cfg, timeout=180), 0, "trendd --once")
    finally:
        srv.close()
    con = h.db(d / "trendd.db")
    c = h.Checker("explainer")
    c.eq(h.scalar(con, "SELECT count(*) FROM page_texts"), 3, "three pages read")
    files = sorted((d / "drafts").glob("*.md"))
    c.eq(len(files), 1, "one draft file")
    if not files:
        c.done()
        return
    text = files[0].read_text(encoding="utf-8")
    h.log("   the draft:\n" + text)
    front, body = text.split("\n---\n", 1) if text.startswith("---\n") else ("", text)
    pages = page_texts(con)

    c.true(re.search(r"^draft: true$", front, re.M) is not None,
           "draft: true (Hugo does not publish it)")
    c.true(re.search(r"^unverified: \[\]$", front, re.M) is not None, "unverified: []")
    c.true(re.search(r'^status: "?draft"?$', front, re.M) is not None, "status: draft")
    c.true(any(f"title: \"{t}\"" in front or f"title: '{t}'" in front or f"title: {t}" in front
               for _, t, _ in PAGES), "the title is a source's headline")
    words = len(body.split())
    c.true(400 <= words <= 1200, f"400 to 1,200 words ({words})")

    lead = body.strip().split("\n\n", 1)[0]
    c.true(re.search(r", (BBC News|The New York Times|The Washington Post) reported \[[123]\]\.",
                     lead) is not None, f"the lead is attributed and cited: {lead!r}")
    sentence = unescape(lead.split(" reported [", 1)[0].rsplit(", ", 1)[0])
    c.true(sentence in pages, f"the lead's sentence is a page's, verbatim: {sentence!r}")

    facts = [l for l in section(body, "What happened").splitlines() if l.startswith("- ")]
    c.true(len(facts) >= 3, f"three or more facts ({len(facts)})")
    for f in facts:
        c.true(re.search(r"\[[0-9]+\]\.?\)?$", f) is not None, f"fact cited: {f!r}")

    quotes = [l for l in section(body, "Who said what").splitlines() if l.startswith("- ")]
    c.true(len(quotes) >= 2, f"quotes ({len(quotes)})")
    named = 0
    for q in quotes:
        m = re.match(r"- “(.*?)” — (.*) \[[0-9]+\]$", unescape(q))
        if not c.true(m is not None, f"quote line shape: {q!r}"):
            continue
        c.true(m.group(1) in pages, f"quoted verbatim from a page: {m.group(1)!r}")
        if not m.group(2).startswith("quoted by "):
            named += 1
            speaker = m.group(2).split(", quoted by ")[0].split(",")[0]
            c.true(speaker in pages, f"the speaker is named in the page: {speaker!r}")
    c.true(named >= 1, f"quotes with speakers ({named})")
    for word in ("rule", "threshold", "What to watch", "Why it is trending now"):
        c.true(word not in body, f"no {word!r} in the reader copy")
    c.eq(h.scalar(con, "SELECT unverified FROM drafts"), "[]", "nothing unverified in the store")

    # The evidence ledger: the facts traced to sentences of the stored page texts, at offsets.
    cp = h.trendctl("--config", str(cfg), "--json", "show", "1")
    if c.eq(cp.returncode, 0, f"trendctl --json show 1\n{h.describe(cp)}"):
        ledger = json.loads(cp.stdout)["evidence"]
        c.true(all(e["status"] == "traced" for e in ledger), "every ledger row is traced")
        in_pages = 0
        for e in ledger:
            if e["origin"] != "source" or e["page_text_id"] is None:
                continue
            stored = h.scalar(con, "SELECT text FROM page_texts WHERE id = ?", e["page_text_id"])
            raw, sentence = stored.encode(), e["sentence"].encode()  # offsets count bytes
            at = raw[e["offset"]:e["offset"] + len(sentence)].decode(errors="replace")
            c.eq(at, e["sentence"], f"the ledger's offset points at its sentence ({e['claim']})")
            in_pages += 1
        c.true(in_pages >= 3, f"three or more claims traced into page texts ({in_pages})")
    cp = h.trendctl("--config", str(cfg), "show", "1", "--evidence")
    c.true(cp.returncode == 0 and "traced" in cp.stdout, f"show --evidence\n{h.describe(cp)}")
    c.done()


if __name__ == "__main__":
    h.main(test)
