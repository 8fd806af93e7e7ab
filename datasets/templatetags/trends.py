"""Template filters for trend pages: numbers printed as the papers print them."""

from __future__ import annotations

from django import template

from datasets.charts import RULE_PHRASES, SIGNAL_PHRASES
from datasets.models import StepChangeStatus
from datasets.models.trends import SIGNAL_LABELS
from datasets.stats import display_floor, format_decimal, format_pct, format_rate, per_day_phrase

register = template.Library()


@register.filter
def number(value) -> str:
    if value is None:
        return "—"
    return f"{int(value):,}" if float(value).is_integer() else format_decimal(value, 1)


@register.filter
def signed_number(value) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + number(value)


@register.filter
def dec(value) -> str:
    return "—" if value is None else format_decimal(value, 1)


@register.filter
def pct(value) -> str:
    return format_pct(value, signed=True)


@register.filter
def rate(value) -> str:
    return format_rate(value)


@register.filter
def per_day(value, unit: str = "crimes") -> str:
    return per_day_phrase(value, unit or "crimes")


@register.filter
def floor_zero(value):
    """Lower limits of counts are shown floored at 0 (stored unfloored)."""
    return display_floor(value)


@register.filter
def absolute(value):
    return abs(value) if value is not None else value


@register.filter
def signal_text(point: dict) -> str:
    if point["value"] is None:
        return "Gap: no data (not zero)"
    text = SIGNAL_PHRASES.get(point["signal"], "not enough data for limits").capitalize()
    rules = [RULE_PHRASES[r] for r in sorted(point["rules"])]
    return text + (" – " + "; ".join(rules) if rules else "")


@register.filter
def signal_label(value: str) -> str:
    return SIGNAL_LABELS.get(value, "Not enough data")


@register.filter
def decided(steps) -> list:
    return [s for s in steps if s.status != StepChangeStatus.SUGGESTED]


ASSURANCE_TEXT = {
    "pass": "the process consistently meets the target",
    "fail": "the process will not meet the target without a change",
    "hit_or_miss": "the process will sometimes meet the target and sometimes not",
}


@register.filter
def assurance_text(value: str) -> str:
    """Making Data Count's plain-English reading of an assurance result."""
    return ASSURANCE_TEXT.get(value, "")


@register.filter
def signal_at(signals: dict, month):
    """The stored chart's signal of the point at ``month`` ("" when not a point)."""
    return (signals or {}).get(month) or ""
