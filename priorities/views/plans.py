"""Plan periods (administrators): the list, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django_tables2 import RequestConfig

from priorities.forms import PlanPeriodForm
from priorities.models import PlanPeriod
from priorities.tables import PlanPeriodTable
from smp import permissions as perms


@login_required
def plan_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    perms.require(request.user, partnership, perms.MANAGE_PARTNERSHIP)
    plans = PlanPeriod.objects.filter(partnership=partnership).annotate(
        priority_count=Count("priorities"))
    table = PlanPeriodTable(plans, partnership=partnership)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "priorities/plans.html", {"partnership": partnership, "table": table})


@login_required
def plan_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    perms.require(request.user, partnership, perms.MANAGE_PARTNERSHIP)
    plan = get_object_or_404(PlanPeriod, pk=pk, partnership=partnership) if pk else None
    form = PlanPeriodForm(request.POST or None, instance=plan, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        plan = form.save()
        messages.success(request, f"“{plan.title}” ({plan.label}) saved.")
        return redirect("priorities:plans", slug=slug)
    context = {"partnership": partnership, "form": form, "plan": plan,
               "title": f"Edit “{plan.title}”" if plan else "New plan period"}
    return render(request, "priorities/plan_form.html", context)
