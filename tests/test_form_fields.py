"""templates/includes/form_fields.html: labels, hints and errors tied to the field."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string


class SampleForm(forms.Form):
    name = forms.CharField(help_text="As the partnership calls it.")
    count = forms.IntegerField(required=False)
    agree = forms.BooleanField(required=False)


def _render(form: forms.Form) -> str:
    return render_to_string("includes/form_fields.html", {"form": form})


def test_fields_have_labels_and_hints_tied_to_them():
    html = _render(SampleForm())
    assert '<label for="id_name">Name</label>' in html
    assert '<label for="id_count">Count <span class="optional">(optional)</span></label>' in html
    assert 'id="id_name-hint"' in html
    assert 'aria-describedby="id_name-hint"' in html
    assert "aria-invalid" not in html


def test_errors_sit_next_to_their_field_and_are_announced_with_it():
    form = SampleForm({"name": "", "count": "many"})
    assert not form.is_valid()
    html = _render(form)
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert 'aria-describedby="id_count-error"' in html
    assert html.count('aria-invalid="true"') == 2
    assert html.count('id="id_name-error"') == 1  # one container, however many errors
    assert "This field is required." in html and "Enter a whole number." in html


def test_non_field_errors_are_summarised_at_the_top():
    form = SampleForm({"name": "x"})
    form.is_valid()
    form.add_error(None, "Something about the whole form.")
    html = _render(form)
    assert html.index("There is a problem") < html.index('id="id_name"')
    assert 'role="alert"' in html
