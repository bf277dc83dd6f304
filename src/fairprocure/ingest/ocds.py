"""OCDS: release packages, record packages, JSON Lines, single releases → canonical lines.

Releases of one ``ocid`` are merged with ``ocdsmerge`` into a compiled release; a record uses its
``compiledRelease`` or merges its releases. Each compiled release is validated against the vendored
OCDS 1.1.5 release schema; schema errors are kept (summarised) and its usable parts screened.
Lines: one per item of ``contracts[].items``, else ``awards[].items``, else ``tender.items``; a
contract/award/tender without items gives one line with its title/description. A joint award (several
suppliers) gives one line per supplier and item, the value split evenly between the suppliers (said on
the line). Value: the item's ``unit.value.amount × quantity`` when present, else the contract/award value
split evenly over its items; a tender with no value uses its ``minValue`` estimate (said on the line).
Delivery country: item delivery address, else the buyer's address; never guessed from the supplier.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import orjson
import pyarrow as pa

from fairprocure.ingest.finish import Issues, finish, line_issue
from fairprocure.ingest.model import IngestError, Problem
from fairprocure.ingest.parsers import parse_amount, parse_date
from fairprocure.messages import Number, template

JOINT_AWARD = template(
    "data.joint_award", "joint award to %(suppliers)s suppliers: one line for each, the value split evenly"
)
TENDER_ESTIMATE = template(
    "data.tender_estimate", "the tender's minimum estimated value (tender.minValue); no contract value yet"
)
SCHEMA_ERRORS = template(  # paths are the schema's own (awards/0/suppliers): data, not words
    "data.ocds_schema_errors", "%(count)s OCDS schema error(s) at %(paths)s", count=Number()
)
SCHEMA_ERRORS_MORE = template(
    "data.ocds_schema_errors_more",
    "%(count)s OCDS schema error(s) at %(paths)s and %(more)s more",
    count=Number(),
    more=Number(),
)
SCHEMA_ERRORS_DEEP = template(
    "data.ocds_schema_errors_deep",
    "OCDS schema errors, in values nested too deeply to list where",
)

SCHEMA_PATH = Path(__file__).parents[1] / "reference" / "data" / "ocds_schema_1_1_5" / "release-schema.json"
TEXT_COLUMNS = (
    "line_id", "office", "contract_id", "record_id", "description", "classification_scheme", "classification_code",
    "supplier_name", "supplier_id", "supplier_country", "delivery_country", "currency", "procurement_method",
    "source_file", "source_record",
)  # fmt: skip


@cache
def _validator():
    import jsonschema_rs

    return jsonschema_rs.Draft4Validator(orjson.loads(SCHEMA_PATH.read_bytes()))


def _load(path: Path) -> tuple[list[tuple[str, object]], list[tuple[str, str]]]:
    """(where, object) for each top-level JSON value, and (where, reason) for unreadable ones."""
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"{path}: the file is empty")
    try:
        return [("document", orjson.loads(data))], []
    except orjson.JSONDecodeError:
        pass
    found, bad = [], []
    for number, line in enumerate(data.splitlines(), start=1):
        if line.strip():
            try:
                found.append((f"line {number}", orjson.loads(line)))
            except orjson.JSONDecodeError as error:
                bad.append((f"line {number}", f"not valid JSON (truncated or broken): {error}"))
    if not found and bad and len(bad) == 1:
        raise IngestError(f"{path}: not valid JSON: {bad[0][1]}")
    return found, bad


def _releases(objects, bad: list) -> tuple[dict[str, list[dict]], dict[str, dict], dict[str, str], int]:
    """Group releases by ocid; take compiled releases from records. Returns (releases, compiled, where, n)."""
    releases: dict[str, list[dict]] = {}
    compiled: dict[str, dict] = {}
    where: dict[str, str] = {}
    count = 0

    def add_release(item, place):
        nonlocal count
        count += 1
        if not isinstance(item, dict):
            bad.append((place, "not a JSON object"))
        elif not item.get("ocid") or not isinstance(item.get("ocid"), str):
            bad.append((place, "release without ocid"))
        else:
            releases.setdefault(item["ocid"], []).append(item)
            where.setdefault(item["ocid"], place)

    def add_record(record, place):
        nonlocal count
        count += 1
        ocid = record.get("ocid") or (record.get("compiledRelease") or {}).get("ocid")
        if not isinstance(ocid, str) or not ocid:
            bad.append((place, "record without ocid"))
            return
        where.setdefault(ocid, place)
        if isinstance(record.get("compiledRelease"), dict):
            compiled[ocid] = record["compiledRelease"]
        else:
            parts = [
                r
                for r in record.get("releases") or []
                if isinstance(r, dict) and "tag" in r and "url" not in r
            ]
            if not parts:
                bad.append((f"{ocid} ({place})", "record with no compiledRelease and no embedded releases"))
                return
            releases.setdefault(ocid, []).extend(parts)

    for place, obj in objects:
        if isinstance(obj, dict) and isinstance(obj.get("releases"), list) and "ocid" not in obj:
            for i, item in enumerate(obj["releases"]):
                add_release(item, f"{place} releases[{i}]")
        elif isinstance(obj, dict) and isinstance(obj.get("records"), list):
            for i, item in enumerate(obj["records"]):
                if isinstance(item, dict):
                    add_record(item, f"{place} records[{i}]")
                else:
                    count += 1
                    bad.append((f"{place} records[{i}]", "not a JSON object"))
        elif isinstance(obj, dict) and ("compiledRelease" in obj or "releases" in obj):
            add_record(obj, place)
        elif isinstance(obj, list):
            for i, item in enumerate(obj):
                add_release(item, f"{place}[{i}]")
        else:
            add_release(obj, place)
    return releases, compiled, where, count


@cache
def _merger():
    import ocdsmerge

    return ocdsmerge.Merger(orjson.loads(SCHEMA_PATH.read_bytes()))  # building its rules costs ~10 ms


def _merge(parts: list[dict]) -> dict:
    if len(parts) == 1:
        return parts[0]
    try:
        return _merger().create_compiled_release(sorted(parts, key=lambda r: str(r.get("date") or "")))
    except Exception:  # inconsistent releases: fall back to the latest one
        return max(parts, key=lambda r: str(r.get("date") or ""))


def _schema_summary(release: dict) -> str | None:
    validator = _validator()
    if validator.is_valid(release):  # most releases are valid: the errors are collected only when not
        return None
    try:
        errors = list(validator.iter_errors(release))
    except ValueError:  # jsonschema-rs gives up listing errors in values nested 255 levels or more
        return SCHEMA_ERRORS_DEEP()
    if not errors:
        return None
    paths = sorted({"/".join(str(p) for p in e.instance_path) or "(root)" for e in errors})
    shown = ", ".join(paths[:5])
    if len(paths) > 5:
        return SCHEMA_ERRORS_MORE(count=len(errors), paths=shown, more=len(paths) - 5)
    return SCHEMA_ERRORS(count=len(errors), paths=shown)


@cache
def _tender_estimate():
    return TENDER_ESTIMATE()  # one message, shared by the lines


@cache
def _joint_award(suppliers: int):
    return JOINT_AWARD(suppliers=str(suppliers))  # one message per number of suppliers, shared by the lines


def _d(value) -> dict:
    return value if isinstance(value, dict) else {}


def _l(value) -> list:
    return value if isinstance(value, list) else []


def _amount(value) -> tuple[float | None, str | None]:
    money = _d(value)
    raw, currency = money.get("amount"), money.get("currency")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        number = float(raw)
    elif isinstance(raw, str):
        number = parse_amount(raw)[0]
    else:
        number = None
    return number, currency if isinstance(currency, str) else None


def _text(*values) -> str | None:
    for v in values:
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


# What _lines fills per line: the columns but source_file (the same on every line), and the line's notes.
ROW_COLUMNS = (
    *(c for c in TEXT_COLUMNS if c != "source_file"),
    "value",
    "quantity",
    "date",
    "end_date",
    "issues",
)


def _lines(release: dict, issue: str | None, rows: list[tuple]) -> int:
    """Append the release's lines to ``rows``, a tuple each (``ROW_COLUMNS``); returns how many."""
    ocid = release["ocid"]
    parties = {p.get("id"): p for p in _l(release.get("parties")) if isinstance(p, dict)}
    buyer = _d(parties.get(_d(release.get("buyer")).get("id"))) or _d(release.get("buyer"))
    buyer_country = _d(buyer.get("address")).get("countryName")
    office = _text(buyer.get("name"))
    tender = _d(release.get("tender"))
    awards = {a.get("id"): a for a in _l(release.get("awards")) if isinstance(a, dict)}
    method = _text(tender.get("procurementMethod"), tender.get("procurementMethodDetails"))
    groups = []  # (kind, object, award)
    for c in _l(release.get("contracts")):
        if isinstance(c, dict):
            groups.append(("contracts", c, _d(awards.get(c.get("awardID")))))
    if not groups:
        groups = [("awards", a, a) for a in awards.values()]
    if not groups and tender:
        groups = [("tender", tender, {})]
    added = 0
    for g, (kind, obj, award) in enumerate(groups):
        items = [i for i in _l(obj.get("items")) if isinstance(i, dict)] or [
            i for i in _l(award.get("items")) if isinstance(i, dict)
        ]
        suppliers = [s for s in _l(award.get("suppliers")) if isinstance(s, dict)] or [{}]
        total, total_currency = _amount(obj.get("value"))
        notes: list[tuple[str | None, str]] = [(None, issue)] if issue else []  # (field, message) per line
        if total is None and kind == "tender":
            total, total_currency = _amount(obj.get("minValue"))
            if total is not None:
                notes.append(("value", _tender_estimate()))
        if len(suppliers) > 1:
            notes.append((None, _joint_award(len(suppliers))))
        period = _d(obj.get("period")) or _d(award.get("contractPeriod"))
        date = parse_date(
            _text(obj.get("dateSigned"), period.get("startDate"), award.get("date"), release.get("date"))
        )
        end_date = parse_date(_text(period.get("endDate")))
        title = _text(obj.get("title"), obj.get("description"))
        folded_title = title.casefold() if title else None
        group_id = str(obj.get("id") or g) if kind != "tender" else "tender"
        contract_id = _text(str(obj.get("id") or "")) if kind != "tender" else _text(tender.get("id"))
        prefix = f"{ocid}/{group_id}"
        where = f"{ocid} {kind}" if kind == "tender" else f"{ocid} {kind}/{group_id}"
        shares, share = len(suppliers), 1 / len(suppliers)
        sellers = []  # (name, id, country, joint suffix, record suffix) per supplier
        for k, supplier in enumerate(suppliers):
            party = _d(parties.get(supplier.get("id"))) or supplier
            identifier = _d(party.get("identifier"))
            sellers.append(
                (
                    _text(party.get("name")),
                    _text(str(identifier.get("id") or "") or None, party.get("id")),
                    _text(_d(party.get("address")).get("countryName")),
                    f"/suppliers/{k + 1}" if shares > 1 else "",
                    f" supplier {k + 1} of {shares}" if shares > 1 else "",
                )
            )
        for i, item in enumerate(items or [{}]):
            unit_value, unit_currency = _amount(_d(item.get("unit")).get("value"))
            quantity = item.get("quantity")
            quantity = quantity if isinstance(quantity, int | float) else parse_amount(str(quantity))[0]
            if unit_value is not None and quantity is not None:
                value, currency = unit_value * quantity, unit_currency or total_currency
            else:
                value = total / len(items) if total is not None and items else total
                currency = total_currency
            value = value * share if value is not None else None
            cls = _d(item.get("classification"))
            scheme = _text(cls.get("scheme"), cls.get("schema"))
            code = _text(str(cls.get("id") or ""))
            desc = _text(item.get("description"))
            if desc and title and len(desc) < 40 and folded_title not in desc.casefold():
                desc = f"{desc} — {title}"
            address = _d(item.get("deliveryAddress"))
            delivery = _text(address.get("countryName"), address.get("country"), buyer_country)
            item_id = str(item.get("id") or i) if items else None
            record = f"{prefix}/{item_id}" if item_id else prefix
            path = f"{where}/items/{item_id}" if item_id else where
            for name, supplier_id, country, joint, of in sellers:  # one tuple per line, in ROW_COLUMNS order
                rows.append(
                    (record + joint, office, contract_id, record + joint, desc or title, scheme, code, name,
                     supplier_id, country, delivery, currency, method, path + of,
                     value, quantity, date, end_date, notes)
                )  # fmt: skip
                added += 1
    return added


