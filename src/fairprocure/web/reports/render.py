"""Writing the annual report: one template for the page, the HTML file and (WeasyPrint) the PDF; python-docx
for the editable Word version. All three are written from the same context, in one language."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from fairprocure.web.reports.annual import AnnualReport, assemble
from fairprocure.web.reports.statements import au_statement, format_trend, format_value, uk_statement

CSS = Path(__file__).with_name("static") / "reports" / "annual.css"
LANGUAGES = ("en", "ru")
RISK_FILLS = ["FFFFB2", "FECC5C", "FD8D3C", "F03B20", "BD0026"]  # the dashboard's scale (ColorBrewer YlOrRd)


@dataclass
class FigureView:
    id: str
    label: str
    value_text: str
    trend_text: str
    office_texts: list[str]


def context(report: AnnualReport, lang: str) -> dict:
    """What every writer needs; built in the report's language (call inside ``translation.override``)."""
    figures = [
        FigureView(
            id=f.id,
            label=f.label,
            value_text=format_value(f.value, f.unit),
            trend_text=format_trend(f.trend, f.unit) if f.trend is not None else "",
            office_texts=[format_value(f.by_office.get(code), f.unit) for code in report.office_codes],
        )
        for f in report.figures
    ]
    return {
        "report": report,
        "figures": figures,
        "statements": [uk_statement(report), au_statement(report)],
        "lang": lang,
    }


def build(offices, year: int, lang: str) -> dict:
    """Assemble the report of ``offices`` for ``year`` and its context, in ``lang``."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    with translation.override(lang):
        return context(assemble(offices, year), lang)


def html(ctx: dict) -> str:
    """The report as a standalone HTML document (its styles inside)."""
    with translation.override(ctx["lang"]):
        return render_to_string(
            "reports/annual_document.html", ctx | {"css": CSS.read_text(encoding="utf-8")}
        )


def pdf(ctx: dict) -> bytes:
    """The same HTML through WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=html(ctx)).write_pdf()


def docx(ctx: dict) -> bytes:
    """The editable Word version, with the same figures, tables and statement drafts."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    report: AnnualReport = ctx["report"]
    with translation.override(ctx["lang"]):
        document = Document()
        style = document.styles["Normal"]
        style.font.name, style.font.size = "DejaVu Sans", Pt(10)
        document.core_properties.title = _("%(org)s: annual report %(year)s") % {
            "org": report.organisation,
            "year": report.year,
        }
        document.core_properties.language = ctx["lang"]
        document.add_heading(document.core_properties.title, level=0)
        document.add_paragraph(
            _(
                "Generated from the records (%(when)s). Every figure is computed from the records, none is typed in."
            )
            % {"when": report.generated.date().isoformat()}
        )

        def table(header: list[str], rows: list[list[str]], fills: list[list[str | None]] | None = None):
            grid = document.add_table(rows=1, cols=len(header))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, header, strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for i, row in enumerate(rows):
                cells = grid.add_row().cells
                for j, (cell, text) in enumerate(zip(cells, row, strict=True)):
                    cell.text = text
                    fill = fills[i][j] if fills else None
                    if fill:
                        shade = OxmlElement("w:shd")
                        shade.set(qn("w:val"), "clear")
                        shade.set(qn("w:fill"), fill)
                        cell._tc.get_or_add_tcPr().append(shade)
            return grid

        def gap(text: str) -> None:
            run = document.add_paragraph().add_run(f"[{_('GAP')}: {text}]")
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW

        document.add_heading(_("In %(year)s the organisation has:") % {"year": report.year}, level=1)
        for f in ctx["figures"]:
            trend = f" ({f.trend_text} {_('on the year before')})" if f.trend_text else ""
            document.add_paragraph(f"{f.value_text} — {f.label}{trend}", style="List Bullet")
        codes = report.office_codes
        document.add_paragraph(_("Key performance indicators by office"))
        table(
            [_("Indicator"), *codes, _("All offices")],
            [[f.label, *f.office_texts, f.value_text] for f in ctx["figures"]],
        )

        document.add_heading(_("The risk picture"), level=1)
        document.add_paragraph(
            _("%(lines)s procurement lines worth %(spend)s EUR screened; %(high)s of high or critical risk.")
            % {
                "lines": format_value(report.lines, "count"),
                "spend": format_value(report.spend_eur, "count"),
                "high": format_value(report.high_lines, "count"),
            }
        )

        def heat(cell) -> str:
            if cell is None:
                return "—"
            return f"{format_value(round(cell.score), 'count')}" + (f" ▲{cell.high}" if cell.high else "")

        document.add_paragraph(
            _(
                "Heat map: mean risk score by category and office (▲ lines of high or critical risk); riskiest categories first"
            )
        )
        table(
            [_("Category"), *codes, _("All offices")],
            [[r.label, *[heat(c) for c in r.cells], heat(r.total)] for r in report.heat],
            [
                [None, *[RISK_FILLS[c.band] if c else None for c in r.cells], RISK_FILLS[r.total.band]]
                for r in report.heat
            ],
        )

        document.add_heading(_("Actions and results by office"), level=1)
        for office in report.offices:
            document.add_heading(f"{office.name} ({office.code})", level=2)
            if office.plan_status == "approved":
                document.add_paragraph(
                    _("Action plan approved by %(who)s on %(when)s.")
                    % {
                        "who": office.approved_by,
                        "when": office.approved_on.isoformat() if office.approved_on else "",
                    }
                )
            elif office.plan_status:
                document.add_paragraph(_("Action plan drafted, not yet approved."))
            else:
                gap(_("no action plan for the year"))
            if office.high_risk_contracts:
                document.add_paragraph(_("Contracts assessed as potentially high risk"))
                table(
                    [_("Contract"), _("Value (EUR)"), _("Measures required"), _("Status")],
                    [
                        [c.label, format_value(c.value_eur, "count"), c.measures, c.status_label]
                        for c in office.high_risk_contracts
                    ],
                )
            if office.actions:
                document.add_paragraph(_("Actions"))
                table(
                    [_("Action"), _("Owner"), _("Due date"), _("Status"), _("Evidence")],
                    [
                        [
                            a.title,
                            a.owner or "—",
                            a.due.isoformat() if a.due else "—",
                            a.status_label + (f" — {_('overdue')}" if a.overdue else ""),
                            a.evidence or "—",
                        ]
                        for a in office.actions
                    ],
                )
            if office.activities:
                document.add_paragraph(_("Activities"))
                table(
                    [_("Date"), _("Kind"), _("Title"), _("Participants")],
                    [
                        [a.date.isoformat(), a.kind_label, a.title, str(a.participants)]
                        for a in office.activities
                    ],
                )

        for statement in ctx["statements"]:
            document.add_heading(statement.title, level=1)
            document.add_paragraph(statement.basis)
            for section in statement.sections:
                document.add_heading(section.title, level=2)
                for paragraph in section.paragraphs:
                    document.add_paragraph(paragraph)
                for text in section.gaps:
                    gap(text)
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


WRITERS = {"html": lambda ctx: html(ctx).encode("utf-8"), "pdf": pdf, "docx": docx}


def file_name(year: int, lang: str, fmt: str) -> str:
    return f"annual-report-{year}-{lang}.{fmt}"


def write_all(
    offices, year: int, out: Path, languages=LANGUAGES, formats=("html", "pdf", "docx")
) -> list[Path]:
    """Write the report in every language and format into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in languages:
        ctx = build(offices, year, lang)
        for fmt in formats:
            path = out / file_name(year, lang, fmt)
            path.write_bytes(WRITERS[fmt](ctx))
            written.append(path)
    return written
