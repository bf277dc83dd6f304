"""Forms of the review queue: one decision, a decision file to import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fairprocure.classify.taxonomy import load_taxonomy
from fairprocure.web.labels import category_label


def category_choices() -> list[tuple[str, str]]:
    """Every taxonomy category, by its label in the reader's language."""
    found = [(c, category_label(c, load_taxonomy().categories[c].label)) for c in load_taxonomy().categories]
    return [("", _("— choose a category —")), *sorted(found, key=lambda kv: str(kv[1]))]


class DecisionForm(forms.Form):
    """What one queue row sends: what is decided about, and what it is."""

    kind = forms.ChoiceField(choices=[("description", "description"), ("supplier", "supplier")])
    text = forms.CharField(max_length=2000)
    choice = forms.CharField(required=False)  # "category|cpv" of a candidate, or "" to use `category`
    category = forms.ChoiceField(label=_("Other category"), required=False, choices=())
    cpv = forms.CharField(label=_("CPV code (optional)"), max_length=12, required=False)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)
    scope = forms.ChoiceField(
        choices=[("office", _("this office")), ("organisation", _("the whole organisation"))],
        initial="office",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()

    def clean(self):
        data = super().clean()
        chosen, cpv = (data.get("choice") or "").partition("|")[::2]
        category = data.get("category") or chosen
        if not category:
            raise forms.ValidationError(_("Choose one of the candidates or another category."))
        data["decided_category"] = category
        data["decided_cpv"] = (data.get("cpv") or "").strip() or (cpv if category == chosen else "")
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Decision file (CSV)"))
    scope = forms.ChoiceField(
        choices=[("office", _("this office")), ("organisation", _("the whole organisation"))],
        initial="office",
        required=False,
    )
