"""The assessment form and the status form of a contract."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fairprocure.web.contracts import status as st
from fairprocure.web.contracts.models import Contract
from fairprocure.web.contracts.services import MIN_TEXT


class AssessmentForm(forms.Form):
    high_risk = forms.TypedChoiceField(
        label=_("Is this contract potentially high risk?"),
        choices=[("yes", _("Yes: confirm potentially high risk")), ("no", _("No: reject"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    justification = forms.CharField(
        label=_("Justification"),
        min_length=MIN_TEXT,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the assessment rests on (at least 10 characters)."),
    )
    measures = forms.CharField(
        label=_("Measures required"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the risk is confirmed: clauses, checks, monitoring, engagement."),
    )

    def clean(self):
        data = super().clean()
        if data.get("high_risk") and not (data.get("measures") or "").strip():
            self.add_error("measures", _("Say which measures a confirmed risk requires."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Contract.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in st.MOVES.get(contract.status, ())]
