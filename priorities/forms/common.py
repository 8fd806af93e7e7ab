"""Helpers shared by the priorities forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from smp.forms import add_errors, check_constraints_in_full
from smp.models import Partnership

__all__ = ["add_errors", "check_constraints_in_full", "member_choice", "person_label"]


def person_label(user) -> str:
    return user.get_full_name() or user.get_username()


def member_choice(partnership: Partnership, **kwargs) -> forms.ModelChoiceField:
    """A choice of the partnership's members (each once, however many roles), by name."""
    field = forms.ModelChoiceField(
        queryset=get_user_model()
        .objects.filter(memberships__partnership=partnership)
        .distinct()
        .order_by("last_name", "first_name", "username"),
        **kwargs,
    )
    field.label_from_instance = person_label
    return field
