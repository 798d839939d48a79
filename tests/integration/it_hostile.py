#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile feeds, end to end: the real `trendd --once` reads a file:// feed whose items carry
what an attacker would put in a term or a news item, drafts them with the built-in drafter, and
nothing reaches the editor's page as markup:

  - raw HTML in terms and headlines (in CDATA): no tag in any draft, title, heading or body,
    nor in the drafts that mention it as a related search;
  - a news URL smuggling a second link, `https://x.example/a)[evil](javascript:alert(7)`: stays
    one encoded https link; no link anywhere goes to anything but http(s);
  - two 10,000-character terms sharing a prefix: two terms in the database, two drafts;
  - an RTL override in a term: `trendctl spikes` shows it as \\u202E;
  - a rule `re:^(a+)+$` and a 28-letter term: the run finishes (std::regex took ~18 s), and
    `--check-config` refuses a backreference with FILE:LINE and exit 78.
"""
from __future__ import annotations

import re
import sys

sys.dont_write_bytecode = True
import harness as h  # noqa: E402

SMUGGLED = "https://x.example/a)[evil](javascript:alert(7)"
LONG = "x" * 10000
RTL = "evil\u202Etxt.exe"
REDOS = "a" * 28


def cdata(s: str) -> str:
    return "<![CDATA[" + s + "]]>"


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def news(title: str, url: str, source: str, snippet: str = "") -> str:
    return ("<ht:news_item><ht:news_item_title>" + title + "</ht:news_item_title>"
            "<ht:news_item_snippet>" + snippet + "</ht:news_item_snippet>"
            "<ht:news_item_url>" + url + "</ht:news_item_url>"
            "<ht:news_item_source>" + source + "</ht:news_item_source></ht:news_item>")


def item(title: str, traffic: str, rest: str = "") -> str:
    return ("<item><title>" + title + "</title><ht:approx_traffic>" + traffic + "</ht:approx_traffic>"
            "<pubDate>Thu, 1 Oct 2026 09:20:00 -0700</pubDate>" + rest + "</item>")


def feed_document() -> str:
    shared = news(cdata("<img src=x onerror=alert(2)> wins [vote](javascript:alert(3))"), esc(SMUGGLED),
                  cdata("<b>The Times</b> [x](javascript:alert(8))"),
                  cdata("<script>alert(9)</script> ![p](data:image/png;base64,AAAA) `code`"))
    items = [
        item(cdata("<script>alert(1)</script> election"), "50,000+", shared),
        item(cdata("Evil [click](javascript:alert(4)) <svg onload=alert(5)>"), "20,000+",
             shared + news("Second story", "javascript:alert(6)", "Reuters")),
        item(LONG + " one", "20,000+"),
        item(LONG + " two", "20,000+"),
        item(esc(RTL), "20,000+"),
        item(REDOS, "20,000+"),
    ]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss xmlns:ht="https://trends.google.com/trending/rss"'
            ' version="2.0"><channel><title>Daily Search Trends</title>'
            "<link>https://trends.google.com/trending/rss?geo=US</link>" + "".join(items) + "</channel></rss>")


RULES = """
[[rule]]
name = "buzz"
min_traffic = 20000
action = "draft"

