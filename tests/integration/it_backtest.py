# SPDX-License-Identifier: MIT
"""trendctl backtest and export on real data.

--snapshots: saved feed documents named by their capture time (the bundled real samples,
re-dated to form a history) replay through the rules with the capture time as the clock.
--observations: the recorded Taiwan series replays, and `trendctl export` writes the same
JSON Lines form back, which replays to the same result.
"""
from __future__ import annotations

import gzip
import json
import sys

sys.dont_write_bytecode = True
import harness as h  # noqa: E402

RULES = """
[[rule]]
name = "buzz-5k"
geo = ["US"]
min_traffic = 5000
cooldown = "24h"
action = "draft"

[[rule]]
name = "tw-top"
geo = ["TW"]
min_traffic = 5000
growth = 10.0
window = "7d"
cooldown = "3d"
action = "record"
"""


def test(work: h.WorkDir) -> None:
    cfg = h.write_config(work / "trendd.toml", [], RULES, database=work / "live.db")

    # --- snapshots: two captures of the US feed an hour apart, in a feed directory -----------
    snaps = work.mkdir("snapshots/us")
    us = h.fixture("google-trends-rss-new-US-2026-10-01.xml").read_bytes()
    (snaps / "2026-10-01T16-00-00Z.xml").write_bytes(us)
    (snaps / "2026-10-01T17-00-00Z.xml").write_bytes(us)
    (work / "snapshots" / "notes.txt").write_text("not a capture: ignored\n")
    drafts = work / "drafts"
    cp = h.trendctl("--config", cfg, "--json", "backtest", "--snapshots", work / "snapshots",
                    "--db", work / "snap.db", "--drafts", drafts)
    h.expect_exit(cp, 0, "backtest --snapshots")
    out = json.loads(cp.stdout)
    h.eq(out["snapshots"], 2, "snapshots replayed")
    h.eq(out["observations"], 20, "observations replayed")
    # The sample's 5000+ and 10000+ terms fire once: the second capture is the same trend.
    fired = sorted(s["term"] for s in out["spikes"])
    h.eq(fired, ["kylie kelce", "renee good"], "spikes from the snapshots")
    h.true(all(s["detected_at"] == "2026-10-01T16:00:00Z" for s in out["spikes"]),
           "spikes are timed by the capture, not the wall clock")
    h.eq(out["drafts_written"], 2, "drafts written by --drafts")
    h.eq(sorted(p.name for p in drafts.iterdir()),
         ["2026-10-01-kylie-kelce.md", "2026-10-01-renee-good.md"], "draft files")
    con = h.db(work / "snap.db")
    h.eq(h.scalar(con, "SELECT group_concat(DISTINCT name) FROM feeds"), "us", "feed named by its directory")
    h.eq(h.scalar(con, "SELECT count(DISTINCT observed_at) FROM observations"), 2, "capture times")

    # --- a replay never adds to an existing database ----------------------------------------
    cp = h.trendctl("--config", cfg, "backtest", "--snapshots", work / "snapshots", "--db", work / "snap.db")
    h.expect_exit(cp, 2, "backtest into an existing --db")
    h.true("exists" in cp.stderr, f"the refusal says why: {cp.stderr}")

    # --- observations, then export and replay the export --------------------------------------
    series = h.source_dir() / "examples/series/google-trends-tw-2025-11-01_2025-11-15.jsonl.gz"
    cp = h.trendctl("--config", cfg, "--json", "backtest", "--observations", series, "--db", work / "tw.db")
    h.expect_exit(cp, 0, "backtest --observations")
    first = json.loads(cp.stdout)
    h.eq(first["observations"], 9853, "every recorded observation replayed")
    h.eq(first["spikes_per_rule"], {"tw-top": 30}, "tw-top spikes over the two weeks")

    exported = work / "export.jsonl.gz"
    cp = h.trendctl("--db", work / "tw.db", "export", "--observations", exported)
    h.expect_exit(cp, 0, "export")
    with gzip.open(exported, "rt", encoding="utf-8") as f:
        lines = [json.loads(line) for line in f]
    h.eq(len(lines), 9853, "exported lines")
    h.eq(sorted(lines[0]), ["geo", "observed_at", "rank", "started_at", "term", "traffic_label"],
         "the exported form is the series' form")
    cp = h.trendctl("--config", cfg, "--json", "backtest", "--observations", exported, "--db", work / "again.db")
    h.expect_exit(cp, 0, "backtest of the export")
    again = json.loads(cp.stdout)
    h.eq(again["spikes_per_rule"], first["spikes_per_rule"], "the export replays to the same spikes")
    h.eq([(s["detected_at"], s["term"]) for s in again["spikes"]],
         [(s["detected_at"], s["term"]) for s in first["spikes"]], "same spikes at the same times")

    # --- bad input is a clear error, not a crash ----------------------------------------------
    bad = work / "bad.jsonl"
    bad.write_text('{"observed_at": "2025-11-01T00:00:00Z", "geo": "TW", "term": "a", "traffic_label": "100+"}\nnot json\n')
    cp = h.trendctl("--config", cfg, "backtest", "--observations", bad, "--db", work / "bad.db")
    h.expect_exit(cp, 1, "backtest of a broken file")
    h.true(f"{bad}:2: not a JSON object" in cp.stderr, f"the error names the line: {cp.stderr}")


if __name__ == "__main__":
    h.main(test)
