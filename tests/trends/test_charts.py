"""plotly SPC chart builder (datasets.charts) and the displayed rounding of figures."""

from __future__ import annotations

import datetime as dt

import pytest

from datasets import charts
from datasets.models import TrendSeries
from datasets.services.trend_calc import SeriesInput, compute_series
from datasets.tables_trends import TrendTable
from datasets.templatetags import trends as filters

NOW = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def _stored(values, rebase=(), first=dt.date(2020, 1, 1)) -> TrendSeries:
    item = SeriesInput(
        key="c:x:1:1", kind="count", partnership_id=1, label="Burglary – High Street",
        improvement="decrease", first=first.year * 12 + first.month - 1, values=values,
        rebase_months=tuple(first.year * 12 + first.month - 1 + i for i in rebase),
    )
    row, _, _ = compute_series(item, NOW)
    return row


def test_points_are_coloured_by_signal_and_hover_text_is_plain_english():
    row = _stored([10, 12, 11, 9, 10, 11, 12, 10, 11, 9, 10, 12, 11, 10, 30])
    figure = charts.spc_figure(row, points=row.spc_points(), unit="crimes")
    markers = {t.name: t for t in figure.data if t.mode == "markers"}
    assert markers["Within normal variation"].marker.color == "#7b7d7d"
    assert len(markers["Within normal variation"].x) == 14
    concern = markers["Special cause – concern"]
    assert concern.marker.color == "#fab428"
    assert list(concern.text) == [
        "March 2021: 30 crimes – special cause – concern (outside the control limits)"
    ]


def test_a_run_below_the_mean_of_a_falling_crime_count_is_an_improvement_in_blue():
    row = _stored([10, 12, 11, 9, 10, 11, 12, 10, 9, 11, 10, 12, 11, 10, 30, 31])
    figure = charts.spc_figure(row, points=row.spc_points(), unit="crimes")
    markers = {t.name: t for t in figure.data if t.mode == "markers"}
    improvement = markers["Special cause – improvement"]
    assert improvement.marker.color == "#289de0" and len(improvement.x) == 14
    assert improvement.text[0] == (
        "January 2020: 10 crimes – special cause – improvement "
        "(part of a run on one side of the average)"
    )


def test_improvement_is_blue_and_neutral_is_purple():
    assert charts.SIGNAL_COLOURS["improvement"] == "#289de0"
    assert charts.SIGNAL_COLOURS["neutral"] == "#361475"


def test_a_gap_is_described_as_no_data_not_zero():
    point = {"month": dt.date(2021, 4, 1), "value": None, "signal": None, "rules": set()}
    assert charts.hover_text(point, "needle finds") == "April 2021: no data (a gap, not zero)"
    assert filters.signal_text(point) == "Gap: no data (not zero)"


def test_a_common_cause_point_reads_within_normal_variation():
    point = {"month": dt.date(2021, 3, 1), "value": 138, "signal": "common_cause",
             "rules": set()}
    assert charts.hover_text(point, "needle finds") == (
        "March 2021: 138 needle finds – within normal variation"
    )


def test_mean_and_limits_are_drawn_per_segment_and_the_lower_limit_floored_at_zero():
    values = [1, 5, 1, 6, 0, 4, 1, 5, 2, 6, 0, 5, 1, 30, 31, 29, 33, 30, 28, 31, 30, 29, 32, 30,
              31, 29, 30]
    row = _stored(values, rebase=[13])
    assert row.segments()[0]["lower"] < 0  # stored unfloored
    figure = charts.spc_figure(row, points=row.spc_points(), step_months=[dt.date(2021, 2, 1)])
    lines = [t for t in figure.data if t.mode == "lines" and t.name == "Process limits"]
    assert len(lines) == 4  # upper and lower for each of two segments
    assert min(min(t.y) for t in lines) == 0
    averages = [t for t in figure.data if t.name == "Average"]
    assert len(averages) == 2 and len(averages[0].x) == 13 and len(averages[1].x) == 14
    assert any(a.text == "Step change" for a in figure.layout.annotations)


def test_annotations_are_marked_on_the_chart():
    row = _stored([5] * 14)
    figure = charts.spc_figure(
        row, points=row.spc_points(), annotations=[(dt.date(2020, 4, 1), "April recording")]
    )
    assert any(a.text == "April recording" for a in figure.layout.annotations)


def test_an_annotation_outside_the_series_span_does_not_stretch_the_axis():
    row = _stored([5] * 14)  # January 2020 to February 2021
    figure = charts.spc_figure(
        row, points=row.spc_points(),
        annotations=[(dt.date(2017, 4, 1), "April 2017 recording change")],
    )
    assert not any(a.text.startswith("April 2017") for a in figure.layout.annotations)
    assert not figure.layout.shapes


@pytest.mark.parametrize(
    ("pct", "shown"),
    [(2.25, "+2.3%"), (-2.25, "-2.3%"), (2.45, "+2.5%"), (-2.4654, "-2.5%"), (0.04, "0.0%"),
     (-0.04, "0.0%"), (100.0, "+100.0%")],
)
def test_displayed_percentages_round_half_away_from_zero_to_one_decimal(pct, shown):
    row = TrendSeries(pct_change=pct, pct_change_reason="")
    assert TrendTable.render_pct_change(None, row) == shown


def test_a_zero_base_is_shown_as_undefined_not_infinite():
    row = TrendSeries(pct_change=None, pct_change_reason="base_zero")
    assert TrendTable.render_pct_change(None, row) == "undefined (zero base)"


def test_the_change_per_day_reads_as_the_papers_print_it():
    assert filters.per_day(-232 / 365, "crimes") == "0.64 fewer crimes per day"


@pytest.mark.parametrize(
    ("month", "step", "shown"),
    [(dt.date(2021, 3, 1), 1, "March 2021"), (dt.date(2021, 10, 1), 3, "Oct–Dec 2021"),
     (dt.date(2021, 1, 1), 12, "2021"), (dt.date(2021, 4, 1), 12, "2021–22")],
)
def test_periods_are_printed_as_the_papers_print_them(month, step, shown):
    assert charts.month_label(month, step) == shown
