"""The dashboard: heat map, likelihood × severity, top contracts, spend and change since last time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from fairprocure.classify.taxonomy import load_taxonomy
from fairprocure.web.dashboard import summary
from fairprocure.web.labels import CATEGORY_LABELS, FACTOR_LABELS, LEVEL_LABELS, SEVERITY_LABELS
from fairprocure.web.register.models import Line
from web.workspace_helpers import office, register_table, screen_into, user

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_high_risk_lines_per_office_and_category(client, monkeypatch):
    screen_into(office("A"), register_table(6), monkeypatch)  # lines 0 and 3 high
    screen_into(office("B"), register_table(9, prefix="B"), monkeypatch)  # lines 0, 3, 6 high
    client.force_login(user("boss", "management"))
    data = client.get("/api/dashboard", headers={}).json()
    garments = data["heat"]["garments_textiles"]
    assert garments["A"] == {"lines": 2, "high_or_critical": 2, "spend_eur": 5000.0, "mean_score": 70.0}
    assert garments["B"]["high_or_critical"] == 3 and garments["B"]["spend_eur"] == 12000.0
    assert data["heat"]["office_supplies"]["A"] == {
        "lines": 4,
        "high_or_critical": 0,
        "spend_eur": 16000.0,
        "mean_score": 20.0,
    }
    assert data["lines"] == 15 and data["high_or_critical"] == 5
    assert data["matrix"]["80–100"]["forced_labour"] == 5
    assert data["matrix"]["0–20"]["none_known"] == 10  # the data's "none-known" counted as none known
    assert data["spend_known_origin_eur"] == sum(1000.0 * (i + 1) for i in (0, 3)) + sum(
        1000.0 * (i + 1) for i in (0, 3, 6)
    )
    assert [line["line_id"] for line in data["top"]][:2] == ["B0", "L0"]  # highest priority first


def test_the_heat_map_shows_mean_scores_in_colour_riskiest_category_first(client, monkeypatch):
    screen_into(office("A"), register_table(6), monkeypatch)
    client.force_login(user("boss", "management"))
    page = client.get("/dashboard/").content.decode()
    heat = page[page.index('id="heatmap"') : page.index('id="matrix-title"')]
    assert heat.index("Garments and textiles") < heat.index("office_supplies")  # score 70 before 20
    # Score 70 falls in the 60–80 class: orange-red fill, black text (contrast 5.3:1); the number is text.
    assert 'class="num cell fill-f03b20"' in heat and '<span class="score">70</span>' in heat
    assert "▲2 · 5 k €" in heat and 'aria-label="Garments and textiles · A: mean risk score 70' in heat
    assert "/register/?office=A&amp;category=garments_textiles" in heat  # each cell opens its lines
    assert "Unclassified" not in heat and "Coffee" not in heat  # categories without lines are left out


def test_text_on_every_colour_of_the_scales_has_enough_contrast():
    def contrast(a: str, b: str) -> float:
        light, dark = sorted((summary._luminance(a), summary._luminance(b)), reverse=True)
        return (light + 0.05) / (dark + 0.05)

    for fill in summary.RISK_SCALE + summary.COUNT_SCALE:
        assert contrast(fill, summary.ink(fill)) >= 4.5, fill
    assert summary.ink("#bd0026") == "#ffffff" and summary.ink("#ffffb2") == "#000000"


def test_the_matrix_orders_severities_from_none_known_to_forced_labour(client, monkeypatch):
    screen_into(office("A"), register_table(6), monkeypatch)
    client.force_login(user("boss", "management"))
    page = client.get("/dashboard/").content.decode()
    matrix = page[page.index('id="matrix"') : page.index('id="top"')]
    heads = re.findall(r'<th scope="col" class="num">([^<]+)</th>', matrix)
    assert heads == ["none known", "exploitation", "child labour", "forced labour"]
    assert re.search(r'title="Likelihood 80–100 · forced labour: 2"', matrix)


def test_the_charts_are_svg_with_titles_and_the_figures_in_text(client, monkeypatch):
    screen_into(office("A"), register_table(6), monkeypatch)  # high: 5,000 EUR; low: 16,000 EUR
    client.force_login(user("boss", "management"))
    page = client.get("/dashboard/").content.decode()
    levels = page[page.index('<svg id="chart-levels"') : page.index("</svg>")]
    assert 'role="img"' in levels and "<title" in levels
    assert "high: 5,000 EUR (23.8 %)" in levels and "low: 16,000 EUR (76.2 %)" in levels
    categories = page[page.index('<svg id="chart-categories"') :]
    categories = categories[: categories.index("</svg>")]
    bars = re.findall(r'<a href="/register/\?category=(\w+)"', categories)
    assert bars == ["office_supplies", "garments_textiles"]  # largest spend first, each a keyboard link


def test_change_since_the_previous_screening(client, monkeypatch):
    a = office("A")
    screen_into(a, register_table(3), monkeypatch, name="january.csv")
    screen_into(a, register_table(7), monkeypatch, name="february.csv")
    client.force_login(user("buyer", "procurement_officer", "A"))
    page = client.get("/dashboard/?office=A").content.decode()
    assert "february.csv" in page and "(+4)" in page and "+2</span>)" in page and "22,000" in page


def test_the_anonymous_home_page_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0].startswith("/login/")


def test_the_openapi_schema_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/lines/{pk}/decisions" in schema["paths"] and schema["info"]["title"].startswith(
        "fairprocure"
    )


def test_russian_pages_are_translated(client, monkeypatch):
    office("A")
    client.force_login(user("boss", "management"))
    page = client.get("/dashboard/", headers={"Accept-Language": "ru"}).content.decode()
    assert "Панель" in page and "Dashboard</a>" not in page


WEB = Path(__file__).resolve().parents[2] / "src/fairprocure/web"
CATALOGUES = sorted(WEB.glob("**/locale/ru/LC_MESSAGES/django.po"))  # the project's and each app's own


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(WEB)))
def test_every_message_has_a_russian_translation(po):
    entries = po.read_text(encoding="utf-8").split("\n\n")[1:]  # the first entry is the header
    empty = re.compile(r'^msgstr(\[\d\])? ""\n(?!")', re.M)  # not a wrapped msgstr "" "..." "..."
    untranslated = [e for e in entries if empty.search(e + "\n") or "#, fuzzy" in e]
    assert untranslated == []


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(WEB)))
def test_every_catalogue_is_compiled(po):
    """The .mo Django reads holds what the .po beside it says (recompile: msgfmt -o django.mo django.po)."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    def messages(catalogue):
        return {  # (babel's read_mo gives a msgctxt as bytes)
            (m.id if isinstance(m.id, str) else m.id[0], _text(m.context)): tuple(m.string)
            if not isinstance(m.string, str)
            else m.string
            for m in catalogue
            if m.id
        }

    with po.open("rb") as f:
        source = messages(read_po(f))
    with po.with_suffix(".mo").open("rb") as f:
        compiled = messages(read_mo(f))
    assert source == compiled, f"recompile {po}"


