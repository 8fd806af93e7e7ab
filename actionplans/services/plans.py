from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplans.models import (
    Action,
    ActionPlan,
    ActionStatus,
    Outcome,
    ProgressUpdate,
)
from actionplans.models.plans import CLOSED_STATUSES
from actionplans.services.conflicts import ActionConflict, version_claim
from priorities.models import Priority, year_label

ACTION_FIELDS = ("description", "lead_agency", "owner", "due_date", "cadence", "status", "strand")


def _claim(action: Action, expected_version: int, actor) -> None:
    """The optimistic lock of an edit: bump the version only if nobody else has."""
    now = timezone.now()
    version_claim(action, expected_version, ActionConflict, updated_at=now, updated_by=actor,
                  last_activity_at=now)


@transaction.atomic
def actionplan_create(*, priority: Priority, year: int, aim: str, actor) -> ActionPlan:
    """Start a priority's first action plan (the aim defaults to the priority's)."""
    plan = ActionPlan(priority=priority, year=year, aim=aim or priority.aim)
    plan.full_clean()
    plan._history_user = actor
    plan.save()
    return plan


@transaction.atomic
def actionplan_start_year(*, previous: ActionPlan, year: int, actor) -> ActionPlan:
    """A new plan year starts as a copy of the last: aim, outcomes, indicators and
    targets, and the actions still open (completed and dropped ones stay behind)."""
    if year <= previous.year:
        raise ValidationError({"year": "The new plan year must follow the previous one."})
    if ActionPlan.objects.filter(priority=previous.priority, year=year).exists():
        raise ValidationError({"year": f"There is already a plan for {year_label(year)}."})
    plan = ActionPlan(priority=previous.priority, year=year, aim=previous.aim,
                      carried_from=previous)
    plan.full_clean()
    plan._history_user = actor
    plan.save()
    outcome_map = {}
    for outcome in previous.outcomes.all():
        outcome_map[outcome.pk] = _copy(outcome, actor, plan=plan)
    for action in previous.actions.exclude(status__in=CLOSED_STATUSES).prefetch_related(
        "outcomes"
    ):
        linked = [outcome_map[o.pk] for o in action.outcomes.all()]
        new = _copy(action, actor, plan=plan, carried_from=action, version=1,
                    latest_update=None, updated_by=actor)
        new.outcomes.set(linked)
    for indicator in previous.indicators.prefetch_related("targets"):
        outcome = outcome_map.get(indicator.outcome_id)
        new = _copy(indicator, actor, plan=plan, outcome=outcome, version=1)
        for target in indicator.targets.all():
            _copy(target, actor, indicator=new)
    return plan


def _copy(obj, actor, **overrides):
    """Save a copy of ``obj`` with ``overrides`` (a new row, audited to ``actor``)."""
    values = {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if not f.primary_key
    }
    clone = type(obj)(**values)
    for name, value in overrides.items():
        setattr(clone, name, value)
    clone._history_user = actor
    clone.save()
    return clone


@transaction.atomic
def outcome_save(*, plan: ActionPlan, text: str, actor, outcome: Outcome | None = None,
                 order: int | None = None) -> Outcome:
    if not text.strip():
        raise ValidationError({"text": "Describe the outcome."})
    outcome = outcome or Outcome(plan=plan, order=plan.outcomes.count() + 1)
    outcome.text = text.strip()
    if order is not None:
        outcome.order = order
    outcome._history_user = actor
    outcome.save()
    return outcome


@transaction.atomic
def action_create(*, plan: ActionPlan, data: dict[str, Any], outcomes: list[Outcome],
                  actor) -> Action:
    action = Action(plan=plan, order=plan.actions.count() + 1, updated_by=actor,
                    **{k: v for k, v in data.items() if k in ACTION_FIELDS})
    action.full_clean()
    action._history_user = actor
    action.save()
    action.outcomes.set(outcomes)
    return action


@transaction.atomic
def action_update(*, action: Action, expected_version: int, data: dict[str, Any],
                  outcomes: list[Outcome] | None, actor) -> Action:
    """Save an edit made against ``expected_version``; raise :class:`ActionConflict`
    (nothing written) when someone else saved in between."""
    for name, value in data.items():
        if name in ACTION_FIELDS:
            setattr(action, name, value)
    action.full_clean(exclude=["version", "updated_at", "last_activity_at"])
    _claim(action, expected_version, actor)
    action._history_user = actor
    action.save()
    if outcomes is not None:
        action.outcomes.set(outcomes)
    return action


@transaction.atomic
def action_record_progress(*, action: Action, note: str, new_status: str, actor,
                           expected_version: int | None = None,
                           date: dt.date | None = None) -> ProgressUpdate:
    """Add a dated progress note; with a ``new_status`` also change the status, which
    is version-checked like any edit. A note alone never conflicts with anyone: it
    leaves the version alone (so nobody else's later edit conflicts with it either)."""
    if not note.strip():
        raise ValidationError({"note": "Write a progress note."})
    if new_status and new_status not in ActionStatus.values:
        raise ValidationError({"new_status": "Choose a status from the list."})
    today = timezone.localdate()
    date = date or today
    if date > today:
        raise ValidationError({"date": "A progress note cannot be dated in the future."})
    changes_status = bool(new_status) and new_status != action.status
    if changes_status:
        _claim(action, action.version if expected_version is None else expected_version,
               actor)
    update = ProgressUpdate(action=action, date=date, note=note.strip(),
                            new_status=new_status or "", author=actor)
    update._history_user = actor
    update.save()
    action.latest_update = update
    if changes_status:
        action.status = new_status
        action._history_user = actor
        action.save()
    else:
        action.last_activity_at = timezone.now()
        Action.objects.filter(pk=action.pk).update(
            latest_update=update, last_activity_at=action.last_activity_at)
    return update
