"""Reference-data pages of one kind (areas, populations, categories, mappings):
list (sort, filter, paginate, CSV export), a record's page (form and history),
delete, and the kind's change history.

Members who read uploads read these; officers and administrators write; everyone
else gets 403, and a non-member 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django_tables2 import RequestConfig

from datasets.audit import history_rows
from datasets.reference_csv import reference_csv
from datasets.services.reference_edits import reference_delete, reference_uses
from datasets.views.reference_kinds import KINDS, ReferenceKind
from datasets.views.uploads import VIEW_UPLOADS
from smp import permissions as perms


def _open(request: HttpRequest, slug: str, kind: str, roles=VIEW_UPLOADS):
    partnership = perms.partnership_for(request.user, slug)
    perms.require(request.user, partnership, roles)
    if kind not in KINDS:
        raise Http404("No such reference data")
    return partnership, KINDS[kind]


def _after_save(request: HttpRequest, slug: str, spec: ReferenceKind, what: str, job):
    if job is None:
        messages.success(request, f"{what}.")
        return redirect("datasets:reference_list", slug=slug, kind=spec.slug)
    messages.success(request, f"{what}. {job.description}: the stored statistics are being "
                     "updated in the background.")
    return redirect("datasets:reference_job", slug=slug, pk=job.pk)


@login_required
def reference_list(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    partnership, spec = _open(request, slug, kind)
    filters = spec.filter(request.GET or None, queryset=spec.rows(partnership),
                          partnership=partnership)
    table = spec.table(filters.qs, slug=slug)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    if request.GET.get("export") == "csv":
        response = HttpResponse(reference_csv(kind, table.data.data),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{kind}-{slug}.csv"'
        return response
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "datasets/reference/list.html", {
        "partnership": partnership, "spec": spec, "table": table, "filter": filters,
        "query": query.urlencode(), "can_manage": perms.can_manage_data(request.user, partnership),
    })


@login_required
def reference_record(request: HttpRequest, slug: str, kind: str, pk: int | None = None):
    """An existing record (its values, form for officers, history) or a new one."""
    partnership, spec = _open(request, slug, kind)
    can_manage = perms.can_manage_data(request.user, partnership)
    if pk is None or request.method == "POST":
        perms.require(request.user, partnership, perms.MANAGE_DATA)
    instance = get_object_or_404(spec.rows(partnership), pk=pk) if pk else spec.model()
    form = spec.form(request.POST or None, instance=instance, partnership=partnership)
    for field in form.fields.values():
        field.disabled = not can_manage  # readers see the values, cannot change them
    if request.method == "POST" and form.is_valid():
        job = spec.save(form.save(commit=False), request.user)
        return _after_save(request, slug, spec, f"Saved {spec.singular} “{form.instance}”", job)
    history = history_rows(spec.model, list(instance.history.all()[:50]), spec.history_fields,
                           spec.label) if pk else []
    return render(request, "datasets/reference/record.html", {
        "partnership": partnership, "spec": spec, "record": instance if pk else None,
        "form": form, "history": history, "can_manage": can_manage,
    })


@login_required
def reference_delete_view(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """GET asks for confirmation (or says what stops the deletion); POST deletes."""
    partnership, spec = _open(request, slug, kind, perms.MANAGE_DATA)
    instance = get_object_or_404(spec.rows(partnership), pk=pk)
    refusal = ""
    if request.method == "POST":
        try:
            job = reference_delete(instance=instance, user=request.user)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            return _after_save(request, slug, spec, f"Deleted {spec.singular} “{instance}”", job)
    uses = reference_uses(instance)
    return render(request, "datasets/reference/delete.html", {
        "partnership": partnership, "spec": spec, "record": instance, "uses": uses,
        "refusal": refusal,
    }, status=409 if refusal else 200)


@login_required
def reference_history(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Every change of this kind of reference data, deleted records included."""
    partnership, spec = _open(request, slug, kind)
    page = Paginator(spec.history_of(partnership).order_by("-history_date", "-history_id"),
                     25).get_page(request.GET.get("page"))
    return render(request, "datasets/reference/history.html", {
        "partnership": partnership, "spec": spec, "page": page,
        "rows": history_rows(spec.model, list(page), spec.history_fields, spec.label),
    })
