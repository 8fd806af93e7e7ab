from django.conf import settings
from django.db import models

from smp.models import Partnership


class ReminderDigest(models.Model):
    """One row per lead, partnership and day: the proof a digest was sent, which
    makes the daily job idempotent (a rerun finds the row and sends nothing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "day"], name="reminder_digest_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Digest for {self.user} on {self.day}"
