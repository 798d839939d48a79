#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The API key never leaves the Authorization header. With a distinctive key and log_level =
"debug", the real `trendd --once` drafts through tests/support/llm_stub.py in five scenarios:

  good         a normal reply
  echo-401     401 whose message echoes the *full* key (the real one masks it: we make it worse)
  echo-200     a 200 reply whose content repeats the key (a model echoing what it was sent)
  timeout      the stub answers after the client's timeout (curl error messages, retries)
  credential   no api_key_env: the key comes from $CREDENTIALS_DIRECTORY/openai-api-key
               (with a trailing newline, which must not reach the header)

The stub checks that each request presented exactly `Bearer <key>`. Then the key (and its
distinctive middle) must appear nowhere: trendd's stdout and stderr, every byte of every file
in the work directory except the stub's own request log (the database, its WAL and SHM, the
draft files), and `trendctl` status / drafts / show output, text and --json.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402
import it_llm as L  # noqa: E402

KEY = "sk-test-TRENDD-SECRET-0123456789"
NEEDLES = [KEY.encode(), b"TRENDD-SECRET-0123456789", b"TRENDD-SECRET"]


def leaks(data: bytes | str) -> list[str]:
    if isinstance(data, str):
        data = data.encode("utf-8", errors="replace")
    found = []
    for n in NEEDLES:
        for variant in (n, n.decode().encode("utf-16-le")):
            i = data.find(variant)
            if i >= 0:
                ctx = data[max(0, i - 60): i + len(variant) + 40]
                found.append(f"{n.decode()!r} at byte {i}: ...{ctx!r}...")
                break
    return found


def run_case(work: h.WorkDir, name: str, script: list[dict], env: dict | None = None,
             cred_dir: bool = False, **openai) -> L.Case:
    case = L.Case(work, name, script, key=None if cred_dir else KEY, stub_key=KEY)
    with case:
        extra: dict = {}
        if cred_dir:
            d = case.dir / "credentials"
            d.mkdir()
            (d / "openai-api-key").write_text(KEY + "\n")
            (d / "openai-api-key").chmod(0o400)
            extra["CREDENTIALS_DIRECTORY"] = str(d)
            openai.setdefault("api_key_env", None)
        case.config(daemon={"log_level": "debug"}, **openai)
        if cred_dir:
            text = case.cfg.read_text()
            h.true("api_key_env" not in text, "credential: config without api_key_env (test bug)")
        case.once(env={**extra, **(env or {})})
        chats = case.chats()
        h.true(chats, f"{name}: the stub saw no call")
        for c in chats:
            h.eq(c["problems"], [], f"{name}: request check (the key is presented as 'Bearer <key>')")
            h.eq(h.header(c, "Authorization"), f"Bearer {KEY}", f"{name}: Authorization header")
        d = case.one_draft()
        h.log(f"  {name}: drafter={d['drafter']} status={d['status']} last_error={d['last_error']!r}")
    return case


def sweep(case: L.Case) -> list[str]:
    problems = []
    for cp in case.runs:
        for stream, text in (("stdout", cp.stdout), ("stderr", cp.stderr)):
            problems += [f"trendd {stream}: {x}" for x in leaks(text or "")]
    stub_dir = case.stub.dir.resolve()
    cred_dir = (case.dir / "credentials").resolve()
    files = 0
    for p in sorted(case.dir.rglob("*")):
        rp = p.resolve()
        if not p.is_file() or rp.is_relative_to(stub_dir) or rp.is_relative_to(cred_dir):
            continue
        files += 1
        problems += [f"{p.relative_to(case.dir)}: {x}" for x in leaks(p.read_bytes())]
    names = {p.name for p in case.dir.iterdir()}
    h.true("trendd.db" in names, f"{case.name}: no database to sweep ({sorted(names)})")
    ids = [d["id"] for d in case.drafts()]
    cmds = [["status"], ["drafts"], ["spikes", "--since", "all"]] + [["show", str(i)] for i in ids]
    for cmd in cmds:
        for json_flag in ([], ["--json"]):
            cp = h.trendctl("--config", case.cfg, *json_flag, *cmd, quiet=True)
            if cmd[0] != "status" and cp.returncode != 0:
                problems.append(f"trendctl {' '.join(json_flag + cmd)} exited {cp.returncode}: {cp.stderr.strip()[:300]}")
            problems += [f"trendctl {' '.join(json_flag + cmd)} {s}: {x}"
                         for s, t in (("stdout", cp.stdout), ("stderr", cp.stderr)) for x in leaks(t or "")]
    h.log(f"  {case.name}: swept {files} files, {len(cmds) * 2} trendctl outputs, "
          f"{sum(len(cp.stderr or '') for cp in case.runs)} bytes of logs")
    return problems


def test(work: h.WorkDir) -> None:
    fx401 = L.shared_fixture("openai-error-401-invalid_api_key.from-Taiko3615-RenPyChatGPTExample-issue2.json")
    import json
    err401 = json.loads(fx401.read_text())["error"]
    err401["message"] = ("Incorrect API key provided: {KEY}. You can find your API key at "
                         "https://platform.openai.com/account/api-keys.")
    echo = dict(L.GOOD, body=L.GOOD["body"] + "\nThe key you sent was {KEY} [1].\n")
    cases = [
        run_case(work, "good", [L.good()]),
        run_case(work, "echo-401", [{"status": 401, "error": err401}]),
        run_case(work, "echo-200", [{"status": 200, "content": echo, "usage": L.USAGE}]),
        run_case(work, "timeout", [{"status": 200, "content": L.GOOD, "delay": 6}], timeout="2s", max_attempts=2),
        run_case(work, "credential", [L.good()], cred_dir=True),
    ]
    # The 401 scenario proves the sweep can see the key: the stub really sent it back.
    h.true(KEY in (cases[1].dir / "stub" / "requests.jsonl").read_text(), "the stub log holds the key (sanity)")
    problems = []
    for case in cases:
        problems += [f"[{case.name}] {p}" for p in sweep(case)]
    d = cases[1].one_draft()
    h.true("Incorrect API key provided" in (d["last_error"] or ""),
           f"echo-401: the provider's message is kept (scrubbed): {d['last_error']!r}")
    if problems:
        h.fail(f"the API key leaked in {len(problems)} place(s):\n  - " + "\n  - ".join(problems))


if __name__ == "__main__":
    h.main(test)
