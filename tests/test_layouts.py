"""Ledgers as common ERPs and public bodies export them, in ten languages: read with no mapping file.

The fixtures (``tests/fixtures/layouts``, built by its ``build.py``) imitate SAP, Oracle, Microsoft
Dynamics, 1C, Sage, UK council and Ukrainian treasury exports and French, German, Spanish, Italian,
Polish, Romanian, Dutch and Czech public-body ledgers; ``expected.toml`` says which column each field
must come from.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from fairprocure.ingest import read_sources

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
EXPECTED = tomllib.loads((LAYOUTS / "expected.toml").read_text(encoding="utf-8"))
ROWS = 40  # data rows in every fixture (build.py)


def _assigned(stats: dict) -> dict[str, list[str]]:
    tables = [stats["layout"]] if "layout" in stats else stats["sheets"]
    out: dict[str, list[str]] = {}
    for column in tables[0]["columns"]:
        if column["field"]:
            out.setdefault(column["field"], []).append(column["column"])
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_layout_is_read_with_the_expected_mapping(name):
    expected = {k: v for k, v in EXPECTED[name].items() if k != "about"}
    path = LAYOUTS / name
    result = read_sources([path])
    stats = result.stats[str(path)]
    assert "error" not in stats, stats.get("error")
    assigned = _assigned(stats)
    for field_name, columns in expected.items():
        if field_name == "description":
            got = assigned.get("description", []) + assigned.get("description_context", [])
            assert got == columns, f"{name}: description from {got}, expected {columns}"
        else:
            assert assigned.get(field_name) == [columns], (
                f"{name}: {field_name} from {assigned.get(field_name)}"
            )
    lines = result.lines.to_pylist()
    assert len(lines) == stats["lines"] == ROWS and stats["records_read"] - stats["quarantined"] == ROWS
    for line in lines:
        assert line["supplier_name"] and line["value"] is not None and line["description"], (name, line)
        assert line["date"] is not None, (name, line["source_record"])
