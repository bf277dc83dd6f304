"""OCDS: every record ends up as lines or in quarantine; broken input is reported."""

import json
from pathlib import Path

import pytest

from fairprocure.ingest import read_sources

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ocds_samples"


def test_broken_releases_are_quarantined_or_kept_with_reasons():
    path = FIXTURES / "broken_releases.jsonl"
    result = read_sources([path])
    quarantined = {p.record: p.message for p in result.problems if p.action == "quarantined"}
    assert any("line 2" in r and "JSON" in m for r, m in quarantined.items())
    assert any("without ocid" in m for m in quarantined.values())
    line = result.lines.to_pylist()[0]
    assert line["line_id"] == "ocds-x-1/a1" and line["value"] is None
    assert "schema" in line["data_issues"]
    schema = [i for i in json.loads(line["data_issues"]) if "OCDS schema" in i["text"]]
    assert schema and schema[0]["t"].startswith("data.ocds_schema_errors")  # a template: translatable


def test_a_release_nested_too_deeply_to_list_its_schema_errors_is_still_screened(tmp_path):
    deep: object = "x"
    for _ in range(300):  # jsonschema-rs stops listing errors at 255 levels
        deep = {"a": deep}
    release = {
        "ocid": "ocds-x-deep",
        "id": "r1",
        "date": "2025-01-01T00:00:00Z",
        "tag": ["award"],
        "initiationType": "tender",
        "tender": [deep],  # not an object: a schema error whose value is 300 levels deep
        "awards": [{"id": "a1", "title": "Office cleaning", "suppliers": [{"name": "Clean Co"}]}],
    }
    path = tmp_path / "deep.jsonl"
    path.write_text(json.dumps(release) + "\n", encoding="utf-8")
    lines = read_sources([path]).lines.to_pylist()  # the streamed reader's workers use the same check
    assert [line["line_id"] for line in lines] == ["ocds-x-deep/a1"]
    issues = json.loads(lines[0]["data_issues"])
    assert [i["t"] for i in issues if "schema" in i["t"]] == ["data.ocds_schema_errors_deep"]


@pytest.mark.skipif(not SAMPLES.exists(), reason="shared data not available")
@pytest.mark.parametrize("publisher", ["uk_contracts_finder", "paraguay_dncp"])
@pytest.mark.parametrize("kind", ["releases", "records"])
def test_every_sample_ocid_is_screened_or_quarantined(publisher, kind):
    path = SAMPLES / publisher / f"{kind}.jsonl"
    result = read_sources([path])
    ocids = {
        json.loads(line).get("ocid") or json.loads(line)["compiledRelease"]["ocid"] for line in path.open()
    }
    screened = {record.split(" ")[0] for record in result.lines["source_record"].to_pylist()}
    quarantined = {p.record.split(" ")[0] for p in result.problems if p.action == "quarantined"}
    assert ocids <= screened | quarantined
    assert len(set(result.lines["line_id"].to_pylist())) == result.lines.num_rows
