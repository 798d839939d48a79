# SPDX-License-Identifier: MIT
"""Crash consistency: trendd is killed with SIGKILL at every step of detecting and drafting,
then restarted. After recovery the database passes integrity_check, every spike whose rule says
`action = "draft"` has exactly one draft row and one file, and no trigger is lost.

Kill points are test-only hooks (TRENDD_TEST_CRASH_AT=<point>:<n>, lib/trend/util/fs.hpp), so
each run dies at a known place: before the ingest transaction commits, after a draft job is
claimed, after its file is written, and after its row is updated but before that commits,
for the 1st, 2nd and 4th draft. A last round kills at random moments by timing.
"""
from __future__ import annotations

import random
import signal

import harness as h

FEEDS = ["US-2026-10-01", "GB-2026-02-02", "JP-2026-09-09", "BD-2026-02-02"]
RULES = """
[[rule]]
name = "buzz-1k"
min_traffic = 1000
action = "draft"

[[rule]]
name = "record-500"
min_traffic = 500
action = "record"
"""
POINTS = ["ingest-before-commit:1", "ingest-before-commit:3"] + [
    f"{p}:{n}" for p in ("draft-after-claim", "draft-after-file", "draft-before-commit")
    for n in (1, 2, 4)]


def make_config(work: h.WorkDir, name: str):
    d = work.mkdir(name)
    feeds = [h.feed(f"f-{f[:2].lower()}", "file://" + str(h.fixture(f"google-trends-rss-new-{f}.xml")))
             for f in FEEDS]
    return h.write_config(d / "trendd.toml", feeds, RULES), d


def check_consistent(db_path, drafts_dir, label: str) -> int:
    con = h.db(db_path)
    h.check_integrity(con)
    c = h.Checker(label)
    spikes = h.scalar(con, "SELECT count(*) FROM spikes WHERE action = 'draft'")
    c.true(spikes > 0, "spikes with action = draft exist")
    c.eq(h.scalar(con, "SELECT count(*) FROM spikes s LEFT JOIN drafts d ON d.spike_id = s.id "
                       "WHERE s.action = 'draft' AND d.id IS NULL"), 0, "draft spikes without a draft")
    c.eq(h.scalar(con, "SELECT count(*) FROM drafts WHERE status NOT IN ('draft', 'needs_review')"),
         0, "drafts not finished after recovery")
    c.eq(h.scalar(con, "SELECT count(*) FROM drafts d JOIN spikes s ON s.id = d.spike_id "
                       "WHERE s.action <> 'draft'"), 0, "drafts of record-only spikes")
    files = sorted(p for p in drafts_dir.iterdir()) if drafts_dir.exists() else []
    c.eq([p.name for p in files if p.name.startswith(".")], [], "temp files left behind")
    paths = sorted(r["path"] for r in h.rows(con, "SELECT path FROM drafts"))
    c.eq([str(p) for p in files], paths, "one file per draft row, and no other file")
    for r in h.rows(con, "SELECT path, markdown FROM drafts"):
        c.eq(open(r["path"], encoding="utf-8").read(), r["markdown"], f"file == row for {r['path']}")
    # Exactly the triggers of one clean run: none lost, none doubled.
    c.eq(h.scalar(con, "SELECT count(*) FROM (SELECT rule, term_id FROM spikes GROUP BY 1, 2 "
                       "HAVING count(*) > 1)"), 0, "a (rule, term) spiked twice")
    c.done()
    return spikes


def test(work: h.WorkDir) -> None:
    cfg, d = make_config(work, "clean")
    h.expect_exit(h.trendd("--once", "--config", cfg), 0, "clean run")
    expected = check_consistent(d / "trendd.db", d / "drafts", "clean run")
    h.log(f"a clean run makes {expected} draft spikes")

    for point in POINTS:
        cfg, d = make_config(work, point.replace(":", "-"))
        cp = h.trendd("--once", "--config", cfg, env={"TRENDD_TEST_CRASH_AT": point})
        h.eq(cp.returncode, -signal.SIGKILL, f"{point}: the run was killed at the hook")
        h.expect_exit(h.trendd("--once", "--config", cfg), 0, f"{point}: recovery run")
        got = check_consistent(d / "trendd.db", d / "drafts", point)
        h.eq(got, expected, f"{point}: draft spikes after recovery")

    # Kills at arbitrary moments (timing), several in a row on the same files, then recovery.
    rng = random.Random(20251103)
    cfg, d = make_config(work, "timed")
    for i in range(8):
        proc = h.subprocess.Popen([h.trendd_bin(), "--once", "--config", str(cfg)],
                                  stdout=h.subprocess.DEVNULL, stderr=h.subprocess.DEVNULL)
        h.time.sleep(rng.uniform(0.0, 0.08))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    h.expect_exit(h.trendd("--once", "--config", cfg), 0, "timed: recovery run")
    got = check_consistent(d / "trendd.db", d / "drafts", "timed kills")
    h.true(got >= expected, f"timed kills: at least the {expected} draft spikes of a clean run "
                            f"(later runs may add spikes after the cooldown), got {got}")


if __name__ == "__main__":
    h.main(test)
