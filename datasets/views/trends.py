"""Trend pages: overview of stored results, one series' SPC chart, step-change
decisions, annotations and the officer's "Recalculate everything".

Pages read stored results only (``TrendSeries``); nothing here computes statistics.
"""

from __future__ import annotations

import csv
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from datasets import charts
from datasets.forms_trends import (
    AnnotationForm,
    IndicatorDirectionForm,
    PeriodCompareForm,
    SeriesChartForm,
    StepChangeAddForm,
    StepChangeDecisionForm,
    TrendFilterForm,
)
from datasets.models import (
    RecalculationRun,
    SeriesAnnotation,
    StepChange,
    StepChangeStatus,
    TrendSeries,
)
from datasets.models.trends import add_months
from datasets.services import trends as services
from datasets.stats import compare_periods
from datasets.tables_trends import (
    CSV_HEADER,
    PERIOD_CSV_HEADER,
    TrendTable,
    csv_row,
    period_csv_row,
)
from smp import permissions as perms


def _series_qs(partnership):
    return TrendSeries.objects.filter(partnership=partnership).select_related(
        "area", "category", "indicator"
    )


@login_required
def trends(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    form = TrendFilterForm(request.GET or None, partnership=partnership)
    rows = form.filter(_series_qs(partnership).with_data())
    if request.GET.get("export") == "csv":
        return _csv(rows, f"trends-{partnership.slug}.csv")
    table = TrendTable(rows, partnership=partnership, order_by=request.GET.get("sort"))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {
        "partnership": partnership, "form": form, "table": table,
        "league": _league(form, rows),
        "small_number_threshold": settings.SMP_SMALL_NUMBER_THRESHOLD,
        "run": RecalculationRun.objects.filter(partnership=partnership).first(),
        "can_manage": perms.can_manage_data(request.user, partnership),
        "query": request.GET.urlencode(),
    }
    return render(request, "datasets/trends/overview.html", context)


def _league(form: TrendFilterForm, rows) -> dict | None:
    """Highest and lowest five rates per 1,000 among the areas of one level for one
    category (stored ranks; ties with the fifth are included), when the filter names
    both a category and an area level."""
    if not form.is_valid() or not (form.cleaned_data.get("category")
                                   and form.cleaned_data.get("level")):
        return None
    ranked = list(rows.filter(rank__isnull=False).order_by("rank", "label"))
    if not ranked:
        return None
    fifth, fifth_lowest = ranked[min(4, len(ranked) - 1)].rank, ranked[-min(5, len(ranked))].rank
    return {
        "tables": [
            ([r for r in ranked if r.rank <= fifth], "Highest five"),
            ([r for r in reversed(ranked) if r.rank >= fifth_lowest], "Lowest five"),
        ],
        "category": form.cleaned_data["category"],
        "level": form.cleaned_data["level"],
        "of": len(ranked),
    }


def _csv(rows, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in rows.order_by("label").iterator(chunk_size=2000):
        writer.writerow(csv_row(row))
    return response


def _series_context(request, partnership, series, **forms) -> dict:
    annotations = list(
        SeriesAnnotation.objects.filter(partnership=partnership)
        .filter(Q(series=series) | Q(series__isnull=True)).select_related("created_by")
    )
    steps = list(series.step_changes.select_related("decided_by"))
    confirmed = [s.month for s in steps if s.status == StepChangeStatus.CONFIRMED]
    points = series.spc_points()
    unit = series.indicator.unit if series.indicator_id else "crimes"
    if series.category_id and not series.category.is_crime:
        unit = "incidents"
    # Lower limits are shown floored at 0 for counts and for measures that never go
    # below 0 (stored unfloored); a measure with negative values keeps its limits.
    values = [p["value"] for p in points if p["value"] is not None]
    floor_at_zero = series.kind == "count" or not values or min(values) >= 0
    figure = charts.spc_figure(
        series, points=points, annotations=[(a.month, a.text) for a in annotations],
        step_months=confirmed, unit=unit, is_count=floor_at_zero,
    )
    can_manage = perms.can_manage_data(request.user, partnership)
    return {
        "partnership": partnership, "series": series, "points": points, "unit": unit,
        "floor_at_zero": floor_at_zero,
        "small_number_threshold": settings.SMP_SMALL_NUMBER_THRESHOLD,
        "figure": json.loads(figure.to_json()), "annotations": annotations, "steps": steps,
        "periods": _period_page(request, series),
        "signal_by_month": {p["month"]: p["signal"] for p in points},
        "year_tables": _year_tables(series),
        **_comparison(request, series),
        "pending": [
            (s, forms["decision_form"] if forms.get("failed_step") == s.pk
             else StepChangeDecisionForm(prefix=f"step-{s.pk}"))
            for s in steps if s.status == StepChangeStatus.SUGGESTED
        ],
        "can_manage": can_manage,
        "add_step_form": forms.get("add_step_form") or StepChangeAddForm(series=series),
        "annotation_form": forms.get("annotation_form") or AnnotationForm(),
        "chart_form": forms.get("chart_form")
        or SeriesChartForm(instance=getattr(series, "chart", None)),
        "direction_form": forms.get("direction_form")
        or (IndicatorDirectionForm(instance=series.indicator) if series.indicator_id else None),
    }


def _period_page(request, series: TrendSeries):
    """The stored figures at each period end (quarter ends and the latest month of a
    monthly series), latest first, 24 a page."""
    return Paginator(series.periods.all(), 24).get_page(request.GET.get("periods_page"))


def _year_tables(series: TrendSeries) -> list[tuple]:
    """Whole financial and calendar years, latest first: the stored rolling years ending
    in March and in December (each against the year before)."""
    if series.step_months != 1 or not series.n_points:
        return []
    rows = list(series.periods.filter(period_end__month__in=(3, 12),
                                      period_end__gte=add_months(series.first_month, 11)))
    return [
        ([(f"{p.period_end.year - 1}–{p.period_end.year % 100:02d}", p) for p in rows
          if p.period_end.month == 3], "Financial years (April to March), latest first"),
        ([(str(p.period_end.year), p) for p in rows if p.period_end.month == 12],
         "Calendar years, latest first"),
    ]


def _comparison(request, series: TrendSeries) -> dict:
    """The compare-two-periods form and, when submitted and valid, its result (the pure
    ``compare_periods`` on the stored monthly values)."""
    if series.step_months != 1 or not series.n_points:
        return {}
    bound = "current_from" in request.GET
    form = PeriodCompareForm(request.GET if bound else None, first=series.first_month,
                             last=series.period_end)
    result = None
    if bound and form.is_valid():
        d = form.cleaned_data
        result = compare_periods(series.monthly_values(), (d["current_from"], d["current_to"]),
                                 (d["previous_from"], d["previous_to"]))
    return {"compare_form": form, "comparison": result}


@login_required
def trend_series_periods_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Every stored period end of one series as CSV."""
    partnership = perms.partnership_for(request.user, slug)
    series = get_object_or_404(_series_qs(partnership), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="series-{series.pk}-periods.csv"'
    writer = csv.writer(response)
    writer.writerow(PERIOD_CSV_HEADER)
    for row in series.periods.order_by("period_end").iterator(chunk_size=2000):
        writer.writerow(period_csv_row(row))
    return response


@login_required
def trend_series(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    series = get_object_or_404(_series_qs(partnership), pk=pk)
    context = _series_context(request, partnership, series)
    return render(request, "datasets/trends/series.html", context)


@login_required
@require_POST
def step_change_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    step = get_object_or_404(
        StepChange.objects.pending().select_related("series"),
        pk=pk, series__partnership=partnership,
    )
    perms.require(request.user, partnership, perms.MANAGE_DATA)
    form = StepChangeDecisionForm(request.POST, prefix=f"step-{step.pk}")
    if not form.is_valid():
        context = _series_context(request, partnership, step.series, decision_form=form,
                                  failed_step=step.pk)
        return render(request, "datasets/trends/series.html", context, status=400)
    confirm = form.cleaned_data["decision"] == "confirm"
    services.step_change_decide(step_change=step, user=request.user, confirm=confirm,
                                reason=form.cleaned_data["reason"])
    messages.success(request, "Step change confirmed: the chart is being recalculated."
                     if confirm else "Suggestion rejected.")
    return redirect("datasets:trend_series", slug=slug, pk=step.series_id)


@login_required
@require_POST
def step_change_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    series = get_object_or_404(_series_qs(partnership), pk=pk)
    perms.require(request.user, partnership, perms.MANAGE_DATA)
    form = StepChangeAddForm(request.POST, series=series)
    if not form.is_valid():
        context = _series_context(request, partnership, series, add_step_form=form)
        return render(request, "datasets/trends/series.html", context, status=400)
    services.step_change_add(series=series, month=form.cleaned_data["month"],
                             user=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, "Step change added: the chart is being recalculated.")
    return redirect("datasets:trend_series", slug=slug, pk=series.pk)


@login_required
@require_POST
def series_annotate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    series = get_object_or_404(_series_qs(partnership), pk=pk)
    perms.require(request.user, partnership, perms.MANAGE_DATA)
    form = AnnotationForm(request.POST)
    if not form.is_valid():
        context = _series_context(request, partnership, series, annotation_form=form)
        return render(request, "datasets/trends/series.html", context, status=400)
    note = form.save(commit=False)
    note.partnership, note.created_by = partnership, request.user
    note.series = None if form.cleaned_data["all_series"] else series
    note.save()
    messages.success(request, "Annotation added.")
    return redirect("datasets:trend_series", slug=slug, pk=series.pk)


@login_required
@require_POST
def trends_recalculate(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    perms.require(request.user, partnership, perms.MANAGE_DATA)
    run = services.trends_request_recalculation(partnership=partnership, user=request.user)
    if request.htmx:
        return render(request, "datasets/trends/_run.html",
                      {"partnership": partnership, "run": run, "can_manage": True})
    messages.success(request, "Recalculation of every series was started.")
    return redirect("datasets:trends", slug=slug)


@login_required
def trends_run_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    run = get_object_or_404(RecalculationRun, pk=pk, partnership=partnership)
    context = {"partnership": partnership, "run": run,
               "can_manage": perms.can_manage_data(request.user, partnership)}
    return render(request, "datasets/trends/_run.html", context)


@login_required
@require_POST
def series_chart(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    series = get_object_or_404(_series_qs(partnership), pk=pk)
    perms.require(request.user, partnership, perms.MANAGE_DATA)
    form = SeriesChartForm(request.POST)
    if not form.is_valid():
        context = _series_context(request, partnership, series, chart_form=form)
        return render(request, "datasets/trends/series.html", context, status=400)
    services.series_chart_set(series=series, kind=form.cleaned_data["kind"],
                              reason=form.cleaned_data["reason"], user=request.user)
    messages.success(request, "Chart changed: the series is being recalculated.")
    return redirect("datasets:trend_series", slug=slug, pk=series.pk)


@login_required
@require_POST
def indicator_direction(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    series = get_object_or_404(_series_qs(partnership).filter(indicator__isnull=False), pk=pk)
    perms.require(request.user, partnership, perms.MANAGE_DATA)
    form = IndicatorDirectionForm(request.POST, instance=series.indicator)
    if not form.is_valid():
        context = _series_context(request, partnership, series, direction_form=form)
        return render(request, "datasets/trends/series.html", context, status=400)
    services.indicator_series_set_direction(
        series=series.indicator, improvement=form.cleaned_data["improvement"],
        target=form.cleaned_data["spc_target"], user=request.user,
    )
    messages.success(request, "Saved: the series is being recalculated.")
    return redirect("datasets:trend_series", slug=slug, pk=series.pk)
