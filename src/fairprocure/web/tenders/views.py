"""Tender pages: the dossiers, a dossier, one stage, the annex files, wage floors."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fairprocure.classify.taxonomy import load_taxonomy
from fairprocure.web.accounts.permissions import (
    Action,
    allowed,
    authorize,
    office_in_scope,
    requires,
    visible_offices,
)
from fairprocure.web.audit.log import record
from fairprocure.web.clauses.models import Clause
from fairprocure.web.contracts.models import Contract
from fairprocure.web.documents import document_response
from fairprocure.web.labels import CATEGORY_LABELS
from fairprocure.web.tenders import services
from fairprocure.web.tenders.annex_data import annex_for
from fairprocure.web.tenders.guidance import STAGES, guide
from fairprocure.web.tenders.market import risk_picture
from fairprocure.web.tenders.models import Attachment, Dossier, WageFloorRow

ROLE_ROWS = 3


def _dossier(request, pk: int, action: Action = Action.VIEW) -> Dossier:
    item = get_object_or_404(Dossier.objects.select_related("office", "contract"), pk=pk)
    authorize(request.user, action, item.office)
    return item


def _decimal(value, what: str) -> Decimal:
    try:
        return Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{what}: {value!r} is not a number") from None


@requires(Action.VIEW)
def dossiers(request):
    office = office_in_scope(request.user, request.GET.get("office"))
    offices = visible_offices(request.user)
    found = Dossier.objects.filter(office__in=[office] if office else offices).select_related("office")
    act_offices = visible_offices(request.user, Action.ACT)
    if request.method == "POST":
        if "wage_floors" in request.POST:
            authorize(request.user, Action.LIBRARY)
            upload = request.FILES.get("file")
            try:
                if upload is None:
                    raise ValueError("choose a CSV file")
                text = upload.read().decode("utf-8-sig")
                n = services.load_wage_floors(csv.DictReader(io.StringIO(text)), upload.name, request.user)
                messages.success(request, _("%(n)s wage floors loaded.") % {"n": n})
            except (ValueError, UnicodeDecodeError) as error:
                messages.error(request, str(error))
            return redirect("tenders")
        target = get_object_or_404(act_offices, code=request.POST.get("office"))
        authorize(request.user, Action.ACT, target)
        contract = None
        if request.POST.get("contract"):
            contract = get_object_or_404(Contract, pk=request.POST["contract"], office=target)
        try:
            item = services.create_dossier(
                target,
                request.user,
                title=request.POST.get("title", ""),
                category=request.POST.get("category", ""),
                countries=[
                    c for c in request.POST.get("countries", "").replace(";", ",").split(",") if c.strip()
                ],
                contract=contract,
                language=request.POST.get("language", ""),
                estimated_value=request.POST.get("estimated_value") or None,
                currency=request.POST.get("currency", ""),
            )
            return redirect("tender", pk=item.pk)
        except ValueError as error:
            messages.error(request, str(error))
    return render(
        request,
        "tenders/list.html",
        {
            "dossiers": found[:500],
            "offices": offices,
            "office": office,
            "act_offices": act_offices,
            "categories": sorted(CATEGORY_LABELS.items(), key=lambda i: str(i[1])),
            "contracts": Contract.objects.filter(office__in=act_offices).select_related("office")[:300],
            "wage_floors": WageFloorRow.objects.all(),
            "can_load_floors": allowed(request.user, Action.LIBRARY),
        },
    )


def _role_rows(post) -> list[dict]:
    rows = []
    for i in range(ROLE_ROWS):
        if not post.get(f"role{i}_headcount"):
            continue
        rows.append(
            {
                "name": post.get(f"role{i}_name") or f"role {i + 1}",
                "headcount": _decimal(post[f"role{i}_headcount"], f"role {i + 1}, headcount"),
                "hours_per_month": _decimal(
                    post.get(f"role{i}_hours") or 0, f"role {i + 1}, hours per month"
                ),
                "overtime_hours_per_month": _decimal(
                    post.get(f"role{i}_overtime") or 0, f"role {i + 1}, overtime"
                ),
                "overtime_premium": _decimal(post.get(f"role{i}_premium") or 0, f"role {i + 1}, premium")
                / 100,
                "hourly_wage": _decimal(post.get(f"role{i}_wage") or 0, f"role {i + 1}, wage"),
            }
        )
    return rows


def _post(request, item: Dossier):
    """The dossier page's forms, one button name each."""
    p = request.POST
    user = request.user
    if "sign_contract" in p:
        contract = (
            get_object_or_404(Contract, pk=p["contract"], office=item.office) if p.get("contract") else None
        )
        services.sign_contract(
            item,
            user,
            signed_on=dt.date.fromisoformat(p.get("signed_on") or str(timezone.localdate())),
            contract=contract,
        )
        return _("Contract signature recorded; the chosen clause versions are frozen.")
    if "choose" in p:
        services.choose_clause(item, get_object_or_404(Clause, key=p["choose"]), user)
        return _("Clause added.")
    if "update_clause" in p:
        services.choose_clause(item, get_object_or_404(Clause, key=p["update_clause"]), user)
        return _("Clause moved to its current version.")
    if "drop" in p:
        services.drop_clause(item, get_object_or_404(Clause, key=p["drop"]), user)
        return _("Clause removed.")
    if "starter_criteria" in p:
        n = services.add_starter_criteria(item, user)
        return _("%(n)s criteria added.") % {"n": n}
    if "save_criterion" in p:
        criterion = (
            get_object_or_404(item.criteria, pk=p["save_criterion"]) if p["save_criterion"] != "new" else None
        )
        weight = p.get("weight", "").strip()
        services.save_criterion(
            item,
            user,
            criterion,
            kind=p.get("kind", "award"),
            title_en=p.get("title_en", "").strip(),
            title_ru=p.get("title_ru", "").strip(),
            weight=_decimal(weight, "weight") if weight else None,
            social=bool(p.get("social")),
            guidance_en=p.get("guidance_en", "").strip(),
            guidance_ru=p.get("guidance_ru", "").strip(),
        )
        return _("Criterion saved.")
    if "delete_criterion" in p:
        services.delete_criterion(get_object_or_404(item.criteria, pk=p["delete_criterion"]), user)
        return _("Criterion removed.")
    if "check_bid" in p:
        other = {}
        for key, label in (
            ("equipment", "equipment and materials"),
            ("insurance", "liability insurance"),
            ("training", "training"),
            ("other", "other costs of the work"),
        ):
            if p.get(key):
                other[label] = _decimal(p[key], label)
        check = services.check_bid(
            item,
            user,
            bidder=p.get("bidder", ""),
            price=_decimal(p.get("price") or "", "price"),
            roles=_role_rows(p),
            months=_decimal(p.get("months") or "", "months"),
            contribution_rate=_decimal(p.get("contributions") or 0, "employer contributions") / 100,
            other_costs=other,
        )
        if check.below:
            return _("Flagged: the price is below the lawful cost of its labour.")
        return _("The price covers the lawful cost of its labour.")
    if "briefing" in p:
        services.record_briefing(
            item,
            user,
            date=dt.date.fromisoformat(p.get("briefing_date") or ""),
            participants=int(p.get("participants") or 0),
            roles=p.getlist("participant_roles"),
            summary=p.get("summary", ""),
            suppliers=[s.strip() for s in p.get("suppliers", "").splitlines() if s.strip()],
        )
        return _("Pre-tender briefing recorded as an engagement activity.")
    raise ValueError("unknown request")


