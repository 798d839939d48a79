#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every query of docs/analytics.md, timed on a year of data.

    bench/queries.py [--build DIR] [--series FILE] [--db FILE] [--doc FILE] [--runs 3] [--keep]

Replays the 13-month Taiwan history (examples/series/google-trends-tw-2025-07-03_2026-08-22
.jsonl.gz, 242,496 observations) with the Taiwan rules of examples/demo.toml.in through
`trendctl backtest --db` (or takes an existing database with --db), then runs every ```sql
block of docs/analytics.md on it, read-only through Python's sqlite3 as an analyst would, --runs
times each, and prints the median CPU time (and wall time) of each block and its row count,
the slowest first, marked against the target of 100 ms. CPU time is the figure to compare: on
a shared machine other processes stretch wall time (SQLite runs in this process). --doc FILE
times the blocks of another copy of the page (e.g. `git show main:docs/analytics.md`).
Exit 0 when all blocks ran (whatever the times).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import benchlib as b  # noqa: E402
from it_analytics import TW_RULES, sql_blocks, statements  # noqa: E402

TARGET_MS = 100
SERIES = b.REPO / "examples" / "series" / "google-trends-tw-2025-07-03_2026-08-22.jsonl.gz"


def build_db(trendctl: Path, series: Path, work: Path) -> Path:
    cfg = work / "trendd.toml"
    cfg.write_text(f'[daemon]\ndatabase = "{work / "unused.db"}"\nlog_level = "warning"\n'
                   + TW_RULES, encoding="utf-8")
    db = work / "year.db"
    r = b.run([trendctl, "--config", cfg, "backtest", "--observations", series, "--db", db])
    print(f"replayed {series.name} into {db.name} in {r.wall:.1f} s")
    return db


def measure(args: argparse.Namespace, work: Path) -> None:
    db = args.db or build_db(b.binary(args.build, "trendctl"), args.series, work)
    blocks = sql_blocks(args.doc.read_text(encoding="utf-8"))
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    n_obs = con.execute("SELECT count(*) FROM observations").fetchone()[0]
    print(f"{len(blocks)} blocks of {args.doc.name} on {n_obs} observations, "
          f"median of {args.runs} runs, load average {b.load_average()}")
    results = []
    for block in blocks:
        cpu, wall, rows = [], [], 0
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            rows = 0
            for stmt in statements(block.sql):
                rows += len(con.execute(stmt).fetchall())
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - t0)
        results.append((b.median(cpu) * 1000, b.median(wall) * 1000, rows, block))
    con.close()
    print("  CPU ms  (wall ms)    rows  block")
    for ms, wall_ms, rows, block in sorted(results, key=lambda r: -r[0]):
        mark = "ok  " if ms < TARGET_MS else "SLOW"
        print(f"  {mark} {ms:7.1f} ({wall_ms:7.1f}) {rows:6}  line {block.line}: "
              f"{block.heading[:56]}")
    slow = sum(1 for r in results if r[0] >= TARGET_MS)
    print(f"  slowest {max(r[0] for r in results):.1f} ms CPU; {slow} of {len(results)} at "
          f"or over the {TARGET_MS} ms target", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", type=Path, default=b.DEFAULT_BUILD,
                    help="build directory holding daemon/trendctl (default build-bench)")
    ap.add_argument("--series", type=Path, default=SERIES)
    ap.add_argument("--db", type=Path, help="time the queries on this database instead")
    ap.add_argument("--doc", type=Path, default=b.REPO / "docs" / "analytics.md")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    return b.in_workdir("queries.py", args.keep, lambda work: measure(args, work), (sqlite3.Error,))


if __name__ == "__main__":
    sys.exit(main())
