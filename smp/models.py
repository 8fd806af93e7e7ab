"""Tenancy and people: partnerships, partner agencies and role memberships.

Every row of partnership data belongs to exactly one :class:`Partnership`; a user
sees a partnership only through a :class:`Membership` (or as a superuser).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    CO_CHAIR = "co_chair", "Co-chair"
    LEAD = "lead", "Priority lead"
    OFFICER = "officer", "Officer / analyst"
    PARTNER = "partner", "Partner member"
    COMMITTEE = "committee", "Committee member"
    ADMIN = "admin", "Administrator"


class PartnershipQuerySet(models.QuerySet):
    def for_user(self, user) -> PartnershipQuerySet:
        """Partnerships the user belongs to (all of them for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user).distinct()


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    district = models.CharField(max_length=120, blank=True, help_text="e.g. Maidstone")

    objects = PartnershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A partner organisation, statutory 'responsible authority' or not."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    is_responsible_authority = models.BooleanField(
        default=False,
        help_text="A statutory responsible authority under the Crime and Disorder Act 1998.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Membership(models.Model):
    """A user's role in one partnership. A person may hold several roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.partnership}"


class WorkerHeartbeat(models.Model):
    """Written by the ``smp.tasks.worker_heartbeat`` task: proof a worker is alive.

    ``manage.py heartbeat_check`` (the docker-compose health check of the worker and
    beat services) reads the latest row.
    """

    hostname = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.hostname} at {self.created_at:%Y-%m-%d %H:%M:%S}"
