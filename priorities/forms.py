from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from priorities.models import (
    PlanPeriod,
    Priority,
    PriorityStatus,
    StatusChoice,
    Subgroup,
    year_label,
)
from smp.models import Agency, Partnership


def _check_constraints_in_full(form: forms.ModelForm, field: str, message: str) -> None:
    """ModelForm skips database constraints that involve a field it does not show
    (the partnership; the plan in a lead's form), so a duplicate would reach the
    database as an IntegrityError. Check them on the whole instance instead."""
    if form.has_error(field) or form.non_field_errors():
        return  # already reported (ModelForm caught it when it shows every field)
    try:
        form.instance.validate_constraints()
    except forms.ValidationError:
        form.add_error(field, message)


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["plan", "title", "kind", "aim", "order", "subgroup"]
        widgets = {"aim": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, partnership: Partnership, lead_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.fields["plan"].queryset = PlanPeriod.objects.filter(partnership=partnership)
        self.fields["subgroup"].queryset = Subgroup.objects.filter(partnership=partnership)
        if lead_only:
            # A lead words their own priority; where it sits in the plan is the co-chairs'.
            for name in ("plan", "kind", "order"):
                self.fields.pop(name)

    def validate_unique(self) -> None:
        super().validate_unique()
        _check_constraints_in_full(
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
        self.fields["year"].choices = [(y, year_label(y)) for y in priority.plan.years]
        self.fields["status"].choices = StatusChoice.choices


class LeadForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="Person")
    agency = forms.ModelChoiceField(queryset=Agency.objects.none())

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__partnership=partnership)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
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
        _check_constraints_in_full(self, "name", "A subgroup with this name already exists.")
