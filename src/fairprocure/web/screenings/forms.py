"""The upload form: an office the user may upload to, and a file of an accepted type."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fairprocure.web.screenings.uploads import ALLOWED_SUFFIXES


class UploadForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=None, to_field_name="code")
    file = forms.FileField(
        label=_("File (CSV, XLSX or OCDS JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ALLOWED_SUFFIXES))}),
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
