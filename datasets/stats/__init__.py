"""Pure statistics for SMP: rolling periods, rates and ranks, SPC charts.

No Django and no database here: every function takes plain Python values (and NumPy
arrays) and returns dataclasses, so the Django side stores and displays the results.

Modules: :mod:`.periods` (months, rolling/financial/calendar years), :mod:`.rolling`
(period totals and comparisons), :mod:`.rates` (rates per 1,000, ranks),
:mod:`.spc` (XmR and c-charts; rules in :mod:`.spc_rules`, types in :mod:`.spc_types`),
:mod:`.formatting` (rounding half away from zero for display).
"""

from .formatting import format_decimal, format_pct, format_rate, per_day_phrase, round_half_away
from .periods import (
    Period,
    add_months,
    calendar_year,
    financial_year,
    financial_year_of,
    month_start,
    months_between,
    parse_month,
    previous_rolling_year,
    rolling_year,
)
from .rates import (
    RankChange,
    RankedArea,
    RateResult,
    bottom_n,
    rank_areas,
    rank_changes,
    rate_per_thousand,
    rates_for_areas,
    top_n,
)
from .rolling import (
    Comparison,
    PeriodTotal,
    RollingYearSummary,
    calendar_year_total,
    compare_calendar_years,
    compare_financial_years,
    compare_periods,
    compare_totals,
    financial_year_total,
    latest_month,
    month_values,
    period_total,
    rolling_year_summary,
)
from .spc import assurance_for_limits, c_chart, display_floor, xmr
from .spc_types import SpcOptions, SpcPoint, SpcResult, SpcSegment

__all__ = [
    "Comparison",
    "Period",
    "PeriodTotal",
    "RankChange",
    "RankedArea",
    "RateResult",
    "RollingYearSummary",
    "SpcOptions",
    "SpcPoint",
    "SpcResult",
    "SpcSegment",
    "add_months",
    "assurance_for_limits",
    "bottom_n",
    "c_chart",
    "calendar_year",
    "calendar_year_total",
    "compare_calendar_years",
    "compare_financial_years",
    "compare_periods",
    "compare_totals",
    "display_floor",
    "financial_year",
    "financial_year_of",
    "financial_year_total",
    "format_decimal",
    "format_pct",
    "format_rate",
    "latest_month",
    "month_start",
    "month_values",
    "months_between",
    "parse_month",
    "per_day_phrase",
    "period_total",
    "previous_rolling_year",
    "rank_areas",
    "rank_changes",
    "rate_per_thousand",
    "rates_for_areas",
    "rolling_year",
    "rolling_year_summary",
    "round_half_away",
    "top_n",
    "xmr",
]
