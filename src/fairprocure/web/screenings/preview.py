"""The upload preview: how a ledger's columns will be read, corrected by a person, and remembered.

A ledger uploaded through the page is stored ``held`` (:mod:`.uploads`); the preview shows what
:func:`fairprocure.ingest.inspect.inspect_ledger` recognised — each column's field, confidence, evidence
and sample values, the formats, the first lines — with the office's remembered mapping applied when it
fits the file's columns. Confirming (:func:`confirm`) saves the corrected mapping beside the upload, remembers it
for the office (its next monthly export with the same columns is read the same way, with or without a
preview), records the corrections in the audit log and queues the screening.

:func:`job_options` is what a screening job passes to the library: the mapping (confirmed, else the
office's remembered one that fits), the office's currency and country, each said on the lines it fills.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import orjson
from django.utils.translation import gettext_lazy as _

from fairprocure.ingest.detect import detect_format
from fairprocure.ingest.inspect import Inspection, corrected, inspect_ledger, mapping_fits
from fairprocure.ingest.mapping import Mapping, mapping_from_dict
from fairprocure.ingest.model import IngestError
from fairprocure.ingest.tabular import table_headers
from fairprocure.web.audit.log import record
from fairprocure.web.offices.models import LedgerMapping, Office
from fairprocure.web.screenings import jobs
from fairprocure.web.screenings.models import Screening

LEDGER_KINDS = ("csv", "xlsx", "json")
CONFIRMED = "mapping.json"  # beside the upload: the mapping a person confirmed for it
# The fields a person may give a column, in the order offered.
FIELDS = [
    ("supplier_name", _("supplier")),
    ("supplier_id", _("supplier identifier")),
    ("value", _("amount")),
    ("currency", _("currency")),
    ("date", _("date")),
    ("end_date", _("end date")),
    ("description", _("what was bought (description)")),
    ("office", _("office")),
    ("record_id", _("record number (transaction, invoice)")),
    ("contract_id", _("contract or order number")),
    ("cpv", _("CPV code")),
    ("classification_code", _("classification code")),
    ("classification_scheme", _("classification scheme")),
    ("supplier_country", _("supplier's country")),
    ("origin_country", _("country of origin")),
    ("delivery_country", _("place of performance")),
    ("quantity", _("quantity")),
    ("procurement_method", _("procurement method")),
]
FIELD_NAMES = {f for f, _ in FIELDS}


def is_ledger(path: Path) -> bool:
    return detect_format(path) in LEDGER_KINDS


def remembered(office: Office, headers: list[str]) -> LedgerMapping | None:
    """The office's most recent remembered mapping that fits a file with these columns."""
    for kept in office.ledger_mappings.all():
        if mapping_fits(kept.mapping, headers):
            return kept
    return None


@dataclass
class Preview:
    inspection: Inspection | None
    remembered: LedgerMapping | None
    error: str = ""

    @property
    def columns(self) -> list[dict]:
        """Each column with the field it is read as (description columns all as "description")."""
        if self.inspection is None:
            return []
        out = []
        for index, choice in enumerate(self.inspection.tables[0].assignment.choices):
            field = "description" if choice.field == "description_context" else choice.field
            out.append({"index": index, "choice": choice, "field": field or ""})
        return out


def _confirmed_path(screening: Screening) -> Path:
    return Path(screening.stored_path).parent / CONFIRMED


def preview(screening: Screening) -> Preview:
    """How the held upload will be read, the office's remembered mapping applied if it fits."""
    path = Path(screening.stored_path)
    try:
        kind = detect_format(path)
        kept = remembered(screening.office, table_headers(path, kind))
        mapping = mapping_from_dict(kept.mapping) if kept else Mapping()
        office = (
            screening.office
        )  # the first lines shown as they will be screened: with the office's defaults
        defaults = dataclasses.replace(
            mapping,
            assumed_currency=(office.accounts_currency, "office") if office.accounts_currency else None,
            office_country=(office.country, "office") if office.country else None,
        )
        return Preview(inspect_ledger(path, defaults, refuse=False), kept)
    except IngestError as exc:
        return Preview(None, None, str(exc).splitlines()[0].replace(str(path), screening.file_name))


def confirm(screening: Screening, choices: dict[int, str], actor) -> dict:
    """Save the mapping with a person's choices (column index -> field, "" to leave it out), remember it
    for the office, record what changed, and queue the screening. Returns the mapping."""
    shown = preview(screening)
    if shown.inspection is None:
        raise IngestError(shown.error)
    inspection = shown.inspection
    columns = {c["index"]: c for c in shown.columns}
    changes: dict[str, str | None] = {}
    for index, field in choices.items():
        if index not in columns or (field and field not in FIELD_NAMES):
            continue
        if (field or "") != columns[index]["field"]:
            changes[columns[index]["choice"].column] = field or None
    mapping = corrected(inspection.mapping_dict(), changes)
    _confirmed_path(screening).write_bytes(orjson.dumps(mapping))
    headers = inspection.tables[0].layout.headers
    name = getattr(actor, "username", str(actor))
    kept = shown.remembered
    if kept is not None and kept.headers == headers:
        kept.mapping, kept.file_name, kept.updated_by = mapping, screening.file_name, name
        kept.save()
    else:
        LedgerMapping.objects.create(
            office=screening.office,
            headers=headers,
            mapping=mapping,
            file_name=screening.file_name,
            updated_by=name,
        )
    details = {"screening": screening.pk, "changes": {c: f or "(not used)" for c, f in changes.items()}}
    record(
        actor,
        "screening.columns_confirmed",
        office=screening.office,
        target=screening.file_name,
        details=details,
    )
    jobs.release(screening)
    return mapping


def job_options(screening: Screening) -> dict:
    """What the screening job passes to ``screen()``: the mapping and the office's currency and country."""
    options: dict = {}
    path = Path(screening.stored_path)
    confirmed = _confirmed_path(screening)
    if confirmed.exists():
        options["mapping"] = orjson.loads(confirmed.read_bytes())
    elif path.exists() and is_ledger(path):
        try:
            kept = remembered(screening.office, table_headers(path, detect_format(path)))
        except IngestError:
            kept = None
        if kept is not None:
            options["mapping"] = kept.mapping
    office = screening.office
    if office.accounts_currency:
        options["currency"] = [office.accounts_currency, "office"]
    if office.country:
        options["office_country"] = [office.country, "office"]
    return options
