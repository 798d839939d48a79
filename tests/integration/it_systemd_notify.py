#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""sd_notify, reload, stop and log format, with this test playing systemd (Type=notify).

It binds an AF_UNIX SOCK_DGRAM socket, starts `trendd --config` with NOTIFY_SOCKET pointing at
it, WATCHDOG_USEC=1000000 and WATCHDOG_PID = the daemon's own pid (a shell that execs trendd),
and stderr a pipe whose dev:ino is in JOURNAL_STREAM, then checks:

1. READY=1 arrives, and only once the database exists with its schema (checked on arrival);
   STATUS= lines; WATCHDOG=1 about every 0.5 s (half of WATCHDOG_USEC).
2. SIGHUP with a good, changed config (a new feed): RELOADING=1 with MONOTONIC_USEC= (our
   CLOCK_MONOTONIC, within a few seconds), then READY=1; the new feed is in
   `trendctl --json status` -> daemon.status.feeds.
3. SIGHUP with a broken config: an error naming FILE:LINE is logged, RELOADING=1 / READY=1, the
   old feeds keep running (status unchanged); `trendctl reload` exits 1 with the error.
4. SIGTERM while a transfer is in flight (a feed on /fault/stall, fetch_timeout 60 s):
   STOPPING=1, exit code 0 within 5 s, the control socket is gone.
5. With JOURNAL_STREAM = dev:ino of stderr every log line starts with a <N> priority prefix
   (3..7); without it (or when it names another file) lines start with an ISO timestamp.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

WATCHDOG_USEC = 1_000_000
PRIORITY_LINE = re.compile(r"^<[3-7]>\S")
TIMESTAMP_LINE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z ")


class Notifications:
    """The NOTIFY_SOCKET end: every datagram with its arrival time (monotonic)."""

    def __init__(self, path: Path, on_datagram=None):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.1)
        self.items: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        self.stop_flag = threading.Event()
        self.on_datagram = on_datagram
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop_flag.is_set():
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            t = time.monotonic()
            text = data.decode(errors="replace")
            if self.on_datagram is not None:
                self.on_datagram(t, text)
            with self.lock:
                self.items.append((t, text))

    def all(self) -> list[tuple[float, str]]:
        with self.lock:
            return list(self.items)

    def with_field(self, field: str, since: int = 0) -> list[tuple[float, str]]:
        """Datagrams (from index `since`) with a line that is `field` or starts with it."""
        return [(t, d) for t, d in self.all()[since:]
                if any(line == field or line.startswith(field) for line in d.split("\n"))]

    def close(self) -> None:
        self.stop_flag.set()
        self.thread.join(timeout=5)
        self.sock.close()


class PipeReader:
    """Drains a pipe (the daemon's stderr) into a list of lines."""

    def __init__(self, fd: int):
        self.f = os.fdopen(fd, "rb")
        self.lines: list[str] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for raw in self.f:
            with self.lock:
                self.lines.append(raw.decode(errors="replace").rstrip("\n"))

    def text(self) -> str:
        with self.lock:
            return "\n".join(self.lines)

    def all(self) -> list[str]:
        with self.lock:
            return list(self.lines)

    def close(self) -> None:
        self.thread.join(timeout=5)
        self.f.close()


def feed_names(cfg: Path) -> list[str]:
    cp = h.trendctl("--config", cfg, "--json", "status", timeout=15, quiet=True)
    try:
        st = json.loads(cp.stdout)
    except json.JSONDecodeError:
        h.fail(f"trendctl --json status printed no JSON\n{h.describe(cp)}")
    status = (st.get("daemon") or {}).get("status")
    if not status:
        h.fail(f"trendctl status has no daemon part (is the daemon answering?)\n{h.describe(cp)}")
    return sorted(f["name"] for f in status["feeds"])


def feed_status(cfg: Path, name: str) -> dict:
    cp = h.trendctl("--config", cfg, "--json", "status", timeout=15, quiet=True)
    st = json.loads(cp.stdout)
    for f in ((st.get("daemon") or {}).get("status") or {}).get("feeds", []):
        if f["name"] == name:
            return f
    return {}


