"""plotly figure builders for the datasets app (SPC charts).

Figures are returned as JSON (``fig.to_json()``); the page draws them with the local
plotly bundle (``static/vendor/plotly.min.js``) and a small local script, never a CDN.
Every chart has a data table under it in the template for screen-reader users.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import plotly.graph_objects as go

from datasets.models import TrendSeries
from datasets.stats import display_floor, format_decimal

#: Point colours by signal (Making Data Count palette).
SIGNAL_COLOURS = {
    "common_cause": "#7b7d7d",  # grey
    "improvement": "#289de0",  # blue
    "concern": "#fab428",  # orange
    "neutral": "#361475",  # purple
}
SIGNAL_PHRASES = {
    "common_cause": "within normal variation",
    "improvement": "special cause – improvement",
    "concern": "special cause – concern",
    "neutral": "special cause – neither better nor worse",
}
RULE_PHRASES = {
    "outside_limits": "outside the control limits",
    "shift": "part of a run on one side of the average",
    "trend": "part of a run rising or falling",
    "two_in_three": "two of three points near a limit",
}


def month_label(month: dt.date | None, step_months: int = 1, *, short: bool = False) -> str:
    """How a period is printed: "March 2021" (or "Mar 2021" when ``short``), a quarter
    "Jan–Mar 2021", a calendar year "2021", a financial year "2021–22"."""
    if month is None:
        return ""
    if step_months == 12:
        return f"{month.year}–{(month.year + 1) % 100:02d}" if month.month == 4 else f"{month:%Y}"
    if step_months == 3:
        end = dt.date(month.year + (month.month + 1) // 12, (month.month + 1) % 12 + 1, 1)
        return f"{month:%b}–{end:%b %Y}"
    return f"{month:%b %Y}" if short else f"{month:%B %Y}"


def _number(value: float | None) -> str:
    if value is None:
        return "no data"
    if float(value).is_integer():
        return f"{int(value):,}"
    return format_decimal(value, 1)


def hover_text(point: dict[str, Any], unit: str, step_months: int = 1) -> str:
    """Plain English, e.g. "March 2021: 138 needle finds – within normal variation"."""
    label = month_label(point["month"], step_months)
    if point["value"] is None:
        return f"{label}: no data (a gap, not zero)"
    text = f"{label}: {_number(point['value'])} {unit}".rstrip()
    text += f" – {SIGNAL_PHRASES.get(point['signal'], 'not enough data for limits')}"
    rules = [RULE_PHRASES[r] for r in sorted(point["rules"])]
    if rules:
        text += " (" + "; ".join(rules) + ")"
    return text


def spc_figure(
    series: TrendSeries,
    *,
    points: list[dict[str, Any]],
    annotations: list[tuple[dt.date, str]] = (),
    step_months: list[dt.date] = (),
    unit: str = "",
    is_count: bool = True,
) -> go.Figure:
    """An XmR chart: points coloured by signal, mean and limits per segment (the lower
    limit floored at 0 for counts), step changes and annotations marked."""
    fig = go.Figure()
    x = [p["month"] for p in points]
    fig.add_trace(
        go.Scatter(
            x=x, y=[p["value"] for p in points], mode="lines", name="Value",
            line={"color": "#b1b4b6", "width": 1.5}, hoverinfo="skip", connectgaps=False,
            showlegend=False,
        )
    )
    for signal, colour in SIGNAL_COLOURS.items():
        chosen = [p for p in points if p["signal"] == signal]
        if not chosen:
            continue
        fig.add_trace(
            go.Scatter(
                x=[p["month"] for p in chosen], y=[p["value"] for p in chosen],
                mode="markers", name=SIGNAL_PHRASES[signal].capitalize(),
                marker={"color": colour, "size": 8,
                        "symbol": "circle" if signal == "common_cause" else "diamond"},
                text=[hover_text(p, unit, series.step_months) for p in chosen],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    first = True
    for seg in series.segments():
        seg_x = x[seg["start"]:seg["end"] + 1]
        if seg["mean"] is not None:
            fig.add_trace(_line(seg_x, seg["mean"], "Average", "#1d1d1b", "solid", first))
        if seg["upper"] is not None:
            lower = display_floor(seg["lower"], is_count)
            fig.add_trace(_line(seg_x, seg["upper"], "Process limits", "#5b5b5b", "dash", first))
            fig.add_trace(_line(seg_x, lower, "Process limits", "#5b5b5b", "dash", False))
            first = False
    for month in step_months:
        fig.add_vline(x=month, line={"color": "#d4351c", "width": 2, "dash": "dot"})
        fig.add_annotation(x=month, y=1, yref="paper", text="Step change", showarrow=False,
                           xanchor="left", font={"color": "#d4351c"})
    # Only annotations within the series' span: a partnership-wide note from years
    # before the data starts would otherwise stretch the axis and squash the chart.
    span = [m for m in x if m is not None]
    for month, text in annotations:
        if span and not (min(span) <= month <= max(span)):
            continue
        fig.add_vline(x=month, line={"color": "#505a5f", "width": 1, "dash": "dashdot"})
        fig.add_annotation(x=month, y=0.92, yref="paper", text=text[:40], showarrow=False,
                           xanchor="left", font={"size": 11})
    fig.update_layout(
        title={"text": series.label},
        xaxis_title="Month" if series.step_months == 1 else "Period",
        yaxis_title=unit.capitalize() or "Count",
        yaxis={"rangemode": "tozero"} if is_count else {},
        margin={"l": 50, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.2},
        template="plotly_white",
        height=420,
    )
    return fig


def _line(x, y: float, name: str, colour: str, dash: str, legend: bool) -> go.Scatter:
    return go.Scatter(
        x=x, y=[y] * len(x), mode="lines", name=name, legendgroup=name, showlegend=legend,
        line={"color": colour, "width": 1.5, "dash": dash}, hoverinfo="skip",
    )
