"""The screening plan, written once and run by any backend (DuckDB by default, Spark at scale).

Lines are never scored one by one in Python. The plan asks the engine for the *distinct* keys each
step depends on (distinct CPV codes, distinct descriptions, distinct country and category
combinations), computes the classification and the factors for those keys in Python (small tables,
however large the input), loads them back into the engine and lets it join and add up. Real ledgers
repeat themselves heavily, so this is both fast and identical across engines.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fairprocure.classify.goods import GoodMatch, decode, encode, goods_matcher
from fairprocure.classify.status import classification_status
from fairprocure.classify.taxonomy import UNCLASSIFIED, load_taxonomy
from fairprocure.classify.terms import term_reader
from fairprocure.engine.backend import Backend
from fairprocure.messages import CATEGORY, COUNTRY, Message, sources, template
from fairprocure.schema import (
    COMPACT_REGISTER_COLUMNS,
    COMPACT_REGISTER_SCHEMA,
    FACTOR_SET_FIELD,
    FACTOR_SETS_SCHEMA,
    REGISTER_COLUMNS,
    REGISTER_SCHEMA,
)
from fairprocure.score.evidence import supplier_key
from fairprocure.score.factors import FACTORS
from fairprocure.score.factors.goods_list import GOOD
from fairprocure.score.model import SEVERITY_BANDS, Context, Factor
from fairprocure.workers import fork_map

CAP = template("cap", "Points above 100 are not counted")
CODE_GIVEN = template("class.source", "CPV code %(cpv)s given in the data")
GOOD_NAMED = template(
    "class.listed_good",
    'description names "%(words)s" (%(good)s, on the DOL List for %(country)s): %(category)s',
    good=GOOD,
    country=COUNTRY,
    category=CATEGORY,
)
sources("fairprocure policy")
Progress = Callable[[float, str], None]
TextClassifier = Callable[[Sequence[str]], list]  # returns objects with cpv, category, confidence, evidence


def _noop(fraction: float, message: str) -> None:
    pass


def _classify_codes(backend: Backend) -> None:
    codes = backend.fetch("SELECT DISTINCT cpv FROM lines WHERE cpv IS NOT NULL").column("cpv").to_pylist()
    taxonomy = load_taxonomy()
    cats = [taxonomy.category_for_cpv(c) for c in codes]
    backend.load(
        "code_class",
        pa.table(
            {"cpv": pa.array(codes, pa.string()), "c_category": pa.array(cats, pa.string())},
        ),
    )


TEXT_CHUNK = 2500  # distinct descriptions per task of the text model's worker processes
PARALLEL_TEXTS = 10_000  # fewer distinct descriptions are read in this process
TEXT_COLUMNS = ("cpv", "cat", "conf", "ev", "msg", "status", "cands")


def _text_columns(classify: TextClassifier, sure: float, texts: Sequence[str]) -> dict[str, list]:
    """The text model's reading of each text, as the ``text_class`` table's columns."""
    columns: dict[str, list] = {k: [] for k in TEXT_COLUMNS}
    for p in classify(texts):
        status, candidates, evidence = classification_status(p, sure)
        columns["cpv"].append(p.cpv)
        columns["cat"].append(p.category)
        columns["conf"].append(float(p.confidence))
        columns["ev"].append(str.__str__(evidence) if evidence is not None else None)
        columns["msg"].append(_json(evidence.as_json()) if isinstance(evidence, Message) else None)
        columns["status"].append(status)
        columns["cands"].append(candidates)
    return columns


def _read_texts(backend: Backend, classify: TextClassifier, sure: float) -> None:
    """Every distinct description read once: by the text model where no code classifies its lines
    (``text_class``), and for the listed goods it names (``goods_text``) and the ledger term it reads as
    (``term_class``). Each reading depends on its text alone, so chunks of texts are read in any order:
    in forked worker processes when there are many (the model and word lists are inherited, not
    pickled). One task reads a chunk both ways, so each text is normalised once."""
    found = backend.fetch(
        f"""SELECT coalesce(l.description, '') AS description,
                   bool_or(c.c_category IS NULL AND s.s_category IS NULL) AS unread
            FROM lines l LEFT JOIN code_class c ON l.cpv = c.cpv
            {SCHEME_JOIN}
            GROUP BY 1"""
    )
    texts, unread = found.column("description").to_pylist(), found.column("unread").to_pylist()
    goods_matcher(), term_reader()  # loaded here, so that worker processes inherit them
    chunks = [
        (texts[start : start + TEXT_CHUNK], unread[start : start + TEXT_CHUNK])
        for start in range(0, len(texts), TEXT_CHUNK)
    ]
    read_chunk = functools.partial(_description_readings, classify, sure)
    parts = fork_map(read_chunk, chunks, None if len(texts) >= PARALLEL_TEXTS else 1)
    columns = {k: [v for part in parts for v in part[1][k]] for k in TEXT_COLUMNS}
    backend.load(
        "text_class",
        pa.table(
            {
                "description": pa.array([t for part in parts for t in part[0]], pa.string()),
                "t_cpv": pa.array(columns["cpv"], pa.string()),
                "t_category": pa.array(columns["cat"], pa.string()),
                "t_confidence": pa.array(columns["conf"], pa.float64()),
                "t_evidence": pa.array(columns["ev"], pa.string()),
                "t_message": pa.array(columns["msg"], pa.string()),
                "t_status": pa.array(columns["status"], pa.string()),
                "t_candidates": pa.array(columns["cands"], pa.string()),
            }
        ),
    )
    named = {k: v for part in parts for k, v in part[2].items()}
    read = {k: v for part in parts for k, v in part[3].items()}
    backend.load(
        "goods_text",
        pa.table(
            {
                "g_description": pa.array(list(named), pa.string()),
                "g_goods": pa.array(list(named.values()), pa.string()),
            }
        ),
    )
    backend.load(
        "term_class",
        pa.table(
            {
                "tm_description": pa.array(list(read), pa.string()),
                "tm_category": pa.array([v[0] for v in read.values()], pa.string()),
                "tm_evidence": pa.array([v[1] for v in read.values()], pa.string()),
                "tm_message": pa.array([v[2] for v in read.values()], pa.string()),
            }
        ),
    )


def _description_readings(
    classify: TextClassifier, sure: float, chunk: tuple[list[str], list[bool]]
) -> tuple[list[str], dict[str, list], dict[str, str], dict[str, tuple[str, str, str]]]:
    """One chunk's readings: the texts the model reads and their ``text_class`` columns, then the listed
    goods and ledger terms of every text (see :func:`_literal_readings`)."""
    texts, unread = chunk
    modelled = [t for t, u in zip(texts, unread, strict=True) if u]
    columns = _text_columns(classify, sure, modelled) if modelled else {k: [] for k in TEXT_COLUMNS}
    return modelled, columns, *_literal_readings(texts)


def _read_schemes(backend: Backend, context: Context) -> None:
    """Lines without a CPV code whose other classification code (UNSPSC, HS, MCC, ...) gives a category."""
    pairs = backend.fetch(
        """SELECT DISTINCT coalesce(classification_scheme, '') AS scheme, classification_code AS code
           FROM lines WHERE cpv IS NULL AND classification_code IS NOT NULL"""
    )
    rows: dict[str, list] = {k: [] for k in ("scheme", "code", "category", "evidence", "message", "goods")}
    for scheme, code in zip(
        pairs.column("scheme").to_pylist(), pairs.column("code").to_pylist(), strict=True
    ):
        reading = context.codes.read(scheme, code)
        if reading is None:
            continue
        named = [GoodMatch(g, f"@{reading.scheme} {reading.code}") for g in reading.goods]
        values = (scheme, code, reading.category, *_said(reading.evidence), encode(named))
        for key, value in zip(rows, values, strict=True):
            rows[key].append(value)
    backend.load(
        "scheme_class",
        pa.table({f"s_{k}": pa.array(v, pa.string()) for k, v in rows.items()}),
    )


# Text-model readings of these kinds keep a named good from setting the category: "Travaux de menuiserie
# bois", "Construction of football changing rooms" and "Services de téléphonie mobile" name goods but buy
# works and services. On held-out TED and DECP texts naming one listed good, the good's category was right
# for 11 of 115 texts the model read as a service and 51 of 79 it read as goods (bench/classification.py).
NOT_GOODS = ("services", "transfer")


def _literal_readings(texts: Sequence[str]) -> tuple[dict[str, str], dict[str, tuple[str, str, str]]]:
    """The listed goods each text names (encoded) and the ledger term it reads as, where it does."""
    matcher, terms = goods_matcher(), term_reader()
    named: dict[str, str] = {}
    read: dict[str, tuple[str, str, str]] = {}
    for text in texts:
        goods = encode(matcher.match(text))
        if goods:
            named[text] = goods
        term = terms.read(text)
        if term is not None:
            read[text] = (term.category, *_said(term.evidence))
    return named, read


def _read_goods(backend: Backend, context: Context) -> None:
    """The category listed goods give (``goods_class``) where the description names them
    (``goods_text``), they are listed for the line's country and the text model does not read the text
    as a service. Runs after :func:`_read_texts`."""
    matcher = goods_matcher()
    services = [c for c, category in load_taxonomy().categories.items() if category.kind in NOT_GOODS]
    pairs = backend.fetch(
        f"""SELECT DISTINCT g.g_description AS description, g.g_goods AS goods,
             coalesce(l.origin_country, l.supplier_country, '') AS country
           FROM lines l JOIN goods_text g ON l.description = g.g_description
           LEFT JOIN text_class t ON g.g_description = t.description
           WHERE t.t_category IS NULL OR t.t_category NOT IN ({", ".join(f"'{c}'" for c in services)})"""
    )
    rows: dict[str, list] = {
        k: [] for k in ("description", "country", "category", "cpv", "evidence", "message")
    }
    for text, goods, country in zip(
        pairs.column("description").to_pylist(),
        pairs.column("goods").to_pylist(),
        pairs.column("country").to_pylist(),
        strict=True,
    ):
        reading = listed_good_reading(decode(goods), context.listings.get(country, ()), matcher)
        if reading is not None:
            category, cpv, evidence = reading
            for key, value in zip(rows, (text, country, category, cpv, *_said(evidence)), strict=True):
                rows[key].append(value)
    backend.load("goods_class", pa.table({f"gc_{k}": pa.array(v, pa.string()) for k, v in rows.items()}))


def _said(message: Message) -> tuple[str, str]:
    """A reading's evidence for the register: its English text, and its template as JSON."""
    return str.__str__(message), _json(message.as_json())


