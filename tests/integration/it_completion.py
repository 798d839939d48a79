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
    return set(re.findall(r"^  (?:-\w,)?(--[\w-]+)", help_text, re.M))


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
    """Completes command lines with one shell: `complete_all([words, ...])` → the offered words
    for each."""

    def __init__(self, name: str, env: dict[str, str]):
        self.name, self.env = name, env

    def complete_all(self, cases: list[list[str]]) -> list[list[str]]:
        src = h.source_dir()
        if self.name == "bash":
            out = []
            for words in cases:
                cp = h.run(["bash", "--norc", "--noprofile", "-c", BASH_DRIVER, "driver",
                            src / "completion" / "trendctl.bash", *words], env=self.env, timeout=30, quiet=True)
                h.expect_exit(cp, 0, f"bash: completing {words}")
                h.eq(cp.stderr, "", f"bash: completing {words} wrote to stderr")
                out.append([w for w in cp.stdout.splitlines() if w])
            return out
        # zsh: one shell completes every line in turn (its first completion takes seconds).
        cp = h.run(["zsh", "-f", src / "tests" / "support" / "zsh_complete.zsh", src / "completion",
                    *[" ".join(words) for words in cases]], env=self.env, timeout=120, quiet=True)
        h.expect_exit(cp, 0, "zsh: completing")
        h.eq(cp.stderr, "", "zsh: completing wrote to stderr")
        out: list[list[str]] = []
        for line in cp.stdout.splitlines():
            if re.fullmatch(r"== \d+", line):
                out.append([])
            elif line:
                out[-1].append(line)
        h.eq(len(out), len(cases), "zsh: one answer per command line")
        return out


def check_shell(sh: Shell, cfg: Path, db: Path, c: h.Checker) -> None:
    top = h.trendctl("--help", quiet=True).stdout
    commands = re.findall(r"^  (\w+)\s", top.split("Subcommands:")[1], re.M)
    feeds = json.loads(h.trendctl("--config", cfg, "--json", "feeds", quiet=True).stdout)
    enabled = sorted(f["feed"] for f in feeds if f["enabled"] == 1)
    h.eq(len(enabled), 4, "enabled feeds in the database")
    drafts = json.loads(h.trendctl("--config", cfg, "--json", "drafts", quiet=True).stdout)
    ids_slugs = sorted([str(d["id"]) for d in drafts] + [d["slug"] for d in drafts if d["slug"]])
    h.true(len(drafts) >= 5, f"the demo data made {len(drafts)} drafts")
    config_eq = ["--config", "=", str(cfg)] if sh.name == "bash" else [f"--config={cfg}"]
    not_option = lambda words: [w for w in words if not w.startswith("-")]  # noqa: E731

    # (command line, what the offered words are turned into, expected, what)
    cases: list[tuple[list[str], object, object, str]] = [
        (["trendctl", ""], sorted, sorted(commands), "commands"),
        (["trendctl", "--"], set, long_options(top), "global options"),
        *[(["trendctl", cmd, "--"], set, long_options(h.trendctl(cmd, "--help", quiet=True).stdout),
           f"options of {cmd}") for cmd in commands],
        (["trendctl", "--config", str(cfg), "poll", ""], sorted, enabled, "poll offers the enabled feeds"),
        (["trendctl", "--config", str(cfg), "poll", "google-trends-u"], sorted, ["google-trends-us"],
         "poll with a prefix"),
        (["trendctl", "--config", str(cfg), "poll", "google-trends-us", ""], not_option, [],
         "poll takes one feed (zsh offers options then)"),
        (["trendctl", *config_eq, "show", ""], sorted, ids_slugs, "show offers draft ids and slugs (--config=FILE)"),
        (["trendctl", "--db", str(db), "show", ""], sorted, ids_slugs, "show offers draft ids and slugs (--db)"),
        (["trendctl", "-c", str(cfg), "show", "renee-"], list, ["renee-good"], "show with a prefix"),
        (["trendctl", "--db", str(cfg.parent / "nope.db"), "show", ""], list, [],
         "show with a database that does not exist"),
        (["trendctl", "drafts", "--status", "n"], list, ["needs_review"], "--status"),
        (["trendctl", "spikes", "--since", ""], lambda w: "all" in w, True, "--since offers all"),
        (["trendctl", "--config", str(cfg.parent / "trendd.t")], lambda w: [os.path.basename(f) for f in w],
         ["trendd.toml"], "--config completes file names"),
    ]
    results = sh.complete_all([words for words, *_ in cases])
    for (words, shape, expected, what), offered in zip(cases, results):
        c.eq(shape(offered), expected, f"{sh.name}: {what} ({' '.join(words)!r})")
    h.log(f"{sh.name}: {len(commands)} commands, their options, {len(enabled)} feeds, "
          f"{len(ids_slugs)} draft ids and slugs: {len(cases)} command lines checked")


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
