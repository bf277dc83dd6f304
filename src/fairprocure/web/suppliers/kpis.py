"""Supply-chain KPIs: contracts mapped to the factory of production, and the share of high-risk ones."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from fairprocure.web.kpis.registry import COUNT, KPI, PERCENT, Measure, register
from fairprocure.web.suppliers.maps import contract_levels


def _levels(year: int, offices) -> dict[int, list[tuple[object, str]]]:
    out: dict[int, list] = defaultdict(list)
    for contract, level in contract_levels(offices, year):
        out[contract.office_id].append((contract, level))
    return out


def contracts_to_factory(year: int, offices) -> dict[int, Measure]:
    from fairprocure.web.suppliers.supply_chain import at_least

    return {
        office: Measure(sum(at_least(level, "factory") for _, level in rows))
        for office, rows in _levels(year, offices).items()
    }


def high_risk_mapped_share(year: int, offices) -> dict[int, Measure]:
    from fairprocure.web.contracts.models import Contract
    from fairprocure.web.suppliers.supply_chain import at_least

    mapped = {
        c.pk for rows in _levels(year, offices).values() for c, level in rows if at_least(level, "factory")
    }
    out: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    confirmed = Contract.objects.filter(
        office__in=offices, high_risk=True
    ).order_by()  # (index on office, high_risk)
    for office, pk in confirmed.values_list("office_id", "pk"):
        out[office][1] += 1
        out[office][0] += pk in mapped
    return {office: Measure(v, base) for office, (v, base) in out.items()}


register(
    KPI(
        "contracts_mapped_to_factory",
        _("Contracts traced to the factory of production"),
        COUNT,
        contracts_to_factory,
        _(
            "Contracts whose supply-chain map, disclosed in the year, reaches the factory of production on every branch."
        ),
        module="suppliers",
        order=55,
    )
)
register(
    KPI(
        "high_risk_contracts_mapped",
        _("High-risk contracts traced to the factory"),
        PERCENT,
        high_risk_mapped_share,
        _(
            "Share of the contracts confirmed as potentially high risk whose supply chain is traced to the factory of production."
        ),
        module="suppliers",
        order=56,
    )
)
