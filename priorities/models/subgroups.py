"""Subgroups (delivery groups) and who takes part in them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from smp.models import Agency, Membership, Partnership


class Subgroup(models.Model):
    """A delivery group, e.g. Domestic Abuse Forum, Town Centre Task Force."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="subgroups"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="subgroup_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SubgroupMember(models.Model):
    """A person and/or an agency taking part in a subgroup, with their role in it.

    An agency without a named person records that the organisation takes part (its
    representative changes); a person may sit for their agency or in their own right.
    """

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"

    subgroup = models.ForeignKey(Subgroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subgroup_memberships",
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True)
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "user__last_name", "user__first_name", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subgroup", "user"],
                condition=Q(user__isnull=False),
                name="subgroup_member_unique",
                violation_error_message="This person is already a member of the subgroup.",
            ),
            models.UniqueConstraint(
                fields=["subgroup", "agency"],
                condition=Q(user__isnull=True),
                name="subgroup_agency_member_unique",
                violation_error_message="This agency is already a member of the subgroup.",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(agency__isnull=False),
                name="subgroup_member_person_or_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} in {self.subgroup}"

    @property
    def name(self) -> str:
        """The person's name (or username), else the agency's name."""
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return self.agency.name if self.agency_id else ""

    def clean(self) -> None:
        if not self.user_id and not self.agency_id:
            raise ValidationError("Choose a person, an agency or both.")
        if self.agency_id and self.subgroup_id and (
            self.agency.partnership_id != self.subgroup.partnership_id
        ):
            raise ValidationError({"agency": "The agency belongs to another partnership."})
        if self.user_id and self.subgroup_id and not Membership.objects.filter(
            user_id=self.user_id, partnership_id=self.subgroup.partnership_id
        ).exists():
            raise ValidationError(
                {"user": "Only members of the partnership can join its subgroups."}
            )
