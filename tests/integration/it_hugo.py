# SPDX-License-Identifier: MIT
"""Drafts in a static-site CMS: Debian's `hugo` builds a site from the drafts trendd writes.

`trendd --once` polls the real US sample served on 127.0.0.1 (its pubDates moved to 90
minutes ago, so that they are believed: a trend start long before our first observation is
not) and drafts its 5000+ and 10000+ terms, and "petrol station", whose coverage includes
"Channel 4 News | Substack". The drafts' front matter is what docs/drafting.md promises (date when the story
started, draft/published flags, images, sources with author/published_at/platform, numbers one
way, no rule mechanics in the body, no false alarm on "Channel 4 News"). Then a minimal Hugo
site (its own layout, with Hugo's OpenGraph template) is built offline from a copy of the
drafts folder:
  - unreviewed drafts (status draft / needs_review: `draft: true`) are not published;
  - a draft an editor marked reviewed is, its page has the title once (no H1 in the body)
    and its picture reaches og:image;
  - `hugo --buildDrafts` renders every draft.
"""
from __future__ import annotations

import datetime
import email.utils
import html
import re
import shutil
import sys
from pathlib import Path

sys.dont_write_bytecode = True
import harness as h  # noqa: E402

try:
    import yaml
except ImportError:  # Debian's python3-yaml (scripts/packages.txt)
    yaml = None

RULES = """
[[rule]]
name = "buzz-5k"
geo = ["US"]
min_traffic = 5000
cooldown = "24h"
action = "draft"

[[rule]]
name = "watch-1k"
match = ["petrol station"]
min_traffic = 1000
action = "draft"
"""
THRESHOLDS = {"buzz-5k": 5000, "watch-1k": 1000}

