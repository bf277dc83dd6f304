"""Content alone is enough: with every header of a real ledger replaced by col1 … colN, the supplier,
amount, date and description are still recovered."""

from __future__ import annotations

import csv
import io

import pytest

from fairprocure.ingest import read_sources

# file -> (0-based header row, supplier, amount, date, description columns)
LEDGERS = {
    "ledgers_dev/oxford_city_council/expenditure-over-500-oct-dec-2017.csv": (
        0, "Supplier Name", "Amount", "Paid Date", {"Expenditure Category"},
    ),
    "ledgers_dev/lambeth_council/2012-06-payments.csv": (
        9, "Supplier Name", "Invoice Nett Amount", "Invoice Creation Date", {"Subj Description"},
    ),
    "ledgers_dev/act_government_australia/act_contracts_2025.csv": (0, "suppliers", "amount", "execution_date", {"title"}),
    "uk_hmt_spend_over_25k/hmt_spend_over_25k_2025Q1.csv": (
        0, "supplier", "amount_gbp", "date", {"description", "expense_type"},
    ),
    "decp_fr_dev/decp_2019_marches_dev.csv": (
        0, "titulaires_denominationSociale", "montant", "dateNotification", {"objet"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("relative", list(LEDGERS))
def test_columns_are_recognised_by_content_alone(shared_data, tmp_path, relative):
    header_row, supplier, amount, date, texts = LEDGERS[relative]
    rows = list(csv.reader(io.StringIO((shared_data / relative).read_text(encoding="utf-8-sig"))))
    names = rows[header_row]
    rows[header_row] = [f"col{i + 1}" for i in range(len(names))]
    anonymous = tmp_path / "ledger.csv"
    with anonymous.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    result = read_sources([anonymous])
    stats = result.stats[str(anonymous)]
    got: dict[str, list[str]] = {}
    for choice in stats["layout"]["columns"]:
        if choice["field"]:
            got.setdefault(choice["field"], []).append(names[int(choice["column"][3:]) - 1])
    assert got["supplier_name"] == [supplier]
    assert got["value"] == [amount]
    assert got["date"] == [date]
    described = set(got.get("description", []) + got.get("description_context", []))
    assert texts <= described, described
    lines = result.lines.to_pylist()
    assert len(lines) >= 0.95 * stats["records_read"]
    assert sum(bool(r["description"]) for r in lines) >= 0.95 * len(lines)
    assert sum(r["value"] is not None for r in lines) >= 0.95 * len(lines)