def listed_good_reading(named, listed, matcher) -> tuple[str, str | None, Message] | None:
    """(category, CPV, evidence) when the description names goods listed for the line's country and
    those goods agree on a category: the good itself, not a guess from the rest of the text, says
    what was bought ("Disposable nitrile examination gloves" are medical gloves, not examination tables)."""
    by_good = {listing.good: listing for listing in listed}
    hits = [(m, by_good[m.good]) for m in named if not m.words.startswith("@") and m.good in by_good]
    categories = {listing.category for _, listing in hits if listing.category}
    if len(categories) != 1:
        return None
    category = categories.pop()
    match, listing = next((m, li) for m, li in hits if li.category == category)
    evidence = GOOD_NAMED(words=match.words, good=listing.good, country=listing.country, category=category)
    return category, matcher.code_of(listing.good), evidence


def _load_categories(backend: Backend) -> None:
    taxonomy = load_taxonomy()
    ids = list(taxonomy.categories)
    backend.load(
        "categories",
        pa.table(
            {
                "k_category": ids,
                "k_kind": [taxonomy[c].kind for c in ids],
                "k_label": [taxonomy[c].label for c in ids],
                "k_intensity": [taxonomy[c].labour_intensity for c in ids],
            }
        ),
    )


def _classify_decisions(backend: Backend, decisions) -> int:
    """Load the people's decisions that match lines without a source code (``decision_class``)."""
    # Whether any line of the pair reads surely (the text model, a listed good, a ledger term): a remembered
    # supplier category applies only where none does.
    query = f"""
        SELECT coalesce(l.description, '') AS description, coalesce(l.supplier_name, '') AS supplier,
          max(CASE WHEN t.t_status = 'sure' OR gc.gc_category IS NOT NULL OR tm.tm_category IS NOT NULL
                   THEN 'sure' ELSE 'unsure' END) AS status
        FROM lines l LEFT JOIN code_class c ON l.cpv = c.cpv
        {SCHEME_JOIN}
        LEFT JOIN goods_class gc ON l.description = gc.gc_description
          AND coalesce(l.origin_country, l.supplier_country, '') = gc.gc_country
        LEFT JOIN term_class tm ON l.description = tm.tm_description
        LEFT JOIN text_class t ON coalesce(l.description, '') = t.description
        WHERE c.c_category IS NULL AND s.s_category IS NULL
        GROUP BY coalesce(l.description, ''), coalesce(l.supplier_name, '')
    """
    pairs = backend.fetch(query)
    rows: dict[str, list] = {
        k: [] for k in ("description", "supplier", "cpv", "category", "evidence", "message")
    }
    for text, supplier, status in zip(
        pairs.column("description").to_pylist(),
        pairs.column("supplier").to_pylist(),
        pairs.column("status").to_pylist(),
        strict=True,
    ):
        decision = decisions.match(text, supplier, unsure=status != "sure")
        category = decision.resolved_category if decision else None
        if category is None:
            continue
        evidence = decision.evidence
        said = (text, supplier, decision.cpv, category, str.__str__(evidence), _json(evidence.as_json()))
        for key, value in zip(rows, said, strict=True):
            rows[key].append(value)
    backend.load(
        "decision_class",
        pa.table(
            {
                "d_description": pa.array(rows["description"], pa.string()),
                "d_supplier": pa.array(rows["supplier"], pa.string()),
                "d_cpv": pa.array(rows["cpv"], pa.string()),
                "d_category": pa.array(rows["category"], pa.string()),
                "d_evidence": pa.array(rows["evidence"], pa.string()),
                "d_message": pa.array(rows["message"], pa.string()),
            }
        ),
    )
    return len(rows["description"])


