"""What a column holds, from its values: the content half of column recognition.

A :class:`Profile` summarises a sample of a column's values (at most ``SAMPLE_ROWS`` rows spread over
the first block read, each distinct value examined once): how many parse as amounts (and with which
decimal mark and currency sign), as dates (and in which day/month order), look like identifiers or
codes, company names (legal forms such as Ltd, GmbH, SRL, ООО, ТОВ), organisation units, countries,
currency codes, CPV codes, links, yes/no flags or free text. :func:`content_evidence` turns a profile
into a score from 0 to 1 per field, with the reason in words.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from fairprocure.ingest.parsers import date_order, parse_amount, parse_date

SAMPLE_ROWS = 2000
MAX_DISTINCT = 400  # distinct values examined per column

# Legal forms of companies, normalised (lower case, dots dropped, other punctuation as spaces).
# Long forms count anywhere in a name; short ones only as its last word (Latin: "Acme SA") or its
# first (Cyrillic: "ТОВ Ромашка").
LEGAL_FORMS = {
    "ltd",
    "limited",
    "plc",
    "llp",
    "llc",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "pty",
    "cic",
    "gmbh",
    "mbh",
    "kgaa",
    "ohg",
    "sarl",
    "sasu",
    "eurl",
    "srl",
    "srls",
    "sro",
    "spol",
    "spa",
    "sapa",
    "slu",
    "sau",
    "bv",
    "nv",
    "vof",
    "kft",
    "zrt",
    "nyrt",
    "doo",
    "dooel",
    "eood",
    "ood",
    "ead",
    "aps",
    "oyj",
    "shpk",
    "ltda",
    "lda",
    "pvt",
    "pte",
    "bhd",
    "sdn",
    "spzoo",
    "ооо",
    "оао",
    "зао",
    "пао",
    "тов",
    "фоп",
    "пат",
    "прат",
    "тзов",
    "тоо",
    "одо",
    "чуп",
    "гуп",
    "муп",
    "фгуп",
    "нко",
    "ип",
    "спд",
    "ooo",
    "tov",
    # Greek, Bulgarian, Serbian/Macedonian Cyrillic, Turkish, the Caucasus and Central Asia
    "επε",
    "ικε",
    "εοοδ",
    "еоод",
    "оод",
    "еад",
    "доо",
    "дооел",
    "şti",
    "sti",
    "mmc",
    "осоо",
    "мчж",
    "mchj",
    "ҷдмм",
    "ххк",
    "შპს",
    "სს",
    "սպը",
    "փբը",
}
SHORT_LEGAL_FORMS = {
    "ag",
    "kg",
    "ug",
    "se",
    "sa",
    "sas",
    "sl",
    "sc",
    "as",
    "ab",
    "oy",
    "ad",
    "dd",
    "bt",
    "ae",
    "ike",
    "epe",
    "ii",
    "pfa",
    "co",
    "lp",
    "ао",
    "ат",
    "пп",
    "дп",
    "кп",
    "уп",
    "ип",
    "et",
    "αε",
    "οε",
    "εε",
    "ад",
    "ет",
    "aş",
    "жшс",
    "тоо",
}
ORGANISATION_WORDS = {
    "council",
    "university",
    "school",
    "college",
    "academy",
    "trust",
    "association",
    "society",
    "foundation",
    "charity",
    "church",
    "club",
    "nhs",
    "hospital",
    "partnership",
    "cooperative",
    "group",
    "holdings",
    "consulting",
    "services",
    "solutions",
    "systems",
    "agency",
    "hmrc",
    "ministry",
    "universite",
    "universitat",
    "universidad",
    "verein",
    "stiftung",
    "fondation",
    "fundacion",
    "fondazione",
    "fundacja",
    "spolka",
    "компания",
    "фирма",
    "предприятие",
    "товариство",
    "підприємство",
}
OFFICE_WORDS = {
    "department",
    "directorate",
    "division",
    "office",
    "unit",
    "team",
    "service",
    "services",
    "ministry",
    "authority",
    "council",
    "fund",
    "mission",
    "agency",
    "headquarters",
    "direction",
    "ministere",
    "abteilung",
    "amt",
    "referat",
    "dezernat",
    "fachbereich",
    "direccion",
    "servicio",
    "departamento",
    "area",
    "concejalia",
    "settore",
    "servizio",
    "ufficio",
    "wydzial",
    "departament",
    "biuro",
    "directia",
    "serviciul",
    "biroul",
    "управление",
    "отдел",
    "министерство",
    "департамент",
    "управління",
    "відділ",
    "міністерство",
    "служба",
    "afdeling",
    "dienst",
    "odbor",
}
BOOLEAN_WORDS = {
    "yes",
    "no",
    "y",
    "n",
    "true",
    "false",
    "oui",
    "non",
    "ja",
    "nein",
    "si",
    "sí",
    "да",
    "нет",
    "так",
    "ні",
    "tak",
    "nie",
    "da",
    "nu",
    "0",
    "1",
    "x",
}
TOTAL_WORDS = (
    r"(?:grand\s+|sub\s*-?\s*)?totals?|итого|итог|всего|всього|разом|усього|summe|gesamt(?:summe|betrag)?|"
    r"insgesamt|total\s+g[ée]n[ée]ral|totale|suma|razem|og[óo]łem|celkem|ukupno|gjithsej|totaal"
)
TOTAL_ROW = re.compile(
    rf"^\s*(?:{TOTAL_WORDS})\s*(?:[:\-–].*|\s(?:for|of|du|de|des|von|für|по|за)\s.*|\s*\d.*)?$", re.I
)  # "Total", "Grand total:", "Total for ACME", "Итого по документу" — not "TOTAL GAS & POWER LTD"

_WORD = re.compile(r"[^\W\d_]{2,}")
_TOKEN_SPLIT = re.compile(r"[^\w]+")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+\.[\w.-]+$")
_CODE = re.compile(r"^(?=.*\d)[\w./\-]{2,30}$")  # one token with a digit: Z110205, PO21671, 4013-22
_INTEGER = re.compile(r"^[0-9]+$")
_CPV = re.compile(r"^\d{8}(?:-\d)?$")
_CURRENCY_CODE = re.compile(r"^[A-Za-z]{3}$")


@dataclass
class Profile:
    """Summary of a sample of one column's values (shares are of the filled sample values)."""

    column: str
    rows: int = 0  # rows sampled
    filled: int = 0  # of them, non-empty
    distinct: int = 0  # distinct non-empty values in the sample
    samples: list[str] = field(default_factory=list)  # a few values, most common first
    amount: float = 0.0  # parse as an amount
    decimals: float = 0.0  # amounts written with one or two decimals
    integer: float = 0.0  # digits only
    width_spread: float = 0.0  # coefficient of variation of the length of digit-only values
    digit_width: float = 0.0  # mean length of digit-only values
    leading_zero: float = 0.0
    years: float = 0.0  # four-digit numbers 1900-2100
    date: float = 0.0  # parse as dates (with ``date_order``)
    serial_dates: float = 0.0  # Excel day numbers 20000-80000
    date_order: str | None = None
    decimal_mark: str | None = None
    currency: str | None = None  # currency written beside the amounts, when one dominates
    text: float = 0.0  # have at least two letters
    words: float = 0.0  # mean number of words in texts
    length: float = 0.0  # mean length in characters
    legal_form: float = 0.0
    organisation: float = 0.0
    office_words: float = 0.0
    country: float = 0.0
    currency_code: float = 0.0
    cpv: float = 0.0
    code: float = 0.0
    url: float = 0.0
    email: float = 0.0
    boolean: float = 0.0
    total_rows: float = 0.0
    median_date: str | None = None

    @property
    def fill(self) -> float:
        return self.filled / self.rows if self.rows else 0.0

    @property
    def distinct_ratio(self) -> float:
        return self.distinct / self.filled if self.filled else 0.0


