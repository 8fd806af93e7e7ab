from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from actionplans import access, charts, services
from actionplans.forms import IndicatorForm, TargetForm, ValueForm
from actionplans.models import IndicatorSource
from actionplans.readings import summarise
from actionplans.services.indicators import INDICATOR_FIELDS, ValueConflict
from actionplans.views.actions import _form_errors
from smp import permissions as perms


def _page(request, partnership, indicator, value_form=None, target_form=None,
          conflict=None, status=200):
    summary = summarise(indicator)
    can_edit = perms.can_edit_plan(request.user, indicator.plan.priority)
    if can_edit and value_form is None and indicator.is_manual:
        value_form = ValueForm(indicator=indicator, today=timezone.localdate())
    return render(request, "actionplans/indicator.html", {
        "partnership": partnership, "indicator": indicator, "plan": indicator.plan,
        "summary": summary, "readings": list(reversed(summary.readings)),
        "chart": charts.indicator_figure(indicator, summary), "can_edit": can_edit,
        "value_form": value_form, "conflict": conflict,
        "target_form": target_form or (TargetForm() if can_edit else None),
        "targets": indicator.targets.all()}, status=status)


@login_required
def indicator_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    indicator = access.indicator_for(request.user, partnership, pk)
    return _page(request, partnership, indicator)


@login_required
def indicator_value(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Enter or correct a value (``?period=`` opens the form on one period); a value
    changed meanwhile by someone else is a conflict."""
    partnership = perms.partnership_for(request.user, slug)
    indicator = access.indicator_for(request.user, partnership, pk)
    access.require_edit(request.user, indicator.plan.priority)
    if not indicator.is_manual:
        messages.error(request, f"“{indicator.name}” takes its values from "
                       f"{_source_text(indicator)}, not from this form.")
        return _page(request, partnership, indicator, status=404)
    form = ValueForm(request.POST or None, indicator=indicator, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        return _save_value(request, partnership, indicator, form)
    status = 422 if form.is_bound else 200
    if not form.is_bound and "period" in request.GET and not form.choose_period(
            request.GET["period"]):
        status = 400
    return _page(request, partnership, indicator, value_form=form, status=status)


def _source_text(indicator) -> str:
    if indicator.source == IndicatorSource.CRIME:
        return (f"police crime data ({indicator.category}, {indicator.area.name}) that "
                "officers upload")
    return f"the data series “{indicator.series}” that officers upload"


def _save_value(request, partnership, indicator, form) -> HttpResponse:
    data = form.cleaned_data
    try:
        services.indicator_value_save(
            indicator=indicator, period_start=data["period_start"], value=data["value"],
            note=data["note"], actor=request.user,
            expected_updated_at=parse_datetime(data["expected_updated_at"] or ""))
    except ValueConflict as exc:
        form.data = form.data.copy()
        form.data["expected_updated_at"] = exc.current.updated_at.isoformat()
        return _page(request, partnership, indicator, value_form=form, conflict=exc,
                     status=409)
    except ValidationError as exc:
        _form_errors(form, exc)
        return _page(request, partnership, indicator, value_form=form, status=422)
    messages.success(request, "Value saved.")
    return redirect("actionplans:indicator", slug=partnership.slug, pk=indicator.pk)


@login_required
def indicator_target(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    indicator = access.indicator_for(request.user, partnership, pk)
    access.require_edit(request.user, indicator.plan.priority)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_set(indicator=indicator, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Target saved.")
            return redirect("actionplans:indicator", slug=slug, pk=pk)
    return _page(request, partnership, indicator, target_form=form,
                 status=422 if form.is_bound else 200)


@login_required
def indicator_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    plan = access.plan_for(request.user, partnership, pk)
    access.require_edit(request.user, plan.priority)
    form = IndicatorForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data.get(k) for k in INDICATOR_FIELDS}
        comparator = form.cleaned_data["target_comparator"]
        targets = [{"comparator": comparator, "value": form.cleaned_data["target_value"]}]
        try:
            indicator = services.indicator_create(plan=plan, data=data, actor=request.user,
                                                  targets=targets if comparator else [])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Indicator added.")
            return redirect("actionplans:indicator", slug=slug, pk=indicator.pk)
    return render(request, "actionplans/form.html", {
        "partnership": partnership, "form": form, "plan": plan, "title": "Add an indicator"})


@login_required
def indicator_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    indicator = access.indicator_for(request.user, partnership, pk)
    access.require_edit(request.user, indicator.plan.priority)
    form = IndicatorForm(request.POST or None, instance=indicator, plan=indicator.plan,
                         editing=True)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(indicator=indicator, data=form.cleaned_data,
                                      expected_version=form.cleaned_data["version"] or 0,
                                      actor=request.user)
        except services.IndicatorConflict as exc:
            conflict = exc
            form.data = form.data.copy()
            form.data["version"] = exc.current.version  # saving again replaces theirs
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Indicator saved.")
            return redirect("actionplans:indicator", slug=slug, pk=pk)
    return render(request, "actionplans/form.html", {
        "partnership": partnership, "form": form, "plan": indicator.plan,
        "conflict": conflict, "title": f"Edit “{indicator.name}”"},
        status=409 if conflict else 200)
