"""Recording what became of a priority: continued, split, merged, demoted, ended.
Co-chairs and administrators only; every change goes through priorities.services."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from priorities import services
from priorities.forms import ContinueForm, DemoteForm, EndForm, MergeForm, SplitForm, add_errors
from priorities.models import Priority, PriorityLink
from priorities.views.access import priority_to_change


def _lineage_page(request: HttpRequest, slug: str, pk: int, *, form_class, title: str,
                  record: Callable[[Priority, dict, object], object], done: str) -> HttpResponse:
    """GET: the form; POST: ``record`` it through a service, then back to the priority."""
    partnership, priority = priority_to_change(request.user, slug, pk)
    form = form_class(request.POST or None, priority=priority)
    if request.method == "POST" and form.is_valid():
        try:
            record(priority, form.cleaned_data, request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("priorities:detail", slug=slug, pk=pk)
    context = {"partnership": partnership, "priority": priority, "form": form,
               "title": title.format(title=priority.title)}
    return render(request, "priorities/lineage_form.html", context)


def _successor(data: dict) -> dict:
    return {"start": data["start"], "title": data["title"], "note": data["note"]}


@login_required
def priority_continue(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _lineage_page(
        request, slug, pk, form_class=ContinueForm, title="Continue “{title}”",
        record=lambda p, data, actor: services.priority_continue(
            priority=p, actor=actor, successor=data["existing"], **_successor(data)),
        done="Recorded: the priority continues.",
    )


@login_required
def priority_demote(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _lineage_page(
        request, slug, pk, form_class=DemoteForm,
        title="Demote “{title}” to a cross-cutting theme",
        record=lambda p, data, actor: services.priority_demote(
            priority=p, actor=actor, theme=data["existing"], **_successor(data)),
        done="Recorded: the priority became a cross-cutting theme.",
    )


@login_required
def priority_split(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _lineage_page(
        request, slug, pk, form_class=SplitForm, title="Split “{title}”",
        record=lambda p, data, actor: services.priority_split(
            priority=p, actor=actor, parts=list(data["parts"]), start=data["start"],
            titles=data["titles"], note=data["note"]),
        done="Recorded: the priority was split. Add aims and leads to any new priorities.",
    )


@login_required
def priority_merge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _lineage_page(
        request, slug, pk, form_class=MergeForm, title="Merge “{title}” with others",
        record=lambda p, data, actor: services.priority_merge(
            priorities=[p, *data["others"]], actor=actor, into=data["into"],
            start=data["start"], title=data["title"], note=data["note"]),
        done="Recorded: the priorities were merged.",
    )


@login_required
def priority_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _lineage_page(
        request, slug, pk, form_class=EndForm, title="End or drop “{title}”",
        record=lambda p, data, actor: services.priority_end(
            priority=p, actor=actor, ended_year=data["ended_year"], reason=data["reason"]),
        done="Saved when the priority ends.",
    )


@login_required
@require_POST
def priority_link_remove(request: HttpRequest, slug: str, pk: int, link_pk: int) -> HttpResponse:
    """Delete a lineage link recorded by mistake (seen from either priority's page).
    Both priorities stay as they are; an end year it set is changed under "End or drop"."""
    _, priority = priority_to_change(request.user, slug, pk)
    link = get_object_or_404(
        PriorityLink.objects.filter(source=priority) | PriorityLink.objects.filter(target=priority),
        pk=link_pk,
    )
    link.delete()
    messages.success(request, f"Link removed: {link}. End years are unchanged.")
    return redirect("priorities:detail", slug=slug, pk=pk)