def read_ocds(path: Path, source: str) -> tuple[pa.Table, list[Problem], dict]:
    """Read one OCDS file into lines; returns (lines, problems, stats)."""
    objects, bad = _load(path)
    return ocds_lines(objects, bad, source)


def ocds_lines(
    objects: list[tuple[str, object]], bad: list[tuple[str, str]], source: str
) -> tuple[pa.Table, list[Problem], dict]:
    """Lines of parsed OCDS objects ((where, object) pairs); ``bad`` lists unreadable ones to quarantine."""
    unreadable = len(bad)  # lines that are not JSON: records read, and quarantined
    releases, compiled, where, count = _releases(objects, bad)
    count += unreadable
    problems = [Problem(source, place, None, reason, "quarantined") for place, reason in bad]
    kept: list[tuple[str, str]] = []
    rows: list[tuple] = []
    validated = 0
    for ocid in sorted(set(releases) | set(compiled)):
        release = compiled[ocid] if ocid in compiled else _merge(releases[ocid])
        release.setdefault("ocid", ocid)
        issue = _schema_summary(release)
        validated += 1
        if issue:
            kept.append((ocid, issue))
        if not _lines(release, issue, rows):
            reason = "nothing to screen: no contract, award or tender"
            problems.append(Problem(source, f"{ocid} ({where[ocid]})", None, reason, "quarantined"))
    by_column = list(zip(*rows, strict=True)) or [()] * len(ROW_COLUMNS)  # the rows, turned into columns
    out = {name: list(values) for name, values in zip(ROW_COLUMNS, by_column, strict=True)}
    del rows, by_column
    ids = out["line_id"]
    n = len(ids)
    if len(set(ids)) < n:  # deterministic de-duplication of line ids
        seen: dict[str, int] = {}
        for i, line_id in enumerate(ids):
            seen[line_id] = seen.get(line_id, 0) + 1
            if seen[line_id] > 1:
                ids[i] = f"{line_id}#{seen[line_id]}"
    columns = {name: pa.array(out[name], pa.string()) for name in TEXT_COLUMNS if name != "source_file"}
    columns["source_file"] = pa.array([source] * n, pa.string())
    columns["value"] = pa.array(out["value"], pa.float64())
    columns["quantity"] = pa.array(out["quantity"], pa.float64())
    columns["date"] = pa.array(out["date"], pa.date32())
    columns["end_date"] = pa.array(out["end_date"], pa.date32())
    issues = Issues(source, out["source_record"])
    for ocid, issue in kept:
        problems.append(Problem(source, ocid, None, issue, "kept"))
    entries: dict[
        tuple[str | None, int], str | dict
    ] = {}  # one entry per message object, shared by its lines
    for i, notes in enumerate(out["issues"]):
        if notes:
            line = issues.by_line.setdefault(i, [])
            for f, m in notes:
                entry = entries.get((f, id(m)))
                if entry is None:
                    entry = entries[f, id(m)] = line_issue(f, m)
                line.append(entry)
    lines = finish(columns, n, issues)
    problems.extend(issues.problems)
    quarantined = sum(p.action == "quarantined" for p in problems)
    stats = {
        "format": "ocds",
        "records_read": count,
        "lines": n,
        "quarantined": quarantined,
        "schema_validated": validated,  # every merged or compiled release, against the OCDS 1.1.5 schema
    }
    return lines, problems, stats
