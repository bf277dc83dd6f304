"""Supplier registry, questionnaires, portal, status and supply chains, through the Django test client."""

from __future__ import annotations

import datetime as dt
import io
import json

import pyarrow as pa
import pytest

from fairprocure.schema import REGISTER_COLUMNS
from fairprocure.web.questionnaires import services
from fairprocure.web.questionnaires.models import Invitation, Response
from fairprocure.web.questionnaires.scoring import default_template, score
from fairprocure.web.suppliers import registry
from fairprocure.web.suppliers.evidence import write_csv
from fairprocure.web.suppliers.models import Supplier, SupplierName, SupplyChainNode
from web.workspace_helpers import PASSWORD, office, register_table, screen_into, user

GOOD_ANSWERS = {
    "policy": "yes", "recruitment_fees": "no", "identity_documents": "no", "written_contract": "yes",
    "minimum_wage": "yes", "wage_payment": "bank_on_time", "deductions": "no", "weekly_hours": "44",
    "overtime_voluntary": "yes", "free_to_leave": "yes", "social_contributions": "yes", "agency_share": "0",
    "subcontractors_disclosed": "yes", "grievance": "yes", "housing": "none", "social_audit": "recent_clean",
    "workers": "35", "comments": "Уборка офиса, 35 работников.",
}  # fmt: skip
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _spellings_table(prefix: str, names: list[str]) -> pa.Table:
    table = register_table(len(names), prefix=prefix)
    rows = table.to_pylist()
    for row, name in zip(rows, names, strict=True):
        row["supplier_name"] = name
    return pa.Table.from_pylist(rows, schema=table.schema).select(REGISTER_COLUMNS)


@pytest.fixture
def world(db, monkeypatch):
    a = office("A", "TJK")
    screen_into(
        a, _spellings_table("A", ["ООО «Чистый Дом»", "Chistyy Dom LLC", "Acme Security Ltd"]), monkeypatch
    )
    return a, user("buyer", "procurement_officer", "A"), user("focal", "focal_point", "A")


def test_spellings_of_one_supplier_are_filed_together_and_a_person_can_split_them(world):
    _, buyer, _ = world
    clean = SupplierName.objects.get(name="ООО «Чистый Дом»").supplier
    assert set(clean.spellings()) == {"ООО «Чистый Дом»", "Chistyy Dom LLC"}
    assert SupplierName.objects.get(name="Acme Security Ltd").supplier != clean
    new = registry.split(clean, ["Chistyy Dom LLC"], buyer)
    assert new.spellings() == ["Chistyy Dom LLC"] and clean.spellings() == ["ООО «Чистый Дом»"]
    merged = registry.merge(clean, new, buyer)
    assert set(merged.spellings()) == {"ООО «Чистый Дом»", "Chistyy Dom LLC"}
    assert Supplier.objects.get(pk=new.pk).current() == clean
    from fairprocure.web.audit.models import AuditEvent

    assert {"supplier.split", "supplier.merged"} <= set(AuditEvent.objects.values_list("action", flat=True))


def test_identifiers_are_unique_across_suppliers(world):
    _, buyer, _ = world
    clean = SupplierName.objects.get(name="Chistyy Dom LLC").supplier
    acme = SupplierName.objects.get(name="Acme Security Ltd").supplier
    registry.add_identifier(clean, "company", "TJ 0123-456", buyer)
    assert registry.supplier_by_identifier("company", "TJ0123456") == clean
    with pytest.raises(ValueError, match="merge"):
        registry.add_identifier(acme, "company", "tj 0123 456", buyer)


