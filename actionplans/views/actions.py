from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from actionplans import access, exports, services
from actionplans.filters import ActionFilter
from actionplans.forms import ActionForm, ProgressForm
from actionplans.models import Action, ActionPlan
from actionplans.services.reminders import lead_work
from actionplans.tables import ActionTable
from priorities.models import PriorityLead
from smp import permissions as perms

ACTION_DATA = ("description", "lead_agency", "owner", "due_date", "cadence", "status", "strand")


def plan_url(slug: str, plan: ActionPlan) -> str:
    return reverse("actionplans:plan", args=[slug, plan.pk])


def _form_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def action_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    plan = access.plan_for(request.user, partnership, pk)
    access.require_edit(request.user, plan.priority)
    form = ActionForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ACTION_DATA}
        action = services.action_create(plan=plan, data=data, actor=request.user,
                                        outcomes=list(form.cleaned_data["outcomes"]))
        messages.success(request, "Action added.")
        return redirect(f"{plan_url(slug, plan)}#action-{action.pk}")
    return render(request, "actionplans/action_form.html", {
        "partnership": partnership, "form": form, "plan": plan, "title": "Add an action"})


@login_required
def action_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    action = access.action_for(request.user, partnership, pk)
    access.require_edit(request.user, action.plan.priority)
    form = ActionForm(request.POST or None, instance=action, plan=action.plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ACTION_DATA}
        try:
            services.action_update(action=action, expected_version=form.cleaned_data["version"]
                                   or 0, data=data, actor=request.user,
                                   outcomes=list(form.cleaned_data["outcomes"]))
        except services.ActionConflict as exc:
            conflict = exc
            form.data = form.data.copy()
            form.data["version"] = exc.current.version  # saving again replaces theirs
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Action saved.")
            return redirect(f"{plan_url(slug, action.plan)}#action-{action.pk}")
    return render(request, "actionplans/action_form.html", {
        "partnership": partnership, "form": form, "plan": action.plan, "action": action,
        "conflict": conflict, "title": "Edit action"}, status=409 if conflict else 200)


@login_required
@require_POST
def action_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Status change and/or progress note from the plan page (htmx swaps the row)."""
    partnership = perms.partnership_for(request.user, slug)
    action = access.action_for(request.user, partnership, pk)
    access.require_edit(request.user, action.plan.priority)
    form = ProgressForm(request.POST, action=action)
    conflict = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.action_record_progress(
                action=action, note=data["note"], new_status=data["new_status"],
                actor=request.user,
                expected_version=data["version"] if data["new_status"] else None)
        except services.ActionConflict as exc:
            conflict = exc
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, "Progress recorded.")
                return redirect(f"{plan_url(slug, action.plan)}#action-{action.pk}")
            return _row(request, action.pk, partnership, saved=True)
    return _row(request, action.pk, partnership, form=form, conflict=conflict,
                status=409 if conflict else 422)


def _row(request, pk, partnership, form=None, conflict=None, saved=False, status=200):
    action = Action.objects.for_table().prefetch_related("outcomes").get(pk=pk)
    numbers = {o.pk: n for n, o in enumerate(action.plan.outcomes.all(), start=1)}
    action.outcome_numbers = [numbers[o.pk] for o in action.outcomes.all()]
    if conflict is not None and form is not None:
        form = ProgressForm(form.data, action=action)  # keep their note, offer the new status
        form.is_valid()
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = action.version
    action.progress_form = form or ProgressForm(action=action)
    template = "actionplans/_action_row.html" if request.htmx else "actionplans/progress.html"
    return render(request, template, {
        "partnership": partnership, "action": action, "plan": action.plan, "can_edit": True,
        "conflict": conflict, "saved": saved}, status=status if not request.htmx else 200)


def _filtered(request: HttpRequest, partnership) -> ActionFilter:
    actions = Action.objects.filter(
        plan__in=ActionPlan.objects.visible_to(request.user, partnership)
    ).for_table().prefetch_related("outcomes")
    return ActionFilter(request.GET or None, queryset=actions, partnership=partnership,
                        user=request.user)


@login_required
def actions_table(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    filterset = _filtered(request, partnership)
    table = ActionTable(filterset.qs, slug=slug)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "actionplans/actions.html", {
        "partnership": partnership, "filter": filterset, "table": table,
        "query": request.GET.urlencode()})


@login_required
def actions_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Unknown export format")
    actions = _filtered(request, partnership).qs.order_by("plan__priority__order", "order")
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(exports.actions_csv(actions), content_type="text/csv")
    else:
        response = HttpResponse(
            exports.actions_xlsx(actions),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="actions-{slug}-{stamp}.{fmt}"'
    return response


@login_required
def my_work(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = perms.partnership_for(request.user, slug)
    work = lead_work(user=request.user, partnership=partnership)
    return render(request, "actionplans/my_work.html", {
        "partnership": partnership, "work": work, "today": timezone.localdate(),
        "leads_any": PriorityLead.objects.filter(user=request.user,
                                                 priority__partnership=partnership).exists()})
