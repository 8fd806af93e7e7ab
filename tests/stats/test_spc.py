"""XmR and c-chart behaviour: every rule at its boundary, segments, gaps, presets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from datasets.stats import c_chart, display_floor, xmr
from datasets.stats.spc_rules import run_lengths, shift_run_starts

# Needle finds per month, Jan 2019 - Dec 2022 (shared/demo/needle_finds_monthly.csv);
# April 2021 is missing (a gap) and April 2020 (1,542) is an outlier.
NEEDLE_FINDS = [
    143, 164, 84, 205, 87, 85, 85, 203, 120, 136, 113, 97,
    59, 54, 138, 1542, 117, 27, 104, 128, 107, 121, 17, 74,
    135, 55, 38, None, 14, 539, 34, 42, 23, 120, 43, 23,
    80, 15, 18, 51, 22, 41, 79, 55, 26, 24, 43, 18,
]  # fmt: skip
ALTERNATING = [15, 5] * 4  # mean 10, ends below the mean


def flagged(result, rule):
    return [p.index for p in result.points if rule in p.rules]


def all_limit_fields(point):
    return (point.lower, point.upper, point.lower_2s, point.upper_2s)


# --- limits -------------------------------------------------------------------------------


def test_limits_are_mean_plus_minus_2_66_mean_moving_range():
    result = xmr([10, 12] * 8)
    seg = result.segments[0]
    assert seg.mean == 11 and seg.mean_moving_range == 2
    assert seg.upper == pytest.approx(11 + 2.66 * 2)
    assert seg.lower == pytest.approx(11 - 2.66 * 2)
    assert seg.upper_2s == pytest.approx(11 + 2 / 3 * 2.66 * 2)
    assert seg.lower_2s == pytest.approx(11 - 2 / 3 * 2.66 * 2)
    point = result.points[3]
    assert (point.mean, point.upper) == (seg.mean, seg.upper)


def test_lower_limit_is_kept_unfloored_and_display_floor_clips_counts():
    seg = xmr([0, 6] * 8).segments[0]
    assert seg.lower < 0
    assert display_floor(seg.lower) == 0
    assert display_floor(seg.lower, is_count=False) == seg.lower
    assert display_floor(4.5) == 4.5
    assert display_floor(None) is None


# --- outside limits -------------------------------------------------------------------------


def test_point_equal_to_the_upper_limit_is_not_outside():
    base = [9, 11] * 10
    upper = xmr(base, fix_after_n_points=20).segments[0].upper
    at_limit = xmr([*base, upper], fix_after_n_points=20)
    assert at_limit.points[-1].value == at_limit.points[-1].upper
    assert "outside_limits" not in at_limit.points[-1].rules
    above = xmr([*base, upper + 1e-9], fix_after_n_points=20)
    assert "outside_limits" in above.points[-1].rules


def test_point_equal_to_the_lower_limit_is_not_outside():
    base = [9, 11] * 10
    lower = xmr(base, fix_after_n_points=20).segments[0].lower
    assert "outside_limits" not in xmr([*base, lower], fix_after_n_points=20).points[-1].rules
    assert "outside_limits" in xmr([*base, lower - 1e-9], fix_after_n_points=20).points[-1].rules


# --- shift ---------------------------------------------------------------------------------


def test_shift_of_exactly_five_points_does_not_signal():
    result = xmr(ALTERNATING + [11] * 5 + [9] * 5)
    assert result.segments[0].mean == 10
    assert flagged(result, "shift") == []


def test_shift_of_exactly_six_points_signals():
    result = xmr(ALTERNATING + [11] * 6 + [9] * 6)
    assert flagged(result, "shift") == list(range(8, 20))
    assert result.suggested_rebase == [8, 14]


def test_point_exactly_on_the_mean_breaks_a_shift():
    broken = xmr(ALTERNATING + [11] * 3 + [10] + [11] * 3 + [9] * 3 + [10] + [9] * 3)
    assert broken.segments[0].mean == 10
    assert flagged(broken, "shift") == []


def test_ptd_preset_needs_seven_points_for_a_shift_unless_overridden():
    six = ALTERNATING + [11] * 6 + [9] * 6
    assert flagged(xmr(six, preset="ptd"), "shift") == []
    assert flagged(xmr(six, preset="ptd", shift_points=6), "shift") == list(range(8, 20))
    seven = ALTERNATING + [11] * 7 + [9] * 7
    assert flagged(xmr(seven, preset="ptd"), "shift") == list(range(8, 22))


def test_shift_run_starts_helper_marks_the_first_point_of_each_run():
    side = np.array([1, 1, 1, -1, -1, -1, 0, 1], dtype=float)
    assert shift_run_starts(side, 3).tolist() == [0, 3]
    assert run_lengths(side).tolist() == [3, 3, 3, 3, 3, 3, 1, 1]


# --- trend ---------------------------------------------------------------------------------

TREND_PREFIX = [8, 12] * 4  # ends on 12, so the next (lower) point starts a new run


def test_trend_of_exactly_five_points_does_not_signal():
    result = xmr(TREND_PREFIX + [9, 9.5, 10, 10.5, 11] + [8, 12] * 2)
    assert flagged(result, "trend") == []


def test_trend_of_exactly_six_points_signals_and_may_cross_the_mean():
    rising = [9, 9.4, 9.8, 10.2, 10.6, 11]
    result = xmr(TREND_PREFIX + rising + [8, 12] * 2)
    assert flagged(result, "trend") == list(range(8, 14))
    mean = result.segments[0].mean
    assert min(rising) < mean < max(rising)


def test_a_tie_breaks_a_trend():
    result = xmr(TREND_PREFIX + [9, 9.4, 9.8, 9.8, 10.2, 10.6, 11] + [8, 12] * 2)
    assert flagged(result, "trend") == []


def test_falling_trend_signals_concern_when_increase_is_good():
    falling = [11, 10.6, 10.2, 9.8, 9.4, 9]
    result = xmr([12, 8] * 4 + falling + [12, 8] * 2, improvement="increase")
    assert flagged(result, "trend") == list(range(8, 14))
    assert {result.points[i].signal for i in range(8, 14)} == {"concern"}


# --- two in three --------------------------------------------------------------------------

BASE = [9, 11] * 10  # mean 10, mR-bar 2: UCL 15.32, upper two-sigma 13.5467


def test_two_of_three_beyond_two_sigma_on_the_same_side_signal():
    result = xmr([*BASE, 14, 10.5, 14], fix_after_n_points=20)
    assert flagged(result, "two_in_three") == [20, 22]  # the middle point is not flagged


def test_two_beyond_two_sigma_with_the_third_below_the_mean_do_not_signal():
    result = xmr([*BASE, 14, 9.5, 14], fix_after_n_points=20)
    assert flagged(result, "two_in_three") == []


def test_points_exactly_on_the_two_sigma_line_are_not_beyond_it():
    line = xmr(BASE, fix_after_n_points=20).segments[0].upper_2s
    assert flagged(xmr([*BASE, line, line, line], fix_after_n_points=20), "two_in_three") == []


def test_point_beyond_the_limit_counts_for_two_in_three_only_with_the_option():
    default = xmr([*BASE, 16, 14, 10.5], fix_after_n_points=20)
    assert flagged(default, "two_in_three") == []
    assert flagged(default, "outside_limits") == [20]
    counted = xmr([*BASE, 16, 14, 10.5], fix_after_n_points=20, two_sigma_counts_beyond_limits=True)
    assert flagged(counted, "two_in_three") == [20, 21]


def test_two_in_three_below_the_lower_line_signals():
    result = xmr([*BASE, 6, 6.2], fix_after_n_points=20, improvement="decrease")
    # the window is (11, 6, 6.2): 11 is above the mean, so only (6, 6.2, -) could count
    assert flagged(result, "two_in_three") == []
    result = xmr([*BASE[:-1], 9, 6, 6.2], fix_after_n_points=20, improvement="decrease")
    assert flagged(result, "two_in_three") == [20, 21]
    assert result.points[20].signal == "improvement"


# --- rebases and fixed baselines -----------------------------------------------------------


def test_rebase_recalculates_limits_and_restarts_moving_ranges():
    data = [10, 12] * 8 + [30, 32] * 8
    rebased = xmr(data, rebase_at=[16])
    first, second = rebased.segments
    assert (first.start, first.end, second.start, second.end) == (0, 15, 16, 31)
    assert (first.mean, second.mean) == (11, 31)
    # the jump 12 -> 30 is not a moving range of either segment
    assert first.mean_moving_range == 2 and second.mean_moving_range == 2
    assert rebased.points[20].upper == pytest.approx(31 + 2.66 * 2)
    assert xmr(data).segments[0].mean_moving_range > 2


def test_rebase_at_an_existing_start_or_twice_is_ignored():
    result = xmr([1, 2, 3, 4], rebase_at=[0, 2, 2], min_points=0)
    assert [s.start for s in result.segments] == [0, 2]
    assert xmr([1, 2, 3, 4], rebase_at=np.array([2])).options.rebase_at == (2,)


SEG0 = [8, 12] * 7 + [11, 11, 11]  # mean 10.18: the last four points are above it
SEG1 = [21, 21, 21] + [18, 22] * 7  # mean 20.18: the first three are above it


def test_runs_continue_across_a_rebase_when_rules_cross_rebase():
    result = xmr(SEG0 + SEG1, rebase_at=[17], rules_cross_rebase=True)
    assert flagged(result, "shift") == list(range(13, 20))
    assert result.suggested_rebase == [13]


def test_runs_stop_at_a_rebase_when_rules_do_not_cross():
    result = xmr(SEG0 + SEG1, rebase_at=[17], rules_cross_rebase=False)
    assert flagged(result, "shift") == []
    assert xmr(SEG0 + SEG1, preset="ptd", rebase_at=[17], shift_points=6).suggested_rebase == []


def test_no_rebase_is_suggested_at_an_existing_segment_start():
    data = [10, 12] * 8 + [30, 31, 30, 31, 30, 31, 30]
    assert xmr(data).suggested_rebase == [16]
    assert xmr(data, rebase_at=[16]).suggested_rebase == []


def test_fixed_baseline_uses_the_first_points_of_each_segment():
    data = [10, 12, 10, 12, 10, 50, 60, 70] + [1, 3, 1, 3, 100, 200]
    result = xmr(data, fix_after_n_points=4, rebase_at=[8], min_points=0)
    first, second = result.segments
    assert (first.mean, first.n_baseline, first.n_points, first.limits_fixed) == (11, 4, 8, True)
    assert (second.mean, second.mean_moving_range) == (2, 2)
    assert result.points[7].upper == pytest.approx(11 + 2.66 * 2)  # extended forward
    assert "outside_limits" in result.points[7].rules


def test_twelve_point_baseline_in_a_long_segment_still_shows_mdc_limits():
    result = xmr([10, 12] * 12, fix_after_n_points=12)
    seg = result.segments[0]
    assert (seg.n_baseline, seg.n_points) == (12, 24)
    assert seg.upper == pytest.approx(11 + 2.66 * 2)
    assert result.variation_icon == "common_cause"


# --- gaps -------------------------------------------------------------------------------------


def test_gap_is_not_zero_and_keeps_its_segment_lines():
    result = xmr([10, 12, None, 30, 32], min_points=0)
    gap = result.points[2]
    assert gap.value is None and gap.signal is None and gap.rules == frozenset()
    assert gap.mean == pytest.approx(21) and gap.upper is not None
    # moving ranges only between time-adjacent points: |12-10| and |32-30|
    assert result.segments[0].mean_moving_range == 2
    assert result.segments[0].n_points == 4


def test_nan_is_a_gap_too():
    result = xmr([10.0, math.nan, 12.0], min_points=0)
    assert result.points[1].value is None and result.points[1].signal is None
    assert result.segments[0].mean == 11


def test_shift_and_trend_runs_skip_over_a_gap():
    shift = xmr(ALTERNATING + [11] * 3 + [None] + [11] * 3 + [9] * 6)
    assert flagged(shift, "shift") == [8, 9, 10, 12, 13, 14, *range(15, 21)]
    trend = xmr(TREND_PREFIX + [9, 9.4, 9.8, None, 10.2, 10.6, 11] + [8, 12] * 2)
    assert flagged(trend, "trend") == [8, 9, 10, 12, 13, 14]


def test_real_needle_finds_with_a_gap_and_an_outlier():
    mdc = xmr(NEEDLE_FINDS, improvement="decrease")
    ptd = xmr(NEEDLE_FINDS, preset="ptd", improvement="decrease")
    assert mdc.points[27].value is None and mdc.points[27].signal is None
    assert mdc.segments[0].n_points == 47
    assert ptd.segments[0].upper < mdc.segments[0].upper  # screening drops 1,542's ranges
    assert mdc.points[15].rules >= {"outside_limits"} and mdc.points[15].signal == "concern"
    assert mdc.latest is not None and mdc.latest.index == 47
    assert mdc.variation_icon in {"improvement_low", "common_cause"}


# --- short, constant and single-point series -------------------------------------------------


def test_series_shorter_than_min_points_has_no_limits_under_mdc():
    result = xmr(ALTERNATING[:6] + [11] * 6)  # 12 points, then a huge value is not outside
    point = result.points[0]
    assert all_limit_fields(point) == (None, None, None, None)
    assert point.mean is not None
    assert flagged(result, "shift") == list(range(6, 12))  # shift still evaluated
    assert flagged(result, "outside_limits") == []
    assert result.variation_icon is None
    assert result.warnings and "no process limits" in result.warnings[0]


def test_thirteen_points_are_enough_for_mdc_limits():
    assert xmr([10, 12] * 6 + [11]).segments[0].upper is not None
    assert xmr([10, 12] * 6).segments[0].upper is None


def test_constant_series_has_zero_width_limits_under_mdc_and_no_signal():
    result = xmr([7] * 15, improvement="increase")
    point = result.points[0]
    assert (point.lower, point.mean, point.upper) == (7, 7, 7)
    assert all(p.signal == "common_cause" for p in result.points)
    assert xmr([7] * 15, screen_outliers=True).points[0].upper is None


def test_single_point_has_no_limits_and_no_nan():
    result = xmr([42], preset="ptd")
    point = result.points[0]
    assert point.mean == 42 and all_limit_fields(point) == (None, None, None, None)
    assert point.signal == "common_cause"
    assert result.variation_icon is None and result.assurance is None


def test_empty_and_all_gap_series():
    assert xmr([]).points == []
    result = xmr([None, None])
    assert [p.signal for p in result.points] == [None, None]
    assert result.segments[0].mean is None and result.variation_icon is None


# --- screening -------------------------------------------------------------------------------


def test_screening_is_off_for_mdc_and_on_for_ptd():
    data = [10, 12] * 8 + [40] + [10, 12] * 2
    mdc, ptd = xmr(data).segments[0], xmr(data, preset="ptd").segments[0]
    assert ptd.mean_moving_range < mdc.mean_moving_range
    assert xmr(data, screen_outliers=True).segments[0].upper == pytest.approx(ptd.upper)


# --- signals, conflicts, icons, assurance ---------------------------------------------------

CONFLICT = [10, 0] * 5 + [20, 19, 18, 17, 16, 15, 14] + [0, 10, 0]


def test_conflicting_point_takes_improvement_under_mdc():
    result = xmr(CONFLICT, improvement="increase")
    assert [result.points[i].signal for i in range(10, 17)] == ["improvement"] * 7
    assert result.points[17].signal == "concern"  # only in the falling trend


def test_conflicting_point_follows_rule_precedence_under_ptd():
    result = xmr(CONFLICT, preset="ptd", improvement="increase")
    assert [result.points[i].signal for i in range(10, 18)] == ["concern"] * 8


def test_conflict_option_overrides_the_preset():
    result = xmr(CONFLICT, improvement="increase", conflict="precedence")
    assert result.points[10].signal == "concern"


def test_neutral_improvement_labels_special_cause_neutral():
    result = xmr(CONFLICT, improvement="neutral")
    assert {result.points[i].signal for i in range(10, 18)} == {"neutral"}


@pytest.mark.parametrize(
    ("improvement", "last", "icon"),
    [
        ("decrease", 40, "concern_high"),
        ("decrease", -20, "improvement_low"),
        ("increase", 40, "improvement_high"),
        ("increase", -20, "concern_low"),
        ("neutral", -20, "neutral_low"),
        ("increase", 10, "common_cause"),
    ],
)
def test_variation_icon_describes_the_latest_point(improvement, last, icon):
    assert xmr([*BASE, last], improvement=improvement).variation_icon == icon


def test_variation_icon_uses_the_last_non_gap_point():
    result = xmr([*BASE, 40, None], improvement="decrease")
    assert result.variation_icon == "concern_high"


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        ("increase", 1, "pass"),
        ("increase", 30, "fail"),
        ("increase", 10, "hit_or_miss"),
        ("decrease", 30, "pass"),
        ("decrease", 1, "fail"),
        ("decrease", 10, "hit_or_miss"),
        ("neutral", 1, None),
        ("increase", None, None),
    ],
)
def test_assurance_against_target(improvement, target, expected):
    assert xmr(BASE, improvement=improvement, target=target).assurance == expected


def test_target_equal_to_a_limit_is_hit_or_miss():
    upper = xmr(BASE).segments[0].upper
    assert xmr(BASE, improvement="increase", target=upper).assurance == "hit_or_miss"


def test_no_assurance_without_limits():
    assert xmr(BASE[:10], improvement="increase", target=1).assurance is None


# --- c-chart -------------------------------------------------------------------------------


def test_c_chart_limits_are_mean_plus_minus_three_root_mean():
    counts = [2, 0, 1, 3, 2, 1, 0, 2, 4, 1, 2, 3, 1, 2]
    result = c_chart(counts, improvement="decrease")
    seg = result.segments[0]
    mean = sum(counts) / len(counts)
    assert seg.mean == pytest.approx(mean)
    assert seg.upper == pytest.approx(mean + 3 * math.sqrt(mean))
    assert seg.lower == pytest.approx(mean - 3 * math.sqrt(mean))
    assert seg.lower < 0 and display_floor(seg.lower) == 0
    assert seg.upper_2s == pytest.approx(mean + 2 * math.sqrt(mean))
    assert seg.mean_moving_range is None
    assert result.chart == "c" and len(result.points) == len(counts)


def test_c_chart_flags_a_rare_spike_and_handles_gaps():
    result = c_chart([1, 0, 2, 1, None, 1, 0, 1, 2, 1, 0, 1, 1, 12], improvement="decrease")
    assert result.points[4].value is None and result.points[4].signal is None
    assert result.points[-1].rules >= {"outside_limits"}
    assert result.variation_icon == "concern_high"


def test_c_chart_rejects_negative_counts():
    with pytest.raises(ValueError):
        c_chart([1, -1, 2])


# --- options and input validation ----------------------------------------------------------


def test_options_are_resolved_from_the_preset_with_overrides():
    opts = xmr([1, 2, 3], preset="ptd", min_points=5, trend_points=5).options
    assert (opts.shift_points, opts.trend_points, opts.min_points) == (7, 5, 5)
    assert opts.screen_outliers and not opts.rules_cross_rebase
    mdc = xmr([1, 2, 3]).options
    assert (mdc.shift_points, mdc.trend_points, mdc.min_points) == (6, 6, 13)
    assert not mdc.screen_outliers and mdc.rules_cross_rebase
    assert mdc.improvement == "neutral"


@pytest.mark.parametrize(
    "options",
    [
        {"preset": "excel"},
        {"improvement": "up"},
        {"rebase_at": [5]},
        {"rebase_at": [-1]},
        {"shift_points": 1},
        {"fix_after_n_points": 1},
        {"conflict": "random"},
    ],
)
def test_invalid_options_raise_value_error(options):
    with pytest.raises(ValueError):
        xmr([1, 2, 3], **options)


def test_infinite_values_are_rejected():
    with pytest.raises(ValueError):
        xmr([1.0, math.inf])


def test_numpy_input_gives_the_same_result():
    data = [10, 12, None, 30, 32] * 3
    from_list = xmr(data)
    from_array = xmr(np.array([np.nan if v is None else v for v in data], dtype=float))
    assert [p.mean for p in from_list.points] == [p.mean for p in from_array.points]
    assert [p.value for p in from_array.points][2] is None


def test_a_point_on_a_mean_that_floating_point_rounds_still_breaks_a_shift():
    # The mean is 26.6 exactly; summed in floating point it is 26.600000000000005, which
    # must not put the value 26.6 "above" it and make a run of four out of three.
    values = [14.0, 26.6, 30.1, 29.3, 69.4, 16.6, 49.8, 31.8, 29.0, 8.0, 13.8, 0.8]
    assert sum(values) / len(values) != 26.6  # the rounding this test is about
    result = xmr(values, shift_points=4, min_points=1)
    assert not any("shift" in p.rules for p in result.points)
    assert "shift" in xmr(values[:1] + [27.0] + values[2:], shift_points=4,
                          min_points=1).points[1].rules


def test_a_point_exactly_on_a_rounded_limit_is_inside():
    # Exactly, mean + 2.66 x mR-bar = 6.689 here; in floating point the limit comes out as
    # 6.688999999999999, which must not put a value of 6.689 beyond it.
    base = [0.3, 2.8, 4.1, 2.2, 1.8, 3.8, 2.6, 2.4, 0.9, 3.4, 4.1, 0.0, 1.5]
    result = xmr([*base, 6.689], fix_after_n_points=13)
    assert result.points[-1].upper < 6.689  # the rounding this test is about
    assert "outside_limits" not in result.points[-1].rules
    assert "outside_limits" in xmr([*base, 6.69], fix_after_n_points=13).points[-1].rules
