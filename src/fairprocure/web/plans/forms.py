"""Forms of the plans pages."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairprocure.web.contracts.models import Contract
from fairprocure.web.labels import CATEGORY_LABELS
from fairprocure.web.plans.library import THEMES
from fairprocure.web.plans.models import Action, LibraryAction
from fairprocure.web.plans.services import owners_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CATEGORY_CHOICES = [(k, v) for k, v in CATEGORY_LABELS.items() if k != "unclassified"]


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return f"{user.username} ({user.membership.get_role_display()})"


class PlanForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=None, to_field_name="code")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        only = list(offices[:2])
        self.fields["office"].initial = only[0] if len(only) == 1 else None
        self.fields["year"].initial = timezone.now().year


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=300)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=None, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = OwnerField(label=_("Owner"), queryset=None, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    contracts = forms.ModelMultipleChoiceField(
        label=_("Contracts"),
        queryset=None,
        required=False,
        help_text=_("The office's high-risk contracts and those linked already."),
    )
    suppliers = forms.CharField(
        label=_("Suppliers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    categories = forms.MultipleChoiceField(label=_("Categories"), choices=CATEGORY_CHOICES, required=False)

    def __init__(self, *args, plan, action: Action | None = None, **kwargs):
        if action is not None and not args:
            kwargs["initial"] = {
                "title": action.title,
                "goal": action.goal,
                "description": action.description,
                "owner": action.owner,
                "due_date": action.due_date,
                "contracts": list(action.contracts.all()),
                "suppliers": "\n".join(action.suppliers),
                "categories": action.categories,
            }
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["goal"].queryset = plan.goals.all()
        owners = [u.pk for u in owners_for(plan.office)]
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(pk__in=owners).select_related("membership")
        )
        linked = Q(actions=action) if action is not None else Q(pk__in=[])
        high = Q(high_risk=True) | Q(high_risk__isnull=True, top_level__in=["high", "critical"])
        top = (
            Contract.objects.filter(office=plan.office)
            .filter(high | linked)
            .distinct()
            .order_by("-top_score")
        )
        top = list(top.values_list("pk", flat=True)[:300])
        self.fields["contracts"].queryset = Contract.objects.filter(pk__in=top).order_by("-top_score", "pk")
        self.fields["contracts"].label_from_instance = lambda c: str(c.label)

    def clean_suppliers(self) -> list[str]:
        return _lines(self.cleaned_data["suppliers"])


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What shows the action is done: a document, a record, a link. Required to mark it done."),
    )
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        evidence = (data.get("evidence") or "").strip() or self.initial.get("evidence")
        if data.get("status") == Action.Status.DONE and not evidence:
            self.add_error("evidence", _("Say what shows the action is done."))
        return data


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("Approval note"), required=False, max_length=2000)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why reopen the approved plan?"), max_length=2000)


class LibraryForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=[("*", _("Every high-risk contract")), *CATEGORY_CHOICES],
        help_text=_("The categories whose high-risk contracts this action is suggested for."),
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=list(THEMES.items()))
    sources = forms.CharField(
        label=_("Sources"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name | address."),
    )

    class Meta:
        model = LibraryAction
        fields = [
            "key",
            "categories",
            "theme",
            "title_en",
            "title_ru",
            "text_en",
            "text_ru",
            "sources",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["key"].disabled = True
            self.initial["sources"] = "\n".join(
                f"{s.get('name', '')} | {s.get('url', '')}".strip(" |") for s in self.instance.sources
            )

    def clean_sources(self) -> list[dict]:
        sources = []
        for line in _lines(self.cleaned_data["sources"]):
            name, _sep, url = line.partition("|")
            sources.append({"name": name.strip(), "url": url.strip()})
        if not sources:
            raise forms.ValidationError(_("Give at least one source."))
        return sources
