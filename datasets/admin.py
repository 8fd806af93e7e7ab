"""Reference data and uploads in the Django admin (for administrators; officers
use the Reference data page and its CSV import)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from datasets.models import (
    Area,
    Category,
    CategoryMapping,
    IndicatorSeries,
    IndicatorValue,
    Population,
    Upload,
)


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "code", "parent", "is_urban", "is_demo_code", "valid_from",
                    "valid_to", "partnership"]
    list_filter = ["partnership", "level", "is_demo_code"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]


@admin.register(Population)
class PopulationAdmin(SimpleHistoryAdmin):
    list_display = ["area", "year", "population", "source"]
    list_filter = ["year", "area__partnership"]
    search_fields = ["area__name", "area__code"]
    raw_id_fields = ["area"]


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "parent", "is_crime", "order", "partnership"]
    list_filter = ["partnership", "is_crime"]
    search_fields = ["name"]


@admin.register(CategoryMapping)
class CategoryMappingAdmin(SimpleHistoryAdmin):
    list_display = ["source", "source_name", "category", "partnership"]
    list_filter = ["partnership", "source"]
    search_fields = ["source_name", "category__name"]


@admin.register(IndicatorSeries)
class IndicatorSeriesAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "period_kind", "partnership"]
    list_filter = ["partnership", "period_kind"]
    search_fields = ["name"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["series", "label", "value", "updated_at"]
    list_filter = ["series__partnership"]
    search_fields = ["series__name", "label"]


@admin.register(Upload)
class UploadAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "kind", "status", "period_start", "period_end",
                    "uploaded_by", "created_at", "partnership"]
    list_filter = ["partnership", "kind", "status"]
    search_fields = ["original_name", "sha256"]
    readonly_fields = [f.name for f in Upload._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # uploads go through the page or import_dataset (checked, all or nothing)
