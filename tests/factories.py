"""factory_boy factories for every model tests create."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from priorities.models import (
    PlanPeriod,
    Priority,
    PriorityLead,
    PriorityStatus,
    Subgroup,
)
from smp.models import Agency, Membership, Partnership, Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook
        if create:
            obj.save()


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Safer Town {n} Partnership")
    slug = factory.Sequence(lambda n: f"town-{n}")
    district = "Maidstone"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    short_name = factory.Sequence(lambda n: f"AG{n}")
    is_responsible_authority = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = Role.PARTNER
    agency = factory.SubFactory(
        AgencyFactory, partnership=factory.SelfAttribute("..partnership")
    )


class PlanPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanPeriod

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Partnership Plan {n}")
    start_year = 2022
    end_year = 2024
    is_published = True


class SubgroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subgroup

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Delivery Group {n}")


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    partnership = factory.SubFactory(PartnershipFactory)
    plan = factory.SubFactory(PlanPeriodFactory, partnership=factory.SelfAttribute("..partnership"))
    title = factory.Sequence(lambda n: f"Priority {n}")
    aim = "To reduce harm."
    kind = Priority.Kind.PRIORITY
    order = factory.Sequence(int)


class PriorityLeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityLead

    priority = factory.SubFactory(PriorityFactory)
    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(
        AgencyFactory, partnership=factory.SelfAttribute("..priority.partnership")
    )


class PriorityStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityStatus

    priority = factory.SubFactory(PriorityFactory)
    year = 2022
    status = "on_track"
