#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Ingest: `trendctl backtest --snapshots` next to the bare C++ reference, in the same run.

    bench/ingest_vs_reference.py [--build DIR] [--docs 2000] [--runs 3] [--keep]

Generates the reference corpus (bench/reference/gen_corpus.py: N Google Trends RSS documents,
20 items and 60 news items each) into a temporary directory, builds the reference
(bench/reference/e2e.cpp: pugixml + SQLite, one transaction per document) with g++ -O2, lays the
same documents out as a snapshot directory (one folder per country, files named by capture
time, one document a minute), then runs the reference and `trendctl backtest --snapshots`
(one rule, action "record") alternately --runs times. Both store every term, observation and
news article. Prints each side's CPU and wall time (medians), documents/s, and the ratio
trendd/reference of throughput (>= 0.90x is the target). The CPU figure is the primary one:
on a shared machine other processes stretch wall time, not CPU time.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as b  # noqa: E402

TARGET = 0.90
CONFIG = """[daemon]
database = "{db}"
log_level = "warning"

[[rule]]
name = "bench-20k"
min_traffic = 20000
cooldown = "24h"
action = "record"
"""


def snapshot_dir(xml: Path, out: Path) -> int:
    """Links every corpus document as OUT/<geo>/<capture time>.xml; returns the count."""
    start = datetime(2025, 11, 3, tzinfo=timezone.utc)
    docs = sorted(xml.glob("*.xml"))
    for i, doc in enumerate(docs):
        m = re.search(rb"geo=([A-Z]{2})", doc.read_bytes()[:2000])
        geo = m.group(1).decode() if m else "XX"
        at = start + timedelta(minutes=i)
        d = out / geo
        d.mkdir(parents=True, exist_ok=True)
        (d / at.strftime("%Y-%m-%dT%H-%M-%SZ.xml")).symlink_to(doc)
    return len(docs)


def measure(args: argparse.Namespace, work: Path) -> None:
    trendctl = b.binary(args.build, "trendctl")
    b.run([sys.executable, b.REFERENCE / "gen_corpus.py", str(args.docs), work / "corpus"])
    b.run([args.cxx, "-O2", "-std=c++17", "-o", work / "e2e", b.REFERENCE / "e2e.cpp",
           "-lpugixml", "-lsqlite3"])
    n = snapshot_dir(work / "corpus" / "xml", work / "snapshots")
    mb = sum(p.stat().st_size for p in (work / "corpus" / "xml").glob("*.xml")) / 1e6
    cfg = work / "trendd.toml"
    cfg.write_text(CONFIG.format(db=work / "unused.db"), encoding="utf-8")
    ref, ours = [], []
    for _ in range(args.runs):
        ref.append(b.run([work / "e2e", work / "corpus", work / "e2e.db"]))
        db = work / "trendd.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        ours.append(b.run([trendctl, "--config", cfg, "backtest", "--snapshots",
                           work / "snapshots", "--db", db]))
    with sqlite3.connect(f"file:{work / 'trendd.db'}?mode=ro", uri=True) as con:
        obs, arts = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("observations", "observation_articles"))
    m = re.search(r"items=(\d+) news=(\d+)", ref[-1].stdout)
    print(f"ingest: {n} documents ({mb:.1f} MB), load average {b.load_average()}")
    print(f"  stored: reference {m.group(1) if m else '?'} observations, "
          f"{m.group(2) if m else '?'} news rows; trendd {obs} observations, {arts} "
          f"article links")
    lines = []
    for label, runs in (("reference e2e.cpp", ref), ("trendctl backtest", ours)):
        cpu = [r.cpu for r in runs]
        wall = [r.wall for r in runs]
        lines.append(f"  {label:<19} CPU {b.figures(cpu)}  wall {b.figures(wall)}  "
                     f"{n / b.median(cpu):.0f} docs per CPU-s")
    print("\n".join(lines))
    cpu_ratio = b.median([r.cpu for r in ref]) / b.median([r.cpu for r in ours])
    wall_ratio = b.median([r.wall for r in ref]) / b.median([r.wall for r in ours])
    verdict = "meets" if cpu_ratio >= TARGET else "misses"
    print(f"  ratio trendd/reference throughput: {cpu_ratio:.2f}x by CPU time, "
          f"{wall_ratio:.2f}x by wall time (target >= {TARGET:.2f}x: {verdict})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", type=Path, default=b.DEFAULT_BUILD,
                    help="build directory holding daemon/trendctl (default build-bench)")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cxx", default="g++")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    return b.in_workdir("ingest_vs_reference.py", args.keep, lambda work: measure(args, work))


if __name__ == "__main__":
    sys.exit(main())
