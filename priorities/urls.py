from django.urls import path

from priorities import views

app_name = "priorities"
urlpatterns = [
    path("", views.partnership_home, name="home"),
    path("priorities/new/", views.priority_create, name="create"),
    path("priorities/<int:pk>/", views.priority_detail, name="detail"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="edit"),
    path("priorities/<int:pk>/status/", views.priority_status, name="status"),
    path("priorities/<int:pk>/leads/", views.priority_leads, name="leads"),
    path(
        "priorities/<int:pk>/leads/<int:lead_pk>/remove/",
        views.priority_lead_remove,
        name="lead_remove",
    ),
    path("subgroups/", views.subgroup_list, name="subgroups"),
    path("subgroups/new/", views.subgroup_edit, name="subgroup_create"),
    path("subgroups/<int:pk>/edit/", views.subgroup_edit, name="subgroup_edit"),
]
