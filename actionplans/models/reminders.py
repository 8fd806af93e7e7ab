from django.conf import settings
from django.db import models


class ReminderDigest(models.Model):
    """One row per person and day: the proof a digest was sent (one e-mail with a
    section per partnership they lead in), which makes the daily job idempotent (a
    rerun finds the row and sends nothing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="reminder_digest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"Digest for {self.user} on {self.day}"
