from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from actionplans import access, services
from actionplans.audit import plan_history
from actionplans.forms import AimForm, OutcomeForm, PlanForm, ProgressForm, StartYearForm
from actionplans.models import ActionPlan
from actionplans.readings import summarise_all
from priorities.models import Priority, current_plan_year
from smp import permissions as perms


def plan_context(request: HttpRequest, plan: ActionPlan) -> dict:
    """Everything the plan page and its printable view show, in a fixed number of
    queries however many outcomes, actions and indicators the plan has."""
    can_edit = perms.can_edit_plan(request.user, plan.priority)
    actions = list(plan.actions.for_table().prefetch_related("outcomes"))
    indicators = list(plan.indicators.select_related("series", "outcome", "area", "category")
                      .prefetch_related("targets"))
    outcomes = list(plan.outcomes.all())
    outcome_numbers = {o.pk: n for n, o in enumerate(outcomes, start=1)}
    for action in actions:
        action.outcome_numbers = [outcome_numbers[o.pk] for o in action.outcomes.all()]
        action.progress_form = ProgressForm(action=action) if can_edit else None
    summaries = summarise_all(indicators)
    for indicator in indicators:
        indicator.summary = summaries[indicator.pk]
    return {
        "partnership": plan.priority.partnership, "plan": plan, "priority": plan.priority,
        "outcomes": outcomes, "actions": actions, "indicators": indicators,
        "leads": list(plan.priority.leads.select_related("user", "agency")),
        "can_edit": can_edit, "other_years": plan.priority.action_plans.exclude(pk=plan.pk),
    }


@login_required
def plan_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    plan = access.plan_for(request.user, partnership, pk)
    context = plan_context(request, plan)
    context["history"] = plan_history(plan)
    context["can_start_year"] = context["can_edit"] and StartYearForm(plan=plan).fields[
        "year"].choices
    return render(request, "actionplans/plan.html", context)


@login_required
def plan_print(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    plan = access.plan_for(request.user, partnership, pk)
    return render(request, "actionplans/print.html", plan_context(request, plan))


@login_required
def plan_for_priority(request: HttpRequest, slug: str, priority_pk: int) -> HttpResponse:
    """The priority's plan for this plan year, else its newest; else offer to start one."""
    partnership = perms.partnership_for(request.user, slug)
    priority = get_object_or_404(Priority.objects.visible_to(request.user, partnership),
                                 pk=priority_pk)
    plans = priority.action_plans.order_by("-year")
    plan = plans.filter(year=current_plan_year()).first() or plans.first()
    if plan is not None:
        return redirect("actionplans:plan", slug=slug, pk=plan.pk)
    return render(request, "actionplans/no_plan.html", {
        "partnership": partnership, "priority": priority,
        "can_edit": perms.can_edit_plan(request.user, priority)})


@login_required
def plan_create(request: HttpRequest, slug: str, priority_pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    priority = get_object_or_404(Priority.objects.visible_to(request.user, partnership),
                                 pk=priority_pk)
    access.require_edit(request.user, priority)
    form = PlanForm(request.POST or None, priority=priority)
    if request.method == "POST" and form.is_valid():
        plan = services.actionplan_create(priority=priority, actor=request.user,
                                          year=form.cleaned_data["year"],
                                          aim=form.cleaned_data["aim"])
        messages.success(request, f"Action plan for {plan.year_label} started.")
        return redirect("actionplans:plan", slug=slug, pk=plan.pk)
    return render(request, "actionplans/form.html", {
        "partnership": partnership, "form": form, "priority": priority,
        "title": f"Start the action plan for “{priority.title}”"})


@login_required
def plan_start_year(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    plan = access.plan_for(request.user, partnership, pk)
    access.require_edit(request.user, plan.priority)
    form = StartYearForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.actionplan_start_year(previous=plan, actor=request.user,
                                                 year=form.cleaned_data["year"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{new.year_label} started from {plan.year_label}: "
                             "open actions carried over, completed and dropped ones not.")
            return redirect("actionplans:plan", slug=slug, pk=new.pk)
    return render(request, "actionplans/form.html", {
        "partnership": partnership, "form": form, "plan": plan,
        "title": f"Start the next plan year of “{plan.priority.title}”",
        "intro": "The new year starts as a copy of this one: aim, outcomes, indicators and "
                 "targets, and the actions still open."})


@login_required
def plan_aim(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    plan = access.plan_for(request.user, partnership, pk)
    access.require_edit(request.user, plan.priority)
    form = AimForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        plan._history_user = request.user
        form.save()
        messages.success(request, "Aim saved.")
        return redirect("actionplans:plan", slug=slug, pk=pk)
    return render(request, "actionplans/form.html", {
        "partnership": partnership, "form": form, "plan": plan, "title": "Edit the aim"})


@login_required
def outcome_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return outcome_edit(request, slug, pk, None)


@login_required
def outcome_edit(request: HttpRequest, slug: str, pk: int,
                 outcome_pk: int | None) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    plan = access.plan_for(request.user, partnership, pk)
    access.require_edit(request.user, plan.priority)
    outcome = get_object_or_404(plan.outcomes, pk=outcome_pk) if outcome_pk else None
    form = OutcomeForm(request.POST or None, instance=outcome,
                       initial={"order": plan.outcomes.count() + 1})
    if request.method == "POST" and form.is_valid():
        services.outcome_save(plan=plan, outcome=outcome, actor=request.user,
                              text=form.cleaned_data["text"], order=form.cleaned_data["order"])
        messages.success(request, "Outcome saved.")
        return redirect("actionplans:plan", slug=slug, pk=pk)
    return render(request, "actionplans/form.html", {
        "partnership": partnership, "form": form, "plan": plan,
        "title": "Edit outcome" if outcome else "Add an outcome"})
