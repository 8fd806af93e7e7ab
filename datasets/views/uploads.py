"""Upload pages: list, new upload, progress and summary, downloads, roll back, retry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from datasets.forms import UploadForm
from datasets.models import Upload, UploadKind
from datasets.services.uploads import upload_create, upload_retry, upload_rollback
from datasets.tables import UploadFilter, UploadTable
from datasets.templates_csv import TEMPLATES
from smp import permissions as perms
from smp.models import Role

# Every member reads uploads and their summaries, except committee members.
VIEW_UPLOADS = {Role.CO_CHAIR, Role.LEAD, Role.OFFICER, Role.PARTNER, Role.ADMIN}


def _upload(request: HttpRequest, slug: str, pk: int, roles=VIEW_UPLOADS):
    partnership = perms.partnership_for(request.user, slug)
    perms.require(request.user, partnership, roles)
    return partnership, get_object_or_404(Upload, partnership=partnership, pk=pk)


@login_required
def upload_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    perms.require(request.user, partnership, VIEW_UPLOADS)
    queryset = Upload.objects.for_partnership(partnership).select_related(
        "uploaded_by", "partnership")
    filters = UploadFilter(request.GET or None, queryset=queryset)
    table = UploadTable(filters.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "datasets/uploads/list.html", {
        "partnership": partnership, "table": table, "filter": filters,
        "can_upload": perms.can_manage_data(request.user, partnership),
    })


@login_required
def upload_new(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    perms.require(request.user, partnership, perms.MANAGE_DATA)
    form = UploadForm(request.POST or None, request.FILES or None,
                      initial={"kind": request.GET.get("kind", UploadKind.POLICE_UK)})
    if request.method == "POST" and form.is_valid():
        try:
            upload = upload_create(partnership=partnership, kind=form.cleaned_data["kind"],
                                   file=form.cleaned_data["file"], user=request.user,
                                   series_name=form.cleaned_data["series_name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("datasets:upload_detail", slug=slug, pk=upload.pk)
    return render(request, "datasets/uploads/form.html", {
        "partnership": partnership, "form": form, "templates": TEMPLATES,
    })


@login_required
def upload_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, upload = _upload(request, slug, pk)
    context = {"partnership": partnership, "upload": upload,
               "can_manage": perms.can_manage_data(request.user, partnership),
               "history": upload.history.select_related("history_user")[:10]}
    return render(request, "datasets/uploads/detail.html", context)


@login_required
def upload_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The fragment the detail page polls every second while the import runs."""
    partnership, upload = _upload(request, slug, pk)
    context = {"partnership": partnership, "upload": upload,
               "can_manage": perms.can_manage_data(request.user, partnership)}
    return render(request, "datasets/uploads/_status.html", context)


@login_required
def upload_errors(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    _, upload = _upload(request, slug, pk, perms.MANAGE_DATA)
    if not upload.error_report:
        raise Http404("No error report")
    return FileResponse(upload.error_report.open("rb"), as_attachment=True,
                        filename=f"errors-upload-{upload.pk}.csv", content_type="text/csv")


@login_required
def upload_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    _, upload = _upload(request, slug, pk, perms.MANAGE_DATA)
    return FileResponse(upload.file.open("rb"), as_attachment=True,
                        filename=upload.original_name)


@login_required
def upload_rollback_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation (deleting data is confirmed, WCAG 3.3.4); POST does it."""
    partnership, upload = _upload(request, slug, pk, perms.MANAGE_DATA)
    if request.method != "POST":
        return render(request, "datasets/uploads/rollback.html",
                      {"partnership": partnership, "upload": upload})
    try:
        upload_rollback(upload=upload, user=request.user)
        messages.success(request, "The upload was rolled back; the previous values are back.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("datasets:upload_detail", slug=slug, pk=pk)


@login_required
@require_POST
def upload_retry_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _, upload = _upload(request, slug, pk, perms.MANAGE_DATA)
    try:
        upload_retry(upload=upload, user=request.user)
        messages.success(request, "The import was queued again.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("datasets:upload_detail", slug=slug, pk=pk)


@login_required
def upload_template(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    """A documented example file for each format."""
    perms.require(request.user, perms.partnership_for(request.user, slug), VIEW_UPLOADS)
    if name not in TEMPLATES:
        raise Http404("No such template")
    response = HttpResponse(TEMPLATES[name]["content"], content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
