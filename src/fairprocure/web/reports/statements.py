"""Statement drafts from the records, structured on the UK Modern Slavery Act s.54 areas and the
Australian Modern Slavery Act s.16 criteria. Every sentence is filled from an :class:`AnnualReport`;
what the records cannot say is marked as a gap for a person to write. Plain values in, plain values out.

Sources: UK Home Office statutory guidance on s.54 (six suggested areas); Modern Slavery Act 2018
(Cth) s.16 (seven mandatory criteria).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fairprocure.web.reports.annual import AnnualReport


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)


@dataclass
class Statement:
    key: str
    title: str
    basis: str
    sections: list[Section]

    @property
    def gap_count(self) -> int:
        return sum(len(s.gaps) for s in self.sections)


def _n(report: AnnualReport, kpi: str) -> int:
    value = report.figure(kpi)
    return int(value) if value is not None else 0


def _money(value: float) -> str:
    return floatformat(value, "0g")


def _structure(report: AnnualReport) -> Section:
    section = Section("structure", _("Organisation, structure and supply chains"))
    section.paragraphs.append(
        ngettext(
            "%(org)s screened the procurement of %(n)d office in %(countries)s.",
            "%(org)s screened the procurement of %(n)d offices in %(countries)s.",
            len(report.offices),
        )
        % {"org": report.organisation, "n": len(report.offices), "countries": ", ".join(report.countries)}
    )
    if report.lines:
        section.paragraphs.append(
            _("The screening covered %(lines)s procurement lines worth %(spend)s EUR.")
            % {"lines": _money(report.lines), "spend": _money(report.spend_eur)}
        )
    else:
        section.gaps.append(_("No procurement data has been screened: describe the supply chains by hand."))
    if report.heat:
        section.paragraphs.append(
            _("The main categories bought: %(categories)s.")
            % {
                "categories": "; ".join(
                    r.label for r in sorted(report.heat, key=lambda r: -r.total.spend)[:5]
                )
            }
        )
    section.gaps.append(_("Describe the organisation's legal form, mandate and governance."))
    return section


def _policies(report: AnnualReport) -> Section:
    section = Section("policies", _("Policies"))
    section.gaps.append(
        _(
            "Name the policies in force (Supplier Code of Conduct, General Conditions of Contract, procurement "
            "rules) and when they were adopted or revised: fairprocure holds no policy records."
        )
    )
    return section


def _risks(report: AnnualReport) -> Section:
    section = Section("risks", _("Risks in operations and supply chains"))
    if report.lines:
        section.paragraphs.append(
            _(
                "%(high)s of %(lines)s screened lines are of high or critical risk of trafficking or forced labour."
            )
            % {"high": _money(report.high_lines), "lines": _money(report.lines)}
        )
    if report.heat:
        riskiest = ", ".join(
            _("%(category)s (mean score %(score)s)")
            % {"category": r.label, "score": floatformat(r.total.score, 0)}
            for r in report.heat[:3]
        )
        section.paragraphs.append(_("The riskiest categories: %(list)s.") % {"list": riskiest})
    high = _n(report, "contracts_assessed_high_risk")
    if high:
        section.paragraphs.append(
            ngettext(
                "Focal points assessed %(n)d contract as potentially high risk in %(year)d.",
                "Focal points assessed %(n)d contracts as potentially high risk in %(year)d.",
                high,
            )
            % {"n": high, "year": report.year}
        )
    else:
        section.gaps.append(_("No contract was assessed as potentially high risk this year: say why."))
    return section


def _due_diligence(report: AnnualReport) -> Section:
    section = Section("due_diligence", _("Due diligence and remediation"))
    plans = _n(report, "approved_action_plans")
    section.paragraphs.append(
        ngettext(
            "%(n)d local action plan was approved by management, out of %(offices)d offices.",
            "%(n)d local action plans were approved by management, out of %(offices)d offices.",
            plans,
        )
        % {"n": plans, "offices": len(report.offices)}
    )
    without = [o.code for o in report.offices if o.plan_status != "approved"]
    if without:
        section.gaps.append(
            _("Offices without an approved action plan for the year: %(offices)s.")
            % {"offices": ", ".join(without)}
        )
    done, overdue = _n(report, "actions_done"), _n(report, "actions_overdue")
    section.paragraphs.append(
        _("Of the plans' actions, %(done)d were done and %(overdue)d are overdue.")
        % {"done": done, "overdue": overdue}
    )
    engagement = _n(report, "engagement_activities")
    if engagement:
        section.paragraphs.append(
            ngettext(
                "%(n)d supplier engagement activity (such as a pre-tender briefing) was held.",
                "%(n)d supplier engagement activities (such as pre-tender briefings) were held.",
                engagement,
            )
            % {"n": engagement}
        )
    else:
        section.gaps.append(_("No supplier engagement activity was recorded."))
    measures = [c.measures for o in report.offices for c in o.high_risk_contracts if c.measures]
    if measures:
        section.paragraphs.append(
            _("Measures required on high-risk contracts include: %(m)s.") % {"m": "; ".join(measures[:5])}
        )
    _suppliers(report, section)
    _monitoring(report, section)
    _remediation(report, section)
    return section


def _suppliers(report: AnnualReport, section: Section) -> None:
    """Supplier due diligence, when the supplier modules register their KPIs."""
    if report.has("suppliers_assessed"):
        assessed = _n(report, "suppliers_assessed")
        answered = _n(report, "questionnaires_answered") if report.has("questionnaires_answered") else 0
        if assessed or answered:
            section.paragraphs.append(
                _(
                    "Suppliers answered %(answered)d due-diligence questionnaires; %(assessed)d suppliers' answers "
                    "were reviewed and accepted."
                )
                % {"answered": answered, "assessed": assessed}
            )
        else:
            section.gaps.append(_("No supplier answered a due-diligence questionnaire this year: say why."))
    if report.has("contracts_mapped_to_factory"):
        mapped = _n(report, "contracts_mapped_to_factory")
        share = report.figure("high_risk_contracts_mapped")
        text = ngettext(
            "%(n)d contract's supply chain was traced to the factory of production.",
            "%(n)d contracts' supply chains were traced to the factory of production.",
            mapped,
        ) % {"n": mapped}
        if share is not None:
            text += " " + _("That is %(share)s of the contracts confirmed as potentially high risk.") % {
                "share": format_value(share, "percent")
            }
        section.paragraphs.append(text)


def _monitoring(report: AnnualReport, section: Section) -> None:
    """Contract monitoring and the grievance channel, when those modules register their KPIs."""
    if report.has("monitoring_checks_done"):
        checks = _n(report, "monitoring_checks_done")
        interviews = _n(report, "worker_interviews") if report.has("worker_interviews") else 0
        if checks or interviews:
            section.paragraphs.append(
                _(
                    "%(checks)d monitoring checks of contracts in force were done and %(interviews)d workers "
                    "were interviewed in private."
                )
                % {"checks": checks, "interviews": interviews}
            )
        else:
            section.gaps.append(_("No contract in force was monitored this year: say why."))
        overdue = _n(report, "monitoring_checks_overdue") if report.has("monitoring_checks_overdue") else 0
        if overdue:
            section.paragraphs.append(
                ngettext(
                    "%(n)d contract's monitoring check is overdue.",
                    "%(n)d contracts' monitoring checks are overdue.",
                    overdue,
                )
                % {"n": overdue}
            )
    if report.has("grievances_received"):
        received = _n(report, "grievances_received")
        resolved = _n(report, "grievances_resolved") if report.has("grievances_resolved") else 0
        section.paragraphs.append(
            _(
                "Cases workers reported through the grievance channel: %(received)d received, %(resolved)d resolved."
            )
            % {"received": received, "resolved": resolved}
        )


def _remediation(report: AnnualReport, section: Section) -> None:
    """Findings and remedy for workers, when the findings module registers its KPIs; else a gap."""
    if not report.has("workers_remedied"):
        section.gaps.append(
            _("Describe remediation provided to workers, if any: fairprocure records none yet.")
        )
        return
    closed = sum(_n(report, f.id) for f in report.figures if f.id.startswith("findings_closed_"))
    still_open = sum(_n(report, f.id) for f in report.figures if f.id.startswith("findings_open_"))
    if closed or still_open:
        section.paragraphs.append(
            _("Findings of monitoring: %(closed)d closed after corrective action, %(open)d still open.")
            % {"closed": closed, "open": still_open}
        )
    workers = _n(report, "workers_remedied")
    if workers:
        paid = report.figure("remedy_paid") if report.has("remedy_paid") else None
        text = ngettext("%(n)d worker received remedy", "%(n)d workers received remedy", workers) % {
            "n": workers
        }
        if paid:
            text += " " + _("(%(paid)s paid)") % {"paid": format_value(paid, "eur")}
        section.paragraphs.append(text + ".")
    else:
        section.gaps.append(_("No remedy to workers was recorded this year: say whether any was due."))


def _effectiveness(report: AnnualReport) -> Section:
    section = Section("effectiveness", _("Assessing effectiveness: key performance indicators"))
    for figure in report.figures:
        if figure.value is None:
            section.gaps.append(_("%(kpi)s: no base to compute it from.") % {"kpi": figure.label})
            continue
        text = f"{figure.label}: {format_value(figure.value, figure.unit)}"
        if figure.trend is not None:
            text += " " + _("(%(trend)s on the year before)") % {
                "trend": format_trend(figure.trend, figure.unit)
            }
        section.paragraphs.append(text)
    return section


def _training(report: AnnualReport) -> Section:
    section = Section("training", _("Training and capacity building"))
    workshops, training = _n(report, "workshops_held"), _n(report, "training_sessions")
    people = _n(report, "activity_participants")
    if workshops or training:
        section.paragraphs.append(
            _(
                "%(w)d workshops and %(t)d training sessions were held; %(p)d people took part in the year's activities."
            )
            % {"w": workshops, "t": training, "p": people}
        )
    else:
        section.gaps.append(_("No workshop or training was recorded this year."))
    return section


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{floatformat(value, 1)} %"
    if unit == "eur":
        return f"{floatformat(value, '0g')} EUR"
    if unit == "days":
        return _("%(n)s d") % {"n": floatformat(value, 1)}  # a mean number of days
    return floatformat(value, "0g")


def format_trend(value: float, unit: str) -> str:
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    text = format_value(abs(value), unit)
    return sign + (text.replace(" %", " pp") if unit == "percent" else text)


def uk_statement(report: AnnualReport) -> Statement:
    """The six areas of the UK Home Office guidance on s.54 statements."""
    sections = [_structure(report), _policies(report), _due_diligence(report), _risks(report)]
    sections += [_effectiveness(report), _training(report)]
    return Statement(
        "uk_s54",
        _("Modern slavery statement (UK Modern Slavery Act 2015, s.54)"),
        _("Structured on the six areas of the Home Office statutory guidance."),
        sections,
    )


def au_statement(report: AnnualReport) -> Statement:
    """The seven mandatory criteria of s.16 of Australia's Modern Slavery Act 2018."""
    entity = Section("entity", _("1. The reporting entity"))
    entity.paragraphs.append(report.organisation)
    entity.gaps.append(_("Give the entity's legal name, registration number and registered office."))
    structure = _structure(report)
    structure.key, structure.title = "structure", _("2. Structure, operations and supply chains")
    risks = _risks(report)
    risks.title = _("3. Risks of modern slavery practices in operations and supply chains")
    actions = _due_diligence(report)
    actions.title = _(
        "4. Actions taken to assess and address those risks, including due diligence and remediation"
    )
    training = _training(report)
    actions.paragraphs += training.paragraphs
    actions.gaps += training.gaps
    effectiveness = _effectiveness(report)
    effectiveness.title = _("5. How the effectiveness of the actions is assessed")
    consultation = Section("consultation", _("6. Consultation with owned or controlled entities"))
    consultation.paragraphs.append(
        ngettext(
            "The action plan was drafted by the office's focal point and approved by management.",
            "Each office's action plan was drafted by its focal point and approved by management.",
            len(report.offices),
        )
    )
    consultation.gaps.append(_("Describe how owned or controlled entities were consulted on this statement."))
    other = Section("other", _("7. Other relevant information"))
    other.gaps.append(_("Add any other information the organisation considers relevant."))
    return Statement(
        "au_s16",
        _("Modern slavery statement (Australia, Modern Slavery Act 2018, s.16)"),
        _("Structured on the seven mandatory criteria of s.16."),
        [entity, structure, risks, actions, effectiveness, consultation, other],
    )


def headline(report: AnnualReport) -> list[str]:
    """“In 2026 the organisation has: …” — one line per KPI, from the KPIs only."""
    return [f"{f.label}: {format_value(f.value, f.unit)}" for f in report.figures]
