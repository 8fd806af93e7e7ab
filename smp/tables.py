"""Tables and filters of the partnership administration pages (django-tables2,
django-filter)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html

from smp.models import Agency, Partnership, Role

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class MemberTable(tables.Table):
    """One row per person, with every role they hold in the partnership."""

    caption = "Members of the partnership"
    name = tables.Column(accessor="last_name", verbose_name="Name",
                         order_by=("last_name", "first_name", "username"))
    username = tables.Column(verbose_name="Username")
    email = tables.Column(verbose_name="E-mail")
    roles = tables.Column(empty_values=(), orderable=False, verbose_name="Roles")
    agency = tables.Column(empty_values=(), orderable=False, verbose_name="Agency")

    class Meta:
        model = get_user_model()
        fields = ["name", "username", "email"]
        empty_text = "No members match."
        order_by = "name"

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def render_name(self, record) -> str:
        url = reverse("manage:member", args=[self.partnership.slug, record.pk])
        return format_html('<a href="{}">{}</a>', url, record.get_full_name() or record.username)

    def render_roles(self, record) -> str:
        # memberships prefetched for this partnership only (see members_of).
        return ", ".join(m.get_role_display() for m in record.partnership_memberships)

    def render_agency(self, record) -> str:
        agencies = {str(m.agency) for m in record.partnership_memberships if m.agency}
        return ", ".join(sorted(agencies)) or "—"


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name, username or e-mail", method="filter_text")
    role = django_filters.ChoiceFilter(choices=Role.choices, empty_label="Any role",
                                       method="filter_role")

    class Meta:
        model = get_user_model()
        fields = ["q", "role"]

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = value.split()
        for word in words:
            queryset = queryset.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                                       | Q(username__icontains=word) | Q(email__icontains=word))
        return queryset

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(memberships__partnership=self.partnership,
                               memberships__role=value).distinct()


class AgencyTable(tables.Table):
    caption = "Agencies of the partnership"
    name = tables.Column(verbose_name="Agency")
    short_name = tables.Column(verbose_name="Short name")
    is_responsible_authority = tables.BooleanColumn(verbose_name="Responsible authority",
                                                    yesno="Yes,No")
    member_count = tables.Column(verbose_name="Members", attrs=NUM)

    class Meta:
        model = Agency
        fields = ["name", "short_name", "is_responsible_authority", "member_count"]
        empty_text = "No agencies match."
        order_by = "name"

    def render_name(self, record: Agency) -> str:
        url = reverse("manage:agency_edit", args=[record.partnership.slug, record.pk])
        return format_html('<a href="{}">{}</a>', url, record.name)


class AgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name", method="filter_text")
    is_responsible_authority = django_filters.BooleanFilter(label="Responsible authority")

    class Meta:
        model = Agency
        fields = ["q", "is_responsible_authority"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))
