"""Lineage: recording what became of a priority at a plan refresh or mid-plan.

A priority is continued (into a later plan or a later year of its own plan), split
into several, merged with others into one, demoted to a cross-cutting theme, or
ended (dropped, with a reason). Each successor is an existing priority or a new
one starting in a chosen plan and year. Recording a successor ends the earlier
priority in the year the successor starts (or when its own plan ends, whichever
is first), so ``Priority.objects.current()`` and the home page list each year's
priorities once. Every change is written to the audit history with its actor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from priorities.models import PlanPeriod, Priority, PriorityLead, PriorityLink, year_label


@dataclass(frozen=True)
class Start:
    """Where a new successor starts: a plan of the partnership and one of its years."""

    plan: PlanPeriod
    year: int


@transaction.atomic
def priority_continue(
    *,
    priority: Priority,
    actor,
    successor: Priority | None = None,
    start: Start | None = None,
    title: str = "",
    note: str = "",
) -> Priority:
    """Continue ``priority`` as ``successor`` or as a new priority starting at
    ``start`` (same words, kind, subgroup and leads; ``title`` rewords it)."""
    if successor is None:
        successor = _create(
            source=priority, start=_required(start), title=title or priority.title,
            kind=priority.kind, aim=priority.aim, subgroup_id=priority.subgroup_id, actor=actor,
            copy_leads=True,
        )
    _link(source=priority, target=successor, kind=PriorityLink.Kind.CONTINUED, note=note,
          actor=actor)
    return successor


@transaction.atomic
def priority_demote(
    *,
    priority: Priority,
    actor,
    theme: Priority | None = None,
    start: Start | None = None,
    title: str = "",
    note: str = "",
) -> Priority:
    """Demote a named priority to a cross-cutting theme: an existing ``theme`` or a new
    one at ``start`` (keeping the aim and leads)."""
    if priority.kind != Priority.Kind.PRIORITY:
        raise ValidationError("Only a named priority can be demoted to a cross-cutting theme.")
    if theme is None:
        theme = _create(
            source=priority, start=_required(start), title=title or priority.title,
            kind=Priority.Kind.THEME, aim=priority.aim, subgroup_id=priority.subgroup_id,
            actor=actor, copy_leads=True,
        )
    _link(source=priority, target=theme, kind=PriorityLink.Kind.DEMOTED, note=note,
          actor=actor)
    return theme


@transaction.atomic
def priority_split(
    *,
    priority: Priority,
    actor,
    parts: Sequence[Priority] = (),
    start: Start | None = None,
    titles: Sequence[str] = (),
    note: str = "",
) -> list[Priority]:
    """Split ``priority`` into existing ``parts`` and/or new priorities named ``titles``
    starting at ``start`` (same kind and subgroup; aims and leads are for the co-chairs
    to add). Two successors at least."""
    titles = [t.strip() for t in titles if t.strip()]
    if len(parts) + len(titles) < 2:
        raise ValidationError("A split needs at least two priorities to split into.")
    if len({t.casefold() for t in titles}) != len(titles):
        raise ValidationError({"titles": "Each new priority needs its own title."})
    successors = list(parts)
    for title in titles:
        successors.append(_create(source=priority, start=_required(start), title=title,
                                  kind=priority.kind, aim="", subgroup_id=priority.subgroup_id,
                                  actor=actor))
    for successor in successors:
        _link(source=priority, target=successor, kind=PriorityLink.Kind.SPLIT, note=note,
              actor=actor)
    return successors


@transaction.atomic
def priority_merge(
    *,
    priorities: Sequence[Priority],
    actor,
    into: Priority | None = None,
    start: Start | None = None,
    title: str = "",
    note: str = "",
) -> Priority:
    """Merge two or more ``priorities`` into one: ``into`` (existing) or a new priority
    called ``title`` starting at ``start``. The new one is a cross-cutting theme only if
    every merged one was; it keeps their subgroup when they share one."""
    sources = list(dict.fromkeys(priorities))
    if len(sources) < 2:
        raise ValidationError({"others": "Choose at least one other priority to merge with."})
    if into is not None and into in sources:
        raise ValidationError({"into": "A priority cannot be merged into itself."})
    if into is None:
        if not title.strip():
            raise ValidationError({"title": "Give the merged priority a title."})
        kinds = {source.kind for source in sources}
        subgroups = {source.subgroup_id for source in sources}
        into = _create(
            source=sources[0], start=_required(start), title=title.strip(),
            kind=kinds.pop() if len(kinds) == 1 else Priority.Kind.PRIORITY, aim="",
            actor=actor, subgroup_id=subgroups.pop() if len(subgroups) == 1 else None,
        )
    for source in sources:
        _link(source=source, target=into, kind=PriorityLink.Kind.MERGED, note=note,
              actor=actor)
    return into


@transaction.atomic
def priority_end(*, priority: Priority, ended_year: int | None, reason: str, actor) -> Priority:
    """End (drop) ``priority`` from ``ended_year`` with a ``reason``, change when it
    ended, or (``ended_year=None``) record that it runs on after all."""
    reason = reason.strip()
    if ended_year is None:
        if priority.successor_links.exists():
            raise ValidationError(
                {"ended_year": "It carries on as a later priority, so it has ended. Remove "
                 "that link from its history first."}
            )
        reason = ""
    else:
        if not reason:
            raise ValidationError({"reason": "Say why the priority ended."})
        first_successor = (
            Priority.objects.filter(predecessor_links__source=priority)
            .order_by("start_year")
            .first()
        )
        if first_successor is not None and ended_year > first_successor.start_year:
            raise ValidationError(
                {"ended_year": f"It carries on as “{first_successor.title}” from "
                 f"{first_successor.start_label}, so it must end by then."}
            )
    priority.ended_year = ended_year
    priority.ended_reason = reason
    _save_ended(priority, actor)
    return priority


# --- helpers ------------------------------------------------------------------


def _required(start: Start | None) -> Start:
    if start is None:
        raise ValidationError({"start": "Choose the plan and year the new priority starts in."})
    return start


def _create(
    *,
    source: Priority,
    start: Start,
    title: str,
    kind: str,
    aim: str,
    actor,
    subgroup_id: int | None,
    copy_leads: bool = False,
) -> Priority:
    """A new successor of ``source`` in ``start.plan`` from ``start.year``."""
    if start.plan.partnership_id != source.partnership_id:
        raise ValidationError("The plan belongs to another partnership.")
    if Priority.objects.filter(plan=start.plan, title__iexact=title).exists():
        raise ValidationError(
            {"title": f"{start.plan.title} already has a priority or theme called “{title}”."}
        )
    successor = Priority(
        partnership=source.partnership, plan=start.plan, start_year=start.year, title=title,
        aim=aim, kind=kind, order=source.order,
        subgroup_id=subgroup_id,
    )
    successor._history_user = actor
    successor.full_clean()
    successor.save()
    if copy_leads:
        # With history, so the audit trail shows how the successor got its leads.
        bulk_create_with_history(
            [PriorityLead(priority=successor, user_id=lead.user_id, agency_id=lead.agency_id)
             for lead in source.leads.all()],
            PriorityLead,
            default_user=actor,
        )
    return successor


def _link(*, source: Priority, target: Priority, kind: str, note: str, actor) -> PriorityLink:
    """Record the link and end ``source`` when ``target`` starts (or its plan ends)."""
    if source.pk == target.pk:
        raise ValidationError("A priority cannot carry on into itself.")
    if PriorityLink.objects.filter(source=source, target=target).exists():
        raise ValidationError(f"“{source.title}” is already linked to “{target.title}”.")
    link = PriorityLink(source=source, target=target, kind=kind, note=note.strip())
    link._history_user = actor
    link.full_clean()
    link.save()
    ends = [target.start_year, source.plan.end_year + 1]
    if source.ended_year is not None:
        ends.append(source.ended_year)
    if min(ends) != source.ended_year:
        source.ended_year = min(ends)
        _save_ended(source, actor)
    return link


def _save_ended(priority: Priority, actor) -> None:
    if priority.ended_year is not None:
        late = sorted(
            priority.statuses.filter(year__gte=priority.ended_year).values_list("year", flat=True)
        )
        if late:
            years = ", ".join(year_label(y) for y in late)
            raise ValidationError(
                {"ended_year": f"“{priority.title}” has a status for {years}, when it would no "
                 "longer run. Choose a later year."}
            )
    priority._history_user = actor
    priority.full_clean()
    priority.save(update_fields=["ended_year", "ended_reason"])
