"""The partnership home: the current plan's priorities and themes in one plan year."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from priorities.models import PlanPeriod, Priority, current_plan_year, year_label
from priorities.models.plans import current_plan
from smp import permissions as perms
from smp.models import Partnership


def _plan_shown(request: HttpRequest, plans: list[PlanPeriod], this_year: int
                ) -> PlanPeriod | None:
    chosen = request.GET.get("plan", "")
    if chosen.isdigit():
        plan = next((p for p in plans if p.pk == int(chosen)), None)
        if plan is None:
            raise Http404("No such plan")
        return plan
    return current_plan(plans, this_year)


def _year_shown(request: HttpRequest, plan: PlanPeriod, this_year: int) -> int:
    chosen = request.GET.get("year", "")
    if chosen.isdigit():
        if int(chosen) not in plan.years:
            raise Http404("That year is not a year of the plan")
        return int(chosen)
    return plan.year_shown(this_year)


def _rows(priorities: list[Priority], year: int, kind: str) -> list[dict]:
    return [{"priority": p, "status": p.status_for(year)} for p in priorities
            if p.kind == kind and p.runs_in(year)]


@login_required
def partnership_home(request: HttpRequest, slug: str) -> HttpResponse:
    partnership: Partnership = perms.partnership_for(request.user, slug)
    plans = PlanPeriod.objects.filter(partnership=partnership)
    if perms.reads_only_published(request.user, partnership):
        plans = plans.published()
    plans = list(plans)  # newest first; one query for the choice and the plan shown
    this_year = current_plan_year()
    plan = _plan_shown(request, plans, this_year)
    context = {"partnership": partnership, "plan": plan, "plans": plans,
               "can_write": perms.can_write_priorities(request.user, partnership),
               "can_manage": perms.can_manage_partnership(request.user, partnership)}
    if plan is not None:
        year = _year_shown(request, plan, this_year)
        priorities = list(Priority.objects.visible_to(request.user, partnership)
                          .filter(plan=plan).with_people().with_successors())
        context.update(
            year=year, year_label=year_label(year), is_this_year=year == this_year,
            year_choices=[(y, year_label(y)) for y in plan.years],
            named=_rows(priorities, year, Priority.Kind.PRIORITY),
            themes=_rows(priorities, year, Priority.Kind.THEME),
            ended=[p for p in priorities if p.ended_year is not None and p.ended_year <= year],
            later=[p for p in priorities if p.start_year > year],
        )
    return render(request, "priorities/home.html", context)
