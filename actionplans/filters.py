from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone

from actionplans.models import Action, ActionPlan, ActionStatus
from priorities.models import Priority, year_label
from smp.models import Agency, Partnership


class ActionFilter(django_filters.FilterSet):
    """Filters of the actions table (and its exports). Without a plan year the
    table shows each priority's current (newest) plan."""

    priority = django_filters.ModelChoiceFilter(
        field_name="plan__priority", queryset=Priority.objects.none(), label="Priority",
        empty_label="All priorities",
    )
    year = django_filters.ChoiceFilter(field_name="plan__year", label="Plan year",
                                       empty_label="Current plans", method="filter_year")
    lead_agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.none(), label="Lead agency", empty_label="All agencies"
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ActionStatus.choices, widget=forms.CheckboxSelectMultiple, label="Status"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Overdue only",
        widget=forms.CheckboxInput,
    )
    q = django_filters.CharFilter(field_name="description", lookup_expr="icontains",
                                  label="Search actions")

    class Meta:
        model = Action
        fields = ["priority", "year", "lead_agency", "status", "overdue", "q"]

    def __init__(self, *args, partnership: Partnership, user, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)
        self.filters["priority"].queryset = Priority.objects.visible_to(user, partnership)
        self.filters["lead_agency"].queryset = Agency.objects.filter(partnership=partnership)
        years = sorted(
            set(ActionPlan.objects.filter(priority__partnership=partnership)
                .values_list("year", flat=True)), reverse=True)
        self.filters["year"].extra["choices"] = [(y, year_label(y)) for y in years]

    @property
    def qs(self):
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("year"):
            queryset = queryset.filter(
                plan__in=ActionPlan.objects.filter(
                    priority__partnership=self.partnership
                ).latest_per_priority()
            )
        return queryset

    def filter_year(self, queryset, name, value):
        return queryset.filter(plan__year=int(value)) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value else queryset
