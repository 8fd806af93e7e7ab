"""Trend and SPC pages (namespace ``datasets``)."""

urlpatterns: list = []
