from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from actionplans.models import Action


class ActionTable(tables.Table):
    priority = tables.Column(accessor="plan__priority__title", verbose_name="Priority",
                             order_by=("plan__priority__order",))
    year = tables.Column(accessor="plan__year", verbose_name="Year")
    description = tables.Column(verbose_name="Action")
    lead_agency = tables.Column(verbose_name="Lead agency", order_by=("lead_agency__name",))
    due = tables.Column(accessor="due_date", verbose_name="Due",
                        order_by=("due_date", "cadence"))
    status = tables.Column(verbose_name="Status")
    latest = tables.Column(accessor="latest_update", verbose_name="Latest update",
                           orderable=False)

    class Meta:
        model = Action
        fields = ["priority", "year", "description", "lead_agency", "due", "status", "latest"]
        sequence = fields
        attrs = {"class": "data-table"}
        order_by = ("due",)
        empty_text = "No actions match these filters."
        template_name = "actionplans/_table.html"

    def __init__(self, *args, slug: str, **kwargs):
        self.slug = slug
        super().__init__(*args, **kwargs)

    def render_priority(self, record):
        url = reverse("actionplans:plan", args=[self.slug, record.plan_id])
        return format_html('<a href="{}#action-{}">{}</a>', url, record.pk, record.plan.priority)

    def render_year(self, record):
        return record.plan.year_label

    def render_due(self, record):
        if record.is_overdue():
            return format_html('{} <strong class="status status-off_track">Overdue</strong>',
                               record.due_label)
        return record.due_label

    def render_lead_agency(self, record):
        owner = record.owner
        if owner:
            return f"{record.lead_agency} ({owner.get_full_name() or owner.username})"
        return str(record.lead_agency)

    def render_status(self, record):
        return format_html('<span class="status status-{}">{}</span> <span class="muted">'
                           '(RAG: {})</span>', record.status, record.get_status_display(),
                           record.rag_label)

    def render_latest(self, value):
        if value is None:
            return "—"
        return format_html("{}: {}", value.date.strftime("%d %b %Y"), value.note)
