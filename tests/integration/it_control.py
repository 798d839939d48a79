#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The control socket (lib/trend/control/*, trendctl status/poll/metrics), against a real
foreground `trendd --config` and a loopback feed server.

1. `trendctl status` exits 0 while healthy and shows the daemon's view: pid, uptime, per feed
   next_poll_at (and last_poll_at / last_outcome once polled).
2. `trendctl poll FEED` waits for the transfer (a feed whose server answers after 1.5 s) and
   reports its outcome; `--json poll` prints {"polled": {...}}; `trendctl poll nosuch` exits 1
   with `unknown-feed`.
3. `trendctl metrics` is Prometheus text: HELP and TYPE before each family's samples, every
   sample `name{label="value",...} number`, trendd_polls_total and trendd_loop_lag_seconds there.
4. Raw socket: a malformed line gets `bad-request` and the same connection answers the next
   line; unknown command / version get their codes; a 70 KB line gets `too-large`.
5. A client that connects and says nothing does not delay another client's status (< 1 s);
   100 quick connections (closed at once, or closed before reading the reply) leak no
   descriptor and the daemon still answers.
6. The socket file has mode 0660; a second trendd on the same socket exits 1 and leaves the
   first one answering; once the first exits the socket file is gone; `trendctl status` then
   exits 3 and still prints the database part. A socket file left by a SIGKILL is replaced by
   the next start.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
                    r'(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*)?\})? '
                    r'(-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|NaN|[-+]Inf)( -?[0-9]+)?$')
HELP = re.compile(r"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$")
TYPE = re.compile(r"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")


class Conn:
    """A raw control connection: send lines, read reply lines."""

    def __init__(self, path: Path, timeout: float = 5):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(str(path))
        self.buf = b""

    def send(self, data: bytes) -> None:
        self.s.sendall(data)

    def reply(self) -> dict:
        while b"\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                h.fail(f"the daemon closed the connection without a reply (got {self.buf[:200]!r})")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            h.fail(f"reply is not JSON: {line[:300]!r}")

    def ask(self, obj_or_line) -> dict:
        line = obj_or_line if isinstance(obj_or_line, bytes) else json.dumps(obj_or_line).encode()
        self.send(line + b"\n")
        return self.reply()

    def close(self) -> None:
        self.s.close()


def status(cfg: Path) -> tuple[int, dict, str]:
    cp = h.trendctl("--config", cfg, "--json", "status", timeout=15, quiet=True)
    try:
        return cp.returncode, json.loads(cp.stdout), cp.stderr
    except json.JSONDecodeError:
        h.fail(f"trendctl --json status printed no JSON\n{h.describe(cp)}")


def fd_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def check_metrics(text: str, c: h.Checker) -> None:
    helped, typed, sampled = set(), {}, set()
    for n, line in enumerate(text.splitlines(), start=1):
        if not line:
            c.add(f"metrics line {n} is empty")
            continue
        if line.startswith("#"):
            if m := HELP.match(line):
                helped.add(m.group(1))
            elif m := TYPE.match(line):
                c.true(m.group(1) not in typed, f"metrics: TYPE {m.group(1)} declared twice")
                typed[m.group(1)] = m.group(2)
            else:
                c.add(f"metrics line {n} is a comment but not HELP/TYPE: {line!r}")
            continue
        m = SAMPLE.match(line)
        if not m:
            c.add(f"metrics line {n} is not `name{{labels}} value`: {line!r}")
            continue
        name = m.group(1)
        sampled.add(name)
        c.true(name in typed, f"metrics: sample of {name} before (or without) its TYPE line")
        c.true(name in helped, f"metrics: sample of {name} without a HELP line")
    for name in ("trendd_polls_total", "trendd_loop_lag_seconds"):
        c.true(name in sampled, f"metrics: no {name} sample")
    c.eq(typed.get("trendd_polls_total"), "counter", "metrics: TYPE of trendd_polls_total")
    c.eq(typed.get("trendd_loop_lag_seconds"), "gauge", "metrics: TYPE of trendd_loop_lag_seconds")
    c.true(text.endswith("\n"), "metrics text ends with a newline")


