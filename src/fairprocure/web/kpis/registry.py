"""The KPI registry: every key performance indicator is a small definition computed from records.

A KPI is never typed in. Each app that keeps records defines its KPIs in its own ``kpis.py`` and
registers them when Django starts (its ``AppConfig.ready`` imports that module)::

    from fairprocure.web.kpis.registry import KPI, Measure, register

    def _workshops(year, offices):
        rows = Activity.objects.filter(office__in=offices, kind="workshop", date__year=year)
        return {r["office"]: Measure(r["n"]) for r in rows.values("office").annotate(n=Count("id"))}

    register(KPI("workshops_held", _("Workshops held"), COUNT, _workshops, module="activities", order=10))

``compute(year, offices)`` returns ``{office pk: Measure}`` for the offices (a list) in that calendar
year; offices left out count as zero. A ``COUNT`` adds up across offices; a ``PERCENT`` is
``value / base`` and adds numerators and denominators before dividing, so the organisation's figure is
the share of the organisation's total, not a mean of the offices' shares; an ``EUR`` sum adds up;
``DAYS`` is a mean (total days ``value`` over ``base`` cases), combined like a percentage.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

COUNT, PERCENT, EUR, DAYS = "count", "percent", "eur", "days"
UNITS = (COUNT, PERCENT, EUR, DAYS)
RATIOS = (PERCENT, DAYS)  # a numerator over a base: a share, or a mean number of days


@dataclass(frozen=True)
class Measure:
    """An office's figure: a count or sum, or for a percentage the numerator ``value`` over ``base``."""

    value: float = 0.0
    base: float | None = None


@dataclass(frozen=True)
class KPI:
    id: str
    label: object  # a (lazy) translatable string
    unit: str
    compute: Callable[[int, Sequence], Mapping[int, Measure]]
    description: object = ""
    module: str = ""
    order: int = 100

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"KPI {self.id}: unit {self.unit!r} is not one of {', '.join(UNITS)}")


REGISTRY: dict[str, KPI] = {}


def register(kpi: KPI) -> KPI:
    """Add ``kpi``; an id registered twice by different definitions is an error."""
    known = REGISTRY.get(kpi.id)
    if known is not None and known.compute is not kpi.compute:
        raise ValueError(f"KPI {kpi.id} is registered already (by {known.module or 'another module'})")
    REGISTRY[kpi.id] = kpi
    return kpi


def all_kpis() -> list[KPI]:
    return sorted(REGISTRY.values(), key=lambda k: (k.order, k.id))


def combine(unit: str, measures: Sequence[Measure]) -> Measure:
    """Several offices' measures as one (the organisation's)."""
    value = sum(m.value for m in measures)
    if unit in RATIOS:
        return Measure(value, sum(m.base or 0.0 for m in measures))
    return Measure(value)


def figure(unit: str, measure: Measure) -> float | None:
    """The number shown: the count or sum, or the percentage (None when its base is zero)."""
    if unit == PERCENT:
        return 100.0 * measure.value / measure.base if measure.base else None
    if unit == DAYS:
        return measure.value / measure.base if measure.base else None
    return measure.value
