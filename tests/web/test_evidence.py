"""The library's evidence in the reader's language: factor evidence, classification evidence, data
issues and sources come as templates, and the Russian catalogue covers every one of them."""

from __future__ import annotations

import html
import re

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from fairprocure.classify.model import NEAREST, TextPrediction
from fairprocure.screening import screen
from fairprocure.web.evidence import catalogue, text
from fairprocure.web.register.models import Line
from web.test_dashboard import visible_text
from web.workspace_helpers import office, screen_into, user

pytestmark = pytest.mark.django_db

LEDGER = """Supplier,Description,Amount,Currency,Supplier country,Country of origin,CPV
Dhaka Garments Ltd,cotton uniforms for guards,12000,MDL,Bangladesh,Bangladesh,18100000
Clean Co,office cleaning services,5000,EUR,Narnia,,
"""


def nearest(texts):
    """A stand-in classifier whose evidence is a template, as the shipped model's is."""
    said = NEAREST(cpv="90910000", label="Cleaning services", similarity=0.81, terms=["cleaning"])
    return [TextPrediction("90910000", "cleaning", 0.9, said) for _ in texts]


@pytest.fixture
def screened(tmp_path, monkeypatch, client):
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    result = screen([path], classifier=nearest, stream=False)
    screen_into(office("A"), result.register, monkeypatch)
    client.force_login(user("boss", "management"))
    return client


def line_page(client, description: str, language: str) -> str:
    line = Line.objects.get(description__startswith=description)
    client.cookies["django_language"] = language
    return client.get(f"/register/lines/{line.pk}/", headers={"Accept-Language": language}).content.decode()


def test_a_line_in_russian_shows_evidence_classification_issues_and_sources_in_russian(screened):
    page = visible_text(line_page(screened, "cotton", "ru"))
    factors = page[page.index("Факторы риска") :]
    for russian in (
        "трудоёмкость — высокая",  # category template with a term
        "Одежда, Бангладеш: в списке товаров",  # ILAB good and country named in Russian
        "принудительного",
        "в докладе о торговле людьми (TIP) за",  # TIP tier sentence
        "Министерство труда США (ILAB)",  # a source name
        "код CPV 18100000 указан в данных",  # classification evidence
        "стоимость в евро: нет даты: использован последний курс ЕЦБ; MDL: использован среднегодовой курс",
    ):
        assert russian in page, russian
    for english in (
        "labour intensity",
        "is listed for",
        "TIP Report",
        "given in the data",
        "World Bank annual",
    ):
        assert english not in factors, english


def test_the_other_line_translates_the_classifier_and_an_unknown_country(screened):
    page = html.unescape(visible_text(line_page(screened, "office cleaning", "ru")))
    assert "ближайший код CPV 90910000 «Cleaning services» (сходство 0,81); слова: cleaning" in page
    assert "страна поставщика: неизвестная страна 'Narnia'" in page


def test_in_english_the_page_shows_the_library_english(screened):
    page = html.unescape(visible_text(line_page(screened, "cotton", "en")))
    line = Line.objects.get(description__startswith="cotton")
    for factor in line.factor_list():
        assert factor["evidence"] in page


def test_the_evidence_catalogue_is_current_and_every_entry_translated(capsys):
    assert catalogue.main(["--check"]) == 0, capsys.readouterr().out
    with catalogue.PO.open("rb") as f:
        po = read_po(f)
    expected = {(e.context, e.msgid) for e in catalogue.entries()}
    translated = {(m.context, m.id) for m in po if m.id and m.string}
    assert expected <= translated


def test_every_template_renders_in_russian_with_its_placeholders():
    """A translation that drops or renames a placeholder would raise or lose a value."""
    from fairprocure import messages

    with translation.override("ru"):
        for t in messages.TEMPLATES.values():
            if t.key.startswith("test."):
                continue
            names = set(re.findall(r"%\((\w+)\)s", t.text))
            russian = translation.gettext(t.text)
            assert set(re.findall(r"%\((\w+)\)s", russian)) == names, t.key
            assert russian != t.text or t.text == "%(items)s", t.key


def test_country_names_follow_the_language():
    with translation.override("ru"):
        assert text.country_name("DEU") == "Германия" and text.country_name("XKX") == "Косово"
    with translation.override("en"):
        assert text.country_name("DEU") == "Germany"


def test_the_register_in_russian_has_translated_filters_sorts_and_no_zero_for_missing_values(screened):
    line_page(screened, "cotton", "ru")  # sets the client's language
    page = screened.get("/register/?office=A", headers={"Accept-Language": "ru"}).content.decode()
    options = re.findall(r"<option value=\"(\w*)\"[^>]*>([^<]+)</option>", page)
    labels = dict(options)
    assert labels["priority"] == "приоритет (вся организация)" and labels["supplier"] == "поставщик"
    assert (
        labels["garments_textiles"] == "Одежда и текстиль"
        and labels["stale"] == "решение, требующее пересмотра"
    )
    assert not any(re.search(r"[A-Za-z]{4,}", label) for key, label in options if key not in ("A", "en"))
    table = visible_text(page[page.index('id="register-table"') :])
    assert " 0 " not in table  # the dates missing in this ledger show as —, never 0
    assert "—" in table
