"""django-tables2 table of stored trend results (the trends overview)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from datasets.charts import month_label
from datasets.models import TrendSeries
from datasets.models.trends import SIGNAL_LABELS
from datasets.stats import format_decimal, format_pct, format_rate


def _num(value) -> str:
    if value is None:
        return "—"
    return f"{int(value):,}" if float(value).is_integer() else format_decimal(value, 1)


class TrendTable(tables.Table):
    label = tables.Column(verbose_name="Series", order_by=("label",))
    area_level = tables.Column(verbose_name="Level")
    period_end = tables.Column(verbose_name="Latest period")
    latest_value = tables.Column(verbose_name="Latest month value", attrs={"td": {"class": "num"}})
    rolling_total = tables.Column(verbose_name="Rolling 12 months",
                                  attrs={"td": {"class": "num"}})
    previous_total = tables.Column(verbose_name="Previous 12 months",
                                   attrs={"td": {"class": "num"}})
    change = tables.Column(verbose_name="Change", attrs={"td": {"class": "num"}})
    pct_change = tables.Column(verbose_name="% change", attrs={"td": {"class": "num"}},
                               empty_values=())
    small_numbers = tables.Column(verbose_name="Small numbers")
    rate = tables.Column(verbose_name="Rate per 1,000", attrs={"td": {"class": "num"}})
    rank = tables.Column(verbose_name="Rank", attrs={"td": {"class": "num"}})
    latest_signal = tables.Column(verbose_name="Latest SPC signal")

    class Meta:
        model = TrendSeries
        fields = []
        sequence = ["label", "area_level", "period_end", "latest_value", "rolling_total",
                    "previous_total", "change", "pct_change", "small_numbers", "rate",
                    "rank", "latest_signal"]
        orderable = True
        empty_text = "No trend results yet."

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def render_period_end(self, record):
        return month_label(record.period_end, record.step_months, short=True)

    def render_label(self, record):
        url = reverse("datasets:trend_series", args=[self.partnership.slug, record.pk])
        return format_html('<a href="{}">{}</a>', url, record.label)

    def render_area_level(self, record):
        return record.area.get_level_display() if record.area_id else "Indicator"

    def render_latest_value(self, value):
        return _num(value)

    def render_rolling_total(self, value):
        return _num(value)

    def render_previous_total(self, value):
        return _num(value)

    def render_change(self, value):
        return "—" if value is None else (("+" if value > 0 else "") + _num(value))

    def render_pct_change(self, record):
        if record.pct_change is None:
            return "undefined (zero base)" if record.pct_change_reason == "base_zero" else "—"
        return format_pct(record.pct_change, signed=True) + "%"

    def render_small_numbers(self, value):
        return "Small numbers" if value else ""

    def render_rate(self, value):
        return format_rate(value)

    def render_rank(self, record):
        if record.rank is None:
            return "—"
        change = record.rank_change
        moved = "" if not change else f" ({'up' if change > 0 else 'down'} {abs(change)})"
        return f"{record.rank} of {record.rank_of}{moved}"

    def render_latest_signal(self, value):
        css = f"signal signal-{value}"
        return format_html('<span class="{}">{}</span>', css, SIGNAL_LABELS.get(value, value))


CSV_HEADER = [
    "Series", "Source", "Area", "Area level", "Category", "Indicator", "Latest month",
    "Latest month value", "Rolling 12 months", "Previous 12 months", "Change", "% change",
    "% change note", "Change per day", "Small numbers", "Population", "Population year",
    "Rate per 1,000", "Rank", "Of", "Rank change", "Latest SPC signal", "Variation icon",
]


def csv_row(row: TrendSeries) -> list:
    return [
        row.label, row.source, row.area.name if row.area_id else "",
        row.area_level, row.category.name if row.category_id else "",
        row.indicator.name if row.indicator_id else "",
        f"{row.period_end:%Y-%m}" if row.period_end else "", row.latest_value,
        row.rolling_total, row.previous_total, row.change,
        format_pct(row.pct_change, none_text=""), row.pct_change_reason,
        format_decimal(row.change_per_day, 2, none_text=""), "yes" if row.small_numbers else "",
        row.population, row.population_year, format_rate(row.rate, none_text=""),
        row.rank, row.rank_of, row.rank_change, row.latest_signal, row.variation_icon,
    ]


PERIOD_CSV_HEADER = [
    "Period end", "Value", "Rolling 12 months", "Previous 12 months", "Change", "% change",
    "% change note", "Change per day", "Small numbers", "Population year", "Rate per 1,000",
    "Previous rate per 1,000", "Rank", "Of", "Rank change",
]


def period_csv_row(row) -> list:
    """One ``TrendPeriodResult`` as a CSV row (same number formats as the page)."""
    return [
        f"{row.period_end:%Y-%m}", row.latest_value, row.rolling_total, row.previous_total,
        row.change, format_pct(row.pct_change, none_text=""), row.pct_change_reason,
        format_decimal(row.change_per_day, 2, none_text=""),
        "yes" if row.small_numbers else "", row.population_year,
        format_rate(row.rate, none_text=""), format_rate(row.previous_rate, none_text=""),
        row.rank, row.rank_of, row.rank_change,
    ]
