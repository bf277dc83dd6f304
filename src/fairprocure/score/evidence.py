"""Supplier-specific evidence: questionnaires, audits, grievances, disclosed sites.

Sector and country averages treat every firm alike; this file lets a buyer move a supplier's risk in
either direction, with the evidence recorded. Format: CSV with ``supplier`` (name or identifier),
``points`` (negative lowers risk, positive raises it), ``evidence`` (what was found) and ``source``
(who found it, when); optional ``date``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


def supplier_key(name: str | None) -> str:
    """Case-, accent- and punctuation-insensitive supplier key ("ACME Ltd." == "acme ltd")."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


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