# Lines with no CPV code: their other classification code (UNSPSC, HS, MCC, ...), if it reads.
SCHEME_JOIN = """LEFT JOIN scheme_class s ON l.cpv IS NULL AND coalesce(l.classification_scheme, '') = s.s_scheme
  AND l.classification_code = s.s_code"""


def _classified_sql(with_decisions: bool) -> str:
    """Each line's classification, the first that applies: a CPV code; another code (UNSPSC, HS, MCC, ...);
    a person's decision; a listed good the description names for the line's country; the ledger's own
    expense term; the text model."""
    decided = "d.d_category IS NOT NULL" if with_decisions else "FALSE"
    d = (lambda column: f"d.{column}") if with_decisions else (lambda column: "CAST(NULL AS STRING)")
    join = (
        "LEFT JOIN decision_class d ON coalesce(l.description, '') = d.d_description"
        " AND coalesce(l.supplier_name, '') = d.d_supplier"
        if with_decisions
        else ""
    )
    code, other, good, term = (
        "c.c_category IS NOT NULL",
        "s.s_category IS NOT NULL",
        "gc.gc_category IS NOT NULL",
        "tm.tm_category IS NOT NULL",
    )
    null = "CAST(NULL AS STRING)"
    return f"""
CREATE OR REPLACE TEMP VIEW classified AS
SELECT l.*,
  CASE WHEN {code} THEN l.cpv WHEN {other} THEN {null} WHEN {decided} THEN {d("d_cpv")}
       WHEN {good} THEN gc.gc_cpv WHEN {term} THEN {null} ELSE t.t_cpv END AS cpv_final,
  CASE WHEN {code} THEN 'source' WHEN {other} THEN {null} WHEN {decided} THEN 'decision'
       WHEN {good} THEN 'predicted' WHEN {term} THEN {null}
       WHEN t.t_cpv IS NOT NULL THEN 'predicted' END AS cpv_source,
  CASE WHEN {code} THEN c.c_category WHEN {other} THEN s.s_category WHEN {decided} THEN {d("d_category")}
       WHEN {good} THEN gc.gc_category WHEN {term} THEN tm.tm_category
       ELSE coalesce(t.t_category, '{UNCLASSIFIED}') END AS category,
  CASE WHEN {code} OR {other} OR {decided} OR {good} OR {term} THEN CAST(1 AS DOUBLE)
       ELSE coalesce(t.t_confidence, CAST(0 AS DOUBLE)) END AS category_confidence,
  CASE WHEN {code} OR {other} THEN 'source' WHEN {decided} THEN 'decision' WHEN {good} OR {term} THEN 'sure'
       ELSE coalesce(t.t_status, 'unclassified') END AS classification_status,
  CASE WHEN NOT ({code} OR {other} OR {decided} OR {good} OR {term}) THEN t.t_candidates END AS category_candidates,
  CASE WHEN {code} THEN concat('CPV code ', l.cpv, ' given in the data') WHEN {other} THEN s.s_evidence
       WHEN {decided} THEN {d("d_evidence")} WHEN {good} THEN gc.gc_evidence WHEN {term} THEN tm.tm_evidence
       ELSE t.t_evidence END AS classification_evidence,
  CASE WHEN {code} THEN concat('{{"t":"class.source","p":{{"cpv":"', l.cpv, '"}}}}') WHEN {other} THEN s.s_message
       WHEN {decided} THEN {d("d_message")} WHEN {good} THEN gc.gc_message WHEN {term} THEN tm.tm_message
       ELSE t.t_message END AS classification_message,
  concat_ws(';', g.g_goods, s.s_goods) AS named_goods
FROM lines l
LEFT JOIN code_class c ON l.cpv = c.cpv
{SCHEME_JOIN}
{join}
LEFT JOIN goods_text g ON l.description = g.g_description
LEFT JOIN goods_class gc ON l.description = gc.gc_description
  AND coalesce(l.origin_country, l.supplier_country, '') = gc.gc_country
LEFT JOIN term_class tm ON l.description = tm.tm_description
LEFT JOIN text_class t ON coalesce(l.description, '') = t.description
"""


