"""Creating and editing priorities, their yearly status, leads and subgroups."""

from __future__ import annotations

from django import forms

from priorities.forms.common import check_constraints_in_full, member_choice
from priorities.models import (
    PlanPeriod,
    Priority,
    PriorityStatus,
    StatusChoice,
    Subgroup,
    year_label,
)
from smp.models import Agency, Partnership


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["plan", "start_year", "title", "kind", "aim", "order", "subgroup"]
        widgets = {"aim": forms.Textarea(attrs={"rows": 4})}
        labels = {"start_year": "Runs from plan year"}

    def __init__(self, *args, partnership: Partnership, lead_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.fields["plan"].queryset = PlanPeriod.objects.filter(partnership=partnership)
        self.fields["subgroup"].queryset = Subgroup.objects.filter(partnership=partnership)
        self.fields["start_year"].help_text = (
            "e.g. 2023 for 2023–24, when it starts after the plan's first year. Leave empty "
            "to start with the plan."
        )
        if lead_only:
            # A lead words their own priority; where it sits in the plan is the co-chairs'.
            for name in ("plan", "start_year", "kind", "order"):
                self.fields.pop(name)

    def clean(self) -> dict:
        cleaned = super().clean()
        moved = self.instance.pk and "plan" in self.changed_data
        if moved and cleaned.get("start_year") == self.instance.plan.start_year:
            # Moved to another plan while starting with the old one: start with the new.
            self.instance.start_year = cleaned["start_year"] = None
        return cleaned

    def validate_unique(self) -> None:
        super().validate_unique()
        check_constraints_in_full(
            self, "title", "This plan already has a priority or theme with this title."
        )


class PriorityStatusForm(forms.ModelForm):
    year = forms.TypedChoiceField(coerce=int, label="Plan year")

    class Meta:
        model = PriorityStatus
        fields = ["year", "status", "commentary"]
        widgets = {"commentary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, priority: Priority, **kwargs):
        super().__init__(*args, **kwargs)
        self.priority = priority
        self.fields["year"].choices = [(y, year_label(y)) for y in priority.years]
        self.fields["status"].choices = StatusChoice.choices


class LeadForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none())

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"user": member_choice(partnership, label="Person"), **self.fields}
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership)


class SubgroupForm(forms.ModelForm):
    class Meta:
        model = Subgroup
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership

    def validate_unique(self) -> None:
        super().validate_unique()
        check_constraints_in_full(self, "name", "A subgroup with this name already exists.")
