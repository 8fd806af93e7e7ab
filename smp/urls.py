from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from smp import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("p/<slug:slug>/", include("priorities.urls")),
    path("p/<slug:slug>/manage/", include("smp.urls_manage")),
    path("p/<slug:slug>/data/", include("datasets.urls")),
    path("p/<slug:slug>/plans/", include("actionplans.urls")),
]

# 403 and 404 use templates/403.html and 404.html through Django's own views.
handler500 = "smp.views.server_error"
