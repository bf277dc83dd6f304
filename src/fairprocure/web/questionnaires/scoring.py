"""Questionnaire templates and their scoring: plain rules on plain values, tested without a server.

A template (JSON, see ``data/labour_rights.json``) has questions of five types — ``yesno``, ``choice``,
``number``, ``text`` and ``file`` — each optionally limited to a variant (``services``: a workforce on
the buyer's premises; ``goods``: sites and supply chain). A question's answer earns risk points
(``points`` per answer, ``bands`` for numbers, ``missing_points`` for a file not given), may raise a
**red flag** (an ILO forced-labour indicator, say) and may call for a **recommendation** the supplier
must acknowledge before submitting, as in the UK's Modern Slavery Assessment Tool.

The questionnaire's **risk** is the points earned over the points possible, 0–100; a required question
left unanswered earns its maximum (incomplete answers raise risk). Its **screening points** — what a
reviewed questionnaire adds to the supplier's lines — are ``weight × (risk − 50) / 50`` plus
``red_flag`` points per red flag, with both numbers from the policy's ``[supplier]`` section: a clean
questionnaire lowers the risk, a poor one raises it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

TYPES = ("yesno", "choice", "number", "text", "file")
VARIANTS = ("services", "goods")
LANGUAGES = ("en", "ru")


class TemplateError(ValueError):
    """A questionnaire template that cannot be used; the message names the question and the field."""


def default_template() -> dict[str, Any]:
    """The shipped labour-rights questionnaire."""
    text = files("fairprocure.web.questionnaires").joinpath("data/labour_rights.json").read_text("utf-8")
    return validate(json.loads(text))


def _texts(value: Any, where: str) -> None:
    if not isinstance(value, dict) or any(not str(value.get(lang, "")).strip() for lang in LANGUAGES):
        raise TemplateError(f"{where}: needs text in {' and '.join(LANGUAGES)}")


def validate(spec: dict[str, Any]) -> dict[str, Any]:
    """Check a template; return it unchanged or raise :class:`TemplateError`."""
    if not isinstance(spec, dict):
        raise TemplateError("a template is a JSON object")
    for key in ("slug", "title", "questions"):
        if key not in spec:
            raise TemplateError(f"template: {key!r} is missing")
    _texts(spec["title"], "template title")
    seen = set()
    for n, q in enumerate(spec["questions"], start=1):
        where = f"question {n} ({q.get('id', '?')})"
        qid = q.get("id")
        if not qid or qid in seen:
            raise TemplateError(f"{where}: needs an id of its own")
        seen.add(qid)
        if q.get("type") not in TYPES:
            raise TemplateError(f"{where}: type must be one of {', '.join(TYPES)}")
        _texts(q.get("text"), where)
        for variant in q.get("applies", []):
            if variant not in VARIANTS:
                raise TemplateError(f"{where}: applies to {variant!r}; use {' or '.join(VARIANTS)}")
        if q["type"] == "choice":
            options = q.get("options") or []
            if len(options) < 2:
                raise TemplateError(f"{where}: a choice needs at least two options")
            for option in options:
                _texts(option, f"{where}, option {option.get('value')}")
        if q["type"] == "yesno" and set(q.get("points", {})) - {"yes", "no"}:
            raise TemplateError(f"{where}: yes/no points are given for 'yes' and 'no' only")
        for key in ("red_flag", "recommendation"):
            if key in q:
                _texts(q[key], f"{where}, {key}")
    return spec


def questions_for(spec: dict[str, Any], variant: str) -> list[dict[str, Any]]:
    """The questions a supplier of ``variant`` answers."""
    return [q for q in spec["questions"] if variant in q.get("applies", VARIANTS)]


def _max_points(q: dict[str, Any]) -> float:
    if q["type"] == "yesno":
        return float(max(q.get("points", {}).values(), default=0))
    if q["type"] == "choice":
        return float(max(o.get("points", 0) for o in q["options"]))
    if q["type"] == "number":
        return float(max((b["points"] for b in q.get("bands", [])), default=0))
    if q["type"] == "file":
        return float(q.get("missing_points", 0))
    return 0.0


def _triggers(rule: dict[str, Any] | None, answer: Any, qtype: str) -> bool:
    if not rule or answer in (None, ""):
        return False
    if qtype == "number" and "above" in rule:
        return float(answer) > float(rule["above"])
    return answer in rule.get("when", [])


def _points(q: dict[str, Any], answer: Any) -> float:
    if q["type"] == "yesno":
        return float(q.get("points", {}).get(answer, 0))
    if q["type"] == "choice":
        return float(next((o.get("points", 0) for o in q["options"] if o["value"] == answer), 0))
    if q["type"] == "number":
        for band in sorted(q.get("bands", []), key=lambda b: -b["above"]):
            if float(answer) > float(band["above"]):
                return float(band["points"])
        return 0.0
    return 0.0


def clean_answer(q: dict[str, Any], raw: Any) -> Any:
    """A submitted value as stored (None when empty); ``ValueError`` naming the question when invalid."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if q["type"] == "yesno":
        if raw not in ("yes", "no"):
            raise ValueError(f"{q['id']}: answer yes or no")
        return raw
    if q["type"] == "choice":
        if raw not in {o["value"] for o in q["options"]}:
            raise ValueError(f"{q['id']}: {raw!r} is not one of the options")
        return raw
    if q["type"] == "number":
        try:
            value = float(str(raw).replace(",", ".").replace(" ", ""))
        except ValueError:
            raise ValueError(f"{q['id']}: {raw!r} is not a number") from None
        if value < 0:
            raise ValueError(f"{q['id']}: a number of 0 or more")
        return value
    if q["type"] == "file":
        return raw  # evidence ids, checked by the caller
    return str(raw).strip()[:5000]


