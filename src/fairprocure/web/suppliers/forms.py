from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fairprocure.web.suppliers.models import Identifier, Supplier, SupplyChainNode


class IdentifierForm(forms.Form):
    scheme = forms.ChoiceField(label=_("scheme"), choices=Identifier.Scheme.choices)
    value = forms.CharField(label=_("identifier"), max_length=200)


class StatusForm(forms.Form):
    move = forms.ChoiceField(
        label=_("decision"),
        choices=[
            ("suspend", _("suspend until reform")),
            ("exclude", _("exclude")),
            ("reinstate", _("reinstate")),
        ],
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
    reform_required = forms.CharField(
        label=_("reform required"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    review_date = forms.DateField(
        label=_("review date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class NodeForm(forms.ModelForm):
    class Meta:
        model = SupplyChainNode
        fields = [
            "parent",
            "kind",
            "name",
            "country",
            "role",
            "good",
            "final_assembly",
            "osh_id",
            "identifier",
            "evidence",
            "disclosed_on",
            "outcome",
        ]
        widgets = {
            "disclosed_on": forms.DateInput(attrs={"type": "date"}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "good": forms.TextInput(attrs={"list": "dol-goods"}),
        }

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = SupplyChainNode.objects.filter(contract=contract)
        self.fields["parent"].required = False

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").strip().upper()


class KindForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = ["kind", "country"]
