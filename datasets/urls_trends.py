"""Trend and SPC pages (namespace ``datasets``)."""

from django.urls import path

from datasets.views import trends as views

urlpatterns: list = [
    path("trends/", views.trends, name="trends"),
    path("trends/recalculate/", views.trends_recalculate, name="trends_recalculate"),
    path("trends/runs/<int:pk>/", views.trends_run_status, name="trends_run_status"),
    path("trends/<int:pk>/", views.trend_series, name="trend_series"),
    path("trends/<int:pk>/periods.csv", views.trend_series_periods_csv,
         name="trend_series_periods_csv"),
    path("trends/<int:pk>/annotate/", views.series_annotate, name="series_annotate"),
    path("trends/<int:pk>/step-changes/", views.step_change_add, name="step_change_add"),
    path("trends/<int:pk>/chart/", views.series_chart, name="series_chart"),
    path("trends/<int:pk>/direction/", views.indicator_direction, name="indicator_direction"),
    path(
        "trends/step-changes/<int:pk>/decide/",
        views.step_change_decide,
        name="step_change_decide",
    ),
]
