"""Which column becomes which field: a scored matching of header evidence and content evidence.

For every column and field, the header's evidence ``h`` (:func:`~fairprocure.ingest.headers.header_evidence`)
and the content's evidence ``c`` (:func:`~fairprocure.ingest.profile.content_evidence`) are combined:

- a header that names the field counts only as far as the content agrees:
  ``s = h × (floor + (1 − floor) × c)``, where the floor is low for fields whose values have a
  recognisable shape (amounts, dates, company names) and high for fields whose values do not (office,
  identifiers);
- with no header evidence, content alone may decide, up to a ceiling per field (``s = ceiling × c``):
  amounts, dates, company names, currency and CPV codes are recognisable, an office is not;
- a column that is mostly empty counts for less.

Columns are then given to fields greedily, best score first; each column goes to at most one field and
each field takes one column, except the description, which takes every column that says what was bought
(description columns first, then category and expense-type columns, each in file order). When no header
names a description, the text columns left over are the description. The pseudo-field ``ignore`` takes
columns a screening does not use (VAT amounts, postcodes, links, flags).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from fairprocure.ingest.headers import header_currency, header_evidence
from fairprocure.ingest.mapping import Mapping
from fairprocure.ingest.profile import Profile, content_evidence, profile_column

# How much a field's values must look the part when a header names it (see the module docstring).
FLOOR = {
    "value": 0.05, "quantity": 0.1, "date": 0.05, "end_date": 0.05, "supplier_name": 0.15,
    "supplier_id": 0.45, "record_id": 0.45, "contract_id": 0.45, "classification_code": 0.45,
    "classification_scheme": 0.6, "cpv": 0.2, "currency": 0.2, "supplier_country": 0.25,
    "origin_country": 0.25, "delivery_country": 0.25, "office": 0.55, "description": 0.3,
    "description_context": 0.3, "procurement_method": 0.55, "ignore": 1.0,
}  # fmt: skip
# The most content alone can say for a field (0: never from content alone).
CEILING = {
    "value": 0.55, "date": 0.5, "end_date": 0.3, "supplier_name": 0.5, "currency": 0.45, "cpv": 0.5,
    "supplier_country": 0.35, "delivery_country": 0.2, "record_id": 0.3, "supplier_id": 0.2,
    "contract_id": 0.15, "classification_code": 0.15, "description": 0.4,
    "description_context": 0.35, "ignore": 0.5,
}  # fmt: skip
TEXT_FIELDS = ("description", "description_context")
# A header naming the first field over values shaped like the second ("Kreditor" holding numbers).
SIBLINGS = (
    ("supplier_name", "supplier_id"),
    ("description", "classification_code"),
    ("description_context", "classification_code"),
)
MIN_SCORE = 0.2
HEADERLESS_PREFIX = "column "


@dataclass
class ColumnChoice:
    """What one column became, how sure, and why."""

    column: str
    field: str | None  # None: not used
    confidence: float
    evidence: str
    samples: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        return "high" if self.confidence >= 0.7 else "medium" if self.confidence >= 0.4 else "low"

    def as_dict(self) -> dict:
        return {
            "column": self.column,
            "field": self.field,
            "confidence": round(self.confidence, 2),
            "level": self.level,
            "evidence": self.evidence,
            "samples": self.samples,
        }


@dataclass
class Assignment:
    """Columns per field, and a choice (field, confidence, evidence) for every column."""

    fields: dict[str, list[str]]
    choices: list[ColumnChoice]
    profiles: dict[str, Profile]
    currencies: dict[str, str]  # column -> currency named in its header

    def columns_of(self, name: str) -> list[str]:
        return self.fields.get(name, [])

    def first(self, name: str) -> str | None:
        cols = self.fields.get(name)
        return cols[0] if cols else None

    def decimal_mark(self, column: str) -> str | None:
        p = self.profiles.get(column)
        return p.decimal_mark if p else None

    def date_order(self, column: str) -> str | None:
        p = self.profiles.get(column)
        return p.date_order if p else None

    def as_list(self) -> list[dict]:
        return [c.as_dict() for c in self.choices]


def _country_lookup(value: str) -> bool:
    from fairprocure.reference.countries import to_iso3

    return to_iso3(value) is not None


def profile_columns(sample: dict[str, list[str | None]]) -> dict[str, Profile]:
    return {name: profile_column(name, values, _country_lookup) for name, values in sample.items()}


def _contradicts(field_name: str, p: Profile) -> bool:
    """The values plainly are not this field (a column named "Amount" holding words)."""
    if p.filled < 3:
        return False
    if field_name in ("value", "quantity"):
        return p.amount < 0.2
    if field_name in ("date", "end_date"):
        return p.date < 0.2 and p.serial_dates < 0.5
    if field_name in ("description", "description_context", "supplier_name", "procurement_method"):
        return p.text < 0.2
    return False


def _score(field_name: str, h: float, c: float, strongest_other: float, distinct: int) -> float:
    if h > 0:
        floor = FLOOR.get(field_name, 0.5)
        if h >= 0.95:  # the header is one of the field's names: content only has to not contradict it
            floor = min(1.0, floor + 0.35)
        return h * (floor + (1 - floor) * c)
    score = CEILING.get(field_name, 0.0) * c
    if field_name not in ("currency", "cpv", "supplier_country", "delivery_country", "ignore"):
        score *= min(1.0, distinct / 4)  # a handful of values says little (but one currency code is normal)
    if strongest_other >= 0.8:  # the header clearly names something else
        score *= 0.25
    return score


def _reason(column: str, field_name: str, h: float, content) -> str:
    parts = []
    if column.startswith(HEADERLESS_PREFIX) and not h:
        pass
    elif h >= 0.95:
        parts.append(f"header {column!r} is a name for {field_name}")
    elif h > 0:
        parts.append(f"header {column!r} suggests {field_name}")
    else:
        parts.append(f"no header names it; content looks like {field_name}")
    if content is not None:
        parts.append(content.reason)
    return "; ".join(parts)


def assign_columns(
    sample: dict[str, list[str | None]], mapping: Mapping, headerless: bool = False
) -> Assignment:
    """Assign the columns of a sample (column -> values, in file order) to fields."""
    profiles = profile_columns(sample)
    columns = list(sample)
    fixed: dict[str, list[str]] = {f: list(cols) for f, cols in mapping.columns.items()}
    taken = {c for cols in fixed.values() for c in cols} | set(mapping.unused)
    choices: dict[str, ColumnChoice] = {}
    for f, cols in fixed.items():
        for c in cols:
            choices[c] = ColumnChoice(
                c, f, 1.0, "named in the mapping file", profiles[c].samples if c in profiles else []
            )
    for c in mapping.unused:
        if c in sample:
            choices[c] = ColumnChoice(c, None, 1.0, "left out by the mapping file", profiles[c].samples)
    candidates: list[tuple[float, int, str, str, str]] = []
    empty = []
    for index, column in enumerate(columns):
        if column in taken:
            continue
        profile = profiles[column]
        if not profile.filled:
            empty.append(column)
            continue
        heads = {} if headerless else header_evidence(column)
        content = content_evidence(profile)
        fill = 0.4 + 0.6 * profile.fill
        for field_name in set(heads) | set(content):
            if field_name in fixed or (field_name in mapping.constants and field_name not in TEXT_FIELDS):
                continue
            h = heads.get(field_name, 0.0)
            ev = content.get(field_name)
            c = ev.score if ev else 0.0
            other = max((v for f, v in heads.items() if f != field_name), default=0.0)
            s = _score(field_name, h, c, other, profile.distinct) * fill
            if h > 0 and _contradicts(field_name, profile):
                s = h * 0.1
            if h == 0 and field_name in TEXT_FIELDS:
                continue  # content-only descriptions are chosen last, from what is left
            if s >= MIN_SCORE:
                candidates.append((s, -index, column, field_name, _reason(column, field_name, h, ev)))
        for named, sibling in SIBLINGS:
            h = heads.get(named, 0.0)
            ev = content.get(sibling)
            if h >= 0.5 and ev is not None and sibling not in fixed and sibling not in heads:
                s = h * 0.8 * ev.score * fill
                if s >= MIN_SCORE:
                    why = f"header {column!r} names {named}, but its values are {sibling}: {ev.reason}"
                    candidates.append((s, -index, column, sibling, why))
    candidates.sort(reverse=True)
    assigned: dict[str, list[str]] = {}
    for s, _, column, field_name, why in candidates:
        if column in choices:
            continue
        if field_name in assigned and field_name not in ("description", "description_context", "ignore"):
            continue
        assigned.setdefault(field_name, []).append(column)
        choices[column] = ColumnChoice(
            column, None if field_name == "ignore" else field_name, min(1.0, s), why, profiles[column].samples
        )
    has_text = any(f in assigned or f in fixed for f in TEXT_FIELDS) or "description" in mapping.constants
    if not has_text:
        _leftover_text(columns, profiles, choices, assigned, set(empty) | taken, "office" not in fixed)
    _order_dates(assigned, profiles, choices, headerless)
    for f in TEXT_FIELDS:
        if f in assigned:
            assigned[f].sort(key=columns.index)
    _drop_flags(assigned, profiles, choices, sample)
    for f, cols in fixed.items():  # a mapping's columns, in the order it gives them
        assigned[f] = cols
    assigned.pop("ignore", None)
    for column in columns:
        if column not in choices:
            why = "empty in the rows read" if column in empty else "not recognised"
            choices[column] = ColumnChoice(column, None, 0.0, why, profiles[column].samples)
    currencies = {c: cur for c in columns if (cur := header_currency(c))}
    ordered = [choices[c] for c in columns]
    return Assignment(assigned, ordered, profiles, currencies)


def _leftover_text(columns, profiles, choices, assigned, skip, office_free: bool) -> None:
    """No header names a description: the text columns left are what was bought. Of two or more, the one
    that reads most like organisation units (few values, "Department", "Directorate") is the office."""
    left = []
    for column in columns:
        if column in choices or column in skip:
            continue
        ev = content_evidence(profiles[column]).get("description_context")
        if ev is not None and ev.score >= 0.5 and profiles[column].distinct > 1:
            left.append((column, ev))
    if len(left) >= 2 and office_free and "office" not in assigned:
        column, ev = max(left, key=lambda ce: profiles[ce[0]].office_words)
        p = profiles[column]
        if p.office_words >= 0.5 and (p.distinct <= 30 or p.distinct_ratio <= 0.05):
            left.remove((column, ev))
            assigned["office"] = [column]
            why = f"no header names it; the text column most like organisation units: {_pct(p.office_words)} name one"
            choices[column] = ColumnChoice(column, "office", 0.3, why, p.samples)
    for column, ev in left:
        s = CEILING["description_context"] * ev.score * (0.4 + 0.6 * profiles[column].fill)
        assigned.setdefault("description_context", []).append(column)
        why = "no header names a description: text that says what was bought; " + ev.reason
        choices[column] = ColumnChoice(column, "description_context", s, why, profiles[column].samples)


FLAG_ROWS = 50  # rows a category column must fill before two values mark it as a flag


def _drop_flags(assigned, profiles, choices, sample) -> None:
    """A category column with at most two values over many rows ("Revenue" / "Capital", "General Fund"),
    or whose three commonest values fill 97% of it beside a free-text description ("Marché" /
    "Accord-cadre" / "Marché subséquent"), next to description columns that vary, is a flag or a type:
    it says nothing of what was bought and only blurs the description, so it is left out (a mapping
    file can still name it)."""
    described = assigned.get("description", []) + assigned.get("description_context", [])
    if len(described) < 2:
        return
    for column in list(assigned.get("description_context", [])):
        p = profiles[column]
        others = max((profiles[c].distinct for c in described if c != column), default=0)
        counts = Counter(v for v in sample.get(column, []) if v)
        top = sum(n for _, n in counts.most_common(3)) / max(1, sum(counts.values()))
        few = (p.distinct <= 2 and others >= 10) or (top >= 0.97 and others >= 30)
        if p.filled >= FLAG_ROWS and few:
            assigned["description_context"].remove(column)
            values = " / ".join(v for v, _ in counts.most_common(3))
            why = f"{p.distinct} values in {p.filled} rows, mostly {values}: a flag or a type, not what was bought"
            choices[column] = ColumnChoice(column, None, 0.6, why, p.samples)
    if not assigned.get("description_context"):
        assigned.pop("description_context", None)


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _order_dates(assigned, profiles, choices, headerless) -> None:
    """With no header to tell them apart, the earlier of two date columns is the date, the later the end."""
    start, end = assigned.get("date"), assigned.get("end_date")
    if not (start and end) or not headerless:
        return
    a, b = profiles[start[0]].median_date, profiles[end[0]].median_date
    if a and b and a > b:
        assigned["date"], assigned["end_date"] = end, start
        choices[start[0]].field, choices[end[0]].field = "end_date", "date"
