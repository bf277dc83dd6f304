"""The review queue and classification decisions (issue 9 item 6), without a browser.

Uploads are screened by the real library (ingest, identity, classification by decisions, scoring) with
the text model replaced by a small deterministic stand-in: "service support" is ambiguous (needs
review: health care 40 %, consulting 35 %), "widget" unreadable, cleaning sure.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from fairprocure.classify.model import NEAREST, UNUSABLE, Candidate, TextPrediction
from fairprocure.screening import screen
from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.register.models import Line
from fairprocure.web.review import services, training
from fairprocure.web.review.models import CategoryDecision, TrainingRun
from fairprocure.web.review.rescore import factor_points
from web.workspace_helpers import office, user

HEADER = "Supplier,Description,Amount,Currency,Date\n"
LEDGER = HEADER + (
    "Acme Services,service support,1000,EUR,2025-01-10\n"
    "Acme Services,Service  Support,500,EUR,2025-01-11\n"
    "Beta Ltd,service support,2000,EUR,2025-01-12\n"
    "Clean Co,office cleaning services,800,EUR,2025-01-13\n"
    "Gamma GmbH,widget,300,EUR,2025-01-14\n"
    "Gamma GmbH,blue widget sprocket,4000,EUR,2025-01-15\n"
)


def reading(text: str):
    """The stand-in text model."""
    t = (text or "").lower()
    if "clean" in t:
        said = NEAREST(cpv="90910000", label="Cleaning services", similarity=0.9, terms=["cleaning"])
        return TextPrediction("90910000", "cleaning", 0.95, said, (Candidate("90910000", "cleaning", 0.95),))
    if "support" in t or "sprocket" in t:
        said = NEAREST(cpv="85000000", label="Health services", similarity=0.3, terms=["support"])
        candidates = (
            Candidate("85000000", "health_social_care", 0.4),
            Candidate("79400000", "consulting", 0.35),
        )
        return TextPrediction("85000000", "health_social_care", 0.4, said, candidates)
    return UNUSABLE


def classifier(texts):
    return [reading(t) for t in texts]


@pytest.fixture
def engine(monkeypatch):
    """Screen uploads with the library and the stand-in model; count the decisions each screening got."""
    from fairprocure.web.screenings import engine as web_engine

    seen = []

    def screen_file(path, progress, stream=False, workdir=None, **options):  # as the job calls it
        seen.append(options)
        decisions = options.get("decisions")
        result = screen([path], classifier=classifier, decisions=decisions, stream=False, progress=progress)
        return result.register, list(result.problems), dict(result.quality)

    monkeypatch.setattr(web_engine, "screen_file", screen_file)
    monkeypatch.setattr(training, "classifier_for", lambda organisation: classifier)
    return seen


def upload(office_obj, text: str = LEDGER, name: str = "export.csv"):
    from fairprocure.web.screenings.jobs import run_pending
    from fairprocure.web.screenings.uploads import accept

    screening, _ = accept(io.BytesIO(text.encode()), name, office_obj, "test")
    run_pending()
    screening.refresh_from_db()
    assert screening.status == "done", screening.message
    return screening


@pytest.fixture
def world(db, engine):
    a, b = office("A", "ARM"), office("B", "TJK")
    upload(a)
    upload(b)
    return {
        "A": a,
        "B": b,
        "focal": user("focal", "focal_point", "A"),
        "focal_all": user("focal-all", "focal_point", "A", all_offices=True),
    }


def current(office_obj, **filters):
    return Line.objects.filter(office=office_obj, current=True, **filters)


def support_lines(office_obj):
    return [line for line in current(office_obj) if "support" in line.description.lower()]


def test_the_queue_groups_spellings_and_orders_by_spend(world):
    items = services.queue([world["A"]])
    assert [i.text.lower() for i in items] == ["blue widget sprocket", "service support", "widget"]
    support = items[1]
    assert support.lines == 3 and support.spend_eur == 3500.0
    assert len(support.spellings) == 2  # "service support" and "Service  Support"
    assert [(c.category, c.probability) for c in support.candidates] == [
        ("health_social_care", 0.4),
        ("consulting", 0.35),
    ]
    assert items[2].candidates == []  # unclassified: nothing usable in the text, still decidable
    assert all("clean" not in i.text for i in items)  # sure: not in the queue
    by_supplier = services.queue([world["A"]], by="supplier")
    assert [(i.text, i.lines, i.spend_eur) for i in by_supplier] == [
        ("Gamma GmbH", 2, 4300.0),
        ("Beta Ltd", 1, 2000.0),
        ("Acme Services", 2, 1500.0),
    ]
    gamma = by_supplier[0]
    assert gamma.candidates[0].category == "health_social_care"  # its sprocket line's reading, by spend


def test_one_decision_classifies_every_matching_line_of_the_office_now(world):
    a, b = world["A"], world["B"]
    before = {line.pk: line.risk_score for line in support_lines(a)}
    decision = services.decide(
        world["focal"],
        a,
        description="service support",
        category="consulting",
        cpv="79400000",
        note="IT helpdesk",
    )
    assert decision.lines == 3 and decision.spend_eur == 3500.0
    for line in support_lines(a):
        assert line.category == "consulting" and line.classification_status == "decision"
        assert line.cpv == "79400000" and line.cpv_source == "decision" and line.category_confidence == 1.0
        assert line.category_candidates == ""
        assert (
            "decided by a person" in line.classification_evidence
            and "IT helpdesk" in line.classification_evidence
        )
        assert abs(sum(factor_points(line).values()) - line.risk_score) < 0.011  # still exactly explained
        assert "category_candidate" not in factor_points(line)  # full points of the decided category
    assert any(before[line.pk] != line.risk_score for line in support_lines(a))
    # Office B is untouched; so is the other description
    assert all(line.classification_status == "needs_review" for line in support_lines(b))
    assert current(a, description="blue widget sprocket").get().classification_status == "needs_review"
    assert [i.text for i in services.queue([a])] == ["blue widget sprocket", "widget"]
    event = AuditEvent.objects.get(action="classification.decided")
    assert event.actor == "focal" and event.office == a
    assert event.target.startswith("'service support' → ") and event.target.endswith("for office A")
    assert event.details["lines"] == 3


def test_a_decision_survives_a_new_screening_and_a_code_beats_it(world, engine):
    a = world["A"]
    services.decide(world["focal"], a, description="service support", category="consulting")
    coded = HEADER.replace("Date", "Date,CPV") + "Acme Services,service support,700,EUR,2025-02-10,85100000\n"
    upload(a, LEDGER.replace("2025-01", "2025-02"), name="february.csv")
    assert engine[-1]["decisions"].endswith("decisions.csv")  # the job passed the decisions in force
    february = Line.objects.filter(office=a, current=True, date__month=2, description__icontains="support")
    assert february.count() == 3
    assert {line.category for line in february} == {"consulting"}
    assert {line.classification_status for line in february} == {"decision"}
    upload(a, coded, name="coded.csv")
    line = Line.objects.get(office=a, current=True, value=700)
    assert line.classification_status == "source" and line.category == "health_social_care"


def test_organisation_wide_decisions_and_an_office_s_own_decision_wins(world):
    a, b = world["A"], world["B"]
    services.decide(
        world["focal_all"], a, organisation_wide=True, description="service support", category="consulting"
    )
    assert {line.category for line in support_lines(a) + support_lines(b)} == {"consulting"}
    services.decide(world["focal"], b, description="service support", category="it_services")
    assert {line.category for line in support_lines(b)} == {"it_services"}
    assert {line.category for line in support_lines(a)} == {"consulting"}
    event = AuditEvent.objects.filter(action="classification.decided").order_by("pk").first()
    assert event.target.endswith("for the whole organisation") and event.office is None


def test_a_supplier_decision_and_the_more_specific_description_wins(world):
    a = world["A"]
    services.decide(world["focal"], a, supplier="GAMMA gmbh", category="vehicles_machinery")
    gamma = list(current(a, supplier_name="Gamma GmbH"))
    assert {line.category for line in gamma} == {"vehicles_machinery"}  # "widget" too: it had nothing usable
    services.decide(world["focal"], a, description="blue widget sprocket", category="minerals_metals")
    assert current(a, description="blue widget sprocket").get().category == "minerals_metals"
    assert current(a, description="widget").get().category == "vehicles_machinery"


def test_a_new_decision_replaces_the_old_and_withdrawing_returns_the_text_reading(world):
    a = world["A"]
    first = services.decide(world["focal"], a, description="service support", category="consulting")
    second = services.decide(world["focal"], a, description="SERVICE support", category="it_services")
    first.refresh_from_db()
    assert not first.in_force and first.ended_how == "replaced" and second.in_force
    assert {line.category for line in support_lines(a)} == {"it_services"}
    services.withdraw(world["focal"], second)
    lines = support_lines(a)
    assert {line.classification_status for line in lines} == {"needs_review"}
    assert {line.category for line in lines} == {"health_social_care"}
    assert "category_candidate" in factor_points(lines[0])
    assert AuditEvent.objects.filter(action="classification.withdrawn").count() == 1
    with pytest.raises(services.DecisionError):
        services.withdraw(world["focal"], second)


def test_bad_decisions_are_refused_in_words(world):
    a = world["A"]
    with pytest.raises(services.DecisionError, match="description or a supplier"):
        services.decide(world["focal"], a, description="  ", category="consulting")
    with pytest.raises(services.DecisionError, match="not a category"):
        services.decide(world["focal"], a, description="x", category="nonsense")
    with pytest.raises(services.DecisionError, match="not a CPV code"):
        services.decide(world["focal"], a, description="x", cpv="12")
    assert not CategoryDecision.objects.exists()


def test_the_exported_file_is_the_cli_s_decision_file(world, tmp_path):
    a = world["A"]
    services.decide(world["focal"], a, description="service support", category="consulting", cpv="79400000")
    services.decide(
        world["focal"], a, supplier="Gamma GmbH", category="vehicles_machinery", note="spare parts"
    )
    path = tmp_path / "decisions.csv"
    path.write_text(services.export_csv(services.in_force(a)), encoding="utf-8")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["description"] == "service support" and rows[1]["supplier"] == "Gamma GmbH"
    ledger = tmp_path / "export.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    register = screen([ledger], classifier=classifier, decisions=path).register.to_pylist()
    web = {(line.description, line.supplier_name): line.category for line in current(a)}
    assert {(r["description"], r["supplier_name"]): r["category"] for r in register} == web


def test_importing_a_decision_file_takes_all_rows_or_none(world):
    a = world["A"]
    good = "description,supplier,cpv,category,note\nservice support,,79400000,,\n,Gamma GmbH,,vehicles_machinery,\n"
    bad = good + "widget,,,nonsense,\n"
    with pytest.raises(services.DecisionError, match=r"bad\.csv, row 4, column 'category'"):
        services.import_file(world["focal"], a, bad.encode(), "bad.csv")
    assert not CategoryDecision.objects.exists()
    assert services.import_file(world["focal"], a, good.encode(), "good.csv") == 2
    assert {line.category for line in support_lines(a)} == {"consulting"}
    assert {line.category for line in current(a, supplier_name="Gamma GmbH")} == {"vehicles_machinery"}
    event = AuditEvent.objects.get(action="classification.imported")
    assert event.target == "2 decisions from good.csv, for office A" and event.details["lines"] == 5


def test_retraining_learns_the_decided_descriptions_and_later_screenings_use_the_model(
    world, engine, settings
):
    from fairprocure.classify.data import cpv_label_examples

    a = world["A"]
    base = [e for e in cpv_label_examples() if e.lang == "en"]  # a small base: a full build takes minutes
    jargon = [  # an office's own words for its IT helpdesk contract, 45 distinct descriptions
        f"{when} {what} {how}"
        for when in ("monthly", "annual", "weekly")
        for what in ("helpdesk", "ticketing", "deskside", "tier two", "service desk")
        for how in ("support", "assistance", "cover")
    ]
    for text in jargon:
        services.decide(
            world["focal"], a, description=text, category="consulting", cpv="79400000", apply_now=False
        )
    run = training.start(a.organisation, world["focal_all"], background=False, base_examples=lambda: base)
    run.refresh_from_db()
    assert run.status == TrainingRun.Status.DONE, run.message
    assert run.in_use and run.examples == 45 and run.held_out > 0
    assert run.accuracy_after > run.accuracy_before
    assert training.model_path(a.organisation) == settings.HOME / run.model_file
    assert AuditEvent.objects.filter(action="classification.retrained").exists()
    upload(a, LEDGER.replace("2025-01", "2025-03"), name="march.csv")
    assert engine[-1]["model"] == str(settings.HOME / run.model_file)
    training.stop_using(a.organisation, world["focal_all"])
    assert training.model_path(a.organisation) is None


def test_the_pages_decide_export_and_import_through_the_forms(world, client):
    a = world["A"]
    client.force_login(world["focal"])
    page = client.get("/review/?office=A").content.decode()
    assert "service support" in page and "40%" in page and "35%" in page
    response = client.post(
        "/review/decide/",
        {"office": "A", "kind": "description", "text": "service support", "choice": "consulting|79400000"},
    )
    assert response.status_code == 302
    assert {(line.category, line.cpv) for line in support_lines(a)} == {("consulting", "79400000")}
    after = client.get("/review/?office=A").content.decode()
    assert "(lines classified: 3)" in after and 'data-key="service support"' not in after
    # another category than the candidates, by supplier
    client.post(
        "/review/decide/",
        {"office": "A", "kind": "supplier", "text": "Gamma GmbH", "category": "it_services"},
    )
    assert {line.category for line in current(a, supplier_name="Gamma GmbH")} == {"it_services"}
    exported = client.get("/review/decisions.csv?office=A").content.decode()
    header = "description,supplier,cpv,category,note,learned_from,scope,decided_by,decided_at"
    assert exported.splitlines()[0] == header
    assert "service support,,79400000,consulting,,,office A,focal," in exported
    decisions_page = client.get("/review/decisions/?office=A").content.decode()
    assert "Gamma GmbH" in decisions_page and "Withdraw" in decisions_page
    # a focal point of one office may not decide for the whole organisation
    refused = client.post(
        "/review/decide/",
        {
            "office": "A",
            "kind": "description",
            "text": "widget",
            "category": "it_services",
            "scope": "organisation",
        },
    )
    assert refused.status_code == 403
    upload = io.BytesIO(b"description,category\nwidget,vehicles_machinery\n")
    upload.name = "more.csv"
    client.post("/review/decisions/import/", {"office": "A", "file": upload})
    # the description decision is more specific than the supplier's: it wins for that line only
    assert current(a, description="widget").get().category == "vehicles_machinery"
    assert current(a, description="blue widget sprocket").get().category == "it_services"
    model_page = client.get("/review/model/?office=A").content.decode()
    assert "shipped with fairprocure" in model_page


def test_the_review_pages_are_all_russian(world, client):
    from web.test_dashboard import visible_text

    client.force_login(world["focal_all"])
    services.decide(world["focal_all"], world["A"], supplier="Gamma GmbH", category="it_services", note="ИТ")
    client.post("/i18n/setlang/", {"language": "ru", "next": "/review/"})
    english = re.compile(
        r"\b(the|of|and|lines?|decision|queue|model|office|supplier|review|classif\w*)\b", re.I
    )
    for url in (
        "/review/?office=A",
        "/review/?office=A&by=supplier",
        "/review/decisions/?office=A",
        "/review/model/?office=A",
    ):
        text = visible_text(client.get(url).content.decode())
        data = {
            "Office A",
            "Office B",
            "service support",
            "blue widget sprocket",
            "Gamma GmbH",
            "Acme Services",
            "Beta Ltd",
            "widget",
        }
        data.add("description и/или supplier")  # the decision file's column names stay as the file has them
        for word in data:
            text = text.replace(word, "")
        assert not english.findall(text.split("fairprocure", 1)[-1]), (url, english.findall(text))


MARCH = HEADER + (
    "Gamma GmbH,support sprocket gear,900,EUR,2025-03-01\n"  # the text model is not sure
    "Gamma GmbH,quarterly retainer,100,EUR,2025-03-02\n"  # nothing usable in the text
    "Gamma GmbH,office cleaning services,50,EUR,2025-03-03\n"  # sure: cleaning
    "Beta Ltd,quarterly retainer,10,EUR,2025-03-04\n"  # another supplier
)


def test_a_supplier_s_decided_descriptions_teach_the_office_s_supplier_memory(world, engine):
    from fairprocure.web.review.memory import learn

    a, b, focal = world["A"], world["B"], world["focal"]
    upload(a, MARCH, name="march.csv")
    services.decide(focal, a, description="widget", category="vehicles_machinery")
    assert learn(a) == {}  # one decided description: nothing remembered yet
    second = services.decide(focal, a, description="blue widget sprocket", category="vehicles_machinery")
    [gamma] = learn(a).values()
    assert (gamma.supplier, gamma.category, gamma.learned_from) == ("Gamma GmbH", "vehicles_machinery", 2)
    assert learn(b) == {}  # an office's decisions teach only its own memory

    def march(description, supplier="Gamma GmbH"):
        return current(a, description=description, supplier_name=supplier, date__month=3).get()

    # now: the supplier's March lines the text model was not sure about are filed under its category
    for text in ("support sprocket gear", "quarterly retainer"):
        line = march(text)
        assert (line.category, line.classification_status) == ("vehicles_machinery", "decision")
        assert "remembered from people's decisions on 2 descriptions" in line.classification_evidence
        assert abs(sum(factor_points(line).values()) - line.risk_score) < 0.011
    assert (
        march("office cleaning services").category,
        march("office cleaning services").classification_status,
    ) == (
        "cleaning",
        "sure",
    )
    assert march("quarterly retainer", "Beta Ltd").classification_status == "unclassified"
    assert "quarterly retainer" in [i.text for i in services.queue([a])]  # Beta's line still waits
    event = AuditEvent.objects.get(action="classification.remembered")
    assert (
        event.actor == "supplier memory" and "Gamma GmbH → " in event.target and event.details["lines"] == 2
    )
    # and in later screenings: the job's decision file carries the memory
    upload(a, MARCH.replace("2025-03", "2025-04"), name="april.csv")
    april = current(a, date__month=4, supplier_name="Gamma GmbH", classification_status="decision")
    assert {line.description for line in april} == {"support sprocket gear", "quarterly retainer"}
    # withdrawing a decision it learned from: the memory is gone, its lines go back to the text reading
    services.withdraw(focal, second)
    assert learn(a) == {}
    assert march("support sprocket gear").classification_status == "needs_review"
    assert march("quarterly retainer").classification_status == "unclassified"


def test_a_retrained_model_that_does_worse_on_held_out_decisions_is_kept_out_of_use(world, monkeypatch):
    from fairprocure.web.review import retrain

    a = world["A"]
    services.decide(world["focal"], a, description="service support", category="consulting", apply_now=False)

    def worse(decisions_csv, out, base_examples=None):
        out.write_bytes(b"not a model")
        return {"examples": 30, "held_out": 6, "accuracy_before": 0.5, "accuracy_after": 1 / 3, "seconds": 1}

    monkeypatch.setattr(retrain, "retrain", worse)
    run = training.start(a.organisation, world["focal_all"], background=False)
    run.refresh_from_db()
    assert run.status == TrainingRun.Status.DONE and run.kept_out and not run.in_use
    assert training.model_path(a.organisation) is None  # screenings keep the shipped model
    event = AuditEvent.objects.get(action="classification.retrained")
    assert "not put in use" in event.target and "50% right before, 33% after" in event.target


def test_an_organisation_s_boilerplate_is_not_learned():
    from fairprocure.classify.data import Example
    from fairprocure.web.review.retrain import boilerplate, lessons

    titles = [
        ("United Kingdom-London: Legal services", "legal"),
        ("United Kingdom-York: Higher education services", "education_training"),
        ("United Kingdom-Leeds: Pest-control services", "cleaning"),
        ("United Kingdom-Bath: Canteen and catering services", "catering"),
        ("Office cleaning", "cleaning"),
        ("Window cleaning", "cleaning"),
        ("Cleaning of offices", "cleaning"),
        ("Legal advice", "legal"),
        ("Catering for the staff canteen", "catering"),
        ("Hot meals", "catering"),
    ]
    decided = [(Example(t, "79100000", "", "user"), c) for t, c in titles]
    assert {"united", "kingdom", "services"} <= boilerplate(decided)
    assert "cleaning" not in boilerplate(decided)  # most of its descriptions are one category
    assert lessons(decided)[0].text == "london legal"