HUGO_CONFIG = """baseURL = "https://news.example.org/"
title = "trendd drafts"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""

SINGLE = """<!DOCTYPE html>
<html><head><title>{{ .Title }}</title>
{{ template "_internal/opengraph.html" . }}
</head><body><article><h1>{{ .Title }}</h1>{{ .Content }}</article></body></html>
"""

LIST = """<!DOCTYPE html>
<html><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ end }}</body></html>
"""


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    h.true(text.startswith("---\n"), f"{path.name}: starts with front matter")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end + 1]), text[end + 5:]


def iso(v) -> str:
    return v.strftime("%Y-%m-%dT%H:%M:%SZ") if hasattr(v, "strftime") else str(v)


def check_draft(c: h.Checker, path: Path, fm: dict, body: str, started: str) -> None:
    name = path.name
    c.eq(iso(fm["date"]), started, f"{name}: date is the item's pubDate (when the story started)")
    c.true(name.startswith(started[:10] + "-"), f"{name}: the file name's date agrees with date:")
    c.eq(fm["status"], "draft", f"{name}: status (unverified: {fm.get('unverified')})")
    c.eq(fm["unverified"], [], f"{name}: no false alarm on the sources' own names")
    c.eq((fm["draft"], fm["published"]), (True, False), f"{name}: unreviewed drafts stay unpublished")
    c.eq(fm["images"], [fm["cover"]["image"]], f"{name}: images carries the cover for OpenGraph")
    titles = [s["title"] for s in fm["sources"]]
    c.true(fm["cover"]["alt"] in titles, f"{name}: cover alt is a news item's headline: {fm['cover']}")
    c.true(fm["cover"]["credit"], f"{name}: cover credit")
    for s in fm["sources"]:
        c.eq(sorted(s), ["author", "platform", "published_at", "source", "title", "url"],
             f"{name}: source entry keys")
        c.eq(s["platform"], "news", f"{name}: Google Trends news items are platform news")
    c.eq(fm["trend"]["threshold"], THRESHOLDS.get(fm["trend"]["rule"]), f"{name}: rule and threshold")
    c.true("threshold" in fm["trend"]["reason"], f"{name}: reason in front matter")
    c.true(not re.search(r"(?m)^# ", body), f"{name}: no H1 repeating the title")
    for mechanic in (*THRESHOLDS, "threshold", "fired"):
        c.true(mechanic not in body, f"{name}: no rule mechanics in the body ({mechanic!r})")
    doc = path.read_text(encoding="utf-8")
    c.true(not re.search(r"\b\d{4,}\+", doc), f"{name}: numbers one way (10,000+, never 10000+)")


def og_images(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [html.unescape(m) for m in re.findall(r'<meta property="og:image" content="([^"]*)"', text)]


def test(work: h.WorkDir) -> None:
    hugo = shutil.which("hugo")
    if not hugo:
        h.skip("hugo is not installed (apt-get install hugo; scripts/packages.txt)")
    if yaml is None:
        h.skip("PyYAML is not importable (python3-yaml)")

    drafts = work / "drafts"
    now = datetime.datetime.now(datetime.timezone.utc)
    start = (now - datetime.timedelta(minutes=90)).replace(second=0, microsecond=0)
    feed = h.fixture("google-trends-rss-new-US-2026-10-01.xml").read_text(encoding="utf-8")
    feed = re.sub(r"<pubDate>[^<]*</pubDate>",
                  f"<pubDate>{email.utils.format_datetime(start)}</pubDate>", feed)
    started = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    day = started[:10]
    with h.FeedServer(state_dir=work / "feed-server") as srv:
        srv.write("us.xml", feed.encode("utf-8"))
        cfg = h.write_config(work / "trendd.toml", [h.feed("us", srv.feed_url("us.xml"), geo="US")],
                             RULES, drafts_dir=drafts)
        h.expect_exit(h.trendd("--once", "--config", cfg), 0, "trendd --once")

    files = sorted(p.name for p in drafts.glob("*.md"))
    h.eq(files, [f"{day}-kylie-kelce.md", f"{day}-petrol-station.md", f"{day}-renee-good.md"],
         "drafts written")
    c = h.Checker("drafts")
    parsed = {}
    for name in files:
        fm, body = front_matter(drafts / name)
        parsed[name.removeprefix(day + "-")] = fm
        check_draft(c, drafts / name, fm, body, started)
    renee = parsed["renee-good.md"]
    c.true(any(s["source"] == "Channel 4 News | Substack" for s in parsed["petrol-station.md"]["sources"]),
           "the petrol station draft cites Channel 4 News (the false alarm's case)")
    c.eq(renee["trend"]["traffic_label"], "10,000+", "traffic label grouped")
    c.done()

    # ---- a Hugo site built from the drafts folder -----------------------------------------
    site = work.mkdir("site")
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(LIST, encoding="utf-8")
    (site / "layouts" / "index.html").write_text(LIST, encoding="utf-8")
    posts = site / "content" / "posts"
    shutil.copytree(drafts, posts)
    # An editor reviews a copy: the status and both generators' flags change together.
    text = (drafts / f"{day}-renee-good.md").read_text(encoding="utf-8")
    for old, new in (('slug: "renee-good"', 'slug: "renee-good-reviewed"'),
                     ('status: "draft"', 'status: "reviewed"'),
                     ("draft: true", "draft: false"), ("published: false", "published: true")):
        h.true(f"\n{old}\n" in text, f"the draft has the line {old!r}")
        text = text.replace(f"\n{old}\n", f"\n{new}\n", 1)
    (posts / f"{day}-renee-good-reviewed.md").write_text(text, encoding="utf-8")

    env = {"HUGO_CACHEDIR": str(work.mkdir("hugo-cache")), "HOME": str(work.path)}
    cp = h.run([hugo, "--source", site, "--destination", work / "public"], env=env)
    h.expect_exit(cp, 0, "hugo")
    public = work / "public" / "posts"
    c = h.Checker("hugo")
    rendered = sorted(p.parent.name for p in public.glob("*/index.html"))
    c.eq(rendered, ["renee-good-reviewed"], "only the reviewed draft is published")
    page = public / "renee-good-reviewed" / "index.html"
    if page.is_file():
        c.eq(og_images(page), renee["images"], "images reaches og:image")
        text = page.read_text(encoding="utf-8")
        c.eq(text.count("<h1"), 1, "one H1: the layout's title, none from the body")
        c.true("Key takeaways" in text, "the body rendered")
        published = started.replace("Z", "+00:00")
        c.true(f'property="article:published_time" content="{published}"' in text,
               "the publication time is when the story started")
    c.done()

    cp = h.run([hugo, "--source", site, "--destination", work / "public-drafts", "--buildDrafts"],
               env=env)
    h.expect_exit(cp, 0, "hugo --buildDrafts")
    c = h.Checker("hugo --buildDrafts")
    pages = sorted(p.parent.name for p in (work / "public-drafts" / "posts").glob("*/index.html"))
    c.eq(pages, ["kylie-kelce", "petrol-station", "renee-good", "renee-good-reviewed"],
         "every draft renders")
    for slug in pages:
        p = work / "public-drafts" / "posts" / slug / "index.html"
        fm = parsed.get(f"{slug}.md", renee)
        c.eq(og_images(p), fm["images"], f"{slug}: og:image")
    c.done()


if __name__ == "__main__":
    h.main(test)
