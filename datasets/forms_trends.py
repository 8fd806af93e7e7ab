"""Forms of the trend pages: the overview filter, step-change decisions, annotations."""

from __future__ import annotations

import datetime as dt

from django import forms

from datasets.models import AreaLevel, IndicatorSeries, SeriesAnnotation, SeriesChart, TrendKind
from datasets.models.trends import SIGNAL_LABELS


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (``<input type="month">``), stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if isinstance(day, dt.date) else day


class TrendFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Series", required=False, choices=[("", "All"), *TrendKind.choices]
    )
    level = forms.ChoiceField(
        label="Area level", required=False, choices=[("", "All levels"), *AreaLevel.choices]
    )
    area = forms.ModelChoiceField(label="Area", required=False, queryset=None,
                                  empty_label="All areas")
    category = forms.ModelChoiceField(label="Category", required=False, queryset=None,
                                      empty_label="All categories")
    signal = forms.ChoiceField(
        label="Latest SPC signal", required=False,
        choices=[("", "Any"), *SIGNAL_LABELS.items()],
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = partnership.areas.all()
        self.fields["category"].queryset = partnership.categories.all()

    def filter(self, queryset):
        """The queryset narrowed by the valid filters (invalid ones are ignored)."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        lookups = {
            "kind": data.get("kind"), "area_level": data.get("level"),
            "area": data.get("area"), "category": data.get("category"),
            "latest_signal": data.get("signal"),
        }
        return queryset.filter(**{k: v for k, v in lookups.items() if v})


class StepChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", widget=forms.RadioSelect,
        choices=[("confirm", "Confirm: recalculate the average and limits from here"),
                 ("reject", "Reject: not a step change")],
    )
    reason = forms.CharField(
        label="Reason", max_length=300,
        help_text="For example “April 2017 recording change”. Shown with the chart.",
    )


class StepChangeAddForm(forms.Form):
    month = MonthField(label="First month of the new level", help_text="For example 2017-04")
    reason = forms.CharField(label="Reason", max_length=300,
                             help_text="For example “April 2017 recording change”.")

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.series = series

    def clean_month(self):
        month = self.cleaned_data["month"]
        index = self.series.index_of(month)
        if index is None or index == 0:
            raise forms.ValidationError(
                "Choose a month inside the series, after its first point."
            )
        return month


class AnnotationForm(forms.ModelForm):
    month = MonthField(label="Month", help_text="For example 2017-04")
    all_series = forms.BooleanField(
        label="Show on every chart of the partnership", required=False
    )

    class Meta:
        model = SeriesAnnotation
        fields = ["month", "text"]
        labels = {"text": "Note"}
        help_texts = {"text": "For example “April 2017 recording change”."}


class SeriesChartForm(forms.ModelForm):
    class Meta:
        model = SeriesChart
        fields = ["kind", "reason"]
        labels = {"kind": "Chart", "reason": "Reason"}
        widgets = {"kind": forms.RadioSelect}
        help_texts = {"reason": "For example “fewer than 10 a month: rare events”."}


class IndicatorDirectionForm(forms.ModelForm):
    """Which way is better for an indicator series, and its SPC target per period."""

    class Meta:
        model = IndicatorSeries
        fields = ["improvement", "spc_target"]
        widgets = {"improvement": forms.RadioSelect}


class PeriodCompareForm(forms.Form):
    """Two user-chosen periods of one monthly series (e.g. April–September this year
    against the same months last year)."""

    current_from = MonthField(label="This period: from")
    current_to = MonthField(label="This period: to")
    previous_from = MonthField(label="Compared with: from")
    previous_to = MonthField(label="Compared with: to")

    def __init__(self, *args, first: dt.date, last: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.first, self.last = first, last
        span = f"{first:%b %Y} to {last:%b %Y}"
        for name in self.fields:
            self.fields[name].help_text = f"A month from {span}, e.g. {last:%Y-%m}."

    def clean(self):
        data = super().clean()
        for name in self.fields:
            month = data.get(name)
            if month and not (self.first <= month <= self.last):
                self.add_error(name, f"This series runs from {self.first:%B %Y} to "
                                     f"{self.last:%B %Y}.")
        for start, end in (("current_from", "current_to"), ("previous_from", "previous_to")):
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, "The end month must not be before the start month.")
        return data
