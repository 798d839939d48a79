# SPDX-License-Identifier: MIT
"""The life of a loopback test server, shared by feed_server.py and llm_stub.py.

serve() opens the request log, starts serving, writes the port file (atomically, once
listening), and runs until SIGTERM/SIGINT or until `lifetime` seconds passed, so a test that
crashed never leaves a server behind. `stop` is the event the server's handlers watch so that
stalls and trickles end promptly.
"""
from __future__ import annotations

import http.server
import os
import signal
import threading
import time


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that keeps stderr clean: the JSON request log is the record, and a
    client that hangs up (resets, closes mid-reply) is an expected event in these tests."""

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # noqa: A002
        pass

    def handle(self):
        try:
            super().handle()
        except OSError:  # reset, broken pipe, or a socket the handler closed itself
            self.close_connection = True

    def finish(self):
        try:
            super().finish()
        except (OSError, ValueError):
            pass


def serve(server, port_file: str, log_path: str | None, lifetime: float,
          stop: threading.Event) -> int:
    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server.log_lock = threading.Lock()
    server.request_log = open(log_path, "a", encoding="utf-8") if log_path else None

    loop = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    loop.start()
    port_file = os.path.abspath(port_file)
    tmp = f"{port_file}.tmp.{os.getpid()}"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(f"{server.server_address[1]}\n")
    os.replace(tmp, port_file)

    deadline = time.monotonic() + lifetime
    while not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            break
        stop.wait(min(left, 0.5))
    stop.set()
    server.shutdown()
    server.server_close()
    if server.request_log is not None:
        with server.log_lock:
            server.request_log.close()
    return 0
