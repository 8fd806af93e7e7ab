"""Administration: the partnership's agencies (partner organisations)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django_tables2 import RequestConfig

from smp.forms import AgencyForm
from smp.models import Agency
from smp.tables import AgencyFilter, AgencyTable
from smp.views.access import managed_partnership


@login_required
def agency_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = managed_partnership(request.user, slug)
    agencies = Agency.objects.filter(partnership=partnership).select_related(
        "partnership").annotate(member_count=Count("memberships__user", distinct=True))
    found = AgencyFilter(request.GET or None, queryset=agencies)
    table = AgencyTable(found.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "smp/manage/agencies.html",
                  {"partnership": partnership, "filter": found, "table": table})


@login_required
def agency_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    partnership = managed_partnership(request.user, slug)
    agency = get_object_or_404(Agency, pk=pk, partnership=partnership) if pk else None
    form = AgencyForm(request.POST or None, instance=agency, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        agency = form.save()
        messages.success(request, f"“{agency.name}” saved.")
        return redirect("manage:agencies", slug=slug)
    title = f"Edit “{agency.name}”" if agency else "New agency"
    return render(request, "smp/manage/agency_form.html",
                  {"partnership": partnership, "form": form, "title": title})