def _keyed_sql(with_suppliers: bool) -> str:
    supplier_join = (
        "LEFT JOIN supplier_keys s ON coalesce(x.supplier_name, '') = s.s_name" if with_suppliers else ""
    )
    supplier_col = "coalesce(s.s_key, '')" if with_suppliers else "''"
    return f"""
CREATE OR REPLACE TEMP VIEW keyed AS
SELECT x.*, k.k_kind AS kind, k.k_label AS category_label, k.k_intensity AS labour_intensity,
  coalesce(x.cpv_final, '') AS k_cpv,
  CASE WHEN k.k_kind IN ('services', 'transfer') THEN ''
       WHEN x.origin_country IS NOT NULL THEN x.origin_country
       ELSE coalesce(x.supplier_country, '') END AS goods_country,
  CASE WHEN k.k_kind IN ('services', 'transfer') THEN ''
       WHEN x.origin_country IS NOT NULL THEN 'origin'
       WHEN x.supplier_country IS NOT NULL THEN 'supplier' ELSE '' END AS goods_country_role,
  CASE WHEN k.k_kind = 'transfer' THEN ''
       WHEN k.k_kind = 'services' THEN coalesce(x.delivery_country, x.supplier_country, '')
       ELSE coalesce(x.origin_country, x.supplier_country, x.delivery_country, '') END AS context_country,
  CASE WHEN k.k_kind = 'services' THEN
         CASE WHEN x.delivery_country IS NOT NULL THEN 'delivery'
              WHEN x.supplier_country IS NOT NULL THEN 'supplier' ELSE '' END
       ELSE CASE WHEN x.origin_country IS NOT NULL THEN 'origin'
                 WHEN x.supplier_country IS NOT NULL THEN 'supplier'
                 WHEN x.delivery_country IS NOT NULL THEN 'delivery' ELSE '' END END AS context_role,
  CASE WHEN k.k_kind IN ('goods', 'unknown') THEN coalesce(x.named_goods, '') ELSE '' END AS goods,
  CASE WHEN x.origin_country IS NOT NULL THEN '1' ELSE '0' END AS origin_known,
  CASE WHEN x.supplier_country IS NOT NULL THEN '1' ELSE '0' END AS supplier_country_known,
  CASE WHEN x.delivery_country IS NOT NULL THEN '1' ELSE '0' END AS delivery_known,
  CASE WHEN x.classification_status IN ('source', 'decision') THEN 'source'
       WHEN x.classification_status = 'sure' THEN 'confident' ELSE 'uncertain' END AS class_certainty,
  CASE WHEN x.classification_status = 'needs_review' THEN x.category_candidates ELSE '' END AS review_candidates,
  {supplier_col} AS supplier_key
FROM classified x
LEFT JOIN categories k ON x.category = k.k_category
{supplier_join}
"""


