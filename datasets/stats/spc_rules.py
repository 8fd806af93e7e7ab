"""Vectorised special-cause rules on one ordered run of non-gap points (NumPy).

Every function takes arrays for the points of one evaluation group, in time order, with
gaps already removed (a gap is skipped, so the points either side of it are consecutive
here). All comparisons are strict. These are the building blocks of
:func:`datasets.stats.spc.xmr`; they are public so each rule can be tested on its own.

``side`` is ``sign(value - centre line)`` per point: +1 above, -1 below, 0 exactly on it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "run_lengths",
    "shift_flags",
    "shift_run_starts",
    "shift_runs",
    "trend_flags",
    "two_in_three_flags",
]

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _runs(key: npt.NDArray[np.generic]) -> tuple[IntArray, IntArray]:
    """Start position and length of every run of equal consecutive values (n >= 1)."""
    n = key.shape[0]
    change = np.empty(n, dtype=np.bool_)
    change[0] = True
    np.not_equal(key[1:], key[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    lengths = np.empty_like(starts)
    lengths[:-1] = starts[1:] - starts[:-1]
    lengths[-1] = n - starts[-1]
    return starts, lengths


def run_lengths(key: npt.NDArray[np.generic]) -> IntArray:
    """Length of the run of equal consecutive values each element belongs to.

    ``run_lengths([1, 1, 0, 1, 1, 1])`` -> ``[2, 2, 1, 3, 3, 3]``.
    """
    if key.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    starts, lengths = _runs(key)
    return np.repeat(lengths, lengths)


def shift_runs(side: FloatArray, shift_points: int) -> tuple[BoolArray, IntArray]:
    """``(flags, run_starts)``: points in a shift and the first position of each shift run.

    A shift is a run of ``shift_points`` or more consecutive points on one side of the
    centre line; a point exactly on it (``side == 0``) belongs to no run and breaks it.
    """
    n = side.shape[0]
    if n < shift_points:
        return np.zeros(n, dtype=np.bool_), np.zeros(0, dtype=np.int64)
    starts, lengths = _runs(side)
    ok = (lengths >= shift_points) & (side[starts] != 0)
    if not ok.any():
        return np.zeros(n, dtype=np.bool_), np.zeros(0, dtype=np.int64)
    return np.repeat(ok, lengths), starts[ok]


def shift_flags(side: FloatArray, shift_points: int) -> BoolArray:
    """Points in a run of ``shift_points`` or more consecutive points on one side.

    A point exactly on the centre line (``side == 0``) belongs to no run and breaks it.
    Returns one bool per point; the run's direction is ``side`` itself.
    """
    return shift_runs(side, shift_points)[0]


def shift_run_starts(side: FloatArray, shift_points: int) -> IntArray:
    """Positions (into ``side``) of the first point of every qualifying shift run."""
    return shift_runs(side, shift_points)[1]


def trend_flags(y: FloatArray, trend_points: int) -> tuple[BoolArray, BoolArray, IntArray]:
    """Points in a run of ``trend_points`` or more consecutive strictly rising/falling points.

    A run of k points has k - 1 steps, all strictly up (or all strictly down); an equal
    neighbour (a tie) breaks the run. A trend may cross the centre line.

    Returns ``(rising, falling, direction)``: ``rising``/``falling`` say whether a point
    belongs to a rising/falling trend (a point joining a rising and a falling trend is
    both); ``direction`` is +1/-1/0 for one label per point, taken from the qualifying step
    *after* the point if there is one, else from the step before it (the rule
    NHSRplotthedots uses to label the turning point of two trends).
    """
    n = y.shape[0]
    rising = np.zeros(n, dtype=np.bool_)
    falling = np.zeros(n, dtype=np.bool_)
    if n < max(trend_points, 2):
        return rising, falling, np.zeros(n, dtype=np.int64)
    step = np.sign(y[1:] - y[:-1]).astype(np.int64)
    starts, lengths = _runs(step)
    ok = (lengths >= trend_points - 1) & (step[starts] != 0)
    if not ok.any():
        return rising, falling, np.zeros(n, dtype=np.int64)
    qualifies = np.repeat(ok, lengths)
    up = qualifies & (step > 0)
    down = qualifies & (step < 0)
    rising[:-1] |= up
    rising[1:] |= up
    falling[:-1] |= down
    falling[1:] |= down
    signed = np.where(qualifies, step, 0)
    after = np.zeros(n, dtype=np.int64)
    after[:-1] = signed
    before = np.zeros(n, dtype=np.int64)
    before[1:] = signed
    return rising, falling, np.where(after != 0, after, before)


def two_in_three_flags(
    beyond_high: BoolArray, beyond_low: BoolArray, side: FloatArray
) -> tuple[BoolArray, BoolArray]:
    """Two (or three) out of three consecutive points beyond the same two-sigma line.

    A window of three consecutive points triggers when all three lie on the same side of
    the centre line and at least two of them are beyond that side's two-sigma line
    (``beyond_high``/``beyond_low`` are computed strictly by the caller). Only the points
    beyond the line are flagged, never the third point. Windows never extend past either
    end of the group. Returns ``(high, low)`` flags per point.
    """
    n = side.shape[0]
    high = np.zeros(n, dtype=np.bool_)
    low = np.zeros(n, dtype=np.bool_)
    if n < 3:
        return high, low
    for beyond, sign, out in ((beyond_high, 1, high), (beyond_low, -1, low)):
        if np.count_nonzero(beyond) < 2:
            continue
        on_side = side == sign
        same = on_side[:-2] & on_side[1:-1] & on_side[2:]
        count = beyond[:-2].astype(np.int64) + beyond[1:-1] + beyond[2:]
        window = same & (count >= 2)
        if not window.any():
            continue
        covered = np.zeros(n, dtype=np.bool_)
        covered[:-2] |= window
        covered[1:-1] |= window
        covered[2:] |= window
        out |= covered & beyond
    return high, low