def test_status_moves_need_reasons_and_are_shown_on_the_supplier_lines_and_contracts(world, client):
    _, _, focal = world
    acme = SupplierName.objects.get(name="Acme Security Ltd").supplier
    with pytest.raises(ValueError, match="review date"):
        registry.suspend(acme, "Guards unpaid for two months.", "Back pay to every guard", None, focal)
    registry.suspend(
        acme, "Guards unpaid for two months.", "Back pay to every guard", dt.date(2026, 9, 1), focal
    )
    with pytest.raises(ValueError, match="cannot be suspended"):
        registry.suspend(acme, "Again, for the record.", "x", dt.date(2026, 9, 1), focal)
    client.force_login(focal)
    contract = acme_contract(acme)
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "suspended until reform" in page and "Guards unpaid" in page
    registry.reinstate(acme, "Back pay verified by interviews.", focal)
    assert Supplier.objects.get(pk=acme.pk).status == "active"


def _account(name: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def acme_contract(acme):
    from fairprocure.web.contracts.models import Contract

    return next(c for c in Contract.objects.all() if set(c.supplier_names) & set(acme.spellings()))


def _portal_flow(client, a, buyer, focal, mailbox):
    """Invite, accept by link, answer in Russian, upload, acknowledge, submit, review; returns the response."""
    clean = SupplierName.objects.get(name="Chistyy Dom LLC").supplier
    version = services.ensure_default_template()
    invitation, token, code = services.invite(
        clean,
        a,
        version,
        "services",
        "hr@chistyy-dom.example",
        buyer,
        language="ru",
        due=dt.date(2026, 12, 31),
    )
    assert len(mailbox) == 1 and code in mailbox[0].body and "Анкета" in mailbox[0].subject
    client.logout()
    page = client.get(f"/portal/invitations/{token}/")
    assert page.status_code == 200
    done = client.post(
        f"/portal/invitations/{token}/",
        {"accept": "1", "username": "chistyy", "email": "hr@chistyy-dom.example", "password": PASSWORD},
    )
    response = Response.objects.get(supplier=clean)
    assert done.status_code == 302 and done["Location"] == f"/portal/responses/{response.pk}/"
    up = io.BytesIO(PDF)
    up.name = "policy.pdf"
    client.post(
        "/portal/evidence/",
        {
            "response": response.pk,
            "question": "policy_file",
            "title": "Политика",
            "expires_on": "2027-06-30",
            "file": up,
        },
    )
    answers = dict(GOOD_ANSWERS, weekly_hours="52")  # a recommendation to acknowledge
    first = client.post(f"/portal/responses/{response.pk}/", {**answers, "submit": "1"}, follow=True)
    assert "Перед отправкой подтвердите" in first.content.decode()
    client.post(f"/portal/responses/{response.pk}/", {**answers, "ack_weekly_hours": "1", "submit": "1"})
    response.refresh_from_db()
    assert response.status == "submitted" and response.acknowledged == ["weekly_hours"]
    assert response.answers["comments"] == "Уборка офиса, 35 работников." and response.evidence.count() == 1
    client.logout()
    client.force_login(buyer)
    client.post(f"/questionnaires/responses/{response.pk}/", {"decision": "accept", "note": ""})
    response.refresh_from_db()
    assert response.status == "accepted"
    return clean, response, invitation


def test_invite_answer_once_review_and_the_evidence_the_screening_gets(world, client, mailoutbox, tmp_path):
    a, buyer, focal = world
    clean, response, _ = _portal_flow(client, a, buyer, focal, mailoutbox)
    # Answers given once are reused: a second office's invitation links to the same response.
    b = office("B", "ARM")
    _, _, _ = services.invite(
        clean,
        b,
        response.version,
        "services",
        "hr@chistyy-dom.example",
        user("buyer-b", "procurement_officer", "B"),
    )
    assert Invitation.objects.filter(office=b).get().response == response
    path = write_csv(tmp_path / "evidence.csv", today=dt.date(2026, 12, 1))
    rows = path.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "supplier,points,evidence,source,date"
    assert any("questionnaire v1, answered" in r for r in rows[1:])
    # The library reads it like any --supplier-evidence file: points below zero for good answers.
    from fairprocure.score.evidence import load_supplier_evidence

    loaded = load_supplier_evidence(path)
    items = loaded.by_supplier["chistyy dom"]
    assert any(i.points < 0 and i.source.startswith("questionnaire v1") for i in items)


def test_expired_evidence_unanswered_questionnaires_and_status_count_as_risk():
    from fairprocure.score.policy import SupplierWeights
    from fairprocure.web.suppliers.evidence import InvitationFacts, SupplierFacts, evidence_items

    today = dt.date(2026, 6, 1)
    facts = SupplierFacts(
        "Acme", "suspended", "guards unpaid", dt.date(2026, 9, 1),
        invitations=[InvitationFacts("A", "Labour rights", 1, dt.date(2026, 5, 1), None),
                     InvitationFacts("B", "Labour rights", 1, dt.date(2026, 5, 1), "draft"),
                     InvitationFacts("C", "Labour rights", 1, dt.date(2026, 7, 1), None)],
        evidence=[("Payroll", dt.date(2026, 1, 31)), ("Policy", dt.date(2027, 1, 1))],
    )  # fmt: skip
    w = SupplierWeights()
    points = sorted(i.points for i in evidence_items(facts, w, today))
    assert points == sorted([w.unanswered, w.incomplete, w.expired_evidence, w.suspended])


def test_the_default_questionnaire_scores_clean_and_poor_answers_apart():
    spec = default_template()
    clean = score(
        spec,
        "services",
        {**GOOD_ANSWERS, "weekly_hours": 44.0, "agency_share": 0.0, "payroll_file": [1], "policy_file": [2]},
    )
    assert clean.risk == 0 and not clean.red_flags and clean.complete
    poor = score(
        spec,
        "services",
        {
            **GOOD_ANSWERS,
            "recruitment_fees": "yes",
            "identity_documents": "yes",
            "weekly_hours": 70.0,
            "agency_share": 0.0,
        },
    )
    assert poor.risk > 20 and {f.indicator for f in poor.red_flags} >= {
        "debt bondage",
        "retention of identity documents",
        "excessive overtime",
    }
    assert score(spec, "goods", {}).risk == 100 and not score(spec, "goods", {}).complete
    goods_ids = {q["id"] for q in spec["questions"] if "goods" in q.get("applies", ["services", "goods"])}
    assert "factories_disclosed" in goods_ids and "social_contributions" not in goods_ids


def test_a_supplier_account_reaches_the_portal_and_nothing_else(world, client, mailoutbox):
    a, buyer, focal = world
    _portal_flow(client, a, buyer, focal, mailoutbox)
    client.logout()
    client.force_login(_account("chistyy"))
    assert client.get("/portal/").status_code == 200
    for internal in (
        "/dashboard/x",
        "/register/",
        "/contracts/",
        "/suppliers/",
        "/questionnaires/",
        "/kpis/",
        "/audit/",
        "/admin/",
    ):
        assert client.get(internal).status_code == 403, internal
    assert client.get("/api/lines").status_code == 403 and client.get("/api/suppliers").status_code == 403
    mine = client.get("/api/portal/questionnaires").json()
    assert len(mine) == 1 and mine[0]["status"] == "accepted"


def test_mobile_phone_contract_mapped_to_the_factory_with_a_dol_listed_component_flagged(world, client):
    from fairprocure.web.contracts.models import Contract
    from fairprocure.web.kpis.registry import REGISTRY

    a, buyer, _ = world
    contract = Contract.objects.filter(office=a).first()
    contract.high_risk = True
    contract.save()
    client.force_login(buyer)
    day = "2026-05-02"
    url = f"/suppliers/maps/{contract.pk}/"

    def add(**fields):
        client.post(url, {"outcome": "achieved", "disclosed_on": day, **fields})
        return SupplyChainNode.objects.order_by("-pk").first()

    phone = add(kind="contractor", name="Mobile Devices LLC", country="TJK", role="supplier of mobile phones")
    page = client.get(url).content.decode()
    assert 'data-level="contractor"' in page
    plant = add(
        parent=phone.pk,
        kind="factory",
        name="Shenzhen Assembly No. 3",
        country="CHN",
        good="Electronics",
        role="final assembly",
        final_assembly="on",
        osh_id="CN2019083099ABC",
    )
    add(
        parent=plant.pk,
        kind="component",
        name="Cobalt for battery cells",
        country="COD",
        good="Cobalt ore (heterogenite)",
    )
    page = client.get(url).content.decode()
    diagram = page[page.index("<svg") : page.index("</svg>")]
    assert 'data-level="components"' in page and "<script" not in diagram and "style=" not in diagram
    assert page.count('class="flagged"') == 2 and "Congo" in page and "CN2019083099ABC" in page
    data = client.get(f"/api/suppliers/maps/{contract.pk}").json()
    assert data["transparency"] == "components" and sum(bool(n["dol_list"]) for n in data["nodes"]) == 2
    measured = REGISTRY["contracts_mapped_to_factory"].compute(2026, [a])
    assert measured[a.pk].value == 1
    share = REGISTRY["high_risk_contracts_mapped"].compute(2026, [a])
    assert share[a.pk].value == 1 and share[a.pk].base == 1


def test_evidence_uploads_are_checked_and_served_to_their_supplier_only(world, client, mailoutbox):
    a, buyer, focal = world
    clean, response, _ = _portal_flow(client, a, buyer, focal, mailoutbox)
    evidence = response.evidence.get()
    assert not evidence.stored_path.startswith(str(__import__("django.conf").conf.settings.STATIC_ROOT))
    fake = io.BytesIO(b"<html>not a pdf</html>")
    with pytest.raises(ValueError, match="not a real PDF"):
        services.upload_evidence(clean, fake, "x.pdf", "x", dt.date(2027, 1, 1), buyer)
    with pytest.raises(ValueError, match="PDF, PNG or JPEG"):
        services.upload_evidence(clean, io.BytesIO(b"MZ"), "x.exe", "x", dt.date(2027, 1, 1), buyer)
    client.logout()
    client.force_login(_account("chistyy"))
    assert client.get(f"/portal/evidence/{evidence.pk}/").status_code == 200
    other = SupplierName.objects.get(name="Acme Security Ltd").supplier
    theirs = services.upload_evidence(
        other, io.BytesIO(PDF), "p.pdf", "Acme policy", dt.date(2027, 1, 1), buyer
    )
    assert client.get(f"/portal/evidence/{theirs.pk}/").status_code == 403


def test_templates_are_versioned_and_listed_for_tenders(world):
    _, _, focal = world
    v1 = services.ensure_default_template()
    spec = json.loads(json.dumps(v1.spec))
    spec["questions"][0]["points"]["no"] = 8
    v2 = services.publish_version("labour-rights", spec, focal)
    assert v2.version == 2 and v1.spec["questions"][0]["points"]["no"] == 6
    listed = services.templates_for_tenders()
    assert listed == [{"slug": "labour-rights", "version": 2, "title": v2.spec["title"], "id": v2.pk}]


def test_transparency_levels_follow_every_branch():
    from fairprocure.web.suppliers.supply_chain import Node, transparency

    day = dt.date(2026, 5, 2)
    contractor = Node(1, None, "contractor", "PhoneCo", disclosed_on=day)
    agency = Node(2, 1, "labour_agency", "Agency", disclosed_on=day)
    assert transparency([]) == "none"
    assert transparency([contractor]) == "contractor"
    assert transparency([contractor, agency]) == "subcontractors"
    plant = Node(3, 1, "factory", "Plant", "CHN", "Electronics", final_assembly=False, disclosed_on=day)
    assert transparency([contractor, plant]) == "subcontractors"  # no factory of final production named
    final = Node(3, 1, "factory", "Plant", "CHN", "Electronics", final_assembly=True, disclosed_on=day)
    assert transparency([contractor, final]) == "factory"
    hidden = Node(4, 1, "subcontractor", "Unknown sub")  # a branch that stops before any factory
    assert transparency([contractor, final, hidden]) == "contractor"
    shown = Node(4, 1, "subcontractor", "Sub", outcome="due_diligence")
    site = Node(5, 4, "site", "Workshop", "VNM", final_assembly=False, disclosed_on=day)
    assert transparency([contractor, final, shown, site]) == "factory"
    agency = Node(6, 1, "labour_agency", "Agency", outcome="due_diligence")  # workers, not goods
    assert transparency([contractor, final, agency]) == "factory"


def test_status_moves_are_checked():
    from fairprocure.web.suppliers.status import check_move, review_overdue

    assert (
        check_move("suspend", "active", "Wages unpaid for months.", "back pay", dt.date(2026, 9, 1))
        == "suspended"
    )
    assert check_move("exclude", "suspended", "No reform after the review.") == "excluded"
    with pytest.raises(ValueError, match="cannot be active"):
        check_move("reinstate", "active", "Nothing to reinstate here.")
    with pytest.raises(ValueError, match="reason"):
        check_move("exclude", "active", "short")
    with pytest.raises(ValueError, match="reform required"):
        check_move("suspend", "active", "Wages unpaid for months.", "", dt.date(2026, 9, 1))
    assert review_overdue("suspended", dt.date(2026, 1, 1), dt.date(2026, 2, 1))


def test_suspended_supplier_is_shown_on_its_register_lines(world, client):
    _, _, focal = world
    acme = SupplierName.objects.get(name="Acme Security Ltd").supplier
    registry.suspend(
        acme, "Guards unpaid for two months.", "Back pay to every guard", dt.date(2026, 9, 1), focal
    )
    client.force_login(focal)
    table = client.get("/register/?q=Acme").content.decode()
    assert "status-suspended" in table and "2026-09-01" in table
    from fairprocure.web.register.models import Line

    line = Line.objects.get(supplier_name="Acme Security Ltd", current=True)
    assert "status-suspended" in client.get(f"/register/lines/{line.pk}/").content.decode()
    assert "status-suspended" not in client.get("/register/?q=Chistyy").content.decode()


def test_reminders_go_to_suppliers_who_have_not_answered(world, mailoutbox):
    from django.utils import timezone

    a, buyer, _ = world
    clean = SupplierName.objects.get(name="Chistyy Dom LLC").supplier
    version = services.ensure_default_template()
    today = timezone.now().date()
    invitation, _, old_code = services.invite(
        clean, a, version, "services", "hr@chistyy-dom.example", buyer, due=today + dt.timedelta(days=3)
    )
    assert services.due_reminders(today, 7) == [invitation]
    assert services.due_reminders(today, 1) == []
    new_code = services.remind(invitation, "cli")
    assert len(mailoutbox) == 2 and "Reminder" in mailoutbox[1].subject and new_code in mailoutbox[1].body
    assert Invitation.find(code=old_code) is None and Invitation.find(code=new_code) == invitation
    response = Response.objects.create(
        supplier=clean, version=version, variant="services", status="submitted"
    )
    invitation.response = response
    invitation.save()
    assert services.due_reminders(today, 7) == []


def test_a_weak_password_is_refused_with_a_message_not_an_error(world, client):
    a, buyer, _ = world
    clean = SupplierName.objects.get(name="Chistyy Dom LLC").supplier
    _, token, _ = services.invite(clean, a, services.ensure_default_template(), "goods", "a@b.example", buyer)
    page = client.post(
        f"/portal/invitations/{token}/",
        {"accept": "1", "username": "chistyy", "email": "a@b.example", "password": "password12"},
        follow=True,
    )
    assert page.status_code == 200 and "too common" in page.content.decode()
    assert not Response.objects.filter(supplier=clean).exists()