def test(work: h.WorkDir) -> None:
    with h.FeedServer(lifetime=240) as srv:
        srv.put("us.xml", h.fixture("google-trends-rss-new-US-2026-10-01.xml"))
        srv.put("gb.xml", h.fixture("google-trends-rss-new-GB-2026-02-02.xml"))
        sock = work / "run" / "trendd.sock"
        feeds = [h.feed("us", srv.feed_url("us.xml"), geo="US", interval="10m"),
                 h.feed("slow", srv.fault_url("slow-headers", delay=1.5, file="gb.xml"), geo="GB",
                        interval="10m")]
        cfg = h.write_config(work / "trendd.toml", feeds,
                             daemon={"control_socket": str(sock), "fetch_timeout": "10s"})
        d = h.Daemon(cfg, work, "trendd").start()
        d2: h.Daemon | None = None
        d3: h.Daemon | None = None
        silent: list[socket.socket] = []
        try:
            h.wait_until(lambda: sock.exists() or not d.alive(), 15, "the control socket")
            h.true(d.alive(), f"trendd exited with {d.proc.returncode}:\n{d.log()[-3000:]}")
            c = h.Checker("control")

            # ---- 6a. socket mode ---------------------------------------------------------------
            st = os.stat(sock)
            c.true(stat.S_ISSOCK(st.st_mode), f"{sock} is a socket")
            c.eq(oct(stat.S_IMODE(st.st_mode)), oct(0o660), "control socket mode")

            # ---- 1. status while healthy -------------------------------------------------------
            rc, s, err = status(cfg)
            c.eq(rc, 0, f"trendctl status exit code while healthy ({err.strip()})")
            c.eq(s.get("health"), "ok", "status health")
            ds = (s.get("daemon") or {}).get("status") or {}
            c.eq((s.get("daemon") or {}).get("running"), True, "status daemon.running")
            c.eq(ds.get("pid"), d.pid, "status daemon pid")
            c.true(isinstance(ds.get("uptime_s"), int) and 0 <= ds["uptime_s"] < 60,
                   f"status uptime_s {ds.get('uptime_s')}")
            c.eq(sorted(f["name"] for f in ds.get("feeds", [])), ["slow", "us"], "status feeds")
            for f in ds.get("feeds", []):
                c.true(f.get("next_poll_at") or f.get("state") != "scheduled",
                       f"status: scheduled feed {f['name']} has a next_poll_at: {f}")
                c.eq(f.get("failures_in_row"), 0, f"status: {f['name']} failures_in_row")
            c.true(s.get("database", {}).get("schema_version", 0) > 0, "status database part")
            cp = h.trendctl("--config", cfg, "status", timeout=15)
            c.eq(cp.returncode, 0, f"trendctl status (text) exit code\n{h.describe(cp)}")
            c.true(f"pid {d.pid}" in cp.stdout and "healthy" in cp.stdout,
                   f"trendctl status (text) shows pid and health\n{h.describe(cp)}")

            # ---- 2. poll -----------------------------------------------------------------------
            # (A feed's first scheduled poll may come at any moment of its first 30 s: a poll
            # request then joins the transfer in flight, or finds the feed already polled.)
            t_before = time.time()
            cp = h.trendctl("--config", cfg, "poll", "slow", timeout=30)
            t_after = time.time()
            c.eq(cp.returncode, 0, f"trendctl poll slow exit code\n{h.describe(cp)}")
            c.eq(cp.stdout.strip(), "slow: ok", "trendctl poll slow output")
            answered = [r["t"] for r in srv.requests("/fault/slow-headers")
                        if t_before - 1.6 <= r["t"] and r["t"] + 1.45 <= t_after]
            c.true(answered, "trendctl poll slow returned only after a transfer of that feed was "
                             f"answered (1.5 s): it took {t_after - t_before:.2f} s, requests at "
                             f"{[round(r['t'] - t_before, 2) for r in srv.requests('/fault/slow-headers')]}")
            cp = h.trendctl("--config", cfg, "--json", "poll", "us", timeout=30)
            c.eq(cp.returncode, 0, f"trendctl --json poll us exit code\n{h.describe(cp)}")
            try:
                got = json.loads(cp.stdout)
                c.true(got in ({"polled": {"us": "ok"}}, {"polled": {"us": "not_modified"}}),
                       f"trendctl --json poll us: {got}")
            except json.JSONDecodeError:
                c.add(f"trendctl --json poll printed no JSON\n{h.describe(cp)}")
            cp = h.trendctl("--config", cfg, "poll", "nosuch", timeout=15)
            c.eq(cp.returncode, 1, f"trendctl poll nosuch exit code\n{h.describe(cp)}")
            c.true("unknown-feed" in cp.stderr, f"trendctl poll nosuch says unknown-feed\n{h.describe(cp)}")
            rc, s, err = status(cfg)
            c.eq(rc, 0, f"trendctl status exit code after the polls ({err.strip()})")
            fs = {f["name"]: f for f in ((s.get("daemon") or {}).get("status") or {}).get("feeds", [])}
            for name in ("us", "slow"):
                f = fs.get(name, {})
                c.true(f.get("last_poll_at"), f"status: {name} last_poll_at after a poll: {f}")
                c.true(f.get("last_outcome") in ("ok", "not_modified"), f"status: {name} last_outcome: {f}")
                c.true(f.get("next_poll_at") and f["next_poll_at"] > (f.get("last_poll_at") or ""),
                       f"status: {name} next_poll_at after last_poll_at: {f}")
                if f.get("last_outcome") == "ok":
                    c.true(f.get("last_items", 0) > 0, f"status: {name} last_items: {f}")

            # ---- 3. metrics --------------------------------------------------------------------
            cp = h.trendctl("--config", cfg, "metrics", timeout=15)
            c.eq(cp.returncode, 0, f"trendctl metrics exit code\n{h.describe(cp)}")
            check_metrics(cp.stdout, c)
            c.true(re.search(r'^trendd_polls_total\{feed="us",outcome="ok"\} [1-9]', cp.stdout, re.M),
                   f"metrics count the poll of us:\n{cp.stdout}")

            # ---- 4. raw protocol ----------------------------------------------------------------
            conn = Conn(sock)
            r = conn.ask(b"this is not json")
            c.eq((r.get("ok"), r.get("error")), (False, "bad-request"), f"malformed line: {r}")
            c.true(r.get("message"), "an error reply has a message")
            r = conn.ask({"v": 1, "cmd": "status"})
            c.eq(r.get("ok"), True, f"the same connection answers after a bad line: {str(r)[:300]}")
            c.eq((r.get("data") or {}).get("pid"), d.pid, "status over the raw socket: pid")
            r = conn.ask(b"[1, 2, 3]")
            c.eq(r.get("error"), "bad-request", f"a JSON array: {r}")
            r = conn.ask({"v": 1, "cmd": "explode"})
            c.eq(r.get("error"), "unknown-command", f"unknown command: {r}")
            r = conn.ask({"v": 99, "cmd": "status"})
            c.eq(r.get("error"), "unsupported-version", f"protocol version 99: {r}")
            r = conn.ask({"v": 1, "cmd": "metrics"})
            c.true(r.get("ok") and "trendd_up 1" in (r.get("data") or {}).get("text", ""),
                   f"metrics over the raw socket: {str(r)[:300]}")
            # Two requests in one write: two replies, in order.
            conn.send(b'{"v":1,"cmd":"poll","feed":"nosuch"}\n{"v":1,"cmd":"status"}\n')
            r1, r2 = conn.reply(), conn.reply()
            c.eq(r1.get("error"), "unknown-feed", f"first of two pipelined requests: {r1}")
            c.eq(r2.get("ok"), True, f"second of two pipelined requests: {str(r2)[:200]}")
            conn.close()
            conn = Conn(sock)
            r = conn.ask(b'{"v":1,"cmd":"status","pad":"' + b"x" * (70 * 1024) + b'"}')
            c.eq((r.get("ok"), r.get("error")), (False, "too-large"), f"a 70 KB line: {r}")
            conn.close()

            # ---- 5. a silent client, many quick clients ---------------------------------------
            for _ in range(3):
                s_ = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s_.connect(str(sock))
                silent.append(s_)
            half = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # half a line, then nothing
            half.connect(str(sock))
            half.sendall(b'{"v":1,"cmd":')
            silent.append(half)
            t0 = time.monotonic()
            conn = Conn(sock, timeout=2)
            r = conn.ask({"v": 1, "cmd": "status"})
            took = time.monotonic() - t0
            conn.close()
            c.eq(r.get("ok"), True, "status while silent clients are connected")
            c.true(took < 1.0, f"status answered in {took:.3f} s while silent clients wait (< 1 s)")
            cp = h.trendctl("--config", cfg, "status", timeout=15)
            c.true(cp.returncode == 0 and cp.duration < 2.0,  # type: ignore[attr-defined]
                   f"trendctl status with silent clients: exit {cp.returncode} in "
                   f"{cp.duration:.2f} s")  # type: ignore[attr-defined]

            fds_before = fd_count(d.pid)
            for i in range(100):
                s_ = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s_.connect(str(sock))
                if i % 2:
                    s_.sendall(b'{"v":1,"cmd":"status"}\n')  # and leave before the reply
                s_.close()
            for _ in range(20):  # and some that wait for their answer
                conn = Conn(sock)
                c.eq(conn.ask({"v": 1, "cmd": "status"}).get("ok"), True, "status in a quick loop")
                conn.close()
            h.wait_until(lambda: fd_count(d.pid) <= fds_before + 2, 5,
                         f"the daemon's descriptors to settle (before {fds_before}, now "
                         f"{fd_count(d.pid)})")
            cp = h.trendctl("--config", cfg, "status", timeout=15)
            c.eq(cp.returncode, 0, f"trendctl status after 120 quick connections\n{h.describe(cp)}")
            for s_ in silent:
                s_.close()
            silent.clear()
            c.true(d.alive(), "trendd survived the socket tests")

            # ---- 6b. a second trendd on the same socket ---------------------------------------
            d2 = h.Daemon(cfg, work, "second").start()
            assert d2.proc is not None
            try:
                rc2 = d2.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                rc2 = None
            c.eq(rc2, 1, f"a second trendd on the same socket exits 1; its log:\n{d2.log()[-2000:]}")
            c.true("another trendd" in d2.log(), f"the second trendd says why:\n{d2.log()[-2000:]}")
            c.true(sock.exists(), "the socket file is still there after the second trendd gave up")
            rc, s, err = status(cfg)
            c.eq((rc, ((s.get("daemon") or {}).get("status") or {}).get("pid")), (0, d.pid),
                 "the first trendd still answers (exit code, pid)")

            # ---- 6c. stop: the socket goes, status says "not running" ---------------------------
            assert d.proc is not None
            d.proc.send_signal(signal.SIGTERM)
            c.eq(d.proc.wait(timeout=10), 0, "first trendd exit code after SIGTERM")
            c.true(not sock.exists(), "the socket file is removed when trendd exits")
            cp = h.trendctl("--config", cfg, "status", timeout=15)
            c.eq(cp.returncode, 3, f"trendctl status with no daemon\n{h.describe(cp)}")
            c.true("not running" in cp.stdout and "database:" in cp.stdout and "us" in cp.stdout,
                   f"trendctl status with no daemon still prints the database part\n{h.describe(cp)}")
            rc, s, err = status(cfg)
            c.eq(rc, 3, "trendctl --json status with no daemon: exit code")
            c.eq((s.get("health"), (s.get("daemon") or {}).get("running"),
                  (s.get("daemon") or {}).get("status")), ("not_running", False, None),
                 "trendctl --json status with no daemon: health, daemon")
            c.true(s.get("database", {}).get("schema_version", 0) > 0 and s.get("feeds"),
                   f"trendctl --json status with no daemon: database part {str(s)[:500]}")
            for cmd in (["poll", "us"], ["metrics"], ["reload"]):
                cp = h.trendctl("--config", cfg, *cmd, timeout=15)
                c.eq(cp.returncode, 3, f"trendctl {' '.join(cmd)} with no daemon\n{h.describe(cp)}")

            # ---- 6d. a stale socket file (SIGKILL) is replaced ---------------------------------
            d3 = h.Daemon(cfg, work, "third").start()
            h.wait_until(lambda: sock.exists() or not d3.alive(), 15, "the third trendd's socket")
            h.wait_until(lambda: status(cfg)[0] == 0 or not d3.alive(), 10, "the third trendd answering")
            d3.kill()
            c.true(sock.exists(), "a SIGKILLed trendd leaves its socket file")
            cp = h.trendctl("--config", cfg, "status", timeout=15)
            c.eq(cp.returncode, 3, f"trendctl status with a stale socket file\n{h.describe(cp)}")
            d3 = h.Daemon(cfg, work, "fourth").start()
            h.wait_until(lambda: status(cfg)[0] == 0 or not d3.alive(), 15,
                         "a new trendd answering on the stale socket path")
            c.true(d3.alive(), f"a new trendd replaces a stale socket file:\n{d3.log()[-2000:]}")
            c.eq(oct(stat.S_IMODE(os.stat(sock).st_mode)), oct(0o660), "mode of the replaced socket")
            c.done()
        finally:
            for s_ in silent:
                s_.close()
            for x in (d, d2, d3):
                if x is not None:
                    x.kill()


if __name__ == "__main__":
    h.main(test, timeout=120)
