#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The layering of lib/trend/, enforced.

Each folder of lib/trend/ is one CMake module (lib/CMakeLists.txt, trend_module) that names the
modules it may use. This test fails when
  - a file of a folder includes a header of a module the folder does not name (its own
    folder is always allowed), or
  - a folder has no module, or
  - docs/architecture.md's module table disagrees with the build about who may use whom.

usage: layering.py BUILD_DIR SOURCE_DIR
"""
import pathlib
import re
import sys


def build_table(build_dir: pathlib.Path) -> dict[str, set[str]]:
    table = {}
    for line in (build_dir / "trend_modules.txt").read_text().splitlines():
        if not line.strip():
            continue
        name, _, uses = line.partition(":")
        table[name] = {u for u in uses.split(",") if u}
    return table


def doc_table(source_dir: pathlib.Path) -> dict[str, set[str]]:
    """Rows like | `util/` | what | nothing of trendd | or | `draft/` | what | util, config |."""
    text = (source_dir / "docs" / "architecture.md").read_text()
    table = {}
    for m in re.finditer(r"^\| `([a-z_]+)/` \|[^|\n]*\|([^|\n]*)\|\s*$", text, re.M):
        uses = m.group(2).strip()
        names = set() if uses.startswith("nothing") else {
            re.sub(r"[`/ ]", "", u) for u in uses.split(",")}
        table[m.group(1)] = {n for n in names if n}
    return table


def main() -> int:
    build_dir, source_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    modules = build_table(build_dir)
    problems = []
    lib = source_dir / "lib" / "trend"
    include = re.compile(r'^\s*#\s*include\s+"trend/([a-z_]+)/', re.M)
    for folder in sorted(p for p in lib.iterdir() if p.is_dir()):
        name = folder.name
        if name not in modules:
            problems.append(f"lib/trend/{name}/ is not a module of lib/CMakeLists.txt")
            continue
        allowed = modules[name] | {name}
        for f in sorted(folder.rglob("*")):
            if f.suffix not in (".hpp", ".cpp", ".h"):
                continue
            for used in include.findall(f.read_text(errors="replace")):
                if used not in allowed:
                    problems.append(f"{f.relative_to(source_dir)} includes trend/{used}/, "
                                    f"which {name}/ may not use (it may use: "
                                    f"{', '.join(sorted(modules[name])) or 'nothing'})")
    docs = doc_table(source_dir)
    for name in sorted(set(modules) | set(docs)):
        if name not in docs:
            problems.append(f"docs/architecture.md has no row for module {name}/")
        elif name not in modules:
            problems.append(f"docs/architecture.md lists {name}/, which the build does not have")
        elif docs[name] != modules[name]:
            problems.append(f"docs/architecture.md says {name}/ may use "
                            f"{', '.join(sorted(docs[name])) or 'nothing'}; the build says "
                            f"{', '.join(sorted(modules[name])) or 'nothing'}")
    for p in problems:
        print(p)
    print(f"{len(modules)} modules checked: {'ok' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
