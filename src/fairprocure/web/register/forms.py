"""The risk decision form: a new level (same level confirms) and a mandatory justification."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fairprocure.web.register.models import LEVEL_LABELS, LEVELS


class DecisionForm(forms.Form):
    level = forms.ChoiceField(label=_("Risk level"), choices=[(lv, LEVEL_LABELS[lv]) for lv in LEVELS])
    justification = forms.CharField(
        label=_("Justification"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why you confirm, raise or lower this risk (at least 10 characters)."),
    )

    def clean_justification(self) -> str:
        text = self.cleaned_data["justification"].strip()
        if len(text) < 10:
            raise forms.ValidationError(_("Write a justification of at least 10 characters."))
        return text
