"""Stored source records behind the monthly counts, and which upload is current
for each month.

Supersession is kept per upload and month (``UploadMonth``), not per record:
re-uploading a month marks one small row superseded instead of updating every
record, and rolling the new upload back un-marks it. The records of month M that
are in force are those of the upload whose ``UploadMonth`` for M is current.

Records are written by COPY in bulk (PostgreSQL). Their one secondary index,
(upload, month), serves the only queries the app runs on them: recount the current
upload's records of some months, and delete an upload's records on roll-back.
Foreign keys of records carry no database constraint: the importer resolves every
id from the partnership's own reference data inside the write transaction, and
per-row constraint triggers would dominate the cost of a million-row COPY.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class UploadMonth(models.Model):
    """Upload U supplied month M of a source; current until a later upload of the
    same month supersedes it."""

    upload = models.ForeignKey("datasets.Upload", on_delete=models.CASCADE, related_name="months")
    partnership = models.ForeignKey("smp.Partnership", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20)
    month = models.DateField()
    records = models.PositiveIntegerField(default=0)
    superseded_by = models.ForeignKey(
        "datasets.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "source", "month"], condition=Q(superseded_by__isnull=True),
                name="upload_month_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.month:%Y-%m} from upload {self.upload_id}"


class PoliceRecord(models.Model):
    """One row of a police.uk street-level file: one crime or one ASB incident.

    Identical ASB rows are separate incidents, so there is no uniqueness on content.
    """

    upload = models.ForeignKey(
        "datasets.Upload", on_delete=models.CASCADE, related_name="+", db_constraint=False,
        db_index=False,
    )
    partnership = models.ForeignKey(
        "smp.Partnership", on_delete=models.CASCADE, related_name="+", db_constraint=False,
        db_index=False,
    )
    month = models.DateField()
    area = models.ForeignKey(
        "datasets.Area", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
        db_index=False,
    )
    category = models.ForeignKey(
        "datasets.Category", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
        db_index=False,
    )
    crime_id = models.CharField(max_length=100, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=255, blank=True)
    context = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["upload", "month"], name="policerecord_upload_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.crime_id or 'ASB'}"


class AggregateRecord(models.Model):
    """One count of an aggregated extract: category × area × month."""

    upload = models.ForeignKey("datasets.Upload", on_delete=models.CASCADE, related_name="+",
                               db_index=False)
    partnership = models.ForeignKey("smp.Partnership", on_delete=models.CASCADE,
                                    related_name="+", db_index=False)
    month = models.DateField()
    area = models.ForeignKey("datasets.Area", on_delete=models.CASCADE, related_name="+",
                             db_index=False)
    category = models.ForeignKey("datasets.Category", on_delete=models.CASCADE,
                                 related_name="+", db_index=False)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["upload", "month"], name="aggregaterecord_upload_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.area_id}/{self.category_id}: {self.count}"


class IndicatorChange(models.Model):
    """What an indicator upload changed, so that rolling it back restores the
    previous value (or removes a value that did not exist before)."""

    upload = models.ForeignKey("datasets.Upload", on_delete=models.CASCADE,
                               related_name="indicator_changes")
    series = models.ForeignKey("datasets.IndicatorSeries", on_delete=models.CASCADE,
                               related_name="+")
    period_start = models.DateField()
    series_created = models.BooleanField(default=False)
    had_value = models.BooleanField(default=False)
    previous_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    previous_period_end = models.DateField(null=True, blank=True)
    previous_label = models.CharField(max_length=20, blank=True)
    previous_note = models.TextField(blank=True)
    written_at = models.DateTimeField(
        null=True, blank=True,
        help_text="The value's updated_at right after the upload wrote it: a later hand "
        "edit changes updated_at, and rolling the upload back keeps that edit.",
    )

    def __str__(self) -> str:
        return f"upload {self.upload_id}: {self.series_id} {self.period_start}"
