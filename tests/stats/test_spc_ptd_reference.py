"""Reference cases from NHSRplotthedots (the NHS-R community's R package), preset "ptd".

Each test names its source (repository + path). Sources were read from the public
repository nhs-r-community/NHSRplotthedots (R/ and tests/testthat/, 0.2.x line: its NEWS.md
heads "NHSRplotthedots 0.2.2") and the CRAN mirror cran/NHSRplotthedots (v0.1.0 vignettes).
Expected numbers are copied from the package's snapshot files or derived by hand from the
package's R source, as each comment says.
"""

from __future__ import annotations

import numpy as np
import pytest

from datasets.stats import assurance_for_limits, xmr
from datasets.stats.spc_rules import shift_flags, trend_flags, two_in_three_flags

# R: set.seed(123); rnorm(20) -- the data of test-ptd_spc_standard.R and test-ptd_spc.R.
RNORM_SEED_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def ptd(values, **options):
    options.setdefault("improvement", "increase")  # ptd_spc()'s default direction
    return xmr(values, preset="ptd", **options)


# --- limits -----------------------------------------------------------------------------


def test_limits_with_screening_match_ptd_spc_standard_snapshot():
    # nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_spc_standard.R (r1) with
    # expected values from tests/testthat/_snaps/ptd_spc_standard.md
    seg = ptd(RNORM_SEED_123).segments[0]
    assert seg.mean == pytest.approx(0.1416238, abs=1e-7)
    assert seg.lower == pytest.approx(-3.01138, abs=1e-5)
    assert seg.upper == pytest.approx(3.294627, abs=1e-6)


def test_screening_an_outlier_matches_ptd_spc_standard_snapshot():
    # nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_spc_standard.R (r2, r3:
    # data$y[15] <- 10) with _snaps/ptd_spc_standard.md
    data = list(RNORM_SEED_123)
    data[14] = 10
    screened = ptd(data).segments[0]
    unscreened = ptd(data, screen_outliers=False).segments[0]
    assert screened.mean == pytest.approx(0.6694159, abs=1e-7)
    assert screened.lower == pytest.approx(-2.383666, abs=1e-6)
    assert screened.upper == pytest.approx(3.722497, abs=1e-6)
    assert unscreened.lower == pytest.approx(-4.596625, abs=1e-6)
    assert unscreened.upper == pytest.approx(5.935457, abs=1e-6)
    assert unscreened.upper - unscreened.lower > screened.upper - screened.lower


def test_rebase_splits_limits_like_ptd_facets_snapshot():
    # nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_spc.R ("it outputs expected
    # content": facet = rep(c(0, 1), each = 10)) with _snaps/ptd_spc.md; the rebase_group
    # split comes from tests/testthat/test-ptd_spc_standard.R ("it sets the rebase_group
    # field": rebase after 10 points). A rebase at index 10 gives the same two groups.
    result = ptd(RNORM_SEED_123, rebase_at=[10])
    first, second = result.segments
    assert (first.start, first.end, second.start, second.end) == (0, 9, 10, 19)
    assert round(first.mean, 4) == 0.0746
    assert (round(first.lower, 2), round(first.upper, 2)) == (-2.60, 2.75)
    assert round(second.mean, 3) == 0.209
    assert (round(second.lower, 2), round(second.upper, 2)) == (-3.28, 3.70)
    # "common_cause 10, special_cause_improvement 0" for both groups in the snapshot
    assert all(p.signal == "common_cause" for p in result.points)


def test_whole_series_summary_is_all_common_cause_as_in_ptd_spc_snapshot():
    # nhs-r-community/NHSRplotthedots tests/testthat/_snaps/ptd_spc.md: n 20, common_cause 20
    result = ptd(RNORM_SEED_123)
    assert [p.signal for p in result.points] == ["common_cause"] * 20
    assert result.variation_icon == "common_cause"


