#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The man pages built from docs/man/*.scd (CTest it.it_man_pages).

1. `man --warnings -l PAGE` renders trendd(8), trendctl(1) and trendd.toml(5) without a single
   warning (at 80 columns, as a terminal shows them). The checks below read groff's plain text
   of the page (same macros, long lines: no name is hyphenated).
2. trendd.toml(5) has an entry `KEY = TYPE` under the heading of its table for every key that
   config::known_keys() lists (the list the parser's unknown-key check uses; printed by
   tests/tools/config_keys.cpp). A key that names a table (top-level "daemon", [drafter]
   "openai") may instead have a heading of its own ([daemon], [[feed]], [drafter.openai]).
3. trendctl(1) has an entry under COMMANDS for every command of `trendctl --help`, and that
   entry names every option of `trendctl COMMAND --help`; trendd(8) and trendctl(1) have an
   entry under OPTIONS for every option of `trendd --help` and `trendctl --help`.
4. The TOML examples of trendd.toml(5) pass `trendd --check-config`.
5. The checks of 2 and 3 fail when an entry is missing: they are run once more on a rendering
   with one key's and one command's entry removed, and must report exactly those.

Environment (tests/CMakeLists.txt): TRENDD_MAN_DIR (the built pages), TRENDD_CONFIG_KEYS.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

PAGES = ("trendd.8", "trendctl.1", "trendd.toml.5")


def render(page: Path) -> str:
    """Fails on any warning of `man --warnings -l` (at 80 columns, as a terminal shows the
    page); returns the page as plain text, with groff and the same macros, in lines long enough
    that no name is broken or hyphenated."""
    cp = h.run(["man", "--warnings", "-l", page], env={"MANWIDTH": "80", "LC_ALL": "C.UTF-8"},
               quiet=True)
    h.eq(cp.returncode, 0, f"man --warnings -l {page.name}: exit status\n{h.describe(cp)}")
    h.eq(cp.stderr.strip(), "", f"man --warnings -l {page.name}: warnings")
    cp = h.run(["groff", "-t", "-man", "-Tutf8", "-rLL=200n", "-rHY=0", "-P-cbou", page],
               env={"LC_ALL": "C.UTF-8"}, quiet=True)
    h.expect_exit(cp, 0, f"groff {page.name}")
    return cp.stdout


def sections(text: str) -> dict[str, list[str]]:
    """The lines of each section (.SH, at column 0) and subsection (.SS, at column 3), by title.
    A line belongs to its subsection and to the section around it."""
    out: dict[str, list[str]] = {}
    sh = ss = None
    for line in text.splitlines():
        if re.match(r"^\S", line):
            sh, ss = line.strip(), None
            out.setdefault(sh, [])
        elif re.match(r"^ {3}\S", line):
            ss = line.strip()
            out.setdefault(ss, [])
        else:
            for title in (sh, ss):
                if title is not None:
                    out[title].append(line)
    return out


def entries(lines: list[str]) -> dict[str, str]:
    """Tagged paragraphs (.TP): tag line at column 7, text at column 11; first word → whole
    entry (tag and text)."""
    out: dict[str, str] = {}
    current = None
    for line in lines:
        if m := re.match(r"^ {7}(\S+)", line):
            current = m.group(1)
            out[current] = line
        elif current is not None and re.match(r"^ {11}", line):
            out[current] += "\n" + line
        elif line.strip():
            current = None
    return out


def config_keys() -> list[tuple[str, str]]:
    cp = h.run([h.binary("TRENDD_CONFIG_KEYS")], quiet=True)
    h.expect_exit(cp, 0, "config_keys")
    keys = [tuple(line.split("\t")) for line in cp.stdout.splitlines()]
    h.true(len(keys) > 20 and all(len(k) == 2 for k in keys), f"config_keys printed {cp.stdout!r}")
    return keys  # type: ignore[return-value]


def missing_config_keys(text: str, keys: list[tuple[str, str]]) -> list[str]:
    """'[table] key' for every known key that trendd.toml(5) does not document."""
    secs = sections(text)
    missing = []
    for table, key in keys:
        inner = table.strip("[]")
        sub = f"{inner}.{key}" if inner else key
        if f"[{sub}]" in secs or f"[[{sub}]]" in secs:
            continue  # a table of its own
        documented = entries(secs.get(table, [])) if table else {}
        entry = documented.get(key, "")
        if not re.match(rf"^ {{7}}{re.escape(key)} = \S", entry):
            missing.append(f"{table or 'top level'} {key}")
    return missing


def help_items(text: str, heading: str) -> list[str]:
    """Names listed under `heading:` in CLI11's --help (options: the long form)."""
    items, inside = [], False
    for line in text.splitlines():
        if not line.startswith(" "):
            inside = line.strip() == heading
            continue
        # An item starts 2 columns in; its description may wrap to a deeper indentation.
        if inside and (m := re.match(r"^  (?:-\w,)?(--?[\w-]+|\w+)", line)):
            items.append(m.group(1))
    return items


