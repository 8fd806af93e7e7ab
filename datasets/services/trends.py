"""Trend services: keep the stored trend results current.

The contract with imports (one line on the import side)
    When an import completes or is rolled back, inside its transaction, call::

        trends_mark_touched(upload_id=upload.pk, partnership_id=upload.partnership_id,
                            source=upload.source, months=[first_month, last_month])

    (``area_ids``/``category_ids`` narrow it further when known; indicator imports
    pass ``indicator_ids=[...]`` instead of ``source``). It records what changed in
    ``TrendsTouched`` and enqueues ``recalculate_for_upload(upload_id)`` on commit,
    which recalculates every count series of that source (an upload is the complete
    picture of its months: areas without rows there had zero, and every series' period
    end moves), skipping those whose inputs are unchanged, and stores series left with
    no counts by a rollback as empty. Enqueuing
    ``recalculate_for_upload`` again is harmless. Without a ``TrendsTouched`` row the
    task falls back to the upload's partnership (``Upload.partnership_id``) and
    recalculates it all, skipping unchanged series.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Iterable
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from datasets.models import (
    IndicatorSeries,
    RecalculationRun,
    RecalculationStatus,
    SeriesChart,
    StepChange,
    StepChangeStatus,
    TrendKind,
    TrendSeries,
    TrendsTouched,
)
from datasets.services import trend_calc
from datasets.services.trend_calc import RecalcOutcome, SeriesInput
from smp.models import Partnership

logger = logging.getLogger(__name__)


def trends_mark_touched(
    *,
    upload_id: int,
    partnership_id: int,
    source: str = "",
    months: Iterable[dt.date] = (),
    area_ids: Iterable[int] | None = None,
    category_ids: Iterable[int] | None = None,
    indicator_ids: Iterable[int] | None = None,
) -> TrendsTouched:
    """Record what an upload changed and enqueue its recalculation on commit."""
    months = sorted(months)
    touched = TrendsTouched.objects.create(
        upload_id=upload_id,
        partnership_id=partnership_id,
        source=source,
        month_from=months[0] if months else None,
        month_to=months[-1] if months else None,
        area_ids=sorted(set(area_ids)) if area_ids is not None else None,
        category_ids=sorted(set(category_ids)) if category_ids is not None else None,
        indicator_ids=sorted(set(indicator_ids)) if indicator_ids is not None else None,
    )
    from datasets.tasks import recalculate_for_upload

    transaction.on_commit(lambda: recalculate_for_upload.delay(upload_id))
    return touched


def _execute(run: RecalculationRun, work) -> RecalculationRun:
    """Run ``work(progress)`` under the partnership lock, keeping ``run`` current."""
    RecalculationRun.objects.filter(pk=run.pk).update(
        status=RecalculationStatus.RUNNING, started_at=timezone.now(), message="Recalculating…"
    )

    def progress(done: int, total: int) -> None:
        RecalculationRun.objects.filter(pk=run.pk).update(done=done, total=total)

    try:
        with trend_calc.partnership_lock(run.partnership_id):
            outcome: RecalcOutcome = work(progress)
    except Exception as exc:
        RecalculationRun.objects.filter(pk=run.pk).update(
            status=RecalculationStatus.FAILED, finished_at=timezone.now(),
            message="The recalculation failed; the previous results are unchanged.",
            error="".join(traceback.format_exception_only(exc)).strip()[:2000],
        )
        logger.exception("trend recalculation %s failed", run.pk)
        raise
    RecalculationRun.objects.filter(pk=run.pk).update(
        status=RecalculationStatus.DONE, finished_at=timezone.now(), done=outcome.total,
        total=outcome.total, skipped=outcome.skipped,
        message=f"{outcome.computed} series recalculated, {outcome.skipped} unchanged, "
        f"{outcome.suggestions} step-change suggestion(s) open.",
    )
    run.refresh_from_db()
    return run


def _all_inputs(partnership_id: int) -> list[SeriesInput]:
    return [
        *trend_calc.read_count_series(partnership_id),
        *trend_calc.read_indicator_series(partnership_id),
    ]


def trends_recalculate_partnership(
    *, partnership_id: int, run: RecalculationRun | None = None, force: bool = False
) -> RecalculationRun:
    """Recalculate every series of a partnership (unchanged ones are skipped unless
    ``force``). Used by the officer's button, the management command and the benchmark."""
    run = run or RecalculationRun.objects.create(
        partnership_id=partnership_id, scope=RecalculationRun.Scope.ALL
    )
    return _execute(
        run,
        lambda progress: trend_calc.recalculate_inputs(
            partnership_id, _all_inputs(partnership_id), force=force, progress=progress
        ),
    )