def test_fix_after_n_points_changes_the_limits():
    # nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_spc_standard.R
    # ("setting fix_after_n_points changes the calculations", fix_after_n_points = 12)
    free = ptd(RNORM_SEED_123).segments[0]
    fixed = ptd(RNORM_SEED_123, fix_after_n_points=12).segments[0]
    assert fixed.lower != free.lower and fixed.upper != free.upper
    assert fixed.mean == pytest.approx(np.mean(RNORM_SEED_123[:12]))
    assert fixed.n_baseline == 12 and fixed.limits_fixed


def test_screening_deviation_example_from_vignette():
    # cran/NHSRplotthedots vignettes/deviations.Rmd ("Treatment of outlying points"):
    # data <- c(1, 2, 1, 2, 10, 1, 2, ...). Moving ranges: fifteen 1s, an 8 and a 9, so
    # mR-bar = 32/17 = 1.882; screening drops mRs >= 3.267 * 1.882 = 6.15 -> mR-bar 1.
    data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    screened = ptd(data).segments[0]
    excel = ptd(data, screen_outliers=False).segments[0]  # "replicate the excel method"
    assert screened.mean == pytest.approx(35 / 18)
    assert screened.mean_moving_range == pytest.approx(1.0)
    assert screened.upper == pytest.approx(35 / 18 + 2.66)
    assert excel.mean_moving_range == pytest.approx(32 / 17)
    assert excel.upper == pytest.approx(35 / 18 + 2.66 * 32 / 17)


# --- rule helpers (ptd_calculate_point_type.R internals) --------------------------------


@pytest.mark.parametrize(
    ("side", "expected"),
    [
        ([], []),
        ([1] * 6, [False] * 6),
        ([1] * 6 + [-1], [False] * 7),
        ([1] * 8 + [-1], [True] * 8 + [False]),
        ([-1] * 8 + [1], [True] * 8 + [False]),
        ([-1] + [1] * 8 + [-1], [False] + [True] * 8 + [False]),
    ],
)
def test_seven_points_one_side_of_mean_cases(side, expected):
    # nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R
    # (ptd_seven_point_one_side_mean + ptd_part_of_seven_trend: the flagged 7th/8th point
    # marks the six before it too)
    assert shift_flags(np.array(side, dtype=float), 7).tolist() == expected


@pytest.mark.parametrize(
    ("values", "rising", "falling"),
    [
        ([], [], []),
        (list(range(1, 7)), [False] * 6, [False] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [False] * 7, [False] * 7),  # c(1:3, 3:6): a tie breaks it
        (list(range(1, 8)), [True] * 7, [False] * 7),
        ([2, *range(1, 8), 3], [False] + [True] * 7 + [False], [False] * 9),
        (list(range(7, 0, -1)), [False] * 7, [True] * 7),
        ([2, *range(7, 0, -1), 3], [False] * 9, [False] + [True] * 7 + [False]),
    ],
)
def test_seven_point_trend_cases(values, rising, falling):
    # nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R
    # (ptd_seven_point_trend, then ptd_part_of_seven_trend)
    up, down, _ = trend_flags(np.array(values, dtype=float), 7)
    assert up.tolist() == rising
    assert down.tolist() == falling