@requires(Action.VIEW)
def dossier(request, pk: int):
    item = _dossier(request, pk)
    if request.method == "POST":
        authorize(request.user, Action.ACT, item.office)
        try:
            messages.success(request, _post(request, item))
        except ValueError as error:
            messages.error(request, str(error))
        return redirect(request.POST.get("next") or f"/tenders/{item.pk}/")
    chosen = list(item.chosen.select_related("clause", "version"))
    chosen_keys = {c.clause.key for c in chosen}
    for c in chosen:
        current = c.clause.current()
        c.newer = current if current and current.number > c.version.number and not item.signed else None
    suggested = [c for c in services.suggested_clauses(item) if c.key not in chosen_keys]
    records = item.stage_records()
    stages = [
        {
            "record": r,
            "guide": guide(item.category, r.stage),
            "title": guide(item.category, r.stage).title["ru" if request.LANGUAGE_CODE == "ru" else "en"],
            "done": sum(1 for v in r.checked.values() if v),
        }
        for r in records
    ]
    checks = list(item.price_checks.all())
    return render(
        request,
        "tenders/dossier.html",
        {
            "dossier": item,
            "stages": stages,
            "picture": risk_picture(item.category, item.countries),
            "suppliers": services.current_suppliers(item.category, visible_offices(request.user)),
            "chosen": chosen,
            "suggested": suggested,
            "criteria": item.criteria.all(),
            "criteria_problems": services.criteria_problems(item),
            "social_weight": services.rules.social_weight(services.plain_criteria(item)),
            "checks": checks,
            "floor": services.floor_for(item),
            "briefings": services.briefings(item),
            "briefings_enabled": apps.is_installed("fairprocure.web.activities"),
            "can_act": allowed(request.user, Action.ACT, item.office) and not item.signed,
            "contracts": Contract.objects.filter(office=item.office)[:300],
            "role_rows": range(ROLE_ROWS),
            "category_label": CATEGORY_LABELS.get(item.category, item.category),
            "participant_roles": _participant_roles(),
            "today": timezone.localdate(),
        },
    )


