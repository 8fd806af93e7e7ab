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
    # Lineage: what became of the priority.
    path("priorities/<int:pk>/continue/", views.priority_continue, name="continue"),
    path("priorities/<int:pk>/split/", views.priority_split, name="split"),
    path("priorities/<int:pk>/merge/", views.priority_merge, name="merge"),
    path("priorities/<int:pk>/demote/", views.priority_demote, name="demote"),
    path("priorities/<int:pk>/end/", views.priority_end, name="end"),
    path(
        "priorities/<int:pk>/links/<int:link_pk>/remove/",
        views.priority_link_remove,
        name="link_remove",
    ),
    path("subgroups/", views.subgroup_list, name="subgroups"),
    path("subgroups/new/", views.subgroup_edit, name="subgroup_create"),
    path("subgroups/<int:pk>/", views.subgroup_detail, name="subgroup"),
    path("subgroups/<int:pk>/edit/", views.subgroup_edit, name="subgroup_edit"),
    path("subgroups/<int:pk>/members/add/", views.subgroup_member_add, name="member_add"),
    path(
        "subgroups/<int:pk>/members/<int:member_pk>/remove/",
        views.subgroup_member_remove,
        name="member_remove",
    ),
    # Administrators: the partnership's plan periods.
    path("manage/plans/", views.plan_list, name="plans"),
    path("manage/plans/new/", views.plan_edit, name="plan_create"),
    path("manage/plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
]
