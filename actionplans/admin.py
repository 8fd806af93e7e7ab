from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actionplans.models import (
    Action,
    ActionPlan,
    Indicator,
    Outcome,
    ProgressUpdate,
    ReminderDigest,
    Target,
)


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["priority", "year"]
    list_filter = ["year", "priority__partnership"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "plan", "lead_agency", "status", "due_date", "cadence"]
    list_filter = ["status", "plan__year"]
    search_fields = ["description"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "source", "frequency", "direction"]


admin.site.register([Outcome, ProgressUpdate, Target], SimpleHistoryAdmin)


@admin.register(ReminderDigest)
class ReminderDigestAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "items", "sent_at"]
    list_filter = ["day"]
