"""Keep this app's Russian catalogue in step with the library's message templates.

    python -m fairprocure.web.evidence.catalogue          # add new msgids, drop gone ones, compile
    python -m fairprocure.web.evidence.catalogue --check  # exit 1 if the catalogue is not current

Entries: every template of :func:`fairprocure.messages.catalogue` (msgid = the English template),
every known term in its context (``ILAB good``, ``TIP tier`` ...), the library's source names
(context ``source``) and the column names data issues cite (context ``field``). Translations already
in the file are kept; new entries come with an empty ``msgstr`` for a translator to fill (the
translation tests fail until they are).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from fairprocure import messages

PO = Path(__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def entries() -> list[messages.Entry]:
    from fairprocure.web.evidence.text import FIELD_NAMES

    found = messages.catalogue() + [messages.Entry(name, "field") for name in FIELD_NAMES.values()]
    found.append(messages.Entry("row %(n)s", "place in a file"))  # source_record, see text.record_text
    return list(dict.fromkeys(found))


def build(existing: Catalog | None) -> Catalog:
    catalogue = Catalog(locale="ru", project="fairprocure", charset="utf-8", fuzzy=False)
    if existing is not None:  # keep the header's dates, so an unchanged catalogue is an unchanged file
        catalogue.creation_date, catalogue.revision_date = existing.creation_date, existing.revision_date
    for entry in entries():
        old = existing.get(entry.msgid, entry.context) if existing is not None else None
        flags = ["python-format"] if "%(" in entry.msgid else []
        catalogue.add(entry.msgid, old.string if old else "", flags=flags, context=entry.context)
    return catalogue


def _read(path: Path) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as f:
        return read_po(f, locale="ru")


def _key(catalogue: Catalog) -> list[tuple]:
    return sorted((m.context or "", m.id, m.string) for m in catalogue if m.id)


def main(argv: list[str]) -> int:
    existing = _read(PO)
    fresh = build(existing)
    if "--check" in argv:
        current = existing is not None and _key(existing) == _key(fresh)
        print("catalogue is current" if current else f"{PO} is not current: run {__spec__.name}")
        return 0 if current else 1
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as f:
        write_po(f, fresh, width=100, omit_header=False, sort_output=False)
    with PO.with_suffix(".mo").open("wb") as f:
        write_mo(f, fresh)
    missing = sum(1 for m in fresh if m.id and not m.string)
    print(f"{PO}: {len(fresh)} entries, {missing} without a translation")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
