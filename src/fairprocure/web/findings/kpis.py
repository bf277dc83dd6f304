"""Findings KPIs: open and closed by severity, days to remediation, workers remedied and amounts paid."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from fairprocure.duediligence import rules
from fairprocure.web.findings.models import Finding, Remedy
from fairprocure.web.kpis.registry import COUNT, DAYS, EUR, KPI, Measure, register


def _open(severity: str):
    def compute(year: int, offices) -> dict[int, Measure]:
        rows = (
            Finding.objects.filter(office__in=offices, raised_on__year=year, severity=severity)
            .exclude(status=rules.CLOSED)
            .values("office")
            .annotate(n=Count("id"))
            .order_by()
        )
        return {r["office"]: Measure(float(r["n"])) for r in rows}

    return compute


def _closed(severity: str):
    def compute(year: int, offices) -> dict[int, Measure]:
        rows = (
            Finding.objects.filter(office__in=offices, closed_on__year=year, severity=severity)
            .values("office")
            .annotate(n=Count("id"))
            .order_by()
        )
        return {r["office"]: Measure(float(r["n"])) for r in rows}

    return compute


def days_to_remediation(year: int, offices) -> dict[int, Measure]:
    """Mean days from a finding being raised to its closure, over findings closed in the year."""
    totals: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for f in Finding.objects.filter(office__in=offices, closed_on__year=year).only(
        "office", "raised_on", "closed_on"
    ):
        totals[f.office_id][0] += rules.days_to_remediation(f.raised_on, f.closed_on)
        totals[f.office_id][1] += 1
    return {office: Measure(days, n) for office, (days, n) in totals.items()}


def workers_remedied(year: int, offices) -> dict[int, Measure]:
    rows = (
        Remedy.objects.filter(finding__office__in=offices, paid_on__year=year)
        .values("finding__office")
        .annotate(n=Sum("workers"))
        .order_by()
    )
    return {r["finding__office"]: Measure(float(r["n"] or 0)) for r in rows}


def remedy_paid(year: int, offices) -> dict[int, Measure]:
    rows = (
        Remedy.objects.filter(finding__office__in=offices, paid_on__year=year, amount_eur__isnull=False)
        .values("finding__office")
        .annotate(n=Sum("amount_eur"))
        .order_by()
    )
    return {r["finding__office"]: Measure(float(r["n"] or 0)) for r in rows}


LABELS = {
    "critical": (_("Critical findings open"), _("Critical findings closed")),
    "major": (_("Major findings open"), _("Major findings closed")),
    "minor": (_("Minor findings open"), _("Minor findings closed")),
}
for n, (severity, (open_label, closed_label)) in enumerate(LABELS.items()):
    register(KPI(f"findings_open_{severity}", open_label, COUNT, _open(severity),
                 _("Findings of this severity raised in the year and not closed yet."),
                 module="findings", order=70 + n))  # fmt: skip
    register(KPI(f"findings_closed_{severity}", closed_label, COUNT, _closed(severity),
                 _("Findings of this severity closed in the year (corrective action verified)."),
                 module="findings", order=73 + n))  # fmt: skip
register(KPI("days_to_remediation", _("Days to remediation"), DAYS, days_to_remediation,
             _("Mean days from a finding being raised to its closure, over the findings closed in the year."),
             module="findings", order=76))  # fmt: skip
register(KPI("workers_remedied", _("Workers remedied"), COUNT, workers_remedied,
             _("Workers who received remedy (back pay, contributions, fees reimbursed, compensation) in the year."),
             module="findings", order=77))  # fmt: skip
register(KPI("remedy_paid", _("Remedy paid to workers"), EUR, remedy_paid,
             _("Amounts paid to workers in the year, in EUR at the rate of the day paid."),
             module="findings", order=78))  # fmt: skip
