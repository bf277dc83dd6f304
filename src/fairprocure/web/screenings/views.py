"""Screening pages: upload, the list, and a screening's progress (polled with HTMX while it runs)."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairprocure.ingest.model import IngestError
from fairprocure.web.accounts.permissions import (
    Action,
    allowed,
    authorize,
    office_in_scope,
    requires,
    visible_offices,
)
from fairprocure.web.register.current import SupersedeError, replaceable, supersede
from fairprocure.web.screenings import jobs
from fairprocure.web.screenings.forms import PeriodForm, UploadForm
from fairprocure.web.screenings.models import Screening
from fairprocure.web.screenings.preview import FIELDS, confirm, is_ledger
from fairprocure.web.screenings.preview import preview as build_preview
from fairprocure.web.screenings.services import set_period
from fairprocure.web.screenings.uploads import UploadError, accept, duplicate_note

LEDGER_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods"}
JSON_SUFFIXES = {".json", ".jsonl"}  # OCDS, or records of a ledger (shown first, like a ledger)


@requires(Action.VIEW)
def screenings(request):
    can_upload = allowed(request.user, Action.UPLOAD)
    form = UploadForm(offices=visible_offices(request.user, Action.UPLOAD)) if can_upload else None
    if request.method == "POST":
        authorize(request.user, Action.UPLOAD)
        office_in_scope(request.user, request.POST.get("office"), Action.UPLOAD)
        form = UploadForm(request.POST, request.FILES, offices=visible_offices(request.user, Action.UPLOAD))
        if form.is_valid():
            office = form.cleaned_data["office"]
            authorize(request.user, Action.UPLOAD, office)
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name).suffix.lower()
            ledger = suffix in LEDGER_SUFFIXES | JSON_SUFFIXES  # its columns are shown first
            try:
                screening, created = accept(
                    upload,
                    upload.name,
                    office,
                    request.user,
                    period=form.cleaned_data.get("period"),
                    queue=not ledger,
                )
            except UploadError as exc:
                form.add_error("file", str(exc))
            else:
                if created and suffix in JSON_SUFFIXES and not is_ledger(Path(screening.stored_path)):
                    jobs.release(screening)  # OCDS: nothing to map
                    screening.refresh_from_db()
                if not created:  # never open an earlier screening without saying so
                    messages.info(request, duplicate_note(screening, upload.name))
                if screening.status == Screening.Status.HELD:
                    return redirect("screening-preview", pk=screening.pk)
                return redirect("screening", pk=screening.pk)
    items = Screening.objects.filter(office__in=visible_offices(request.user)).select_related("office")[:100]
    return render(request, "screenings/list.html", {"form": form, "screenings": items})


@requires(Action.VIEW)
def screening(request, pk: int):
    item = get_object_or_404(Screening.objects.select_related("office", "superseded_by"), pk=pk)
    authorize(request.user, Action.VIEW, item.office)
    template = "screenings/_status.html" if request.htmx else "screenings/detail.html"
    can_change = allowed(request.user, Action.UPLOAD, item.office)
    context = {
        "s": item,
        "can_change": can_change,
        "can_cancel": item.active and can_change,
        "replaceable": replaceable(item) if can_change and item.in_register else [],
        "period_form": PeriodForm.for_screening(item) if can_change else None,
        "replaced": item.supersedes.all(),
    }
    return render(request, template, context)


@requires(Action.UPLOAD)
def preview(request, pk: int):
    """How a held ledger's columns will be read; a person corrects them and confirms (then it is queued)."""
    item = get_object_or_404(Screening.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.UPLOAD, item.office)
    if item.status != Screening.Status.HELD:
        return redirect("screening", pk=item.pk)
    if request.method == "POST":
        choices = {}
        for key, value in request.POST.items():
            if key.startswith("column-") and key[7:].isdigit():
                choices[int(key[7:])] = value
        try:
            confirm(item, choices, request.user)
        except IngestError as exc:
            messages.error(request, str(exc))
            return redirect("screening-preview", pk=item.pk)
        messages.success(
            request,
            _(
                "Columns confirmed: the file is being screened, and %(office)s's next file with these columns "
                "will be read the same way."
            )
            % {"office": item.office.code},
        )
        return redirect("screening", pk=item.pk)
    shown = build_preview(item)
    context = {"s": item, "p": shown, "fields": FIELDS, "currency": item.office.accounts_currency}
    return render(request, "screenings/preview.html", context)


@require_POST
@requires(Action.UPLOAD)
def replace(request, pk: int, old: int):
    """This screening (a corrected file) replaces an earlier one of its office: an explicit, audited act."""
    item = get_object_or_404(Screening.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.UPLOAD, item.office)
    earlier = get_object_or_404(Screening.objects.select_related("office"), pk=old)
    authorize(request.user, Action.UPLOAD, earlier.office)
    try:
        counts = supersede(item, earlier, request.user)
    except SupersedeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(old)s is replaced by %(new)s: %(gone)d of its lines left the register.")
            % {"old": earlier.file_name, "new": item.file_name, "gone": counts["left_the_register"]},
        )
    return redirect("screening", pk=item.pk)


@require_POST
@requires(Action.UPLOAD)
def period(request, pk: int):
    """Set the period the file covers (it orders the office's screenings); audited."""
    item = get_object_or_404(Screening.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.UPLOAD, item.office)
    form = PeriodForm(request.POST)
    if form.is_valid():
        set_period(item, form.cleaned_data["period_start"], form.cleaned_data["period_end"], request.user)
        messages.success(request, _("Period set: %(period)s.") % {"period": item.period})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("screening", pk=item.pk)


@require_POST
@requires(Action.UPLOAD)
def cancel(request, pk: int):
    item = get_object_or_404(Screening.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.UPLOAD, item.office)
    if jobs.cancel(item, request.user):
        messages.success(request, _("Screening cancelled: nothing of it is kept in the register."))
    else:
        messages.info(request, _("This screening had already ended."))
    return redirect("screening", pk=item.pk)


@requires(Action.VIEW)
def in_progress(request):
    """The screenings running or waiting in the offices the user may see (polled by the dashboard)."""
    return render(request, "screenings/_in_progress.html", {"active": active_screenings(request.user)})


def active_screenings(user):
    return (
        Screening.objects.filter(
            office__in=visible_offices(user),
            status__in=[Screening.Status.QUEUED, Screening.Status.RUNNING, Screening.Status.HELD],
        )
        .select_related("office")
        .order_by("created", "pk")[:50]
    )
