"""Forms that record what became of a priority: continued, split, merged, demoted to a
cross-cutting theme, or ended. Each successor is an existing priority or a new one
starting in a chosen plan year (a plan of the partnership and one of its years)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from priorities.models import PlanPeriod, Priority, year_label
from priorities.services import Start


def _priority_label(priority: Priority) -> str:
    return f"{priority.title} ({priority.plan.label}, from {priority.start_label})"


class StartField(forms.ChoiceField):
    """A plan and one of its years, offered as "Plan 2022–25 – from 2023–24"."""

    def __init__(self, *, source: Priority, **kwargs) -> None:
        plans = PlanPeriod.objects.filter(partnership=source.partnership).order_by("start_year")
        self._plans = {plan.pk: plan for plan in plans}
        choices = [("", "—")] + [
            (f"{plan.pk}:{year}", f"{plan.title} – from {year_label(year)}")
            for plan in plans
            for year in plan.years
            if year > source.start_year
        ]
        super().__init__(choices=choices, **kwargs)

    def clean(self, value) -> Start | None:
        value = super().clean(value)
        if not value:
            return None
        plan_pk, year = (int(part) for part in value.split(":"))
        return Start(plan=self._plans[plan_pk], year=year)


def _later_priorities(source: Priority, **filters) -> QuerySet[Priority]:
    """Priorities of the partnership that start after ``source``: possible successors."""
    return Priority.objects.filter(
        partnership=source.partnership, start_year__gt=source.start_year, **filters
    ).exclude(pk=source.pk).select_related("plan").order_by("start_year", "kind", "order")


class _SuccessorForm(forms.Form):
    """One successor: an existing priority (``existing``) or a new one (``start``,
    ``title``). Subclasses name the existing-priority field and its choices."""

    existing_label = "An existing priority"
    existing_filters: dict = {}

    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why, in a sentence: it appears in the priority's history.",
    )

    def __init__(self, *args, priority: Priority, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        existing = forms.ModelChoiceField(
            queryset=_later_priorities(priority, **self.existing_filters), required=False,
            label=self.existing_label, empty_label="—",
            help_text="Choose this when the later priority is already in SMP.",
        )
        existing.label_from_instance = _priority_label
        start = StartField(
            source=priority, required=False, label="Or a new one, starting in",
            help_text="The plan and the first plan year of the new priority.",
        )
        title = forms.CharField(
            required=False, max_length=250, label="Title of the new one",
            help_text=f"Leave empty to keep “{priority.title}”.",
        )
        self.fields = {"existing": existing, "start": start, "title": title, **self.fields}

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("existing") and cleaned.get("start"):
            self.add_error("existing", "Choose an existing priority or a new one, not both.")
        elif not cleaned.get("existing") and not cleaned.get("start") and not self.errors:
            self.add_error("existing", "Choose an existing priority, or where a new one starts.")
        return cleaned


class ContinueForm(_SuccessorForm):
    existing_label = "It continues as an existing priority"


class DemoteForm(_SuccessorForm):
    existing_label = "It becomes an existing cross-cutting theme"
    existing_filters = {"kind": Priority.Kind.THEME}


class SplitForm(forms.Form):
    def __init__(self, *args, priority: Priority, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parts = forms.ModelMultipleChoiceField(
            queryset=_later_priorities(priority), required=False,
            widget=forms.CheckboxSelectMultiple, label="Existing priorities it was split into",
        )
        parts.label_from_instance = _priority_label
        self.fields["parts"] = parts
        self.fields["start"] = StartField(
            source=priority, required=False, label="New priorities start in",
            help_text="The plan and first plan year of the new priorities below.",
        )
        self.fields["titles"] = forms.CharField(
            required=False, label="New priorities, one title a line",
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.fields["note"] = forms.CharField(
            required=False, widget=forms.Textarea(attrs={"rows": 3}),
            help_text="Why, in a sentence: it appears in the priority's history.",
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        titles = [t.strip() for t in cleaned.get("titles", "").splitlines() if t.strip()]
        cleaned["titles"] = titles
        if titles and not cleaned.get("start"):
            self.add_error("start", "Choose where the new priorities start.")
        if len(titles) + len(cleaned.get("parts") or []) < 2 and not self.errors:
            self.add_error("parts", "Choose or name at least two priorities it was split into.")
        return cleaned


class MergeForm(forms.Form):
    def __init__(self, *args, priority: Priority, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        others = forms.ModelMultipleChoiceField(
            queryset=Priority.objects.filter(plan=priority.plan).exclude(pk=priority.pk),
            widget=forms.CheckboxSelectMultiple, label=f"Merge “{priority.title}” with",
        )
        self.fields["others"] = others
        into = forms.ModelChoiceField(
            queryset=_later_priorities(priority), required=False, empty_label="—",
            label="Into an existing priority",
        )
        into.label_from_instance = _priority_label
        self.fields["into"] = into
        self.fields["start"] = StartField(source=priority, required=False,
                                          label="Or into a new priority, starting in")
        self.fields["title"] = forms.CharField(required=False, max_length=250,
                                               label="Title of the new priority")
        self.fields["note"] = forms.CharField(
            required=False, widget=forms.Textarea(attrs={"rows": 3}),
            help_text="Why, in a sentence: it appears in each priority's history.",
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("into") and (cleaned.get("start") or cleaned.get("title")):
            self.add_error("into", "Choose an existing priority or a new one, not both.")
        elif not cleaned.get("into") and not self.errors:
            if not cleaned.get("start"):
                self.add_error("start", "Choose an existing priority, or where a new one starts.")
            if not cleaned.get("title", "").strip():
                self.add_error("title", "Give the new priority a title.")
        return cleaned


class EndForm(forms.Form):
    ended_year = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="No longer runs from",
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="e.g. “No direct resources, powers or influence.”",
    )

    def __init__(self, *args, priority: Priority, **kwargs) -> None:
        kwargs.setdefault("initial", {"ended_year": priority.ended_year,
                                      "reason": priority.ended_reason})
        super().__init__(*args, **kwargs)
        plan = priority.plan
        choices = [("", "It still runs (not ended)")]
        choices += [(y, year_label(y)) for y in range(priority.start_year + 1, plan.end_year + 1)]
        choices.append((plan.end_year + 1, f"{year_label(plan.end_year + 1)}: when the plan ended"))
        self.fields["ended_year"].choices = choices

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("ended_year") is not None and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why the priority ended.")
        return cleaned