def trends_request_recalculation(*, partnership: Partnership, user) -> RecalculationRun:
    """The officer's "Recalculate everything": a queued run, enqueued on commit. Every
    series is recomputed, even those whose fingerprint is unchanged."""
    from datasets.tasks import recalculate_partnership

    run = RecalculationRun.objects.create(
        partnership=partnership, scope=RecalculationRun.Scope.ALL, requested_by=user,
        message="Waiting for a worker…",
    )
    transaction.on_commit(lambda: recalculate_partnership.delay(run.pk, True))
    return run


def _touched_inputs(touched: TrendsTouched) -> list[SeriesInput]:
    """The series an upload changed.

    A count upload is the complete picture of its months, so it changes **every** count
    series of its source: an area with no rows in those months now has zeros there, and
    every series' period end (and so its rolling years, rate and rank) moves with the
    latest month. Series whose inputs did not change are skipped by their fingerprint.
    ``area_ids``/``category_ids`` narrow it when the caller knows better. Stored series
    with no counts left (a rollback removed them all) are stored empty.
    """
    partnership_id = touched.partnership_id
    items: list[SeriesInput] = []
    if touched.indicator_ids is not None:
        items += trend_calc.read_indicator_series(
            partnership_id, indicator_ids=touched.indicator_ids
        )
    if not touched.source:
        return items
    stored = TrendSeries.objects.filter(
        partnership_id=partnership_id, kind=TrendKind.COUNT, source=touched.source
    )
    if touched.area_ids is not None:
        stored = stored.filter(area_id__in=touched.area_ids)
    if touched.category_ids is not None:
        stored = stored.filter(category_id__in=touched.category_ids)
    stored_rows = {
        key: (a, c, label, level)
        for key, a, c, label, level in stored.values_list(
            "key", "area_id", "category_id", "label", "area_level"
        )
    }
    found = trend_calc.read_count_series(
        partnership_id,
        source=touched.source,
        area_ids=touched.area_ids,
        category_ids=touched.category_ids,
    )
    items += found
    seen = {i.key for i in found}
    for key, (area_id, category_id, label, level) in stored_rows.items():
        if key not in seen:  # every count removed: store an empty series
            items.append(
                SeriesInput(
                    key=key, kind=TrendKind.COUNT, partnership_id=partnership_id, label=label,
                    improvement="decrease", source=touched.source, area_id=area_id,
                    area_level=level, category_id=category_id,
                )
            )
    return items


def _changed_since(touched: TrendsTouched) -> int | None:
    """The first month whose counts an upload (or its rollback) changed, as a month int,
    no later than the source's period end (so the latest period end is always rewritten);
    None when unknown (recompute every period end)."""
    if not touched.source or not touched.month_from:
        return None
    end = trend_calc.period_ends(touched.partnership_id, touched.source).get(touched.source)
    first = trend_calc.month_int(touched.month_from)
    return first if end is None else min(first, end)


def trends_recalculate_for_upload(*, upload_id: int) -> list[RecalculationRun]:
    """Recalculate what an upload touched (see the module docstring for the contract)."""
    every = list(TrendsTouched.objects.filter(upload_id=upload_id))
    # A redelivered task repeats the processed rows (cheap: unchanged series are skipped).
    touched_rows = [t for t in every if t.processed_at is None] or every
    runs = []
    if not touched_rows:
        partnership_id = _upload_partnership(upload_id)
        if partnership_id is None:
            logger.warning("recalculate_for_upload: upload %s not found", upload_id)
            return []
        run = RecalculationRun.objects.create(
            partnership_id=partnership_id, scope=RecalculationRun.Scope.UPLOAD,
            upload_id=upload_id,
        )
        return [trends_recalculate_partnership(partnership_id=partnership_id, run=run)]
    for touched in touched_rows:
        run = RecalculationRun.objects.create(
            partnership_id=touched.partnership_id, scope=RecalculationRun.Scope.UPLOAD,
            upload_id=upload_id,
        )
        runs.append(
            _execute(
                run,
                lambda progress, t=touched: trend_calc.recalculate_inputs(
                    t.partnership_id, _touched_inputs(t), progress=progress,
                    since=_changed_since(t),
                ),
            )
        )
        TrendsTouched.objects.filter(pk=touched.pk).update(processed_at=timezone.now())
    return runs