@dataclass
class Flag:
    question: str
    text: dict[str, str]
    indicator: str = ""


@dataclass
class Result:
    risk: float  # 0-100
    points: float
    possible: float
    answered: int
    required: int
    required_answered: int
    red_flags: list[Flag] = field(default_factory=list)
    recommendations: list[Flag] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # required questions not answered

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def completeness(self) -> float:
        return self.required_answered / self.required if self.required else 1.0


def score(spec: dict[str, Any], variant: str, answers: dict[str, Any]) -> Result:
    """Score ``answers`` (question id → cleaned answer; for files, a list of evidence ids)."""
    points = possible = 0.0
    answered = required = required_answered = 0
    flags: list[Flag] = []
    recommendations: list[Flag] = []
    missing: list[str] = []
    for q in questions_for(spec, variant):
        answer = answers.get(q["id"])
        given = answer not in (None, "", [])
        top = _max_points(q)
        possible += top
        if q.get("required"):
            required += 1
            required_answered += given
        if not given:
            if q.get("required"):
                missing.append(q["id"])
                points += top
            elif q["type"] == "file":
                points += top
            continue
        answered += 1
        if q["type"] in ("yesno", "choice", "number"):
            points += _points(q, answer)
            if _triggers(q.get("red_flag"), answer, q["type"]):
                rule = q["red_flag"]
                flags.append(Flag(q["id"], {k: rule[k] for k in ("en", "ru")}, rule.get("indicator", "")))
            if _triggers(q.get("recommendation"), answer, q["type"]):
                rule = q["recommendation"]
                recommendations.append(Flag(q["id"], {k: rule[k] for k in ("en", "ru")}))
    risk = round(100.0 * points / possible, 1) if possible else 0.0
    return Result(
        risk, points, possible, answered, required, required_answered, flags, recommendations, missing
    )


def screening_points(result: Result, weight: float, red_flag: float) -> float:
    """What a reviewed questionnaire adds to its supplier's lines (negative lowers their risk)."""
    return round(weight * (result.risk - 50.0) / 50.0 + red_flag * len(result.red_flags), 1)