[[rule]]
name = "redos"
match = ["re:^(a+)+$"]
min_traffic = 1
action = "record"
"""

SAFE_DEST = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+\)")


def escaped(s: str, k: int) -> bool:
    n = 0
    while k - n - 1 >= 0 and s[k - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def unsafe_markup(md: str) -> str | None:
    """What in Markdown could become a tag or a link to anything but http(s) (stricter than
    any renderer; the same reading as tests/fuzz/markdown_check.hpp)."""
    if "<" in md:
        i = md.index("<")
        return f"raw '<': {md[max(0, i - 40):i + 40]!r}"
    for m in re.finditer(r"\]\(", md):
        if escaped(md, m.start()):
            continue
        rest = md[m.end():].lstrip(" \t\n")
        if not SAFE_DEST.match(rest):
            return f"link to {rest[:80]!r}"
    for line in md.split("\n"):
        k = len(line) - len(line.lstrip(" \t>-*+0123456789.)"))
        if k < len(line) and line[k] == "[" and not escaped(line, k):
            close = k + 1
            while close < len(line) and line[close] != "]":
                close += 2 if line[close] == "\\" else 1
            if close >= len(line) or line[close + 1:close + 2] == ":":
                return f"reference definition: {line[:80]!r}"
    return None


def split_draft(text: str) -> tuple[str, str]:
    h.true(text.startswith("---\n"), "a draft starts with front matter")
    end = text.index("\n---\n", 4)
    return text[4:end], text[end + 5:]


def test(work: h.WorkDir) -> None:
    feed_file = work / "hostile.xml"
    feed_file.write_text(feed_document(), encoding="utf-8")
    cfg = h.write_config(work / "trendd.toml", [h.feed("us", "file://" + str(feed_file), geo="US")], RULES)
    c = h.Checker()

    cp = h.trendd("--once", "--config", cfg, timeout=120)
    h.expect_exit(cp, 0, "trendd --once on the hostile feed")

    con = h.db(work / "trendd.db")
    terms = [r["display"] for r in h.rows(con, "SELECT display FROM terms ORDER BY id")]
    long_terms = [t for t in terms if t.startswith("xxxx")]
    c.eq(len(long_terms), 2, "the two long terms stay two terms")
    c.true(all(len(t.encode()) <= 300 and "\u2026#" in t for t in long_terms),
           f"long terms are cut and tagged: {[t[-30:] for t in long_terms]}")
    c.true(len(set(long_terms)) == 2, "their stored forms differ")
    c.true(cp.stderr.count("term of 10004 bytes cut to 300") == 2,
           f"the poll logs a warning for each cut term: {cp.stderr[-2000:]!r}")
    c.eq(h.scalar(con, "SELECT count(*) FROM spikes s JOIN terms t ON t.id = s.term_id "
                       "WHERE s.rule = 'redos' AND t.norm = ?", REDOS), 1,
         "the catastrophic-backtracking rule matched the 28-letter term")

    drafts = sorted((work / "drafts").glob("*.md"))
    c.eq(len(drafts), 6, f"one draft per 20,000+ term: {[p.name for p in drafts]}")
    smuggled_seen = related_seen = False
    for path in drafts:
        front, body = split_draft(path.read_text(encoding="utf-8"))
        what = path.name
        problem = unsafe_markup(body)
        c.true(problem is None, f"{what}: {problem}")
        c.true("<" not in front and ">" not in front, f"{what}: front matter without < or >")
        c.true("](" not in front, f"{what}: no Markdown link in front matter (themes may markdownify titles)")
        c.true("\u202E" not in body, f"{what}: no RTL override in the body")
        smuggled_seen |= "(https://x.example/a%29[evil]%28javascript:alert%287%29)" in body
        related_seen |= "Related searches" in body and "&lt;script&gt;" in body
    c.true(smuggled_seen, "the smuggled URL stays one encoded https link")
    c.true(related_seen, "a related search carrying <script> is escaped in the other draft")

    cp = h.trendctl("--config", cfg, "spikes", "--since", "all")
    h.expect_exit(cp, 0, "trendctl spikes")
    c.true("evil\\u202Etxt.exe" in cp.stdout, f"trendctl shows the RTL override as an escape: {cp.stdout[:2000]!r}")
    c.true("\u202E" not in cp.stdout, "trendctl prints no raw RTL override")

    bad = h.write_config(work / "bad.toml", [], '[[rule]]\nname = "r"\nmin_traffic = 1\nmatch = ["re:(a)\\\\1"]\n')
    cp = h.trendd("--check-config", "--config", bad, timeout=30)
    h.expect_exit(cp, h.EX_CONFIG, "--check-config with a backreference")
    c.true(f"{bad}:" in cp.stderr + cp.stdout and "bad regular expression" in cp.stderr + cp.stdout,
           f"the refusal is FILE:LINE: what: {cp.stderr!r}")
    c.done()


if __name__ == "__main__":
    h.main(test)
