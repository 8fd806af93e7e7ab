"""Target evaluation and simple trend direction: pure Python, no Django.

Kept free of the ORM so every comparator and direction is tested without a
database, and so reports and reminders agree on what "met" means. The rule is
never to guess: a missing value (or a missing previous value for the
"increase/decrease on previous period" comparators) gives ``NO_DATA``.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class Comparator(StrEnum):
    BELOW = "below"
    AT_MOST = "at_most"
    AT_LEAST = "at_least"
    ABOVE = "above"
    EQUAL = "equal"
    INCREASE = "increase"
    DECREASE = "decrease"


COMPARATOR_LABELS = {
    Comparator.BELOW: "keep below",
    Comparator.AT_MOST: "at most",
    Comparator.AT_LEAST: "at least",
    Comparator.ABOVE: "above",
    Comparator.EQUAL: "equal to",
    Comparator.INCREASE: "increase on previous period",
    Comparator.DECREASE: "decrease on previous period",
}

RELATIVE = {Comparator.INCREASE, Comparator.DECREASE}


class Result(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    NEITHER = "neither"


class Trend(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    UP = "up"
    DOWN = "down"
    NO_CHANGE = "no_change"
    NO_DATA = "no_data"


Number = Decimal | int | float

# Comparators a value meets by moving the wrong way for the direction of improvement:
# with "down is better", a target of "at least 75" is met by getting worse.
CONTRADICTING = {
    Direction.UP: {Comparator.BELOW, Comparator.AT_MOST, Comparator.DECREASE},
    Direction.DOWN: {Comparator.ABOVE, Comparator.AT_LEAST, Comparator.INCREASE},
    Direction.NEITHER: set(),
}
DIRECTION_LABELS = {Direction.UP: "up is better", Direction.DOWN: "down is better",
                    Direction.NEITHER: "neither"}


def contradiction(direction: Direction | str, comparator: Comparator | str) -> str | None:
    """Why a target with ``comparator`` contradicts the ``direction`` of improvement,
    or None when the pairing is consistent ("equal to" and the direction "neither"
    fit anything)."""
    direction, comparator = Direction(direction), Comparator(comparator)
    if comparator not in CONTRADICTING[direction]:
        return None
    return (f"“{COMPARATOR_LABELS[comparator]}” contradicts the direction of improvement "
            f"({DIRECTION_LABELS[direction]}): meeting it would mean getting worse.")


def _dec(value: Number | None) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def evaluate(
    comparator: Comparator | str,
    *,
    value: Number | None,
    target: Number | None = None,
    previous: Number | None = None,
) -> Result:
    """Is ``value`` meeting the target? ``target`` is the threshold for absolute
    comparators; ``previous`` the prior period's value for the relative ones."""
    comparator = Comparator(comparator)
    current = _dec(value)
    if current is None:
        return Result.NO_DATA
    if comparator in RELATIVE:
        before = _dec(previous)
        if before is None:
            return Result.NO_DATA
        ok = current > before if comparator is Comparator.INCREASE else current < before
        return Result.MET if ok else Result.NOT_MET
    threshold = _dec(target)
    if threshold is None:
        return Result.NO_DATA
    ok = {
        Comparator.BELOW: current < threshold,
        Comparator.AT_MOST: current <= threshold,
        Comparator.AT_LEAST: current >= threshold,
        Comparator.ABOVE: current > threshold,
        Comparator.EQUAL: current == threshold,
    }[comparator]
    return Result.MET if ok else Result.NOT_MET


def trend(
    latest: Number | None, previous: Number | None, direction: Direction | str
) -> Trend:
    """Latest against previous stored value, read through the direction of
    improvement (a comparison of two values, not a statistic)."""
    direction = Direction(direction)
    now, before = _dec(latest), _dec(previous)
    if now is None or before is None:
        return Trend.NO_DATA
    if now == before:
        return Trend.NO_CHANGE
    rising = now > before
    if direction is Direction.NEITHER:
        return Trend.UP if rising else Trend.DOWN
    good = rising if direction is Direction.UP else not rising
    return Trend.IMPROVING if good else Trend.WORSENING


TREND_LABELS = {
    Trend.IMPROVING: "Improving",
    Trend.WORSENING: "Worsening",
    Trend.UP: "Up",
    Trend.DOWN: "Down",
    Trend.NO_CHANGE: "No change",
    Trend.NO_DATA: "Not enough data",
}

RESULT_LABELS = {Result.MET: "Met", Result.NOT_MET: "Not met", Result.NO_DATA: "No data"}
