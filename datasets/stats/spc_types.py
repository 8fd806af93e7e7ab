"""Options, result types and result summaries (icons, assurance) for SPC charts.

See :mod:`datasets.stats.spc` for the rules; these helpers are re-exported there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

__all__ = [
    "PRESETS",
    "RULE_NAMES",
    "SIGNALS",
    "VARIATION_ICONS",
    "ASSURANCE_VALUES",
    "SHORT_SEGMENT_WARNING",
    "SpcOptions",
    "SpcPoint",
    "SpcSegment",
    "SpcResult",
    "resolve_options",
    "assurance_for_limits",
    "display_floor",
    "segment_warning",
    "variation_icon",
]

#: Rule names that can appear in ``SpcPoint.rules``.
RULE_NAMES = ("outside_limits", "shift", "trend", "two_in_three")
#: Values of ``SpcPoint.signal`` for a non-gap point (a gap has ``None``).
SIGNALS = ("common_cause", "improvement", "concern", "neutral")
#: Values of ``SpcResult.variation_icon`` (or ``None`` when no icon can be shown).
VARIATION_ICONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
#: Values of ``SpcResult.assurance`` (or ``None``).
ASSURANCE_VALUES = ("pass", "fail", "hit_or_miss")
#: A segment with fewer non-gap points than this is flagged ``short`` (trial limits), as
#: NHSRplotthedots' short-group warning does (its source default is 13; v0.1.0 used 12).
SHORT_SEGMENT_WARNING = 13

#: Defaults of each preset. Any explicitly passed option overrides these.
PRESETS: dict[str, dict[str, Any]] = {
    "mdc": {
        "shift_points": 6,
        "trend_points": 6,
        "min_points": 13,
        "screen_outliers": False,
        "two_sigma_counts_beyond_limits": False,
        "rules_cross_rebase": True,
        "conflict": "improvement",
    },
    "ptd": {
        "shift_points": 7,
        "trend_points": 7,
        "min_points": 1,
        "screen_outliers": True,
        "two_sigma_counts_beyond_limits": False,
        "rules_cross_rebase": False,
        "conflict": "precedence",
    },
}

_IMPROVEMENTS = ("increase", "decrease", "neutral")
_CONFLICTS = ("improvement", "precedence")


@dataclass(frozen=True)
class SpcOptions:
    """The fully resolved options one chart was computed with (preset + overrides)."""

    preset: str
    shift_points: int
    trend_points: int
    min_points: int
    screen_outliers: bool
    two_sigma_counts_beyond_limits: bool
    rules_cross_rebase: bool
    improvement: str
    rebase_at: tuple[int, ...]
    fix_after_n_points: int | None
    target: float | None
    conflict: str


def _int_option(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def resolve_options(
    n: int,
    preset: str,
    overrides: Mapping[str, Any],
    improvement: str,
    rebase_at: Any,
    fix_after_n_points: int | None,
    target: float | None,
) -> SpcOptions:
    """Merge ``overrides`` (options passed explicitly, ``None`` = not passed) into
    ``preset``'s defaults and validate everything. Raises ``ValueError`` on bad input."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; expected one of {sorted(PRESETS)}")
    merged = dict(PRESETS[preset])
    merged.update({k: v for k, v in overrides.items() if v is not None})
    if improvement not in _IMPROVEMENTS:
        raise ValueError(f"improvement must be one of {_IMPROVEMENTS}, got {improvement!r}")
    if merged["conflict"] not in _CONFLICTS:
        raise ValueError(f"conflict must be one of {_CONFLICTS}, got {merged['conflict']!r}")
    starts: set[int] = set()
    for raw in rebase_at if rebase_at is not None else ():
        index = _int_option("rebase_at index", raw, 0)
        if index >= n:
            raise ValueError(f"rebase_at index {index} is outside the series (length {n})")
        starts.add(index)
    if fix_after_n_points is not None:
        _int_option("fix_after_n_points", fix_after_n_points, 2)
    if target is not None:
        target = float(target)
    return SpcOptions(
        preset=preset,
        shift_points=_int_option("shift_points", merged["shift_points"], 2),
        trend_points=_int_option("trend_points", merged["trend_points"], 2),
        min_points=_int_option("min_points", merged["min_points"], 0),
        screen_outliers=bool(merged["screen_outliers"]),
        two_sigma_counts_beyond_limits=bool(merged["two_sigma_counts_beyond_limits"]),
        rules_cross_rebase=bool(merged["rules_cross_rebase"]),
        improvement=improvement,
        rebase_at=tuple(sorted(starts - {0})),
        fix_after_n_points=fix_after_n_points,
        target=target,
        conflict=merged["conflict"],
    )


