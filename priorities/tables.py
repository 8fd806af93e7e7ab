"""django-tables2 tables of the priorities pages."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from priorities.models import PlanPeriod


class PlanPeriodTable(tables.Table):
    caption = "Plan periods of the partnership, newest first"
    title = tables.Column(verbose_name="Plan")
    years = tables.Column(accessor="start_year", verbose_name="Years",
                          order_by=("start_year", "end_year"))
    is_published = tables.BooleanColumn(verbose_name="Published", yesno="Yes,No")
    priority_count = tables.Column(verbose_name="Priorities and themes", attrs={
        "td": {"class": "num"}, "th": {"class": "num"}})
    edit = tables.Column(empty_values=(), orderable=False, verbose_name="")

    class Meta:
        model = PlanPeriod
        fields = ["title", "years", "is_published", "priority_count"]
        order_by = "-years"

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def render_years(self, record: PlanPeriod) -> str:
        return record.label

    def render_edit(self, record: PlanPeriod) -> str:
        url = reverse("priorities:plan_edit", args=[self.partnership.slug, record.pk])
        return format_html('<a href="{}">Edit <span class="visually-hidden">{}</span></a>',
                           url, record.title)