# Factor KEY names -> keyed-view columns (``cpv`` is the final, source-or-predicted code).
_COLUMN = {"cpv": "k_cpv", "candidates": "review_candidates"}


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _fragment(factors: list[Factor]) -> str | None:
    if not factors:
        return None
    return _json([f.as_dict() for f in factors])[1:-1]


def _key_columns(module) -> list[str]:
    return [_COLUMN.get(k, k) for k in module.KEY]


def distinct_keys(backend: Backend, modules: Sequence) -> list[pa.Table]:
    """Each factor module's distinct keys over the ``keyed`` view (columns named as in the view), all from
    one pass: ``GROUPING SETS``, one set per module, told apart by their ``grouping()`` bits. Every module's
    own ``SELECT DISTINCT`` would run the classification joins over every line again."""
    sets = [tuple(_key_columns(m)) for m in modules]
    if not sets:
        return []
    columns = list(dict.fromkeys(c for s in sets for c in s))
    unique = list(dict.fromkeys(frozenset(s) for s in sets))
    n = len(columns)

    def bits(grouped: frozenset) -> int:  # grouping(c) is 1 where c is not in the set
        return sum(1 << (n - 1 - j) for j, c in enumerate(columns) if c not in grouped)

    flag = " + ".join(f"CAST(grouping({c}) AS INT) * {1 << (n - 1 - j)}" for j, c in enumerate(columns))
    groups = ", ".join("(" + ", ".join(c for c in columns if c in s) + ")" for s in unique)
    table = backend.fetch(
        f"SELECT {flag} AS k_grouping, {', '.join(columns)} FROM keyed GROUP BY GROUPING SETS ({groups})"
    )
    which = table.column("k_grouping")
    return [table.filter(pc.equal(which, bits(frozenset(s)))).select(list(s)) for s in sets]


def _values(column: pa.ChunkedArray) -> list:
    """``column.to_pylist()``, each distinct value made once: a key column repeats a few countries, codes
    and categories (five key columns of the 1M ledger's goods_list keys: 0.9 s with ``to_pylist``)."""
    encoded = pc.dictionary_encode(column.combine_chunks(), null_encoding="encode")
    distinct = np.array(encoded.dictionary.to_pylist(), dtype=object)
    return distinct[encoded.indices.to_numpy(zero_copy_only=False)].tolist()


PARALLEL_KEYS = 2_000  # a factor module with fewer distinct keys scores them in this process
KEY_TASKS = 8  # otherwise its keys are split into this many tasks for the worker processes


def _part_columns(
    module, context: Context, columns: dict[str, list], span: tuple[int, int]
) -> tuple[list, list, list]:
    """A factor module's points, explanation fragment and severity for the keys ``span`` of ``columns``
    (forked workers inherit the columns: only the span and the results cross between processes)."""
    points, fragments, severity = [], [], []
    start, end = span
    for values in zip(*(columns[k][start:end] for k in module.KEY), strict=True):
        factors = module.compute(dict(zip(module.KEY, values, strict=True)), context)
        points.append(round(sum(f.points for f in factors), 2))
        fragments.append(_fragment(factors))
        severity.append(max((f.severity for f in factors), default=0))
    return points, fragments, severity


