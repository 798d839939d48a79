#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A scripted OpenAI-compatible chat-completions server and webhook sink for trendd's
integration tests (Python 3 stdlib only).

    llm_stub.py --port-file FILE [--log FILE] [--lifetime SECONDS] [--script FILE]
                [--key KEY] [--model NAME] [--hook-script FILE]

Binds 127.0.0.1 on an ephemeral port, writes the port to --port-file (temp + rename) once
listening, serves until SIGTERM/SIGINT or --lifetime seconds (default 600), exits 0.

Routes
  POST /v1/chat/completions   checked, logged, answered by the next step of --script
  GET  /v1/models             {"object":"list","data":[{"id":<--model or "test-model">}]}
  POST /hook[/...]            webhook sink: logged (headers + raw body), answered by the next
                              step of --hook-script (default: always 200 {"ok":true})
  anything else               404 (logged)

Request check (chat completions). Every problem found is listed in the log entry's "problems"
(tests require it to be empty) and, when there is any, the reply is 400 with an OpenAI error
envelope naming them instead of the scripted step (the step is still consumed):
  method POST and path /v1/chat/completions; Content-Type application/json; when --key is
  given, `Authorization: Bearer <KEY>` exactly; the body is a JSON object with a non-empty
  string "model" (equal to --model when given), "messages" a non-empty list of
  {"role": system|user|assistant, "content": str}, and "response_format" {"type":"json_object"}.

Script: a JSON list of steps, consumed in order; after the last one the last repeats. A step:
  {"status": 200,                 default 200
   "content": {...} | "text",     200: choices[0].message.content (an object is serialised
                                  with json.dumps; a string is sent as is)
   "usage": {...} | null,         200: usage (default: 1000 prompt / 500 completion / 0 cached;
                                  null leaves usage out)
   "shape": "openai" | "ollama",  200: full OpenAI reply (default) or Ollama's compact one
   "model": "name",               200: reply's model (default: the request's)
   "error": {...},                >= 400: body {"error": <this>} (default: a generic envelope;
                                  500-599 without "error" send a plain-text body)
   "body": "raw" | "body_file": P  exact reply body instead (a fixture, verbatim)
   "retry_after": "2" | "date+3",  Retry-After header (seconds as given, or "date+N": the
                                  HTTP-date N seconds from now)
   "headers": {...},              extra reply headers
   "delay": seconds,              sleep before answering (a client timeout leaves us talking
                                  to a closed socket, which is fine)
   "close": true,                 close the connection without any answer (network error)
   "align": 0.9}                  after any delay, wait until the wall clock's fraction of a
                                  second is >= this before answering (makes the sub-second
                                  phase of the answer deterministic, e.g. to catch a client
                                  that rounds Retry-After down to whole seconds)
  In every string of error / body, "{KEY}" is replaced by the bearer token the request
  presented (tests make the stub echo the full key, to prove trendd scrubs it).

Hook script: the same list semantics, steps {"status": N, "delay": s, "align": f, "close": true,
"body": "", "retry_after": "3" | "date+N"}; each answer sent is logged as route "hook-reply".

Log: one JSON line per request, flushed when the request has been read (before any delay):
  {"t": unix float, "route": "chat"|"hook"|"models"|"other", "method", "path", "headers",
   "body": raw text, "body_b64": raw bytes in base64, "json": parsed body or null,
   "step": index of the script step used or null, "status": planned status or null,
   "problems": [...]}
and, once a scripted chat answer has been sent, {"t": unix float, "route": "chat-reply",
   "step", "status", "headers": {the reply headers we added, e.g. Retry-After}}.

