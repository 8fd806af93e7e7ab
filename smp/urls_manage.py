"""Partnership administration pages (administrators): /p/<slug>/manage/…
Plan periods are managed under the same prefix by priorities/urls.py."""

from django.urls import path

from smp.views import agencies, members

app_name = "manage"
urlpatterns = [
    path("", members.manage_home, name="home"),
    path("members/", members.member_list, name="members"),
    path("members/add/", members.member_add, name="member_add"),
    path("members/<int:user_pk>/", members.member_edit, name="member"),
    path("members/<int:user_pk>/remove/", members.member_remove, name="member_remove"),
    path("agencies/", agencies.agency_list, name="agencies"),
    path("agencies/new/", agencies.agency_edit, name="agency_create"),
    path("agencies/<int:pk>/edit/", agencies.agency_edit, name="agency_edit"),
]
