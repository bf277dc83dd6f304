"""Recognise a source file's format from its content (the extension only breaks ties)."""

from __future__ import annotations

from pathlib import Path

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}


def detect_format(path: Path) -> str | None:
    """'ocds' (JSON or JSON Lines), 'json' (JSON records that are not OCDS: a ledger's table), 'xlsx'
    (any spreadsheet), 'csv', or None if unsupported."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        return (
            "xlsx" if suffix in SPREADSHEET_SUFFIXES or suffix not in TEXT_SUFFIXES | JSON_SUFFIXES else None
        )
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if (text[:1] in (b"{", b"[") and (suffix not in TEXT_SUFFIXES or _json_start(text))) or (
        suffix in JSON_SUFFIXES  # empty or broken JSON: the OCDS reader reports why
    ):
        from fairprocure.ingest.jsontable import json_kind

        return json_kind(path)
    if suffix in TEXT_SUFFIXES or (head and b"\x00" not in head):
        return "csv" if suffix in TEXT_SUFFIXES or suffix == "" else None
    return None


def _json_start(text: bytes) -> bool:
    """A text file that opens like JSON: an object, or an array of objects (not a CSV cell "[x]")."""
    if text[:1] == b"[":
        return text[1:].lstrip()[:1] in (b"{", b"]")
    first = text.split(b"\n", 1)[0].rstrip()
    return first.endswith((b"}", b",", b"{", b"[")) or b'":' in first