def _compute_part(
    backend: Backend, module, context: Context, index: int, keys: pa.Table
) -> tuple[str, list[str]]:
    cols = _key_columns(module)
    columns = {k: _values(keys.column(c)) for k, c in zip(module.KEY, cols, strict=True)}
    n = keys.num_rows
    size = -(-n // KEY_TASKS) if n >= PARALLEL_KEYS else max(1, n)
    spans = [(start, min(start + size, n)) for start in range(0, n, size)]
    points, fragments, severity = [], [], []
    for part in fork_map(functools.partial(_part_columns, module, context, columns), spans):
        points += part[0]
        fragments += part[1]
        severity += part[2]
    # Each distinct explanation gets a number, the same on every engine (sorted, not in fetch order);
    # a line's factor set is the tuple of its parts' numbers (see _set_key).
    said = sorted({(f, p) for f, p in zip(fragments, points, strict=True) if f is not None})
    number = {t: i for i, t in enumerate(said)}
    ids = [None if f is None else number[(f, p)] for f, p in zip(fragments, points, strict=True)]
    name = f"part_{index}"
    data = {f"{name}_{c}": pa.array(columns[k], pa.string()) for k, c in zip(module.KEY, cols, strict=True)}
    data |= {
        f"{name}_pts": pa.array(points, pa.float64()),
        f"{name}_json": pa.array(fragments, pa.string()),
        f"{name}_sev": pa.array(severity, pa.int64()),
        f"{name}_id": pa.array(ids, pa.int64()),
    }
    backend.load(name, pa.table(data))
    backend.load(
        f"{name}_said",
        pa.table(
            {
                f"{name}_sid": pa.array(range(len(said)), pa.int64()),
                f"{name}_sjson": pa.array([t[0] for t in said], pa.string()),
                f"{name}_spts": pa.array([t[1] for t in said], pa.float64()),
            }
        ),
    )
    join = f"LEFT JOIN {name} ON " + " AND ".join(f"y.{c} = {name}.{name}_{c}" for c in cols)
    return join, [name]


EXPLAINED_SCHEMA = REGISTER_SCHEMA.append(pa.field(FACTOR_SET_FIELD[0], FACTOR_SET_FIELD[1]))
RANK_ORDER = "priority DESC, risk_score DESC, line_id"
_RANK = f"CAST(row_number() OVER (ORDER BY {RANK_ORDER}) AS BIGINT)"


def _num(value: float) -> str:
    """A double literal: a bare ``0.5`` is DECIMAL in both DuckDB and Spark, and their decimal arithmetic differs."""
    return f"CAST({float(value)!r} AS DOUBLE)"


def _round(expr: str, digits: int) -> str:
    """Round half up with IEEE arithmetic only, so every engine gives the same bits (their ``round`` differ)."""
    scale = _num(10**digits)
    return f"(floor(({expr}) * {scale} + {_num(0.5)}) / {scale})"


def _set_key(parts: list[str], column: str = "id") -> str:
    """A line's factor-set key: its parts' explanation numbers, ``"3.0..12"`` (empty where a part says nothing)."""
    if not parts:
        return "''"
    return "concat_ws('.', " + ", ".join(f"coalesce(CAST({p}_{column} AS STRING), '')" for p in parts) + ")"


def _factors_sql(parts: list[str], pts: str = "pts", json_: str = "json") -> tuple[str, str, str]:
    """(raw score, factor list, cap item) expressions over the parts' points and JSON fragments."""
    zero = _num(0)
    raw = _round(" + ".join(f"coalesce({p}_{pts}, {zero})" for p in parts) or zero, 2)
    fragments = ", ".join(f"{p}_{json_}" for p in parts)
    factor_list = f"concat_ws(',', {fragments})" if parts else "CAST(NULL AS STRING)"
    cap = f"""CASE WHEN raw_score > {_num(100)} THEN concat(
      '{{"factor":"cap","points":', CAST({_round(f"{_num(100)} - raw_score", 2)} AS STRING),
      ',"evidence":"{CAP().text}","source":"fairprocure policy","t":"cap"}}') END"""
    return raw, factor_list, cap


EXPLAIN = ("line", "set")  # per-line JSON in ``factors`` (and the key), or only the factor-set key


def _register_sql(
    backend: Backend,
    joins: list[str],
    parts: list[str],
    context: Context,
    ranked: bool = True,
    explain: str = "set",
) -> str:
    pol = context.policy
    zero = _num(0)
    raw, factor_list, cap = _factors_sql(parts)
    sev = ", ".join(f"coalesce({p}_sev, 0)" for p in parts)
    sev_case = " ".join(f"WHEN {i} THEN '{band}'" for i, band in enumerate(SEVERITY_BANDS))
    lv, pr = pol.levels, pol.priority
    days = f"CAST(coalesce({backend.days_between('date', 'end_date')}, 0) AS DOUBLE)"
    rank = _RANK if ranked else "CAST(0 AS BIGINT)"  # 0: a placeholder that write_ranked fills
    value = f"greatest(coalesce(value_eur, {zero}), {_num(1)}) / {_num(pr.value_reference_eur)}"
    if explain not in EXPLAIN:
        raise ValueError(f"explain must be one of {EXPLAIN}")
    per_line = explain == "line"
    return f"""
WITH scored AS (
  SELECT y.*, {raw} AS raw_score, greatest(0, {sev}) AS sev_rank,
    {factor_list if per_line else "CAST(NULL AS STRING)"} AS factor_list, {_set_key(parts)} AS factor_set
  FROM keyed y
  {" ".join(joins)}
), capped AS (
  SELECT *,
    CASE WHEN raw_score > {_num(100)} THEN {_num(100)} ELSE raw_score END AS risk_score,
    {cap if per_line else "CAST(NULL AS STRING)"} AS cap_json,
    least({_num(pr.max_leverage)},
      {_num(1)} + {_num(pr.value_weight)} * greatest({zero}, log10({value}))
          + {_num(pr.duration_weight)} * greatest({zero}, {days} / {_num(365.25)})) AS leverage
  FROM scored
), final AS (
  SELECT *,
    CASE WHEN risk_score >= {_num(lv.critical)} THEN 'critical' WHEN risk_score >= {_num(lv.high)} THEN 'high'
         WHEN risk_score >= {_num(lv.medium)} THEN 'medium' ELSE 'low' END AS risk_level,
    risk_score AS likelihood,
    CASE sev_rank {sev_case} END AS severity,
    {_round("risk_score * leverage", 4)} AS priority,
    {"concat('[', concat_ws(',', factor_list, cap_json), ']')" if per_line else "CAST(NULL AS STRING)"} AS factors
  FROM capped
)
SELECT line_id, office, contract_id, record_id, fingerprint, description, supplier_name, supplier_country, origin_country,
  delivery_country, cpv_final AS cpv, cpv_source, category, category_label, category_confidence,
  classification_status, category_candidates, classification_evidence, classification_message, value, currency,
  value_eur, date, risk_score, risk_level, likelihood, severity,
  priority, {rank} AS priority_rank, {"factors" if per_line else "factor_set"}, source_file, source_record,
  data_issues{", factor_set" if per_line else ""}
FROM final
"""


def plan_register(
    backend: Backend,
    context: Context,
    classify: TextClassifier,
    progress: Progress = _noop,
    ranked: bool = True,
    explain: str = "set",
) -> str:
    """Classify and score the backend's ``lines`` table; return the query that yields the register.

    The caller fetches the query (small inputs) or has the engine write it out (large ones). With
    ``ranked=False`` the query leaves ``priority_rank`` at 0: see :func:`write_ranked`.
    ``explain="set"``: the compact register (``schema.COMPACT_REGISTER_COLUMNS``: ``factor_set`` in place
    of ``factors``; the sets come from :func:`factor_sets`); ``"line"``: the JSON built on every line, as
    ``schema.REGISTER_COLUMNS`` plus ``factor_set`` at the end (the reference the tests compare with).
    """
    progress(0.05, "classifying codes")
    _classify_codes(backend)
    _read_schemes(backend, context)
    progress(0.08, "classifying free text, listed goods and ledger terms")
    _read_texts(backend, classify, context.policy.classification.sure_threshold)
    progress(0.10, "listed goods by country")
    _read_goods(backend, context)
    decisions = bool(context.decisions)
    if decisions:
        _classify_decisions(backend, context.decisions)
    _load_categories(backend)
    backend.execute(_classified_sql(decisions))
    suppliers = bool(context.suppliers)
    if suppliers:
        names = (
            backend.fetch("SELECT DISTINCT coalesce(supplier_name, '') AS n FROM lines")
            .column("n")
            .to_pylist()
        )
        backend.load("supplier_keys", pa.table({"s_name": names, "s_key": [supplier_key(n) for n in names]}))
    backend.execute(_keyed_sql(suppliers))
    joins: list[str] = []
    parts: list[str] = []
    active = [m for m in FACTORS if m.active(context)]
    progress(0.4, "scoring: distinct keys")
    keys = distinct_keys(backend, active)
    backend.release()  # DuckDB keeps what the pass over every line used (about 300 MB at 10M lines) until asked
    for i, module in enumerate(active):
        progress(0.45 + 0.35 * i / len(active), f"scoring: {module.NAME}")
        join, names = _compute_part(backend, module, context, i, keys[i])
        joins.append(join)
        parts.extend(names)
    progress(0.85, "assembling the register")
    backend.release()
    backend.parts = parts  # type: ignore[attr-defined]  # for factor_sets(): the part tables stay loaded
    return _register_sql(backend, joins, parts, context, ranked, explain)


def factor_sets_query(backend: Backend, keys: Sequence[str]) -> str:
    """The query giving the explanation of each factor-set key (``schema.FACTOR_SETS_SCHEMA``, sorted by
    key), built by the engine from the parts' distinct explanations with the same expressions as a
    per-line register, so the JSON is the same, byte for byte. Call after :func:`plan_register` on the
    same backend."""
    parts: list[str] = getattr(backend, "parts", [])
    keys = sorted(k for k in set(keys) if k is not None)
    split = [k.split(".") if parts else [] for k in keys]
    data = {"s_factor_set": pa.array(keys, pa.string())}
    for i, p in enumerate(parts):
        data[f"{p}_ref"] = pa.array([int(x[i]) if x[i] else None for x in split], pa.int64())
    backend.load("set_keys", pa.table(data))
    raw, factor_list, cap = _factors_sql(parts, "spts", "sjson")
    joins = " ".join(f"LEFT JOIN {p}_said ON k.{p}_ref = {p}_said.{p}_sid" for p in parts)
    return f"""
        WITH joined AS (
          SELECT k.s_factor_set AS factor_set, {raw} AS raw_score, {factor_list} AS factor_list
          FROM set_keys k {joins}
        )
        SELECT factor_set, concat('[', concat_ws(',', factor_list, {cap}), ']') AS factors
        FROM joined ORDER BY factor_set"""


SETS_CHUNK = 8192  # factor sets per query when they are written to a file


def write_factor_sets(
    backend: Backend, keys: Sequence[str], path: str | Path, chunk: int = SETS_CHUNK
) -> None:
    """Write the explanations of ``keys`` to the Parquet file ``path``, sorted by key, ``chunk`` keys per
    query: the keys are sorted here, so the engine sorts one chunk's JSON at a time, never all of it (at
    10M lines, sorting the 140,000 sets' JSON at once took more than DuckDB's 700 MB budget)."""
    keys = sorted(k for k in set(keys) if k is not None)
    with pq.ParquetWriter(str(path), FACTOR_SETS_SCHEMA, compression="zstd") as writer:
        for start in range(0, len(keys), chunk):
            table = backend.fetch(factor_sets_query(backend, keys[start : start + chunk]))
            writer.write_table(table.select(FACTOR_SETS_SCHEMA.names).cast(FACTOR_SETS_SCHEMA))


def factor_sets(backend: Backend, keys: Sequence[str]) -> pa.Table:
    """The explanations of ``keys`` as a table (see :func:`factor_sets_query`)."""
    table = backend.fetch(factor_sets_query(backend, keys))
    return table.select(FACTOR_SETS_SCHEMA.names).cast(FACTOR_SETS_SCHEMA).sort_by("factor_set")


def factor_sets_of(register: pa.Table) -> pa.Table:
    """The factor sets of a register that has its explanations (``factors`` and ``factor_set``)."""
    if register.num_rows == 0:
        return FACTOR_SETS_SCHEMA.empty_table()
    keys = pc.unique(register["factor_set"])
    first = pc.index_in(keys, register["factor_set"])  # the first line of each set
    table = pa.table({"factor_set": keys, "factors": register["factors"].take(first)})
    return table.cast(FACTOR_SETS_SCHEMA).sort_by("factor_set")


def explained(register: pa.Table, sets: pa.Table) -> pa.Table:
    """A compact register with its explanations joined back: ``REGISTER_COLUMNS`` plus ``factor_set``."""
    if register.num_rows == 0:
        factors = pa.array([], pa.string())
    else:
        factors = sets["factors"].take(pc.index_in(register["factor_set"], sets["factor_set"]))
    table = register.append_column("factors", factors)
    return table.select([*REGISTER_COLUMNS, "factor_set"]).cast(EXPLAINED_SCHEMA)


def write_ranked(backend: Backend, unranked: str | Path, path: str | Path, top: int = 0) -> pa.Table:
    """Add ``priority_rank`` to a register written without it (``ranked=False``) and write it to ``path``;
    return the lines ranked 1 to ``top``, sorted by rank.

    Ranking needs one global sort. The backend sorts only the ordering columns, never the wide rows
    (factors and descriptions), which is several times faster than a window over the full register.
    """
    return backend.write_ranked(str(unranked), RANK_ORDER, str(path), top).sort_by("priority_rank")


def run_plan(
    backend: Backend,
    lines: pa.Table,
    context: Context,
    classify: TextClassifier,
    progress: Progress = _noop,
    explain: str = "set",
) -> pa.Table:
    """Classify and score ``lines`` (``fairprocure.schema.LINE_SCHEMA``) into a register table.

    The engine builds each distinct factor set's explanation once (:func:`factor_sets`); the table
    returned has them joined back (``REGISTER_COLUMNS`` plus ``factor_set``).
    """
    backend.load("lines", lines)
    compact = backend.fetch(plan_register(backend, context, classify, progress, explain=explain))
    if explain == "line":
        return compact.select([*REGISTER_COLUMNS, "factor_set"]).cast(EXPLAINED_SCHEMA)
    compact = compact.select(COMPACT_REGISTER_COLUMNS).cast(COMPACT_REGISTER_SCHEMA)
    return explained(compact, factor_sets(backend, pc.unique(compact["factor_set"]).to_pylist()))
