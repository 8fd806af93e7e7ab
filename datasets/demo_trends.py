"""Demo trends: the partnership-wide recording-change annotation and the stored trend
results of whatever demo counts and indicators are loaded.

Idempotent: the annotation is upserted, and unchanged series are skipped by their
fingerprint, so a second run writes nothing (no run row either: it calls the
calculation directly rather than through a RecalculationRun).
Called by ``load_demo`` last, after every other demo loader.
"""

from __future__ import annotations

import datetime as dt

from datasets.models import SeriesAnnotation
from datasets.services import trend_calc
from smp.demo import upsert
from smp.models import Partnership

#: From the papers: recording-practice changes (2013, April 2017) break comparability.
RECORDING_CHANGE = (dt.date(2017, 4, 1), "April 2017 recording change (crime recording practice)")


def load() -> None:
    partnership = Partnership.objects.filter(slug="maidstone").first()
    if partnership is None:
        return
    month, text = RECORDING_CHANGE
    upsert(
        SeriesAnnotation,
        {"partnership": partnership, "series": None, "month": month},
        {"text": text},
    )
    with trend_calc.partnership_lock(partnership.pk):
        trend_calc.recalculate_inputs(
            partnership.pk,
            [
                *trend_calc.read_count_series(partnership.pk),
                *trend_calc.read_indicator_series(partnership.pk),
            ],
        )
