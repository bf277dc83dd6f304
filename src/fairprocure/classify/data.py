"""Labelled text the classifiers learn from, read from the data shipped in ``fairprocure.reference``.

Three sources, all CPV-coded:

* the CPV 2008 labels in 24 EU languages plus ProZorro's Russian and Ukrainian (9,454 codes);
* real TED notices (titles, short descriptions, lot titles and lot descriptions), one row per text,
  keyed by ``doc_id`` so that evaluation can keep every form and lot of a notice on one side;
* real French contracts (DECP: the subject of each awarded contract), keyed by a contract group that
  keeps a contract's repeats, modifications and lots sharing one subject on one side.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from fairprocure.classify.taxonomy import normalise_cpv
from fairprocure.reference.cpv import VOCABULARY, vocabulary_columns

TED_NOTICES_FILE = "ted/ted_notices.csv.gz"
TED_LOTS_FILE = "ted/ted_lots.csv.gz"
DECP_FILE = "decp/decp_2019_marches_dev.csv.gz"
# Irish ("ga") labels in the source are copies of the English ones, so they are skipped.
CPV_LANGUAGES = [
    "en",
    "fr",
    "de",
    "ro",
    "bg",
    "cs",
    "da",
    "el",
    "es",
    "et",
    "fi",
    "hr",
    "hu",
    "it",
    "lt",
    "lv",
    "mt",
    "nl",
    "pl",
    "pt",
    "sk",
    "sl",
    "sv",
    "ru_prozorro",
    "uk_prozorro",
]
DESCRIPTION_CHARS = 300  # the head of a long description carries the subject; the rest is conditions


@dataclass(frozen=True)
class Example:
    """One labelled text: what it says, its CPV code and where it came from."""

    text: str
    cpv: str
    lang: str
    source: str  # cpv_label | title | short_descr | lot_title | lot_descr | contract | user
    doc_id: str = ""


def _read_csv_gz(relative: str) -> list[dict[str, str]]:
    raw = (files("fairprocure.reference") / "data" / relative).read_bytes()
    with io.TextIOWrapper(io.BytesIO(gzip.decompress(raw)), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def cpv_labels() -> dict[str, dict[str, str]]:
    """CPV code (8 digits) -> {language: label}, for every code of CPV 2008."""
    columns = vocabulary_columns(["code8", *CPV_LANGUAGES])
    names = [(lang[:2], columns[lang]) for lang in CPV_LANGUAGES]
    labels: dict[str, dict[str, str]] = {}
    for i, raw in enumerate(columns["code8"]):
        code = normalise_cpv(raw)
        if code is None:
            raise ValueError(f"{VOCABULARY}, row {i + 2}, field code8: not a CPV code: {raw!r}")
        labels[code] = {lang: said[i] for lang, said in names if said[i]}
    return labels


def cpv_label_examples() -> list[Example]:
    """One example per CPV code and language: the label itself."""
    return [
        Example(text=label, cpv=code, lang=lang, source="cpv_label")
        for code, by_lang in cpv_labels().items()
        for lang, label in by_lang.items()
    ]


def _code(value: str | None) -> str | None:
    return normalise_cpv((value or "").split(";")[0])


@cache
def ted_examples() -> tuple[Example, ...]:
    """Every TED title, short description, lot title and lot description with its CPV code."""
    out: list[Example] = []
    for row in _read_csv_gz(TED_NOTICES_FILE):
        cpv = _code(row["cpv_main"])
        if cpv is None:
            continue
        lang = row["form_lang"].lower()
        for field in ("title", "short_descr"):
            text = (row[field] or "")[:DESCRIPTION_CHARS]
            if text.strip():
                out.append(Example(text=text, cpv=cpv, lang=lang, source=field, doc_id=row["doc_id"]))
    for row in _read_csv_gz(TED_LOTS_FILE):
        cpv = _code(row["cpv_additional"]) or _code(row["cpv_main_notice"])
        if cpv is None:
            continue
        lang = row["form_lang"].lower()
        for field, source in (("lot_title", "lot_title"), ("lot_short_descr", "lot_descr")):
            text = (row[field] or "")[:DESCRIPTION_CHARS]
            if text.strip():
                out.append(Example(text=text, cpv=cpv, lang=lang, source=source, doc_id=row["doc_id"]))
    return tuple(out)


def vocabulary_code(code: str | None) -> str | None:
    """The code itself if CPV 2008 has it, else its nearest ancestor that it has (a buyer's "30192001"
    becomes 30192000); None when not even its division is in CPV 2008 (a CPV 2003 code such as 74...)."""
    labels = cpv_labels()
    for n in range(8, 1, -1):
        candidate = (code or "")[:n].ljust(8, "0")
        if candidate in labels:
            return candidate
    return None


@cache
def decp_examples() -> tuple[Example, ...]:
    """Every French contract subject (DECP) with its CPV code (mapped to CPV 2008's nearest code; the few
    rows with a code from CPV 2003 are left out).

    ``doc_id`` groups rows that are one procurement: the same contract id on one platform (repeats,
    modifications) or the same buyer with the same subject (the lots of one tender), joined transitively.
    """
    rows = [
        r | {"cpv": code}
        for r in _read_csv_gz(DECP_FILE)
        if r["objet"].strip() and (code := vocabulary_code(normalise_cpv(r["cpv8_normalised"])))
    ]
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str, str], int] = {}
    for i, r in enumerate(rows):
        for key in (
            ("id", r["source"], r["id"]),
            ("subject", r["acheteur_id"], r["objet"].strip().casefold()),
        ):
            j = first.setdefault(key, i)
            parent[find(i)] = find(j)
    return tuple(
        Example(
            text=r["objet"][:DESCRIPTION_CHARS].replace("<br />", " "),
            cpv=r["cpv"],
            lang="fr",
            source="contract",
            doc_id=f"decp:{find(i)}",
        )
        for i, r in enumerate(rows)
    )


def labelled_file_examples(path: str | Path) -> list[Example]:
    """Your own labelled lines: a CSV with a text column and a CPV column, in any language.

    The text column is the first of ``description``, ``text`` or ``title``; the code column the first of
    ``cpv`` or ``code``. Rows without a CPV code are skipped; an unreadable code is an error naming the row.
    """
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = {c.strip().lower(): c for c in reader.fieldnames or ()}
        text_col = next((columns[c] for c in ("description", "text", "title") if c in columns), None)
        code_col = next((columns[c] for c in ("cpv", "code") if c in columns), None)
        if text_col is None or code_col is None:
            raise ValueError(
                f"{path}: labelled data needs a text column (description, text or title) and a cpv column; "
                f"found {', '.join(reader.fieldnames or ())}"
            )
        out = []
        for n, row in enumerate(reader, start=2):
            raw = (row[code_col] or "").strip()
            if not raw:
                continue
            code = normalise_cpv(raw)
            if code is None:
                raise ValueError(f"{path}, row {n}, column {code_col!r}: {raw!r} is not a CPV code")
            text = (row[text_col] or "")[:DESCRIPTION_CHARS]
            if text.strip():
                out.append(Example(text=text, cpv=code, lang="", source="user", doc_id=f"{path.name}:{n}"))
    return out