@dataclass(slots=True)
class SpcPoint:
    """One input value with its centre line, limits and signal.

    ``value`` is the input (``None`` for a gap). ``mean``/``lower``/``upper`` are the
    segment's centre line and process limits (mean -/+ 3 sigma); ``lower_2s``/``upper_2s``
    the two-sigma lines. Limits are ``None`` (never NaN) when they cannot be computed;
    ``lower`` is not floored at zero (use ``display_floor`` for counts).
    ``signal`` is ``"common_cause"``, ``"improvement"``, ``"concern"`` or ``"neutral"``
    (``None`` for a gap); ``rules`` is the set of rules the point is part of.
    ``index`` is the position in the input and ``segment`` the 0-based segment number.
    """

    index: int
    value: float | int | None
    mean: float | None
    lower: float | None
    upper: float | None
    lower_2s: float | None
    upper_2s: float | None
    signal: str | None
    rules: frozenset[str]
    segment: int


@dataclass(slots=True)
class SpcSegment:
    """Summary of one segment (from ``start`` to ``end`` inclusive, 0-based indexes).

    ``n_points`` counts non-gap points; ``n_baseline`` the points the centre line and
    limits were computed from (fewer than ``n_points`` when ``fix_after_n_points`` is set).
    ``mean_moving_range`` is after screening (``None`` for a c-chart or when there is no
    usable moving range). ``limits_fixed`` is True when later points were not used.
    ``short`` is True when ``n_points < SHORT_SEGMENT_WARNING`` (trial limits).
    """

    start: int
    end: int
    n_points: int
    n_baseline: int
    mean: float | None
    mean_moving_range: float | None
    lower: float | None
    upper: float | None
    lower_2s: float | None
    upper_2s: float | None
    limits_fixed: bool
    short: bool


@dataclass(slots=True)
class SpcResult:
    """A computed chart: ``points`` (one per input value, gaps included), ``segments``,
    the latest point's ``variation_icon``, the latest segment's ``assurance`` against
    ``options.target``, and ``suggested_rebase`` (indexes where a shift starts that are
    not already segment starts). ``chart`` is ``"xmr"`` or ``"c"``. ``warnings`` holds a
    plain-English note for each segment without limits or with trial (short) limits."""

    chart: str
    points: list[SpcPoint]
    segments: list[SpcSegment]
    variation_icon: str | None
    assurance: str | None
    suggested_rebase: list[int]
    options: SpcOptions
    warnings: list[str] = field(default_factory=list)

    @property
    def latest(self) -> SpcPoint | None:
        """The last non-gap point, or ``None`` when every value is a gap."""
        for point in reversed(self.points):
            if point.value is not None:
                return point
        return None


def display_floor(value: float | None, is_count: bool = True) -> float | None:
    """Value to draw for a limit: counts cannot go below zero, so floor at 0 for counts.

    The stored data keeps the unfloored limit; ``None`` stays ``None``.
    """
    if value is None:
        return None
    return max(0.0, value) if is_count else value


def assurance_for_limits(
    lower: float | None, upper: float | None, target: float | None, improvement: str
) -> str | None:
    """Assurance of a target against process limits (strict comparisons).

    increase: target < lower -> "pass"; target > upper -> "fail"; else "hit_or_miss".
    decrease: target > upper -> "pass"; target < lower -> "fail"; else "hit_or_miss".
    ``None`` when the target or a limit is missing, or improvement is "neutral".
    """
    if target is None or lower is None or upper is None or improvement == "neutral":
        return None
    if target > upper:
        return "fail" if improvement == "increase" else "pass"
    if target < lower:
        return "pass" if improvement == "increase" else "fail"
    return "hit_or_miss"


def segment_warning(number: int, seg: SpcSegment) -> str:
    """A plain-English note for a segment without limits or with trial limits ("" if none)."""
    where = f"segment {number} (points {seg.start}-{seg.end})"
    if seg.upper is None:
        return f"{where}: no process limits ({seg.n_points} points)"
    if seg.short:
        return f"{where}: trial limits from only {seg.n_points} points"
    return ""


def variation_icon(signal: str | None, direction: int, improvement: str) -> str:
    """MDC variation icon name for a point's signal; ``direction`` (+1/-1) picks
    neutral_high/neutral_low; improvement/concern take high/low from ``improvement``."""
    if signal == "improvement":
        return "improvement_high" if improvement == "increase" else "improvement_low"
    if signal == "concern":
        return "concern_low" if improvement == "increase" else "concern_high"
    if signal == "neutral":
        return "neutral_high" if direction >= 0 else "neutral_low"
    return "common_cause"