@pytest.mark.parametrize(
    ("close", "relative_to_mean", "expected"),
    [
        ([0, 0, 0], [1, 1, 1], [0, 0, 0]),
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [1] * 4, [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
        # "when points are on opposite sides of the mean" (issue #143 fix)
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 1, 1], [1, -1, 1], [0, 0, 0]),
        ([1, 1, 0], [1, -1, 1], [0, 0, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
    ],
)
def test_two_in_three_cases(close, relative_to_mean, expected):
    # nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R
    # (ptd_two_in_three + ptd_part_of_two_in_three). There close_to_limits is one flag for
    # either side; here it is split into beyond-high / beyond-low by the side of the mean.
    side = np.array(relative_to_mean, dtype=float)
    near = np.array(close, dtype=bool)
    high, low = two_in_three_flags(near & (side > 0), near & (side < 0), side)
    assert (high | low).astype(int).tolist() == expected


# --- whole-chart behaviour ----------------------------------------------------------------


def test_two_close_points_on_opposite_sides_are_common_cause():
    # nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_spc_standard.R ("it only
    # reports special cause for 2of3 points close to limits when they are on the same side
    # of the mean"): rep(c(1, -1), 8) with points 15, 16 set to 5.5 and -5.5.
    data = [1, -1] * 8
    data[14], data[15] = 5.5, -5.5
    result = ptd(data)
    assert [p.signal for p in result.points[-2:]] == ["common_cause", "common_cause"]
    assert result.points[14].value > result.points[14].upper_2s  # really beyond two sigma


def test_falling_trend_above_the_mean_is_concern_by_ptd_precedence():
    # nhs-r-community/NHSRplotthedots R/ptd_calculate_point_type.R (ptd_special_cause_type:
    # outside limits > trend > 2 in 3 > 7 points one side) and PR #180 / issue #171 ("a trend
    # of 7 points above the mean trending down ... should not be improvement").
    data = [10, 0] * 5 + [20, 19, 18, 17, 16, 15, 14] + [0, 10, 0]
    result = ptd(data)
    trend_points = result.points[10:18]  # 20, 19, ..., 14, 0: eight falling points
    assert all("trend" in p.rules for p in trend_points)
    assert all("shift" in p.rules for p in result.points[10:17])  # seven above the mean
    assert [p.signal for p in trend_points] == ["concern"] * 8
    assert result.suggested_rebase == [10]


def test_increasing_run_is_labelled_by_precedence_outside_limits_first():
    # issue nhs-r-community/NHSRplotthedots#167 data (y = 0:7), expected labels derived from
    # R/ptd_calculate_point_type.R: mR-bar 1 so limits 3.5 -/+ 2.66; 0 is below the lower
    # limit ("Below LCL" -> concern when increase is good), the rest are trend/above UCL.
    result = ptd(list(range(8)))
    assert [p.signal for p in result.points] == ["concern"] + ["improvement"] * 7
    assert result.points[0].rules == {"outside_limits", "trend"}
    falling = ptd(list(range(0, -8, -1)))
    assert [p.signal for p in falling.points] == ["improvement"] + ["concern"] * 7


def test_neutral_direction_labels_every_special_cause_neutral():
    # nhs-r-community/NHSRplotthedots R/ptd_calculate_point_type.R (ptd_point_type with
    # improvement_direction == 0 -> special_cause_neutral_high / _low)
    result = ptd(list(range(8)), improvement="neutral")
    assert {p.signal for p in result.points} == {"neutral"}
    assert result.variation_icon == "neutral_high"


@pytest.mark.parametrize(
    ("tail", "counts_beyond", "flagged"),
    [
        ([16, 16, 14], False, set()),
        ([16, 14, 14], False, {21, 22}),
        ([16, 16, 14], True, {20, 21, 22}),
    ],
)
def test_two_in_three_ignores_points_beyond_the_limits_by_default(tail, counts_beyond, flagged):
    # issue nhs-r-community/NHSRplotthedots#153 (s>3, s>3, 2<s<3: the last point is common
    # cause; s>3, 2<s<3, 2<s<3: the last two are 2-in-3) and issue #194 (MDC's 2023 change
    # counts points beyond three sigma: two_sigma_counts_beyond_limits=True).
    # Baseline: 9, 11 alternating -> mean 10, mR-bar 2, UCL 15.32, upper 2-sigma 13.55.
    result = ptd(
        [9, 11] * 10 + tail, fix_after_n_points=20, two_sigma_counts_beyond_limits=counts_beyond
    )
    assert {p.index for p in result.points if "two_in_three" in p.rules} == flagged
    assert result.points[20].rules >= {"outside_limits"}


def test_rebase_dates_become_segment_starts():
    # nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_add_rebase_column.R: ten days
    # from 2020-01-02, rebase on 2020-01-03 and 2020-01-08 -> c(0, 1, 0, 0, 0, 0, 1, 0, 0, 0)
    result = ptd(RNORM_SEED_123[:10], rebase_at=[1, 6])
    assert [s.start for s in result.segments] == [0, 1, 6]
    assert [p.segment for p in result.points] == [0, 1, 1, 1, 1, 1, 2, 2, 2, 2]


def test_short_groups_keep_trial_limits_and_are_flagged():
    # nhs-r-community/NHSRplotthedots R/ptd_add_short_group_warnings.R and its test
    # tests/testthat/test-ptd_add_short_group_warnings.R: ptd never withholds limits, it
    # warns for short groups (threshold option default 13 in the current source, 12 in 0.1.0)
    short = ptd(RNORM_SEED_123[:11]).segments[0]
    assert short.short and short.upper is not None and short.lower is not None
    assert ptd(RNORM_SEED_123[:12]).segments[0].short
    assert not ptd(RNORM_SEED_123[:13]).segments[0].short
    assert ptd(RNORM_SEED_123).warnings == []
    assert ptd(RNORM_SEED_123[:5]).warnings  # a message for the short segment


def test_constant_series_has_no_limits_when_every_moving_range_is_screened():
    # nhs-r-community/NHSRplotthedots R/ptd_spc_standard.R: mr < 3.267 * amr keeps a moving
    # range; with amr = 0 nothing is kept, mean(NA) -> NaN limits. Here: None, never NaN.
    result = ptd([5, 5, 5, 5, 5, 5, 5, 5])
    point = result.points[0]
    assert point.mean == 5 and point.lower is None and point.upper is None
    assert point.lower_2s is None and point.upper_2s is None
    assert result.variation_icon is None


@pytest.mark.parametrize(
    ("lower", "upper", "increase", "decrease"),
    [
        (1, 3, "fail", "pass"),
        (5, 7, "pass", "fail"),
        (1, 5, "hit_or_miss", "hit_or_miss"),
    ],
)
def test_assurance_cases(lower, upper, increase, decrease):
    # nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R
    # (target 4; consistent_fail / consistent_pass / inconsistent; neutral -> NA)
    assert assurance_for_limits(lower, upper, 4, "increase") == increase
    assert assurance_for_limits(lower, upper, 4, "decrease") == decrease
    assert assurance_for_limits(lower, upper, 4, "neutral") is None
    assert assurance_for_limits(lower, upper, None, "increase") is None


def test_assurance_uses_the_latest_segment():
    # nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R
    # ("it returns correct values for assurance when rebase": the last row decides)
    data = [9, 11] * 6 + [29, 31] * 6
    result = ptd(data, rebase_at=[12], target=20, improvement="decrease")
    assert result.segments[1].lower > 20
    assert result.assurance == "fail"
    assert ptd(data[:12], target=20, improvement="decrease").assurance == "pass"


@pytest.mark.parametrize(
    ("improvement", "last", "icon"),
    [
        ("increase", 40, "improvement_high"),
        ("increase", -20, "concern_low"),
        ("decrease", 40, "concern_high"),
        ("decrease", -20, "improvement_low"),
        ("neutral", 40, "neutral_high"),
        ("neutral", -20, "neutral_low"),
    ],
)
def test_variation_icon_of_the_latest_point(improvement, last, icon):
    # nhs-r-community/NHSRplotthedots R/geom_ptd_icon.R (ptd_get_icons: the point type of
    # the last point; concern_ + low/high by improvement direction)
    result = ptd([9, 11] * 10 + [last], improvement=improvement)
    assert result.points[-1].rules == {"outside_limits"}
    assert result.variation_icon == icon


def test_a_moving_range_of_exactly_3_267_times_the_average_is_screened_out():
    # NHSRplotthedots R/ptd_spc_standard.R keeps a moving range only while
    # mr < 3.267 * mean(mr): moving ranges 733, 733, 733, 9801 average 3000 and
    # 3.267 x 3000 = 9801, so 9801 is dropped and mR-bar is 733.
    at = xmr([0, 733, 0, 733, 10534], preset="ptd").segments[0]
    assert at.mean_moving_range == 733
    # One less and it stays: 733, 733, 733, 9800 average 2999.75 (limit 9800.18).
    below = xmr([0, 733, 0, 733, 10533], preset="ptd").segments[0]
    assert below.mean_moving_range == 2999.75
