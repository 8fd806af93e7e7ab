"""Form rendering helpers for templates/includes/form_fields.html."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def accessible_widget(field: BoundField) -> SafeString:
    """Render the field's widget tied to its hint and error message, so a screen
    reader announces them with the field (WCAG 1.3.1, 3.3.1)."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.id_for_label}-hint")
    attrs = {}
    if field.errors:
        described_by.append(f"{field.id_for_label}-error")
        attrs["aria-invalid"] = "true"
    if described_by:
        existing = field.field.widget.attrs.get("aria-describedby")
        attrs["aria-describedby"] = " ".join(filter(None, [existing, *described_by]))
    return field.as_widget(attrs=attrs)
