"""Tender dossiers and the clause library: completeness, versions, gates, criteria, price checks, the annex."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from fairprocure.web.clauses import services as clauses
from fairprocure.web.clauses.library import shipped, sources
from fairprocure.web.clauses.models import Clause
from fairprocure.web.tenders import criteria as rules
from fairprocure.web.tenders import gates, services
from fairprocure.web.tenders.annex import Annex, AnnexClause, AnnexCriterion, build
from fairprocure.web.tenders.guidance import GENERIC, GUIDED, STAGES, guide
from fairprocure.web.tenders.language import office_language
from fairprocure.web.tenders.market import risk_picture
from web.workspace_helpers import office, register_table, screen_into, user

FLOORS = (
    "country,sector,amount,currency,period,normal_hours,valid_from,kind,source\n"
    "TJK,all,1000,TJS,month,160,2024-01-01,legal_minimum,Illustrative figure for the test\n"
)


# --- the library's completeness (no database) -------------------------------------------------------------


@pytest.mark.parametrize("category", [*GUIDED, GENERIC])
@pytest.mark.parametrize("stage", STAGES)
def test_every_named_category_has_guidance_for_every_stage_with_sources(category, stage):
    g = guide(category, stage)
    assert g.category == category  # its own guide, not the generic fallback
    for lang in ("en", "ru"):
        assert len(g.text[lang]) > 80 and g.title[lang] and g.purpose[lang]
    assert g.sources and all(s["url"].startswith("https://") and s["title"] for s in g.sources)
    assert g.checklist and all(i.en and i.ru for i in g.checklist)
    assert any("\u0400" <= ch <= "\u04ff" for ch in g.text["ru"])  # the Russian text is in Cyrillic


def test_categories_without_their_own_guide_get_the_generic_one():
    assert guide("software", "analysis").category == GENERIC
    assert guide("garments_textiles", "analysis").category == "garments_textiles"


def test_every_shipped_clause_has_both_languages_and_sources_that_resolve():
    known = sources()
    types = set()
    for entry in shipped():
        assert all(k in known for k in entry["sources"])
        assert entry["text_ru"] != entry["text_en"]
        types.add(entry["type"])
    assert types == set(Clause.Type.values)  # every type of clause the issue names is in the library
    assert {e["tier"] for e in shipped()} == {"lower", "heightened"}


def test_office_language_follows_the_country():
    assert office_language("TJK") == "ru" and office_language("KAZ") == "ru"
    assert office_language("GBR") == "en" and office_language("ARM") == "en"


def test_risk_picture_reads_the_reference_data():
    picture = risk_picture("garments_textiles", ["Bangladesh", "TJK", "nowhere"])
    assert [c.country for c in picture.countries] == ["BGD", "TJK"]
    bangladesh = picture.countries[0]
    assert any(g["good"] == "Garments" for g in bangladesh.listed_goods)
    assert bangladesh.tip_tier and bangladesh.governance is not None
    assert "labour_intensive" in picture.workforce_flags
    cleaning = risk_picture("cleaning", ["TJK"])
    assert cleaning.on_premises and cleaning.countries[0].listed_goods == ()


# --- criteria and gates, plain rules ---------------------------------------------------------------------


def C(kind, weight=None, social=False, guidance="scored 0 to 5 on the plan"):
    return rules.Criterion(
        kind, f"{kind} {weight}", Decimal(weight) if weight is not None else None, social, guidance
    )


def test_criteria_weights_add_up_and_the_social_minimum_holds():
    good = [C("selection", social=True), C("award", 60), C("award", 30), C("award", 10, social=True)]
    assert rules.problems(good, Decimal(10)) == []
    assert rules.social_weight(good) == 10
    low = [C("award", 95), C("award", 5, social=True)]
    assert rules.problems(low, Decimal(10)) == ["social criteria weigh 5%, below the policy minimum of 10%"]
    assert "award weights add up to 90%, not 100%" in rules.problems([C("award", 90)], None)
    assert any("carries no weight" in p for p in rules.problems([C("selection", 10), C("award", 100)], None))
    assert any(
        "how the social criterion is scored" in p for p in rules.problems([C("award", 100, True, "")], None)
    )


def test_a_stage_is_signed_off_in_order_with_its_checklist_and_decisions():
    def state(stage, done=True, decisions="decided to go ahead", signed=False):
        return gates.StageState(stage, ["a", "b"], {"a": done, "b": done}, decisions, signed)

    states = [state(s) for s in STAGES]
    facts = gates.Facts(clauses_chosen=1, briefings=1, annex_generated=True)
    assert gates.blockers(states, "market_research", facts) == []
    assert "sign off the earlier stage first: market research" in gates.blockers(states, "analysis", facts)
    states[0] = state("market_research", signed=True)
    assert gates.blockers(states, "analysis", facts) == []
    assert gates.blockers(states, "analysis", gates.Facts()) == [
        "choose at least one clause from the library"
    ]
    states[1] = state("analysis", done=False, decisions="", signed=False)
    assert gates.blockers(states, "analysis", facts) == [
        "checklist items not done: a, b",
        "write down the decisions taken at this stage",
    ]


# --- with the database -----------------------------------------------------------------------------------


@pytest.fixture
def world(db, monkeypatch):
    tj = office("tj", "TJK")
    screen_into(tj, register_table(3, prefix="T"), monkeypatch)
    focal = user("focal-tj", "focal_point", "tj")
    buyer = user("buyer-tj", "procurement_officer", "tj")
    services.load_wage_floors(__import__("csv").DictReader(io.StringIO(FLOORS)), "floors.csv", "test")
    return tj, focal, buyer


def texts(word):
    return {
        "en": {"title": f"Payroll access {word}", "text": f"The buyer may see payroll records ({word})."},
        "ru": {
            "title": f"Доступ к ведомостям {word}",
            "text": f"Заказчик вправе видеть платёжные ведомости ({word}).",
        },
    }


def test_a_signed_contract_keeps_showing_version_2_after_version_3_is_approved(world, client):
    tj, focal, buyer = world
    clause = clauses.add_clause(focal, key="payroll-access", type="audit_monitoring", tier="heightened",
                                categories=["cleaning"], texts=texts("v1"), source_note="our legal office")  # fmt: skip
    with pytest.raises(ValueError, match="no approved version"):
        services.choose_clause(
            services.create_dossier(tj, buyer, title="x", category="cleaning"), clause, buyer
        )
    clauses.approve(clause.versions.get(number=1), focal)
    clauses.approve(clauses.draft_version(clause, focal, texts("v2"), "wider access"), focal)
    contract = tj.contracts.first()
    dossier = services.create_dossier(
        tj, buyer, title="office cleaning", category="cleaning", contract=contract
    )
    services.choose_clause(dossier, clause, buyer)
    for record in dossier.stage_records():
        record.signed_off_at, record.signed_off_by = dt.datetime(2026, 5, 1, tzinfo=dt.UTC), focal
        record.save()
    services.sign_contract(dossier, buyer, signed_on=dt.date(2026, 5, 2))

    v3 = clauses.draft_version(clause, focal, texts("v3"), "site visits too")
    clauses.approve(v3, focal)
    assert clause.current().number == 3
    client.force_login(buyer)
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert 'data-clause="payroll-access">2<' in page and "Payroll access v2" in page
    assert "Payroll access v3" not in page
    with pytest.raises(ValueError, match="contract is signed"):
        services.choose_clause(dossier, clause, buyer)  # a signed dossier cannot move to v3
    assert services.version_of(dossier, clause).number == 2


def test_versions_are_approved_once_and_never_out_of_order(world):
    _, focal, _ = world
    clause = Clause.objects.get(key="no-forced-labour")
    assert clause.current().number == 1 and clause.current().approver_name == "fairprocure"
    v2 = clauses.draft_version(clause, focal, texts("a"), "reworded")
    v3 = clauses.draft_version(clause, focal, texts("b"), "reworded again")
    assert clause.current().number == 1  # drafts are not used
    clauses.approve(v3, focal)
    with pytest.raises(ValueError, match="older than an approved version"):
        clauses.approve(v2, focal)
    with pytest.raises(ValueError, match="approved already"):
        clauses.approve(v3, focal)
    with pytest.raises(ValueError, match=r"title \(ru\)"):
        clauses.draft_version(clause, focal, {"en": texts("c")["en"]}, "no Russian")


def test_price_checks_use_the_binding_wage_floor_and_flag_bids_below_it(world):
    tj, _, buyer = world
    dossier = services.create_dossier(tj, buyer, title="office cleaning", category="cleaning")
    assert dossier.language == "ru" and dossier.heightened and dossier.social_minimum == 10
    # 6 × 160 h × 12 × (1000/160 = 6.25) = 72,000; +25% = 90,000; + 5,000 equipment, insurance, training
    roles = [{"name": "cleaner", "headcount": 6, "hours_per_month": 160}]
    other = {"equipment": 3000, "insurance": 1200, "training": 800}
    low = services.check_bid(dossier, buyer, bidder="Cheap LLC", price=80000, roles=roles, months=12,
                             contribution_rate=Decimal("0.25"), other_costs=other)  # fmt: skip
    high = services.check_bid(dossier, buyer, bidder="Fair LLC", price=99000, roles=roles, months=12,
                              contribution_rate=Decimal("0.25"), other_costs=other)  # fmt: skip
    assert low.lawful_cost == Decimal("95000.00") and low.below
    assert not high.below and high.currency == "TJS"
    assert "legal minimum" in low.inputs["wage_floor"]


def test_annex_holds_the_chosen_clauses_in_the_dossier_language(world):
    from fairprocure.web.documents import render_docx, render_pdf
    from fairprocure.web.tenders.annex_data import annex_for

    tj, _, buyer = world
    dossier = services.create_dossier(tj, buyer, title="office cleaning", category="cleaning")
    for key in ("no-forced-labour", "wages-and-contributions", "selection-declaration"):
        services.choose_clause(dossier, Clause.objects.get(key=key), buyer)
    services.add_starter_criteria(dossier, buyer)
    assert services.criteria_problems(dossier) == []
    doc = annex_for(dossier)
    text = doc.text()
    assert "Недопущение принудительного и кабального труда" in text
    assert "Заработная плата, рабочее время и социальные взносы" in text
    assert "План обеспечения трудовых прав" in text and "No forced labour" not in text
    # Part F names the questionnaire bidders answer in the supplier portal, by its title and version
    from fairprocure.web.questionnaires.services import ensure_default_template

    questionnaire = ensure_default_template()
    assert f"анкету «{questionnaire.title('ru')}» (версия {questionnaire.version})" in text
    pdf, docx = render_pdf(doc), render_docx(doc)
    assert read_pdf(pdf).count("кабального") >= 1
    assert "кабального" in read_docx(docx)


def test_plain_annex_parts_follow_the_clause_types():
    annex = Annex("en", "office cleaning", "Dushanbe", "Cleaning", True,
                  clauses=[AnnexClause("remediation", "remediation", "r", 2, "Remedy", "Pay back.", "EW-CC"),
                           AnnexClause("code_of_conduct", "code", "c", 1, "No forced labour", "None.", "OSCE-SC")],
                  criteria=[AnnexCriterion("award", "Price", "90", False, "lowest"),
                            AnnexCriterion("award", "Plan", "10", True, "0 to 5")], social_minimum="10")  # fmt: skip
    text = build(annex).text()
    assert text.index("Part A. Supplier Code of Conduct") < text.index("A.1 No forced labour")
    assert text.index("Part B. Contract conditions") < text.index("B.1 Remedy")
    assert "Plan (social) 10% 0 to 5" in text and "Part E. Supplier declaration" in text


def test_code_of_conduct_and_conditions_are_assembled_from_approved_clauses(world, client):
    _, focal, _ = world
    client.force_login(focal)
    response = client.get("/clauses/documents/code-of-conduct.docx?lang=ru")
    assert response.status_code == 200
    text = read_docx(response.content)
    assert "Кодекс поведения поставщиков" in text and "Запрет на взимание платы за трудоустройство" in text
    pdf = client.get("/clauses/documents/general-conditions.pdf?lang=en")
    assert pdf.status_code == 200 and "Graduated remedies" in read_pdf(pdf.content)


def read_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def read_docx(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)
