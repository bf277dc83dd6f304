"""One priority order for the whole organisation, with the levels people decided applied."""

from __future__ import annotations

import re

import pytest

from fairprocure.web.register import ranking
from fairprocure.web.register.decisions import decide
from fairprocure.web.register.filters import filter_lines
from fairprocure.web.register.models import Line
from web.workspace_helpers import office, register_table, screen_into, user

pytestmark = pytest.mark.django_db


def test_a_decided_level_moves_the_score_into_its_band_and_keeps_the_leverage():
    low_top = ranking.bands()["low"][1]
    assert ranking.effective_score(70, "low") == low_top < ranking.bands()["medium"][0]
    assert ranking.effective_score(20, "critical") == ranking.bands()["critical"][0]
    assert ranking.effective_score(50, "high") == 50 and ranking.effective_score(50, "") == 50
    assert ranking.effective_priority(70, 140, "low") == pytest.approx(low_top * 2)  # leverage 2 kept


def screened(office_obj, n: int, prefix: str, monkeypatch):
    """``register_table`` lines whose priority is score × leverage, as the library makes it (leverage 1 + i/100)."""
    import pyarrow as pa

    table = register_table(n, prefix=prefix)
    scores = [
        55.0 if level == "high" else 20.0 for level in table.column("risk_level").to_pylist()
    ]  # in band
    priority = pa.array([s * (1 + i / 100) for i, s in enumerate(scores)], pa.float64())
    table = table.set_column(table.schema.get_field_index("priority"), "priority", priority)
    table = table.set_column(table.schema.get_field_index("risk_score"), "risk_score", pa.array(scores))
    return screen_into(office_obj, table, monkeypatch)


def order() -> list[str]:
    """The register's line ids by the rank it shows."""
    lines = ranking.Ranker().annotate(list(Line.objects.filter(current=True)))
    return [line.line_id for line in sorted(lines, key=lambda line: line.rank)]


def ranks_are_dense_and_agree_with_a_full_recount():
    shown = {
        line.pk: line.rank for line in ranking.Ranker().annotate(list(Line.objects.filter(current=True)))
    }
    assert sorted(shown.values()) == list(range(1, len(shown) + 1))
    sorted_by_register = list(filter_lines(Line.objects.filter(current=True)).values_list("pk", flat=True))
    assert sorted_by_register == sorted(shown, key=shown.get)  # the "priority" sort gives the same order
    ranking.rank_all()  # what the next screening does: stored ranks from scratch
    assert dict(Line.objects.filter(current=True).values_list("pk", "priority_rank")) == shown
    assert not Line.objects.filter(rank_moved=True).exists()


def test_uploads_of_several_offices_share_one_order(monkeypatch):
    screened(office("A"), 4, "A", monkeypatch)
    screened(office("B"), 4, "B", monkeypatch)
    ranks_are_dense_and_agree_with_a_full_recount()
    # lines 0 and 3 high (score 55), the others low (20); a larger leverage first
    assert order()[:4] == ["A3", "B3", "A0", "B0"]


def test_a_line_lowered_to_low_leaves_the_top_and_a_raised_one_climbs(monkeypatch):
    a = office("A")
    screened(a, 7, "L", monkeypatch)  # high: L0, L3, L6
    focal = user("focal", "focal_point", "A")
    assert order()[:3] == ["L6", "L3", "L0"]
    decide(
        Line.objects.get(current=True, line_id="L6"), "low", "Supplier audited: wages paid in full.", focal
    )
    assert order()[:3] == ["L3", "L0", "L6"]  # below every line still high, at the top of the low ones
    ranks_are_dense_and_agree_with_a_full_recount()
    decide(Line.objects.get(current=True, line_id="L5"), "critical", "Grievance: passports withheld.", focal)
    assert order()[0] == "L5"
    ranks_are_dense_and_agree_with_a_full_recount()
    decide(Line.objects.get(current=True, line_id="L3"), "medium", "Checked: one site only.", focal)
    decide(Line.objects.get(current=True, line_id="L1"), "high", "Agency staff on our premises.", focal)
    ranks_are_dense_and_agree_with_a_full_recount()  # several moves since the last full ranking


def test_the_register_shows_the_organisation_rank_and_sorts_by_it(client, monkeypatch):
    screened(office("A"), 3, "A", monkeypatch)
    screened(office("B"), 3, "B", monkeypatch)
    client.force_login(user("boss", "management"))
    page = client.get("/register/?office=B").content.decode()
    ranks = [int(r) for r in re.findall(r'<tr><td class="num">(\d+)</td><td>B</td>', page)]
    assert ranks == sorted(ranks) and ranks[0] == 2  # B0 is second in the whole organisation, after A0
