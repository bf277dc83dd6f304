"""Computing every registered KPI per office and for the organisation, by year, with the trend."""

from __future__ import annotations

from dataclasses import dataclass, field

from fairprocure.web.kpis.registry import KPI, RATIOS, Measure, all_kpis, combine, figure


@dataclass
class Cell:
    value: float | None  # what is shown (None: a percentage of nothing)
    measure: Measure


@dataclass
class Row:
    kpi: KPI
    years: list[int]
    organisation: dict[int, Cell] = field(default_factory=dict)  # year → cell
    offices: dict[str, dict[int, Cell]] = field(default_factory=dict)  # office code → year → cell

    @property
    def id(self) -> str:
        return self.kpi.id

    @property
    def current(self) -> Cell:
        return self.organisation[self.years[-1]]

    @property
    def previous(self) -> Cell | None:
        return self.organisation[self.years[-2]] if len(self.years) > 1 else None

    @property
    def trend(self) -> float | None:
        """Change of the organisation's figure against the year before (None if either is unknown)."""
        before = self.previous
        if before is None or before.value is None or self.current.value is None:
            return None
        return self.current.value - before.value

    def office_current(self, code: str) -> Cell:
        return self.offices[code][self.years[-1]]


@dataclass
class KpiTable:
    year: int
    years: list[int]
    offices: list
    rows: list[Row]

    def row(self, kpi_id: str) -> Row:
        return next(r for r in self.rows if r.id == kpi_id)

    def value(self, kpi_id: str, office_code: str | None = None, year: int | None = None) -> float | None:
        row = self.row(kpi_id)
        year = year or self.year
        cells = row.offices[office_code] if office_code else row.organisation
        return cells[year].value


def compute_table(offices, year: int, span: int = 3, kpis: list[KPI] | None = None) -> KpiTable:
    """KPIs for ``offices`` in ``year`` and the ``span - 1`` years before it (for the trend)."""
    offices = list(offices)
    years = list(range(year - span + 1, year + 1))
    rows = []
    for kpi in kpis if kpis is not None else all_kpis():
        row = Row(kpi=kpi, years=years, offices={o.code: {} for o in offices})
        for y in years:
            measures = kpi.compute(y, offices) if offices else {}
            for office in offices:
                m = measures.get(office.pk, Measure(0.0, 0.0 if kpi.unit in RATIOS else None))
                row.offices[office.code][y] = Cell(figure(kpi.unit, m), m)
            total = combine(kpi.unit, [measures.get(o.pk, Measure()) for o in offices])
            row.organisation[y] = Cell(figure(kpi.unit, total), total)
        rows.append(row)
    return KpiTable(year=year, years=years, offices=offices, rows=rows)
