"""Supplier-specific evidence: questionnaires, audits, grievances, disclosed sites.

Sector and country averages treat every firm alike; this file lets a buyer move a supplier's risk in
either direction, with the evidence recorded. Format: CSV with ``supplier`` (name or identifier),
``points`` (negative lowers risk, positive raises it), ``evidence`` (what was found) and ``source``
(who found it, when); optional ``date``. Suppliers are matched to lines by
:func:`fairprocure.entities.names.supplier_key` — legal form, script, case and punctuation set aside, so
"ООО «Чистый Дом»" in the file finds "Chistyy Dom LLC" in the data — the same key the workspace's
supplier registry uses.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from fairprocure.entities.names import supplier_key

__all__ = ["EvidenceItem", "SupplierEvidence", "load_supplier_evidence", "supplier_key"]


@dataclass(frozen=True)
class EvidenceItem:
    points: float
    evidence: str
    source: str
    date: str = ""


@dataclass
class SupplierEvidence:
    by_supplier: dict[str, list[EvidenceItem]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.by_supplier)


def load_supplier_evidence(path: str | Path) -> SupplierEvidence:
    path = Path(path)
    out: dict[str, list[EvidenceItem]] = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        need = {"supplier", "points", "evidence", "source"}
        have = {c.strip().lower() for c in reader.fieldnames or ()}
        if not need <= have:
            raise ValueError(
                f"{path}: supplier evidence needs columns {sorted(need)}; missing {sorted(need - have)}"
            )
        for n, raw in enumerate(reader, start=2):
            row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            try:
                points = float(row["points"])
            except ValueError:
                raise ValueError(
                    f"{path}, row {n}, column 'points': {row['points']!r} is not a number"
                ) from None
            if not row["supplier"]:
                raise ValueError(f"{path}, row {n}, column 'supplier': empty")
            item = EvidenceItem(points, row["evidence"], row["source"], row.get("date", ""))
            out.setdefault(supplier_key(row["supplier"]), []).append(item)
    return SupplierEvidence(out)
