#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Daemon benchmark: the real `trendd` polling many loopback feeds (Python 3 stdlib only).

    bench/daemon.py [TRENDD] [--feeds 1000] [--idle-feeds 100] [--idle-seconds 60]
                    [--idle-interval 10s] [--idle-only] [--no-second-round] [--keep]

TRENDD defaults to build/daemon/trendd. The feeds are copies of examples/feeds/*.xml whose item
titles carry the feed's number (so every feed has its own terms), served by
tests/support/feed_server.py on 127.0.0.1 (ETag/Last-Modified, gzip).

Phase 1: --feeds feeds, interval 60s, default concurrency limits. Measures the first round (from
the start of the process to the N-th `polls` row; note that the daemon spreads first polls over
min(30 s, interval) on purpose), CPU seconds (utime+stime, /proc/PID/stat) and peak RSS (VmHWM)
over it, the event loop's largest lag (metrics over the control socket), and, unless
--no-second-round, the same for the second round (conditional GETs answered 304).
Phase 2: --idle-feeds feeds (100) whose documents never change, interval --idle-interval (10s):
after their first round, the CPU time over --idle-seconds of steady polling (conditional GETs
answered 304) divided by the polls made (target <= 1 ms per poll), and RSS (target <= 16 MiB).
--idle-only skips phase 1. Prints a compact report; exits 1 if trendd fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FEED_SERVER = REPO / "tests" / "support" / "feed_server.py"
SAMPLES = sorted((REPO / "examples" / "feeds").glob("google-trends-rss-*.xml"))
CLK_TCK = os.sysconf("SC_CLK_TCK")
ITEM_TITLE = re.compile(rb"(<item>\s*<title>)([^<]*)(</title>)")


class BenchError(Exception):
    pass


# ---- /proc ---------------------------------------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    """utime + stime of the process, in seconds."""
    with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of proc(5)


def memory_kib(pid: int) -> dict[str, int]:
    out = {}
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(value.split()[0])
    return out


def cpu_text(seconds: float) -> str:
    """CPU time as /proc counts it: in clock ticks (10 ms at 100 Hz)."""
    if seconds <= 0:
        return f"< {1 / CLK_TCK:g} s (under one clock tick)"
    return f"{seconds:.2f} s"


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


# ---- fixtures and the feed server ----------------------------------------------------------------
def make_feeds(root: Path, n: int) -> None:
    samples = [p.read_bytes() for p in SAMPLES]
    if not samples:
        raise BenchError(f"no samples in {REPO / 'examples' / 'feeds'}")
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = ITEM_TITLE.sub(lambda m: m[1] + m[2] + f" {i}".encode() + m[3], samples[i % len(samples)])
        (root / f"f{i:04}.xml").write_bytes(body)


class FeedServer:
    def __init__(self, root: Path, state: Path):
        self.port_file = state / "port"
        self.err = open(state / "feed-server.stderr", "wb")
        self.proc = subprocess.Popen([sys.executable, str(FEED_SERVER), "--root", str(root),
                                      "--port-file", str(self.port_file), "--lifetime", "3600"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self.err)
        deadline = time.monotonic() + 15
        while not (self.port_file.exists() and self.port_file.read_text().strip().isdigit()):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise BenchError("the feed server did not start")
            time.sleep(0.05)
        self.port = int(self.port_file.read_text())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.err.close()


# ---- trendd --------------------------------------------------------------------------------------
def toml_str(s: str) -> str:
    return json.dumps(s)  # a JSON string of plain paths/URLs is a valid TOML basic string


def write_config(d: Path, port: int, n: int, interval: str) -> Path:
    lines = ["[daemon]", f"database = {toml_str(str(d / 'trendd.db'))}",
             f"drafts_dir = {toml_str(str(d / 'drafts'))}",
             f"control_socket = {toml_str(str(d / 'trendd.sock'))}"]
    for i in range(n):
        lines += ["", "[[feed]]", f'name = "f{i:04}"', 'type = "google-trends-rss"',
                  f'url = "http://127.0.0.1:{port}/feed/f{i:04}.xml"', 'geo = "US"',
                  f'interval = "{interval}"']
    cfg = d / "trendd.toml"
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cfg


class Trendd:
    def __init__(self, binary: str, cfg: Path, d: Path):
        self.d = d
        self.err_path = d / "trendd.stderr"
        self.t0 = time.monotonic()
        with open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen([binary, "--config", str(cfg)], stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=err)
        self.pid = self.proc.pid
        self.db_path = d / "trendd.db"
        self.sock = d / "trendd.sock"
        self._con: sqlite3.Connection | None = None

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            tail = self.err_path.read_text(errors="replace")[-2000:]
            raise BenchError(f"trendd exited with {self.proc.returncode}:\n{tail}")

    def polls(self) -> int:
        if self._con is None:
            if not self.db_path.exists():
                return 0
            self._con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10)
        try:
            return self._con.execute("SELECT count(*) FROM polls").fetchone()[0]
        except sqlite3.OperationalError:
            return 0  # schema not there yet

    def outcomes(self) -> dict[str, int]:
        assert self._con is not None
        return dict(self._con.execute("SELECT outcome, count(*) FROM polls GROUP BY 1").fetchall())

    def wait_polls(self, n: int, timeout: float) -> float:
        """Waits for the n-th polls row; returns seconds since start."""
        deadline = time.monotonic() + timeout
        while self.polls() < n:
            self.check_alive()
            if time.monotonic() > deadline:
                raise BenchError(f"only {self.polls()} of {n} polls rows after {timeout:g} s")
            time.sleep(0.05)
        return time.monotonic() - self.t0

    def metric(self, name: str) -> float | None:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(5)
                s.connect(str(self.sock))
                s.sendall(b'{"v":1,"cmd":"metrics"}\n')
                buf = b""
                while b"\n" not in buf:
                    chunk = s.recv(65536)
                    if not chunk:
                        return None
                    buf += chunk
            text = json.loads(buf.split(b"\n", 1)[0])["data"]["text"]
        except (OSError, ValueError, KeyError):
            return None
        m = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
        return float(m.group(1)) if m else None

    def stop(self) -> int | None:
        if self._con is not None:
            self._con.close()
            self._con = None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        return self.proc.returncode


# ---- phases --------------------------------------------------------------------------------------
def phase_rounds(binary: str, work: Path, port: int, n: int, second: bool) -> list[str]:
    d = work / "rounds"
    d.mkdir()
    cfg = write_config(d, port, n, "60s")
    t = Trendd(binary, cfg, d)
    out = []
    try:
        t.wait_polls(1, 60)
        first = time.monotonic() - t.t0
        end1 = t.wait_polls(n, 120)
        cpu1, mem1 = cpu_seconds(t.pid), memory_kib(t.pid)
        lag1 = t.metric("trendd_loop_lag_max_seconds")
        outcomes1 = t.outcomes()
        out.append(f"round 1: {n} feeds (interval 60s, limits 16 total / 4 per host, one host)")
        out.append(f"  first polls row {first:.2f} s after exec, {n}th at {end1:.2f} s "
                   f"(first polls are spread over min(30 s, interval) on purpose)")
        out.append(f"  CPU {cpu1:.2f} s user+sys from exec to the {n}th row "
                   f"= {cpu1 * 1000 / n:.2f} ms per poll; outcomes {outcomes1}")
        out.append(f"  peak RSS (VmHWM) {mib(mem1['VmHWM'])}, RSS now {mib(mem1['VmRSS'])}, "
                   f"database {mib(t.db_path.stat().st_size // 1024)}, "
                   f"loop lag max {lag1 if lag1 is None else f'{lag1 * 1000:.1f} ms'}")
        if second:
            end2 = t.wait_polls(2 * n, 150)
            cpu2, mem2 = cpu_seconds(t.pid), memory_kib(t.pid)
            lag2 = t.metric("trendd_loop_lag_max_seconds")
            outcomes2 = {k: v - outcomes1.get(k, 0) for k, v in t.outcomes().items()}
            out.append(f"round 2 (conditional GET): {2 * n}th row at {end2:.2f} s; CPU "
                       f"{cpu2 - cpu1:.2f} s for the round = {(cpu2 - cpu1) * 1000 / n:.2f} ms per poll; "
                       f"outcomes {outcomes2}")
            out.append(f"  peak RSS {mib(mem2['VmHWM'])}, RSS now {mib(mem2['VmRSS'])} "
                       f"({(mem2['VmRSS'] - mem1['VmRSS']) / 1024:+.1f} MiB since round 1), "
                       f"loop lag max {lag2 if lag2 is None else f'{lag2 * 1000:.1f} ms'}")
        t.check_alive()
    finally:
        rc = t.stop()
    if rc != 0:
        raise BenchError(f"trendd exited {rc} after SIGTERM")
    return out


CPU_PER_POLL_TARGET_MS = 1.0
RSS_TARGET_MIB = 16.0


def phase_idle(binary: str, work: Path, port: int, n: int, seconds: float,
               interval: str) -> list[str]:
    d = work / "idle"
    d.mkdir()
    cfg = write_config(d, port, n, interval)
    t = Trendd(binary, cfg, d)
    try:
        end = t.wait_polls(n, 90)
        time.sleep(1)  # let the last poll's handler finish
        polls0 = t.polls()
        cpu0, mem0 = cpu_seconds(t.pid), memory_kib(t.pid)
        t_idle = time.monotonic()
        while time.monotonic() - t_idle < seconds:
            t.check_alive()
            time.sleep(1)
        cpu1, mem1 = cpu_seconds(t.pid), memory_kib(t.pid)
        polled = t.polls() - polls0
        outcomes = t.outcomes()
    finally:
        rc = t.stop()
    if rc != 0:
        raise BenchError(f"idle trendd exited {rc} after SIGTERM")
    out = [f"idle: {n} feeds (interval {interval}), first round done at {end:.2f} s; then "
           f"{seconds:g} s of steady polling ({polled} polls, unchanged feeds answer 304; "
           f"outcomes in all {outcomes}): CPU {cpu_text(cpu1 - cpu0)} "
           f"({100 * (cpu1 - cpu0) / seconds:.2f} % of a core), "
           f"RSS {mib(mem0['VmRSS'])} -> {mib(mem1['VmRSS'])}, peak {mib(mem1['VmHWM'])}"]
    if polled > 0:
        per_poll = (cpu1 - cpu0) * 1000 / polled
        rss = mem1["VmRSS"] / 1024
        out.append(f"  CPU per poll {per_poll:.2f} ms (target <= {CPU_PER_POLL_TARGET_MS:g} ms: "
                   f"{'meets' if per_poll <= CPU_PER_POLL_TARGET_MS else 'misses'}); "
                   f"RSS {rss:.1f} MiB (target <= {RSS_TARGET_MIB:g} MiB: "
                   f"{'meets' if rss <= RSS_TARGET_MIB else 'misses'})")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("trendd", nargs="?", default=str(REPO / "build" / "daemon" / "trendd"))
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--idle-feeds", type=int, default=100)
    ap.add_argument("--idle-seconds", type=float, default=60)
    ap.add_argument("--idle-interval", default="10s",
                    help="poll interval of the idle feeds (default 10s)")
    ap.add_argument("--idle-only", action="store_true", help="skip the 1,000-feed rounds")
    ap.add_argument("--no-second-round", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    binary = os.path.abspath(args.trendd)
    if not os.access(binary, os.X_OK):
        print(f"bench/daemon.py: {binary} is not an executable (build it first)", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="trendd-bench-"))
    server = None
    ok = False
    try:
        make_feeds(work / "root", max(args.feeds, args.idle_feeds))
        server = FeedServer(work / "root", work)
        report = [f"trendd daemon benchmark: {binary}",
                  f"  {os.cpu_count()} CPUs, Python feed server on 127.0.0.1:{server.port}"]
        if not args.idle_only:
            report += phase_rounds(binary, work, server.port, args.feeds,
                                   not args.no_second_round)
        report += phase_idle(binary, work, server.port, args.idle_feeds, args.idle_seconds,
                             args.idle_interval)
        print("\n".join(report))
        ok = True
    except BenchError as e:
        print(f"bench/daemon.py: {e}", file=sys.stderr)
    finally:
        if server is not None:
            server.stop()
        if args.keep or not ok:
            print(f"work directory: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
