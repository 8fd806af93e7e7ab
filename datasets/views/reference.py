"""Reference data overview: what the partnership has, CSV import of each kind, and
the background jobs (recounts) reference changes started."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from datasets.forms import ReferenceImportForm
from datasets.models import Area, Category, CategoryMapping, Population, ReferenceJob
from datasets.services.reference import HEADERS, reference_import
from datasets.services.reference_jobs import reference_job_retry
from datasets.views.reference_kinds import KINDS
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
                                      file=form.cleaned_data["file"], user=request.user)
            if result.ok:
                messages.success(request, f"Imported: {result.created} created, "
                                 f"{result.updated} updated."
                                 + (f" {result.job.description}: the stored statistics are "
                                    "being updated (see below)." if result.job else ""))
                return redirect("datasets:reference", slug=slug)
    counts = {
        "areas": Area.objects.filter(partnership=partnership).count(),
        "populations": Population.objects.filter(area__partnership=partnership).count(),
        "categories": Category.objects.filter(partnership=partnership).count(),
        "mappings": CategoryMapping.objects.filter(partnership=partnership).count(),
    }
    return render(request, "datasets/reference.html", {
        "partnership": partnership, "form": form, "result": result, "headers": HEADERS,
        "can_manage": perms.can_manage_data(request.user, partnership),
        "kinds": [(KINDS[k], n) for k, n in counts.items()],
        "jobs": ReferenceJob.objects.filter(partnership=partnership)[:5],
    })


def _job(request: HttpRequest, slug: str, pk: int, roles=VIEW_UPLOADS):
    partnership = perms.partnership_for(request.user, slug)
    perms.require(request.user, partnership, roles)
    return partnership, get_object_or_404(ReferenceJob, partnership=partnership, pk=pk)


def _render_job(request: HttpRequest, slug: str, pk: int, template: str) -> HttpResponse:
    partnership, job = _job(request, slug, pk)
    return render(request, template, {
        "partnership": partnership, "job": job,
        "can_manage": perms.can_manage_data(request.user, partnership)})


@login_required
def reference_job(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _render_job(request, slug, pk, "datasets/reference/job.html")


@login_required
def reference_job_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The fragment the job page polls while the job runs."""
    return _render_job(request, slug, pk, "datasets/reference/_job.html")


@login_required
@require_POST
def reference_job_retry_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _, job = _job(request, slug, pk, perms.MANAGE_DATA)
    try:
        reference_job_retry(job=job)
        messages.success(request, "The job was queued again.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("datasets:reference_job", slug=slug, pk=pk)
