#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""docs/analytics.md, proven: every ```sql block of the analyst's guide runs on real databases.

1. Builds the databases the way a user would:
   - `trendd --once` with a config polling the five bundled real samples (examples/feeds/*.xml)
     through file:// URLs, plus one feed whose file is missing (so the failure queries have a
     failure to find), and a rule `min_traffic = 5000` (action draft) -> trendd.db;
   - `trendctl backtest --observations` of the two recorded Taiwan weeks
     (examples/series/google-trends-tw-2025-11-01_2025-11-15.jsonl.gz) with the TW rules of
     examples/demo.toml.in, drafting into a directory -> replay.db.
2. Extracts every ```sql block of docs/analytics.md and runs each statement against both
   databases, opened read-only with Python's sqlite3, as an analyst would. A block that errors on
   either database fails the test, naming the block (line and heading) and the error.
3. A block whose text holds the comment `-- expect: rows` must return at least one row on at
   least one of the two databases (the guide's examples use both: live samples and replay).

Python 3 stdlib only. Exit 0 pass, 1 fail, 125 skip (binaries not given: not run via CTest).
"""

from __future__ import annotations

import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

SERIES = "examples/series/google-trends-tw-2025-11-01_2025-11-15.jsonl.gz"
EXPECT_ROWS = re.compile(r"--\s*expect:\s*rows\b", re.IGNORECASE)
MIN_BLOCKS = 8  # the guide promises at least eight ready-to-run queries

# The Taiwan rules of examples/demo.toml.in (the demo's replay).
TW_RULES = """
[[rule]]
name = "tw-top"
geo = ["TW"]
min_traffic = 5000
growth = 10.0
window = "7d"
cooldown = "3d"
resolve_after = "6h"
action = "draft"

[[rule]]
name = "tw-rising"
geo = ["TW"]
min_traffic = 2000
growth = 10.0
window = "7d"
cooldown = "3d"
action = "record"
"""

LIVE_RULE = """
[[rule]]
name = "buzz-5k"
min_traffic = 5000
cooldown = "24h"
action = "draft"
"""


@dataclass
class Block:
    line: int       # line of the opening ```sql fence in the Markdown file
    heading: str    # the nearest heading above it: the question the block answers
    sql: str

    @property
    def name(self) -> str:
        where = f"docs/analytics.md:{self.line}"
        return f"{where} ({self.heading[:90]})" if self.heading else where

    @property
    def expects_rows(self) -> bool:
        return bool(EXPECT_ROWS.search(self.sql))


def sql_blocks(markdown: str) -> list[Block]:
    """Every fenced block opened with ```sql (any indentation of the fence, closed by ```)."""
    blocks: list[Block] = []
    heading = ""
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped.startswith("```"):
            lang = stripped[3:].strip().lower()
            start = i
            body: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                body.append(lines[i])
                i += 1
            if i >= len(lines):
                h.fail(f"docs/analytics.md:{start + 1}: code block never closed")
            if lang == "sql":
                blocks.append(Block(start + 1, heading, "\n".join(body)))
            i += 1
            continue
        if stripped.startswith("#"):
            heading = stripped.lstrip("#").strip()
        i += 1
    return blocks


def statements(sql: str) -> list[str]:
    """Splits a block into complete SQL statements (sqlite3.complete_statement decides)."""
    out: list[str] = []
    current = ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    rest = current.strip()
    if rest and any(not ln.strip().startswith("--") for ln in rest.splitlines() if ln.strip()):
        out.append(rest)  # an unterminated last statement still runs (and must be valid)
    return out


def build_live(work: h.WorkDir, root: Path) -> Path:
    samples = sorted((root / "examples" / "feeds").glob("*.xml"))
    if len(samples) < 5:
        h.fail(f"expected the five bundled samples in examples/feeds, found {len(samples)}")
    feeds = []
    for p in samples:
        m = re.search(r"-([A-Z]{2})-\d{4}-\d{2}-\d{2}\.xml$", p.name)
        if not m:
            h.fail(f"cannot tell the geo of sample {p.name}")
        feeds.append(h.feed(p.stem, p.resolve().as_uri(), geo=m.group(1)))
    missing = work.path / "no-such-feed.xml"
    feeds.append(h.feed("missing-feed", missing.as_uri(), geo="XX"))
    cfg = h.write_config(work / "live.toml", feeds, extra_toml=LIVE_RULE,
                         database=work / "trendd.db", drafts_dir=work / "drafts",
                         daemon={"control_socket": str(work / "trendd.sock")})
    h.expect_exit(h.trendd("--check-config", "--config", cfg), 0, "trendd --check-config")
    cp = h.trendd("--once", "--config", cfg)
    h.expect_exit(cp, 0, "trendd --once")
    return work / "trendd.db"


def build_replay(work: h.WorkDir, root: Path) -> Path:
    series = root / SERIES
    if not series.is_file():
        h.fail(f"recorded series missing: {series}")
    cfg = h.write_config(work / "replay.toml", [], extra_toml=TW_RULES,
                         database=work / "replay-config.db", drafts_dir=work / "drafts-unused")
    db = work / "replay.db"
    cp = h.trendctl("--config", cfg, "backtest", "--observations", series, "--db", db,
                    "--drafts", work / "drafts-tw", timeout=180)
    h.expect_exit(cp, 0, "trendctl backtest")
    return db


def test(work: h.WorkDir) -> None:
    h.trendd_bin()
    h.trendctl_bin()
    root = h.source_dir()
    doc = root / "docs" / "analytics.md"
    if not doc.is_file():
        h.fail(f"{doc} is missing")
    blocks = sql_blocks(doc.read_text(encoding="utf-8"))
    h.true(len(blocks) >= MIN_BLOCKS,
           f"docs/analytics.md has {len(blocks)} ```sql blocks, fewer than the {MIN_BLOCKS} it promises")
    h.true(any(b.expects_rows for b in blocks), "no ```sql block is marked '-- expect: rows'")

    dbs = {"trendd.db (trendd --once)": build_live(work, root),
           "replay.db (trendctl backtest)": build_replay(work, root)}
    cons = {name: h.db(path) for name, path in dbs.items()}
    for name, con in cons.items():
        h.check_integrity(con)
        for table in ("observations", "spikes", "drafts"):
            h.true(h.scalar(con, f"SELECT count(*) FROM {table}") > 0,
                   f"{name}: the fixture database has no {table}: nothing would be tested")

    c = h.Checker("docs/analytics.md")
    for b in blocks:
        stmts = statements(b.sql)
        if not stmts:
            c.add(f"{b.name}: the block holds no SQL statement")
            continue
        rows_by_db: dict[str, int] = {}
        errored = False
        for db_name, con in cons.items():
            n = 0
            for s in stmts:
                try:
                    n += len(con.execute(s).fetchall())
                except sqlite3.Error as e:
                    errored = True
                    c.add(f"{b.name} fails on {db_name}: {type(e).__name__}: {e}\n"
                          f"      statement: {' '.join(s.split())[:300]}")
                    break
            rows_by_db[db_name] = n
        counts = ", ".join(f"{k.split()[0]} {v}" for k, v in rows_by_db.items())
        mark = " [expect: rows]" if b.expects_rows else ""
        h.log(f"  {b.name}: {counts} rows{mark}")
        if b.expects_rows and not errored and not any(rows_by_db.values()):
            c.add(f"{b.name} is marked '-- expect: rows' but returned no row on either database")
    for con in cons.values():
        con.close()
    c.done()
    h.log(f"{len(blocks)} SQL blocks ran on both databases; "
          f"{sum(b.expects_rows for b in blocks)} returned the rows they promise")


if __name__ == "__main__":
    h.main(test)
