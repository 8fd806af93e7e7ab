"""Forms of the datasets pages: size and type are checked here, content by the
import service."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from datasets.models import UploadKind
from datasets.services.uploads import upload_file_problem

REFERENCE_KINDS = [
    ("areas", "Areas (level, code, name, parent_code, is_urban, valid_from, valid_to)"),
    ("populations", "Populations (area_code, year, population, source)"),
    ("categories", "Categories (group, category, is_crime, order)"),
    ("mappings", "Category mappings (source, source_name, category)"),
]


def _check_size(upload) -> None:
    if upload.size == 0:
        raise forms.ValidationError("The file is empty.")
    limit = settings.SMP_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}."
        )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="What kind of file is it?", choices=UploadKind.choices)
    file = forms.FileField(
        label="File",
        help_text="police.uk files: CSV. Aggregated extracts and indicator values: CSV or "
        "XLSX (one sheet, values only).",
    )
    series_name = forms.CharField(
        label="Series name (two-column indicator files only)", required=False, max_length=250,
        help_text="For a file with columns month,<value>. Left empty, the name comes from "
        "the value column's header (needle_finds → Needle finds).",
    )

    def clean(self):
        data = super().clean()
        upload, kind = data.get("file"), data.get("kind")
        if upload and kind:
            problem = upload_file_problem(kind=kind, name=upload.name, size=upload.size)
            if problem:
                self.add_error("file", problem)
        return data


class ReferenceImportForm(forms.Form):
    kind = forms.ChoiceField(label="Reference data", choices=REFERENCE_KINDS)
    file = forms.FileField(label="CSV file", help_text="UTF-8 CSV with the header shown.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() != ".csv":
            raise forms.ValidationError("Reference data must be a .csv file.")
        _check_size(upload)
        return upload
