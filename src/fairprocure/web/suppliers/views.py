"""Supplier pages: the registry, a supplier's page (contracts, lines, risk, evidence, questionnaires,
supply chains, findings, status) and a contract's supply-chain map."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fairprocure.web.accounts.permissions import Action, allowed, authorize, requires, visible_offices
from fairprocure.web.contracts.models import Contract
from fairprocure.web.questionnaires.forms import InviteForm
from fairprocure.web.questionnaires.models import Evidence, Invitation, Response
from fairprocure.web.suppliers import registry
from fairprocure.web.suppliers import supply_chain as sc
from fairprocure.web.suppliers.forms import IdentifierForm, KindForm, NodeForm, StatusForm
from fairprocure.web.suppliers.maps import LEVEL_LABELS, diagram, flags_of, nodes_of
from fairprocure.web.suppliers.models import Supplier, SupplierName, SupplyChainNode


@requires(Action.VIEW)
def suppliers(request):
    q, status = request.GET.get("q", "").strip(), request.GET.get("status", "").strip()
    found = Supplier.objects.filter(merged_into__isnull=True)
    if status:
        found = found.filter(status=status)
    if q:
        found = found.filter(
            Q(name__icontains=q) | Q(names__name__icontains=q) | Q(identifiers__value__icontains=q)
        ).distinct()
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "suppliers/list.html",
        {"page": page, "q": q, "status": status, "statuses": Supplier.Status.choices},
    )


def _supplier(pk: int) -> Supplier:
    supplier = get_object_or_404(Supplier, pk=pk)
    return supplier


@requires(Action.VIEW)
def supplier(request, pk: int):
    item = _supplier(pk)
    if item.merged_into_id:
        return redirect("supplier", pk=item.current().pk)
    user = request.user
    if request.method == "POST":
        return _act(request, item)
    offices = visible_offices(user)
    lines = registry.lines_of(item, offices)
    contracts = [
        c
        for c in Contract.objects.filter(office__in=offices).select_related("office")
        if set(c.supplier_names) & set(item.spellings())
    ]
    invitations = Invitation.objects.filter(supplier=item, office__in=offices).select_related(
        "office", "version", "response"
    )
    mine = set(SupplierName.objects.filter(supplier=item).values_list("name", flat=True))
    return render(
        request,
        "suppliers/detail.html",
        {
            "supplier": item,
            "spellings": item.names.all(),
            "identifiers": item.identifiers.all(),
            "spend": registry.spend_by_office(item, offices),
            "lines": lines.order_by("-risk_score", "pk")[:50],
            "line_total": lines.count(),
            "contracts": contracts,
            "responses": Response.objects.filter(supplier=item).select_related("version"),
            "invitations": invitations,
            "evidence": Evidence.objects.filter(supplier=item),
            "today": timezone.now().date(),
            "status_changes": item.status_changes.all(),
            "duplicates": registry.possible_duplicates(item) if allowed(user, Action.SUPPLIERS) else [],
            "can_edit": allowed(user, Action.SUPPLIERS),
            "can_sanction": allowed(user, Action.SANCTION),
            "invite_form": InviteForm(user=user, initial={"variant": item.kind})
            if allowed(user, Action.INVITE)
            else None,
            "identifier_form": IdentifierForm(),
            "status_form": StatusForm(),
            "kind_form": KindForm(instance=item),
            "other_spellings": sorted(mine),
        },
    )


def _act(request, item: Supplier):
    user, post = request.user, request.POST
    try:
        if "status" in post:
            authorize(user, Action.SANCTION)
            form = StatusForm(post)
            if not form.is_valid():
                raise ValueError("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
            data = form.cleaned_data
            if data["move"] == "suspend":
                registry.suspend(item, data["reason"], data["reform_required"], data["review_date"], user)
            elif data["move"] == "exclude":
                registry.exclude(item, data["reason"], user)
            else:
                registry.reinstate(item, data["reason"], user)
            messages.success(request, _("Status recorded."))
        else:
            authorize(user, Action.SUPPLIERS)
            if "identifier" in post:
                form = IdentifierForm(post)
                if form.is_valid():
                    registry.add_identifier(
                        item, form.cleaned_data["scheme"], form.cleaned_data["value"], user
                    )
                    messages.success(request, _("Identifier added."))
            elif "spelling" in post:
                registry.add_name(item, post.get("name", ""), user)
                messages.success(request, _("Spelling added."))
            elif "merge" in post:
                other = get_object_or_404(Supplier, pk=int(post.get("other") or 0))
                registry.merge(item, other, user)
                messages.success(request, _("Suppliers merged."))
            elif "split" in post:
                new = registry.split(item, post.getlist("spellings"), user, post.get("new_name", ""))
                messages.success(request, _("Spellings moved to a new supplier."))
                return redirect("supplier", pk=new.pk)
            elif "kind" in post:
                form = KindForm(post, instance=item)
                if form.is_valid():
                    form.save()
                    from fairprocure.web.audit.log import record

                    record(
                        user,
                        "supplier.edited",
                        target=item.name,
                        details={"supplier": item.pk, "supplies": item.kind, "country": item.country},
                    )
                    messages.success(request, _("Saved."))
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("supplier", pk=item.pk)


@requires(Action.VIEW)
def evidence_file(request, pk: int):
    """An evidence file, for buyers who may see its supplier (every internal reader)."""
    item = get_object_or_404(Evidence, pk=pk)
    return _serve(item)


def _serve(item: Evidence):
    from pathlib import Path

    path = Path(item.stored_path)
    if not path.exists():
        raise Http404("the file is missing")
    response = FileResponse(
        path.open("rb"), content_type=item.content_type, as_attachment=True, filename=item.file_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(Action.VIEW)
def supply_map(request, contract_pk: int):
    contract = get_object_or_404(Contract.objects.select_related("office"), pk=contract_pk)
    authorize(request.user, Action.VIEW, contract.office)
    can_edit = allowed(request.user, Action.SUPPLIERS) and allowed(request.user, Action.ACT, contract.office)
    form = NodeForm(contract=contract) if can_edit else None
    if request.method == "POST":
        authorize(request.user, Action.SUPPLIERS)
        authorize(request.user, Action.ACT, contract.office)
        form = NodeForm(request.POST, contract=contract)
        if form.is_valid():
            node = form.save(commit=False)
            node.contract = contract
            node.save()
            from fairprocure.web.audit.log import record

            record(
                request.user,
                "supply_chain.node_added",
                office=contract.office,
                target=contract.label,
                details={
                    "contract": contract.pk,
                    "node": node.pk,
                    "kind": node.kind,
                    "name": node.name,
                    "country": node.country,
                    "good": node.good,
                },
            )
            messages.success(request, _("Added to the map."))
            return redirect("supply_map", contract_pk=contract.pk)
    rows, nodes = nodes_of(contract)
    flags = flags_of(nodes)
    level = sc.transparency(nodes)
    return render(
        request,
        "suppliers/map.html",
        {
            "contract": contract,
            "rows": [(r, flags.get(r.pk, "")) for r in rows],
            "diagram": diagram(nodes, flags) if nodes else "",
            "level": level,
            "level_text": LEVEL_LABELS[level],
            "form": form,
            "goods": sc.dol_goods(),
            "kinds": SupplyChainNode.Kind.choices,
        },
    )
