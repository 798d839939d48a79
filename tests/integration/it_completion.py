#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shell completion of trendctl: completion/trendctl.bash and completion/_trendctl.

A real database is made first, as scripts/demo does: `trendd --once` polls the bundled feed
samples (examples/feeds, file:// URLs) and drafts the spikes; a second `--once` runs with one
feed disabled, so the database holds 4 enabled feeds and 1 disabled.

bash: sourcing the file registers `complete -F _trendctl trendctl`; then _trendctl is called as
bash calls it (COMP_WORDS, COMP_CWORD) and COMPREPLY is compared with what trendctl itself says:
1. the commands are exactly those of `trendctl --help`, the long options after `trendctl --`
   exactly its global ones, and after `trendctl COMMAND --` exactly those of
   `trendctl COMMAND --help`;
2. `poll` offers the enabled feeds of `trendctl --json feeds` (not the disabled one), `show`
   the ids and slugs of `trendctl --json drafts`, found through --config, --config=FILE or --db;
   a prefix narrows them; a database that cannot be opened offers nothing, silently;
3. fixed values (--status, --since) and file names (--config).
zsh (when installed): the same cases through zsh's completion system on a pseudo-terminal
(tests/support/zsh_complete.zsh), with `compinit` loading _trendctl from completion/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

BASH_DRIVER = r'''
source "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
_trendctl
printf '%s\n' "${COMPREPLY[@]}"
'''


def long_options(help_text: str) -> set[str]:
    return set(re.findall(r"^\s+(?:-\w,)?(--[\w-]+)", help_text, re.M))


def make_database(work: h.WorkDir) -> Path:
    root = h.source_dir()
    template = (root / "examples" / "demo.toml.in").read_text(encoding="utf-8")
    cfg = work / "trendd.toml"
    text = template.replace("@ROOT@", str(root)).replace("@OUT@", str(work.path))
    cfg.write_text(text, encoding="utf-8")
    h.expect_exit(h.trendd("--once", "--config", cfg), 0, "trendd --once")
    disabled = text.replace('name = "google-trends-bd"\n', 'name = "google-trends-bd"\nenabled = false\n')
    h.true(disabled != text, "examples/demo.toml.in has no feed google-trends-bd")
    cfg.write_text(disabled, encoding="utf-8")
    h.expect_exit(h.trendd("--once", "--config", cfg), 0, "trendd --once (bd disabled)")
    return cfg


class Shell:
    """Completes a command line with one shell; `complete(words)` → the offered words."""

    def __init__(self, name: str, env: dict[str, str]):
        self.name, self.env = name, env

    def complete(self, words: list[str]) -> list[str]:
        src = h.source_dir()
        if self.name == "bash":
            cmd = ["bash", "--norc", "--noprofile", "-c", BASH_DRIVER, "driver",
                   src / "completion" / "trendctl.bash", *words]
        else:
            cmd = ["zsh", "-f", src / "tests" / "support" / "zsh_complete.zsh", src / "completion",
                   " ".join(words)]
        cp = h.run(cmd, env=self.env, timeout=30, quiet=True)
        h.expect_exit(cp, 0, f"{self.name}: completing {words}")
        h.eq(cp.stderr, "", f"{self.name}: completing {words} wrote to stderr")
        return [w for w in cp.stdout.splitlines() if w]


def check_shell(sh: Shell, cfg: Path, db: Path, c: h.Checker) -> None:
    top = h.trendctl("--help", quiet=True).stdout
    commands = re.findall(r"^  (\w+)\s", top.split("Subcommands:")[1], re.M)
    c.eq(sorted(sh.complete(["trendctl", ""])), sorted(commands), f"{sh.name}: commands")
    c.eq(set(sh.complete(["trendctl", "--"])), long_options(top), f"{sh.name}: global options")
    for cmd in commands:
        expected = long_options(h.trendctl(cmd, "--help", quiet=True).stdout)
        c.eq(set(sh.complete(["trendctl", cmd, "--"])), expected, f"{sh.name}: options of {cmd}")

    feeds = json.loads(h.trendctl("--config", cfg, "--json", "feeds", quiet=True).stdout)
    enabled = sorted(f["feed"] for f in feeds if f["enabled"] == 1)
    h.eq(len(enabled), 4, "enabled feeds in the database")
    drafts = json.loads(h.trendctl("--config", cfg, "--json", "drafts", quiet=True).stdout)
    ids_slugs = sorted([str(d["id"]) for d in drafts] + [d["slug"] for d in drafts if d["slug"]])
    h.true(len(drafts) >= 5, f"the demo data made {len(drafts)} drafts")
    c.eq(sorted(sh.complete(["trendctl", "--config", str(cfg), "poll", ""])), enabled,
         f"{sh.name}: poll offers the enabled feeds")
    c.eq(sorted(sh.complete(["trendctl", "--config", str(cfg), "poll", "google-trends-u"])),
         ["google-trends-us"], f"{sh.name}: poll with a prefix")
    c.eq([w for w in sh.complete(["trendctl", "--config", str(cfg), "poll", "google-trends-us", ""])
          if not w.startswith("-")], [], f"{sh.name}: poll takes one feed (zsh offers options then)")
    config_eq = ["--config", "=", str(cfg)] if sh.name == "bash" else [f"--config={cfg}"]
    c.eq(sorted(sh.complete(["trendctl", *config_eq, "show", ""])), ids_slugs,
         f"{sh.name}: show offers draft ids and slugs (--config=FILE)")
    c.eq(sorted(sh.complete(["trendctl", "--db", str(db), "show", ""])), ids_slugs,
         f"{sh.name}: show offers draft ids and slugs (--db)")
    c.eq(sh.complete(["trendctl", "-c", str(cfg), "show", "renee-"]), ["renee-good"],
         f"{sh.name}: show with a prefix")
    c.eq(sh.complete(["trendctl", "--db", str(cfg.parent / "nope.db"), "show", ""]), [],
         f"{sh.name}: show with a database that does not exist")
    c.eq(sh.complete(["trendctl", "drafts", "--status", "n"]), ["needs_review"], f"{sh.name}: --status")
    c.true("all" in sh.complete(["trendctl", "spikes", "--since", ""]), f"{sh.name}: --since all")
    files = [os.path.basename(f) for f in sh.complete(["trendctl", "--config", str(cfg.parent / "trendd.t")])]
    c.eq(files, ["trendd.toml"], f"{sh.name}: --config completes file names")
    h.log(f"{sh.name}: {len(commands)} commands, their options, {len(enabled)} feeds, "
          f"{len(ids_slugs)} draft ids and slugs: checked")


def test(work: h.WorkDir) -> None:
    cfg = make_database(work)
    env = {"PATH": f"{Path(h.trendctl_bin()).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
           "HOME": str(work.path), "LC_ALL": "C.UTF-8"}

    cp = h.run(["bash", "--norc", "--noprofile", "-c", 'source "$1" && complete -p trendctl', "x",
                h.source_dir() / "completion" / "trendctl.bash"], env=env, quiet=True)
    h.expect_exit(cp, 0, "bash: complete -p trendctl")
    h.eq(cp.stdout.strip(), "complete -F _trendctl trendctl", "bash: complete -p trendctl")

    c = h.Checker("completion")
    check_shell(Shell("bash", env), cfg, work / "trendd.db", c)
    if shutil.which("zsh"):
        check_shell(Shell("zsh", env), cfg, work / "trendd.db", c)
    else:
        h.log("zsh is not installed (Debian package zsh): its completion was not tested")
    c.done()


if __name__ == "__main__":
    h.main(test)
