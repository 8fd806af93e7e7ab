"""Statistical Process Control: XmR charts (NHS England "Making Data Count") and c-charts.

``xmr(values, **options)`` takes a sequence of numbers, ``None`` (or NaN) marking a gap,
and returns an :class:`~datasets.stats.spc_types.SpcResult`.

Limits (per segment; a segment starts at index 0 and at every ``rebase_at`` index)
    centre line = mean of the baseline points; mean moving range (mR-bar) = mean of
    |x[i] - x[i-1]| over baseline points; process limits = mean -/+ 2.66 x mR-bar;
    two-sigma lines = mean -/+ 2 x (2.66 / 3) x mR-bar. Moving ranges restart in each
    segment. With ``screen_outliers`` every moving range >= 3.267 x mR-bar is dropped once
    and mR-bar recomputed from the rest (NHSRplotthedots). The baseline is every non-gap
    point of the segment, or the first ``fix_after_n_points`` non-gap points **of each
    segment** when set (limits then extended to the rest of that segment).
    c-chart (``c_chart``): centre = mean, limits = mean -/+ 3 sqrt(mean), two-sigma lines
    mean -/+ 2 sqrt(mean); no moving ranges, no screening.

Gaps (``None``/NaN, never zero)
    A moving range is only formed by two non-gap points that are adjacent in time, so a
    gap removes the two moving ranges it touches. For the run rules the gap is skipped:
    shift, trend and two-in-three look at the non-gap points in order, so a run continues
    across a gap. A gap point has ``value=None``, ``signal=None``, no rules, and carries its
    segment's mean and limits for charting.

When limits are ``None`` (never NaN)
    * fewer than ``min_points`` non-gap points in the segment (13 under ``"mdc"``: the MDC
      tool shows limits and icons from 13 points; the baseline itself only needs one
      moving range, so a fixed 12-point baseline in a 24-point segment shows limits);
    * no moving range (a single point, or gaps between every point);
    * every moving range screened out (a constant series under ``"ptd"``).
    Without screening a constant series has mR-bar 0, so limits equal the mean.
    The centre line is kept whenever the segment has a point, so shift and trend are still
    evaluated; outside-limits and two-in-three need limits and do not fire.

Rules (all strict) - see :mod:`datasets.stats.spc_rules`
    Equality is judged to within ``EQUAL_TOLERANCE`` (1e-12) of the largest value's size,
    so floating-point rounding in the mean or limits (a mean of 26.6 computed as
    26.600000000000005) cannot put a point that is on a line off it.
    ``outside_limits``: value > upper or < lower (equal to a limit is inside).
    ``shift``: ``shift_points`` or more consecutive points on one side of the mean; a point
    exactly on the mean breaks the run. ``trend``: ``trend_points`` or more consecutive
    points each strictly above (below) the previous; a tie breaks it; it may cross the mean.
    ``two_in_three``: two or three of three consecutive points beyond the same two-sigma
    line, all three on that side of the mean; only the points beyond the line are flagged.
    Unless ``two_sigma_counts_beyond_limits`` a point beyond the process limit does not
    count as beyond the two-sigma line (NHSRplotthedots; MDC's tool counts it since 2023).
    ``rules_cross_rebase`` (mdc True, ptd False): runs of all three rules continue across
    a step change, each point judged against its own segment's lines; when False, rules are
    evaluated within each segment only.

Signals
    Each special-cause point gets a direction per rule (above/below, rising/falling).
    ``improvement="neutral"`` -> ``"neutral"``. Otherwise under ``conflict="improvement"``
    (mdc) a point with any direction that is good is ``"improvement"`` (MDC's tool shows
    improvement when both fire), else ``"concern"``. Under ``conflict="precedence"`` (ptd)
    the first rule in the order outside_limits > trend > two_in_three > shift decides.

Icons and assurance
    ``variation_icon`` comes from the last non-gap point (MDC icons describe the latest
    point): common_cause, improvement_high/low, concern_high/low, neutral_high/low; it is
    ``None`` when that point has no limits (too few points) or every value is a gap.
    ``assurance`` uses the limits of the segment holding the last non-gap point:
    improvement "increase": target < lower -> "pass", target > upper -> "fail", otherwise
    "hit_or_miss" ("decrease" mirrors it); ``None`` without a target, without limits, or for
    ``improvement="neutral"`` (as NHSRplotthedots).

``suggested_rebase`` lists the first point of every shift run that is not already a segment
start. Presets: ``"mdc"`` shift 6, trend 6, min_points 13, no screening, rules cross
rebases, improvement wins conflicts; ``"ptd"`` (NHSRplotthedots 0.2.x) shift 7, trend 7,
screening, no minimum (limits from 2 points; ``short`` flags n < 13), rules within
segments, precedence. ``improvement`` defaults to ``"neutral"`` under both presets (say
``"decrease"`` for crime counts).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .spc_rules import shift_runs, trend_flags, two_in_three_flags
from .spc_types import (
    RULE_NAMES,
    SHORT_SEGMENT_WARNING,
    SpcOptions,
    SpcPoint,
    SpcResult,
    SpcSegment,
    assurance_for_limits,
    display_floor,
    resolve_options,
    segment_warning,
    variation_icon,
)

__all__ = ["xmr", "c_chart", "display_floor", "assurance_for_limits", "XMR_LIMIT"]

#: Process limit multiplier of mR-bar for an XmR chart (3 / d2, d2 = 1.128).
XMR_LIMIT = 2.66
#: Two-sigma multiplier, computed as NHSRplotthedots does: 2 * (2.66 / 3).
XMR_TWO_SIGMA = 2 * (XMR_LIMIT / 3)
#: Moving ranges at or above this multiple of mR-bar are screened out (D4 for n = 2).
SCREEN_FACTOR = 3.267
#: Relative tolerance of "equal" in the rules (values on the mean or on a limit).
EQUAL_TOLERANCE = 1e-12

_SIGNAL_NAMES = (None, "common_cause", "improvement", "concern", "neutral")
_RULE_SETS = tuple(
    frozenset(name for bit, name in enumerate(RULE_NAMES) if mask >> bit & 1) for mask in range(16)
)
ValueSeq = Sequence[float | int | None] | np.ndarray


def _as_array(values: ValueSeq) -> tuple[np.ndarray, list[float | int | None]]:
    if isinstance(values, np.ndarray):
        arr = values.astype(np.float64)
        originals: list[float | int | None] = arr.tolist()
    else:
        originals = list(values)
        arr = np.array(originals, dtype=np.float64)  # None becomes NaN
    if arr.ndim != 1:
        raise ValueError("values must be one-dimensional")
    gap = np.isnan(arr)
    if gap.any():
        originals = [None if g else v for v, g in zip(originals, gap.tolist(), strict=True)]
    if np.isinf(arr).any():
        raise ValueError("values must be finite (use None for a gap)")
    return arr, originals


def _segment_limits(
    seg: np.ndarray, opts: SpcOptions, chart: str
) -> tuple[int, int, float, float, float, float]:
    """Return (n_points, n_baseline, mean, mR-bar, half width 3s, half width 2s); NaN = none."""
    pos = np.flatnonzero(~np.isnan(seg))
    n_points = pos.shape[0]
    if opts.fix_after_n_points is not None:
        pos = pos[: opts.fix_after_n_points]
    base = seg[pos]
    n_base = base.shape[0]
    nan = math.nan
    if n_base == 0:
        return n_points, 0, nan, nan, nan, nan
    mean = float(base.sum()) / n_base
    if chart == "c":
        if n_points < max(opts.min_points, 1):
            return n_points, n_base, mean, nan, nan, nan
        sd = math.sqrt(mean)
        return n_points, n_base, mean, nan, 3 * sd, 2 * sd
    if n_base > 1:
        mr = np.abs(base[1:] - base[:-1])
        if pos[-1] - pos[0] != n_base - 1:  # a gap inside the baseline breaks some pairs
            mr = mr[(pos[1:] - pos[:-1]) == 1]
    else:
        mr = base[:0]
    amr = float(mr.sum()) / mr.shape[0] if mr.shape[0] else nan
    if opts.screen_outliers and mr.shape[0]:
        kept = mr[mr < SCREEN_FACTOR * amr]
        amr = float(kept.sum()) / kept.shape[0] if kept.shape[0] else nan
    if math.isnan(amr) or n_points < opts.min_points:
        return n_points, n_base, mean, amr, nan, nan
    return n_points, n_base, mean, amr, XMR_LIMIT * amr, XMR_TWO_SIGMA * amr


def _none(x: float) -> float | None:
    return None if math.isnan(x) else x


def _group_lines(
    idx: np.ndarray, gs: int, ge: int, starts: list[int], lines: Sequence[tuple[float, ...]]
) -> tuple[Any, ...]:
    """Centre and limit lines for the points ``idx`` of group [gs, ge): scalars when the
    group lies inside one segment, else per-point arrays (each point's own segment)."""
    first = bisect_right(starts, gs) - 1
    if first == len(starts) - 1 or starts[first + 1] >= ge:
        return lines[first]
    table = np.array(lines, dtype=np.float64)
    owner = np.searchsorted(np.array(starts), idx, side="right") - 1
    return tuple(table[owner, column] for column in range(5))


def _compute(
    values: ValueSeq,
    chart: str,
    preset: str,
    improvement: str,
    rebase_at: object,
    fix_after_n_points: int | None,
    target: float | None,
    overrides: Mapping[str, object],
) -> SpcResult:
    arr, originals = _as_array(values)
    n = arr.shape[0]
    opts = resolve_options(n, preset, overrides, improvement, rebase_at, fix_after_n_points, target)
    if chart == "c" and (arr[~np.isnan(arr)] < 0).any():
        raise ValueError("a c-chart needs non-negative counts")
    starts = [0, *opts.rebase_at] if n else []
    bounds = list(zip(starts, [*starts[1:], n], strict=True)) if n else []
    lines: list[tuple[float, float, float, float, float]] = []  # mean, lo, up, lo2, up2
    segments: list[SpcSegment] = []
    for s, e in bounds:
        n_pts, n_base, mean, amr, w3, w2 = _segment_limits(arr[s:e], opts, chart)
        lines.append((mean, mean - w3, mean + w3, mean - w2, mean + w2))
        segments.append(
            SpcSegment(
                s,
                e - 1,
                n_pts,
                n_base,
                _none(mean),
                _none(amr),
                _none(mean - w3),
                _none(mean + w3),
                _none(mean - w2),
                _none(mean + w2),
                n_base < n_pts,
                n_pts < SHORT_SEGMENT_WARNING,
            )
        )

    gap = np.isnan(arr)
    rules = np.zeros(n, dtype=np.int64)
    high = np.zeros(n, dtype=np.bool_)
    low = np.zeros(n, dtype=np.bool_)
    ranked = np.zeros(n, dtype=np.int64)  # direction by rule precedence (ptd)
    suggested: set[int] = set()
    groups = [(0, n)] if opts.rules_cross_rebase else bounds
    for gs, ge in groups:
        idx = np.flatnonzero(~gap[gs:ge]) + gs
        if idx.shape[0] == 0:
            continue
        y = arr[idx]
        m, lo, up, lo2, up2 = _group_lines(idx, gs, ge, starts, lines)
        # Strict comparisons, judged to within EQUAL_TOLERANCE of the values' scale, so
        # that rounding in the mean or limits (26.600000000000005 for a mean of 26.6)
        # never decides a rule: a point "on the mean" or "on a limit" is on it.
        tol = EQUAL_TOLERANCE * max(1.0, float(np.abs(y).max()))
        diff = y - m
        side = np.where(np.abs(diff) <= tol, 0.0, np.sign(diff))
        out_hi, out_lo = y > up + tol, y < lo - tol
        beyond_hi, beyond_lo = y > up2 + tol, y < lo2 - tol
        if not opts.two_sigma_counts_beyond_limits:
            beyond_hi &= ~out_hi
            beyond_lo &= ~out_lo
        shift, run_starts = shift_runs(side, opts.shift_points)
        rising, falling, tdir = trend_flags(y, opts.trend_points)
        tit_hi, tit_lo = two_in_three_flags(beyond_hi, beyond_lo, side)
        trend = rising | falling
        tit = tit_hi | tit_lo
        rules[idx] = (out_hi | out_lo) * 1 + shift * 2 + trend * 4 + tit * 8
        high[idx] = out_hi | (shift & (side > 0)) | rising | tit_hi
        low[idx] = out_lo | (shift & (side < 0)) | falling | tit_lo
        # one direction per point, by precedence: outside > trend > 2-in-3 > shift
        direction = np.where(shift, side, 0.0)
        direction[tit_lo] = -1
        direction[tit_hi] = 1
        direction = np.where(trend, tdir, direction)
        direction[out_lo] = -1
        direction[out_hi] = 1
        ranked[idx] = direction
        suggested.update(idx[run_starts].tolist())

    special = rules > 0
    codes = np.where(gap, 0, 1)
    if opts.improvement == "neutral":
        codes[special] = 4
    else:
        good = 1 if opts.improvement == "increase" else -1
        if opts.conflict == "improvement":
            is_good = high if good == 1 else low
        else:
            is_good = ranked == good
        codes[special] = np.where(is_good[special], 2, 3)

    points: list[SpcPoint] = []
    signal_names, rule_sets = _SIGNAL_NAMES, _RULE_SETS
    code_list, rule_list = codes.tolist(), rules.tolist()
    for number, (s, e) in enumerate(bounds):
        seg = segments[number]
        mu, lw, hi, lw2, hi2 = seg.mean, seg.lower, seg.upper, seg.lower_2s, seg.upper_2s
        points.extend(
            [
                SpcPoint(
                    i,
                    originals[i],
                    mu,
                    lw,
                    hi,
                    lw2,
                    hi2,
                    signal_names[code_list[i]],
                    rule_sets[rule_list[i]],
                    number,
                )
                for i in range(s, e)
            ]
        )

    icon, assurance = None, None
    latest = np.flatnonzero(~gap)
    if latest.shape[0]:
        last = points[int(latest[-1])]
        seg = segments[last.segment]
        assurance = assurance_for_limits(seg.lower, seg.upper, opts.target, opts.improvement)
        if last.upper is not None:
            icon = variation_icon(last.signal, int(ranked[last.index]), opts.improvement)
    rebase_suggestions = sorted(suggested - set(starts))
    warnings = [segment_warning(number, seg) for number, seg in enumerate(segments)]
    return SpcResult(
        chart,
        points,
        segments,
        icon,
        assurance,
        rebase_suggestions,
        opts,
        [text for text in warnings if text],
    )


def xmr(
    values: ValueSeq,
    *,
    preset: str = "mdc",
    shift_points: int | None = None,
    trend_points: int | None = None,
    min_points: int | None = None,
    screen_outliers: bool | None = None,
    two_sigma_counts_beyond_limits: bool | None = None,
    rules_cross_rebase: bool | None = None,
    improvement: str = "neutral",
    rebase_at: Sequence[int] | None = None,
    fix_after_n_points: int | None = None,
    target: float | None = None,
    conflict: str | None = None,
) -> SpcResult:
    """XmR (individuals) chart of ``values`` with Making Data Count rules.

    ``values``: numbers in time order, ``None``/NaN for a gap (never zero). Options left as
    ``None`` take the ``preset``'s default ("mdc" or "ptd"); see the module docstring for
    every rule, the gap handling and the presets. ``rebase_at``: 0-based indexes where a new
    segment (step change) starts. ``fix_after_n_points``: limits from the first n non-gap
    points of each segment. ``target``: for ``assurance``. ``conflict``: "improvement" or
    "precedence" (how a point flagged both ways is labelled). Raises ``ValueError`` on bad
    options or non-finite values.
    """
    overrides = {
        "shift_points": shift_points,
        "trend_points": trend_points,
        "min_points": min_points,
        "screen_outliers": screen_outliers,
        "two_sigma_counts_beyond_limits": two_sigma_counts_beyond_limits,
        "rules_cross_rebase": rules_cross_rebase,
        "conflict": conflict,
    }
    return _compute(
        values, "xmr", preset, improvement, rebase_at, fix_after_n_points, target, overrides
    )


def c_chart(
    values: ValueSeq,
    *,
    preset: str = "mdc",
    shift_points: int | None = None,
    trend_points: int | None = None,
    min_points: int | None = None,
    two_sigma_counts_beyond_limits: bool | None = None,
    rules_cross_rebase: bool | None = None,
    improvement: str = "neutral",
    rebase_at: Sequence[int] | None = None,
    fix_after_n_points: int | None = None,
    target: float | None = None,
    conflict: str | None = None,
) -> SpcResult:
    """c-chart for rare counts: centre = mean, limits = mean -/+ 3 sqrt(mean).

    Same options (no screening), rules, gap handling and result shape as :func:`xmr`;
    ``mean_moving_range`` is ``None``. The lower limit may be negative in the data (use
    :func:`display_floor`). Counts must be non-negative (``ValueError`` otherwise).
    """
    overrides = {
        "shift_points": shift_points,
        "trend_points": trend_points,
        "min_points": min_points,
        "screen_outliers": False,
        "two_sigma_counts_beyond_limits": two_sigma_counts_beyond_limits,
        "rules_cross_rebase": rules_cross_rebase,
        "conflict": conflict,
    }
    return _compute(
        values, "c", preset, improvement, rebase_at, fix_after_n_points, target, overrides
    )
