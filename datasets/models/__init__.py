"""Datasets: reference data (areas, populations, categories), uploads, stored
records, monthly counts, indicator series and stored trend results.

One module per concept; everything is re-exported here so ``datasets.models.X``
works for Django and for other apps.
"""

from datasets.models.areas import Area, AreaLevel, Population
from datasets.models.categories import Category, CategoryMapping, Source
from datasets.models.counts import MonthlyCount
from datasets.models.indicators import Improvement, IndicatorSeries, IndicatorValue, PeriodKind
from datasets.models.records import AggregateRecord, IndicatorChange, PoliceRecord, UploadMonth
from datasets.models.reference_jobs import ReferenceJob, ReferenceJobStatus
from datasets.models.trend_reviews import (
    ChartKind,
    SeriesAnnotation,
    SeriesChart,
    StepChange,
    StepChangeStatus,
)
from datasets.models.trend_runs import RecalculationRun, RecalculationStatus, TrendsTouched
from datasets.models.trends import TrendKind, TrendPeriodResult, TrendSeries
from datasets.models.uploads import Upload, UploadKind, UploadStatus

__all__ = [
    "AggregateRecord",
    "IndicatorChange",
    "PoliceRecord",
    "ReferenceJob",
    "ReferenceJobStatus",
    "Upload",
    "UploadKind",
    "UploadMonth",
    "UploadStatus",
    "Area",
    "AreaLevel",
    "Category",
    "CategoryMapping",
    "ChartKind",
    "Improvement",
    "IndicatorSeries",
    "IndicatorValue",
    "MonthlyCount",
    "PeriodKind",
    "Population",
    "Source",
    "RecalculationRun",
    "RecalculationStatus",
    "SeriesAnnotation",
    "SeriesChart",
    "StepChange",
    "StepChangeStatus",
    "TrendKind",
    "TrendPeriodResult",
    "TrendSeries",
    "TrendsTouched",
]