def visible_text(html: str) -> str:
    """What a reader sees: the page without tags, attributes, style and scripts."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_in_russian_levels_severities_categories_and_factors_are_translated(client, monkeypatch):
    a = office("A")
    screen_into(a, register_table(6), monkeypatch)
    client.force_login(user("boss", "management"))
    client.post("/i18n/setlang/", {"language": "ru", "next": "/dashboard/"})  # the header's switch
    dashboard = visible_text(client.get("/dashboard/").content.decode())
    line = Line.objects.get(office=a, line_id="L0")
    line_page = visible_text(client.get(f"/register/lines/{line.pk}/").content.decode())
    english = [
        "high",
        "critical",
        "none known",
        "forced labour",
        "child labour",
        "exploitation",
        "Garments and textiles",
        "Dashboard",
        "mean risk score",
        "Country of origin",
    ]
    for text in (dashboard, line_page):
        found = [word for word in english if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]
        assert found == []
    assert "принудительный труд" in dashboard and "детский труд" in dashboard and "не выявлено" in dashboard
    assert "Одежда и текстиль" in dashboard and "высокий" in dashboard
    assert "Страна происхождения" in line_page and "высокий" in line_page and "Одежда и текстиль" in line_page


def test_every_library_label_has_a_russian_translation():
    for mapping in (LEVEL_LABELS, SEVERITY_LABELS, CATEGORY_LABELS, FACTOR_LABELS):
        for key, label in mapping.items():
            with translation.override("en"):
                english = str(label)
            with translation.override("ru"):
                assert str(label) != english, key
    taxonomy = load_taxonomy()
    assert set(taxonomy.categories) <= set(CATEGORY_LABELS)  # a new category needs a translation here
    with translation.override("en"):
        assert all(str(CATEGORY_LABELS[c]) == taxonomy.categories[c].label for c in taxonomy.categories)


def test_figures_are_computed_after_a_screening_as_a_reader_would_compute_them(client, monkeypatch, settings):
    from django.core.cache import cache
    from django.utils import timezone

    from fairprocure.web.dashboard import views
    from fairprocure.web.offices.models import Office

    boss = user("boss", "management")
    screen_into(office("A"), register_table(6), monkeypatch)
    client.force_login(boss)
    year = timezone.now().year

    def kept(office_obj, chosen, language="en") -> str | None:
        with translation.override(language):
            entry = cache.get(views._key(year, office_obj, chosen))
        return entry and entry[0]

    cache.clear()
    settings.DASHBOARD_WARM = True
    screen_into(office("B"), register_table(9, prefix="B"), monkeypatch)  # the job computes them
    offices = list(Office.objects.all())
    for language in ("en", "ru"):
        assert kept(None, offices, language) and all(kept(o, [o], language) for o in offices)
    warmed = kept(None, offices)
    assert views.warm() == 0  # every scope kept: nothing computed again

    cache.clear()
    client.get("/dashboard/")  # the way a reader's request computes them
    assert kept(None, offices) == warmed and "B" in warmed
    cache.clear()
    assert views.warm() == 2 * (1 + 2 * len(offices))  # organisation, each office two ways, en and ru
