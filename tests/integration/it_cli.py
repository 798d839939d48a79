#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""trendctl's habits, as an operator meets them (CTest it.it_cli; docs/cli.md).

1. A mistyped command: `trendctl: unknown command "staus"; did you mean "status"?`, exit 2;
   no command at all names the commands, exit 2.
2. A `--config` that does not exist is an error naming the file (exit 2), never a fallback to
   /var/lib/trendd.
3. Under `--json` every error is also a JSON object on stdout ({"ok": false, "error", "message"}),
   for the usage errors above and for a daemon that is not running (exit 3); `status` reports
   that as its health ("not_running") instead.
4. `--csv` on the table commands: RFC 4180, a header row, every column; a term that starts like
   a spreadsheet formula (from a feed, i.e. hostile) gets a leading `'`.
5. `trendctl draft TERM` writes the draft and leaves its manual spike `open`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

FORMULA = '=HYPERLINK("http://evil.example/","x")'


def feed_document() -> str:
    def item(title: str, traffic: str) -> str:
        return ("<item><title>" + title.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
                + "</title><ht:approx_traffic>" + traffic + "</ht:approx_traffic>"
                "<pubDate>Thu, 1 Oct 2026 09:20:00 -0700</pubDate>"
                "<ht:news_item><ht:news_item_title>Storm reaches the coast</ht:news_item_title>"
                "<ht:news_item_url>https://news.example/storm</ht:news_item_url>"
                "<ht:news_item_source>Example News</ht:news_item_source></ht:news_item></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss xmlns:ht="https://trends.google.com/trending/rss"'
            ' version="2.0"><channel><title>Daily Search Trends</title>'
            + item(FORMULA, "50,000+") + item("storm", "20,000+") + "</channel></rss>")


def json_error(cp, what: str) -> dict:
    try:
        obj = json.loads(cp.stdout)
    except ValueError:
        h.fail(f"{what}: stdout is not one JSON object\n{h.describe(cp)}")
    h.eq((obj.get("ok"), sorted(obj)), (False, ["error", "message", "ok"]), f"{what}: the JSON error's keys")
    return obj


def test(work: h.WorkDir) -> None:
    c = h.Checker()
    feed_file = work / "us.xml"
    feed_file.write_text(feed_document(), encoding="utf-8")
    cfg = h.write_config(work / "trendd.toml", [h.feed("us", feed_file.as_uri(), geo="US")],
                         '[[rule]]\nname = "big"\nmin_traffic = 10000\naction = "record"\n',
                         daemon={"control_socket": str(work / "trendd.sock")})

    # 1. mistyped and missing commands
    cp = h.trendctl("--config", cfg, "staus")
    c.eq((cp.returncode, cp.stdout, cp.stderr),
         (2, "", 'trendctl: unknown command "staus"; did you mean "status"?\n'), "trendctl staus")
    cp = h.trendctl("--config", cfg, "--json", "staus")
    c.eq((cp.returncode, json_error(cp, "--json staus")["error"]), (2, "usage"), "trendctl --json staus")
    c.true('did you mean "status"' in json.loads(cp.stdout)["message"], "the JSON message suggests status")
    cp = h.trendctl("--config", cfg)
    c.eq(cp.returncode, 2, "trendctl without a command: exit code")
    c.true(cp.stderr.startswith("trendctl: a command is required (commands: ") and "status" in cp.stderr,
           f"trendctl without a command names them\n{h.describe(cp)}")

    # 2. a --config that does not exist
    missing = work / "nowhere" / "trendd.toml"
    cp = h.trendctl("--config", missing, "spikes")
    c.eq(cp.returncode, 2, f"a missing --config: exit code\n{h.describe(cp)}")
    c.true(str(missing) in cp.stderr and "/var/lib/trendd" not in cp.stderr + cp.stdout,
           f"a missing --config names the file and does not fall back\n{h.describe(cp)}")
    cp = h.trendctl("--config", missing, "--json", "spikes")
    c.true(str(missing) in json_error(cp, "--json with a missing --config")["message"],
           "the JSON error names the missing file")

    # 3. a daemon that is not running, under --json: `poll` fails with a JSON error; `status`
    #    is a report, so it prints its health object (health "not_running"), same exit code
    cp = h.trendctl("--config", cfg, "--json", "poll", "us")
    c.eq(cp.returncode, 3, f"trendctl --json poll without a daemon: exit code\n{h.describe(cp)}")
    c.eq(json_error(cp, "--json poll without a daemon")["error"], "not-running", "the error kind")
    c.true(cp.stderr.startswith("trendctl: "), "the error is on stderr too")
    cp = h.trendctl("--config", cfg, "--json", "status")
    c.eq((cp.returncode, json.loads(cp.stdout or "{}").get("health")), (3, "not_running"),
         f"trendctl --json status without a daemon\n{h.describe(cp)}")

    # 4. --csv, with a formula-looking term from the feed
    h.expect_exit(h.trendd("--once", "--config", cfg), 0, "trendd --once")
    cp = h.trendctl("--config", cfg, "--csv", "spikes")
    h.expect_exit(cp, 0, "trendctl --csv spikes")
    rows = list(csv.reader(io.StringIO(cp.stdout)))
    c.true(len(rows) == 3 and "term" in rows[0], f"--csv spikes: a header and two spikes\n{cp.stdout}")
    terms = {r[rows[0].index("term")] for r in rows[1:]} if rows and "term" in rows[0] else set()
    c.eq(terms, {"'" + FORMULA, "storm"}, "terms in --csv spikes (the formula disarmed)")
    for command in ("feeds", "drafts", "history"):
        args = [command, "storm"] if command == "history" else [command]
        cp = h.trendctl("--config", cfg, "--csv", *args)
        c.true(cp.returncode == 0 and len(list(csv.reader(io.StringIO(cp.stdout)))) >= 1,
               f"trendctl --csv {' '.join(args)}\n{h.describe(cp)}")
    cp = h.trendctl("--config", cfg, "--csv", "--json", "spikes")
    c.eq(cp.returncode, 2, f"--csv with --json is a usage error\n{h.describe(cp)}")

    # 5. trendctl draft TERM keeps its manual spike open
    cp = h.trendctl("--config", cfg, "draft", "storm")
    h.expect_exit(cp, 0, "trendctl draft storm")
    cp = h.trendctl("--config", cfg, "--json", "spikes")
    h.expect_exit(cp, 0, "trendctl --json spikes")
    spikes = json.loads(cp.stdout)
    spikes = spikes["spikes"] if isinstance(spikes, dict) else spikes
    manual = [s for s in spikes if s.get("rule") == "manual"]
    c.eq([(s.get("term"), s.get("status")) for s in manual], [("storm", "open")],
         "the manual spike of trendctl draft storm")
    c.true(any(work.path.glob("drafts/*storm*.md")), "trendctl draft wrote the draft file")
    c.done()


if __name__ == "__main__":
    h.main(test)
