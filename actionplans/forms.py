from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Min

from actionplans import periods, targets
from actionplans.models import Action, ActionPlan, ActionStatus, Indicator, Outcome, Target
from datasets.models import Area, Category, IndicatorSeries, IndicatorValue
from priorities.models import Priority, year_label
from smp.models import Agency


class PlanForm(forms.ModelForm):
    year = forms.TypedChoiceField(coerce=int, label="Plan year")

    class Meta:
        model = ActionPlan
        fields = ["year", "aim"]
        widgets = {"aim": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, priority: Priority, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(priority.action_plans.values_list("year", flat=True))
        self.fields["year"].choices = [
            (y, year_label(y)) for y in priority.plan.years if y not in taken
        ]
        self.fields["aim"].required = False
        self.fields["aim"].help_text = "Leave blank to use the priority's aim."


class StartYearForm(forms.Form):
    year = forms.TypedChoiceField(coerce=int, label="New plan year")

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(plan.priority.action_plans.values_list("year", flat=True))
        self.fields["year"].choices = [
            (y, year_label(y)) for y in plan.priority.plan.years if y > plan.year and y not in taken
        ]


class AimForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["aim"]
        widgets = {"aim": forms.Textarea(attrs={"rows": 3})}


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": "What we aim to achieve"}


class ActionForm(forms.ModelForm):
    """Full edit of an action; ``version`` carries the optimistic lock."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = ["description", "outcomes", "lead_agency", "owner", "due_date", "cadence",
                  "status", "strand"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "outcomes": forms.CheckboxSelectMultiple,
        }
        labels = {"outcomes": "Outcome(s) it serves", "description": "Action"}
        help_texts = {"cadence": "Or, instead of a date: Ongoing, Quarterly or Monthly."}

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        partnership = plan.priority.partnership
        self.instance.plan = plan
        self.fields["outcomes"].queryset = plan.outcomes.all()
        self.fields["lead_agency"].queryset = Agency.objects.filter(partnership=partnership)
        self.fields["owner"].queryset = get_user_model().objects.filter(
            memberships__partnership=partnership
        ).distinct().order_by("last_name", "first_name")
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class ProgressForm(forms.Form):
    """The two-click update: new status (optional) and a progress note."""

    new_status = forms.ChoiceField(label="Status", required=False)
    note = forms.CharField(label="Progress note", widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "Write a progress note."})
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("prefix", f"a{action.pk}")
        super().__init__(*args, **kwargs)
        self.fields["new_status"].choices = [
            ("", f"Keep: {action.get_status_display()}"),
            *[(v, label) for v, label in ActionStatus.choices if v != action.status],
        ]
        self.initial.setdefault("version", action.version)


TARGET_COMPARATORS = [("", "No target"), *Target.COMPARATOR_CHOICES]


class IndicatorForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    target_comparator = forms.ChoiceField(choices=TARGET_COMPARATORS, required=False,
                                          label="Target")
    target_value = forms.DecimalField(required=False, label="Target value",
                                      help_text="Not needed for a change on the previous period.")

    class Meta:
        model = Indicator
        fields = ["name", "definition", "unit", "kind", "outcome", "source", "series",
                  "category", "area", "crime_source", "frequency", "direction",
                  "baseline_value", "baseline_period"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 2})}
        labels = {"series": "Uploaded series", "crime_source": "Crime data source"}

    def __init__(self, *args, plan: ActionPlan, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        partnership = plan.priority.partnership
        self.instance.plan = plan
        self.fields["outcome"].queryset = plan.outcomes.all()
        self.fields["series"].queryset = IndicatorSeries.objects.filter(partnership=partnership)
        self.fields["category"].queryset = Category.objects.filter(partnership=partnership)
        self.fields["area"].queryset = Area.objects.filter(partnership=partnership)
        self.fields["series"].help_text = "Only for “Uploaded indicator series”."
        if editing:
            for name in ("source", "series", "category", "area", "crime_source", "frequency",
                         "target_comparator", "target_value"):
                self.fields.pop(name)
            if not self.is_bound:
                self.initial["version"] = self.instance.version

    def clean(self):
        data = super().clean()
        comparator = data.get("target_comparator")
        if not comparator:
            return data
        relative = targets.Comparator(comparator) in targets.RELATIVE
        if not relative and data.get("target_value") is None:
            self.add_error("target_value", "Give the target value.")
        if relative and data.get("target_value") is not None:
            self.add_error("target_value", "A change on the previous period takes no value.")
        direction = data.get("direction")
        problem = targets.contradiction(direction, comparator) if direction else None
        if problem:
            self.add_error("target_comparator", problem)
        return data


class TargetForm(forms.Form):
    period_start = forms.DateField(required=False, label="Period (any day in it)",
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text="Leave blank for a standing target for every period.")
    comparator = forms.ChoiceField(choices=Target.COMPARATOR_CHOICES, label="Comparator")
    value = forms.DecimalField(required=False, label="Value")


class ValueForm(forms.Form):
    """Enter or correct the value of one period. Offered: every period from the
    indicator's first stored value (or, at least, the last 24 periods) to the current
    one, so any stored value can be corrected."""

    period_start = forms.TypedChoiceField(label="Period", coerce=dt.date.fromisoformat)
    value = forms.DecimalField(max_digits=14, decimal_places=4, label="Value")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           label="Note")
    expected_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator: Indicator, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.kind = indicator.series.period_kind if indicator.series_id else indicator.frequency
        first = IndicatorValue.objects.filter(series_id=indicator.series_id).aggregate(
            first=Min("period_start"))["first"]
        oldest = periods.recent(self.kind, today, 24)[-1].start
        self.fields["period_start"].choices = [
            (p.start.isoformat(), p.label)
            for p in periods.span(self.kind, today, min(oldest, first or oldest))
        ]
        # The period just closed is the one a lead usually reports.
        closed = periods.last_closed(self.kind, today)
        self.fields["period_start"].initial = closed.start.isoformat()
        self.fields["value"].help_text = f"In {indicator.unit}." if indicator.unit else ""

    def choose_period(self, raw: str) -> bool:
        """Open the form on the period containing the day ``raw`` (YYYY-MM-DD) with its
        stored value and note. False, with the reason next to the field, when ``raw``
        is not a date or not one of the periods offered."""
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            return self._refuse(f"“{raw[:40]}” is not a date (YYYY-MM-DD): choose the period "
                                "from the list.")
        period = periods.containing(self.kind, day)
        if period.start.isoformat() not in dict(self.fields["period_start"].choices):
            return self._refuse(f"{period.label} is not a period this indicator takes a value "
                                "for: choose one from the list.")
        self.initial["period_start"] = period.start.isoformat()
        row = IndicatorValue.objects.filter(series_id=self.indicator.series_id,
                                            period_start=period.start).first()
        if row is not None:
            self.initial.update(value=row.value.normalize(), note=row.note,
                                expected_updated_at=row.updated_at.isoformat())
        return True

    def _refuse(self, message: str) -> bool:
        # The form is unbound (a GET): add_error needs the cleaned_data a bound form has.
        self.cleaned_data = getattr(self, "cleaned_data", {})
        self.add_error("period_start", message)
        return False
