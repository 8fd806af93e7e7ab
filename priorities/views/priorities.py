"""The priority page and the pages that create and edit a priority, set its yearly
status and manage its leads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from priorities import services
from priorities.forms import LeadForm, PriorityForm, PriorityStatusForm, add_errors
from priorities.models import PriorityLead
from priorities.views.access import priority_for, priority_to_change
from smp import permissions as perms


@login_required
def priority_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    priority = priority_for(request.user, partnership, pk)
    context = {
        "partnership": partnership,
        "priority": priority,
        "history": priority.history.select_related("history_user")[:20],
        "can_edit": perms.can_edit_priority(request.user, priority),
        "can_set_status": perms.can_set_status(request.user, partnership),
        "can_write": perms.can_write_priorities(request.user, partnership),
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
    priority = priority_for(request.user, partnership, pk)
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
    partnership, priority = priority_to_change(request.user, slug, pk, perms.SET_STATUS)
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
    partnership, priority = priority_to_change(request.user, slug, pk)
    form = LeadForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_lead_add(priority=priority, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Lead added.")
            return redirect("priorities:leads", slug=slug, pk=pk)
    context = {"partnership": partnership, "form": form, "priority": priority}
    return render(request, "priorities/leads.html", context)


ROLE_OUTCOME = {
    "kept": "Lead removed.",
    "removed": "Lead removed. They lead no other priority, so their lead role was removed too.",
    "now_partner": "Lead removed. They lead no other priority, so they stay in the "
                   "partnership as a partner member (read only).",
}


@login_required
@require_POST
def priority_lead_remove(request: HttpRequest, slug: str, pk: int, lead_pk: int) -> HttpResponse:
    _, priority = priority_to_change(request.user, slug, pk)
    lead = get_object_or_404(PriorityLead, pk=lead_pk, priority=priority)
    outcome = services.priority_lead_remove(lead=lead, actor=request.user)
    messages.success(request, ROLE_OUTCOME[outcome])
    return redirect("priorities:leads", slug=slug, pk=pk)
