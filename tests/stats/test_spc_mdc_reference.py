"""Reference cases for preset "mdc": NHS England's Making Data Count (MDC) documentation.

Sources, each named in the tests that use it:

* [MDC-SYD] NHS England and NHS Improvement, "Making data count: strengthening your
  decisions" (#plotthedots guide), section "Using summary icons": grey common cause; blue
  special cause of an improving nature (higher or lower, by which is better); orange special
  cause of a concerning nature; purple where neither direction is better; assurance icons:
  the process will consistently pass the target, consistently fail it, or hit and miss it
  subject to random variation (the target lies inside the process limits).
* [PTD-DEV] NHSRplotthedots vignette "Deviations from Excel defaults"
  (vignettes/deviations.Rmd, nhs-r-community/NHSRplotthedots), which documents how the MDC
  Excel tools behave: they do not screen outlying moving ranges; every point is used for the
  moving range and the limits. Its example series is used below, with the limits derived by
  hand from the XmR formula (mean ± 2.66 × mean moving range).
"""

from __future__ import annotations

import pytest

from datasets.stats import xmr

# [PTD-DEV]: data <- c(1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1)
DEVIATIONS_DATA = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def test_the_mdc_excel_tools_do_not_screen_outlying_moving_ranges():
    # [PTD-DEV] "The Making Data Count Excel tools do not screen outlying points, and all
    # points are included in the moving range and limits calculations."
    # mean = 35 / 18; moving ranges: fifteen 1s, an 8 and a 9 -> mR-bar = 32 / 17.
    seg = xmr(DEVIATIONS_DATA, preset="mdc").segments[0]
    assert seg.mean == pytest.approx(35 / 18)
    assert seg.mean_moving_range == pytest.approx(32 / 17)
    assert seg.upper == pytest.approx(35 / 18 + 2.66 * 32 / 17)  # 6.95
    assert seg.lower == pytest.approx(35 / 18 - 2.66 * 32 / 17)  # -3.06


def test_the_r_package_screens_them_by_default_which_is_its_documented_deviation():
    # [PTD-DEV] screen_outliers = TRUE (the package default): the moving ranges 8 and 9 are
    # at least 3.267 x 32/17 = 6.15, so they are dropped and mR-bar = 15 / 15 = 1.
    seg = xmr(DEVIATIONS_DATA, preset="ptd").segments[0]
    assert seg.mean_moving_range == pytest.approx(1.0)
    assert seg.upper == pytest.approx(35 / 18 + 2.66)  # 4.60
    # and "setting screen_outliers = FALSE produces the same output as excel":
    same_as_excel = xmr(DEVIATIONS_DATA, preset="ptd", screen_outliers=False).segments[0]
    assert same_as_excel.upper == pytest.approx(xmr(DEVIATIONS_DATA).segments[0].upper)


def test_the_outlying_point_is_special_cause_on_either_chart():
    for preset in ("mdc", "ptd"):
        point = xmr(DEVIATIONS_DATA, preset=preset, min_points=1).points[4]
        assert "outside_limits" in point.rules


STEADY = [20, 22, 19, 21, 20, 23, 18, 21, 20, 22, 19, 21, 20, 21, 19]


@pytest.mark.parametrize(
    ("improvement", "value", "signal", "icon"),
    [
        ("increase", 40, "improvement", "improvement_high"),  # higher is better, above
        ("increase", 0, "concern", "concern_low"),
        ("decrease", 40, "concern", "concern_high"),  # lower is better, above
        ("decrease", 0, "improvement", "improvement_low"),
        ("neutral", 40, "neutral", "neutral_high"),  # purple: neither is better
        ("neutral", 0, "neutral", "neutral_low"),
        ("increase", 21, "common_cause", "common_cause"),  # grey
    ],
)
def test_the_variation_icons_follow_the_guide(improvement, value, signal, icon):
    # [MDC-SYD] "Using summary icons": the icon describes the latest point.
    result = xmr([*STEADY, value], improvement=improvement, fix_after_n_points=15)
    assert result.points[-1].signal == signal
    assert result.variation_icon == icon


@pytest.mark.parametrize(
    ("improvement", "target", "assurance"),
    [
        ("increase", 10, "pass"),  # target below the lower limit: consistently passes
        ("increase", 30, "fail"),  # above the upper limit: consistently fails
        ("increase", 20, "hit_or_miss"),  # inside the limits: hit and miss
        ("decrease", 30, "pass"),
        ("decrease", 10, "fail"),
        ("decrease", 20, "hit_or_miss"),
        ("neutral", 10, None),  # no assurance without a better direction
    ],
)
def test_the_assurance_icons_follow_the_guide(improvement, target, assurance):
    # [MDC-SYD] the assurance icon compares the target with the process limits.
    result = xmr(STEADY, improvement=improvement, target=target)
    seg = result.segments[0]
    assert seg.lower < 20 < seg.upper and seg.lower > 10 and seg.upper < 30
    assert result.assurance == assurance
