"""Tables and filters of the reference-data pages (django-tables2, django-filter)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.html import format_html

from datasets.models import Area, AreaLevel, Category, CategoryMapping, Population, Source
from datasets.models.areas import LEVEL_ORDER

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def level_rank(field: str = "level"):
    """LSOA = 0 … county = 6, so areas sort by size rather than by the level's name."""
    return Case(*(When(**{field: level}, then=Value(rank))
                  for rank, level in enumerate(LEVEL_ORDER)),
                default=Value(len(LEVEL_ORDER)), output_field=IntegerField())


def areas_of(partnership) -> QuerySet:
    return (Area.objects.filter(partnership=partnership).select_related("parent")
            .annotate(level_rank=level_rank()))


def populations_of(partnership) -> QuerySet:
    return (Population.objects.filter(area__partnership=partnership).select_related("area")
            .annotate(level_rank=level_rank("area__level")))


def categories_of(partnership) -> QuerySet:
    return (Category.objects.filter(partnership=partnership).select_related("parent")
            .annotate(mapped=Count("mappings")))


def mappings_of(partnership) -> QuerySet:
    return CategoryMapping.objects.filter(partnership=partnership).select_related(
        "category", "category__parent")


class ReferenceTable(tables.Table):
    """Links the first column to the record's page."""

    kind = ""

    def __init__(self, *args, slug: str, **kwargs):
        self.slug = slug
        super().__init__(*args, **kwargs)

    def link(self, record, text):
        url = reverse("datasets:reference_record", args=[self.slug, self.kind, record.pk])
        return format_html('<a href="{}">{}</a>', url, text)


def _date(value) -> str:
    return value.isoformat() if value else "—"


class AreaTable(ReferenceTable):
    kind = "areas"
    code = tables.Column(verbose_name="Code")
    name = tables.Column(verbose_name="Name")
    level = tables.Column(verbose_name="Level", order_by=("level_rank",))
    parent = tables.Column(verbose_name="Inside", accessor="parent__name",
                           order_by=("parent__name",), default="—")
    is_urban = tables.Column(verbose_name="Urban or rural", default="—")
    valid_from = tables.Column(verbose_name="Valid from", default="—")
    valid_to = tables.Column(verbose_name="Valid until", default="—")

    class Meta:
        model = Area
        fields = ["code", "name", "level", "parent", "is_urban", "valid_from", "valid_to"]
        order_by = ("-level", "name")
        empty_text = "No areas match."

    def render_code(self, record, value):
        return self.link(record, value)

    def render_is_urban(self, value):
        return "Urban" if value else "Rural"

    def render_valid_from(self, value):
        return _date(value)

    def render_valid_to(self, value):
        return _date(value)


class PopulationTable(ReferenceTable):
    kind = "populations"
    area_code = tables.Column(verbose_name="Area code", accessor="area__code")
    area_name = tables.Column(verbose_name="Area", accessor="area__name")
    level = tables.Column(verbose_name="Level", accessor="area__level",
                          order_by=("level_rank", "area__name"))
    year = tables.Column(verbose_name="Year", attrs=NUM)
    population = tables.Column(verbose_name="Population", attrs=NUM)
    source = tables.Column(verbose_name="Source", default="—")

    class Meta:
        model = Population
        fields = ["area_code", "area_name", "level", "year", "population", "source"]
        order_by = ("area_name", "-year")
        empty_text = "No population estimates match."

    def render_area_code(self, record, value):
        return self.link(record, value)

    def render_level(self, record):
        return record.area.get_level_display()

    def render_population(self, value):
        return f"{value:,}"


class CategoryTable(ReferenceTable):
    kind = "categories"
    name = tables.Column(verbose_name="Name")
    parent = tables.Column(verbose_name="Group", accessor="parent__name",
                           order_by=("parent__name", "order"), default="— (a group)")
    is_crime = tables.Column(verbose_name="Counts")
    order = tables.Column(verbose_name="Order", attrs=NUM)
    mapped = tables.Column(verbose_name="Source names mapped", attrs=NUM)

    class Meta:
        model = Category
        fields = ["name", "parent", "is_crime", "order", "mapped"]
        order_by = ("parent", "order")
        empty_text = "No categories match."

    def render_name(self, record, value):
        return self.link(record, value)

    def render_is_crime(self, value):
        return "Crimes" if value else "Incidents"


class MappingTable(ReferenceTable):
    kind = "mappings"
    source = tables.Column(verbose_name="Source")
    source_name = tables.Column(verbose_name="Name in the source")
    category = tables.Column(verbose_name="Counts towards", accessor="category__name",
                             order_by=("category__name",))
    group = tables.Column(verbose_name="Group", accessor="category__parent__name",
                          order_by=("category__parent__name", "category__name"), default="—")

    class Meta:
        model = CategoryMapping
        fields = ["source", "source_name", "category", "group"]
        order_by = ("source", "source_name")
        empty_text = "No mappings match."

    def render_source(self, record):
        return record.get_source_display()

    def render_source_name(self, record, value):
        return self.link(record, value)


class ReferenceFilter(django_filters.FilterSet):
    """Filters scoped to one partnership (choices of areas and groups are its own)."""

    def __init__(self, *args, partnership, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)


class AreaFilter(ReferenceFilter):
    q = django_filters.CharFilter(label="Code or name contains", method="filter_q")
    level = django_filters.ChoiceFilter(choices=AreaLevel.choices, empty_label="Any level")
    parent = django_filters.ModelChoiceFilter(label="Inside", queryset=Area.objects.none(),
                                              empty_label="Anywhere")

    class Meta:
        model = Area
        fields = ["q", "level", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["parent"].queryset = Area.objects.filter(
            partnership=self.partnership).exclude(level=AreaLevel.LSOA).order_by("level", "name")

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class PopulationFilter(ReferenceFilter):
    q = django_filters.CharFilter(label="Area code or name contains", method="filter_q")
    level = django_filters.ChoiceFilter(field_name="area__level", choices=AreaLevel.choices,
                                        empty_label="Any level")
    year = django_filters.NumberFilter(label="Year")

    class Meta:
        model = Population
        fields = ["q", "level", "year"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(area__code__icontains=value) | Q(area__name__icontains=value))


class CategoryFilter(ReferenceFilter):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains",
                                  label="Name contains")
    parent = django_filters.ModelChoiceFilter(label="Group", queryset=Category.objects.none(),
                                              empty_label="Any group")
    is_crime = django_filters.BooleanFilter(
        label="Counts", widget=forms.Select(choices=[("", "Crimes or incidents"),
                                                     ("true", "Crimes"), ("false", "Incidents")]))

    class Meta:
        model = Category
        fields = ["q", "parent", "is_crime"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["parent"].queryset = Category.objects.filter(
            partnership=self.partnership, parent__isnull=True)


class MappingFilter(ReferenceFilter):
    q = django_filters.CharFilter(field_name="source_name", lookup_expr="icontains",
                                  label="Name contains")
    source = django_filters.ChoiceFilter(choices=Source.choices, empty_label="Any source")
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.none(),
                                                empty_label="Any category")

    class Meta:
        model = CategoryMapping
        fields = ["q", "source", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["category"].queryset = Category.objects.filter(partnership=self.partnership)
