"""Tables of the datasets pages (django-tables2)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from datasets.importers.common import parse_month
from datasets.models import Upload, UploadKind, UploadStatus


class UploadTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name="Uploaded", format="j M Y H:i")
    original_name = tables.Column(verbose_name="File")
    kind = tables.Column(verbose_name="Kind")
    status = tables.Column(verbose_name="Status")
    period_start = tables.Column(verbose_name="Period", order_by=("period_start", "period_end"))
    rows = tables.Column(verbose_name="Rows accepted", accessor="summary__rows_accepted",
                         orderable=False, attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    uploaded_by = tables.Column(verbose_name="By", orderable=False)

    class Meta:
        model = Upload
        fields = ["created_at", "original_name", "kind", "status", "period_start", "rows",
                  "uploaded_by"]
        attrs = {"class": "data-table"}
        empty_text = "No uploads yet."
        order_by = "-created_at"

    def render_original_name(self, record: Upload, value: str):
        url = reverse("datasets:upload_detail", args=[record.partnership.slug, record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_status(self, record: Upload):
        status = record.shown_status
        return format_html('<span class="upload-status upload-{}">{}</span>', status,
                           UploadStatus(status).label)

    def render_period_start(self, record: Upload):
        if not record.period_start:
            return "—"
        start = record.period_start.strftime("%b %Y")
        end = record.period_end.strftime("%b %Y") if record.period_end else start
        return start if start == end else f"{start} – {end}"

    def render_uploaded_by(self, value):
        return value.get_full_name() or value.username


class UploadFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=UploadKind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=UploadStatus.choices, empty_label="Any status",
                                         method="filter_status")
    period = django_filters.CharFilter(label="Covers month (YYYY-MM)", method="filter_period")

    class Meta:
        model = Upload
        fields = ["kind", "status", "period"]

    def filter_status(self, queryset, name, value):
        """By the status shown: an import whose worker died counts as failed."""
        return queryset.shown_as(value)

    def filter_period(self, queryset, name, value):
        month = parse_month(value)
        if month is None:
            return queryset.none()
        return queryset.filter(period_start__lte=month, period_end__gte=month)