def _legal_tokens(value: str) -> list[str]:
    text = value.casefold().replace(".", "")
    text = re.sub(r"\bsp\s*z\s*o\s*o\b", " spzoo ", text)
    return [t for t in _TOKEN_SPLIT.split(text) if t]


@lru_cache(maxsize=65536)
def has_legal_form(value: str) -> bool:
    """True when a name carries a company legal form ("ACME LTD", "Kilim S.R.L.", "ТОВ «Ромашка»")."""
    tokens = _legal_tokens(value)
    if not tokens:
        return False
    if any(t in LEGAL_FORMS for t in tokens):
        return True
    first, last = tokens[0], tokens[-1]
    return len(tokens) > 1 and (
        last in SHORT_LEGAL_FORMS or ("\u0400" <= first[:1] <= "\u04ff" and first in SHORT_LEGAL_FORMS)
    )


def _words(value: str) -> list[str]:
    return _WORD.findall(value.casefold())


def _share(counts: Counter, test) -> float:
    total = sum(counts.values())
    if not total:
        return 0.0
    return sum(n for v, n in counts.items() if test(v)) / total


def _amount_ok(value: str, decimal: str | None) -> bool:
    return parse_amount(value, decimal)[0] is not None


def _decimal_mark(values: list[str]) -> str | None:
    """ "," when amounts are written 1.234,56 or 12,5; "." when 1,234.56 or 12.50; None if nothing says."""
    comma = dot = 0
    for v in values:
        digits = v.strip()
        if re.search(r"\d\.\d{3},\d{1,2}\b|\d,\d{1,2}$|\d,\d{1,2}\D*$", digits) and not re.search(
            r"\d,\d{3}\b(?!,)", digits.rsplit(",", 1)[0] + ","
        ):
            comma += 1
        elif re.search(r"\d,\d{3}\.\d{1,2}\b|\d\.\d{1,2}$|\d\.\d{1,2}\D*$", digits):
            dot += 1
    if comma > dot:
        return ","
    if dot > comma:
        return "."
    return None


