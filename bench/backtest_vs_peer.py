#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Backtest: `trendctl backtest --observations` next to the in-memory Python peer, same run.

    bench/backtest_vs_peer.py [--build DIR] [--series FILE] [--runs 3] [--keep]

Replays the 13-month Taiwan history (examples/series/google-trends-tw-2025-07-03_2026-08-22
.jsonl.gz, 242,496 observations) through the peer's rule, a threshold of 5,000 with a 24 h
cooldown, on both sides, alternately --runs times:
- bench/reference/peer_backtest.py (the peer: edge-triggered threshold and cooldown in dicts,
  no database), under the same Python that runs this script;
- `trendctl backtest --observations FILE --db DB` with one rule `min_traffic = 5000`,
  `cooldown = "24h"`, action "record": trendd persists every poll, term and observation and
  every spike into a new SQLite file.
Prints each side's wall and CPU time (medians) and the ratio trendd/peer of time (<= 1.0x is
the target), and both sides' spike counts (the rules differ in detail: trendd's spike stays
open while the term trends, the peer fires on every new crossing after the cooldown).
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as b  # noqa: E402

TARGET = 1.0
SERIES = b.REPO / "examples" / "series" / "google-trends-tw-2025-07-03_2026-08-22.jsonl.gz"
CONFIG = """[daemon]
database = "{db}"
log_level = "warning"

[[rule]]
name = "peer-5k"
min_traffic = 5000
cooldown = "24h"
action = "record"
"""


def measure(args: argparse.Namespace, work: Path) -> None:
    trendctl = b.binary(args.build, "trendctl")
    cfg = work / "trendd.toml"
    cfg.write_text(CONFIG.format(db=work / "unused.db"), encoding="utf-8")
    db = work / "backtest.db"
    peer, ours = [], []
    for _ in range(args.runs):
        peer.append(b.run([sys.executable, b.REFERENCE / "peer_backtest.py", args.series,
                           "5000", "24"]))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        ours.append(b.run([trendctl, "--config", cfg, "backtest", "--observations",
                           args.series, "--db", db]))
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        obs, spikes = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                       for t in ("observations", "spikes"))
    m = re.search(r"observations=(\d+) spikes=(\d+)", peer[-1].stdout)
    print(f"backtest: {args.series.name}, load average {b.load_average()}")
    print(f"  peer: {m.group(1) if m else '?'} observations, {m.group(2) if m else '?'} "
          f"spikes; trendd: {obs} observations stored, {spikes} spikes")
    for label, runs in (("peer_backtest.py", peer), ("trendctl backtest", ours)):
        print(f"  {label:<18} wall {b.figures([r.wall for r in runs])}  "
              f"CPU {b.figures([r.cpu for r in runs])}")
    wall_ratio = b.median([r.wall for r in ours]) / b.median([r.wall for r in peer])
    cpu_ratio = b.median([r.cpu for r in ours]) / b.median([r.cpu for r in peer])
    verdict = "meets" if cpu_ratio <= TARGET else "misses"
    print(f"  ratio trendd/peer time: {cpu_ratio:.2f}x by CPU time, {wall_ratio:.2f}x by "
          f"wall time (target <= {TARGET:.1f}x: {verdict})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", type=Path, default=b.DEFAULT_BUILD,
                    help="build directory holding daemon/trendctl (default build-bench)")
    ap.add_argument("--series", type=Path, default=SERIES)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    return b.in_workdir("backtest_vs_peer.py", args.keep, lambda work: measure(args, work))


if __name__ == "__main__":
    sys.exit(main())
