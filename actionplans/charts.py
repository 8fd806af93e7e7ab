"""Plotly figures (rendered as HTML fragments; plotly.js is served locally)."""

from __future__ import annotations

import plotly.graph_objects as go

from actionplans.models import Indicator
from actionplans.readings import Summary, target_for


def indicator_figure(indicator: Indicator, summary: Summary) -> str | None:
    """Values against target and baseline; gaps stay gaps (no line across them)."""
    readings = summary.readings
    if not readings:
        return None
    labels = [r.period.label for r in readings]
    values = [float(r.value) if r.value is not None else None for r in readings]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=labels, y=values, mode="lines+markers", name=indicator.name,
                             connectgaps=False, line={"color": "#1d3557"}))
    target_values = []
    for reading in readings:
        target = target_for(indicator, reading.period)
        has_value = target is not None and target.value is not None
        target_values.append(float(target.value) if has_value else None)
    if any(v is not None for v in target_values):
        fig.add_trace(go.Scatter(x=labels, y=target_values, mode="lines", name="Target",
                                 line={"color": "#b10e1e", "dash": "dash"}))
    if indicator.baseline_value is not None:
        fig.add_trace(go.Scatter(
            x=labels, y=[float(indicator.baseline_value)] * len(labels), mode="lines",
            name=f"Baseline ({indicator.baseline_period})",
            line={"color": "#505a5f", "dash": "dot"},
        ))
    fig.update_layout(
        margin={"l": 40, "r": 10, "t": 30, "b": 40}, height=360,
        yaxis_title=indicator.unit or None, legend={"orientation": "h"},
        xaxis={"type": "category"},
    )
    return fig.to_html(full_html=False, include_plotlyjs=False,
                       config={"displaylogo": False, "responsive": True})
