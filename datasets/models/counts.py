from django.db import models

from smp.models import Partnership


class MonthlyCount(models.Model):
    """The current count for one area × category × month from one source.

    Rows exist for every level of the area tree (LSOA, ward, cluster, district)
    and for categories and their groups, so a series is read without summing on
    the request path. A series is identified by (area, category, source).
    Written in bulk by imports (``datasets.services``); never edited by hand.
    ``upload`` is the upload that last set the value (None for derived rows
    that several uploads contribute to).
    """

    # No database FK constraints (Django still cascades): imports write hundreds of
    # thousands of rows at once, ids resolved from the partnership's own reference
    # data, and per-row deferred constraint triggers cost more than the insert. The
    # partnership and area columns are indexed by the composite indexes below.
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+",
                                    db_constraint=False, db_index=False)
    source = models.CharField(max_length=20)
    area = models.ForeignKey("datasets.Area", on_delete=models.CASCADE, related_name="+",
                             db_constraint=False, db_index=False)
    category = models.ForeignKey("datasets.Category", on_delete=models.CASCADE, related_name="+",
                                 db_constraint=False)
    month = models.DateField(help_text="First day of the month")
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "category", "source", "month"], name="monthly_count_unique"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "source", "month"])]

    def __str__(self) -> str:
        return f"{self.area_id}/{self.category_id}/{self.month:%Y-%m}: {self.count}"
