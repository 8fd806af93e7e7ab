from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from priorities import services
from priorities.forms import LeadForm, PriorityForm, PriorityStatusForm, SubgroupForm
from priorities.models import PlanPeriod, Priority, PriorityLead, Subgroup
from smp import permissions as perms
from smp.models import Partnership


def _priority(user, partnership: Partnership, pk: int) -> Priority:
    queryset = Priority.objects.visible_to(user, partnership).with_people()
    return get_object_or_404(queryset, pk=pk)


def _plan_shown(request: HttpRequest, partnership: Partnership) -> PlanPeriod | None:
    plans = PlanPeriod.objects.filter(partnership=partnership)
    if perms.reads_only_published(request.user, partnership):
        plans = plans.published()
    chosen = request.GET.get("plan")
    if chosen and chosen.isdigit():
        return get_object_or_404(plans, pk=int(chosen))
    return plans.first()  # newest plan first (Meta.ordering)


@login_required
def partnership_home(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    plan = _plan_shown(request, partnership)
    priorities = list(
        Priority.objects.visible_to(request.user, partnership).filter(plan=plan).with_people()
    )
    context = {
        "partnership": partnership,
        "plan": plan,
        "plans": PlanPeriod.objects.filter(partnership=partnership)
        if not perms.reads_only_published(request.user, partnership)
        else PlanPeriod.objects.filter(partnership=partnership).published(),
        "named": [p for p in priorities if p.kind == Priority.Kind.PRIORITY],
        "themes": [p for p in priorities if p.kind == Priority.Kind.THEME],
        "can_write": perms.can_write_priorities(request.user, partnership),
    }
    return render(request, "priorities/home.html", context)


@login_required
def priority_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    priority = _priority(request.user, partnership, pk)
    context = {
        "partnership": partnership,
        "priority": priority,
        "history": priority.history.select_related("history_user")[:20],
        "predecessors": priority.predecessor_links.select_related("source__plan"),
        "successors": priority.successor_links.select_related("target__plan"),
        "can_edit": perms.can_edit_priority(request.user, priority),
        "can_set_status": perms.can_set_status(request.user, partnership),
        "can_manage_leads": perms.can_write_priorities(request.user, partnership),
    }
    return render(request, "priorities/detail.html", context)


@login_required
def priority_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    perms.require(request.user, partnership, perms.WRITE_PRIORITIES)
    form = PriorityForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        priority = form.save()
        messages.success(request, f"“{priority.title}” was created.")
        return redirect("priorities:detail", slug=slug, pk=priority.pk)
    context = {"partnership": partnership, "form": form, "title": "New priority or theme"}
    return render(request, "priorities/form.html", context)


@login_required
def priority_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    priority = _priority(request.user, partnership, pk)
    if not perms.can_edit_priority(request.user, priority):
        raise PermissionDenied
    lead_only = not perms.can_write_priorities(request.user, partnership)
    form = PriorityForm(
        request.POST or None, instance=priority, partnership=partnership, lead_only=lead_only
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Changes saved.")
        return redirect("priorities:detail", slug=slug, pk=pk)
    context = {"partnership": partnership, "form": form, "priority": priority,
               "title": f"Edit “{priority.title}”"}
    return render(request, "priorities/form.html", context)


@login_required
def priority_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    priority = _priority(request.user, partnership, pk)
    perms.require(request.user, partnership, perms.SET_STATUS)
    form = PriorityStatusForm(request.POST or None, priority=priority)
    if request.method == "POST" and form.is_valid():
        services.priority_set_status(priority=priority, actor=request.user, **form.cleaned_data)
        messages.success(request, "Status recorded.")
        return redirect("priorities:detail", slug=slug, pk=pk)
    context = {"partnership": partnership, "form": form, "priority": priority,
               "title": f"Set the status of “{priority.title}”"}
    return render(request, "priorities/form.html", context)


@login_required
def priority_leads(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    priority = _priority(request.user, partnership, pk)
    perms.require(request.user, partnership, perms.WRITE_PRIORITIES)
    form = LeadForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_lead_add(priority=priority, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Lead added.")
            return redirect("priorities:leads", slug=slug, pk=pk)
    context = {"partnership": partnership, "form": form, "priority": priority}
    return render(request, "priorities/leads.html", context)


@login_required
@require_POST
def priority_lead_remove(request: HttpRequest, slug: str, pk: int, lead_pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    priority = _priority(request.user, partnership, pk)
    perms.require(request.user, partnership, perms.WRITE_PRIORITIES)
    get_object_or_404(PriorityLead, pk=lead_pk, priority=priority).delete()
    messages.success(request, "Lead removed.")
    return redirect("priorities:leads", slug=slug, pk=pk)


@login_required
def subgroup_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    # Committee members must not learn of priorities in unpublished plans here either.
    delivers = Priority.objects.visible_to(request.user, partnership).select_related("plan")
    subgroups = Subgroup.objects.filter(partnership=partnership).prefetch_related(
        Prefetch("priorities", queryset=delivers), "members__user", "members__agency"
    )
    context = {"partnership": partnership, "subgroups": subgroups,
               "can_write": perms.can_write_priorities(request.user, partnership)}
    return render(request, "priorities/subgroups.html", context)


@login_required
def subgroup_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    perms.require(request.user, partnership, perms.WRITE_PRIORITIES)
    subgroup = get_object_or_404(Subgroup, pk=pk, partnership=partnership) if pk else None
    form = SubgroupForm(request.POST or None, instance=subgroup, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Subgroup saved.")
        return redirect("priorities:subgroups", slug=slug)
    title = f"Edit “{subgroup.name}”" if subgroup else "New subgroup"
    return render(request, "priorities/form.html",
                  {"partnership": partnership, "form": form, "title": title})
