"""Factories of the action plans app (shared ones come from tests.factories)."""

from __future__ import annotations

import datetime as dt

import factory

from actionplans.models import Action, ActionPlan, Indicator, Outcome, Target
from tests.datasets.factories import IndicatorSeriesFactory
from tests.factories import AgencyFactory, PriorityFactory


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    priority = factory.SubFactory(PriorityFactory)
    year = 2023
    aim = "To reduce the impact of drug and alcohol misuse."


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    plan = factory.SubFactory(ActionPlanFactory)
    order = factory.Sequence(int)
    text = factory.Sequence(lambda n: f"Outcome {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    plan = factory.SubFactory(ActionPlanFactory)
    order = factory.Sequence(int)
    description = factory.Sequence(lambda n: f"Action {n}: needle bin placements")
    lead_agency = factory.SubFactory(
        AgencyFactory, partnership=factory.SelfAttribute("..plan.priority.partnership")
    )
    due_date = dt.date(2024, 3, 31)
    cadence = ""
    status = "on_track"


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A manual-entry indicator owning its own series."""

    class Meta:
        model = Indicator

    plan = factory.SubFactory(ActionPlanFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "cases"
    kind = "how_much"
    source = "manual"
    frequency = "calendar_year"
    direction = "down"
    series = factory.SubFactory(
        IndicatorSeriesFactory,
        partnership=factory.SelfAttribute("..plan.priority.partnership"),
        period_kind=factory.SelfAttribute("..frequency"),
        name=factory.SelfAttribute("..name"),
    )


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = None
    comparator = "below"
    value = 1000
