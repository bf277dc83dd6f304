"""Screening pages: upload, the list, and a screening's progress (polled with HTMX while it runs)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render

from fairprocure.web.accounts.permissions import (
    Action,
    allowed,
    authorize,
    office_in_scope,
    requires,
    visible_offices,
)
from fairprocure.web.screenings.forms import UploadForm
from fairprocure.web.screenings.models import Screening
from fairprocure.web.screenings.uploads import UploadError, accept


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
            try:
                screening, _ = accept(upload, upload.name, office, request.user)
            except UploadError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("screening", pk=screening.pk)
    items = Screening.objects.filter(office__in=visible_offices(request.user)).select_related("office")[:100]
    return render(request, "screenings/list.html", {"form": form, "screenings": items})


@requires(Action.VIEW)
def screening(request, pk: int):
    item = get_object_or_404(Screening.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.VIEW, item.office)
    template = "screenings/_status.html" if request.htmx else "screenings/detail.html"
    return render(request, template, {"s": item})
