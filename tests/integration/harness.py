# SPDX-License-Identifier: MIT
"""Shared helpers for trendd's integration tests (Python 3 stdlib only).

A test is a script `tests/integration/it_<name>.py` that does

    import harness as h

    def test(work: h.WorkDir) -> None:
        with h.FeedServer() as srv:
            ...
            h.fail("what differed")      # or h.eq(actual, expected, "what"), h.Checker()

    if __name__ == "__main__":
        h.main(test)

Exit codes (CTest): 0 pass, 1 fail, 125 skip. Environment (set by tests/CMakeLists.txt):
TRENDD, TRENDCTL (binaries), TRENDD_SOURCE_DIR (repo root), PYTHON3 (interpreter for helpers).
TRENDD_KEEP_TMP=1 keeps the work directory (it is always kept and printed on failure).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NoReturn, Sequence

PASS, FAIL, SKIP = 0, 1, 125
EX_CONFIG = 78


# ---- outcomes ----------------------------------------------------------------------------------
class TestFailure(Exception):
    """A test assertion failed; the message says what differed."""


class TestSkipped(Exception):
    """The test cannot run here (missing tool, not run via CTest, ...)."""


def fail(msg: str) -> NoReturn:
    raise TestFailure(msg)


def skip(msg: str) -> NoReturn:
    raise TestSkipped(msg)


def log(msg: str) -> None:
    print(msg, flush=True)


def _show(v: Any, limit: int = 400) -> str:
    s = repr(v)
    return s if len(s) <= limit else s[:limit] + f"... ({len(s)} chars)"


def _first_difference(actual: Any, expected: Any) -> str:
    """For two strings, where they first differ (long texts are cut in messages)."""
    if not (isinstance(actual, str) and isinstance(expected, str)):
        return ""
    i = next((k for k, (a, b) in enumerate(zip(actual, expected)) if a != b), min(len(actual), len(expected)))
    return (f" [first difference at character {i}: expected {expected[i:i + 20]!r}, "
            f"actual {actual[i:i + 20]!r}]")


def eq(actual: Any, expected: Any, what: str) -> None:
    """Fails at once when actual != expected, naming both."""
    if actual != expected:
        fail(f"{what}:\n    expected {_show(expected)}\n    actual   {_show(actual)}"
             + _first_difference(actual, expected))


def true(cond: Any, what: str) -> None:
    if not cond:
        fail(what)


class Checker:
    """Collects mismatches so one run reports every difference, not only the first.

        c = Checker("feed us")
        c.eq(row["rank"], 1, "rank of item 1")
        c.done()     # raises TestFailure listing all differences (if any)
    """

    def __init__(self, context: str = "", limit: int = 60):
        self.context = context
        self.limit = limit
        self.problems: list[str] = []

    def eq(self, actual: Any, expected: Any, what: str) -> bool:
        if actual != expected:
            self.problems.append(f"{what}: expected {_show(expected)}, actual {_show(actual)}"
                                 + _first_difference(actual, expected))
            return False
        return True

    def true(self, cond: Any, what: str) -> bool:
        if not cond:
            self.problems.append(what)
            return False
        return True

    def add(self, problem: str) -> None:
        self.problems.append(problem)

    def ok(self) -> bool:
        return not self.problems

    def done(self) -> None:
        if self.problems:
            shown = self.problems[: self.limit]
            more = len(self.problems) - len(shown)
            head = f"{self.context}: " if self.context else ""
            msg = f"{head}{len(self.problems)} difference(s):\n  - " + "\n  - ".join(shown)
            if more:
                msg += f"\n  ... and {more} more"
            fail(msg)


# ---- environment -------------------------------------------------------------------------------
def source_dir() -> Path:
    env = os.environ.get("TRENDD_SOURCE_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2]


def python3() -> str:
    return os.environ.get("PYTHON3") or sys.executable


def binary(var: str) -> str:
    """Path of a product binary from the environment; skips when unset (not run via CTest)."""
    path = os.environ.get(var)
    if not path:
        skip(f"${var} is not set: run this test through ctest (tests/CMakeLists.txt sets it)")
    if not os.access(path, os.X_OK):
        fail(f"${var}={path} is not an executable file")
    return path


def trendd_bin() -> str:
    return binary("TRENDD")


def trendctl_bin() -> str:
    return binary("TRENDCTL")


def fixture_dir() -> Path:
    return source_dir() / "examples" / "feeds"


def fixture(name: str) -> Path:
    p = fixture_dir() / name
    if not p.is_file():
        fail(f"fixture missing: {p}")
    return p


# ---- work directory ----------------------------------------------------------------------------
class WorkDir:
    """A temporary directory for one test; removed on success unless TRENDD_KEEP_TMP=1."""

    def __init__(self, prefix: str = "trendd-it-"):
        self.path = Path(tempfile.mkdtemp(prefix=prefix))
        self.keep = os.environ.get("TRENDD_KEEP_TMP", "") not in ("", "0")

    def __truediv__(self, other: str) -> Path:
        return self.path / other

    def mkdir(self, name: str) -> Path:
        p = self.path / name
        p.mkdir(parents=True, exist_ok=True)
        return p

    def cleanup(self, success: bool) -> None:
        if success and not self.keep:
            shutil.rmtree(self.path, ignore_errors=True)
        else:
            log(f"work directory kept: {self.path}")


# ---- processes ---------------------------------------------------------------------------------
def _fmt_cmd(cmd: Sequence[Any]) -> str:
    return " ".join(str(c) for c in cmd)


def run(cmd: Sequence[Any], timeout: float = 60, env: Mapping[str, str] | None = None,
        input: str | None = None, cwd: str | Path | None = None, quiet: bool = False
        ) -> subprocess.CompletedProcess:
    """Runs cmd to completion with a hard timeout. A hang is a test failure (the child is killed)
    with its output so far, never a hung CTest. stdout/stderr are captured as text."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    t0 = time.monotonic()
    try:
        cp = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, errors="replace",
                            timeout=timeout, env=full_env, input=input, cwd=cwd)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        fail(f"command did not finish within {timeout:g} s (killed): {_fmt_cmd(cmd)}\n"
             f"--- stdout ---\n{out[-4000:]}\n--- stderr ---\n{err[-4000:]}")
    cp.duration = time.monotonic() - t0  # type: ignore[attr-defined]
    if not quiet:
        log(f"$ {_fmt_cmd(cmd)}  -> exit {cp.returncode} in {cp.duration:.2f} s")  # type: ignore[attr-defined]
    return cp


