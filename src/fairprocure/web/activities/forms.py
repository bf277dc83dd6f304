"""The activity form."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fairprocure.web.activities.models import ROLES, Activity
from fairprocure.web.contracts.models import Contract
from fairprocure.web.tenders.models import Dossier

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=None, to_field_name="code")
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=DATE)
    participants = forms.IntegerField(label=_("Number of participants"), min_value=0)
    participant_roles = forms.MultipleChoiceField(
        label=_("Who took part"),
        choices=list(ROLES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    materials = forms.CharField(
        label=_("Materials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: agenda, slides, attendance list (a file reference or a link)."),
    )
    contracts = forms.ModelMultipleChoiceField(
        label=_("Contracts"),
        queryset=None,
        required=False,
        help_text=_("The office's high-risk contracts and those linked already."),
    )
    dossier = forms.ModelChoiceField(
        label=_("Tender dossier"),
        queryset=None,
        required=False,
        help_text=_("For a pre-tender briefing: the tender it prepared."),
    )
    suppliers = forms.CharField(
        label=_("Suppliers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )

    def __init__(self, *args, offices, office=None, activity: Activity | None = None, **kwargs):
        if activity is not None and not args:
            kwargs["initial"] = {
                "office": activity.office,
                "kind": activity.kind,
                "title": activity.title,
                "date": activity.date,
                "participants": activity.participants,
                "participant_roles": activity.participant_roles,
                "summary": activity.summary,
                "materials": activity.materials,
                "contracts": list(activity.contracts.all()),
                "suppliers": "\n".join(activity.suppliers),
                "dossier": activity.dossier,
            }
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        only = list(offices[:2])
        self.fields["office"].initial = office or (only[0] if len(only) == 1 else None)
        if activity is not None:
            self.fields["office"].disabled = True
        high = Q(high_risk=True) | Q(high_risk__isnull=True, top_level__in=["high", "critical"])
        linked = Q(activities=activity) if activity is not None else Q(pk__in=[])
        contracts = Contract.objects.filter(office__in=[office] if office else offices).filter(high | linked)
        top = list(contracts.distinct().order_by("-top_score").values_list("pk", flat=True)[:300])
        self.fields["contracts"].queryset = (
            Contract.objects.filter(pk__in=top).select_related("office").order_by("-top_score", "pk")
        )
        self.fields["contracts"].label_from_instance = lambda c: f"{c.office.code}: {c.label}"
        self.fields["dossier"].queryset = (
            Dossier.objects.filter(office__in=[office] if office else offices)
            .select_related("office")
            .order_by("-created", "-pk")
        )
        self.fields["dossier"].label_from_instance = lambda d: f"{d.office.code}: {d.title}"

    def clean_suppliers(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["suppliers"].splitlines() if line.strip()]
