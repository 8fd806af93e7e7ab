"""Subgroups: the list, each subgroup's page with its members, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from priorities.forms import SubgroupForm, SubgroupMemberForm
from priorities.models import Priority, Subgroup, SubgroupMember
from priorities.views.access import subgroup_for
from smp import permissions as perms


def _with_contents(request: HttpRequest, partnership):
    # Committee members must not learn of priorities in unpublished plans here either.
    delivers = Priority.objects.visible_to(request.user, partnership).select_related("plan")
    return Subgroup.objects.filter(partnership=partnership).prefetch_related(
        Prefetch("priorities", queryset=delivers), "members__user", "members__agency"
    )


@login_required
def subgroup_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    context = {"partnership": partnership, "subgroups": _with_contents(request, partnership),
               "can_write": perms.can_write_priorities(request.user, partnership)}
    return render(request, "priorities/subgroups.html", context)


def _render_subgroup(request: HttpRequest, partnership, pk: int, form=None) -> HttpResponse:
    subgroup = get_object_or_404(_with_contents(request, partnership), pk=pk)
    can_write = perms.can_write_priorities(request.user, partnership)
    if can_write and form is None:
        form = SubgroupMemberForm(subgroup=subgroup)
    context = {"partnership": partnership, "subgroup": subgroup, "can_write": can_write,
               "form": form}
    return render(request, "priorities/subgroup.html", context)


@login_required
def subgroup_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, subgroup = subgroup_for(request.user, slug, pk)
    return _render_subgroup(request, partnership, subgroup.pk)


@login_required
@require_POST
def subgroup_member_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, subgroup = subgroup_for(request.user, slug, pk, perms.WRITE_PRIORITIES)
    form = SubgroupMemberForm(request.POST, subgroup=subgroup)
    if not form.is_valid():
        return _render_subgroup(request, partnership, pk, form)
    member = form.save()
    messages.success(request, f"{member.name} added as {member.get_role_display().lower()}.")
    return redirect("priorities:subgroup", slug=slug, pk=pk)


@login_required
@require_POST
def subgroup_member_remove(request: HttpRequest, slug: str, pk: int,
                           member_pk: int) -> HttpResponse:
    _, subgroup = subgroup_for(request.user, slug, pk, perms.WRITE_PRIORITIES)
    member = get_object_or_404(SubgroupMember, pk=member_pk, subgroup=subgroup)
    member.delete()
    messages.success(request, f"{member.name} is no longer a member of {subgroup.name}.")
    return redirect("priorities:subgroup", slug=slug, pk=pk)


@login_required
def subgroup_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    perms.require(request.user, partnership, perms.WRITE_PRIORITIES)
    subgroup = get_object_or_404(Subgroup, pk=pk, partnership=partnership) if pk else None
    form = SubgroupForm(request.POST or None, instance=subgroup, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        subgroup = form.save()
        messages.success(request, "Subgroup saved.")
        return redirect("priorities:subgroup", slug=slug, pk=subgroup.pk)
    title = f"Edit “{subgroup.name}”" if subgroup else "New subgroup"
    cancel = (reverse("priorities:subgroup", args=[slug, subgroup.pk]) if subgroup
              else reverse("priorities:subgroups", args=[slug]))
    return render(request, "priorities/form.html",
                  {"partnership": partnership, "form": form, "title": title, "cancel_url": cancel})
