from django.urls import path

from actionplans import views

app_name = "actionplans"
urlpatterns = [
    path("actions/", views.actions_table, name="actions"),
    path("actions/export.<str:fmt>", views.actions_export, name="actions_export"),
    path("my-work/", views.my_work, name="my_work"),
    path("priority/<int:priority_pk>/", views.plan_for_priority, name="for_priority"),
    path("priority/<int:priority_pk>/new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/print/", views.plan_print, name="print"),
    path("<int:pk>/aim/", views.plan_aim, name="aim"),
    path("<int:pk>/next-year/", views.plan_start_year, name="start_year"),
    path("<int:pk>/outcomes/new/", views.outcome_add, name="outcome_add"),
    path("<int:pk>/outcomes/<int:outcome_pk>/", views.outcome_edit, name="outcome_edit"),
    path("<int:pk>/actions/new/", views.action_add, name="action_add"),
    path("<int:pk>/indicators/new/", views.indicator_add, name="indicator_add"),
    path("action/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("action/<int:pk>/progress/", views.action_progress, name="action_progress"),
    path("indicator/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indicator/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicator/<int:pk>/value/", views.indicator_value, name="indicator_value"),
    path("indicator/<int:pk>/target/", views.indicator_target, name="indicator_target"),
]
