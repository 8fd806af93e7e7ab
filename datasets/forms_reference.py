"""Forms of the reference-data pages: areas, populations, categories and mappings.

Every rule shows next to its field: the model's own checks (``clean()``), codes and
names unique within the partnership, and no text a spreadsheet would run as a
formula (the CSV import refuses those, so an exported file always imports again).
"""

from __future__ import annotations

from django import forms

from datasets.importers.common import looks_like_formula
from datasets.models import Area, AreaLevel, Category, CategoryMapping, Population
from smp.models import Partnership

FORMULA_MESSAGE = "Must not start with = + - or @ (a spreadsheet would run it as a formula)."


class PartnershipModelForm(forms.ModelForm):
    """A model form for one partnership's reference data."""

    text_fields: tuple[str, ...] = ()

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        if hasattr(self.instance, "partnership_id"):
            self.instance.partnership = partnership

    def clean(self):
        data = super().clean()
        for name in self.text_fields:
            if looks_like_formula(data.get(name) or ""):
                self.add_error(name, FORMULA_MESSAGE)
        return data

    def _unique(self, queryset, field: str, message: str) -> None:
        """Add ``message`` to ``field`` when another row already has the value."""
        if queryset.exclude(pk=self.instance.pk).exists():
            self.add_error(field, message)


class UrbanRuralSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "Not set"), ("true", "Urban"), ("false", "Rural")]


class AreaForm(PartnershipModelForm):
    text_fields = ("code", "name")
    is_urban = forms.NullBooleanField(label="Urban or rural", required=False,
                                      widget=UrbanRuralSelect, help_text="For ward clusters.")

    class Meta:
        model = Area
        fields = ["level", "code", "name", "parent", "is_urban", "valid_from", "valid_to",
                  "is_demo_code"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}),
                   "valid_to": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "parent": "The larger area it sits in. Changing it recounts the stored counts "
            "of the larger areas from the stored records.",
            "valid_from": "First day the area exists (boundary changes). Rows for months "
            "outside the validity are refused by the importers.",
            "valid_to": "Last day the area exists; empty if it still does.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Area.objects.filter(partnership=self.partnership).exclude(
            level=AreaLevel.LSOA).order_by("level", "name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "None (a top-level area)"

    def clean(self):
        data = super().clean()
        if data.get("code"):
            self._unique(Area.objects.filter(partnership=self.partnership, code=data["code"]),
                         "code", "Another area of this partnership already has this code.")
        return data


class PopulationForm(PartnershipModelForm):
    text_fields = ("source",)
    area_code = forms.CharField(label="Area code", max_length=20,
                                help_text="The code of one of the partnership's areas.")

    class Meta:
        model = Population
        fields = ["year", "population", "source"]
        help_texts = {"year": "The year of the mid-year estimate, e.g. 2021."}

    field_order = ["area_code", "year", "population", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update(min=1900, max=2200)
        if self.instance.pk:
            self.initial["area_code"] = self.instance.area.code

    def clean_area_code(self) -> str:
        code = self.cleaned_data["area_code"].strip()
        area = Area.objects.filter(partnership=self.partnership, code=code).first()
        if area is None:
            raise forms.ValidationError(f"No area of this partnership has the code “{code}”.")
        self.instance.area = area
        return code

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 1900 <= year <= 2200:
            raise forms.ValidationError("Give a year between 1900 and 2200.")
        return year

    def clean(self):
        data = super().clean()
        if data.get("year") and self.instance.area_id:
            self._unique(Population.objects.filter(area=self.instance.area, year=data["year"]),
                         "year", f"{self.instance.area.name} already has a population for "
                         f"{data['year']}: edit that one.")
        return data


class CategoryForm(PartnershipModelForm):
    text_fields = ("name",)

    class Meta:
        model = Category
        fields = ["name", "parent", "is_crime", "order"]
        labels = {"parent": "Group", "is_crime": "Counts crimes (not incidents such as ASB)"}
        help_texts = {
            "parent": "Empty for a group itself. Changing it recounts the groups' stored "
            "counts from the stored records.",
            "order": "Position in lists (smaller first).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = Category.objects.filter(partnership=self.partnership, parent__isnull=True)
        if self.instance.pk:
            groups = groups.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = groups
        self.fields["parent"].empty_label = "None: this is a group"

    def clean(self):
        data = super().clean()
        if data.get("name"):
            self._unique(Category.objects.filter(partnership=self.partnership,
                                                 name=data["name"]),
                         "name", "Another category of this partnership has this name.")
        return data


class CategoryMappingForm(PartnershipModelForm):
    text_fields = ("source_name",)

    class Meta:
        model = CategoryMapping
        fields = ["source", "source_name", "category"]
        labels = {"source_name": "Name in the source"}
        help_texts = {
            "source_name": "Exactly as the file writes it, e.g. “Violence and sexual offences”.",
            "category": "Applies to uploads from now on: stored records keep the category "
            "they were imported with (upload those months again to re-map them).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(
            partnership=self.partnership).order_by("order", "name")

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source_name"):
            self._unique(CategoryMapping.objects.filter(
                partnership=self.partnership, source=data["source"],
                source_name=data["source_name"]),
                "source_name", "This name of this source is already mapped: edit that mapping.")
        return data