The module also provides `LLMStub`, a context manager that runs this script for a test.
"""

from __future__ import annotations

import argparse
import base64
import email.utils
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import serving  # tests/support/serving.py, beside this file
from pathlib import Path
from typing import Any

STOP = threading.Event()


# ---- the server -----------------------------------------------------------------------------
class Script:
    """Steps consumed in order, the last one repeating; thread-safe."""

    def __init__(self, steps: list[dict] | None, default: dict):
        self.steps = list(steps) if steps else [default]
        self.next = 0
        self.lock = threading.Lock()

    def take(self) -> tuple[int, dict]:
        with self.lock:
            i = min(self.next, len(self.steps) - 1)
            self.next += 1
            return i, self.steps[i]


def _substitute(v: Any, key: str) -> Any:
    if isinstance(v, str):
        return v.replace("{KEY}", key)
    if isinstance(v, list):
        return [_substitute(x, key) for x in v]
    if isinstance(v, dict):
        return {k: _substitute(x, key) for k, x in v.items()}
    return v


DEFAULT_USAGE = {"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500,
                 "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                 "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                               "accepted_prediction_tokens": 0,
                                               "rejected_prediction_tokens": 0}}


def completion_body(step: dict, request_model: str, counter: int) -> bytes:
    content = step.get("content", "")
    if not isinstance(content, str):
        content = json.dumps(content, ensure_ascii=False)
    model = step.get("model", request_model)
    usage = step.get("usage", DEFAULT_USAGE)
    if usage is not None and "total_tokens" not in usage and \
            isinstance(usage.get("prompt_tokens"), int) and isinstance(usage.get("completion_tokens"), int):
        usage = dict(usage, total_tokens=usage["prompt_tokens"] + usage["completion_tokens"])
    if step.get("shape") == "ollama":  # compact, as Ollama's /v1 compat layer answers
        reply = {"id": f"chatcmpl-{300 + counter}", "object": "chat.completion",
                 "created": int(time.time()), "model": model, "system_fingerprint": "fp_ollama",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                              "finish_reason": step.get("finish_reason", "stop")}]}
        if usage is not None:
            reply["usage"] = usage
        return json.dumps(reply, separators=(",", ":"), ensure_ascii=False).encode()
    reply = {"id": f"chatcmpl-STUB{counter:06d}", "object": "chat.completion",
             "created": int(time.time()), "model": model,
             "choices": [{"index": 0,
                          "message": {"role": "assistant", "content": content, "refusal": None,
                                      "annotations": []},
                          "logprobs": None, "finish_reason": step.get("finish_reason", "stop")}]}
    if usage is not None:
        reply["usage"] = usage
    reply["service_tier"] = "default"
    reply["system_fingerprint"] = "fp_stub"
    return json.dumps(reply, indent=2, ensure_ascii=False).encode()


def error_envelope(message: str, type_: str = "invalid_request_error", code: str | None = None) -> dict:
    return {"message": message, "type": type_, "param": None, "code": code}


class Handler(serving.QuietHandler):
    protocol_version = "HTTP/1.1"
    server_version = "trendd-test-llm-stub/1"

    # ---- plumbing ----------------------------------------------------------------------------
    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def record(self, route: str, body: bytes, parsed: Any, step: int | None, status: int | None,
               problems: list[str]) -> None:
        log = self.server.request_log  # type: ignore[attr-defined]
        if log is None:
            return
        rec = {"t": self.t_received, "route": route, "method": self.command, "path": self.path,
               "headers": {k: v for k, v in self.headers.items()},
               "body": body.decode("utf-8", errors="replace"),
               "body_b64": base64.b64encode(body).decode("ascii"),
               "json": parsed, "step": step, "status": status, "problems": problems}
        line = json.dumps(rec, ensure_ascii=False) + "\n"
        with self.server.log_lock:  # type: ignore[attr-defined]
            if not log.closed:
                log.write(line)
                log.flush()

    def send_body(self, status: int, body: bytes, ctype: str = "application/json",
                  extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        if body:
            self.wfile.write(body)
        self.wfile.flush()

    def pause(self, step: dict) -> bool:
        """Sleeps step["delay"], then until the clock's fraction reaches step["align"];
        False when the server is stopping."""
        delay = float(step.get("delay", 0) or 0)
        if delay > 0 and STOP.wait(delay):
            return False
        align = step.get("align")
        if align is not None:
            frac = time.time() % 1.0
            wait = float(align) - frac if frac < float(align) else 1.0 - frac + float(align)
            if STOP.wait(wait):
                return False
        return True

    def record_reply(self, step: int, status: int, headers: dict, route: str = "chat-reply") -> None:
        log = self.server.request_log  # type: ignore[attr-defined]
        if log is None:
            return
        line = json.dumps({"t": time.time(), "route": route, "step": step, "status": status,
                           "headers": headers}) + "\n"
        with self.server.log_lock:  # type: ignore[attr-defined]
            if not log.closed:
                log.write(line)
                log.flush()

    def abort(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # ---- dispatch ----------------------------------------------------------------------------
    def do_GET(self):
        self.t_received = time.time()
        path = self.path.split("?", 1)[0]
        if path.rstrip("/") == "/v1/models":
            self.record("models", b"", None, None, 200, [])
            model = self.server.model or "test-model"  # type: ignore[attr-defined]
            body = json.dumps({"object": "list", "data": [{"id": model, "object": "model",
                                                            "created": 0, "owned_by": "stub"}]})
            return self.send_body(200, body.encode())
        self.record("other", b"", None, None, 404, [])
        self.send_body(404, json.dumps({"error": error_envelope(f"no route {path}")}).encode())

    def do_POST(self):
        self.t_received = time.time()
        body = self.read_body()
        path = self.path.split("?", 1)[0]
        if path == "/v1/chat/completions":
            return self.chat(body)
        if path == "/hook" or path.startswith("/hook/"):
            return self.hook(body)
        self.record("other", body, None, None, 404, [f"unexpected POST {self.path}"])
        self.send_body(404, json.dumps({"error": error_envelope(f"no route {path}")}).encode())

    # ---- chat completions ---------------------------------------------------------------------
    def check(self, body: bytes) -> tuple[Any, list[str], str]:
        problems: list[str] = []
        ctype = self.headers.get("Content-Type", "")
        if ctype.split(";")[0].strip().lower() != "application/json":
            problems.append(f"Content-Type is {ctype!r}, not application/json")
        auth = self.headers.get("Authorization")
        presented = auth[len("Bearer "):] if auth and auth.startswith("Bearer ") else ""
        key = self.server.key  # type: ignore[attr-defined]
        if key is not None and auth != f"Bearer {key}":
            problems.append("Authorization is not 'Bearer <the expected key>'"
                            + (" (header missing)" if auth is None else f" (got {len(auth)} chars)"))
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            problems.append(f"body is not JSON: {e}")
            return None, problems, presented
        if not isinstance(parsed, dict):
            problems.append("body is not a JSON object")
            return parsed, problems, presented
        model = parsed.get("model")
        if not isinstance(model, str) or not model:
            problems.append("model missing or not a non-empty string")
        elif self.server.model is not None and model != self.server.model:  # type: ignore[attr-defined]
            problems.append(f"model is {model!r}, expected {self.server.model!r}")  # type: ignore[attr-defined]
        msgs = parsed.get("messages")
        if not isinstance(msgs, list) or not msgs:
            problems.append("messages missing or empty")
        else:
            for i, m in enumerate(msgs):
                if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant") \
                        or not isinstance(m.get("content"), str):
                    problems.append(f"messages[{i}] is not {{role, content: string}}: {str(m)[:200]}")
        if parsed.get("response_format") != {"type": "json_object"}:
            problems.append(f"response_format is {parsed.get('response_format')!r}, "
                            "not {'type': 'json_object'}")
        return parsed, problems, presented

    def chat(self, body: bytes):
        index, status, extra = self.chat_answer(body)
        if status is not None:
            self.record_reply(index, status, extra)

    def chat_answer(self, body: bytes) -> tuple[int, int | None, dict]:
        """Answers; returns (step, status sent or None when nothing was sent, headers added)."""
        parsed, problems, presented = self.check(body)
        index, step = self.server.script.take()  # type: ignore[attr-defined]
        step = _substitute(step, presented)
        status = 400 if problems else int(step.get("status", 200))
        self.record("chat", body, parsed, index, status, problems)
        if problems:
            env = {"error": error_envelope("trendd test stub: request check failed: " + "; ".join(problems))}
            self.send_body(400, json.dumps(env, indent=4).encode())
            return index, 400, {}
        if not self.pause(step) or step.get("close"):
            self.abort()
            return index, None, {}
        extra = {k: str(v) for k, v in step.get("headers", {}).items()}
        ra = step.get("retry_after")
        if ra is not None:
            ra = str(ra)
            if ra.startswith("date+"):
                ra = email.utils.formatdate(time.time() + float(ra[5:]), usegmt=True)
            extra["Retry-After"] = ra
        if "body_file" in step:
            data = Path(step["body_file"]).read_bytes().replace(b"{KEY}", presented.encode())
            self.send_body(status, data, extra=extra)
        elif "body" in step:
            self.send_body(status, str(step["body"]).encode(), extra=extra)
        elif status == 200:
            model = parsed.get("model", "") if isinstance(parsed, dict) else ""
            self.send_body(200, completion_body(step, model, index), extra=extra)
        elif "error" in step:
            self.send_body(status, json.dumps({"error": step["error"]}, indent=4).encode(), extra=extra)
        elif 500 <= status <= 599:
            text = f"{status} {self.responses.get(status, ('Error',))[0]} (injected by llm_stub)\n"
            self.send_body(status, text.encode(), "text/plain; charset=utf-8", extra)
        else:
            env = {"error": error_envelope(f"injected HTTP {status} by llm_stub")}
            self.send_body(status, json.dumps(env).encode(), extra=extra)
        return index, status, extra

    # ---- webhook sink --------------------------------------------------------------------------
    def hook(self, body: bytes):
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            parsed = None
        index, step = self.server.hook_script.take()  # type: ignore[attr-defined]
        status = int(step.get("status", 200))
        self.record("hook", body, parsed, index, status, [])
        if not self.pause(step):
            return self.abort()
        if step.get("close"):
            return self.abort()
        extra = {}
        if step.get("retry_after") is not None:
            ra = str(step["retry_after"])
            if ra.startswith("date+"):
                ra = email.utils.formatdate(time.time() + float(ra[5:]), usegmt=True)
            extra["Retry-After"] = ra
        out = step.get("body", '{"ok":true}' if status < 300 else f"hook failure {status} (llm_stub)")
        self.send_body(status, str(out).encode(), "application/json" if status < 300 else "text/plain", extra)
        self.record_reply(index, status, extra, route="hook-reply")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (OSError, ValueError)):
            return
        super().handle_error(request, client_address)


def load_steps(path: str | None) -> list[dict] | None:
    if not path:
        return None
    steps = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise SystemExit(f"{path}: a script is a JSON list of objects")
    return steps


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--lifetime", type=float, default=600.0)
    ap.add_argument("--script", help="JSON list of chat-completion steps")
    ap.add_argument("--hook-script", help="JSON list of webhook steps")
    ap.add_argument("--key", help="the API key the requests must present (unchecked when absent)")
    ap.add_argument("--model", help="the model the requests must name (unchecked when absent)")
    args = ap.parse_args(argv)

    server = Server(("127.0.0.1", 0), Handler)
    server.script = Script(load_steps(args.script), {"status": 200, "content": {  # type: ignore[attr-defined]
        "title": "Stub title", "summary": "Stub summary.", "tags": ["stub"], "body": "Stub body [1]."}})
    server.hook_script = Script(load_steps(args.hook_script), {"status": 200})  # type: ignore[attr-defined]
    server.key = args.key  # type: ignore[attr-defined]
    server.model = args.model  # type: ignore[attr-defined]
    return serving.serve(server, args.port_file, args.log, args.lifetime, STOP)


# ---- the test-side wrapper ----------------------------------------------------------------------
class StubError(Exception):
    """The stub could not start (a test failure)."""


class LLMStub:
    """Runs this script as a subprocess for a test.

        with LLMStub(state_dir, script=[...], hook_script=[...], key="sk-...") as stub:
            stub.base_url            # http://127.0.0.1:PORT/v1
            stub.hook_url            # http://127.0.0.1:PORT/hook
            stub.chats()             # logged chat-completion requests, in order
            stub.hooks()             # logged webhook POSTs, in order
    """

    SCRIPT = Path(__file__).resolve()

    def __init__(self, state_dir: str | Path | None = None, script: list[dict] | None = None,
                 hook_script: list[dict] | None = None, key: str | None = None,
                 model: str | None = None, lifetime: float = 600, python: str | None = None):
        if state_dir is None:
            self.dir = Path(tempfile.mkdtemp(prefix="trendd-llmstub-"))
            self._remove = True
        else:
            self.dir = Path(state_dir)
            self.dir.mkdir(parents=True, exist_ok=True)
            self._remove = False
        self.script, self.hook_script = script, hook_script
        self.key, self.model, self.lifetime = key, model, lifetime
        self.python = python or os.environ.get("PYTHON3") or sys.executable
        self.log_path = self.dir / "requests.jsonl"
        self.port_file = self.dir / "port"
        self.stderr_path = self.dir / "stderr"
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None

    def start(self) -> "LLMStub":
        cmd = [self.python, str(self.SCRIPT), "--port-file", str(self.port_file), "--log", str(self.log_path),
               "--lifetime", str(self.lifetime)]
        if self.script is not None:
            p = self.dir / "script.json"
            p.write_text(json.dumps(self.script, indent=1, ensure_ascii=False), encoding="utf-8")
            cmd += ["--script", str(p)]
        if self.hook_script is not None:
            p = self.dir / "hook-script.json"
            p.write_text(json.dumps(self.hook_script, indent=1), encoding="utf-8")
            cmd += ["--hook-script", str(p)]
        if self.key is not None:
            cmd += ["--key", self.key]
        if self.model is not None:
            cmd += ["--model", self.model]
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self._stderr)
        deadline = time.monotonic() + 10
        while True:
            if self.port_file.exists():
                text = self.port_file.read_text().strip()
                if text.isdigit():
                    self.port = int(text)
                    return self
            if self.proc.poll() is not None:
                raise StubError(f"llm stub exited with {self.proc.returncode}:\n{self.stderr()}")
            if time.monotonic() >= deadline:
                self.stop()
                raise StubError(f"llm stub wrote no port file within 10 s:\n{self.stderr()}")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()
        err = self.stderr()
        if err.strip():
            print(f"llm stub stderr:\n{err}", flush=True)
        self.proc = None

    def __enter__(self) -> "LLMStub":
        return self.start()

    def __exit__(self, exc_type, *rest) -> None:
        self.stop()
        if self._remove and exc_type is None:
            shutil.rmtree(self.dir, ignore_errors=True)

    def stderr(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return self.base + "/v1"

    @property
    def hook_url(self) -> str:
        return self.base + "/hook"

    def requests(self, route: str | None = None) -> list[dict]:
        try:
            lines = self.log_path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        out = []
        for line in lines:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if route is None or rec.get("route") == route:
                out.append(rec)
        return out

    def chats(self) -> list[dict]:
        return self.requests("chat")

    def hooks(self) -> list[dict]:
        return self.requests("hook")

    def hook_replies(self) -> list[dict]:
        return self.requests("hook-reply")

    def replies(self) -> list[dict]:
        """When each scripted chat answer was sent ({"t", "step", "status", "headers"})."""
        return self.requests("chat-reply")


if __name__ == "__main__":
    sys.exit(main())
