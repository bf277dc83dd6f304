"""How much of each real ledger is read with no mapping file: rows in the register, and coverage.

    python bench/ledger_coverage.py            # the files of ../shared/data (ledgers_dev, HMT, OCDS)

For each ledger, the truth is taken from the raw file with Python's ``csv`` module and the publisher's
own column names (written below, independent of fairprocure's recognition): the data rows (non-blank
rows after the header), and which rows *carry* a supplier, an amount and a description. Then
``read_sources`` reads the file with no mapping, and the figures are:

- ``in register``: lines / data rows (the register holds one row per line);
- ``supplier``, ``amount``, ``description``: of the rows that carry one, the share whose line has it.

For OCDS, rows are the lines read; ``supplier`` is counted on lines of awards and contracts (tender
notices have none).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

# file -> (0-based header row, supplier columns, amount column, description columns)
LEDGERS = {
    "ledgers_dev/oxford_city_council/expenditure-over-500-oct-dec-2017.csv": (
        0, ["Supplier Name"], "Amount", ["Service Area", "Expenditure Category", "Type of Expenditure"],
    ),
    "ledgers_dev/lambeth_council/2012-06-payments.csv": (
        9, ["Supplier Name"], "Invoice Nett Amount", ["Subj Description"],
    ),
    "ledgers_dev/act_government_australia/act_contracts_2025.csv": (0, ["suppliers"], "amount", ["title"]),
    "uk_hmt_spend_over_25k/hmt_spend_over_25k_2025Q1.csv": (
        0, ["supplier"], "amount_gbp", ["description", "expense_type", "expense_area"],
    ),
    "decp_fr_dev/decp_2019_marches_dev.csv": (  # French contract register (DECP), a development split
        0, ["titulaires_denominationSociale"], "montant", ["objet"],
    ),
    **{
        f"uk_hmt_spend_over_25k/hmt_2025-0{m}.json": (  # JSON: the key of the records instead of a header row
            "data", ["supplier"], "amount_gbp", ["description", "expense_type", "expense_area"],
        )
        for m in (1, 2, 3)
    },
}  # fmt: skip
OCDS = [
    "ocds_samples/uk_contracts_finder/releases.jsonl",
    "ocds_samples/uk_contracts_finder/records.jsonl",
    "ocds_samples/paraguay_dncp/releases.jsonl",
    "ocds_samples/paraguay_dncp/records.jsonl",
]


def json_truth(path: Path, key: str, suppliers: list[str], amount: str, texts: list[str]) -> dict[int, dict]:
    """Record number (1-based) -> what the raw JSON record carries."""
    records = json.loads(path.read_text(encoding="utf-8"))[key]

    def has(record, name):
        return record.get(name) not in (None, "", "None")

    return {
        number: {
            "supplier": any(has(r, n) for n in suppliers),
            "amount": has(r, amount),
            "description": any(has(r, n) for n in texts),
        }
        for number, r in enumerate(records, start=1)
    }


def ledger_truth(
    path: Path, header: int | str, suppliers: list[str], amount: str, texts: list[str]
) -> dict[int, dict]:
    """Row number (as a spreadsheet shows it) -> what the raw row carries, for every non-blank data row."""
    if isinstance(header, str):
        return json_truth(path, header, suppliers, amount, texts)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    names = rows[header]
    index = {n: names.index(n) for n in [*suppliers, amount, *texts]}
    out = {}
    for number, row in enumerate(rows[header + 1 :], start=header + 2):
        if not any(c.strip(" \u2020") for c in row):
            continue  # blank (Lambeth pads blank rows with daggers)
        fused = len(row) == len(names) - 1  # a field fused with its neighbour: count the row as carrying all
        cells = {n: (row[i] if i < len(row) else "").strip() for n, i in index.items()}
        out[number] = {
            "supplier": fused or any(cells[n] for n in suppliers),
            "amount": fused or bool(cells[amount]),
            "description": fused or any(cells[n] for n in texts),
        }
    return out


def measure_ledger(relative: str) -> dict:
    from fairprocure.ingest import read_sources

    header, suppliers, amount, texts = LEDGERS[relative]
    path = SHARED / relative
    truth = ledger_truth(path, header, suppliers, amount, texts)
    result = read_sources([path])
    stats = result.stats[str(path)]
    lines = {int(r["source_record"].split()[-1]): r for r in result.lines.to_pylist()}
    out = {
        "file": relative,
        "data_rows": len(truth),
        "records_read": stats["records_read"],
        "lines": len(lines),
        "quarantined": stats["quarantined"],
        "in_register": len(lines) / len(truth),
        "reasons": sorted({p.message.split(":")[0] for p in result.problems if p.action == "quarantined"}),
    }
    for name, field in (("supplier", "supplier_name"), ("amount", "value"), ("description", "description")):
        carrying = [n for n, t in truth.items() if t[name] and n in lines]
        have = [n for n in carrying if lines[n][field] not in (None, "")]
        out[name] = len(have) / len(carrying) if carrying else None
    return out


def measure_ocds(relative: str) -> dict:
    from fairprocure.ingest import read_sources

    path = SHARED / relative
    result = read_sources([path])
    lines = result.lines.to_pylist()
    awarded = [r for r in lines if not r["source_record"].split(" ", 1)[1].startswith("tender")]
    stats = result.stats[str(path)]
    return {
        "file": relative,
        "records_read": stats["records_read"],
        "lines": len(lines),
        "quarantined": stats["quarantined"],
        "supplier": sum(bool(r["supplier_name"]) for r in awarded) / len(awarded) if awarded else None,
        "amount": sum(r["value"] is not None for r in lines) / len(lines),
        "description": sum(bool(r["description"]) for r in lines) / len(lines),
        "procurement_method": sum(bool(r["procurement_method"]) for r in lines) / len(lines),
    }


def _pct(value) -> str:
    return "   -  " if value is None else f"{100 * value:5.1f}%"


def main() -> None:
    if not SHARED.is_dir():
        sys.exit(f"shared data not found at {SHARED}")
    print(
        f"{'file':72} {'rows':>6} {'lines':>6} {'quar.':>5} {'in reg.':>7} {'suppl.':>7} {'amount':>7} {'descr.':>7}"
    )
    for relative in LEDGERS:
        m = measure_ledger(relative)
        print(
            f"{relative:72} {m['data_rows']:6} {m['lines']:6} {m['quarantined']:5} {_pct(m['in_register']):>7} "
            f"{_pct(m['supplier']):>7} {_pct(m['amount']):>7} {_pct(m['description']):>7}"
        )
        for reason in m["reasons"]:
            print(f"{'':8}quarantined: {reason}")
    for relative in OCDS:
        m = measure_ocds(relative)
        print(
            f"{relative:72} {m['records_read']:6} {m['lines']:6} {m['quarantined']:5} {'':>7} "
            f"{_pct(m['supplier']):>7} {_pct(m['amount']):>7} {_pct(m['description']):>7}"
            f"  method {_pct(m['procurement_method'])}"
        )


if __name__ == "__main__":
    main()
