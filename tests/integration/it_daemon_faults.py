#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The daemon under faults: one real `trendd --config` (foreground) polls a healthy feed every
2 s plus one feed per fault of tests/support/feed_server.py, all on 127.0.0.1, with
fetch_timeout = 3s, max_feed_bytes = 1 MiB and concurrency limits that never queue a poll.

1. Each fault gets its polls.outcome (outcome.cpp + the parser): slow but within the timeout ->
   ok; slow past it or stalled -> timeout; 500/503/429 -> http_error with that http_status;
   redirect loop -> redirect_loop; short body -> truncated; gzip bomb, endless body and a
   declared 50 MB body -> too_large; garbage, HTML -> parse_error; TCP reset -> network_error.
2. Failing feeds back off (daemon/scheduler.cpp feed_retry_policy: max(interval, 1m) * 2^(n-1) +-10%,
   at least Retry-After): none is retried inside the run although its interval is 2 s; the 503
   feed is never retried within 2 s of an attempt; forced polls (`trendctl poll`) of the 500 feed
   make the backoff grow ~60 s -> ~120 s -> ~240 s, and next_poll_at follows it; Retry-After of
   400 s (delta-seconds on a 503, HTTP-date on a 429) lengthens the backoff to >= 400 s.
3. The healthy feed keeps its schedule, from the feed server's request log: every gap between
   two of its requests is the interval +-10% jitter plus a small slack, while the stalled and
   slow feeds (and forced polls of them) are in flight.
4. `trendctl status` exits 1 (degraded); its JSON lists each failing feed with
   failures_in_row >= 1 and backoff_s > 0, and the healthy feed with 0 / 0.
