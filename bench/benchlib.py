# SPDX-License-Identifier: MIT
"""Shared helpers of the side-by-side benchmarks (Python 3 stdlib only).

Every comparison runs trendd and its yardstick alternately in the same run, several times, and
reports medians: on a shared machine absolute figures drift, ratios of the same run hold.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "bench" / "reference"
DEFAULT_BUILD = REPO / "build-bench"


class BenchError(Exception):
    pass


@dataclass
class Run:
    wall: float  # seconds
    cpu: float   # user + system seconds of the process and its children
    stdout: str


def run(cmd: list[str], cwd: Path | None = None) -> Run:
    """Runs cmd to completion: its wall time, its own CPU time (rusage from wait4) and stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise BenchError(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n"
                             f"{err.read().decode(errors='replace')[-2000:]}")
        return Run(wall, usage.ru_utime + usage.ru_stime, out.read().decode(errors="replace"))


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def figures(xs: list[float], unit: str = "s", scale: float = 1.0) -> str:
    """'1.23 s (1.20 1.23 1.40)': the median, then every run."""
    runs = " ".join(f"{x * scale:.2f}" for x in xs)
    return f"{median(xs) * scale:.2f} {unit} ({runs})"


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def binary(build: Path, name: str) -> Path:
    p = build / "daemon" / name
    if not os.access(p, os.X_OK):
        raise BenchError(f"{p} is not an executable: build it first "
                         f"(cmake --build {build} --target {name}; see bench/README.md)")
    return p


def in_workdir(name: str, keep: bool, body: Callable[[Path], None],
               errors: tuple[type[BaseException], ...] = ()) -> int:
    """Runs body(work) in a new temporary directory, removed afterwards unless `keep` or body
    failed (then it says where it is). Returns the exit status: 0, or 1 after a BenchError
    (or one of `errors`), printed as "bench/NAME.py: ...". """
    work = Path(tempfile.mkdtemp(prefix=f"trendd-bench-{name}-"))
    ok = False
    try:
        body(work)
        ok = True
    except (BenchError, *errors) as e:
        print(f"bench/{name}: {e}", file=sys.stderr)
    finally:
        if keep or not ok:
            print(f"work directory: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1
