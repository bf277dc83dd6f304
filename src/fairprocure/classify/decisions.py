"""People's classification decisions: "this description / this supplier is that category".

A decision file is a CSV (UTF-8) with

* ``description`` and/or ``supplier`` — what the decision matches: a description matches every line
  whose description reads the same once normalised (case, accents, scripts, numbers and codes aside:
  ``fairprocure.classify.normalise``); a supplier matches every line of that supplier (case, accents
  and punctuation aside). Give both to match only that supplier's lines with that description.
* ``cpv`` and/or ``category`` — what it is: a CPV code (its category comes from the taxonomy in force,
  so taxonomy fixes apply to old decisions too) or a taxonomy category id.
* ``note`` (optional) — why, shown as the line's classification evidence.
* ``learned_from`` (optional) — a *remembered* supplier category: a row with only a supplier and a
  number here (how many of that supplier's descriptions people decided as that category) classifies
  the supplier's lines only where the text model is not sure (``needs_review``, ``unclassified``);
  a sure reading, and any decision, win over it. The web workspace's supplier memory writes these.

During a screening (``fairprocure screen --decisions FILE``, ``screen(..., decisions=FILE)``) a
matching decision classifies a line that has no usable source code, with the classification status
``decision`` and full confidence. The most specific decision wins: description and supplier, then
description, then supplier. The same file retrains the organisation's model: its rows with a CPV code
are labelled examples (``python -m fairprocure.classify.train OUT.npz --extra decisions.csv``, or
:meth:`Decisions.examples` with :func:`fairprocure.classify.train.build`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fairprocure.classify.data import Example
from fairprocure.classify.normalise import normalise
from fairprocure.classify.taxonomy import category_for_cpv, load_taxonomy, normalise_cpv
from fairprocure.messages import CATEGORY, MESSAGE, Message, Number, template
from fairprocure.score.evidence import supplier_key

BY_DESCRIPTION = template("decision.description", "the description '%(description)s'")
BY_SUPPLIER = template("decision.supplier", "the supplier '%(supplier)s'")
BY_BOTH = template("decision.both", "the description '%(description)s' from the supplier '%(supplier)s'")
DECIDED = template(
    "class.decision", "decided by a person for %(match)s: %(category)s", match=MESSAGE, category=CATEGORY
)
DECIDED_WHY = template(
    "class.decision_note",
    "decided by a person for %(match)s: %(category)s (%(note)s)",
    match=MESSAGE,
    category=CATEGORY,
)

REMEMBERED = template(
    "class.remembered",
    "remembered from people's decisions on %(n)s descriptions of the supplier '%(supplier)s': %(category)s",
    n=Number("d"),
    category=CATEGORY,
)


@dataclass(frozen=True)
class Decision:
    """One person's decision about what a description or a supplier's lines are."""

    description: str = ""
    supplier: str = ""
    cpv: str | None = None
    category: str | None = None  # given, or None to take the CPV code's category from the taxonomy
    note: str = ""
    learned_from: int = 0  # > 0: a remembered supplier category (applies where the text is not sure)

    @property
    def resolved_category(self) -> str | None:
        return self.category or category_for_cpv(self.cpv)

    @property
    def remembered(self) -> bool:
        return self.learned_from > 0 and not self.description

    @property
    def evidence(self) -> Message:
        if self.remembered:
            return REMEMBERED(n=self.learned_from, supplier=self.supplier, category=self.resolved_category)
        if self.description and self.supplier:
            match = BY_BOTH(description=self.description, supplier=self.supplier)
        elif self.description:
            match = BY_DESCRIPTION(description=self.description)
        else:
            match = BY_SUPPLIER(supplier=self.supplier)
        said = {"match": match, "category": self.resolved_category}
        return DECIDED_WHY(**said, note=self.note) if self.note else DECIDED(**said)


@dataclass
class Decisions:
    """A set of decisions, indexed by normalised description and supplier key."""

    decisions: list[Decision] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._both: dict[tuple[str, str], Decision] = {}
        self._description: dict[str, Decision] = {}
        self._supplier: dict[str, Decision] = {}
        self._remembered: dict[str, Decision] = {}
        for d in self.decisions:  # a later decision replaces an earlier one for the same key
            text, who = normalise(d.description), supplier_key(d.supplier)
            if d.remembered:
                if who:
                    self._remembered[who] = d
            elif text and who:
                self._both[(text, who)] = d
            elif text:
                self._description[text] = d
            elif who:
                self._supplier[who] = d

    def __bool__(self) -> bool:
        return bool(self.decisions)

    def __len__(self) -> int:
        return len(self.decisions)

    def match(self, description: str | None, supplier: str | None, unsure: bool = False) -> Decision | None:
        """The decision for a line, the most specific first; None if no decision matches.

        ``unsure``: the text model is not sure what the line is, so a remembered supplier category
        may classify it (after every decision)."""
        text, who = normalise(description), supplier_key(supplier)
        return (
            (self._both.get((text, who)) if text and who else None)
            or (self._description.get(text) if text else None)
            or (self._supplier.get(who) if who else None)
            or (self._remembered.get(who) if who and unsure else None)
        )

    @property
    def by_supplier(self) -> bool:
        return bool(self._both or self._supplier or self._remembered)

    def examples(self) -> list[Example]:
        """The decisions with a description and a CPV code, as labelled examples for retraining."""
        return [
            Example(text=d.description, cpv=d.cpv, lang="", source="user", doc_id=f"decision:{i}")
            for i, d in enumerate(self.decisions)
            if d.description and d.cpv
        ]


def decisions_from_rows(rows: Iterable[dict[str, str]], where: str = "decisions") -> Decisions:
    """Decisions from dict rows (keys as in the file); errors name ``where`` and the row number."""
    categories = load_taxonomy().categories
    out = []
    for n, raw in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        description, supplier = row.get("description", ""), row.get("supplier", "")
        code, category = row.get("cpv", ""), row.get("category", "")
        if not description and not supplier:
            raise ValueError(f"{where}, row {n}: a decision needs a description or a supplier")
        if not code and not category:
            raise ValueError(f"{where}, row {n}: a decision needs a cpv code or a category")
        cpv = normalise_cpv(code) if code else None
        if code and cpv is None:
            raise ValueError(f"{where}, row {n}, column 'cpv': {code!r} is not a CPV code")
        learned = row.get("learned_from", "")
        if learned and (not learned.isdigit() or description or not supplier):
            raise ValueError(
                f"{where}, row {n}, column 'learned_from': a remembered category needs a supplier, no "
                f"description and a whole number of decided descriptions; found {learned!r}"
            )
        if category and category not in categories:
            raise ValueError(
                f"{where}, row {n}, column 'category': {category!r} is not a category of the taxonomy "
                f"(one of {', '.join(sorted(categories))})"
            )
        out.append(
            Decision(description, supplier, cpv, category or None, row.get("note", ""), int(learned or 0))
        )
    return Decisions(out)


def load_decisions(path: str | Path | Decisions | Sequence[Decision] | None) -> Decisions:
    """Decisions from a CSV file (see the module docstring), or passed through."""
    if path is None:
        return Decisions()
    if isinstance(path, Decisions):
        return path
    if not isinstance(path, str | Path):
        return Decisions(list(path))
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = {(c or "").strip().lower() for c in reader.fieldnames or ()}
            if not columns & {"description", "supplier"} or not columns & {"cpv", "category"}:
                raise ValueError(
                    f"{path}: a decision file needs a description or supplier column and a cpv or "
                    f"category column; found {', '.join(reader.fieldnames or ()) or 'no header'}"
                )
            return decisions_from_rows(reader, str(path))
    except FileNotFoundError:
        raise ValueError(f"{path}: decision file not found") from None