def profile_column(name: str, values: list[str | None], country_lookup=None) -> Profile:
    """Profile one column from a sample of its (already stripped) values; None or "" is empty."""
    filled = [v for v in values if v]
    p = Profile(column=name, rows=len(values), filled=len(filled))
    counts = Counter(filled)
    p.distinct = len(counts)
    if not counts:
        return p
    common = [v for v, _ in counts.most_common(MAX_DISTINCT)]
    counts = Counter({v: counts[v] for v in common})
    p.samples = [v[:60] for v in common[:5]]
    texts = [v for v in common if len(_words(v)) > 0 and sum(ch.isalpha() for ch in v) >= 2]
    text_set = set(texts)
    p.text = _share(counts, lambda v: v in text_set)
    p.url = _share(counts, lambda v: bool(_URL.match(v)))
    p.email = _share(counts, lambda v: bool(_EMAIL.match(v)))
    p.boolean = _share(counts, lambda v: v.casefold() in BOOLEAN_WORDS) if p.distinct <= 3 else 0.0
    p.total_rows = _share(counts, lambda v: bool(TOTAL_ROW.match(v)))
    # numbers
    p.integer = _share(counts, lambda v: bool(_INTEGER.match(v)))
    p.decimal_mark = _decimal_mark(common)
    p.amount = _share(counts, lambda v: _amount_ok(v, p.decimal_mark))
    p.decimals = _share(counts, lambda v: bool(re.search(r"\d[.,]\d{1,2}\)?\s*\D{0,4}$", v)))
    digit_only = [v for v in common if _INTEGER.match(v)]
    if len(digit_only) >= 3:
        lengths = [len(v) for v in digit_only]
        mean = statistics.fmean(lengths)
        p.digit_width = mean
        p.width_spread = statistics.pstdev(lengths) / mean if mean else 0.0
        p.leading_zero = sum(v.startswith("0") and len(v) > 1 for v in digit_only) / len(digit_only)
        p.years = sum(len(v) == 4 and 1900 <= int(v) <= 2100 for v in digit_only) / len(digit_only)
    symbols = Counter(c for v in common[:100] if (c := parse_amount(v, p.decimal_mark)[1]))
    if symbols:
        code, n = symbols.most_common(1)[0]
        if n >= 0.5 * sum(symbols.values()):
            p.currency = code
    # dates
    p.date_order = date_order(common)
    dated = {v: parse_date(v, order=p.date_order, serials=False) for v in common}
    p.date = _share(counts, lambda v: dated[v] is not None)
    p.serial_dates = _share(counts, lambda v: bool(re.fullmatch(r"[2-7]\d{4}(?:\.0+)?", v)))
    found = sorted(d for d in dated.values() if d is not None)
    if found:
        p.median_date = found[len(found) // 2].isoformat()
    # text kinds
    if texts:
        p.words = statistics.fmean(len(_words(v)) for v in texts)
    p.length = statistics.fmean(len(v) for v in common)
    p.legal_form = _share(counts, lambda v: v in text_set and has_legal_form(v))
    p.organisation = _share(counts, lambda v: v in text_set and bool(set(_words(v)) & ORGANISATION_WORDS))
    p.office_words = _share(counts, lambda v: v in text_set and bool(set(_words(v)) & OFFICE_WORDS))
    p.code = _share(counts, lambda v: bool(_CODE.match(v)) and not _INTEGER.match(v) and dated[v] is None)
    p.cpv = _share(counts, lambda v: bool(_CPV.match(v)))
    if p.cpv > 0.3:  # eight digits are not enough: the code must be in the CPV 2008 vocabulary
        p.cpv = _share(counts, lambda v: bool(_CPV.match(v)) and _known_cpv(v))
    p.currency_code = _share(counts, lambda v: bool(_CURRENCY_CODE.match(v)) and _is_currency(v))
    if country_lookup is not None and p.distinct <= 300 and p.length <= 40:
        candidates = [v for v in common[:60] if not any(ch.isdigit() for ch in v)]
        known = {v for v in candidates if country_lookup(v)}
        p.country = _share(counts, lambda v: v in known)
    return p


def _known_cpv(code: str) -> bool:
    from fairprocure.reference.cpv import cpv_codes, normalise_cpv

    return normalise_cpv(code) in cpv_codes()


@lru_cache(maxsize=4096)
def _is_currency(code: str) -> bool:
    from fairprocure.reference.currency import is_currency

    return is_currency(code.upper())


@dataclass(frozen=True)
class Evidence:
    score: float
    reason: str


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def content_evidence(p: Profile) -> dict[str, Evidence]:
    """Score 0-1 per field for how well the column's values fit it, with the reason."""
    out: dict[str, Evidence] = {}
    if not p.filled:
        return out
    # amounts
    value = p.amount * (1 - p.date)
    reason = f"{_pct(p.amount)} amounts"
    if p.integer > 0.95 and p.decimals < 0.05:
        if p.width_spread < 0.12 and (p.distinct_ratio > 0.3 or p.digit_width >= 9) and p.distinct > 5:
            value *= 0.3  # (nine digits or more of one width: registration numbers, however often repeated)
            reason += ", but whole numbers of one width (identifiers?)"
        if p.leading_zero > 0.05:
            value *= 0.2
            reason += ", with leading zeros (codes?)"
        if p.years > 0.9:
            value *= 0.1
            reason += " that look like years"
        elif p.distinct_ratio < 0.05 and p.filled >= 100:
            value *= 0.6  # money varies; a few whole numbers over many rows are counts or durations
            reason += f", but only {p.distinct} different whole numbers (counts or durations?)"
    elif p.decimals > 0.3:
        reason += f", {_pct(p.decimals)} with decimals"
    if value > 0.05:
        out["value"] = Evidence(min(1.0, value), reason)
        if p.integer > 0.8 and p.distinct_ratio < 0.3:
            out["quantity"] = Evidence(value * 0.6, reason + ", small whole numbers")
    # dates
    if p.date > 0.05:
        why = f"{_pct(p.date)} dates" + (f" ({p.date_order})" if p.date_order else "")
        out["date"] = Evidence(p.date, why)
        out["end_date"] = Evidence(p.date, why)
    # free text of several kinds
    text = p.text * (1 - p.url) * (1 - p.email) * (1 - p.boolean)
    if text > 0.05:
        constant = p.distinct == 1 and p.filled > 3
        name = text * (0.35 + 0.65 * min(1.0, 2.5 * p.legal_form + 1.2 * p.organisation))
        why = f"{_pct(p.text)} text"
        if p.legal_form:
            why += f", {_pct(p.legal_form)} with a company legal form"
        if p.words > 8:
            name *= 0.4
        if constant:
            name *= 0.3
        if p.office_words > 0.3 and p.legal_form < 0.1:
            name *= 0.5
        out["supplier_name"] = Evidence(min(1.0, name), why)
        describe = text * (1.0 if p.words >= 1.5 else 0.75)
        if p.legal_form > 0.3:
            describe *= 0.4
        if constant:
            describe *= 0.2
        if p.code > 0.5:
            describe *= 0.4
        out["description"] = Evidence(describe, f"{_pct(p.text)} text, {p.words:.1f} words on average")
        out["description_context"] = Evidence(
            describe * (1.0 if p.distinct_ratio < 0.5 else 0.8), out["description"].reason
        )
        low = p.distinct <= 30 or p.distinct_ratio <= 0.05
        office = (0.5 + 0.5 * min(1.0, 2 * p.office_words)) if low else 0.2
        if constant:
            office = 0.6
        out["office"] = Evidence(
            office * max(text, p.code),
            f"{p.distinct} distinct values"
            + (f", {_pct(p.office_words)} name an organisation unit" if p.office_words else ""),
        )
        out["procurement_method"] = Evidence(text * (0.8 if low else 0.3), f"{p.distinct} distinct values")
    # identifiers and codes
    ident = max(p.code, p.integer * (1 - p.decimals)) * (1 - p.date)
    if ident > 0.05:
        why = f"{_pct(max(p.code, p.integer))} identifiers or codes"
        unique = p.distinct_ratio
        out["record_id"] = Evidence(
            ident * (1.0 if unique > 0.9 else 0.5 if unique > 0.5 else 0.2),
            why + f", {_pct(unique)} distinct",
        )
        out["contract_id"] = Evidence(ident * (0.8 if unique > 0.1 else 0.3), why)
        out["supplier_id"] = Evidence(ident * (0.8 if unique < 0.95 else 0.5), why)
        out["classification_code"] = Evidence(ident * (0.9 if unique < 0.5 else 0.4), why)
        if p.distinct == 1 and p.filled > 3:
            out["office"] = Evidence(0.5, "one code in every row")
    if p.cpv > 0.5:
        out["cpv"] = Evidence(p.cpv, f"{_pct(p.cpv)} CPV codes")
        out["classification_code"] = Evidence(p.cpv, f"{_pct(p.cpv)} CPV codes")
    if p.currency_code > 0.2:
        out["currency"] = Evidence(p.currency_code, f"{_pct(p.currency_code)} ISO currency codes")
    if p.country > 0.3:
        why = f"{_pct(p.country)} country names or codes"
        for f in ("supplier_country", "delivery_country", "origin_country"):
            out[f] = Evidence(p.country, why)
    unused = max(p.url, p.email, p.boolean)
    if unused > 0.5:
        kind = "links" if p.url > 0.5 else "e-mail addresses" if p.email > 0.5 else "yes/no flags"
        out["ignore"] = Evidence(unused, f"{_pct(unused)} {kind}")
    return out
