#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Monitoring: the example alert rules and the daemon's metrics text (CTest it.it_prometheus).

1. `promtool check rules docs/examples/trendd-alerts.yml` accepts the rules, and
   `promtool test rules tests/data/prometheus/trendd-alerts.test.yml` shows each alert firing
   on the series it is meant for, and not before.
2. A real `trendd` polls file:// feeds (four good ones, one missing file) and drafts; the text of
   `trendctl metrics` then passes `promtool check metrics` (the exposition format and its lint:
   names, units, _total suffixes, HELP). promtool does notice problems: a counter without
   _total fed to it fails.
3. Every trendd_* metric the alert rules use is in that text, so renaming a metric in
   lib/trend/daemon/status.cpp fails here until the rules follow.
4. `systemd-analyze verify` accepts the example textfile exporter units
   (docs/examples/trendd-metrics.service, .timer), when systemd-analyze is there.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

FEEDS = ("US-2026-10-01", "GB-2026-02-02", "JP-2026-09-09", "BD-2026-02-02")


def promtool(*args: object, input: str | None = None) -> subprocess.CompletedProcess:
    return h.run(["promtool", *args], input=input, timeout=60)


def metrics_of_daemon(work: h.WorkDir) -> str:
    feeds = [h.feed(geo.split("-")[0].lower(), h.fixture(f"google-trends-rss-new-{geo}.xml").as_uri(),
                    interval="1s") for geo in FEEDS]
    feeds.append(h.feed("missing", (work / "missing.xml").as_uri(), interval="1s"))
    cfg = h.write_config(work / "trendd.toml", feeds, daemon={"control_socket": str(work / "trendd.sock")},
                         extra_toml='[[rule]]\nname = "big"\nmin_traffic = 5000\n')
    err = open(work / "trendd.stderr", "wb")
    proc = subprocess.Popen([h.trendd_bin(), "--config", str(cfg)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=err)
    try:
        def polled() -> str | None:
            cp = h.trendctl("--config", cfg, "metrics", quiet=True)
            ok = cp.returncode == 0 and all(f'feed="{g.split("-")[0].lower()}",outcome="ok"' in cp.stdout
                                           for g in FEEDS)
            return cp.stdout if ok and 'trendd_drafts{status="draft"}' in cp.stdout and \
                re.search(r'feed_failures_in_row\{feed="missing"\} [1-9]', cp.stdout) else None
        return h.wait_until(polled, 30, "trendd to poll every feed, fail the missing one and draft",
                            interval=0.2)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        err.close()


def test(work: h.WorkDir) -> None:
    if shutil.which("promtool") is None:
        h.skip("promtool not found (Debian package prometheus)")
    src = h.source_dir()
    rules = src / "docs" / "examples" / "trendd-alerts.yml"

    cp = promtool("check", "rules", rules)
    h.expect_exit(cp, 0, "promtool check rules")
    h.log(cp.stdout.strip())
    cp = promtool("test", "rules", src / "tests" / "data" / "prometheus" / "trendd-alerts.test.yml")
    h.expect_exit(cp, 0, "promtool test rules")
    h.log("ok: promtool test rules: every alert fires as expected")

    text = metrics_of_daemon(work)
    (work / "metrics.txt").write_text(text)
    cp = promtool("check", "metrics", input=text)
    h.eq((cp.returncode, cp.stdout + cp.stderr), (0, ""),
         "promtool check metrics on the output of trendctl metrics (exit code, findings)")
    h.log(f"ok: promtool check metrics finds nothing in {len(text.splitlines())} lines of trendctl metrics")
    bad = "# HELP trendd_polls Polls.\n# TYPE trendd_polls counter\ntrendd_polls 1\n"
    cp = promtool("check", "metrics", input=bad)
    h.true(cp.returncode != 0 and "_total" in cp.stdout + cp.stderr,
           f"promtool check metrics should reject a counter without _total\n{h.describe(cp)}")

    exposed = set(re.findall(r"^# TYPE (\S+) ", text, re.M))
    used = set(re.findall(r"\btrendd_[a-z_]+", rules.read_text(encoding="utf-8")))
    h.true(len(used) >= 5, f"the rules use only {sorted(used)}")
    h.eq(sorted(used - exposed), [], "metrics the alert rules use that trendctl metrics does not print")
    h.log(f"ok: the rules use {sorted(used)}, all printed by trendctl metrics")

    if shutil.which("systemd-analyze"):
        units = [src / "docs" / "examples" / f"trendd-metrics.{kind}" for kind in ("service", "timer")]
        cp = h.run(["systemd-analyze", "verify", *units])
        h.eq((cp.returncode, cp.stdout + cp.stderr), (0, ""), "systemd-analyze verify trendd-metrics.*")
    else:
        h.log("systemd-analyze not found: the example timer units were not verified")


if __name__ == "__main__":
    h.main(test)