def _upload_partnership(upload_id: int) -> int | None:
    try:
        upload_model = apps.get_model("datasets", "Upload")
    except LookupError:
        return None
    return (
        upload_model.objects.filter(pk=upload_id).values_list("partnership_id", flat=True).first()
    )


def trends_recalculate_indicator(*, indicator_id: int) -> RecalculationRun | None:
    """Recalculate one indicator series (after a lead entered or edited a value)."""
    from datasets.models import IndicatorSeries

    partnership_id = (
        IndicatorSeries.objects.filter(pk=indicator_id).values_list("partnership_id", flat=True)
        .first()
    )
    if partnership_id is None:
        return None
    run = RecalculationRun.objects.create(
        partnership_id=partnership_id, scope=RecalculationRun.Scope.INDICATOR
    )
    return _execute(
        run,
        lambda progress: trend_calc.recalculate_inputs(
            partnership_id,
            trend_calc.read_indicator_series(partnership_id, indicator_ids=[indicator_id]),
            progress=progress,
        ),
    )


def trends_recalculate_series(*, series_id: int) -> RecalculationRun | None:
    """Recalculate one stored series (after a step change was confirmed or rejected)."""
    series = TrendSeries.objects.filter(pk=series_id).first()
    if series is None:
        return None
    if series.kind == TrendKind.INDICATOR:
        return trends_recalculate_indicator(indicator_id=series.indicator_id)
    run = RecalculationRun.objects.create(
        partnership_id=series.partnership_id, scope=RecalculationRun.Scope.SERIES
    )
    pairs = {(series.source, series.area_id, series.category_id)}
    return _execute(
        run,
        lambda progress: trend_calc.recalculate_inputs(
            series.partnership_id,
            trend_calc.read_count_series(
                series.partnership_id, source=series.source, area_ids=[series.area_id],
                category_ids=[series.category_id], pairs=pairs,
            ),
            progress=progress,
        ),
    )


def step_change_decide(
    *, step_change: StepChange, user, confirm: bool, reason: str
) -> StepChange:
    """Confirm or reject a suggested step change (audited) and recalculate the series,
    so a confirmed rebase is used straight away."""
    from datasets.tasks import recalculate_series

    reason = reason.strip()
    if not reason:
        raise ValueError("A reason is required.")
    step_change.status = StepChangeStatus.CONFIRMED if confirm else StepChangeStatus.REJECTED
    step_change.reason = reason
    step_change.decided_by = user
    step_change.decided_at = timezone.now()
    step_change.full_clean()
    step_change.save()
    series_id = step_change.series_id
    transaction.on_commit(lambda: recalculate_series.delay(series_id))
    return step_change


def step_change_add(*, series: TrendSeries, month: dt.date, user, reason: str) -> StepChange:
    """An analyst's own confirmed step change (e.g. a known recording change), not
    suggested by a shift; replaces any suggestion or decision at that month."""
    from datasets.tasks import recalculate_series

    step = StepChange.objects.filter(series=series, month=month).first() or StepChange(
        series=series, month=month
    )
    step.status = StepChangeStatus.CONFIRMED
    step.reason = reason.strip()
    step.decided_by = user
    step.decided_at = timezone.now()
    step.full_clean()
    step.save()
    transaction.on_commit(lambda: recalculate_series.delay(series.pk))
    return step


def series_chart_set(*, series: TrendSeries, kind: str, reason: str, user) -> SeriesChart:
    """Choose the chart of a series (XmR, or a c-chart for rare counts), audited, and
    recalculate the series so the choice is used straight away."""
    from datasets.tasks import recalculate_series

    choice = SeriesChart.objects.filter(series=series).first() or SeriesChart(series=series)
    choice.kind, choice.reason, choice.set_by = kind, reason.strip(), user
    choice.full_clean()
    choice.save()
    transaction.on_commit(lambda: recalculate_series.delay(series.pk))
    return choice


def indicator_series_set_direction(
    *, series: IndicatorSeries, improvement: str, target: Decimal | None, user
) -> IndicatorSeries:
    """Set which way is better for an indicator series and its SPC target (audited), and
    recalculate it so its chart colours and assurance follow straight away."""
    from datasets.tasks import recalculate_indicator_series

    series.improvement, series.spc_target = improvement, target
    series._history_user = user
    series.full_clean()
    series.save(update_fields=["improvement", "spc_target"])
    transaction.on_commit(lambda: recalculate_indicator_series.delay(series.pk))
    return series