def missing_commands(text: str, commands: dict[str, list[str]]) -> list[str]:
    """Commands (and 'command --option') of trendctl --help without their entry in trendctl(1)."""
    documented = entries(sections(text).get("COMMANDS", []))
    missing = []
    for cmd, options in commands.items():
        if cmd not in documented:
            missing.append(cmd)
            continue
        missing += [f"{cmd} {o}" for o in options if not re.search(rf"{o}\b", documented[cmd])]
    return missing


def trendctl_commands() -> dict[str, list[str]]:
    cp = h.trendctl("--help", quiet=True)
    h.expect_exit(cp, 0, "trendctl --help")
    commands = help_items(cp.stdout, "Subcommands:")
    h.true(len(commands) >= 10, f"trendctl --help lists {commands}")
    out = {}
    for cmd in commands:
        cp = h.trendctl(cmd, "--help", quiet=True)
        h.expect_exit(cp, 0, f"trendctl {cmd} --help")
        out[cmd] = [o for o in help_items(cp.stdout, "Options:") if o != "--help"]
    return out


def toml_examples(scd: Path) -> list[str]:
    """The ``` blocks of an scdoc source that hold TOML tables."""
    blocks = re.findall(r"^```\n(.*?)^```$", scd.read_text(encoding="utf-8"), re.S | re.M)
    return [b.replace("\\\\", "\\") for b in blocks if re.search(r"^\[", b, re.M)]


def test(work: h.WorkDir) -> None:
    if shutil.which("man") is None:
        h.skip("man not found (Debian package man-db)")
    man_dir = Path(os.environ.get("TRENDD_MAN_DIR", ""))
    if not os.environ.get("TRENDD_MAN_DIR") or not all((man_dir / p).is_file() for p in PAGES):
        h.skip(f"the man pages are not built in {man_dir} (CMake found no scdoc: apt-get install scdoc)")

    text = {p: render(man_dir / p) for p in PAGES}
    h.log(f"ok: {', '.join(PAGES)} render without warnings")

    keys = config_keys()
    h.eq(missing_config_keys(text["trendd.toml.5"], keys), [], "configuration keys missing from trendd.toml(5)")
    h.log(f"ok: trendd.toml(5) documents all {len(keys)} keys of config::known_keys()")

    commands = trendctl_commands()
    h.eq(missing_commands(text["trendctl.1"], commands), [], "trendctl commands/options missing from trendctl(1)")
    h.log(f"ok: trendctl(1) documents all {len(commands)} commands of trendctl --help and their options")

    for program, page in (("trendd", "trendd.8"), ("trendctl", "trendctl.1")):
        cp = h.run([h.binary(program.upper()), "--help"], quiet=True)
        h.expect_exit(cp, 0, f"{program} --help")
        options = help_items(cp.stdout, "Options:")
        documented = entries(sections(text[page]).get("OPTIONS", []))
        h.eq([o for o in options if not any(re.search(rf"{o}\b", e) for e in documented.values())], [],
             f"{program} options missing from the OPTIONS of {page}")
        h.log(f"ok: {page} documents {options}")

    scd = h.source_dir() / "docs" / "man" / "trendd.toml.5.scd"
    examples = toml_examples(scd)
    h.true(len(examples) >= 2, f"no TOML examples found in {scd}")
    for n, example in enumerate(examples, start=1):
        cfg = work / f"example{n}.toml"
        cfg.write_text(example, encoding="utf-8")
        h.expect_exit(h.trendd("--check-config", "--config", cfg, quiet=True), 0,
                      f"trendd.toml(5) example {n} does not pass --check-config:\n{example}")
    h.log(f"ok: the {len(examples)} TOML examples of trendd.toml(5) pass trendd --check-config")

    # The checks must notice a missing entry: drop one key's and one command's tag line.
    cut_key = re.sub(r"(?m)^ {7}max_fetches_per_host = .*\n", "", text["trendd.toml.5"])
    h.eq(missing_config_keys(cut_key, keys), ["[daemon] max_fetches_per_host"],
         "the key check on a page without max_fetches_per_host")
    cut_cmd = re.sub(r"(?m)^ {7}reload\n", "", text["trendctl.1"])
    h.eq(missing_commands(cut_cmd, commands), ["reload"], "the command check on a page without reload")
    cut_opt = text["trendctl.1"].replace("--drafts", "--drfts")
    h.eq(missing_commands(cut_opt, commands), ["backtest --drafts"], "the option check on a page without --drafts")
    h.log("ok: the checks report a key, a command and an option whose entry is missing")


if __name__ == "__main__":
    h.main(test)
