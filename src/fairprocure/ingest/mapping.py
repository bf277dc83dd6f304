"""The mapping file: tells the ledger reader what automatic detection cannot guess.

Example (TOML; every key optional, unknown keys rejected)::

    decimal = ","              # decimal mark of amounts
    thousands = "."            # thousands separator of amounts
    date_format = "%d.%m.%Y"   # strptime format of dates
    sheet = "Spend 2024"       # XLSX sheet (name or 0-based index); default: the first
    header_row = 3             # 1-based row holding the headers; default: found automatically
    encoding = "cp1251"        # CSV text encoding; default: detected
    delimiter = ";"            # CSV delimiter; default: detected

    [columns]                  # canonical field = source column header (a list joins several)
    description = ["Item", "Notes"]
    value = "Net amount"
    supplier_name = "Creditor"

    [constants]                # canonical field = value used for every line
    office = "Vienna"
    currency = "EUR"
    delivery_country = "AUT"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from fairprocure.ingest.model import IngestError
from fairprocure.schema import LINE_COLUMNS

# Fields a mapping may fill: everything except what the reader itself computes.
MAPPABLE_FIELDS = tuple(
    name
    for name in LINE_COLUMNS
    if name not in {"line_id", "fingerprint", "value_eur", "source_file", "source_record", "data_issues"}
)
OPTIONS = ("decimal", "thousands", "date_format", "sheet", "header_row", "encoding", "delimiter")


@dataclass(frozen=True)
class Mapping:
    """Column assignments, constants and format options for spend ledgers."""

    columns: dict[str, list[str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    decimal: str | None = None
    thousands: str | None = None
    date_format: str | None = None
    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None


def _check_fields(where: str, table: dict) -> None:
    unknown = sorted(set(table) - set(MAPPABLE_FIELDS))
    if unknown:
        raise IngestError(
            f"{where}: unknown field(s) {', '.join(unknown)}; known: {', '.join(MAPPABLE_FIELDS)}"
        )


def mapping_from_dict(raw: dict, source: str = "mapping") -> Mapping:
    """Build a Mapping from parsed TOML, rejecting unknown keys with a message naming them."""
    unknown = sorted(set(raw) - set(OPTIONS) - {"columns", "constants"})
    if unknown:
        raise IngestError(
            f"{source}: unknown key(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(OPTIONS)}, [columns], [constants]"
        )
    columns = raw.get("columns", {})
    constants = raw.get("constants", {})
    if not isinstance(columns, dict) or not isinstance(constants, dict):
        raise IngestError(f"{source}: [columns] and [constants] must be tables")
    _check_fields(f"{source} [columns]", columns)
    _check_fields(f"{source} [constants]", constants)
    header_row = raw.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise IngestError(f"{source}: header_row must be a whole number from 1 (the first row)")
    for key in ("decimal", "thousands", "delimiter"):
        if key in raw and (not isinstance(raw[key], str) or len(raw[key]) != 1):
            raise IngestError(f"{source}: {key} must be a single character, got {raw[key]!r}")
    return Mapping(
        columns={k: [v] if isinstance(v, str) else [str(x) for x in v] for k, v in columns.items()},
        constants={k: str(v) for k, v in constants.items()},
        **{key: raw[key] for key in OPTIONS if key in raw},
    )


def load_mapping(path: str | Path) -> Mapping:
    """Read a TOML mapping file (format in ``docs/data-model.md``)."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise IngestError(f"{path}: not valid TOML: {error}") from error
    return mapping_from_dict(raw, str(path))