5. SIGTERM while a stalled transfer is in flight: exit code 0 within 5 s.
"""

from __future__ import annotations

import email.utils
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

INTERVAL = 2.0          # the feeds' interval (s)
JITTER = 0.10           # feed_retry_policy: +-10 %
SLACK = 0.5             # poll duration + loop latency + a loaded CI machine
FETCH_TIMEOUT = 3.0
HEALTHY_GAPS = 8        # gaps of the healthy feed measured
RETRY_AFTER_LONG = 400  # s


def feeds_by_name(st: dict) -> dict:
    daemon = st.get("daemon") or {}
    status = daemon.get("status") or {}
    return {f["name"]: f for f in status.get("feeds", [])}


def test(work: h.WorkDir) -> None:
    with h.FeedServer(lifetime=240) as srv:
        srv.put("healthy.xml", h.fixture("google-trends-rss-new-US-2026-10-01.xml"))
        srv.put("small.xml", h.fixture("google-trends-rss-new-GB-2026-02-02.xml"))
        # name -> (url, expected outcome, expected http_status or ... for "don't care")
        faults = {
            "slow-headers-ok": (srv.fault_url("slow-headers", delay=1.5, file="small.xml"), "ok", 200),
            "slow-body-ok": (srv.fault_url("slow-body", delay=1.5, file="small.xml"), "ok", 200),
            "slow-headers-timeout": (srv.fault_url("slow-headers", delay=30), "timeout", None),
            "slow-body-timeout": (srv.fault_url("slow-body", delay=30, file="small.xml"), "timeout", 200),
            "stall": (srv.fault_url("stall"), "timeout", None),
            "status-500": (srv.fault_url("status", code=500), "http_error", 500),
            "status-503": (srv.fault_url("status", code=503, retry_after=2), "http_error", 503),
            "status-503-long": (srv.fault_url("status", code=503, retry_after=RETRY_AFTER_LONG),
                                "http_error", 503),
            "status-429-date": (srv.fault_url("status", code=429, retry_after=email.utils.formatdate(
                time.time() + RETRY_AFTER_LONG + 60, usegmt=True)), "http_error", 429),
            "redirect-loop": (srv.fault_url("redirect-loop"), "redirect_loop", ...),
            "truncated": (srv.fault_url("truncated", file="small.xml"), "truncated", 200),
            "gzip-bomb": (srv.fault_url("gzip-bomb", mb=100), "too_large", 200),
            "wrong-type": (srv.fault_url("wrong-type"), "parse_error", 200),
            "html": (srv.fault_url("html"), "parse_error", 200),
            "huge": (srv.fault_url("huge", mb=50), "too_large", 200),
            "huge-length": (srv.fault_url("huge", mb=50, length=1), "too_large", ...),
            "reset": (srv.fault_url("reset"), "network_error", None),
        }
        ok_feeds = {"healthy"} | {n for n, (_, o, _) in faults.items() if o == "ok"}
        failing = [n for n, (_, o, _) in faults.items() if o != "ok"]
        feeds = [h.feed("healthy", srv.feed_url("healthy.xml"), geo="US", interval="2s")]
        feeds += [h.feed(n, u, geo="US", interval="2s") for n, (u, _, _) in faults.items()]
        sock = work / "trendd.sock"
        cfg = h.write_config(work / "trendd.toml", feeds, daemon={
            "fetch_timeout": "3s", "connect_timeout": "2s", "max_feed_bytes": 1048576,
            "max_concurrent_fetches": 64, "max_fetches_per_host": 64,
            "control_socket": str(sock), "log_level": "info"})
        db_path = work / "trendd.db"

        d = h.Daemon(cfg, work).start()
        pollers: list[subprocess.Popen] = []
        try:
            t_start = time.time()
            h.wait_until(lambda: sock.exists() or not d.alive(), 15, "the control socket")
            h.true(d.alive(), f"trendd exited with {d.proc.returncode}:\n{d.log()[-3000:]}")

            def polled_feeds() -> set[str]:
                if not db_path.exists():
                    return set()
                con = h.db(db_path)
                try:
                    return {r["name"] for r in h.rows(
                        con, "SELECT DISTINCT f.name FROM polls p JOIN feeds f ON f.id = p.feed_id")}
                finally:
                    con.close()

            every = set(ok_feeds) | set(failing)
            # First polls are spread over min(30 s, interval) = 2 s; a timeout takes 3 s more.
            h.wait_until(lambda: every <= polled_feeds(), 15,
                         "a polls row for every feed (missing: "
                         f"{sorted(every - polled_feeds()) if db_path.exists() else 'all'})", 0.2)
            h.true(d.alive(), "trendd is still running after the first round")

            # ---- 2. forced polls: the 500 feed's backoff grows; stall/slow run alongside ------
            def one(name: str) -> dict:
                _, st = h.status_json(cfg)
                f = feeds_by_name(st).get(name)
                if f is None:
                    h.fail(f"status lists no feed {name}: {st}")
                return f

            backoffs = [one("status-500")]
            # Slow transfers in flight while the healthy feed is measured.
            for name in ("stall", "slow-headers-timeout", "slow-body-timeout"):
                pollers.append(subprocess.Popen(
                    [h.trendctl_bin(), "--config", str(cfg), "poll", name],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            for _ in range(2):
                cp = h.trendctl("--config", cfg, "poll", "status-500", timeout=30)
                h.expect_exit(cp, 1, "trendctl poll status-500 (a failing feed)")
                h.true("status-500: http_error" in cp.stdout,
                       f"trendctl poll reports the outcome:\n{h.describe(cp)}")
                backoffs.append(one("status-500"))

            # ---- 3. measure the healthy feed ----------------------------------------------------
            h.wait_until(lambda: len(srv.requests("/feed/healthy.xml")) >= HEALTHY_GAPS + 1,
                         HEALTHY_GAPS * (INTERVAL * (1 + JITTER) + SLACK) + 10,
                         f"{HEALTHY_GAPS + 1} requests of the healthy feed", 0.2)
            for p in pollers:
                p.wait(timeout=FETCH_TIMEOUT + 10)
            h.true(d.alive(), "trendd is still running after the measurement")

            c = h.Checker("trendd under faults")
            reqs = srv.requests("/feed/healthy.xml")
            times = [r["t"] for r in reqs]
            gaps = [b - a for a, b in zip(times, times[1:])]
            lo, hi = INTERVAL * (1 - JITTER) - 0.05, INTERVAL * (1 + JITTER) + SLACK
            h.log("healthy feed gaps: " + " ".join(f"{g:.3f}" for g in gaps))
            for i, g in enumerate(gaps):
                c.true(lo <= g <= hi, f"healthy feed: gap {i + 1} between requests is {g:.3f} s, "
                                      f"expected {lo:.2f}..{hi:.2f} s (all gaps: "
                                      f"{[round(x, 3) for x in gaps]})")
            c.true(times[0] - t_start <= INTERVAL + SLACK + 1,
                   f"healthy feed: first request {times[0] - t_start:.2f} s after start")

            # ---- 1. outcomes -------------------------------------------------------------------
            con = h.db(db_path)
            polls = h.rows(con, "SELECT f.name, p.* FROM polls p JOIN feeds f ON f.id = p.feed_id "
                                "ORDER BY p.id")
            by_feed: dict[str, list[dict]] = {}
            for r in polls:
                by_feed.setdefault(r["name"], []).append(r)
            for name in ok_feeds:
                rs = by_feed.get(name, [])
                c.true(rs, f"{name}: polled")
                for r in rs:
                    c.true(r["outcome"] in ("ok", "not_modified"),
                           f"{name}: poll {r['id']} outcome {r['outcome']!r} ({r['error']}), expected ok")
            c.true(len(by_feed.get("healthy", [])) >= HEALTHY_GAPS + 1,
                   f"healthy: {len(by_feed.get('healthy', []))} polls rows")
            c.eq(by_feed["healthy"][0]["outcome"], "ok", "healthy: first poll")
            c.true((by_feed["healthy"][0]["items"] or 0) > 0, "healthy: first poll has items")
            for name, (_, outcome, status) in faults.items():
                rs = by_feed.get(name, [])
                if not rs:
                    c.add(f"{name}: no polls row")
                    continue
                for r in rs:
                    c.eq(r["outcome"], outcome, f"{name}: polls.outcome of poll {r['id']} ({r['error']})")
                    if status is not ...:
                        c.eq(r["http_status"], status, f"{name}: polls.http_status of poll {r['id']}")
                    if outcome != "ok":
                        c.true(r["error"], f"{name}: polls.error is set on a failure")
                        c.eq(r["items"], None, f"{name}: polls.items on a failure")
                    if outcome == "timeout":
                        c.true(FETCH_TIMEOUT * 1000 - 100 <= r["duration_ms"] <= FETCH_TIMEOUT * 1000 + 1500,
                               f"{name}: a timeout after {r['duration_ms']} ms, expected ~{FETCH_TIMEOUT:g} s")
                    if outcome == "too_large":
                        c.true(r["bytes"] <= 1048576, f"{name}: {r['bytes']} bytes kept, cap 1 MiB")
                    if name.startswith("slow-") and outcome == "ok":
                        c.true(r["duration_ms"] >= 1300, f"{name}: ok after only {r['duration_ms']} ms")
            c.true("Retry-After" in (by_feed.get("status-503") or [{}])[0].get("error", ""),
                   f"status-503: the error names Retry-After: {(by_feed.get('status-503') or [{}])[0]}")

            # ---- 2. backoff ----------------------------------------------------------------------
            forced = {"status-500": 2, "stall": 1, "slow-headers-timeout": 1, "slow-body-timeout": 1}
            for name in failing:
                n = len(by_feed.get(name, []))
                c.eq(n, 1 + forced.get(name, 0),
                     f"{name}: polls rows within {time.time() - t_start:.0f} s (a failing feed is "
                     f"not retried at its 2 s interval; {forced.get(name, 0)} forced)")
            t503 = [r["t"] for r in srv.requests("/fault/status?code=503&retry_after=2")]
            for a, b in zip(t503, t503[1:]):
                c.true(b - a >= 2.0, f"status-503: retried {b - a:.2f} s after an attempt "
                                     f"with Retry-After: 2")
            for i, f in enumerate(backoffs, start=1):
                c.eq(f["failures_in_row"], i, f"status-500: failures_in_row after poll {i}")
                base = 60 * 2 ** (i - 1)
                c.true(round(base * 0.9) - 1 <= f["backoff_s"] <= round(base * 1.1) + 1,
                       f"status-500: backoff_s {f['backoff_s']} after {i} failure(s), "
                       f"expected {base} s +-10%")
                if f["next_poll_at"] and f["last_poll_at"]:
                    wait = h.iso_to_unix(f["next_poll_at"]) - h.iso_to_unix(f["last_poll_at"])
                    c.true(abs(wait - f["backoff_s"]) <= 2,
                           f"status-500: next_poll_at - last_poll_at = {wait:.0f} s, "
                           f"backoff_s {f['backoff_s']}")
                else:
                    c.add(f"status-500: last/next_poll_at missing after poll {i}: {f}")
            c.true(all(a["backoff_s"] < b["backoff_s"] for a, b in zip(backoffs, backoffs[1:])),
                   f"status-500: backoff grows: {[b['backoff_s'] for b in backoffs]}")

            # ---- 4. trendctl status: degraded ---------------------------------------------------
            rc, st = h.status_json(cfg)
            c.eq(rc, 1, "trendctl status exit code while feeds fail (degraded)")
            c.eq(st.get("health"), "degraded", "trendctl status health")
            fs = feeds_by_name(st)
            for name in failing:
                f = fs.get(name)
                if f is None:
                    c.add(f"status: feed {name} missing")
                    continue
                c.true(f["failures_in_row"] >= 1, f"status: {name} failures_in_row {f['failures_in_row']}")
                c.true(f["backoff_s"] > 0, f"status: {name} backoff_s {f['backoff_s']}")
                c.eq(f["last_outcome"], faults[name][1], f"status: {name} last_outcome")
                if name in ("status-503-long", "status-429-date"):
                    c.true(f["backoff_s"] >= RETRY_AFTER_LONG - 2,
                           f"status: {name} backoff_s {f['backoff_s']}, Retry-After asks for "
                           f">= {RETRY_AFTER_LONG} s")
            for name in ok_feeds:
                f = fs.get(name) or {}
                c.eq((f.get("failures_in_row"), f.get("backoff_s")), (0, 0),
                     f"status: healthy feed {name} (failures_in_row, backoff_s)")
            reasons = " ".join((st.get("daemon") or {}).get("status", {}).get("degraded_reasons", []))
            for name in failing:
                c.true(f"feed {name} " in reasons, f"status: degraded_reasons name {name}: {reasons!r}")
            c.done()

            # ---- 5. SIGTERM with a stalled transfer in flight ---------------------------------
            n_stall = len(srv.requests("/fault/stall"))
            pollers.append(subprocess.Popen([h.trendctl_bin(), "--config", str(cfg), "poll", "stall"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            h.wait_until(lambda: len(srv.requests("/fault/stall")) > n_stall, 10,
                         "the stall request to reach the server")
            rc, took = d.terminate(timeout=5)
            h.log(f"SIGTERM with a stalled transfer in flight: exit {rc} after {took:.2f} s")
            if rc is None:
                h.fail(f"trendd did not exit within 5 s of SIGTERM\n{d.log()[-3000:]}")
            h.eq(rc, 0, f"exit code after SIGTERM (log:\n{d.log()[-2000:]})")
            con.close()
            h.check_integrity(h.db(db_path))
        finally:
            for p in pollers:
                if p.poll() is None:
                    p.kill()
                    p.wait(timeout=10)
            d.kill()


if __name__ == "__main__":
    h.main(test, timeout=120)
