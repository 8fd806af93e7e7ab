"""Reference data page: what the partnership has, and CSV import of each kind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from datasets.forms import ReferenceImportForm
from datasets.models import Area, AreaLevel, Category, CategoryMapping, Population
from datasets.services.reference import HEADERS, reference_import
from datasets.views.uploads import VIEW_UPLOADS
from smp import permissions as perms


@login_required
def reference_index(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    perms.require(request.user, partnership, VIEW_UPLOADS)
    form, result = ReferenceImportForm(request.POST or None, request.FILES or None), None
    if request.method == "POST":
        perms.require(request.user, partnership, perms.MANAGE_DATA)
        if form.is_valid():
            result = reference_import(partnership=partnership, kind=form.cleaned_data["kind"],
                                      file=form.cleaned_data["file"])
            if result.ok:
                messages.success(request, f"Imported: {result.created} created, "
                                 f"{result.updated} updated.")
                return redirect("datasets:reference", slug=slug)
    areas = Area.objects.filter(partnership=partnership)
    context = {
        "partnership": partnership, "form": form, "result": result, "headers": HEADERS,
        "can_manage": perms.can_manage_data(request.user, partnership),
        "area_counts": [(label, areas.filter(level=value).count())
                        for value, label in AreaLevel.choices],
        "populations": Population.objects.filter(area__partnership=partnership).count(),
        "groups": Category.objects.filter(partnership=partnership, parent__isnull=True)
        .prefetch_related("children"),
        "mappings": CategoryMapping.objects.filter(partnership=partnership)
        .select_related("category"),
    }
    return render(request, "datasets/reference.html", context)