def describe(cp: subprocess.CompletedProcess, tail: int = 4000) -> str:
    return (f"command: {_fmt_cmd(cp.args)}\nexit code: {cp.returncode}\n"
            f"--- stdout ---\n{(cp.stdout or '')[-tail:]}\n--- stderr ---\n{(cp.stderr or '')[-tail:]}")


def expect_exit(cp: subprocess.CompletedProcess, code: int, what: str = "") -> None:
    if cp.returncode != code:
        fail(f"{what + ': ' if what else ''}expected exit code {code}, got {cp.returncode}\n{describe(cp)}")


def trendd(*args: Any, timeout: float = 120, **kw: Any) -> subprocess.CompletedProcess:
    return run([trendd_bin(), *args], timeout=timeout, **kw)


def trendctl(*args: Any, timeout: float = 60, **kw: Any) -> subprocess.CompletedProcess:
    return run([trendctl_bin(), *args], timeout=timeout, **kw)


def wait_until(pred: Callable[[], Any], timeout: float, what: str, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= deadline:
            fail(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


# ---- the daemon --------------------------------------------------------------------------------
class Daemon:
    """A foreground `trendd --config CFG`, its stdout and stderr in files of the work directory.

        d = Daemon(cfg, work).start()
        ...
        rc, took = d.terminate(timeout=5)   # or d.kill()
    """

    def __init__(self, cfg: Path, work: "WorkDir", name: str = "trendd",
                 env: Mapping[str, str] | None = None):
        self.cfg = cfg
        self.out_path = work / f"{name}.stdout"
        self.err_path = work / f"{name}.stderr"
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Daemon":
        env = dict(os.environ)
        env.update(self.env or {})
        with open(self.out_path, "ab") as out, open(self.err_path, "ab") as err:
            self.proc = subprocess.Popen([trendd_bin(), "--config", str(self.cfg)],
                                         stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log(self) -> str:
        try:
            return self.err_path.read_text(errors="replace")
        except OSError:
            return ""

    def terminate(self, timeout: float = 10) -> tuple[int | None, float]:
        """SIGTERM; (exit code or None when it outlived `timeout`, seconds it took)."""
        assert self.proc is not None
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            rc = None
        return rc, time.monotonic() - t0

    def kill(self) -> None:
        if self.alive():
            assert self.proc is not None
            self.proc.kill()
            self.proc.wait(timeout=10)


def iso_to_unix(s: str) -> float:
    """"2026-11-27T18:00:00Z" -> UNIX seconds."""
    from datetime import datetime, timezone
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()


def status_json(cfg: Path, timeout: float = 15) -> tuple[int, dict]:
    """`trendctl --config CFG --json status`: (exit code, the parsed JSON)."""
    cp = trendctl("--config", cfg, "--json", "status", timeout=timeout, quiet=True)
    try:
        return cp.returncode, json.loads(cp.stdout)
    except json.JSONDecodeError:
        fail(f"trendctl --json status printed no JSON\n{describe(cp)}")


# ---- the feed server ---------------------------------------------------------------------------
class FeedServer:
    """tests/support/feed_server.py on 127.0.0.1, as a context manager.

        with FeedServer() as srv:             # serves a fresh temp dir (srv.root)
            srv.put("us.xml", fixture(...))   # or srv.write("us.xml", b"...")
            srv.url("/feed/us.xml")           # http://127.0.0.1:PORT/feed/us.xml
            srv.requests("/feed/us.xml")      # parsed request log entries, in order
    """

    SCRIPT = Path(__file__).resolve().parents[1] / "support" / "feed_server.py"

    def __init__(self, root: str | Path | None = None, lifetime: float = 600, start_timeout: float = 10,
                 state_dir: str | Path | None = None):
        """root: directory served under /feed/ (default: state_dir/root). state_dir: where the
        request log, port file and server stderr go (default: a new temp dir, removed on a clean
        exit of the with-block, kept and printed otherwise)."""
        if state_dir is None:
            self._own_dir = Path(tempfile.mkdtemp(prefix="trendd-feedsrv-"))
            self._remove_dir = True
        else:
            self._own_dir = Path(state_dir)
            self._own_dir.mkdir(parents=True, exist_ok=True)
            self._remove_dir = False
        self.root = Path(root) if root is not None else self._own_dir / "root"
        self.root.mkdir(parents=True, exist_ok=True)
        self.log_path = self._own_dir / "requests.jsonl"
        self.port_file = self._own_dir / "port"
        self.stderr_path = self._own_dir / "stderr"
        self.lifetime = lifetime
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None

    def start(self) -> "FeedServer":
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [python3(), str(self.SCRIPT), "--root", str(self.root), "--port-file", str(self.port_file),
             "--log", str(self.log_path), "--lifetime", str(self.lifetime)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr)
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self.port_file.exists():
                text = self.port_file.read_text().strip()
                if text.isdigit():
                    self.port = int(text)
                    return self
            if self.proc.poll() is not None:
                fail(f"feed server exited with {self.proc.returncode} before listening:\n{self.stderr()}")
            if time.monotonic() >= deadline:
                self.stop()
                fail(f"feed server wrote no port file within {self.start_timeout:g} s:\n{self.stderr()}")
            time.sleep(0.02)

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                log("warning: feed server ignored SIGTERM for 10 s and was killed")
        self._stderr.close()
        err = self.stderr()
        if err.strip():
            log(f"feed server stderr:\n{err}")
        rc = self.proc.returncode
        self.proc = None
        return rc

    def __enter__(self) -> "FeedServer":
        return self.start()

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        self.stop()
        if self._remove_dir and exc_type is None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
        elif exc_type is not None:
            log(f"feed server files (request log, stderr) kept in {self._own_dir}")

    def stderr(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""

    # URLs
    @property
    def base(self) -> str:
        if self.port is None:
            fail("feed server not started")
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """url("/feed/us.xml") or url("fault/status?code=500")."""
        return self.base + "/" + path.lstrip("/")

    def feed_url(self, name: str) -> str:
        return self.url("/feed/" + urllib.parse.quote(name))

    def fault_url(self, kind: str, **params: Any) -> str:
        q = urllib.parse.urlencode(params)
        return self.url(f"/fault/{kind}" + (f"?{q}" if q else ""))

    # content
    def write(self, name: str, data: bytes | str) -> Path:
        """Atomically (re)writes root/name. Its mtime always moves forward by at least 2 s, so a
        client that validates with If-Modified-Since (1 s resolution) sees the change."""
        path = self.root / name
        if isinstance(data, str):
            data = data.encode()
        old = path.stat().st_mtime if path.exists() else None
        tmp = path.with_name(f".{name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        if old is not None:
            now = time.time()
            new = max(now, math.floor(old) + 2)
            os.utime(path, (new, new))
        return path

    def put(self, name: str, src: str | Path) -> Path:
        """Copies a file (e.g. a fixture) to root/name."""
        return self.write(name, Path(src).read_bytes())

    # request log
    def requests(self, path_prefix: str | None = None) -> list[dict]:
        """Every request logged so far ({"t", "method", "path", "headers"}), optionally only those
        whose path (with query) starts with path_prefix."""
        try:
            lines = self.log_path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        out = []
        for line in lines:
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line being written right now
            if path_prefix is None or rec["path"].startswith(path_prefix):
                out.append(rec)
        return out


def header(rec: dict, name: str) -> str | None:
    """Case-insensitive header lookup in a request log entry."""
    for k, v in rec.get("headers", {}).items():
        if k.lower() == name.lower():
            return v
    return None


# ---- configuration -----------------------------------------------------------------------------
def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (str, Path)):
        s = str(v)
        out = []
        for ch in s:
            o = ord(ch)
            if ch == "\\":
                out.append("\\\\")
            elif ch == '"':
                out.append('\\"')
            elif ch == "\n":
                out.append("\\n")
            elif ch == "\t":
                out.append("\\t")
            elif o < 0x20 or o == 0x7F:
                out.append(f"\\u{o:04X}")
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def toml_key(k: str) -> str:
    return k if k and all(c.isalnum() or c in "-_" for c in k) and k.isascii() else toml_value(k)


def feed(name: str, url: str, geo: str = "", type: str = "google-trends-rss", interval: str = "10m",
         **extra: Any) -> dict:
    """One [[feed]] entry for write_config."""
    d = {"name": name, "type": type, "url": url, "geo": geo, "interval": interval}
    d.update(extra)
    return d


def write_config(path: str | Path, feeds: Iterable[Mapping[str, Any]] = (), extra_toml: str = "",
                 database: str | Path | None = None, drafts_dir: str | Path | None = None,
                 daemon: Mapping[str, Any] | None = None) -> Path:
    """Writes a trendd TOML config and returns its path.

    database / drafts_dir default to trendd.db / drafts/ beside the config. `daemon` adds keys to
    [daemon] (fetch_timeout="3s", max_feed_bytes=1048576, ...); each feed is a mapping written as
    a [[feed]] table (see feed()); extra_toml is appended verbatim ([[rule]], [drafter], ...)."""
    path = Path(path)
    d: dict[str, Any] = {
        "database": str(database) if database is not None else str(path.parent / "trendd.db"),
        "drafts_dir": str(drafts_dir) if drafts_dir is not None else str(path.parent / "drafts"),
    }
    d.update(daemon or {})
    lines = ["# written by tests/integration/harness.py", "[daemon]"]
    lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in d.items()]
    for f in feeds:
        lines += ["", "[[feed]]"]
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in f.items()]
    text = "\n".join(lines) + "\n"
    if extra_toml:
        text += "\n" + extra_toml.strip("\n") + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---- the database ------------------------------------------------------------------------------
def db(path: str | Path) -> sqlite3.Connection:
    """A read-only connection (file:...?mode=ro) with sqlite3.Row rows. Fails when the file is
    missing (mode=ro never creates it)."""
    path = Path(path)
    if not path.exists():
        fail(f"database does not exist: {path}")
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    con = sqlite3.connect(uri, uri=True, timeout=10)
    con.row_factory = sqlite3.Row
    return con


def rows(con: sqlite3.Connection, sql: str, *params: Any) -> list[dict]:
    """Query results as plain dicts (easy to compare and print)."""
    return [dict(r) for r in con.execute(sql, params).fetchall()]


def scalar(con: sqlite3.Connection, sql: str, *params: Any) -> Any:
    r = con.execute(sql, params).fetchone()
    return None if r is None else r[0]


def table_counts(con: sqlite3.Connection, tables: Iterable[str]) -> dict[str, int]:
    return {t: scalar(con, f"SELECT count(*) FROM {t}") for t in tables}


def check_integrity(con: sqlite3.Connection) -> None:
    res = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
    eq(res, ["ok"], "PRAGMA integrity_check")
    fk = [tuple(r) for r in con.execute("PRAGMA foreign_key_check").fetchall()]
    eq(fk, [], "PRAGMA foreign_key_check (dangling references)")


# ---- entry point -------------------------------------------------------------------------------
def main(test: Callable[[WorkDir], None], timeout: float = 270) -> None:
    """Runs test(work_dir) and exits 0 / 1 / 125. `timeout` (below CTest's 300 s) turns a hang
    anywhere into a failure with a traceback of where it hung, so cleanup still runs."""
    def on_alarm(signum, frame):
        raise TestFailure(f"test exceeded its {timeout:g} s budget; stuck at:\n"
                          + "".join(traceback.format_stack(frame)))

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(timeout))
    work = WorkDir()
    code = FAIL
    try:
        test(work)
        code = PASS
        log("PASS")
    except TestSkipped as e:
        code = SKIP
        log(f"SKIP: {e}")
    except TestFailure as e:
        log(f"FAIL: {e}")
    except Exception:  # noqa: BLE001 - any crash of the test itself is a failure with a trace
        log("FAIL: the test raised:\n" + traceback.format_exc())
    finally:
        signal.alarm(0)
        work.cleanup(code != FAIL)
    sys.stdout.flush()
    sys.exit(code)
