#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""readability-lxml (Debian's python3-readability) on article pages, for bench/extract.

usage: readability_lxml.py PAGES_DIR NAME...

For each NAME, reads PAGES_DIR/NAME/source.html as bytes (readability-lxml decodes it
itself, as it would a fetched page) and prints one JSON line:
  {"page": NAME, "html": "<div>...</div>", "seconds": 0.123}
"html" is Document(...).summary(html_partial=True): the extracted content as an HTML
fragment; bench/extract takes its text the same way as expected.html's. On an error it prints
{"page": NAME, "error": "..."} instead. Needs /usr/bin/python3 (Debian's modules).
"""
import json
import logging
import pathlib
import sys
import time

logging.disable(logging.WARNING)  # readability-lxml logs every candidate it drops

try:
    from readability import Document
except ImportError as e:  # python3-readability is not installed
    print(json.dumps({"error": f"readability-lxml unavailable: {e}"}), flush=True)
    sys.exit(0)


def main() -> int:
    pages = pathlib.Path(sys.argv[1])
    for name in sys.argv[2:]:
        raw = (pages / name / "source.html").read_bytes()
        try:
            start = time.process_time()
            html = Document(raw).summary(html_partial=True)
            seconds = time.process_time() - start
            print(json.dumps({"page": name, "html": html, "seconds": seconds}), flush=True)
        except Exception as e:  # readability-lxml raises on pages it cannot read
            print(json.dumps({"page": name, "error": f"{type(e).__name__}: {e}"}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
