#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""docs/datasette-metadata.json describes the schema exactly (CTest it.it_datasette_metadata).

A fresh database is made by the real binary (`trendd --once` with no feeds: it creates the
file and applies every migration of schema/). Then:
1. every table and view of the database (sqlite_* aside) has an entry under
   databases.trendd.tables with a non-empty title and description, and a non-empty description
   for each of its columns;
2. the file describes nothing the database lacks: no table, view or column that is not there;
3. the Datasette options used (label_column, sort_desc, facets) name columns that exist, and
   only keys Datasette knows are used.
A migration that adds a table or column therefore fails this test until the file describes it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402

TOP_KEYS = {"title", "description", "description_html", "license", "license_url", "source",
            "source_url", "about", "about_url", "databases"}
DATABASE_KEYS = {"title", "description", "description_html", "tables", "queries", "source",
                 "source_url", "license", "license_url", "about", "about_url"}
TABLE_KEYS = {"title", "description", "description_html", "columns", "label_column", "sort",
              "sort_desc", "facets", "hidden", "size", "fts_table", "fts_pk", "units",
              "sortable_columns", "source", "source_url", "license", "license_url", "about",
              "about_url"}


def schema(db: Path) -> dict[str, tuple[str, list[str]]]:
    con = h.db(db)
    objects = h.rows(con, "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
                          "AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return {o["name"]: (o["type"], [c["name"] for c in h.rows(con, f'PRAGMA table_info("{o["name"]}")')])
            for o in objects}


def test(work: h.WorkDir) -> None:
    cfg = h.write_config(work / "trendd.toml", daemon={"control_socket": str(work / "trendd.sock")})
    h.expect_exit(h.trendd("--once", "--config", cfg), 0, "trendd --once (no feeds)")
    actual = schema(work / "trendd.db")
    h.true(len(actual) >= 10, f"the fresh database holds only {sorted(actual)}")

    path = h.source_dir() / "docs" / "datasette-metadata.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    c = h.Checker(path.name)
    c.eq(sorted(set(meta) - TOP_KEYS), [], "top-level keys Datasette does not know")
    c.true(meta.get("title") and meta.get("description"), "a title and description at the top")
    dbs = meta.get("databases", {})
    c.eq(sorted(dbs), ["trendd"], "databases (Datasette names a database after its file: trendd.db)")
    database = dbs.get("trendd", {})
    c.eq(sorted(set(database) - DATABASE_KEYS), [], "database keys Datasette does not know")
    described = database.get("tables", {})

    for name, (kind, columns) in actual.items():
        entry = described.get(name)
        if entry is None:
            c.add(f"{kind} {name} is not described")
            continue
        c.eq(sorted(set(entry) - TABLE_KEYS), [], f"{name}: keys Datasette does not know")
        for key in ("title", "description"):
            c.true(isinstance(entry.get(key), str) and entry[key].strip(), f"{kind} {name}: no {key}")
        cols = entry.get("columns", {})
        for col in columns:
            c.true(isinstance(cols.get(col), str) and cols[col].strip(),
                   f"{kind} {name}: column {col} is not described")
        c.eq(sorted(set(cols) - set(columns)), [], f"{kind} {name}: described columns it does not have")
        named = [entry.get("label_column"), entry.get("sort_desc"), entry.get("sort"),
                 *entry.get("facets", [])]
        c.eq(sorted(n for n in named if n is not None and n not in columns), [],
             f"{kind} {name}: label_column/sort/facets naming no column")
    c.eq(sorted(set(described) - set(actual)), [], "described tables/views the database does not have")
    c.done()
    h.log(f"ok: {len(actual)} tables and views, {sum(len(v[1]) for v in actual.values())} columns described")


if __name__ == "__main__":
    h.main(test)