def _participant_roles() -> dict:
    try:
        from fairprocure.web.activities.models import ROLES
    except ImportError:
        return {}
    return ROLES


@requires(Action.VIEW)
def stage(request, pk: int, stage: str):
    item = _dossier(request, pk)
    if stage not in STAGES:
        raise Http404("no such stage")
    record_ = item.stages.get(stage=stage)
    g = guide(item.category, stage)
    if request.method == "POST":
        try:
            if "sign_off" in request.POST:
                authorize(request.user, Action.ASSESS, item.office)
                services.sign_off(record_, request.user, request.POST.get("note", ""))
                messages.success(request, _("Stage signed off."))
            elif "attach" in request.POST:
                authorize(request.user, Action.ACT, item.office)
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValueError("choose a file to attach")
                services.attach(item, stage, request.user, request.POST.get("title", ""), upload)
                messages.success(request, _("Document attached."))
            else:
                authorize(request.user, Action.ACT, item.office)
                checked = {i.key: bool(request.POST.get(f"check_{i.key}")) for i in g.checklist}
                services.update_stage(
                    record_, request.user, checked=checked, decisions=request.POST.get("decisions", "")
                )
                messages.success(request, _("Stage saved."))
        except ValueError as error:
            messages.error(request, str(error))
        return redirect("tender_stage", pk=item.pk, stage=stage)
    lang = "ru" if request.LANGUAGE_CODE == "ru" else "en"
    return render(
        request,
        "tenders/stage.html",
        {
            "dossier": item,
            "record": record_,
            "guide": g,
            "lang": lang,
            "title": g.title[lang],
            "purpose": g.purpose[lang],
            "text": g.text[lang],
            "items": [
                {"key": i.key, "text": i.text(lang), "done": record_.checked.get(i.key, False)}
                for i in g.checklist
            ],
            "blockers": services.blockers(item, stage) if not record_.signed_off else [],
            "attachments": item.attachments.filter(stage=stage),
            "can_act": allowed(request.user, Action.ACT, item.office)
            and not item.signed
            and not record_.signed_off,
            "can_sign_off": allowed(request.user, Action.ASSESS, item.office)
            and not record_.signed_off
            and not item.signed,
            "stages": [(s, guide(item.category, s).title[lang]) for s in STAGES],
        },
    )


@requires(Action.VIEW)
def annex(request, pk: int, fmt: str):
    item = _dossier(request, pk, Action.ACT)
    if fmt not in ("pdf", "docx"):
        raise Http404("no such format")
    doc = annex_for(item)
    record(
        request.user,
        "tender.annex",
        office=item.office,
        target=item.title,
        details={
            "dossier": item.pk,
            "format": fmt,
            "language": item.language,
            "clauses": {
                c.clause.key: c.version.number for c in item.chosen.select_related("clause", "version")
            },
        },
    )
    return document_response(doc, fmt, f"tender-annex-{item.pk}")


@requires(Action.VIEW)
def attachment(request, pk: int):
    item = get_object_or_404(Attachment.objects.select_related("dossier__office"), pk=pk)
    authorize(request.user, Action.VIEW, item.dossier.office)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


def category_choices():
    return sorted(
        ((c, CATEGORY_LABELS.get(c, c)) for c in load_taxonomy().categories), key=lambda i: str(i[1])
    )
