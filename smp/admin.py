from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from smp.models import Agency, Membership, Partnership, WorkerHeartbeat


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "district"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "partnership", "is_responsible_authority"]
    list_filter = ["partnership", "is_responsible_authority"]
    search_fields = ["name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "partnership", "role", "agency"]
    list_filter = ["partnership", "role"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    autocomplete_fields = ["agency"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "created_at"]
