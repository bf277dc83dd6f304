"""The mapping file: tells the ledger reader what automatic detection cannot guess.

Example (TOML; every key optional, unknown keys rejected)::

    decimal = ","              # decimal mark of amounts
    thousands = "."            # thousands separator of amounts
    date_format = "%d.%m.%Y"   # strptime format of dates
    date_order = "dmy"         # or: order of day, month, year in numeric dates ("dmy", "mdy", "ymd")
    sheet = "Spend 2024"       # XLSX sheet (name or 0-based index); default: the first
    header_row = 3             # 1-based row holding the headers (0: no header row); default: found
    encoding = "cp1251"        # CSV text encoding; default: detected
    delimiter = ";"            # CSV delimiter; default: detected

    unused = ["Approver"]      # columns to leave out (not guessed as anything)

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
OPTIONS = (
    "decimal", "thousands", "date_format", "date_order", "sheet", "header_row", "encoding", "delimiter", "unused",
)  # fmt: skip


@dataclass(frozen=True)
class Mapping:
    """Column assignments, constants and format options for spend ledgers."""

    columns: dict[str, list[str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    decimal: str | None = None
    thousands: str | None = None
    date_format: str | None = None
    date_order: str | None = None
    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    unused: tuple[str, ...] = ()
    # Set by the caller, not the file: (code, where it comes from), e.g. ("GBP", "--currency").
    assumed_currency: tuple[str, str] | None = None  # for amounts whose currency the data do not give
    office_country: tuple[str, str] | None = None  # ISO3 place of performance when the data do not give one


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
    if header_row is not None and (
        not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 0
    ):
        raise IngestError(
            f"{source}: header_row must be a whole number: 1 for the first row, 0 for no header row"
        )
    if raw.get("date_order") not in (None, "dmy", "mdy", "ymd"):
        raise IngestError(f'{source}: date_order must be "dmy", "mdy" or "ymd", got {raw["date_order"]!r}')
    unused = raw.get("unused", [])
    if isinstance(unused, str):
        unused = [unused]
    if not isinstance(unused, list) or not all(isinstance(u, str) for u in unused):
        raise IngestError(f"{source}: unused must be a list of column headers")
    for key in ("decimal", "thousands", "delimiter"):
        if key in raw and (not isinstance(raw[key], str) or len(raw[key]) != 1):
            raise IngestError(f"{source}: {key} must be a single character, got {raw[key]!r}")
    return Mapping(
        columns={k: [v] if isinstance(v, str) else [str(x) for x in v] for k, v in columns.items()},
        constants={k: str(v) for k, v in constants.items()},
        unused=tuple(unused),
        **{key: raw[key] for key in OPTIONS if key in raw and key != "unused"},
    )


def load_mapping(path: str | Path) -> Mapping:
    """Read a TOML mapping file (format in ``docs/data-model.md``)."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise IngestError(f"{path}: not valid TOML: {error}") from error
    return mapping_from_dict(raw, str(path))
