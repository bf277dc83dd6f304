"""The upload form (an office the user may upload to, a file of an accepted type, optionally the months it
covers) and the form that sets a screening's period afterwards."""

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

    period_start = forms.CharField(
        label=_("Period from"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("The months the file covers; leave empty to read them from the lines' dates."),
    )
    period_end = forms.CharField(
        label=_("Period to"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices

    def clean(self):
        data = super().clean()
        period = PeriodForm(
            {"period_start": data.get("period_start", ""), "period_end": data.get("period_end", "")}
        )
        if not period.is_valid():
            for errors in period.errors.values():
                for error in errors:
                    self.add_error("period_start", error)
            return data
        data["period"] = (period.cleaned_data["period_start"], period.cleaned_data["period_end"])
        return data


class MonthInput(forms.TextInput):
    input_type = "month"


class PeriodForm(forms.Form):
    """The months a file covers: from and to (``YYYY-MM``); both empty = read from the lines' dates."""

    period_start = forms.CharField(label=_("Period from"), required=False, widget=MonthInput)
    period_end = forms.CharField(label=_("Period to"), required=False, widget=MonthInput)

    @classmethod
    def for_screening(cls, screening) -> PeriodForm:
        months = {
            "period_start": screening.period_start.strftime("%Y-%m") if screening.period_start else "",
            "period_end": screening.period_end.strftime("%Y-%m") if screening.period_end else "",
        }
        return cls(initial=months)

    def clean(self):
        from fairprocure.web.screenings.periods import parse_month

        data = super().clean()
        try:
            start = parse_month(data.get("period_start", ""))
            end = parse_month(data.get("period_end", "") or data.get("period_start", ""), end=True)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give the first month of the period, or leave both empty."))
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        data["period_start"], data["period_end"] = start, end
        return data