def plain_log_run(work: h.WorkDir, name: str, env: dict) -> list[str]:
    """Runs a feedless daemon with stderr to a file until it has logged its start; its lines."""
    d = work.mkdir(name)
    cfg = h.write_config(d / "trendd.toml", [], daemon={"control_socket": str(d / "trendd.sock")})
    err_path = d / "stderr"
    full_env = {k: v for k, v in os.environ.items() if k not in ("JOURNAL_STREAM", "NOTIFY_SOCKET")}
    full_env.update(env)
    with open(err_path, "wb") as err:
        proc = subprocess.Popen([h.trendd_bin(), "--config", str(cfg)], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, env=full_env)
    try:
        h.wait_until(lambda: "started" in err_path.read_text(errors="replace") or proc.poll() is not None,
                     15, f"{name}: the start log line")
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=5)
        h.eq(rc, 0, f"{name}: exit code after SIGTERM")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    return [line for line in err_path.read_text(errors="replace").splitlines() if line]


def test(work: h.WorkDir) -> None:
    with h.FeedServer(lifetime=240) as srv:
        srv.put("a.xml", h.fixture("google-trends-rss-new-US-2026-10-01.xml"))
        srv.put("b.xml", h.fixture("google-trends-rss-new-GB-2026-02-02.xml"))
        sock = work / "trendd.sock"
        db_path = work / "trendd.db"
        daemon_keys = {"control_socket": str(sock), "fetch_timeout": "60s",
                       "max_fetches_per_host": 8}
        feeds = [h.feed("alpha", srv.feed_url("a.xml"), geo="US", interval="10m"),
                 h.feed("stall", srv.fault_url("stall"), geo="US", interval="2s")]
        cfg = h.write_config(work / "trendd.toml", feeds, daemon=daemon_keys)
        # trendctl reads the socket path from a config too: a valid copy for status calls, so
        # that checks of the daemon do not depend on the file under test being valid.
        client_cfg = h.write_config(work / "client.toml", [], database=db_path,
                                    daemon={"control_socket": str(sock)})

        ready_checks: list[str] = []

        def on_datagram(t: float, text: str) -> None:
            # READY=1 must mean "database open and migrated": look at it the moment it arrives.
            if "READY=1" in text.split("\n") and not ready_checks:
                if not db_path.exists():
                    ready_checks.append("READY=1 arrived before the database file existed")
                    return
                con = h.db(db_path)
                try:
                    version = h.scalar(con, "PRAGMA user_version")
                    tables = {r["name"] for r in h.rows(con, "SELECT name FROM sqlite_master "
                                                             "WHERE type = 'table'")}
                finally:
                    con.close()
                missing = {"feeds", "polls", "terms", "observations", "articles", "spikes",
                           "drafts"} - tables
                if not version or missing:
                    ready_checks.append(f"READY=1 arrived with user_version {version}, "
                                        f"tables missing {sorted(missing)}")
                else:
                    ready_checks.append("ok")

        notes = Notifications(work / "notify.sock", on_datagram)
        r_fd, w_fd = os.pipe()
        st = os.fstat(w_fd)
        env = dict(os.environ)
        env.update({"NOTIFY_SOCKET": str(notes.path), "WATCHDOG_USEC": str(WATCHDOG_USEC),
                    "JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"})
        env.pop("WATCHDOG_PID", None)
        # systemd sets WATCHDOG_PID to the main pid: a shell that execs trendd keeps its pid.
        proc = subprocess.Popen(["/bin/sh", "-c", 'WATCHDOG_PID=$$; export WATCHDOG_PID; exec "$0" "$@"',
                                 h.trendd_bin(), "--config", str(cfg)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=w_fd,
                                env=env, pass_fds=())
        os.close(w_fd)
        errlog = PipeReader(r_fd)
        try:
            c = h.Checker("sd_notify")
            # ---- 1. READY, STATUS, WATCHDOG ----------------------------------------------------
            h.wait_until(lambda: notes.with_field("READY=1") or proc.poll() is not None, 15, "READY=1")
            h.true(proc.poll() is None, f"trendd exited with {proc.returncode}:\n{errlog.text()[-3000:]}")
            h.wait_until(lambda: ready_checks, 5, "the database check at READY=1")
            c.eq(ready_checks[0], "ok", "state of the database when READY=1 arrived")
            h.wait_until(lambda: notes.with_field("STATUS="), 5, "a STATUS= line")
            status_lines = [d for _, d in notes.with_field("STATUS=")]
            c.true(any(re.search(r"STATUS=.*\b2 feeds\b", d) for d in status_lines),
                   f"STATUS= names the feed count: {status_lines}")
            h.wait_until(lambda: len(notes.with_field("WATCHDOG=1")) >= 7, 10, "7 WATCHDOG=1 pings")
            pings = [t for t, _ in notes.with_field("WATCHDOG=1")]
            gaps = [b - a for a, b in zip(pings, pings[1:])]
            h.log("watchdog gaps: " + " ".join(f"{g:.3f}" for g in gaps))
            for g in gaps:
                c.true(0.4 <= g <= 0.75, f"WATCHDOG=1 every ~0.5 s (WATCHDOG_USEC/2); a gap of "
                                         f"{g:.3f} s (all: {[round(x, 3) for x in gaps]})")
            c.eq(len(notes.with_field("STOPPING=1")) + len(notes.with_field("RELOADING=1")), 0,
                 "no STOPPING/RELOADING before any signal")
            c.eq(feed_names(client_cfg), ["alpha", "stall"], "feeds in status at start")

            # ---- 2. good reload ------------------------------------------------------------------
            mark = len(notes.all())
            h.write_config(cfg, feeds + [h.feed("beta", srv.feed_url("b.xml"), geo="GB",
                                                interval="10m")], daemon=daemon_keys)
            proc.send_signal(signal.SIGHUP)
            h.wait_until(lambda: notes.with_field("RELOADING=1", mark), 10, "RELOADING=1 after SIGHUP")
            t_rel, d_rel = notes.with_field("RELOADING=1", mark)[0]
            m = re.search(r"^MONOTONIC_USEC=(\d+)$", d_rel, re.M)
            if not m:
                c.add(f"RELOADING=1 comes with MONOTONIC_USEC= in the same datagram: {d_rel!r}")
            else:
                now_usec = time.clock_gettime(time.CLOCK_MONOTONIC) * 1e6
                c.true(abs(now_usec - int(m.group(1))) < 5e6,
                       f"MONOTONIC_USEC={m.group(1)} is CLOCK_MONOTONIC (now {now_usec:.0f})")
            h.wait_until(lambda: [x for x in notes.with_field("READY=1", mark) if x[0] >= t_rel], 10,
                         "READY=1 after RELOADING=1")
            h.wait_until(lambda: "beta" in feed_names(client_cfg), 10, "feed beta in the status")
            c.eq(feed_names(client_cfg), ["alpha", "beta", "stall"], "feeds after the good reload")
            h.wait_until(lambda: feed_status(client_cfg, "beta").get("next_poll_at"), 5,
                         "beta to be scheduled")

            # ---- 3. broken reload ------------------------------------------------------------------
            good_text = cfg.read_text()
            bad_text = good_text + '\n[[feed]]\nname = "gamma"\nurl = "not a url"\ninterval = "banana"\n'
            bad_line = bad_text.splitlines().index('interval = "banana"') + 1
            cfg.write_text(bad_text)
            mark = len(notes.all())
            n_log = len(errlog.all())
            proc.send_signal(signal.SIGHUP)
            h.wait_until(lambda: any("reload refused: keeping" in ln for ln in errlog.all()[n_log:]), 10,
                         "the log line refusing the broken config")
            refused = "\n".join(errlog.all()[n_log:])
            c.true(f"{cfg}:{bad_line}:" in refused,
                   f"the log names {cfg}:{bad_line}: (the bad interval):\n{refused}")
            c.true(any(ln.startswith("<3>") and "reload refused" in ln for ln in errlog.all()[n_log:]),
                   f"the refusal is logged at error priority <3>:\n{refused}")
            h.wait_until(lambda: notes.with_field("READY=1", mark), 10, "READY=1 after a refused reload")
            c.true(notes.with_field("RELOADING=1", mark), "RELOADING=1 for the refused reload")
            c.eq(feed_names(client_cfg), ["alpha", "beta", "stall"],
                 "feeds after the refused reload (the old config keeps running)")
            c.true(proc.poll() is None, "trendd runs on after a broken config")
            cp = h.trendctl("--config", client_cfg, "reload", timeout=15)
            c.eq(cp.returncode, 1, f"trendctl reload (daemon refuses the file) exit code\n{h.describe(cp)}")
            c.true("invalid-config" in cp.stderr and f"{cfg}:{bad_line}:" in cp.stderr,
                   f"trendctl reload prints the daemon's error with FILE:LINE\n{h.describe(cp)}")
            # What an operator types: trendctl with the very file trendd was started with.
            cp = h.trendctl("--config", cfg, "reload", timeout=15)
            c.eq(cp.returncode, 1, f"trendctl --config <the broken file> reload exit code\n{h.describe(cp)}")
            c.true(f"{cfg}:{bad_line}:" in cp.stderr,
                   f"trendctl --config <the broken file> reload names FILE:LINE\n{h.describe(cp)}")
            cp = h.trendctl("--config", cfg, "status", timeout=15)
            c.true(cp.returncode in (0, 1) and "pid" in cp.stdout,
                   f"trendctl --config <the broken file> status still shows the running daemon "
                   f"(exit 0 or 1)\n{h.describe(cp)}")
            c.eq(feed_names(client_cfg), ["alpha", "beta", "stall"], "feeds after trendctl reload")

            # ---- 4. SIGTERM with a transfer in flight ---------------------------------------------
            h.wait_until(lambda: feed_status(client_cfg, "stall").get("state") == "polling", 10,
                         "the stall feed's transfer to be in flight")
            h.true(srv.requests("/fault/stall"), "the stall request reached the server")
            mark = len(notes.all())
            t0 = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                h.fail(f"trendd did not exit within 5 s of SIGTERM\n{errlog.text()[-3000:]}")
            took = time.monotonic() - t0
            h.log(f"SIGTERM with a stalled transfer in flight: exit {rc} after {took:.2f} s")
            c.eq(rc, 0, "exit code after SIGTERM")
            time.sleep(0.2)  # a datagram sent just before exit is already queued; let the reader take it
            c.true(notes.with_field("STOPPING=1", mark), "STOPPING=1 after SIGTERM")
            c.true(not sock.exists(), "the control socket file is removed at exit")

            # ---- 5. log format -------------------------------------------------------------------
            errlog.close()
            lines = [ln for ln in errlog.all() if ln]
            c.true(len(lines) >= 3, f"log lines with JOURNAL_STREAM: {lines}")
            bad = [ln for ln in lines if not PRIORITY_LINE.match(ln)]
            c.eq(bad, [], "log lines without a <N> priority prefix while JOURNAL_STREAM is stderr")
            c.done()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
            notes.close()

    c = h.Checker("log format without the journal")
    plain = plain_log_run(work, "plain", {})
    c.true(plain, "a plain run logs something")
    c.eq([ln for ln in plain if not TIMESTAMP_LINE.match(ln)], [],
         "log lines without JOURNAL_STREAM start with a timestamp")
    other = plain_log_run(work, "other-stream", {"JOURNAL_STREAM": "1:1"})
    c.eq([ln for ln in other if not TIMESTAMP_LINE.match(ln)], [],
         "log lines when JOURNAL_STREAM names another file start with a timestamp")
    c.done()


if __name__ == "__main__":
    h.main(test, timeout=120)
