"""Factories for the priorities tests beyond the shared ones in tests/factories.py."""

from __future__ import annotations

import factory

from priorities.models import PriorityLink, SubgroupMember
from tests.factories import AgencyFactory, PriorityFactory, SubgroupFactory, UserFactory


class SubgroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubgroupMember

    subgroup = factory.SubFactory(SubgroupFactory)
    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(
        AgencyFactory, partnership=factory.SelfAttribute("..subgroup.partnership")
    )


class PriorityLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityLink

    source = factory.SubFactory(PriorityFactory)
    target = factory.SubFactory(
        PriorityFactory, partnership=factory.SelfAttribute("..source.partnership")
    )
    kind = PriorityLink.Kind.CONTINUED
