"""Creating and editing a partnership's plan periods (administrators)."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from priorities.forms.common import check_constraints_in_full
from priorities.models import PlanPeriod, PriorityStatus, year_label
from smp.models import Partnership

# The Crime and Disorder Act 1998 created the partnerships.
FIRST_YEAR, LAST_YEAR = 1998, 2100


class PlanPeriodForm(forms.ModelForm):
    class Meta:
        model = PlanPeriod
        fields = ["title", "start_year", "end_year", "is_published"]
        labels = {"start_year": "First plan year", "end_year": "Last plan year",
                  "is_published": "Published (committee members can read it)"}

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        for name in ("start_year", "end_year"):
            self.fields[name].validators += [MinValueValidator(FIRST_YEAR),
                                             MaxValueValidator(LAST_YEAR)]
        self.fields["start_year"].help_text = "By the year it starts: 2022 for 2022–23."
        self.fields["end_year"].help_text = "2024 for a plan whose last year is 2024–25."

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start is None or end is None:
            return cleaned
        if end < start:
            self.add_error("end_year", "The last plan year cannot be before the first.")
        elif self.instance.pk:
            self._keep_what_the_plan_holds(start, end)
        return cleaned

    def _keep_what_the_plan_holds(self, start: int, end: int) -> None:
        """New years must still hold every priority's years and every status."""
        priorities = self.instance.priorities.all()
        for priority in priorities:
            if not start <= priority.start_year <= end:
                self.add_error("start_year", f"“{priority.title}” starts in "
                               f"{priority.start_label}, outside {start}–{end}.")
            elif priority.ended_year is not None and priority.ended_year > end + 1:
                self.add_error("end_year", f"“{priority.title}” runs until "
                               f"{year_label(priority.ended_year - 1)}.")
        statuses = PriorityStatus.objects.filter(priority__plan=self.instance).exclude(
            year__range=(start, end)).select_related("priority")
        for status in statuses[:5]:
            field = "start_year" if status.year < start else "end_year"
            self.add_error(field, f"“{status.priority.title}” has a status for "
                           f"{status.year_label}.")

    def validate_unique(self) -> None:
        super().validate_unique()
        check_constraints_in_full(self, "title", "The partnership already has a plan with "
                                  "this title.")
