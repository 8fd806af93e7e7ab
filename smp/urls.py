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
    path("p/<slug:slug>/data/", include("datasets.urls")),
    path("p/<slug:slug>/plans/", include("actionplans.urls")),
]
