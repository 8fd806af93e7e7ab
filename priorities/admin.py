from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from priorities.models import (
    PlanPeriod,
    Priority,
    PriorityLead,
    PriorityLink,
    PriorityStatus,
    Subgroup,
    SubgroupMember,
)


class LeadInline(admin.TabularInline):
    model = PriorityLead
    extra = 0


class StatusInline(admin.TabularInline):
    model = PriorityStatus
    extra = 0


@admin.register(PlanPeriod)
class PlanPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "start_year", "end_year", "is_published"]
    list_filter = ["partnership", "is_published"]


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "plan", "start_year", "ended_year", "subgroup", "order"]
    list_filter = ["partnership", "plan", "kind"]
    search_fields = ["title", "aim"]
    inlines = [LeadInline, StatusInline]


class MemberInline(admin.TabularInline):
    model = SubgroupMember
    extra = 0


@admin.register(Subgroup)
class SubgroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "partnership"]
    list_filter = ["partnership"]
    inlines = [MemberInline]


admin.site.register(PriorityLink, SimpleHistoryAdmin)
admin.site.register(PriorityStatus, SimpleHistoryAdmin)
