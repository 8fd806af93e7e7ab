"""Administration: the partnership's members and their roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from smp import services
from smp.forms import MemberAddForm, MemberRolesForm, add_errors
from smp.models import Membership, Partnership
from smp.tables import MemberFilter, MemberTable
from smp.views.access import managed_partnership


def members_of(partnership: Partnership):
    """Users with a role in ``partnership``, each with ``partnership_memberships``."""
    memberships = Membership.objects.filter(partnership=partnership).select_related("agency")
    return get_user_model().objects.filter(memberships__partnership=partnership).distinct(
    ).prefetch_related(Prefetch("memberships", queryset=memberships,
                                to_attr="partnership_memberships"))


@login_required
def manage_home(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = managed_partnership(request.user, slug)
    context = {"partnership": partnership, "member_count": members_of(partnership).count(),
               "agency_count": partnership.agencies.count(),
               "plan_count": partnership.plan_periods.count()}
    return render(request, "smp/manage/home.html", context)


@login_required
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = managed_partnership(request.user, slug)
    found = MemberFilter(request.GET or None, queryset=members_of(partnership),
                         partnership=partnership)
    table = MemberTable(found.qs, partnership=partnership)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "smp/manage/members.html",
                  {"partnership": partnership, "filter": found, "table": table})


@login_required
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = managed_partnership(request.user, slug)
    form = MemberAddForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person, created = services.membership_add(
                partnership=partnership, roles=data["roles"], agency=data["agency"],
                actor=request.user, user=data["user"], new_account=form.new_account())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            name = person.get_full_name() or person.username
            messages.success(request, f"Account created for {name}; {person.email} was sent a "
                             "link to choose a password." if created else f"{name} was added.")
            return redirect("manage:members", slug=slug)
    return render(request, "smp/manage/member_add.html", {"partnership": partnership,
                                                           "form": form})


@login_required
def member_edit(request: HttpRequest, slug: str, user_pk: int) -> HttpResponse:
    partnership = managed_partnership(request.user, slug)
    person = get_object_or_404(members_of(partnership), pk=user_pk)
    held = person.partnership_memberships
    initial = {"roles": [m.role for m in held], "agency": next(
        (m.agency for m in held if m.agency), None)}
    # Bound on every POST: unticking every role posts no data at all.
    data = request.POST if request.method == "POST" else None
    form = MemberRolesForm(data, partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_set_roles(partnership=partnership, user=person,
                                          actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Roles saved.")
            return redirect("manage:members", slug=slug)
    history = Membership.history.filter(partnership=partnership, user=person).select_related(
        "history_user").order_by("-history_date")[:20]
    return render(request, "smp/manage/member.html", {"partnership": partnership,
                  "person": person, "form": form, "history": history})


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, user_pk: int) -> HttpResponse:
    partnership = managed_partnership(request.user, slug)
    person = get_object_or_404(members_of(partnership), pk=user_pk)
    name = person.get_full_name() or person.username
    try:
        services.membership_remove(partnership=partnership, user=person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, f"{name} was not removed: {' '.join(exc.messages)}")
        return redirect("manage:member", slug=slug, user_pk=user_pk)
    messages.success(request, f"{name} is no longer a member of {partnership.name}.")
    return redirect("manage:members", slug=slug)
