"""Forms of the clause library: a new clause, a new version."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fairprocure.web.clauses.library import sources
from fairprocure.web.clauses.models import Clause
from fairprocure.web.labels import CATEGORY_LABELS


def _text(label, rows=4):
    return forms.CharField(label=label, max_length=20000, widget=forms.Textarea(attrs={"rows": rows}))


class VersionForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    text_en = _text(_("Text (English)"))
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300)
    text_ru = _text(_("Text (Russian)"))
    note = forms.CharField(label=_("What changed and why"), max_length=2000)

    def texts(self) -> dict:
        d = self.cleaned_data
        return {lang: {"title": d[f"title_{lang}"], "text": d[f"text_{lang}"]} for lang in ("en", "ru")}


class ClauseForm(VersionForm):
    key = forms.SlugField(
        label=_("Key"), max_length=80, help_text=_("A short id, e.g. cleaning-payroll-access")
    )
    type = forms.ChoiceField(label=_("Type"), choices=Clause.Type.choices)
    tier = forms.ChoiceField(label=_("Risk tier"), choices=Clause.Tier.choices)
    categories = forms.MultipleChoiceField(
        label=_("Categories"), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    sources = forms.MultipleChoiceField(
        label=_("Sources"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    source_note = forms.CharField(label=_("Other sources"), required=False, max_length=2000)
    licence = forms.CharField(label=_("Licence"), required=False, max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    field_order = [
        "key",
        "type",
        "tier",
        "categories",
        "title_en",
        "text_en",
        "title_ru",
        "text_ru",
        "sources",
        "source_note",
        "licence",
        "note",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [("*", _("any purchase")), *CATEGORY_LABELS.items()]
        self.fields["sources"].choices = [(k, f"{k}: {v['title']}") for k, v in sources().items()]
