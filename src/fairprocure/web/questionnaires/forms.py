from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fairprocure.web.accounts.permissions import Action, visible_offices
from fairprocure.web.questionnaires.models import TemplateVersion


class InviteForm(forms.Form):
    office = forms.ModelChoiceField(label=_("office"), queryset=None)
    version = forms.ModelChoiceField(label=_("questionnaire"), queryset=None)
    variant = forms.ChoiceField(
        label=_("variant"),
        choices=[
            ("services", _("services (workforce on site)")),
            ("goods", _("goods (sites and supply chain)")),
        ],
    )
    email = forms.EmailField(label=_("supplier's e-mail"))
    language = forms.ChoiceField(label=_("language"), choices=[("en", "English"), ("ru", "Русский")])
    due = forms.DateField(
        label=_("answer by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from fairprocure.web.questionnaires.services import ensure_default_template

        ensure_default_template()
        self.fields["office"].queryset = visible_offices(user, Action.INVITE)
        self.fields["version"].queryset = TemplateVersion.objects.select_related("template")


class AcceptForm(forms.Form):
    username = forms.CharField(label=_("user name"), max_length=150)
    email = forms.EmailField(label=_("e-mail"))
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput, min_length=10)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("invitation code"), max_length=20)


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(label=_("file (PDF, PNG or JPEG, 10 MB at most)"))
    expires_on = forms.DateField(label=_("valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    question = forms.CharField(required=False, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("accept", _("accept the answers")), ("clarify", _("ask for clarification"))],
    )
    note = forms.CharField(
        label=_("note to the supplier"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
